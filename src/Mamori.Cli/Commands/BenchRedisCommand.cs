using System.CommandLine;
using System.Globalization;
using Mamori.Cli.Bench;
using Mamori.State.Redis;
using Spectre.Console;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori bench redis</c>: whole assessments on the Redis signal store, and the server's time per call.</summary>
internal static class BenchRedisCommand
{
    /// <summary>Largest run and widest fan-out accepted: a benchmark, not a load test of someone else's server.</summary>
    private const int MaxLogins = 10_000_000, MaxConcurrency = 4_096;

    public static Command CreateRedis()
    {
        var redis = new Option<string>("--redis")
        {
            Description = "The Redis-protocol server to measure (host:port or redis://host:port). Required to be running: the bench " +
                "starts none. A throw-away local one: redis-server --port 6390 --save '' --appendonly no --daemonize yes",
            DefaultValueFactory = _ => "127.0.0.1:6379",
        };
        var logins = new Option<int>("--logins") { Description = "Logins (pre-auth + outcome each) measured per concurrency level.", DefaultValueFactory = _ => 20_000 };
        var concurrency = new Option<string>("--concurrency")
        {
            Description = "Assessments in flight at once, comma-separated for several runs (e.g. 1,16,64).",
            DefaultValueFactory = _ => "1,16,64",
        };
        var users = new Option<int>("--users") { Description = "Distinct legitimate accounts in the traffic.", DefaultValueFactory = _ => 50_000 };
        var warmUp = new Option<int>("--warmup")
        {
            Description = "Logins run (16 at a time) before measuring: scripts, first keys. Then rounds of 2,000 more, at the widest " +
                "level, until three rounds in a row compile no method (at most 50 rounds), so the figures are the steady state a " +
                "long-running node sees. 0: no warm-up at all (a cold start, JIT included).",
            DefaultValueFactory = _ => RedisBench.DefaultWarmUpLogins,
        };
        var layout = new Option<string>("--layout")
        {
            Description = "Key layout: auto (spread on a Redis Cluster, single-slot otherwise), single-slot or spread (Mamori:Redis:KeyLayout).",
            DefaultValueFactory = _ => "auto",
        };
        var command = new Command("redis",
            "Measure the Redis signal store: assessments/s, p50/p99 latency of one assessment (pre-auth + outcome), round trips " +
            "(sequential waits) and commands per assessment, the server's own time per observation from INFO commandstats (every " +
            "command an observation sends, summed over a cluster's primaries) — the stable figure on a shared machine, from which " +
            "the ceiling of one Redis thread follows (1e6 / (2 × µs per observation) assessments/s) — and the client's CPU per " +
            "assessment. Keys go under a fresh prefix benchXXXXXXXX and are deleted at the end; do not point it at production " +
            "(it adds to the shared population sketch).\n\n" +
            "Examples:\n" +
            "  redis-server --port 6390 --save '' --appendonly no --daemonize yes\n" +
            "  mamori bench redis --redis 127.0.0.1:6390 --logins 20000 --concurrency 1,16,64\n" +
            "  mamori bench redis --redis 127.0.0.1:7001 --layout spread     # a cluster node: the others are discovered")
        {
            redis, logins, concurrency, users, warmUp, layout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int n = parse.GetValue(logins), u = parse.GetValue(users), w = parse.GetValue(warmUp);
            string endpoint = parse.GetValue(redis)!;
            List<int>? levels = ParseLevels(parse.GetValue(concurrency)!);
            RedisKeyLayout? keyLayout = parse.GetValue(layout) switch
            {
                "auto" => RedisKeyLayout.Auto, "single-slot" => RedisKeyLayout.SingleSlot, "spread" => RedisKeyLayout.Spread, _ => null,
            };
            if (n < 1_000 || n > MaxLogins || u < 1 || w < 0 || w > MaxLogins || levels is null || keyLayout is null)
            {
                Console.Error.WriteLine($"mamori bench redis: --logins 1000..{MaxLogins}, --users ≥ 1, --warmup 0..{MaxLogins}, --concurrency a comma-separated list of 1..{MaxConcurrency}, --layout auto|single-slot|spread.");
                return 2;
            }
            (IReadOnlyList<RedisBench.Step> Steps, RedisKeyLayout Layout, int Primaries) run;
            try
            {
                if (Console.IsErrorRedirected || Console.IsOutputRedirected)
                {
                    run = await RedisBench.RunAsync(endpoint, n, levels, u, keyLayout.Value, w, line => Console.Error.WriteLine("bench redis: " + line), cancellationToken,
                        untilJitSettles: w > 0);
                }
                else
                {
                    run = default;
                    await AnsiConsole.Status().StartAsync("bench redis: connecting…", async context =>
                    {
                        run = await RedisBench.RunAsync(endpoint, n, levels, u, keyLayout.Value, w, line => context.Status("bench redis: " + Markup.Escape(line)), cancellationToken,
                            untilJitSettles: w > 0);
                    });
                }
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or StackExchange.Redis.RedisCommandException or InvalidOperationException or TimeoutException)
            {
                Console.Error.WriteLine($"mamori bench redis: {ex.Message}");
                return 1;
            }
            Console.WriteLine($"layout: {(run.Layout == RedisKeyLayout.Spread ? "spread" : "single-slot")}, {run.Primaries} primar{(run.Primaries == 1 ? "y" : "ies")}");
            bool cluster = run.Primaries > 1;
            foreach (RedisBench.Step s in run.Steps ?? [])
            {
                string busiest = cluster ? string.Create(CultureInfo.InvariantCulture, $", busiest primary {s.BusiestServerMicrosPerObservation:0.0} µs") : "";
                string per = cluster ? "(busiest primary)" : "per Redis thread";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"redis: {s.Concurrency,4} concurrent: {s.PerSecond,8:N0} assessments/s, p50 {s.P50Millis:0.00} ms, p99 {s.P99Millis:0.00} ms, " +
                    $"{s.RoundTripsPerAssessment:0.00} round trips and {s.CommandsPerAssessment:0.00} commands/assessment, " +
                    $"server {s.ServerMicrosPerObservation:0.0} µs/observation (cpu {s.ServerCpuMicrosPerObservation:0.0} µs){busiest}, " +
                    $"ceiling {s.CeilingPerSecond:N0} assessments/s {per}, client cpu {s.ClientCpuMicrosPerAssessment:0.0} µs/assessment, " +
                    $"store failures {s.StoreFailures}, {s.MethodsCompiled:N0} methods compiled while measuring"));
            }
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {LoadAverage()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            return 0;
        });
        return command;
    }

    private static List<int>? ParseLevels(string text)
    {
        var levels = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int level) || level < 1 || level > MaxConcurrency) return null;
            levels.Add(level);
        }
        return levels.Count == 0 ? null : levels;
    }

    /// <summary>The 1-minute load average where the OS reports it (the figures mean little on a busy machine).</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
