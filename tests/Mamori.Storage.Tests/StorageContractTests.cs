using Mamori.Storage;

namespace Mamori.Storage.Tests;

/// <summary>
/// What every <see cref="IMamoriStorage"/> must do, run against each engine (SQLite always; PostgreSQL when
/// MAMORI_TEST_POSTGRES names a server). Each test gets its own fresh database (SQLite file or PostgreSQL schema).
/// </summary>
public abstract class StorageContractTests : IDisposable
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private IMamoriStorage? _storage;

    /// <summary>A new store over this test's database (called again to reopen it).</summary>
    protected abstract IMamoriStorage Create();

    /// <summary>Skips the test when the engine's server is absent (SQLite never is).</summary>
    protected virtual void SkipUnlessAvailable() { }

    /// <summary>Runs SQL on this test's database directly, beside the store.</summary>
    protected abstract Task<object?> SqlAsync(string sql);

    /// <summary>The engine's latest schema version and its number of migration steps.</summary>
    protected abstract (int Latest, int Steps) Migrations { get; }

    /// <summary>The store under test (created on first use, after the skip check).</summary>
    protected IMamoriStorage Store
    {
        get
        {
            SkipUnlessAvailable();
            return _storage ??= Create();
        }
    }

    public virtual void Dispose()
    {
        _storage?.Dispose();
        GC.SuppressFinalize(this);
    }

    internal static DecisionRecord Record(string id, string account, string? tenant = null, string? outcome = null, string? device = null, DateTimeOffset? at = null) => new()
    {
        Time = at ?? T0, RequestId = id, Kind = outcome is null ? "assess" : "outcome", Account = account, Tenant = tenant, Ip = "192.0.2.1",
        Device = device, Outcome = outcome, Decision = "allow", Score = 0.25, ReasonsJson = """[{"code":"unfamiliar_environment","message":"new"}]""",
        CampaignIdsJson = """["cmp-1"]""",
    };

    [SkippableFact]
    public async Task Open_CreatesTheLatestSchema()
    {
        await Store.OpenAsync();

        Assert.Equal((long)Migrations.Latest, Convert.ToInt64(await SqlAsync("SELECT MAX(version) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public async Task Open_Twice_AppliesEachMigrationOnce()
    {
        await Store.OpenAsync();
        Store.Dispose();
        using (IMamoriStorage again = Create()) await again.OpenAsync();

        Assert.Equal((long)Migrations.Steps, Convert.ToInt64(await SqlAsync("SELECT COUNT(*) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public async Task Open_ANewerSchema_IsRefusedWithAClearMessage()
    {
        await Store.OpenAsync();
        Store.Dispose();
        await SqlAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (999, '2030-01-01')");

        using IMamoriStorage newer = Create();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.OpenAsync());
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Append_ThenRecent_GivesNewestFirstPerAccountAndTenant()
    {
        await Store.AppendAsync([Record("r1", "alice"), Record("r2", "alice", outcome: "success", device: "d1"), Record("r3", "alice", tenant: "bank-b"), Record("r4", "bob")]);

        IReadOnlyList<DecisionRecord> alice = await Store.RecentForAccountAsync("alice", null, 10);
        Assert.Equal(["r2", "r1"], alice.Select(r => r.RequestId).ToArray());
        Assert.Equal(Record("r2", "alice", outcome: "success", device: "d1"), alice[0]);
        Assert.Equal("r3", Assert.Single(await Store.RecentForAccountAsync("alice", "bank-b", 10)).RequestId);
        Assert.Single(await Store.RecentForAccountAsync("alice", null, 1));
    }

    [SkippableFact]
    public async Task Append_SuccessWithADevice_RecordsTheDeviceSeen()
    {
        await Store.AppendAsync([Record("r1", "alice", outcome: "success", device: "phone", at: T0), Record("r2", "alice", outcome: "wrong_secret", device: "attacker")]);
        await Store.AppendAsync([Record("r3", "alice", outcome: "success", device: "phone", at: T0.AddHours(1))]);

        DeviceRecord device = Assert.Single(await Store.DevicesAsync("alice", null));
        Assert.Equal(("phone", T0, T0.AddHours(1), false), (device.Device, device.FirstSeen, device.LastSeen, device.Trusted));
    }

    [SkippableFact]
    public async Task PasswordChangeFlag_RaisedKeepsItsFirstTime_ClearedForgetsIt_PerTenant()
    {
        Assert.Equal(AccountFlags.None, await Store.AccountFlagsAsync("alice", null));

        await Store.AppendAsync([Record("r1", "alice", outcome: "success", at: T0) with { PasswordChangeRequired = true }]);
        await Store.AppendAsync([Record("r2", "alice", outcome: "success", at: T0.AddHours(1)) with { PasswordChangeRequired = true },
            Record("r3", "alice", outcome: "success", at: T0.AddHours(2))]);
        Assert.Equal(new AccountFlags(true, T0), await Store.AccountFlagsAsync("alice", null));
        Assert.Equal(AccountFlags.None, await Store.AccountFlagsAsync("alice", "bank-b"));

        await Store.AppendAsync([Record("r4", "alice", at: T0.AddHours(3)) with { PasswordChangeRequired = false }]);
        Assert.Equal(new AccountFlags(false, null), await Store.AccountFlagsAsync("alice", null));

        await Store.AppendAsync([Record("r5", "alice", outcome: "success", at: T0.AddHours(4)) with { PasswordChangeRequired = true }]);
        Assert.Equal(new AccountFlags(true, T0.AddHours(4)), await Store.AccountFlagsAsync("alice", null));
    }

    [SkippableFact]
    public async Task DeviceTrust_SetAndCleared_IsListedForRestore()
    {
        await Store.SetDeviceTrustAsync("alice", "bank-a", "phone", true, T0);
        await Store.SetDeviceTrustAsync("bob", null, "pc", true, T0);
        await Store.SetDeviceTrustAsync("bob", null, "pc", false, T0.AddMinutes(1));

        DeviceRecord device = Assert.Single(await Store.DevicesAsync("alice", "bank-a"));
        Assert.True(device.Trusted);
        Assert.Equal(T0, device.TrustedAt);
        TrustedDevice trusted = Assert.Single(await Store.TrustedDevicesAsync(100));
        Assert.Equal(new TrustedDevice("alice", "bank-a", "phone", T0), trusted);
    }

    [SkippableFact]
    public async Task Campaigns_UpsertReplacesAndListsNewestFirst()
    {
        CampaignRecord Make(string id, DateTimeOffset first, bool open, string json) =>
            new() { Id = id, Kind = "password_spray", FirstSeen = first, LastSeen = first, Open = open, Json = json };
        await Store.UpsertAsync(Make("cmp-1", T0, true, "{\"v\":1}"));
        await Store.UpsertAsync(Make("cmp-2", T0.AddHours(1), true, "{}"));
        await Store.UpsertAsync(Make("cmp-1", T0, false, "{\"v\":2}"));

        CampaignRecord one = (await Store.GetAsync("cmp-1"))!;
        Assert.False(one.Open);
        Assert.Equal("{\"v\":2}", one.Json);
        Assert.Equal(["cmp-2", "cmp-1"], (await Store.ListAsync(10)).Select(c => c.Id).ToArray());
        Assert.Null(await Store.GetAsync("cmp-9"));
    }

    [SkippableFact]
    public async Task HighestCampaignSequence_ReadsTheNodesOwnNumbers_NotASharedDirectorysHexIds()
    {
        CampaignRecord Make(string id) => new() { Id = id, Kind = "brute_force", FirstSeen = T0, LastSeen = T0, Open = false, Json = "{}" };
        Assert.Equal(0, await Store.HighestCampaignSequenceAsync());
        await Store.UpsertAsync(Make("cmp-20261203T1307-0002"));
        await Store.UpsertAsync(Make("cmp-20200101T0000-0917"));      // an older minute, a later number: still the highest
        await Store.UpsertAsync(Make("cmp-20261203T1308-12345678"));   // a shared directory's id (8 hex digits)
        await Store.UpsertAsync(Make("cmp-20261203T1308-9f3a0c11"));
        await Store.UpsertAsync(Make("cmp-1"));

        Assert.Equal(917, await Store.HighestCampaignSequenceAsync());
        await Store.UpsertAsync(Make("cmp-20261203T1309-10001"));     // past four digits
        Assert.Equal(10_001, await Store.HighestCampaignSequenceAsync());
    }

    [SkippableFact]
    public async Task ApiKeys_AddListRevoke_AndAudit()
    {
        var key = new ApiKeyRecord("key_1", "login", ApiKeyScope.Assess, new byte[32], T0, null);
        await Store.AddAsync(key);
        IApiKeyStore keys = Store;

        Assert.Equal(key with { Hash = key.Hash }, Assert.Single(await keys.ListAsync()), new KeyComparer());
        Assert.True(await keys.RevokeAsync("key_1", T0.AddDays(1)));
        Assert.False(await keys.RevokeAsync("key_1", T0.AddDays(2)));   // already revoked
        Assert.Equal(T0.AddDays(1), Assert.Single(await keys.ListAsync()).Revoked);

        await keys.AuditAsync(new AdminAction(T0, "cli", "key.revoke", "key_1"));
        Assert.Equal("key.revoke", Assert.Single(await keys.AuditLogAsync(5)).Action);
    }

    private sealed class KeyComparer : IEqualityComparer<ApiKeyRecord>
    {
        public bool Equals(ApiKeyRecord? x, ApiKeyRecord? y) => x is not null && y is not null && x.Id == y.Id && x.Name == y.Name &&
            x.Scope == y.Scope && x.Hash.SequenceEqual(y.Hash) && x.Created == y.Created && x.Revoked == y.Revoked;
        public int GetHashCode(ApiKeyRecord obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Data_SurvivesReopening()
    {
        await Store.AppendAsync([Record("r1", "alice")]);
        Store.Dispose();
        using IMamoriStorage reopened = Create();
        Assert.Single(await reopened.RecentForAccountAsync("alice", null, 10));
    }
}
