using System.CommandLine;
using System.Globalization;
using Mamori.Cli.Bench;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori bench</c>: whole-system figures to compare with the budgets in docs/BENCHMARKS.md.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure Mamori on this machine: the engine in process, detection against the usual defaults, the HTTP service.");
        command.Subcommands.Add(CreateEngine());
        return command;
    }

    private static Command CreateEngine()
    {
        var users = new Option<int>("--users") { Description = "Accounts with a history.", DefaultValueFactory = _ => 100_000 };
        var events = new Option<int>("--events") { Description = "Logins per measured pass.", DefaultValueFactory = _ => 1_000_000 };
        var threads = new Option<int>("--threads") { Description = "Threads for the throughput pass.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var ips = new Option<long>("--ips") { Description = "Distinct addresses for the memory figure (0 skips it).", DefaultValueFactory = _ => 2_000_000 };
        var command = new Command("engine",
            "Latency (p50/p99 of one login: pre-auth + outcome) and throughput of the in-process engine, and memory per tracked address.\n\n" +
            "Example:\n  mamori bench engine --users 100000 --events 1000000 --ips 10000000")
        {
            users, events, threads, ips,
        };
        command.SetAction(parse =>
        {
            int u = parse.GetValue(users), n = parse.GetValue(events), t = parse.GetValue(threads);
            long i = parse.GetValue(ips);
            if (u < 1 || n < 1_000 || t < 1 || i < 0)
            {
                Console.Error.WriteLine("mamori bench engine: --users ≥ 1, --events ≥ 1000, --threads ≥ 1, --ips ≥ 0.");
                return 2;
            }
            EngineBench.Result r = EngineBench.Run(u, n, t, i, Console.Error);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"engine: {r.Events:N0} logins, {r.Users:N0} users: p50 {r.P50Micros:0.0} µs, p99 {r.P99Micros:0.0} µs, p99.9 {r.P999Micros:0.0} µs (one thread, pre-auth + outcome)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"engine: throughput {r.SingleThreadPerSecond:N0} logins/s on 1 thread, {r.ParallelPerSecond:N0} logins/s on {r.Threads} threads"));
            if (r.TrackedIps > 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"engine: memory {r.BytesPerIp:0} bytes per tracked address ({r.TrackedIps:N0} addresses); 10M addresses ≈ {r.BytesPerIp * 10_000_000 / (1 << 30):0.00} GiB"));
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
            return 0;
        });
        return command;
    }
}
