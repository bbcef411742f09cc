using Mamori.State.Redis;
using StackExchange.Redis;

namespace Mamori.State.Tests.Support;

/// <summary>Redis stores for tests: each gets its own key prefix, so tests sharing a server never share state.</summary>
public static class StoreFactory
{
    /// <summary>The real Redis CI provides (host:port), or null locally.</summary>
    public static string? RealRedis => Environment.GetEnvironmentVariable("MAMORI_TEST_REDIS") is { Length: > 0 } value ? value : null;

    public const string NoRealRedis = "MAMORI_TEST_REDIS (host:port of a real Redis) is not set; .ci/services.sh sets it in CI.";

    /// <summary>The real Redis Cluster CI provides (host:port,host:port,… of its primaries), or null locally.</summary>
    public static string? RealCluster => Environment.GetEnvironmentVariable("MAMORI_TEST_REDIS_CLUSTER") is { Length: > 0 } value ? value : null;

    public const string NoRealCluster = "MAMORI_TEST_REDIS_CLUSTER (host:port,… of a Redis Cluster's primaries) is not set; .ci/services.sh starts a three-primary cluster and sets it in CI.";

    public static RedisSignalStore Create(MamoriOptions options, string endpoint, Action<RedisSignalStoreOptions>? configure = null)
    {
        var redis = new RedisSignalStoreOptions
        {
            Configuration = endpoint,
            KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..16],
            // Generous for a loaded test machine; the fault tests set their own.
            Timeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(redis);
        return RedisSignalStore.ConnectAsync(options, redis).GetAwaiter().GetResult();
    }

    /// <summary>A store with the given key layout.</summary>
    public static RedisSignalStore Create(MamoriOptions options, string endpoint, RedisKeyLayout layout) =>
        Create(options, endpoint, o => o.KeyLayout = layout);

    public static IDatabase Database(string endpoint) => ConnectionMultiplexer.Connect(endpoint).GetDatabase();
}
