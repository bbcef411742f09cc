using System.Globalization;
using Mamori.Campaigns;
using Mamori.Policy;
using Mamori.Signals;

namespace Mamori.Detectors;

/// <summary>
/// Credential stuffing (SBI Securities): sources that try many accounts and mostly fail. Judged per address and /24
/// by distinct accounts and failure share; per ASN and user agent, whose legitimate traffic is large, by failure
/// share against the source's own baseline. Shared addresses are never judged as a whole.
/// </summary>
internal sealed class StuffingDetector : Detector
{
    private const int BaselineMinimumAttempts = 50;

    /// <summary>Distinct accounts that got in from an ASN over the shared-address window (days) for its failures to be
    /// judged against its own baseline: customers whose habits the baseline is. Fewer, and the baseline is mostly whatever
    /// is failing there now.</summary>
    private const int CustomerBase = 20;

    public override string Name => "stuffing";

    public override void Detect(in DetectionContext context, List<Finding> findings)
    {
        ref readonly SignalSnapshot s = ref context.Signals;
        EffectiveOptions o = context.Options;
        bool shared = SharedAddressDetector.IsShared(in context);
        string? source = null;
        int accounts = 0;
        bool single = false;
        if (!shared && IsAbusive(s.Ip, o.StuffingIpAccounts, o.StuffingFailureRatio, context.IsPreAuth))
        {
            source = "address"; accounts = s.Ip.DistinctAccounts; single = true;
        }
        else if (!shared && IsAbusive(s.Subnet, o.StuffingSubnetAccounts, o.StuffingFailureRatio, context.IsPreAuth))
        {
            source = "network (/24)"; accounts = s.Subnet.DistinctAccounts;
        }
        else if (context.Attempt.Asn is not null && IsAnomalous(s.Asn, o, ownBaseline: !context.Familiarity.HostingAsn && s.Asn.SuccessfulAccounts >= CustomerBase))
        {
            source = "autonomous system"; accounts = s.Asn.DistinctAccounts;
        }
        else if (context.Attempt.UserAgent is not null && IsAnomalous(s.Agent, o, ownBaseline: true))
        {
            source = "user agent"; accounts = s.Agent.DistinctAccounts;
        }
        if (source is null)
        {
            if (IsFailingOnlySource(in context))
            {
                int others = FailuresOnOthers(in s);
                findings.Add(new Finding(ReasonCode.StuffingSource, 0.7, FindingAction.StepUp, context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"Over the last days the address only ever failed ({(others == 1 ? "once" : $"about {others} times")} on other accounts) and nobody got in from it; now a success without a device token, in an environment new to the account: a slow stuffing bot on its next account.")));
            }
            return;
        }

        FamiliarityScore f = context.Familiarity;
        var key = new CampaignKey(CampaignKind.CredentialStuffing, Hashing.TenantScope(context.Attempt.Tenant));
        string evidence = context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
            $"The {source} tried about {accounts} accounts recently and most attempts failed: credential stuffing.");
        if (f.FamiliarContext)
        {
            findings.Add(new Finding(ReasonCode.StuffingSource, 0.15, FindingAction.None, evidence + " This device or network is familiar to the account, so it is not held up."));
            return;
        }
        if (context.IsPreAuth)
        {
            findings.Add(new Finding(ReasonCode.StuffingSource, single ? 0.8 : 0.6, single ? FindingAction.Deny : FindingAction.Challenge, evidence, key));
            return;
        }
        if (context.IsSuccess)
        {
            findings.Add(new Finding(ReasonCode.StuffingSource, 0.85, single ? FindingAction.Deny : FindingAction.StepUp,
                evidence + " A successful login from it, in an environment new to the account, is a likely takeover.", key));
            return;
        }
        findings.Add(new Finding(ReasonCode.StuffingSource, 0.6, FindingAction.None, evidence, key));
    }

    /// <summary>
    /// A success, without a device token and not in a context the account knows, from an address that over the
    /// shared-address window (days) saw only failures, at least <see cref="StuffingOptions.FailingOnlyAddressFailures"/>
    /// more than this account's own there, and no account succeed: a bot of a slow stuffing run, back on its address
    /// days later or trying its next line of the list a minute after the last, too thin for any hourly rate.
    /// </summary>
    private static bool IsFailingOnlySource(in DetectionContext context)
    {
        ref readonly SignalSnapshot s = ref context.Signals;
        if (!context.IsSuccess || !MayBeFailingOnlySource(in context)) return false;
        return FailuresOnOthers(in s) >= context.Options.FailingOnlyAddressFailures;
    }

    /// <summary>
    /// At pre-auth: whether a success now would come from such an address. The engine asks this first, so the success
    /// is not learned at once: learning it would both teach the bot's login as the account's own and start the
    /// account's failure count again before the outcome half reads whose failures the address saw.
    /// </summary>
    internal static bool MayBeFailingOnlySource(in DetectionContext context)
    {
        ref readonly SignalSnapshot s = ref context.Signals;
        if (context.Attempt.Device is not null || context.Familiarity.FamiliarContext) return false;
        // Every attempt at the address but this one failed (this one is counted at pre-auth; a success is counted on
        // the address at the outcome). Whose failures they were is the outcome's to say: the account's own are known
        // there only if this success was not learned, which is what asking this first is for.
        return FailuresJudged(in s) >= context.Options.FailingOnlyAddressFailures && FailuresAtTheAddress(in s) >= s.Ip.BaselineAttempts - 1
            && s.Ip.SuccessfulAccounts <= (context.IsSuccess ? 1 : 0);
    }

    /// <summary>The address's failures over the shared-address window.</summary>
    private static int FailuresAtTheAddress(in SignalSnapshot s) => (int)Math.Round(s.Ip.BaselineFailureRatio * s.Ip.BaselineAttempts);

    /// <summary>
    /// The address's failures the rule weighs: over the shared-address window when the address tried another account
    /// within the stuffing window (a bot on its next line); otherwise only those before that window, since every
    /// failure within it was on this account (a user's own password, tried twice the same wrong way, is one failure
    /// to the account and two to the address).
    /// </summary>
    private static int FailuresJudged(in SignalSnapshot s) =>
        s.Ip.DistinctAccounts >= 2 ? FailuresAtTheAddress(in s) : FailuresAtTheAddress(in s) - s.Ip.Failures;

    /// <summary>
    /// Of those, the ones that were not this account's: when any of the account's failures since it last got in came
    /// from this address, all of them are taken off the address's (a user's own typos a minute ago, or the day
    /// before, are not a bot's).
    /// </summary>
    private static int FailuresOnOthers(in SignalSnapshot s)
    {
        int own = s.AccountFailedFromThisAddress ? s.AccountUnfamiliarFailuresSinceSuccess + s.AccountFamiliarFailures : 0;
        return FailuresJudged(in s) - own;
    }

    /// <summary>Address or /24: many accounts and a failure share real users never reach.</summary>
    private static bool IsAbusive(in SourceSignals source, int accountThreshold, double ratio, bool preAuth)
    {
        if (source.DistinctAccounts < accountThreshold) return false;
        // Pre-auth has counted this attempt but not its outcome yet.
        int judged = Math.Max(1, source.Attempts - (preAuth ? 1 : 0));
        return (double)source.Failures / judged >= ratio;
    }

    /// <summary>ASN or user agent: enough failures, and a failure share far above the source's own baseline.</summary>
    /// <remarks>Without <paramref name="ownBaseline"/> (a hosting provider's ASN, ADR 0019), the share is judged as an
    /// address's is: its days-long baseline is no customers' habit but the attack itself, learned within hours, so a
    /// spray from rented servers that runs for days would become its own normal.</remarks>
    private static bool IsAnomalous(in SourceSignals source, EffectiveOptions o, bool ownBaseline)
    {
        if (source.Failures < o.StuffingAggregateFailures || source.Attempts == 0) return false;
        double share = (double)source.Failures / source.Attempts;
        if (!ownBaseline || source.BaselineAttempts < BaselineMinimumAttempts) return share >= o.StuffingFailureRatio;
        return share >= Math.Max(0.5, 3 * source.BaselineFailureRatio) && share >= o.StuffingFailureRatio * 0.7;
    }
}
