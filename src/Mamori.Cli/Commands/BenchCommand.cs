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
        command.Subcommands.Add(CreateDetection());
        command.Subcommands.Add(BenchHttpCommand.CreateHttp());
        command.Subcommands.Add(BenchRedisCommand.CreateRedis());
        return command;
    }

    private static Command CreateDetection()
    {
        var seed = new Option<int>("--seed") { Description = "Simulation seed.", DefaultValueFactory = _ => 1 };
        var users = new Option<int>("--users") { Description = "Real users.", DefaultValueFactory = _ => 20_000 };
        var days = new Option<int>("--days") { Description = "Days scored.", DefaultValueFactory = _ => 7 };
        var warmup = new Option<int>("--warmup-days") { Description = "Days of legitimate traffic before, not scored (a real deployment has months of history).", DefaultValueFactory = _ => 7 };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the comparison table as Markdown to this file." };
        var command = new Command("detection",
            "Run the `mixed` simulation through Mamori and, side by side in the same pass, through the published defaults of " +
            "ASP.NET Core Identity lockout, Auth0 brute-force protection and suspicious-IP throttling, and Keycloak's brute-force " +
            "detector; print takeovers stopped, attempts intercepted, legitimate logins challenged and denied, detection delay.\n\n" +
            "Example:\n  mamori bench detection --seed 1 --markdown detection.md")
        {
            seed, users, days, warmup, markdown,
        };
        command.SetAction(parse =>
        {
            var simulation = new Mamori.Simulation.SimulationOptions
            {
                Scenario = Mamori.Simulation.SimulationScenario.Mixed, Seed = parse.GetValue(seed), Users = parse.GetValue(users),
                Days = parse.GetValue(days), WarmupDays = parse.GetValue(warmup),
            };
            IReadOnlyList<string> errors = simulation.Validate();
            if (errors.Count > 0)
            {
                foreach (string error in errors) Console.Error.WriteLine($"mamori bench detection: {error}");
                return 2;
            }
            if (parse.GetValue(markdown) is string markdownPath && !OutputPath.TryCheck("--markdown", markdownPath, out string outputError))
            {
                Console.Error.WriteLine($"mamori bench detection: {outputError}");
                return 2;
            }
            var results = DetectionBench.Run(simulation, Console.Error);
            Replay.ScoreWriter.WriteComparison(Console.Out, results);
            Console.WriteLine();
            foreach ((string policy, var report) in results)
            {
                Console.WriteLine($"## {policy}");
                Console.Write(report.ToText());
            }
            if (parse.GetValue(markdown) is string path)
            {
                using var writer = new StreamWriter(path);
                Replay.ScoreWriter.WriteComparison(writer, results);
            }
            return 0;
        });
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
