using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using HdrHistogram;
using Mamori.Events;
using Mamori.State.Redis;
using StackExchange.Redis;

namespace Mamori.Cli.Bench;

/// <summary>
/// Whole assessments (pre-auth + outcome through <see cref="LoginAssessor"/>) on the Redis signal store: throughput,
/// latency per assessment, round trips per assessment (the store's own count of sequential waits) and commands per
/// assessment, the server's own time per observation (INFO commandstats over every command an observation sends,
/// summed over a cluster's primaries), which is the stable figure on a shared machine and sets the ceiling of one
/// Redis thread, and the client's CPU per assessment (client and server share the machine's cores).
/// </summary>
internal static class RedisBench
{
    /// <summary>Logins run before measuring (by default), <see cref="WarmUpConcurrency"/> at a time: JIT, loaded scripts,
    /// first keys. The warm-up then goes on until the JIT has settled (<see cref="SettleRoundLogins"/>).</summary>
    public const int DefaultWarmUpLogins = 5_000;

    private const int WarmUpConcurrency = 16;

    /// <summary>After the fixed warm-up, rounds of this many logins run until <see cref="QuietRounds"/> in a row compile no
    /// method: tiered
    /// compilation promotes a hot method to its optimised code only after it was called 30 times and no new method was
    /// compiled for 100 ms, so a fixed 5,000 logins left the first ~20,000 measured ones paying for the JIT (client CPU
    /// 78–96 µs per assessment measured after 5,000, 47–53 µs after 40,000, in the same minutes).</summary>
    private const int SettleRoundLogins = 2_000;

    /// <summary>Most settling rounds: a process whose JIT never settles (a trickle of rare paths) is measured anyway, and
    /// the step says how many methods were compiled while it was measured.</summary>
    private const int MaxSettleRounds = 50;

    /// <summary>Rounds in a row that compile nothing before the JIT counts as settled: tiered compilation promotes
    /// methods in bursts, and one quiet round was measured followed by 1,657 methods compiled while measuring.</summary>
    private const int QuietRounds = 3;

    /// <summary>Deletes in flight at once when cleaning up the run's prefix.</summary>
    private const int UnlinkBatch = 500;

    /// <summary>The commands an observation sends (scripts, population BITFIELDs, secret reads in the spread layout).</summary>
    private static readonly string[] s_observationCommands = ["evalsha", "eval", "bitfield", "bitfield_ro", "get", "mget"];

    public sealed record Step(int Concurrency, int Logins, double Seconds, double PerSecond, double P50Millis, double P99Millis,
        double RoundTripsPerAssessment, double CommandsPerAssessment, double ServerMicrosPerObservation, double ServerCpuMicrosPerObservation,
        double BusiestServerMicrosPerObservation, double ClientCpuMicrosPerAssessment, int StoreFailures, long MethodsCompiled)
    {
        /// <summary>Assessments per second the deployment's Redis could carry: one thread per primary, bounded by the busiest
        /// primary's time per observation (two observations per assessment). On one server, that server's.</summary>
        public double CeilingPerSecond => BusiestServerMicrosPerObservation <= 0 ? 0 : 1_000_000 / (2 * BusiestServerMicrosPerObservation);
    }

    public static async Task<(IReadOnlyList<Step> Steps, RedisKeyLayout Layout, int Primaries)> RunAsync(string endpoint, int logins,
        IReadOnlyList<int> concurrencies, int users, RedisKeyLayout layout, int warmUpLogins, Action<string> progress, CancellationToken cancellationToken,
        bool untilJitSettles = true)
    {
        var options = new MamoriOptions();
        string prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        var redisOptions = new RedisSignalStoreOptions { Configuration = endpoint, KeyPrefix = prefix, Timeout = TimeSpan.FromSeconds(2), KeyLayout = layout };
        ConfigurationOptions configuration = RedisSignalStore.ToConfiguration(redisOptions);
        configuration.AllowAdmin = true;   // INFO commandstats and SCAN (the clean-up) are admin commands to StackExchange.Redis
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        if (!connection.IsConnected) throw new InvalidOperationException($"No Redis server answers at {endpoint}.");
        // Every primary: a cluster's observations land on all of them (stats are summed, keys deleted on each).
        IServer[] servers = [.. connection.GetServers().Where(s => s.IsConnected && !s.IsReplica)];
        var store = new RedisSignalStore(options, redisOptions, connection);
        var engine = new LoginAssessor(options, store);

        var start = new DateTimeOffset(2024, 6, 3, 0, 0, 0, TimeSpan.Zero);
        try
        {
            await store.PrepareAsync(cancellationToken).ConfigureAwait(false);
            progress($"warming up ({warmUpLogins:N0} logins, {WarmUpConcurrency} at a time, {users:N0} users, key prefix {prefix})");
            await RunAllAsync(engine, warmUpLogins == 0 ? [] : Traffic(users, warmUpLogins, start, TimeSpan.FromHours(12), seed: 1), WarmUpConcurrency,
                NewHistogram(), cancellationToken).ConfigureAwait(false);
            if (untilJitSettles) progress(await WarmUpUntilJitSettlesAsync(engine, users, start, Math.Max(WarmUpConcurrency, concurrencies.Max()),
                cancellationToken).ConfigureAwait(false));

            var steps = new List<Step>();
            for (int s = 0; s < concurrencies.Count; s++)
            {
                int concurrency = concurrencies[s];
                progress($"{concurrency} concurrent: {logins:N0} logins…");
                LoginEvent[] events = Traffic(users, logins, start.AddDays(1 + s), TimeSpan.FromDays(1), seed: 2 + s);
                steps.Add(await MeasureAsync(engine, store, connection, servers, events, concurrency, cancellationToken).ConfigureAwait(false));
            }
            return (steps, store.Layout, servers.Length);
        }
        finally
        {
            // The store first: as it stops it sends its waiting attempts and last population additions, which would
            // otherwise land after the clean-up (a 4 MB sketch left behind by every run).
            store.Dispose();
            progress($"deleting the run's keys ({{{prefix}}}:* and {prefix}:*)");
            foreach (IServer server in servers)
            {
                await DeleteAsync(server, connection.GetDatabase(), "{" + prefix + "}:*").ConfigureAwait(false);
                await DeleteAsync(server, connection.GetDatabase(), prefix + ":*").ConfigureAwait(false);
            }
        }
    }

    private static async Task<Step> MeasureAsync(LoginAssessor engine, RedisSignalStore store, ConnectionMultiplexer connection, IServer[] servers,
        LoginEvent[] events, int concurrency, CancellationToken cancellationToken)
    {
        (long[] microsBefore, double cpuBefore) = await ServerStatsAsync(servers).ConfigureAwait(false);
        long operationsBefore = connection.GetCounters().Interactive.OperationCount;
        long roundTripsBefore = store.RoundTrips;
        long compiledBefore = JitInfo.GetCompiledMethodCount();
        TimeSpan clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var histogram = NewHistogram();
        var clock = Stopwatch.StartNew();
        int failures = await RunAllAsync(engine, events, concurrency, histogram, cancellationToken).ConfigureAwait(false);
        double seconds = clock.Elapsed.TotalSeconds;
        TimeSpan clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore;
        long roundTrips = store.RoundTrips - roundTripsBefore;
        long compiled = JitInfo.GetCompiledMethodCount() - compiledBefore;
        long operations = connection.GetCounters().Interactive.OperationCount - operationsBefore;
        (long[] microsAfter, double cpuAfter) = await ServerStatsAsync(servers).ConfigureAwait(false);

        double observations = 2.0 * events.Length;
        double Millis(double percentile) => histogram.GetValueAtPercentile(percentile) * 1_000.0 / Stopwatch.Frequency;
        return new Step(concurrency, events.Length, seconds, events.Length / seconds, Millis(50), Millis(99),
            (double)roundTrips / events.Length, (double)operations / events.Length, (microsAfter.Sum() - microsBefore.Sum()) / observations,
            (cpuAfter - cpuBefore) * 1e6 / observations, microsAfter.Zip(microsBefore, (a, b) => a - b).Max() / observations,
            clientCpu.TotalMicroseconds / events.Length, failures, compiled);
    }

    /// <summary>Microseconds of the commands observations send, per server (commandstats; a script's nested commands are
    /// in its own time), and the servers' CPU seconds summed over <paramref name="servers"/>.</summary>
    private static async Task<(long[] Micros, double CpuSeconds)> ServerStatsAsync(IServer[] servers)
    {
        long[] micros = new long[servers.Length];
        double cpu = 0;
        for (int i = 0; i < servers.Length; i++)
        {
            IServer server = servers[i];
            foreach (IGrouping<string, KeyValuePair<string, string>> group in await server.InfoAsync("commandstats").ConfigureAwait(false))
                foreach (KeyValuePair<string, string> line in group)
                {
                    if (!line.Key.StartsWith("cmdstat_", StringComparison.OrdinalIgnoreCase) ||
                        !s_observationCommands.Contains(line.Key["cmdstat_".Length..].ToLowerInvariant())) continue;
                    foreach (string field in line.Value.Split(','))
                    {
                        string[] pair = field.Split('=');
                        if (pair.Length != 2) continue;
                        if (pair[0] == "usec") micros[i] += long.Parse(pair[1], CultureInfo.InvariantCulture);
                    }
                }
            foreach (IGrouping<string, KeyValuePair<string, string>> group in await server.InfoAsync("cpu").ConfigureAwait(false))
                foreach (KeyValuePair<string, string> line in group)
                    if (line.Key is "used_cpu_sys" or "used_cpu_user" && double.TryParse(line.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
                        cpu += seconds;
        }
        return (micros, cpu);
    }

    /// <summary>Deletes the keys <paramref name="pattern"/> matches on <paramref name="server"/>, one command per key sent in
    /// batches (a cluster refuses a multi-key delete across slots). Scans again after a pass that found keys (at most three
    /// passes): a SCAN returns the keys present for its whole run, and a write the store sent without waiting (a lone
    /// attempt, another shard's part) may still land while the first pass runs.</summary>
    private static async Task DeleteAsync(IServer server, IDatabase database, string pattern)
    {
        for (int pass = 0; pass < 3; pass++)
        {
            int found = 0;
            var batch = new List<Task>(UnlinkBatch);
            await foreach (RedisKey key in server.KeysAsync(pattern: pattern.Replace("{", "\\{").Replace("}", "\\}"), pageSize: 1_000).ConfigureAwait(false))
            {
                found++;
                batch.Add(database.KeyDeleteAsync(key));
                if (batch.Count == UnlinkBatch) { await Task.WhenAll(batch).ConfigureAwait(false); batch.Clear(); }
            }
            await Task.WhenAll(batch).ConfigureAwait(false);
            if (found == 0) return;
        }
    }

    private static async Task<bool> AssessAsync(LoginAssessor engine, LoginEvent e)
    {
        PreAuthAssessment preAuth = await engine.AssessAsync(e.Attempt).ConfigureAwait(false);
        Policy.Decision outcome = await engine.RecordOutcomeAsync(preAuth, e.Outcome).ConfigureAwait(false);
        return !outcome.Has(Policy.ReasonCode.SignalStoreUnavailable) && !preAuth.Decision.Has(Policy.ReasonCode.SignalStoreUnavailable);
    }

    /// <summary>Runs rounds of <see cref="SettleRoundLogins"/> at <paramref name="concurrency"/> (the widest level measured:
    /// some paths, more attempts waiting and pipelined replies, appear only there) until <see cref="QuietRounds"/> in a row
    /// compile no method, at most <see cref="MaxSettleRounds"/>; returns what happened, for the progress line.</summary>
    private static async Task<string> WarmUpUntilJitSettlesAsync(LoginAssessor engine, int users, DateTimeOffset start, int concurrency,
        CancellationToken cancellationToken)
    {
        int rounds = 0, quiet = 0;
        long lastRound = 0;
        TimeSpan span = TimeSpan.FromSeconds(43_200.0 / MaxSettleRounds);   // the rounds fill the second half of the warm-up day
        for (; rounds < MaxSettleRounds && quiet < QuietRounds && !cancellationToken.IsCancellationRequested; rounds++)
        {
            long compiled = JitInfo.GetCompiledMethodCount();
            LoginEvent[] round = Traffic(users, SettleRoundLogins, start.AddHours(12) + rounds * span, span, seed: 1_000 + rounds);
            await RunAllAsync(engine, round, concurrency, NewHistogram(), cancellationToken).ConfigureAwait(false);
            lastRound = JitInfo.GetCompiledMethodCount() - compiled;
            quiet = lastRound == 0 ? quiet + 1 : 0;
        }
        return quiet >= QuietRounds
            ? $"warm-up: the JIT settled after {rounds * SettleRoundLogins:N0} more logins, {concurrency} at a time ({QuietRounds} rounds of {SettleRoundLogins:N0} compiled nothing)"
            : $"warm-up: the JIT had not settled after {rounds * SettleRoundLogins:N0} more logins ({lastRound:N0} methods compiled in the last {SettleRoundLogins:N0}); measuring anyway";
    }

    private static LongConcurrentHistogram NewHistogram() => new(1, TimeStamp.Seconds(10), 3);

    /// <summary>Runs every login of <paramref name="events"/>, <paramref name="concurrency"/> at a time, recording each
    /// assessment's time (the warm-up records too, into a histogram it drops, so the measured loop's code is warm);
    /// returns the assessments the store failed.</summary>
    private static async Task<int> RunAllAsync(LoginAssessor engine, LoginEvent[] events, int concurrency, LongConcurrentHistogram histogram,
        CancellationToken cancellationToken)
    {
        int next = -1, failures = 0;
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
        return failures;
    }

    /// <summary>A span (a day when measuring) of ordinary traffic with attacks mixed in: 90% home logins (with devices, some typos), 5% a spray of
    /// one password from a hosting ASN, 5% credential stuffing from rotating addresses.</summary>
    private static LoginEvent[] Traffic(int users, int count, DateTimeOffset start, TimeSpan span, int seed)
    {
        var random = new Random(seed);
        byte[] pepper = "bench-redis-pepper"u8.ToArray();
        string[] agents = BenchAgents.All;
        SecretFingerprint spray = SecretFingerprint.Compute(pepper, "Password1");
        var events = new LoginEvent[count];
        double step = span.TotalSeconds / count;
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
