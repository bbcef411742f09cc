using Mamori.Signals;
using System.Globalization;
using Mamori.Campaigns;
using Mamori.Policy;

namespace Mamori.Detectors;

/// <summary>
/// Vertical brute force with smart lockout: distinct wrong secrets against one account, counted apart for familiar
/// and unfamiliar contexts. Only the unfamiliar path locks, so an attacker hammering an account cannot lock its real
/// user out; a wrong secret retried counts once. Within the hour, and since the account's own user last got in (slow
/// guessing under the hourly threshold: a step-up, then a challenge, then the lock NIST SP 800-63B asks for).
/// </summary>
internal sealed class BruteForceDetector : Detector
{
    public override string Name => "brute_force";

    /// <summary>
    /// At pre-auth: whether a success now would come after enough unfamiliar wrong secrets since the account's user
    /// last got in to step up. The engine asks this before the outcome, so such a success is not learned (learning it
    /// would also start the count again before the outcome half reads it).
    /// </summary>
    internal static bool MayBeGuessed(in DetectionContext context) =>
        !context.Familiarity.FamiliarContext && context.Signals.AccountUnfamiliarFailuresSinceSuccess >= context.Options.SlowGuessStepUp;

    public override void Detect(in DetectionContext context, List<Finding> findings)
    {
        ref readonly SignalSnapshot s = ref context.Signals;
        EffectiveOptions o = context.Options;
        FamiliarityScore f = context.Familiarity;
        var key = new CampaignKey(CampaignKind.BruteForce, context.Keys.Account);
        if (!f.FamiliarContext && s.AccountUnfamiliarFailures >= o.BruteForceUnfamiliar)
        {
            Lock(in context, findings, key, s.AccountUnfamiliarFailures, "within the hour: brute force",
                "The account is locked for unfamiliar devices and networks; its usual devices still get in.");
            return;
        }
        if (f.FamiliarContext && s.AccountFamiliarFailures >= o.BruteForceFamiliar)
        {
            findings.Add(new Finding(ReasonCode.BruteForce, 0.5, context.IsPreAuth ? FindingAction.Challenge : FindingAction.None,
                context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"{s.AccountFamiliarFailures} different wrong secrets from this account's own devices within the hour; a challenge slows guessing without locking the user out.")));
            return;
        }
        if (f.FamiliarContext) return;
        int since = s.AccountUnfamiliarFailuresSinceSuccess;
        // Locked only when the account has a history, that is a familiar way in for its user: one with none (a dormant
        // account, a replay's first days) would stay locked for good, so it keeps the challenge and the step-up.
        if (since >= o.SlowGuessLock && f.HasHistory)
        {
            Lock(in context, findings, key, since, "since its user last logged in: slow guessing",
                "The account is locked for unfamiliar devices and networks until its user logs in from a familiar one.");
            return;
        }
        if (context.IsPreAuth && since >= o.SlowGuessChallenge)
        {
            findings.Add(new Finding(ReasonCode.BruteForce, 0.6, FindingAction.Challenge, context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
                $"{since} different wrong secrets were tried on this account from unfamiliar devices or networks since its user last logged in: a challenge slows the guessing."), key));
            return;
        }
        // A success after many unfamiliar failures (within the hour, or since the user last got in), from an
        // unfamiliar context: the guess may have worked. It joins the account's brute-force campaign when the failures
        // before it opened one; alone it opens none (most are customers who mistyped a PIN a few times).
        bool hourly = s.AccountUnfamiliarFailures >= Math.Max(3, o.BruteForceUnfamiliar / 2);
        if (context.IsSuccess && (hourly || since >= o.SlowGuessStepUp))
        {
            int wrong = hourly ? s.AccountUnfamiliarFailures : since;
            findings.Add(new Finding(ReasonCode.BruteForce, 0.7, FindingAction.StepUp, context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
                $"The right secret came after {wrong} different wrong ones from unfamiliar contexts{(hourly ? "" : " since the account's user last logged in")}: it may have been guessed."), key,
                JoinsOnly: true));
        }
    }

    /// <summary>The unfamiliar path's lock: the evidence (counted in the account's brute-force campaign) and the deny.</summary>
    private static void Lock(in DetectionContext context, List<Finding> findings, CampaignKey key, int wrong, string when, string lockMessage)
    {
        string message = context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
            $"{wrong} different wrong secrets were tried on this account from unfamiliar devices or networks {when}.");
        findings.Add(new Finding(ReasonCode.BruteForce, 0.8, FindingAction.None, message, key));
        findings.Add(new Finding(ReasonCode.UnfamiliarPathLocked, 0.9, FindingAction.Deny, lockMessage));
    }
}
