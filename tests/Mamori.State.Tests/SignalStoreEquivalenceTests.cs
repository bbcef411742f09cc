using Mamori.Signals;
using Mamori.State.Redis;
using Mamori.State.Tests.Support;

namespace Mamori.State.Tests;

/// <summary>
/// The Redis store must answer exactly as the embedded store for the same requests in the same order: same
/// windows, bitmaps, account histories, population and global baselines, so the engine decides the same — in both
/// key layouts (one atomic script; per-key scripts with the account-dependent writes sent after its answer) and on a
/// real cluster.
/// </summary>
public sealed class SignalStoreEquivalenceTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    private const int Steps = 4_000;

    [Fact]
    public async Task SameWorkload_OnGarnet_GivesIdenticalSnapshots()
    {
        await AssertEquivalentAsync(garnet.Endpoint, seed: 7, RedisKeyLayout.SingleSlot);
    }

    [Fact]
    public async Task SameWorkload_OnGarnetInTheSpreadLayout_GivesIdenticalSnapshots()
    {
        await AssertEquivalentAsync(garnet.Endpoint, seed: 9, RedisKeyLayout.Spread);
    }

    [SkippableFact]
    public async Task SameWorkload_OnRealRedis_GivesIdenticalSnapshots()
    {
        Skip.If(StoreFactory.RealRedis is null, StoreFactory.NoRealRedis);
        await AssertEquivalentAsync(StoreFactory.RealRedis!, seed: 8, RedisKeyLayout.SingleSlot);
    }

    [SkippableFact]
    public async Task SameWorkload_OnRealRedisInTheSpreadLayout_GivesIdenticalSnapshots()
    {
        Skip.If(StoreFactory.RealRedis is null, StoreFactory.NoRealRedis);
        await AssertEquivalentAsync(StoreFactory.RealRedis!, seed: 10, RedisKeyLayout.Spread);
    }

    [SkippableFact]
    public async Task SameWorkload_OnARedisCluster_GivesIdenticalSnapshots()
    {
        Skip.If(StoreFactory.RealCluster is null, StoreFactory.NoRealCluster);
        await AssertEquivalentAsync(StoreFactory.RealCluster!, seed: 11, RedisKeyLayout.Auto);
    }

    private static async Task AssertEquivalentAsync(string endpoint, int seed, RedisKeyLayout layout)
    {
        var options = new MamoriOptions();
        options.GlobalAnomaly.MinimumAttempts = 10;   // so baselines learn within the workload
        options.Familiarity.UnconfirmedLearnDays = 2;
        List<Step> steps = Workload.Generate(Steps, seed);
        var embedded = new InMemorySignalStore(options);
        using RedisSignalStore redis = StoreFactory.Create(options, endpoint, layout);

        List<SignalSnapshot> expected = await Workload.RunAsync(embedded, steps);
        List<SignalSnapshot> actual = await Workload.RunAsync(redis, steps);

        for (int i = 0; i < steps.Count; i++)
            Assert.True(expected[i] == actual[i], $"Step {i} ({steps[i]}) differs:\n embedded {expected[i]}\n redis    {actual[i]}");
        // The workload must exercise what it claims to, or equality proves little.
        Assert.True(expected.Exists(s => s.SecretFailedAccounts >= 20), "The workload never reached s.SecretFailedAccounts >= 20");
        Assert.True(expected.Exists(s => s.Ip.DistinctAccounts >= 20), "The workload never reached s.Ip.DistinctAccounts >= 20");
        Assert.True(expected.Exists(s => s.AccountUnfamiliarFailures >= 5), "The workload never reached s.AccountUnfamiliarFailures >= 5");
        Assert.True(expected.Exists(s => s.RepeatedWrongSecret), "The workload never reached s.RepeatedWrongSecret");
        Assert.True(expected.Exists(s => s.Familiarity.History >= 5), "The workload never reached s.Familiarity.History >= 5");
        Assert.True(expected.Exists(s => s.Familiarity.TrustedDevice), "The workload never reached s.Familiarity.TrustedDevice");
        Assert.True(expected.Exists(s => s.StepUpRequested), "The workload never reached s.StepUpRequested");
        Assert.True(expected.Exists(s => s.SecretExposedDay != 0), "The workload never reached s.SecretExposedDay != 0");
        Assert.True(expected.Exists(s => s.Global.BaselineBuckets >= 12), "The workload never reached s.Global.BaselineBuckets >= 12");
        Assert.True(expected.Exists(s => s.Global.PreviousAttempts > 0), "The workload never reached s.Global.PreviousAttempts > 0");
        Assert.True(expected.Exists(s => s.Ip.SuccessfulAccounts > 0), "The workload never reached s.Ip.SuccessfulAccounts > 0");
        Assert.True(expected.Exists(s => s.Device.UnfamiliarSuccessAccounts > 0), "The workload never reached s.Device.UnfamiliarSuccessAccounts > 0");
    }
}
