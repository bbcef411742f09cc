using System.Globalization;
using Mamori.Policy;
using Mamori.Signals;

namespace Mamori.Detectors;

/// <summary>
/// Carrier-grade NAT and offices: an address from which many distinct accounts log in successfully over days is
/// shared by real people. Throttling it as a whole would lock out a carrier's subscribers, so the source detectors
/// skip it and lean on the secret, account and device signals instead.
/// </summary>
internal sealed class SharedAddressDetector : Detector
{
    public override string Name => "shared_address";

    /// <summary>Share of an hour's attempts that, failing over many accounts, keeps an address from counting as shared.</summary>
    /// <remarks>Real people behind a NAT fail about one login in ten. A stuffing source that tries a long leak from one
    /// address collects successful accounts too, at its hit rate (20 of them after ~500 attempts at 4 %), but among a
    /// flood of failures; a carrier's address would reach this share only when attacks through it outnumber its own
    /// subscribers nine to one, and then those whose device or network is familiar are still not held up.</remarks>
    private const double StuffingShare = 0.9;

    /// <summary>
    /// Whether the source is a busy shared address: many accounts succeed there, most of them from a network or device
    /// they know (a party logging into phished accounts from its own server succeeds too, but new to every one of them),
    /// and it is not failing like a stuffing source.
    /// </summary>
    public static bool IsShared(in DetectionContext context) =>
        IsKnown(in context) || IsBusyShared(context.Signals.Ip, context.Options);

    /// <summary>Whether the operator listed the address's network as shared (<see cref="SharedAddressOptions.KnownNetworks"/>).</summary>
    internal static bool IsKnown(in DetectionContext context) => context.KnownSharedAddress;

    private static bool IsBusyShared(in SourceSignals source, EffectiveOptions options) =>
        source.SuccessfulAccounts >= options.SharedAddressAccounts
        && 2 * source.UnfamiliarSuccessAccounts < source.SuccessfulAccounts
        && !(source.DistinctAccounts >= options.StuffingIpAccounts && source.Failures >= StuffingShare * source.Attempts);

    public override void Detect(in DetectionContext context, List<Finding> findings)
    {
        SourceSignals ip = context.Signals.Ip;
        if (IsKnown(in context))
        {
            findings.Add(new Finding(ReasonCode.SharedAddress, 0, FindingAction.None, context.Terse ? "" : context.PartnerAddress
                ? "The address is a partner's server logging in for the customer (Mamori:SharedAddress:PartnerNetworks): not judged on the account's own environment, nor throttled as a whole."
                : "The address is in a network the operator lists as shared (Mamori:SharedAddress:KnownNetworks), so it is not throttled as a whole."));
            return;
        }
        if (!IsBusyShared(in ip, context.Options)) return;
        findings.Add(new Finding(ReasonCode.SharedAddress, 0, FindingAction.None, context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
            $"The address is shared: about {ip.SuccessfulAccounts} different accounts logged in from it recently (carrier NAT or an office), so it is not throttled as a whole.")));
    }
}
