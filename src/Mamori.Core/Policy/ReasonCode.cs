using System.Diagnostics;

namespace Mamori.Policy;

/// <summary>Why a decision is what it is. Stable, machine-readable; see <see cref="ReasonCodeNames"/>.</summary>
public enum ReasonCode : byte
{
    /// <summary>The submitted secret's fingerprint failed on many distinct accounts: spraying or reverse brute force.</summary>
    SprayedSecret,
    /// <summary>The secret's fingerprint belongs to an open spraying campaign (a success with it is a likely takeover).</summary>
    CampaignSecret,
    /// <summary>The source (IP, /24, ASN or user agent) touches many accounts and mostly fails: credential stuffing.</summary>
    StuffingSource,
    /// <summary>Many distinct wrong secrets against this account from unfamiliar contexts: vertical brute force.</summary>
    BruteForce,
    /// <summary>The unfamiliar path of this account is locked (smart lockout); familiar devices still get in.</summary>
    UnfamiliarPathLocked,
    /// <summary>The device, network or browser is new for this account (risk-based authentication).</summary>
    UnfamiliarEnvironment,
    /// <summary>The device is trusted for this account (it passed a step-up).</summary>
    TrustedDevice,
    /// <summary>Failures or unknown accounts across the whole service are far above their usual rate.</summary>
    GlobalFailureSpike,
    /// <summary>One device or address logged into several accounts it was new to: one party, many victims.</summary>
    TakeoverRing,
    /// <summary>The address is shared by many real users (carrier-grade NAT, an office): not throttled as a whole.</summary>
    SharedAddress,
    /// <summary>The caller reported the password as breached (found in a breach corpus).</summary>
    BreachedPassword,
    /// <summary>A step-up was asked for at this account's next login, by an operator or after a second factor failed.</summary>
    StepUpRequested,
    /// <summary>A detector threw; the configured failure mode decided.</summary>
    DetectorFailed,
    /// <summary>The signal store could not be reached; the node answered from local state per the failure mode.</summary>
    SignalStoreUnavailable,
    /// <summary>Durable storage failed; the decision follows the configured failure mode.</summary>
    StorageUnavailable,
    /// <summary>Monitor-only mode: the engine records what it would have done and allows.</summary>
    MonitorOnly,
    /// <summary>A login arrived from a place too far from the last one for the time between them.</summary>
    ImpossibleTravel,
    /// <summary>The account's secret succeeded in an attack lately (a success held up for attack evidence), and this
    /// login comes from an environment the account did not already know.</summary>
    ExposedSecret,
}

/// <summary>Wire names and explanations of <see cref="ReasonCode"/>.</summary>
public static class ReasonCodeNames
{
    // Wire names are public: dashboards, SIEM rules and partner feeds match on them. Never rename one.
    /// <summary>The wire name of a reason code.</summary>
    public static string ToWireName(this ReasonCode code) => code switch
    {
        ReasonCode.SprayedSecret => "sprayed_secret",
        ReasonCode.CampaignSecret => "campaign_secret",
        ReasonCode.StuffingSource => "stuffing_source",
        ReasonCode.BruteForce => "brute_force",
        ReasonCode.UnfamiliarPathLocked => "unfamiliar_path_locked",
        ReasonCode.UnfamiliarEnvironment => "unfamiliar_environment",
        ReasonCode.TrustedDevice => "trusted_device",
        ReasonCode.GlobalFailureSpike => "global_failure_spike",
        ReasonCode.TakeoverRing => "takeover_ring",
        ReasonCode.SharedAddress => "shared_address",
        ReasonCode.BreachedPassword => "breached_password",
        ReasonCode.StepUpRequested => "step_up_requested",
        ReasonCode.DetectorFailed => "detector_failed",
        ReasonCode.SignalStoreUnavailable => "signal_store_unavailable",
        ReasonCode.StorageUnavailable => "storage_unavailable",
        ReasonCode.MonitorOnly => "monitor_only",
        ReasonCode.ImpossibleTravel => "impossible_travel",
        ReasonCode.ExposedSecret => "exposed_secret",
        _ => throw new UnreachableException($"ReasonCode {code} has no wire name."),
    };

    /// <summary>All codes, for documentation and parsing.</summary>
    public static IReadOnlyList<ReasonCode> All { get; } = Enum.GetValues<ReasonCode>();

    /// <summary>Parses a wire name.</summary>
    public static bool TryParse(string text, out ReasonCode code)
    {
        foreach (ReasonCode candidate in All)
        {
            if (candidate.ToWireName() == text) { code = candidate; return true; }
        }
        code = default;
        return false;
    }
}
