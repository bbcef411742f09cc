using Mamori.Server.Auth;
using Mamori.Server.Recording;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Server.Tests;

public sealed class PendingAssessmentsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TakenOnce_ThenGone()
    {
        var map = new PendingAssessments<string>(_time, TimeSpan.FromMinutes(1), 10);
        map.Add("a", "A");
        Assert.True(map.TryTake("a", out string? value));
        Assert.Equal("A", value);
        Assert.False(map.TryTake("a", out _));
        Assert.Equal(0, map.Count);
    }

    [Fact]
    public void OverCapacity_TheOldestGiveWay()
    {
        var map = new PendingAssessments<string>(_time, TimeSpan.FromMinutes(1), 3);
        foreach (string id in new[] { "1", "2", "3", "4", "5" }) map.Add(id, id);

        Assert.Equal(3, map.Count);
        Assert.False(map.TryTake("1", out _));
        Assert.False(map.TryTake("2", out _));
        Assert.True(map.TryTake("5", out _));
    }

    [Fact]
    public void Expired_IsNotReturnedAndIsPurgedByLaterAdds()
    {
        var map = new PendingAssessments<string>(_time, TimeSpan.FromMinutes(1), 100);
        map.Add("old", "x");
        _time.Advance(TimeSpan.FromMinutes(2));
        map.Add("new", "y");

        Assert.Equal(1, map.Count);
        Assert.False(map.TryTake("old", out _));
        Assert.True(map.TryTake("new", out _));
    }
}

public sealed class DeviceTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private readonly DeviceTokens _tokens = new(new byte[32], TimeSpan.FromDays(30));

    [Fact]
    public void Issued_ValidatesForItsAccountOnly()
    {
        (string token, DateTimeOffset expires) = _tokens.Issue("alice", "bank-a", "phone", Now);

        Assert.Equal(Now.AddDays(30), expires);
        Assert.True(_tokens.TryValidate(token, "alice", "bank-a", Now, out string? device));
        Assert.Equal("phone", device);
        Assert.False(_tokens.TryValidate(token, "bob", "bank-a", Now, out _));
        Assert.False(_tokens.TryValidate(token, "alice", null, Now, out _));
    }

    [Fact]
    public void Expired_Forged_OrOtherKey_Fail()
    {
        (string token, _) = _tokens.Issue("alice", null, "phone", Now);

        Assert.False(_tokens.TryValidate(token, "alice", null, Now.AddDays(31), out _));
        Assert.False(_tokens.TryValidate(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1], "alice", null, Now, out _));
        Assert.False(new DeviceTokens(Enumerable.Repeat((byte)7, 32).ToArray(), TimeSpan.FromDays(30)).TryValidate(token, "alice", null, Now, out _));
        Assert.False(_tokens.TryValidate("mdt1.!!!.???", "alice", null, Now, out _));
        Assert.False(_tokens.TryValidate("mdt1.", "alice", null, Now, out _));
    }

    [Fact]
    public void KeyFile_IsCreatedOwnerOnlyAndReused()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-dtk-").FullName;
        byte[] first = DeviceTokens.LoadOrCreateKey(folder)!;
        byte[] second = DeviceTokens.LoadOrCreateKey(folder)!;

        Assert.Equal(first, second);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, DeviceTokens.KeyFileName)));
        Directory.Delete(folder, recursive: true);
    }
}

public sealed class ApiKeyRegistryTests
{
    [Fact]
    public async Task Authenticate_MatchesOnlyActiveKeys()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-keys-").FullName;
        using var storage = new Storage.Sqlite.SqliteStorage(folder);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var registry = new ApiKeyRegistry(storage, time, TimeSpan.FromSeconds(5));
        (Storage.ApiKeyRecord assess, string assessKey) = ApiKeyFormat.Create(Storage.ApiKeyScope.Assess, null, time.GetUtcNow());
        (Storage.ApiKeyRecord admin, string adminKey) = ApiKeyFormat.Create(Storage.ApiKeyScope.Admin, null, time.GetUtcNow());
        await storage.AddAsync(assess);
        await storage.AddAsync(admin);
        await registry.RefreshAsync();

        Assert.True(registry.TryAuthenticate(assessKey, out ApiKeyIdentity a));
        Assert.Equal((assess.Id, Storage.ApiKeyScope.Assess), (a.KeyId, a.Scope));
        Assert.True(registry.TryAuthenticate(adminKey, out ApiKeyIdentity b));
        Assert.Equal(Storage.ApiKeyScope.Admin, b.Scope);
        Assert.False(registry.TryAuthenticate(adminKey.AsSpan(0, adminKey.Length - 1), out _));
        Assert.False(registry.TryAuthenticate(new string('x', 300), out _));

        await storage.RevokeAsync(assess.Id, time.GetUtcNow());
        await registry.RefreshAsync();
        Assert.False(registry.TryAuthenticate(assessKey, out _));
        storage.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task APinnedBootstrapKey_LastsOnlyUntilStorageAnswersWithKeys_EvenUnderAnotherId()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-keys-").FullName;
        using var storage = new Storage.Sqlite.SqliteStorage(folder);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        const string bootstrap = "audit-admin-key-0123456789abcdef";
        // The database knows this key, revoked; a node that could not read it at start pinned it under a fresh id.
        (Storage.ApiKeyRecord stored, _) = ApiKeyFormat.Create(Storage.ApiKeyScope.Admin, "bootstrap", time.GetUtcNow(), bootstrap);
        await storage.AddAsync(stored);
        await storage.RevokeAsync(stored.Id, time.GetUtcNow());
        (Storage.ApiKeyRecord other, string otherKey) = ApiKeyFormat.Create(Storage.ApiKeyScope.Admin, "admin2", time.GetUtcNow());
        await storage.AddAsync(other);
        var registry = new ApiKeyRegistry(storage, time, TimeSpan.FromSeconds(5));
        (Storage.ApiKeyRecord pinned, _) = ApiKeyFormat.Create(Storage.ApiKeyScope.Admin, "bootstrap", time.GetUtcNow(), bootstrap);
        Assert.NotEqual(stored.Id, pinned.Id);
        registry.Pin(pinned);

        await registry.RefreshAsync();   // storage answers (an authentication would start the same reload in the background)

        Assert.False(registry.TryAuthenticate(bootstrap, out _));
        Assert.True(registry.TryAuthenticate(otherKey, out _));
        storage.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task APinnedKey_StaysWhileStorageHoldsNoKeyAtAll()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-keys-").FullName;
        using var storage = new Storage.Sqlite.SqliteStorage(folder);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var registry = new ApiKeyRegistry(storage, time, TimeSpan.FromSeconds(5));
        (Storage.ApiKeyRecord pinned, string key) = ApiKeyFormat.Create(Storage.ApiKeyScope.Admin, "bootstrap", time.GetUtcNow());
        registry.Pin(pinned);

        await registry.RefreshAsync();

        Assert.True(registry.TryAuthenticate(key, out ApiKeyIdentity identity));
        Assert.Equal(Storage.ApiKeyScope.Admin, identity.Scope);
        storage.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
