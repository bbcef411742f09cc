namespace Mamori.Storage;

/// <summary>One assessment as it is audited: what was asked, what was answered, why.</summary>
/// <remarks>
/// Never holds the secret fingerprint: fingerprints live only in memory windows (docs/api.md, <c>secret_fp</c>). Reasons and campaign
/// ids are kept as the JSON the API answered with, so the audit shows exactly what the caller saw.
/// </remarks>
public sealed record DecisionRecord
{
    /// <summary>When the assessment was made (UTC).</summary>
    public required DateTimeOffset Time { get; init; }
    /// <summary>The request id given to the caller.</summary>
    public required string RequestId { get; init; }
    /// <summary>Which call: <c>assess</c>, <c>outcome</c>, <c>event</c>, <c>step_up</c>, <c>password_change</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>The login identifier.</summary>
    public required string Account { get; init; }
    /// <summary>Tenant; null for the default tenant.</summary>
    public string? Tenant { get; init; }
    /// <summary>Client address, normalised text.</summary>
    public string? Ip { get; init; }
    /// <summary>The device id (never a Mamori device token).</summary>
    public string? Device { get; init; }
    /// <summary>Outcome wire name, when the call carried one.</summary>
    public string? Outcome { get; init; }
    /// <summary>Verdict wire name.</summary>
    public required string Decision { get; init; }
    /// <summary>Risk score in [0, 1].</summary>
    public required double Score { get; init; }
    /// <summary>Reasons as a JSON array of <c>{code, message}</c>.</summary>
    public required string ReasonsJson { get; init; }
    /// <summary>Campaign ids as a JSON array of strings.</summary>
    public required string CampaignIdsJson { get; init; }
    /// <summary>
    /// Whether this decision flags the account for a forced password change (<c>true</c>: a login succeeded with a
    /// password the caller found breached), clears the flag (<c>false</c>: an accepted password change), or leaves it.
    /// </summary>
    /// <remarks>Applied in the same transaction as the decision, so the flag is exactly as durable as the answer.</remarks>
    public bool? PasswordChangeRequired { get; init; }
}

/// <summary>Durable flags on an account.</summary>
/// <param name="PasswordChangeRequired">The account must change its password (it logged in with a breached one).</param>
/// <param name="PasswordChangeRequiredSince">When the flag was (last) raised; null when not flagged.</param>
public sealed record AccountFlags(bool PasswordChangeRequired, DateTimeOffset? PasswordChangeRequiredSince)
{
    /// <summary>An account nobody flagged.</summary>
    public static AccountFlags None { get; } = new(false, null);
}

/// <summary>A device an account used, and whether it is trusted.</summary>
/// <param name="Device">The device id.</param>
/// <param name="FirstSeen">First successful login seen from it (or first trust).</param>
/// <param name="LastSeen">Latest successful login seen from it.</param>
/// <param name="Trusted">Whether it is trusted (a passed step-up or an operator's action).</param>
/// <param name="TrustedAt">When it was last trusted; null when never or no longer.</param>
public sealed record DeviceRecord(string Device, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, bool Trusted, DateTimeOffset? TrustedAt);

/// <summary>A trusted device with its owner, for re-teaching the signal store at start.</summary>
/// <param name="Account">Account.</param>
/// <param name="Tenant">Tenant; null for the default.</param>
/// <param name="Device">Device id.</param>
/// <param name="TrustedAt">When it was trusted.</param>
public sealed record TrustedDevice(string Account, string? Tenant, string Device, DateTimeOffset TrustedAt);

/// <summary>A campaign as archived: its identity for queries, and its full view as JSON.</summary>
public sealed record CampaignRecord
{
    /// <summary>Campaign id.</summary>
    public required string Id { get; init; }
    /// <summary>Kind wire name.</summary>
    public required string Kind { get; init; }
    /// <summary>Tenant, if scoped.</summary>
    public string? Tenant { get; init; }
    /// <summary>First attempt.</summary>
    public required DateTimeOffset FirstSeen { get; init; }
    /// <summary>Latest attempt.</summary>
    public required DateTimeOffset LastSeen { get; init; }
    /// <summary>Whether it was open when written.</summary>
    public required bool Open { get; init; }
    /// <summary>The API's JSON of the campaign.</summary>
    public required string Json { get; init; }
}

/// <summary>What an API key may do.</summary>
public enum ApiKeyScope : byte
{
    /// <summary>The login endpoints only: what the operator's login service needs.</summary>
    Assess,
    /// <summary>Everything: campaigns, accounts, device trust, metrics.</summary>
    Admin,
}

/// <summary>Wire names of <see cref="ApiKeyScope"/>.</summary>
public static class ApiKeyScopeNames
{
    /// <summary>The wire name.</summary>
    public static string ToWireName(this ApiKeyScope scope) => scope switch
    {
        ApiKeyScope.Assess => "assess",
        ApiKeyScope.Admin => "admin",
        _ => throw new System.Diagnostics.UnreachableException($"ApiKeyScope {scope} has no wire name."),
    };

    /// <summary>Parses a wire name.</summary>
    public static bool TryParse(string? text, out ApiKeyScope scope)
    {
        switch (text)
        {
            case "assess": scope = ApiKeyScope.Assess; return true;
            case "admin": scope = ApiKeyScope.Admin; return true;
            default: scope = default; return false;
        }
    }
}

/// <summary>An API key as stored: never the key, only its SHA-256.</summary>
/// <param name="Id">Public id (<c>key_…</c>), safe to log and show.</param>
/// <param name="Name">Operator's label.</param>
/// <param name="Scope">What it may do.</param>
/// <param name="Hash">SHA-256 of the key's UTF-8 bytes.</param>
/// <param name="Created">Creation time.</param>
/// <param name="Revoked">Revocation time; null while active.</param>
public sealed record ApiKeyRecord(string Id, string? Name, ApiKeyScope Scope, byte[] Hash, DateTimeOffset Created, DateTimeOffset? Revoked);

/// <summary>One administrative action, with the key that did it.</summary>
/// <param name="Time">When.</param>
/// <param name="KeyId">Acting key id (or <c>cli</c> for the local command line).</param>
/// <param name="Action">What, e.g. <c>device.trust</c>, <c>key.revoke</c>.</param>
/// <param name="Target">On what, e.g. the account and device.</param>
public sealed record AdminAction(DateTimeOffset Time, string KeyId, string Action, string Target);
