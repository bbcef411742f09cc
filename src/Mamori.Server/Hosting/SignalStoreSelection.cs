using Mamori.Campaigns;
using Mamori.Signals;
using Mamori.State.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Mamori.Server.Hosting;

/// <summary>
/// Chooses where signals and open campaigns live from <c>Mamori:Server:Store</c>: <c>memory</c> (the embedded
/// default, registered by <see cref="MamoriServerHost.AddMamoriServer"/>) or a Redis-protocol server shared by every node.
/// </summary>
public static class SignalStoreSelection
{
    /// <summary>Configuration section of the Redis options (<see cref="RedisSignalStoreOptions"/>: Timeout, KeyPrefix,
    /// LocalFallback, AccountRetention). <c>Mamori:Server:Store</c> sets its address.</summary>
    public const string RedisSection = "Mamori:Redis";

    /// <summary>Whether <paramref name="store"/> names the in-process store.</summary>
    public static bool IsMemory(string? store) =>
        string.IsNullOrWhiteSpace(store) || string.Equals(store.Trim(), ServerSettings.MemoryStore, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the Redis options for <paramref name="store"/> from <paramref name="configuration"/> and checks
    /// them, so a bad address or option stops the start with a message naming it.</summary>
    /// <exception cref="ArgumentException">An option or the address is invalid.</exception>
    public static RedisSignalStoreOptions RedisOptions(string store, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new RedisSignalStoreOptions();
        configuration.GetSection(RedisSection).Bind(options);
        options.Configuration = store.Trim();
        options.Validate();
        _ = RedisConnection.Configuration(options);   // throws a clear error for a malformed address
        return options;
    }

    /// <summary>With a Redis store configured, registers the Redis signal store, the shared campaign directory and a
    /// tracker over it (before the embedded defaults, which are then skipped). Signal snapshots are off: the
    /// snapshotter sees no in-memory store.</summary>
    public static void AddConfiguredSignalStore(IServiceCollection services, IConfiguration configuration)
    {
        string? store = configuration[$"{ServerSettings.Section}:Store"];
        if (IsMemory(store)) return;
        RedisSignalStoreOptions redis = RedisOptions(store!, configuration);
        services.TryAddSingleton(redis);
        // One connection for signals and campaigns; the container disposes it. Never waits for the server: the
        // connection comes up (and back) by itself, and /healthz says degraded meanwhile.
        services.TryAddSingleton<IConnectionMultiplexer>(_ => RedisConnection.ConnectAsync(redis).GetAwaiter().GetResult());
        services.TryAddSingleton(sp =>
        {
            var signals = new RedisSignalStore(sp.GetRequiredService<IOptions<MamoriOptions>>().Value, redis,
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<TimeProvider>());
            _ = signals.PrepareAsync();   // best effort: loads the scripts if the server is up; reloaded on reconnection
            return signals;
        });
        services.TryAddSingleton<ISignalStore>(sp => sp.GetRequiredService<RedisSignalStore>());
        services.TryAddSingleton<ICampaignDirectory>(sp => new RedisCampaignDirectory(
            sp.GetRequiredService<IOptions<MamoriOptions>>().Value.Campaigns, redis, sp.GetRequiredService<IConnectionMultiplexer>()));
        services.TryAddSingleton(sp => new CampaignTracker(sp.GetRequiredService<IOptions<MamoriOptions>>().Value.Campaigns,
            sp.GetRequiredService<ICampaignDirectory>()));
        services.AddHostedService<TrustReteacher>();
    }
}
