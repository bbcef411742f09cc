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
        else if (context.Attempt.Asn is not null && IsAnomalous(s.Asn, o))
        {
            source = "autonomous system"; accounts = s.Asn.DistinctAccounts;
        }
        else if (context.Attempt.UserAgent is not null && IsAnomalous(s.Agent, o))
        {
            source = "user agent"; accounts = s.Agent.DistinctAccounts;
        }
        if (source is null) return;

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

    /// <summary>Address or /24: many accounts and a failure share real users never reach.</summary>
    private static bool IsAbusive(in SourceSignals source, int accountThreshold, double ratio, bool preAuth)
    {
        if (source.DistinctAccounts < accountThreshold) return false;
        // Pre-auth has counted this attempt but not its outcome yet.
        int judged = Math.Max(1, source.Attempts - (preAuth ? 1 : 0));
        return (double)source.Failures / judged >= ratio;
    }

    /// <summary>ASN or user agent: enough failures, and a failure share far above the source's own baseline.</summary>
    private static bool IsAnomalous(in SourceSignals source, EffectiveOptions o)
    {
        if (source.Failures < o.StuffingAggregateFailures || source.Attempts == 0) return false;
        double share = (double)source.Failures / source.Attempts;
        if (source.BaselineAttempts < BaselineMinimumAttempts) return share >= o.StuffingFailureRatio;
        return share >= Math.Max(0.5, 3 * source.BaselineFailureRatio) && share >= o.StuffingFailureRatio * 0.7;
    }
}
