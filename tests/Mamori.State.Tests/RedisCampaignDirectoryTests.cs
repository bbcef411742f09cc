using Mamori.Campaigns;
using Mamori.State.Redis;
using Mamori.State.Tests.Support;
using StackExchange.Redis;

namespace Mamori.State.Tests;

/// <summary>
/// The Redis campaign directory on a real RESP server (in-process Garnet; a real Redis when MAMORI_TEST_REDIS is
/// set): two nodes get one id for one key, counts from both are read by either, exactly one archives, and an
/// unreachable server never fails a login (the node's own proposal stands).
/// </summary>
public sealed class RedisCampaignDirectoryTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow;
    private static readonly CampaignOptions Campaigns = new() { QuietPeriod = TimeSpan.FromMinutes(30) };

    private readonly GarnetFixture? _garnet;
    private readonly string _endpoint;
    private readonly RedisSignalStoreOptions _options;
    private readonly List<ConnectionMultiplexer> _connections = [];

    public RedisCampaignDirectoryTests()
    {
        string? external = Environment.GetEnvironmentVariable("MAMORI_TEST_REDIS");
        if (string.IsNullOrEmpty(external)) _garnet = new GarnetFixture();
        _endpoint = string.IsNullOrEmpty(external) ? _garnet!.Endpoint : external;
        _options = new RedisSignalStoreOptions { Configuration = _endpoint, KeyPrefix = "cd-" + Guid.NewGuid().ToString("N")[..10], Timeout = TimeSpan.FromSeconds(2) };
    }

    public void Dispose()
    {
        foreach (ConnectionMultiplexer c in _connections) c.Dispose();
        _garnet?.Dispose();
    }

    private async Task<RedisCampaignDirectory> NodeAsync()
    {
        ConnectionMultiplexer connection = await RedisConnection.ConnectAsync(_options);
        _connections.Add(connection);
        return new RedisCampaignDirectory(Campaigns, _options, connection);
    }

    [Fact]
    public async Task TwoNodesOpenOneKey_BothGetTheFirstProposal()
    {
        RedisCampaignDirectory a = await NodeAsync(), b = await NodeAsync();

        string onA = a.OpenOrGet(CampaignKind.PasswordSpray, 42, "cmp-a", T0);
        string onB = b.OpenOrGet(CampaignKind.PasswordSpray, 42, "cmp-b", T0.AddMinutes(1));
        string other = b.OpenOrGet(CampaignKind.BruteForce, 42, "cmp-c", T0);

        Assert.Equal("cmp-a", onA);
        Assert.Equal("cmp-a", onB);
        Assert.Equal("cmp-c", other);
    }

    [Fact]
    public async Task CountsFromBothNodes_AreReadTheSameByEither()
    {
        RedisCampaignDirectory a = await NodeAsync(), b = await NodeAsync();
        string id = a.OpenOrGet(CampaignKind.PasswordSpray, 7, "cmp-x", T0);
        // The counts Counted sends fire-and-forget, awaited here: one may land after a read sent later on the same
        // connection (about one run in six, when this test read right after firing them).
        for (int i = 0; i < 30; i++)
            await (i % 2 == 0 ? a : b).CountAsync(id, CampaignKind.PasswordSpray, 7, "bank", (ulong)(i % 20) + 1, T0.AddSeconds(i), CommandFlags.None);

        IReadOnlyList<SharedCampaign> readByA = await a.ReadAsync([id]);
        IReadOnlyList<SharedCampaign> readByB = await b.ReadAsync([id, "cmp-unknown"]);

        SharedCampaign c = Assert.Single(readByA);
        Assert.Equal(c, Assert.Single(readByB));
        Assert.Equal(30, c.Attempts);
        Assert.Equal(20, c.AccountsTargeted);   // HyperLogLog is exact at this size
        Assert.Equal("bank", c.Tenant);
        Assert.Equal(CampaignKind.PasswordSpray, c.Kind);
        Assert.Equal(T0.ToUnixTimeMilliseconds(), c.FirstSeen.ToUnixTimeMilliseconds());
        Assert.Equal(T0.AddSeconds(29).ToUnixTimeMilliseconds(), c.LastSeen.ToUnixTimeMilliseconds());
        Assert.Equal([id], (await b.OpenAsync(T0.AddSeconds(30), 10)).Select(s => s.Id));
    }

    [Fact]
    public async Task ClosedCampaign_IsArchivedByExactlyOneNode_AndNotWhileAnotherStillCounts()
    {
        RedisCampaignDirectory a = await NodeAsync(), b = await NodeAsync();
        string id = a.OpenOrGet(CampaignKind.CredentialStuffing, 1, "cmp-s", T0);
        a.Counted(id, CampaignKind.CredentialStuffing, 1, null, 1, T0);
        await a.ReadAsync([id]);   // the count has landed
        b.Counted(id, CampaignKind.CredentialStuffing, 1, null, 2, T0.AddMinutes(20));
        await b.ReadAsync([id]);

        // Quiet on A since T0, but B counted at +20 min: not closed yet.
        Assert.False(a.TryClaimArchive(id, T0 + Campaigns.QuietPeriod + TimeSpan.FromMinutes(1)));
        DateTimeOffset quietEverywhere = T0.AddMinutes(20) + Campaigns.QuietPeriod + TimeSpan.FromMinutes(1);
        bool[] claims = [a.TryClaimArchive(id, quietEverywhere), b.TryClaimArchive(id, quietEverywhere), a.TryClaimArchive(id, quietEverywhere)];

        Assert.Equal([true, false, false], claims);
        Assert.Empty(await a.OpenAsync(quietEverywhere, 10));
    }

    [Fact]
    public async Task ServerUnreachable_OpensWithTheNodesProposalAndNeverThrowsOnTheLoginPath()
    {
        var options = new RedisSignalStoreOptions { Configuration = $"127.0.0.1:{GarnetFixture.FreePort()}", KeyPrefix = "down", Timeout = TimeSpan.FromMilliseconds(50) };
        using ConnectionMultiplexer connection = await RedisConnection.ConnectAsync(options);
        var directory = new RedisCampaignDirectory(Campaigns, options, connection);

        Assert.Equal("cmp-local", directory.OpenOrGet(CampaignKind.PasswordSpray, 1, "cmp-local", T0));
        directory.Counted("cmp-local", CampaignKind.PasswordSpray, 1, null, 1, T0);
        Assert.True(directory.TryClaimArchive("cmp-local", T0.AddHours(1)));   // better twice than never: the archive upserts by id
        await Assert.ThrowsAsync<SignalStoreUnavailableException>(() => directory.ReadAsync(["cmp-local"]).AsTask());
    }

    [Theory]
    [InlineData("redis://")]
    [InlineData("redis://host:port")]
    [InlineData("redis://10.0.0.7:6379/extra")]
    [InlineData("redis://10.0.0.7:99999")]
    public void MalformedAddress_IsRefusedWithAMessageNamingIt(string address)
    {
        var error = Assert.Throws<ArgumentException>(() => RedisConnection.Configuration(new RedisSignalStoreOptions { Configuration = address }));
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis://10.0.0.7:6380", "10.0.0.7:6380")]
    [InlineData("redis://cache.internal", "cache.internal:6379")]
    [InlineData("10.0.0.7:6379,password=secret", "10.0.0.7:6379")]
    public void WellFormedAddress_NamesItsServer(string address, string endpoint)
    {
        ConfigurationOptions configuration = RedisConnection.Configuration(new RedisSignalStoreOptions { Configuration = address });
        Assert.Equal(endpoint, Assert.Single(configuration.EndPoints).ToString()!.Replace("Unspecified/", "", StringComparison.Ordinal));
    }
}
