using System.Diagnostics;
using System.Globalization;
using System.Net;
using HdrHistogram;
using Mamori.Events;
using Mamori.State.Redis;
using StackExchange.Redis;

namespace Mamori.Cli.Bench;

/// <summary>
/// Whole assessments (pre-auth + outcome through <see cref="LoginAssessor"/>) on the Redis signal store: throughput,
/// latency per assessment, round trips per assessment, and the server's own time per script call (INFO
/// commandstats), which is the stable figure on a shared machine and sets the ceiling of one Redis thread.
/// </summary>
internal static class RedisBench
{
    /// <summary>Logins run before measuring: JIT, loaded scripts, first keys.</summary>
    private const int WarmUpLogins = 2_000;

    /// <summary>Keys deleted per UNLINK when cleaning up the run's prefix.</summary>
    private const int UnlinkBatch = 500;

    public sealed record Step(int Concurrency, int Logins, double Seconds, double PerSecond, double P50Millis, double P99Millis,
        double RoundTripsPerAssessment, double ServerMicrosPerCall, double ServerCpuMicrosPerCall, int StoreFailures)
    {
        /// <summary>Assessments per second one Redis thread could carry at this server time per call (two calls each).</summary>
        public double CeilingPerSecond => ServerMicrosPerCall <= 0 ? 0 : 1_000_000 / (2 * ServerMicrosPerCall);
    }

    public static async Task<IReadOnlyList<Step>> RunAsync(string endpoint, int logins, IReadOnlyList<int> concurrencies, int users,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var options = new MamoriOptions();
        string prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        var redisOptions = new RedisSignalStoreOptions { Configuration = endpoint, KeyPrefix = prefix, Timeout = TimeSpan.FromSeconds(2) };
        ConfigurationOptions configuration = RedisSignalStore.ToConfiguration(redisOptions);
        configuration.AllowAdmin = true;   // INFO commandstats and SCAN (the clean-up) are admin commands to StackExchange.Redis
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        if (!connection.IsConnected) throw new InvalidOperationException($"No Redis server answers at {endpoint}.");
        IServer server = connection.GetServer(connection.GetEndPoints()[0]);
        using var store = new RedisSignalStore(options, redisOptions, connection);
        await store.PrepareAsync(cancellationToken).ConfigureAwait(false);
        var engine = new LoginAssessor(options, store);

        var start = new DateTimeOffset(2024, 6, 3, 0, 0, 0, TimeSpan.Zero);
        try
        {
            progress($"warming up ({WarmUpLogins:N0} logins, {users:N0} users, key prefix {{{prefix}}})");
            foreach (LoginEvent e in Traffic(users, WarmUpLogins, start, seed: 1)) await AssessAsync(engine, e).ConfigureAwait(false);

            var steps = new List<Step>();
            for (int s = 0; s < concurrencies.Count; s++)
            {
                int concurrency = concurrencies[s];
                progress($"{concurrency} concurrent: {logins:N0} logins…");
                LoginEvent[] events = Traffic(users, logins, start.AddDays(1 + s), seed: 2 + s);
                steps.Add(await MeasureAsync(engine, connection, server, events, concurrency, cancellationToken).ConfigureAwait(false));
            }
            return steps;
        }
        finally
        {
            progress($"deleting the run's keys ({{{prefix}}}:*)");
            await DeleteAsync(server, connection.GetDatabase(), "{" + prefix + "}:*").ConfigureAwait(false);
        }
    }

    private static async Task<Step> MeasureAsync(LoginAssessor engine, ConnectionMultiplexer connection, IServer server, LoginEvent[] events,
        int concurrency, CancellationToken cancellationToken)
    {
        (long callsBefore, long microsBefore, double cpuBefore) = await ServerStatsAsync(server).ConfigureAwait(false);
        long operationsBefore = connection.GetCounters().Interactive.OperationCount;
        var histogram = new LongConcurrentHistogram(1, TimeStamp.Seconds(10), 3);
        int next = -1, failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < events.Length && !cancellationToken.IsCancellationRequested)
            {
                long t0 = Stopwatch.GetTimestamp();
                if (!await AssessAsync(engine, events[i]).ConfigureAwait(false)) Interlocked.Increment(ref failures);
                histogram.RecordValue(Stopwatch.GetTimestamp() - t0);
            }
        })).ConfigureAwait(false);
        double seconds = clock.Elapsed.TotalSeconds;
        long operations = connection.GetCounters().Interactive.OperationCount - operationsBefore;
        (long callsAfter, long microsAfter, double cpuAfter) = await ServerStatsAsync(server).ConfigureAwait(false);

        long calls = Math.Max(1, callsAfter - callsBefore);
        double Millis(double percentile) => histogram.GetValueAtPercentile(percentile) * 1_000.0 / Stopwatch.Frequency;
        return new Step(concurrency, events.Length, seconds, events.Length / seconds, Millis(50), Millis(99),
            (double)operations / events.Length, (double)(microsAfter - microsBefore) / calls, (cpuAfter - cpuBefore) * 1e6 / calls, failures);
    }

    /// <summary>EVALSHA calls and their microseconds (commandstats; nested commands included), and the server's CPU seconds.</summary>
    private static async Task<(long Calls, long Micros, double CpuSeconds)> ServerStatsAsync(IServer server)
    {
        long calls = 0, micros = 0;
        foreach (IGrouping<string, KeyValuePair<string, string>> group in await server.InfoAsync("commandstats").ConfigureAwait(false))
            foreach (KeyValuePair<string, string> line in group)
            {
                if (!line.Key.Equals("cmdstat_evalsha", StringComparison.OrdinalIgnoreCase)) continue;
                foreach (string field in line.Value.Split(','))
                {
                    string[] pair = field.Split('=');
                    if (pair.Length != 2) continue;
                    if (pair[0] == "calls") calls = long.Parse(pair[1], CultureInfo.InvariantCulture);
                    else if (pair[0] == "usec") micros = long.Parse(pair[1], CultureInfo.InvariantCulture);
                }
            }
        double cpu = 0;
        foreach (IGrouping<string, KeyValuePair<string, string>> group in await server.InfoAsync("cpu").ConfigureAwait(false))
            foreach (KeyValuePair<string, string> line in group)
                if (line.Key is "used_cpu_sys" or "used_cpu_user" && double.TryParse(line.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
                    cpu += seconds;
        return (calls, micros, cpu);
    }

    private static async Task DeleteAsync(IServer server, IDatabase database, string pattern)
    {
        var batch = new List<RedisKey>(UnlinkBatch);
        await foreach (RedisKey key in server.KeysAsync(pattern: pattern.Replace("{", "\\{").Replace("}", "\\}"), pageSize: 1_000).ConfigureAwait(false))
        {
            batch.Add(key);
            if (batch.Count == UnlinkBatch) { await database.KeyDeleteAsync([.. batch]).ConfigureAwait(false); batch.Clear(); }
        }
        if (batch.Count > 0) await database.KeyDeleteAsync([.. batch]).ConfigureAwait(false);
    }

    private static async Task<bool> AssessAsync(LoginAssessor engine, LoginEvent e)
    {
        PreAuthAssessment preAuth = await engine.AssessAsync(e.Attempt).ConfigureAwait(false);
        Policy.Decision outcome = await engine.RecordOutcomeAsync(preAuth, e.Outcome).ConfigureAwait(false);
        return !outcome.Has(Policy.ReasonCode.SignalStoreUnavailable) && !preAuth.Decision.Has(Policy.ReasonCode.SignalStoreUnavailable);
    }

    /// <summary>A day of ordinary traffic with attacks mixed in: 90% home logins (with devices, some typos), 5% a spray of
    /// one password from a hosting ASN, 5% credential stuffing from rotating addresses.</summary>
    private static LoginEvent[] Traffic(int users, int count, DateTimeOffset start, int seed)
    {
        var random = new Random(seed);
        byte[] pepper = "bench-redis-pepper"u8.ToArray();
        string[] agents = BenchAgents.All;
        SecretFingerprint spray = SecretFingerprint.Compute(pepper, "Password1");
        var events = new LoginEvent[count];
        double step = 86_400.0 / count;
        for (int i = 0; i < count; i++)
        {
            int u = random.Next(users);
            DateTimeOffset at = start.AddSeconds(i * step);
            double roll = random.NextDouble();
            string account = "user" + u.ToString(CultureInfo.InvariantCulture);
            LoginAttempt attempt;
            LoginOutcome outcome;
            if (roll < 0.05)
            {
                attempt = new LoginAttempt { Timestamp = at, Account = account, Ip = new IPAddress([45, 77, (byte)(i >> 8), (byte)i]), Secret = spray, Asn = 20473, Country = "US", UserAgent = agents[2] };
                outcome = LoginOutcome.WrongSecret;
            }
            else if (roll < 0.10)
            {
                attempt = new LoginAttempt
                {
                    Timestamp = at, Account = "stuffed" + random.Next(1_000_000).ToString(CultureInfo.InvariantCulture),
                    Ip = new IPAddress([185, (byte)(i >> 16), (byte)(i >> 8), (byte)i]), Secret = new SecretFingerprint((ulong)random.NextInt64()),
                    Asn = 9009, Country = "NL", UserAgent = agents[i % 3],
                };
                outcome = random.Next(3) == 0 ? LoginOutcome.UnknownAccount : LoginOutcome.WrongSecret;
            }
            else
            {
                bool typo = roll < 0.13;
                attempt = new LoginAttempt
                {
                    Timestamp = at, Account = account, Ip = new IPAddress([(byte)(100 + u % 50), (byte)(u >> 8), (byte)u, (byte)(1 + u % 200)]),
                    Asn = 4713 + u % 5, Country = "JP", UserAgent = agents[u % 3], Device = "dev-" + u.ToString(CultureInfo.InvariantCulture),
                    Secret = new SecretFingerprint((ulong)u * 0x9E3779B97F4A7C15UL + (typo ? 1UL : 0UL)),
                };
                outcome = typo ? LoginOutcome.WrongSecret : LoginOutcome.Success;
            }
            events[i] = new LoginEvent(attempt, outcome);
        }
        return events;
    }
}
