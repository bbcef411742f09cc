using Mamori.Storage;
using Mamori.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Mamori.Storage.Tests;

public sealed class SqliteStorageTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("mamori-storage-").FullName;
    private readonly SqliteStorage _storage;

    public SqliteStorageTests() => _storage = new SqliteStorage(_folder);

    public void Dispose()
    {
        _storage.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    internal static DecisionRecord Record(string id, string account, string? tenant = null, string? outcome = null, string? device = null, DateTimeOffset? at = null) => new()
    {
        Time = at ?? T0, RequestId = id, Kind = outcome is null ? "assess" : "outcome", Account = account, Tenant = tenant, Ip = "192.0.2.1",
        Device = device, Outcome = outcome, Decision = "allow", Score = 0.25, ReasonsJson = """[{"code":"unfamiliar_environment","message":"new"}]""",
        CampaignIdsJson = """["cmp-1"]""",
    };

    private string Pragma(string name)
    {
        using var c = new SqliteConnection($"Data Source={_storage.DatabasePath};Pooling=False");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = $"PRAGMA {name}";
        return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public async Task Open_CreatesTheSchemaInWalMode()
    {
        await _storage.OpenAsync();

        Assert.Equal(SqliteMigrations.Latest, await _storage.SchemaVersionAsync());
        Assert.Equal("wal", Pragma("journal_mode"));
    }

    [Fact]
    public async Task Open_Twice_AppliesEachMigrationOnce()
    {
        await _storage.OpenAsync();
        _storage.Dispose();
        using var again = new SqliteStorage(_folder);
        await again.OpenAsync();

        using var c = new SqliteConnection($"Data Source={_storage.DatabasePath};Pooling=False");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM schema_migrations";
        Assert.Equal((long)SqliteMigrations.Steps.Length, (long)cmd.ExecuteScalar()!);
    }

    [Fact]
    public async Task Open_ANewerSchema_IsRefusedWithAClearMessage()
    {
        await _storage.OpenAsync();
        _storage.Dispose();
        using (var c = new SqliteConnection($"Data Source={_storage.DatabasePath};Pooling=False"))
        {
            c.Open();
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO schema_migrations VALUES (999, '2030-01-01')";
            cmd.ExecuteNonQuery();
        }
        using var newer = new SqliteStorage(_folder);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.OpenAsync());
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_UnderARegularFile_Throws()
    {
        string file = Path.Combine(_folder, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        using var broken = new SqliteStorage(Path.Combine(file, "data"));
        await Assert.ThrowsAnyAsync<IOException>(() => broken.OpenAsync());
    }

    [Fact]
    public async Task Append_ThenRecent_GivesNewestFirstPerAccountAndTenant()
    {
        await _storage.AppendAsync([Record("r1", "alice"), Record("r2", "alice", outcome: "success", device: "d1"), Record("r3", "alice", tenant: "bank-b"), Record("r4", "bob")]);

        IReadOnlyList<DecisionRecord> alice = await _storage.RecentForAccountAsync("alice", null, 10);
        Assert.Equal(["r2", "r1"], alice.Select(r => r.RequestId).ToArray());
        Assert.Equal(Record("r2", "alice", outcome: "success", device: "d1"), alice[0]);
        Assert.Equal("r3", Assert.Single(await _storage.RecentForAccountAsync("alice", "bank-b", 10)).RequestId);
        Assert.Single(await _storage.RecentForAccountAsync("alice", null, 1));
    }

    [Fact]
    public async Task Append_SuccessWithADevice_RecordsTheDeviceSeen()
    {
        await _storage.AppendAsync([Record("r1", "alice", outcome: "success", device: "phone", at: T0), Record("r2", "alice", outcome: "wrong_secret", device: "attacker")]);
        await _storage.AppendAsync([Record("r3", "alice", outcome: "success", device: "phone", at: T0.AddHours(1))]);

        DeviceRecord device = Assert.Single(await _storage.DevicesAsync("alice", null));
        Assert.Equal(("phone", T0, T0.AddHours(1), false), (device.Device, device.FirstSeen, device.LastSeen, device.Trusted));
    }

    [Fact]
    public async Task PasswordChangeFlag_RaisedKeepsItsFirstTime_ClearedForgetsIt_PerTenant()
    {
        Assert.Equal(AccountFlags.None, await _storage.AccountFlagsAsync("alice", null));

        await _storage.AppendAsync([Record("r1", "alice", outcome: "success", at: T0) with { PasswordChangeRequired = true }]);
        await _storage.AppendAsync([Record("r2", "alice", outcome: "success", at: T0.AddHours(1)) with { PasswordChangeRequired = true },
            Record("r3", "alice", outcome: "success", at: T0.AddHours(2))]);
        Assert.Equal(new AccountFlags(true, T0), await _storage.AccountFlagsAsync("alice", null));
        Assert.Equal(AccountFlags.None, await _storage.AccountFlagsAsync("alice", "bank-b"));

        await _storage.AppendAsync([Record("r4", "alice", at: T0.AddHours(3)) with { PasswordChangeRequired = false }]);
        Assert.Equal(new AccountFlags(false, null), await _storage.AccountFlagsAsync("alice", null));

        await _storage.AppendAsync([Record("r5", "alice", outcome: "success", at: T0.AddHours(4)) with { PasswordChangeRequired = true }]);
        Assert.Equal(new AccountFlags(true, T0.AddHours(4)), await _storage.AccountFlagsAsync("alice", null));
    }

    [Fact]
    public async Task DeviceTrust_SetAndCleared_IsListedForRestore()
    {
        await _storage.SetDeviceTrustAsync("alice", "bank-a", "phone", true, T0);
        await _storage.SetDeviceTrustAsync("bob", null, "pc", true, T0);
        await _storage.SetDeviceTrustAsync("bob", null, "pc", false, T0.AddMinutes(1));

        DeviceRecord device = Assert.Single(await _storage.DevicesAsync("alice", "bank-a"));
        Assert.True(device.Trusted);
        Assert.Equal(T0, device.TrustedAt);
        TrustedDevice trusted = Assert.Single(await _storage.TrustedDevicesAsync(100));
        Assert.Equal(new TrustedDevice("alice", "bank-a", "phone", T0), trusted);
    }

    [Fact]
    public async Task Campaigns_UpsertReplacesAndListsNewestFirst()
    {
        CampaignRecord Make(string id, DateTimeOffset first, bool open, string json) =>
            new() { Id = id, Kind = "password_spray", FirstSeen = first, LastSeen = first, Open = open, Json = json };
        await _storage.UpsertAsync(Make("cmp-1", T0, true, "{\"v\":1}"));
        await _storage.UpsertAsync(Make("cmp-2", T0.AddHours(1), true, "{}"));
        await _storage.UpsertAsync(Make("cmp-1", T0, false, "{\"v\":2}"));

        CampaignRecord one = (await _storage.GetAsync("cmp-1"))!;
        Assert.False(one.Open);
        Assert.Equal("{\"v\":2}", one.Json);
        Assert.Equal(["cmp-2", "cmp-1"], (await _storage.ListAsync(10)).Select(c => c.Id).ToArray());
        Assert.Null(await _storage.GetAsync("cmp-9"));
    }

    [Fact]
    public async Task ApiKeys_AddListRevoke_AndAudit()
    {
        var key = new ApiKeyRecord("key_1", "login", ApiKeyScope.Assess, new byte[32], T0, null);
        await _storage.AddAsync(key);
        IApiKeyStore keys = _storage;

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

    [Fact]
    public async Task Data_SurvivesReopening()
    {
        await _storage.AppendAsync([Record("r1", "alice")]);
        _storage.Dispose();
        using var reopened = new SqliteStorage(_folder);
        Assert.Single(await reopened.RecentForAccountAsync("alice", null, 10));
    }
}
