using System.Diagnostics;
using System.Globalization;
using System.Net;
using HdrHistogram;
using Mamori.Events;
using Mamori.State;

namespace Mamori.Cli.Bench;

/// <summary>
/// Whole-engine figures in process: latency of one login (pre-auth + outcome) at p50/p99, throughput on every core,
/// and memory per tracked address. The micro-benchmarks (BenchmarkDotNet) live in benchmarks/; this is the figure
/// an operator compares with the budget.
/// </summary>
internal static class EngineBench
{
    public sealed record Result(int Users, long Events, double P50Micros, double P99Micros, double P999Micros, double SingleThreadPerSecond,
        int Threads, double ParallelPerSecond, long TrackedIps, double BytesPerIp);

    public static Result Run(int users, int events, int threads, long ips, TextWriter log)
    {
        var options = new MamoriOptions();
        options.Signals.MaxSources = (int)Math.Max(1_000_000, Math.Min(int.MaxValue - 1, ips * 2 + 1_000_000));
        var store = new InMemorySignalStore(options);
        var engine = new LoginAssessor(options, store);
        var start = new DateTimeOffset(2020, 9, 1, 0, 0, 0, TimeSpan.Zero);
        LoginEvent[] traffic = Traffic(users, events, start);

        // Warm up: every user gets a history, and the JIT reaches tier 1.
        log.WriteLine($"bench engine: warming up with {users:N0} users…");
        for (int i = 0; i < traffic.Length; i++) Assess(engine, traffic[i]);

        var histogram = new LongHistogram(TimeStamp.Seconds(1), 3);
        var clock = Stopwatch.StartNew();
        foreach (LoginEvent e in Shift(traffic, TimeSpan.FromDays(1)))
        {
            long t0 = Stopwatch.GetTimestamp();
            Assess(engine, e);
            histogram.RecordValue(Stopwatch.GetTimestamp() - t0);
        }
        double single = traffic.Length / clock.Elapsed.TotalSeconds;

        LoginEvent[] parallelTraffic = Shift(traffic, TimeSpan.FromDays(2));
        clock.Restart();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (int i = t; i < parallelTraffic.Length; i += threads) Assess(engine, parallelTraffic[i]);
        });
        double parallel = parallelTraffic.Length / clock.Elapsed.TotalSeconds;

        // Memory per address: ips distinct sources through a fresh store, measured as managed heap growth.
        double bytesPerIp = 0;
        if (ips > 0)
        {
            log.WriteLine($"bench engine: tracking {ips:N0} distinct addresses…");
            var memoryOptions = new MamoriOptions();
            memoryOptions.Signals.MaxSources = (int)Math.Min(int.MaxValue - 1, ips + ips / 30 + 16);   // addresses and their /24s
            memoryOptions.Signals.MaxAccounts = 1_000;
            GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var memoryStore = new InMemorySignalStore(memoryOptions);
            var memoryEngine = new LoginAssessor(memoryOptions, memoryStore);
            for (long i = 0; i < ips; i++)
            {
                // Every address in one /24 per 250: sources are addresses plus their /24s, as in real traffic.
                var ip = new IPAddress(BitConverter.GetBytes((uint)(0x0B000000 + i * 7)));
                var attempt = new LoginAttempt { Timestamp = start, Account = "a" + (i % 1000).ToString(CultureInfo.InvariantCulture), Ip = ip };
                memoryEngine.AssessAsync(attempt).AsTask().GetAwaiter().GetResult();
            }
            long after = GC.GetTotalMemory(forceFullCollection: true);
            bytesPerIp = (after - before) / (double)ips;
            GC.KeepAlive(memoryStore);
        }

        double Micros(double percentile) => histogram.GetValueAtPercentile(percentile) * 1_000_000.0 / Stopwatch.Frequency;
        return new Result(users, traffic.Length, Micros(50), Micros(99), Micros(99.9), single, threads, parallel, ips, bytesPerIp);
    }

    private static void Assess(LoginAssessor engine, in LoginEvent e) => engine.AssessEventAsync(e).AsTask().GetAwaiter().GetResult();

    private static LoginEvent[] Shift(LoginEvent[] events, TimeSpan by) =>
        events.Select(e => e with { Attempt = e.Attempt with { Timestamp = e.Attempt.Timestamp + by } }).ToArray();

    /// <summary>Ordinary traffic with a little attack mixed in: 95% home logins, 3% typos, 2% spray.</summary>
    private static LoginEvent[] Traffic(int users, int count, DateTimeOffset start)
    {
        var random = new Random(42);
        byte[] pepper = "bench-pepper"u8.ToArray();
        string[] agents = BenchAgents.All;
        SecretFingerprint spray = SecretFingerprint.Compute(pepper, "Password1");
        var events = new LoginEvent[count];
        double step = 86_400.0 / count;
        for (int i = 0; i < count; i++)
        {
            int u = random.Next(users);
            DateTimeOffset at = start.AddSeconds(i * step);
            double roll = random.NextDouble();
            var home = new IPAddress([(byte)(100 + u % 50), (byte)(u >> 8), (byte)u, (byte)(1 + u % 200)]);
            string account = "user" + u.ToString(CultureInfo.InvariantCulture);
            LoginAttempt attempt = roll < 0.02
                ? new LoginAttempt { Timestamp = at, Account = account, Ip = new IPAddress([45, 77, (byte)(i >> 8), (byte)i]), Secret = spray, Asn = 20473, Country = "US", UserAgent = agents[2] }
                : new LoginAttempt
                {
                    Timestamp = at, Account = account, Ip = home, Asn = 4713 + u % 5, Country = "JP", UserAgent = agents[u % 3],
                    Device = "dev-" + u.ToString(CultureInfo.InvariantCulture),
                    Secret = new SecretFingerprint((ulong)u * 0x9E3779B97F4A7C15UL + (roll < 0.05 ? 1UL : 0UL)),
                };
            LoginOutcome outcome = roll < 0.02 ? LoginOutcome.WrongSecret : roll < 0.05 ? LoginOutcome.WrongSecret : LoginOutcome.Success;
            events[i] = new LoginEvent(attempt, outcome);
        }
        return events;
    }
}
