namespace Mamori.Storage;

// Small contracts so a PostgreSQL implementation can follow the SQLite one without touching the server.
// Every method may throw when the medium fails; the server turns that into its failure policy.

/// <summary>The decision audit log.</summary>
public interface IDecisionLog
{
    /// <summary>Appends <paramref name="batch"/> in one durable transaction (and records the devices that succeeded).</summary>
    /// <remarks>Returns only once the batch is on disk: callers acknowledge decisions after this.</remarks>
    Task AppendAsync(IReadOnlyList<DecisionRecord> batch, CancellationToken cancellationToken = default);

    /// <summary>The account's most recent decisions, newest first.</summary>
    Task<IReadOnlyList<DecisionRecord>> RecentForAccountAsync(string account, string? tenant, int limit, CancellationToken cancellationToken = default);
}

/// <summary>Devices per account and their trust.</summary>
public interface IAccountRecords
{
    /// <summary>Marks a device trusted or not (creating it if new).</summary>
    Task SetDeviceTrustAsync(string account, string? tenant, string device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The account's devices, most recently seen first.</summary>
    Task<IReadOnlyList<DeviceRecord>> DevicesAsync(string account, string? tenant, CancellationToken cancellationToken = default);

    /// <summary>The account's durable flags (<see cref="AccountFlags.None"/> for an account never flagged).</summary>
    Task<AccountFlags> AccountFlagsAsync(string account, string? tenant, CancellationToken cancellationToken = default);

    /// <summary>Every trusted device (to re-teach the in-memory signals at start).</summary>
    Task<IReadOnlyList<TrustedDevice>> TrustedDevicesAsync(int limit, CancellationToken cancellationToken = default);
}

/// <summary>Campaigns: upserted when they open, archived when they close.</summary>
public interface ICampaignArchive
{
    /// <summary>Inserts or replaces a campaign.</summary>
    Task UpsertAsync(CampaignRecord campaign, CancellationToken cancellationToken = default);

    /// <summary>Finds one campaign.</summary>
    Task<CampaignRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The most recent campaigns, newest first.</summary>
    Task<IReadOnlyList<CampaignRecord>> ListAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence number among the stored ids a node numbered itself (<c>cmp-yyyyMMddTHHmm-0042</c>;
    /// 4–7 digits, never a shared directory's 8 hex digits), or 0: a restarted node numbers on from it, so a campaign
    /// opened in the same minute as an archived one never takes its id.</summary>
    Task<int> HighestCampaignSequenceAsync(CancellationToken cancellationToken = default);
}

/// <summary>API keys (hashed) and the audit of administrative actions.</summary>
public interface IApiKeyStore
{
    /// <summary>Stores a new key given by its SHA-256.</summary>
    Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>All keys, active and revoked, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Revokes a key; false when no active key has that id.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records an administrative action.</summary>
    Task AuditAsync(AdminAction action, CancellationToken cancellationToken = default);

    /// <summary>Administrative actions, newest first.</summary>
    Task<IReadOnlyList<AdminAction>> AuditLogAsync(int limit, CancellationToken cancellationToken = default);
}

/// <summary>Everything the server keeps durably, in one medium.</summary>
public interface IMamoriStorage : IDecisionLog, IAccountRecords, ICampaignArchive, IApiKeyStore, IDisposable
{
    /// <summary>Where the data lives, for logs and health (a path or a host, never a password).</summary>
    string Location { get; }

    /// <summary>Opens the medium now (creating and migrating the schema); throws when it is unusable.</summary>
    Task OpenAsync(CancellationToken cancellationToken = default);
}
