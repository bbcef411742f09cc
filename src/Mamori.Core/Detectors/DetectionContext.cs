using Mamori.Campaigns;
using Mamori.Events;
using Mamori.Signals;

namespace Mamori.Detectors;

/// <summary>Everything a detector may read about one attempt. Built once per assessment, passed by reference.</summary>
/// <remarks>
/// A ref struct that refers to the keys and the signal snapshot instead of holding copies: the snapshot is about
/// 400 bytes, and copying it into the context and into each detector's local was, at replay speed, a measurable
/// share of a login.
/// </remarks>
internal readonly ref struct DetectionContext
{
    private readonly ref readonly SignalKeys _keys;
    private readonly ref readonly SignalSnapshot _signals;

    public DetectionContext(ref readonly SignalKeys keys, ref readonly SignalSnapshot signals)
    {
        _keys = ref keys;
        _signals = ref signals;
    }

    public required LoginAttempt Attempt { get; init; }
    public ref readonly SignalKeys Keys => ref _keys;
    public ref readonly SignalSnapshot Signals => ref _signals;
    public required ObservationPhase Phase { get; init; }
    public LoginOutcome Outcome { get; init; }
    public required FamiliarityScore Familiarity { get; init; }
    public required EffectiveOptions Options { get; init; }
    public required CampaignTracker Campaigns { get; init; }
    /// <summary>
    /// Findings carry their codes without sentences (messages are ""): replay writes only codes, and formatting a
    /// sentence per finding was most of what an ordinary carrier-NAT login allocated. Off by default.
    /// </summary>
    public bool Terse { get; init; }
    /// <summary>Whether the address is in the operator's known shared networks; looked up once per assessment, read by several detectors.</summary>
    public bool KnownSharedAddress { get; init; }
    /// <summary>Whether the address is in the operator's partners' networks (<see cref="SharedAddressOptions.PartnerNetworks"/>); such an
    /// address is a known shared one too.</summary>
    public bool PartnerAddress { get; init; }

    public bool IsSuccess => Phase == ObservationPhase.Outcome && Outcome == LoginOutcome.Success;
    public bool IsPreAuth => Phase == ObservationPhase.PreAuth;
    public bool IsFailure => Phase == ObservationPhase.Outcome && Outcome != LoginOutcome.Success;
}

/// <summary>A small detector: reads the context, adds findings. Must not throw for any input (the engine catches if it does).</summary>
/// <remarks>An abstract class rather than an interface: the engine calls seven of them from one call site twice a
/// login, and a virtual call there is cheaper than interface dispatch through a polymorphic stub.</remarks>
internal abstract class Detector
{
    /// <summary>Name for logs and the detector_failed reason.</summary>
    public abstract string Name { get; }

    /// <summary>Adds what it sees to <paramref name="findings"/>.</summary>
    public abstract void Detect(in DetectionContext context, List<Finding> findings);
}

/// <summary>Options with the tenant's overrides applied; copied when the engine is built.</summary>
internal sealed record EffectiveOptions
{
    public required bool MonitorOnly { get; init; }
    public required int SprayThreshold { get; init; }
    public required int SprayLongThreshold { get; init; }
    public required int SprayDenyThreshold { get; init; }
    public required int StuffingIpAccounts { get; init; }
    public required int StuffingSubnetAccounts { get; init; }
    public required int StuffingAggregateFailures { get; init; }
    public required double StuffingFailureRatio { get; init; }
    public required int FailingOnlyAddressFailures { get; init; }
    public required int BruteForceUnfamiliar { get; init; }
    public required int BruteForceFamiliar { get; init; }
    public required int SlowGuessStepUp { get; init; }
    public required int SlowGuessChallenge { get; init; }
    public required int SlowGuessLock { get; init; }
    public required double StepUpLogRatio { get; init; }
    public required double Smoothing { get; init; }
    public required int ExposedSecretDays { get; init; }
    public required int GlobalMinimumAttempts { get; init; }
    public required double GlobalFactor { get; init; }
    public required int SharedAddressAccounts { get; init; }
    public required int TakeoverRingAccounts { get; init; }
    /// <summary>The operator's known shared networks (<see cref="SharedAddressOptions.KnownNetworks"/>); null when none.</summary>
    public Network.NetworkSet? KnownShared { get; init; }

    /// <summary>The operator's partners' networks (<see cref="SharedAddressOptions.PartnerNetworks"/>); null when none.</summary>
    public Network.NetworkSet? Partners { get; init; }

    public static EffectiveOptions From(MamoriOptions o, TenantOptions? t = null) => new()
    {
        MonitorOnly = t?.MonitorOnly ?? o.MonitorOnly,
        SprayThreshold = t?.SprayingDistinctAccountThreshold ?? o.Spraying.DistinctAccountThreshold,
        SprayLongThreshold = Math.Max(t?.SprayingDistinctAccountThreshold ?? 0, o.Spraying.LongDistinctAccountThreshold),
        SprayDenyThreshold = Math.Max(t?.SprayingDistinctAccountThreshold ?? 0, o.Spraying.DenyThreshold),
        StuffingIpAccounts = o.Stuffing.IpDistinctAccountThreshold,
        StuffingSubnetAccounts = o.Stuffing.SubnetDistinctAccountThreshold,
        StuffingAggregateFailures = o.Stuffing.AggregateFailureThreshold,
        StuffingFailureRatio = o.Stuffing.FailureRatio,
        FailingOnlyAddressFailures = o.Stuffing.FailingOnlyAddressFailures,
        BruteForceUnfamiliar = t?.BruteForceUnfamiliarThreshold ?? o.BruteForce.UnfamiliarThreshold,
        BruteForceFamiliar = Math.Max(t?.BruteForceUnfamiliarThreshold ?? 0, o.BruteForce.FamiliarThreshold),
        SlowGuessStepUp = o.BruteForce.SinceSuccessStepUpThreshold,
        SlowGuessChallenge = o.BruteForce.SinceSuccessChallengeThreshold,
        SlowGuessLock = o.BruteForce.SinceSuccessLockThreshold,
        StepUpLogRatio = t?.FamiliarityStepUpLogRatio ?? o.Familiarity.StepUpLogRatio,
        Smoothing = o.Familiarity.Smoothing,
        ExposedSecretDays = o.Familiarity.ExposedSecretDays,
        GlobalMinimumAttempts = o.GlobalAnomaly.MinimumAttempts,
        GlobalFactor = o.GlobalAnomaly.Factor,
        SharedAddressAccounts = o.SharedAddress.DistinctSuccessfulAccounts,
        TakeoverRingAccounts = o.SharedAddress.TakeoverRingAccounts,
        KnownShared = o.SharedAddress.KnownNetworks.Count == 0 ? null : Network.NetworkSet.TryParse([.. o.SharedAddress.KnownNetworks], out _),
        Partners = o.SharedAddress.PartnerNetworks.Count == 0 ? null : Network.NetworkSet.TryParse([.. o.SharedAddress.PartnerNetworks], out _),
    };
}
