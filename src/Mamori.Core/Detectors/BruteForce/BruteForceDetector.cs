using Mamori.Signals;
using System.Globalization;
using Mamori.Campaigns;
using Mamori.Policy;

namespace Mamori.Detectors;

/// <summary>
/// Vertical brute force with smart lockout: distinct wrong secrets against one account, counted apart for familiar
/// and unfamiliar contexts. Only the unfamiliar path locks, so an attacker hammering an account cannot lock its real
/// user out; a wrong secret retried counts once.
/// </summary>
internal sealed class BruteForceDetector : Detector
{
    public override string Name => "brute_force";

    public override void Detect(in DetectionContext context, List<Finding> findings)
    {
        ref readonly SignalSnapshot s = ref context.Signals;
        EffectiveOptions o = context.Options;
        FamiliarityScore f = context.Familiarity;
        var key = new CampaignKey(CampaignKind.BruteForce, context.Keys.Account);
        if (!f.FamiliarContext && s.AccountUnfamiliarFailures >= o.BruteForceUnfamiliar)
        {
            string message = context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
                $"{s.AccountUnfamiliarFailures} different wrong secrets were tried on this account from unfamiliar devices or networks within the hour: brute force.");
            findings.Add(new Finding(ReasonCode.BruteForce, 0.8, FindingAction.None, message, key));
            findings.Add(new Finding(ReasonCode.UnfamiliarPathLocked, 0.9, FindingAction.Deny,
                "The account is locked for unfamiliar devices and networks; its usual devices still get in."));
            return;
        }
        if (f.FamiliarContext && s.AccountFamiliarFailures >= o.BruteForceFamiliar)
        {
            findings.Add(new Finding(ReasonCode.BruteForce, 0.5, context.IsPreAuth ? FindingAction.Challenge : FindingAction.None,
                context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"{s.AccountFamiliarFailures} different wrong secrets from this account's own devices within the hour; a challenge slows guessing without locking the user out.")));
            return;
        }
        // A success right after many unfamiliar failures, from an unfamiliar context: the guess may have worked.
        if (context.IsSuccess && !f.FamiliarContext && s.AccountUnfamiliarFailures >= Math.Max(3, o.BruteForceUnfamiliar / 2))
        {
            findings.Add(new Finding(ReasonCode.BruteForce, 0.7, FindingAction.StepUp, context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
                $"The right secret came after {s.AccountUnfamiliarFailures} different wrong ones from unfamiliar contexts: it may have been guessed."), key));
        }
    }
}
