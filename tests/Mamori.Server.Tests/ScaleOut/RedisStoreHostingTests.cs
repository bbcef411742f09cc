using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Mamori.Server.Hosting;
using Mamori.Server.Recording;
using Mamori.Signals;
using Mamori.State.Redis;
using Mamori.Storage;
using Mamori.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace Mamori.Server.Tests.ScaleOut;

/// <summary>The server on <c>Mamori:Server:Store = redis://…</c>, in process: what it registers, and how it starts.</summary>
public sealed class RedisStoreHostingTests
{
    [Theory]
    [InlineData("redis://")]
    [InlineData("redis://cache:port")]
    [InlineData("redis://10.0.0.7:6379/0")]
    [InlineData("rediss://127.0.0.1:6380")]   // would have been read as a host named "rediss"
    [InlineData("http://127.0.0.1:6379")]
    public void MalformedStoreAddress_StopsTheStartWithAMessageNamingIt(string address)
    {
        var error = Assert.Throws<ArgumentException>(() => SignalStoreSelection.RedisOptions(address, new ConfigurationBuilder().Build()));
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACredentialInARedisUrl_StopsTheStart_WithoutRepeatingThePassword()
    {
        var error = Assert.Throws<ArgumentException>(() => SignalStoreSelection.RedisOptions("redis://mamori:s3cret-pw@10.0.0.7:6379", new ConfigurationBuilder().Build()));
        Assert.Contains("password=", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadRedisOption_StopsTheStartNamingIt()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Mamori:Redis:KeyPrefix"] = "has space", ["Mamori:Redis:Timeout"] = "00:01:00" })
            .Build();
        var error = Assert.Throws<ArgumentException>(() => SignalStoreSelection.RedisOptions("redis://127.0.0.1:6379", configuration));
        Assert.Contains("KeyPrefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("Timeout", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("memory", true)]
    [InlineData(" Memory ", true)]
    [InlineData("redis://127.0.0.1:6379", false)]
    public void StoreSetting_MemoryUnlessAnAddress(string? store, bool memory) => Assert.Equal(memory, SignalStoreSelection.IsMemory(store));

    [Fact]
    public async Task StoreUnreachableAtStart_WithTrustedDevicesToReteach_BlamesTheSignalStoreNotTheDatabase()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-reteach-").FullName;
        using (var storage = new Mamori.Storage.Sqlite.SqliteStorage(folder))
        {
            await storage.OpenAsync();
            await storage.SetDeviceTrustAsync("alice", null, "phone-1", true, DateTimeOffset.UtcNow);
        }
        using var factory = new MamoriFactory { DataPath = folder, CaptureLogs = true };
        factory.Settings["Mamori:Server:Store"] = $"redis://127.0.0.1:{ServeNodes.FreePort()}";
        await factory.CreateClient().GetJsonAsync("/healthz");

        var logs = factory.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id == 419);
        Assert.DoesNotContain(logs, r => r.Id.Id == 405);   // "Storage at … is unavailable": the database was fine
    }

    [Fact]
    public async Task StoreUnreachable_NodeStartsDegradedAndAnswersByTheFailMode()
    {
        using var factory = new MamoriFactory();
        factory.Settings["Mamori:Server:Store"] = $"redis://127.0.0.1:{ServeNodes.FreePort()}";
        HttpClient client = factory.Admin();

        JsonElement answer = await client.PostJsonAsync("/v1/login/assess", """{"account":"alice","ip":"192.0.2.1"}""");
        JsonElement health = await client.GetJsonAsync("/healthz");

        Assert.IsType<RedisSignalStore>(factory.Services.GetRequiredService<ISignalStore>());
        Assert.Equal("challenge", answer.GetProperty("decision").GetString());
        Assert.Equal("signal_store_unavailable", answer.ReasonCodes()[0]);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Contains(health.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("signals:", StringComparison.Ordinal));
        Assert.False(factory.Services.GetRequiredService<ISignalSnapshotter>().IsSupported);   // Redis holds the signals
    }

    [SkippableFact]
    public async Task RedisStore_RestartOnTheSameFolder_ReteachesTrustedDevicesIntoRedis()
    {
        using SharedRedis? redis = SharedRedis.TryCreate(out string why);
        Skip.If(redis is null, why);
        string data = Directory.CreateTempSubdirectory("mamori-redis-host-").FullName;
        string prefix = "host-" + Guid.NewGuid().ToString("N")[..12];
        using (var first = new MamoriFactory { DataPath = data, KeepData = true })
        {
            first.Settings["Mamori:Server:Store"] = "redis://" + redis!.Endpoint;
            first.Settings["Mamori:Redis:KeyPrefix"] = prefix + "-first";
            first.Settings["Mamori:Redis:Timeout"] = "00:00:02";
            using HttpResponseMessage trusted = await first.Admin().PutAsync("/v1/accounts/alice/devices/laptop-7/trust", null);
            Assert.True(trusted.IsSuccessStatusCode);
        }

        // A new node (an empty prefix stands for a Redis that lost its data) learns the trust from the database at start.
        using var second = new MamoriFactory { DataPath = data };
        second.Settings["Mamori:Server:Store"] = "redis://" + redis.Endpoint;
        second.Settings["Mamori:Redis:KeyPrefix"] = prefix + "-second";
        second.Settings["Mamori:Redis:Timeout"] = "00:00:02";
        JsonElement health = await second.Admin().GetJsonAsync("/healthz");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        IServer server = connection.GetServer(connection.GetEndPoints()[0]);
        Assert.Single(Keys(server, "{" + prefix + "-second}:a:*"));   // alice's account record, with the trusted device
        Assert.False(File.Exists(Path.Combine(data, StreamSignalSnapshotter.FileName)));
    }

    [SkippableFact]
    public async Task APreAuthOnRedis_WaitsForItsOutcome_AndAnUnansweredOneIsCountedWhenTheNodeStops()
    {
        using SharedRedis? redis = SharedRedis.TryCreate(out string why);
        Skip.If(redis is null, why);
        string prefix = "wait-" + Guid.NewGuid().ToString("N")[..12];
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(redis!.Endpoint);
        IServer server = connection.GetServer(connection.GetEndPoints()[0]);
        using (var node = new MamoriFactory())
        {
            node.Settings["Mamori:Server:Store"] = "redis://" + redis.Endpoint;
            node.Settings["Mamori:Redis:KeyPrefix"] = prefix;
            node.Settings["Mamori:Redis:Timeout"] = "00:00:02";
            node.Settings["Mamori:Redis:AttemptWait"] = "00:01:00";   // longer than the test: only the outcome or the stop sends it
            HttpClient admin = node.Admin();
            JsonElement answered = await admin.PostJsonAsync("/v1/login/assess", """{"account":"alice","ip":"192.0.2.1"}""");
            await admin.PostJsonAsync("/v1/login/assess", """{"account":"bob","ip":"198.51.100.7"}""");
            string waiting = await (await admin.GetAsync("/metrics")).Content.ReadAsStringAsync();
            Assert.Empty(Keys(server, "{" + prefix + "}:s:*"));   // the pre-auths only read

            string id = answered.GetProperty("request_id").GetString()!;
            await admin.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{id}}","outcome":"wrong_secret"}""");
            string counted = await (await admin.GetAsync("/metrics")).Content.ReadAsStringAsync();

            Assert.Contains("mamori_redis_waiting_attempts 2\n", waiting, StringComparison.Ordinal);
            Assert.Contains("mamori_redis_waiting_attempts 1\n", counted, StringComparison.Ordinal);   // alice's went with its outcome
            Assert.Equal(2, Keys(server, "{" + prefix + "}:s:*").Count());   // alice's address and its /24
            Assert.Contains("mamori_redis_attempts_sent_alone 0\n", counted, StringComparison.Ordinal);
        }

        // Stopped with bob's pre-auth unanswered: the node sent it as it stopped.
        Assert.Equal(4, Keys(server, "{" + prefix + "}:s:*").Count());
    }

    /// <summary>The keys matching <paramref name="pattern"/>, in one SCAN call (a count read at one moment, on a Redis
    /// other tests fill with thousands of keys).</summary>
    /// <remarks>This once looked like a fix for a missed key; the cause was the stop's count still on its way when the
    /// test looked (now awaited by the server's stop: <see cref="ISignalStore.FlushAsync"/>).</remarks>
    internal static IEnumerable<RedisKey> Keys(IServer server, string pattern) => server.Keys(pattern: pattern, pageSize: 1_000_000);
}

/// <summary>A real redis-server restarted empty under a running node: the node re-teaches its trusted devices.</summary>
public sealed class RedisRestartTrustTests
{
    /// <summary>A store that forwards every call to a real one, except that the first read of the trusted devices after
    /// <see cref="Arm"/> fails (the database briefly away, as a busy CI once made a Redis that was just back).</summary>
    public class FirstTrustReadAfterArmFails : DispatchProxy
    {
        private IMamoriStorage _inner = null!;
        private int _armed;

        public static (IMamoriStorage Storage, FirstTrustReadAfterArmFails Control) Wrap(IMamoriStorage inner)
        {
            IMamoriStorage proxy = Create<IMamoriStorage, FirstTrustReadAfterArmFails>();
            var control = (FirstTrustReadAfterArmFails)(object)proxy;
            control._inner = inner;
            return (proxy, control);
        }

        public void Arm() => Volatile.Write(ref _armed, 1);

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(IMamoriStorage.TrustedDevicesAsync) && Interlocked.Exchange(ref _armed, 0) == 1)
                return Task.FromException<IReadOnlyList<TrustedDevice>>(new IOException("connection refused"));
            try
            {
                return method.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]   // the first pass fails: it is tried again, not left for a reconnection that may never come
    public async Task RedisRestartedEmpty_NodeReteachesTrustedDevicesWithoutARestart(bool firstPassFails)
    {
        string? binary = RedisProcess.FindBinary();
        Skip.If(binary is null, "redis-server is not installed (.ci/services.sh installs it in CI).");
        using RedisProcess redis = RedisProcess.Start(binary!);
        string prefix = "reteach-" + Guid.NewGuid().ToString("N")[..12];
        string folder = Directory.CreateTempSubdirectory("mamori-reteach-").FullName;
        (IMamoriStorage storage, FirstTrustReadAfterArmFails control) = FirstTrustReadAfterArmFails.Wrap(new SqliteStorage(folder));
        using var factory = new MamoriFactory { DataPath = folder, Storage = storage };
        factory.Settings["Mamori:Server:Store"] = $"redis://127.0.0.1:{redis.Port}";
        factory.Settings["Mamori:Redis:KeyPrefix"] = prefix;
        factory.Settings["Mamori:Redis:Timeout"] = "00:00:02";
        HttpClient admin = factory.Admin();
        using (HttpResponseMessage trusted = await admin.PutAsync("/v1/accounts/alice/devices/laptop-7/trust", null))
            Assert.True(trusted.IsSuccessStatusCode);

        if (firstPassFails) control.Arm();
        redis.Kill();
        redis.Start();   // empty: no persistence

        // Bounded poll (30 s): the node reconnects by itself and writes alice's record (with the trusted device) again.
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        IServer server = connection.GetServer(connection.GetEndPoints()[0]);
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        int found = 0;
        for (int i = 0; i < 300 && found == 0; i++)
        {
            found = RedisStoreHostingTests.Keys(server, "{" + prefix + "}:a:*").Count();
            if (found == 0) await pace.WaitForNextTickAsync();
        }
        Assert.Equal(1, found);
    }
}
