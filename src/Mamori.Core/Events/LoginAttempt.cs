using System.Net;

namespace Mamori.Events;

/// <summary>One login attempt as the caller saw it before (pre-auth) or after (outcome) checking the secret.</summary>
/// <remarks>Strings are bounded at the edges (<see cref="LoginAttemptLimits"/>); the engine trusts them.</remarks>
public sealed record LoginAttempt
{
    /// <summary>When the attempt happened; replay passes the event's time, the server its clock.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The login identifier as the operator knows it (may not exist).</summary>
    public required string Account { get; init; }

    /// <summary>The client's address as the operator's edge saw it.</summary>
    public required IPAddress Ip { get; init; }

    /// <summary>The client's User-Agent header, if any.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The operator's device token or cookie; absent for clients that keep none.</summary>
    public string? Device { get; init; }

    /// <summary>Keyed fingerprint of the submitted secret (docs/api.md, <c>secret_fp</c>).</summary>
    public SecretFingerprint? Secret { get; init; }

    /// <summary>Tenant of a multi-tenant deployment; null for the default tenant.</summary>
    public string? Tenant { get; init; }

    /// <summary>Autonomous system number, when the caller knows it (or an IP-geo database is configured).</summary>
    public int? Asn { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code, upper case, when known.</summary>
    public string? Country { get; init; }
}

/// <summary>A login attempt whose outcome is known: one line of a login event log.</summary>
public readonly record struct LoginEvent(LoginAttempt Attempt, LoginOutcome Outcome);

/// <summary>Bounds every front door applies before an attempt reaches the engine.</summary>
public static class LoginAttemptLimits
{
    /// <summary>Longest account identifier accepted (e-mail addresses are at most 254).</summary>
    public const int MaxAccountLength = 256;
    /// <summary>Longest User-Agent kept; longer ones are cut (real browsers send under 300 characters).</summary>
    public const int MaxUserAgentLength = 512;
    /// <summary>Longest device token accepted.</summary>
    public const int MaxDeviceLength = 256;
    /// <summary>Longest tenant id accepted.</summary>
    public const int MaxTenantLength = 64;
}
