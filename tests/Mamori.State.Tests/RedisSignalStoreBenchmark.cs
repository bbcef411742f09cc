using System.Diagnostics;
using System.Globalization;
using Mamori.Events;
using Mamori.Signals;
using Mamori.State.Redis;
using Mamori.State.Tests.Support;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Mamori.State.Tests;

/// <summary>
/// Throughput and latency of whole assessments (pre-auth + outcome through <see cref="LoginAssessor"/>) on the Redis
/// store, beside the embedded store. A measurement, not a test: it asserts nothing about speed and runs only with
/// <c>MAMORI_BENCH=1</c>: <c>MAMORI_BENCH=1 dotnet test tests/Mamori.State.Tests --filter RedisSignalStoreBenchmark
/// --logger "console;verbosity=detailed"</c>. Figures go to docs/benchmarks/redis.md.
/// </summary>
public sealed class RedisSignalStoreBenchmark(ITestOutputHelper output)
{
    private const int Workers = 64;
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(8);

    [SkippableFact]
    public async Task Measure()
    {
        Skip.If(Environment.GetEnvironmentVariable("MAMORI_BENCH") != "1", "A measurement: set MAMORI_BENCH=1 to run it.");
        List<LoginEvent> events = EngineTraffic.Generate(400_000, seed: 11, users: 50_000);
        var options = new MamoriOptions();

        await RunAsync("embedded (in-memory)", new InMemorySignalStore(options), null, options, events);

        using (var garnet = new GarnetFixture())
            await RunRedisAsync("Garnet 2.2.8 in-process, loopback", garnet.Endpoint, options, events);

        if (StoreFactory.RealRedis is { } redis)
            await RunRedisAsync("redis-server, loopback", redis, options, events);
    }

    private async Task RunRedisAsync(string name, string endpoint, MamoriOptions options, List<LoginEvent> events)
    {
        var redisOptions = new RedisSignalStoreOptions { Configuration = endpoint, KeyPrefix = "bench" + Guid.NewGuid().ToString("N")[..8] };
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(RedisSignalStore.ToConfiguration(redisOptions));
        using var store = new RedisSignalStore(options, redisOptions, connection);
        await store.PrepareAsync();
        await RunAsync(name, store, connection, options, events);
    }

    private async Task RunAsync(string name, ISignalStore store, ConnectionMultiplexer? connection, MamoriOptions options, List<LoginEvent> events)
    {
        var engine = new LoginAssessor(options, store);
        // Warm-up: JIT, scripts, first keys.
        for (int i = 0; i < 2_000; i++) await AssessAsync(engine, events[i]);

        long operationsBefore = connection?.GetCounters().Interactive.OperationCount ?? 0;
        int next = 2_000, failures = 0;
        var latencies = new List<double>[Workers];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async w =>
        {
            latencies[w] = new List<double>(100_000);
            while (clock.Elapsed < s_duration)
            {
                int i = Interlocked.Increment(ref next);
                if (i >= events.Count) break;
                long start = Stopwatch.GetTimestamp();
                if (!await AssessAsync(engine, events[i])) Interlocked.Increment(ref failures);
                latencies[w].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        double[] all = latencies.SelectMany(l => l).Order().ToArray();
        long operations = (connection?.GetCounters().Interactive.OperationCount ?? 0) - operationsBefore;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{name}: {all.Length / seconds:N0} assessments/s ({Workers} concurrent, {seconds:F1} s, {all.Length:N0} assessments), " +
            $"p50 {Percentile(all, 0.50):F2} ms, p99 {Percentile(all, 0.99):F2} ms, round trips/assessment {(connection is null ? 0 : (double)operations / all.Length):F2}, store failures {failures}");
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    private static async Task<bool> AssessAsync(LoginAssessor engine, LoginEvent e)
    {
        PreAuthAssessment preAuth = await engine.AssessAsync(e.Attempt);
        Policy.Decision outcome = await engine.RecordOutcomeAsync(preAuth, e.Outcome);
        return !outcome.Has(Policy.ReasonCode.SignalStoreUnavailable) && !preAuth.Decision.Has(Policy.ReasonCode.SignalStoreUnavailable);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
