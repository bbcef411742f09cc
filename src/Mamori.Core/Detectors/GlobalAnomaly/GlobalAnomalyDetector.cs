using System.Globalization;
using Mamori.Campaigns;
using Mamori.Policy;
using Mamori.Signals;

namespace Mamori.Detectors;

/// <summary>
/// Attacks spread so thin over addresses and accounts that no single source stands out still lift the service's
/// failure and unknown-account shares far above their own baseline. While they are up, successes from unfamiliar
/// contexts are stepped up.
/// </summary>
internal sealed class GlobalAnomalyDetector : Detector
{
    /// <summary>Buckets the baseline must have learned before it is trusted.</summary>
    private const int WarmBuckets = 12;
    /// <summary>Failed (or unknown-account) attempts a bucket needs before its share can be a spike: a z-score on a
    /// handful of events is not to be trusted.</summary>
    private const int MinimumCount = 10;

    /// <summary>Standard deviations above the baseline a bucket must be, so a small bucket's noise is not a spike.</summary>
    private const double MinimumZ = 5.0;

    public override string Name => "global_anomaly";

    /// <summary>Far above the baseline (a factor) and not by chance (a binomial z-score).</summary>
    internal static bool Spike(double rate, double baseline, double floor, double limit, int attempts)
    {
        if (rate <= limit || rate * attempts < MinimumCount) return false;
        double p = Math.Max(baseline, floor);
        double z = (rate - p) * Math.Sqrt(attempts) / Math.Sqrt(p * (1 - p));
        return z >= MinimumZ;
    }

    /// <summary>
    /// Whether the address is where real users succeed: two other accounts or more succeeded from it over the
    /// shared-address window (the count includes this login's own account once it succeeded), and most of its attempts
    /// did not fail. The address itself, not its /24: residential proxies sit in the same consumer ranges as customers.
    /// </summary>
    private static bool AddressVouches(in SourceSignals ip) => ip.SuccessfulAccounts >= 3 && 2 * ip.Failures < ip.Attempts;

    public override void Detect(in DetectionContext context, List<Finding> findings)
    {
        GlobalSignals g = context.Signals.Global;
        if (g.BaselineBuckets < WarmBuckets) return;
        EffectiveOptions o = context.Options;
        double failureLimit = o.GlobalFactor * Math.Max(g.FailureBaseline, GlobalSignals.FailureFloor);
        double unknownLimit = o.GlobalFactor * Math.Max(g.UnknownBaseline, GlobalSignals.UnknownFloor);
        bool current = g.Attempts >= o.GlobalMinimumAttempts &&
            (Spike(g.FailureRate, g.FailureBaseline, GlobalSignals.FailureFloor, failureLimit, g.Attempts) || Spike(g.UnknownRate, g.UnknownBaseline, GlobalSignals.UnknownFloor, unknownLimit, g.Attempts));
        bool previous = g.PreviousAttempts >= o.GlobalMinimumAttempts &&
            (Spike(g.PreviousFailureRate, g.FailureBaseline, GlobalSignals.FailureFloor, failureLimit, g.PreviousAttempts) || Spike(g.PreviousUnknownRate, g.UnknownBaseline, GlobalSignals.UnknownFloor, unknownLimit, g.PreviousAttempts));
        if (!current && !previous) return;

        double failure = current ? g.FailureRate : g.PreviousFailureRate, unknown = current ? g.UnknownRate : g.PreviousUnknownRate;
        string message = context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
            $"Service-wide, {failure:P0} of logins fail and {unknown:P0} name unknown accounts, against a usual {g.FailureBaseline:P0} and {g.UnknownBaseline:P0}: an attack spread over many sources.");
        FamiliarityScore f = context.Familiarity;
        if (f.FamiliarContext)
        {
            findings.Add(new Finding(ReasonCode.GlobalFailureSpike, 0.1, FindingAction.None, message));
            return;
        }
        var key = new CampaignKey(CampaignKind.CredentialStuffing, Hashing.TenantScope(context.Attempt.Tenant));
        // Count only failures from unfamiliar contexts in the campaign: they are the attack's share.
        CampaignKey? campaign = context.IsFailure ? key : null;
        // Pre-auth, a spike alone holds nobody up: it says nothing about this request, and real users log in
        // during attacks too. It lowers the bar for a success instead: one from an unfamiliar context steps up, unless
        // its address vouches for it.
        // - An account with history: when it is not one that usually brings a device token, a busy shared address
        //   vouches (a carrier's NAT or an office where many accounts succeed, most from a context they know, and which
        //   is not failing like a stuffing source). In a log of addresses alone a phone's address is whichever of the
        //   carrier's pool it got, so nothing else could make it familiar.
        // - An account without history and without a device token: an address where two other accounts succeeded and
        //   most attempts did not fail, or one in a network the operator lists as shared.
        // A proxy of the attack, or an address never seen, vouches for neither.
        bool addressVouches = AddressVouches(context.Signals.Ip) || SharedAddressDetector.IsKnown(in context);
        FindingAction action = context.IsSuccess && (f.HasHistory
            ? f.DeviceExpected || !SharedAddressDetector.IsShared(in context)
            : context.Attempt.Device is null && !addressVouches)
            ? FindingAction.StepUp : FindingAction.None;
        findings.Add(new Finding(ReasonCode.GlobalFailureSpike, 0.3, action, message, campaign));
    }
}
