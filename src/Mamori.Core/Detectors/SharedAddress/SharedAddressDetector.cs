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

    /// <summary>Whether the source is a busy shared address.</summary>
    public static bool IsShared(in SourceSignals source, EffectiveOptions options) =>
        source.SuccessfulAccounts >= options.SharedAddressAccounts;

    public override void Detect(in DetectionContext context, List<Finding> findings)
    {
        SourceSignals ip = context.Signals.Ip;
        if (!IsShared(ip, context.Options)) return;
        findings.Add(new Finding(ReasonCode.SharedAddress, 0, FindingAction.None, context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
            $"The address is shared: about {ip.SuccessfulAccounts} different accounts logged in from it recently (carrier NAT or an office), so it is not throttled as a whole.")));
    }
}
