using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HdrHistogram;
using Mamori.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Cli.Commands;

/// <summary>
/// <c>mamori bench http</c>: drives a real server on loopback with its own load generator — open loop at a fixed rate
/// for latency, closed loop for peak throughput — and reports p50/p99 from an HdrHistogram.
/// </summary>
internal static class BenchHttpCommand
{
    /// <summary>The <c>bench</c> parent with <c>http</c> under it (if another file owns <c>bench</c>, add <see cref="CreateHttp"/> to it instead).</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks. See `mamori bench http --help`.");
        bench.Subcommands.Add(CreateHttp());
        return bench;
    }

    public static Command CreateHttp()
    {
        var url = new Option<string?>("--url") { Description = "Target a running server (e.g. http://127.0.0.1:5080) instead of starting one on loopback." };
        var apiKey = new Option<string?>("--api-key") { Description = "Key for --url (default: $MAMORI_API_KEY)." };
        var rate = new Option<int>("--rate") { Description = "Requests per second of the fixed-rate (latency) phase.", DefaultValueFactory = _ => 5_000 };
        var duration = new Option<TimeSpan>("--duration") { Description = "Length of each measured phase (e.g. 10s, 00:00:10).", DefaultValueFactory = _ => TimeSpan.FromSeconds(10), CustomParser = ParseDuration };
        var warmup = new Option<TimeSpan>("--warmup") { Description = "Unmeasured load before each phase (JIT, connection pool).", DefaultValueFactory = _ => TimeSpan.FromSeconds(3), CustomParser = ParseDuration };
        var connections = new Option<int>("--connections") { Description = "Connections (and concurrent workers of the peak phase).", DefaultValueFactory = _ => 32 };
        var phase = new Option<string>("--phase") { Description = "latency, peak or both.", DefaultValueFactory = _ => "both" };
        phase.AcceptOnlyFromAmong("latency", "peak", "both");
        var synchronous = new Option<string>("--synchronous")
        {
            Description = "Commit durability of the server started here: full (fsync each batch, the default) or normal (survives kill -9, not power loss).",
            DefaultValueFactory = _ => "full",
        };
        synchronous.AcceptOnlyFromAmong("full", "normal");
        var store = new Option<string?>("--store")
        {
            Description = "Signal store of the server(s) started here: memory (default) or a Redis address (redis://host:port), as `mamori serve --store`.",
        };
        var nodes = new Option<int>("--nodes")
        {
            Description = "Servers started here on the one --store (Redis), each with its own data folder; requests go to them in turn. " +
                "They share this process and its cores: the figure is what N nodes on one machine do, not N machines.",
            DefaultValueFactory = _ => 1,
        };
        var db = new Option<string?>("--db")
        {
            Description = "Store the server(s) started here keep their records in: a PostgreSQL URL or Npgsql connection string (as `mamori serve --db`). Default: SQLite in a temporary folder per server.",
        };
        var command = new Command("http",
            "Load-test POST /v1/login/assess over loopback HTTP: latency at a fixed rate (open loop; latency is measured from\n" +
            "each request's scheduled time, so a stalled server cannot hide its queue), then peak throughput (closed loop).\n" +
            "Each assessment is durably committed before its answer, as in production. Budgets: p99 <= 2 ms at 5k req/s;\n" +
            "peak >= 15k req/s with the load generator on the same 2 cores.\n" +
            "Exit codes: 0 measured; 1 no request of a phase succeeded (the first error is named); 2 bad options.\n\n" +
            "Examples:\n" +
            "  mamori bench http\n" +
            "  mamori bench http --rate 5000 --duration 10s --connections 32\n" +
            "  mamori bench http --store redis://127.0.0.1:6379 --nodes 2 --phase peak\n" +
            "  mamori bench http --db postgres://mamori:secret@127.0.0.1:5432/mamori --phase peak\n" +
            "  mamori bench http --url http://127.0.0.1:5080 --api-key \"$(cat mamori-data/api-key)\" --phase peak")
        {
            url, apiKey, rate, duration, warmup, connections, phase, synchronous, store, nodes, db,
        };
        command.SetAction(async (parse, ct) =>
        {
            int r = parse.GetValue(rate), c = parse.GetValue(connections);
            if (r is < 1 or > 1_000_000 || c is < 1 or > 4_096)
            {
                Console.Error.WriteLine("--rate must be 1..1,000,000 and --connections 1..4,096.");
                return 2;
            }
            TimeSpan d = parse.GetValue(duration), w = parse.GetValue(warmup);
            if (d <= TimeSpan.Zero || d > MaxPhase || w < TimeSpan.Zero || w > MaxPhase)
            {
                Console.Error.WriteLine($"--duration must be more than 0 and --warmup 0 or more, both at most {MaxPhase.TotalHours:0} h (were {d}, {w}).");
                return 2;
            }
            if (parse.GetValue(db) is string database && !Storage.Postgres.PostgresConnectionString.TryParse(database, out _, out string? dbError))
            {
                Console.Error.WriteLine($"--db: {dbError}");
                return 2;
            }
            int n = parse.GetValue(nodes);
            string? s = parse.GetValue(store);
            if (n is < 1 or > MaxNodes || (n > 1 && SignalStoreSelection.IsMemory(s)) || (parse.GetValue(url) is not null && (n > 1 || s is not null)))
            {
                Console.Error.WriteLine($"--nodes must be 1..{MaxNodes}; more than one needs a shared --store (redis://…); neither goes with --url.");
                return 2;
            }
            return await RunAsync(parse.GetValue(url), parse.GetValue(apiKey), r, d, w, c, parse.GetValue(phase)!, parse.GetValue(synchronous) == "normal" ? "Normal" : "Full",
                s, n, ct, parse.GetValue(db));
        });
        return command;
    }

    private static TimeSpan ParseDuration(System.CommandLine.Parsing.ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (text.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(text[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out double ms)) return TimeSpan.FromMilliseconds(ms);
        if (text.EndsWith('s') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double s)) return TimeSpan.FromSeconds(s);
        if (text.EndsWith('m') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double m)) return TimeSpan.FromMinutes(m);
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span)) return span;
        result.AddError($"'{text}' is not a duration; use e.g. 10s, 500ms, 2m or 00:00:10.");
        return default;
    }

    /// <summary>Longest phase: rate × duration requests are scheduled up front, so an absurd duration must not reach the loop.</summary>
    private static readonly TimeSpan MaxPhase = TimeSpan.FromHours(24);

    /// <summary>Exit code when a measured phase had no successful request: its latencies would be those of failures.</summary>
    private const int ExitNoSuccess = 1;

    /// <summary>Counts failed requests and keeps the first failure's reason. Thread-safe.</summary>
    private sealed class Failures
    {
        private long _count;
        private string? _first;

        public long Count => Interlocked.Read(ref _count);
        public string? First => Volatile.Read(ref _first);

        public void Add(string reason)
        {
            Interlocked.Increment(ref _count);
            Interlocked.CompareExchange(ref _first, reason, null);
        }
    }

    /// <summary>Servers one bench starts at most (they share its cores).</summary>
    private const int MaxNodes = 8;

    private static async Task<int> RunAsync(string? url, string? apiKey, int rate, TimeSpan duration, TimeSpan warmup, int connections, string phase, string synchronous,
        string? store, int nodes, CancellationToken ct, string? database = null)
    {
        var apps = new List<WebApplication>();
        var folders = new List<string>();
        var urls = new List<Uri>();
        try
        {
            if (url is null)
            {
                apiKey = Server.Auth.ApiKeyFormat.NewKey();
                for (int node = 0; node < nodes; node++)
                {
                    string data = Directory.CreateTempSubdirectory("mamori-bench-").FullName;
                    folders.Add(data);
                    string[] args =
                    [
                        "--urls", "http://127.0.0.1:0", $"--{Server.ServerSettings.Section}:DataPath", data, "--MAMORI_API_KEY", apiKey,
                        "--Logging:LogLevel:Default", "Warning", $"--{Server.ServerSettings.Section}:Synchronous", synchronous,
                    ];
                    if (store is not null) args = [.. args, $"--{Server.ServerSettings.Section}:Store", store];
                    if (database is not null) args = [.. args, $"--{Server.ServerSettings.Section}:Database", database];
                    WebApplication app = MamoriServerHost.Build(MamoriServerHost.CreateBuilder(args));
                    apps.Add(app);
                    await app.StartAsync(ct);
                    urls.Add(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
                    Console.Out.WriteLine($"Started a server on {urls[^1]} (data in {data}, synchronous={synchronous}, store={store ?? "memory"}, " +
                        $"records in {app.Services.GetRequiredService<Storage.IMamoriStorage>().Location}).");
                }
                url = urls[0].ToString();
            }
            apiKey ??= Environment.GetEnvironmentVariable("MAMORI_API_KEY");
            if (string.IsNullOrEmpty(apiKey))
            {
                Console.Error.WriteLine("--url needs --api-key (or MAMORI_API_KEY).");
                return 2;
            }
            HttpMessageHandler handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = connections, UseProxy = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            };
            if (urls.Count > 1) handler = new RoundRobinHandler(urls.ToArray(), handler);
            using var client = new HttpClient(handler)
            { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            byte[][] bodies = Bodies(4_096);

            Console.Out.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}.");
            if (phase is "latency" or "both")
            {
                Console.Out.WriteLine($"Latency phase: warm-up {warmup.TotalSeconds:0.#} s, then {rate:N0} req/s for {duration.TotalSeconds:0.#} s (open loop) …");
                await OpenLoopAsync(client, bodies, rate, warmup, null, ct);
                var scheduled = new LongHistogram(60_000_000, 3);
                var service = new LongHistogram(60_000_000, 3);
                (long sent, Failures failures, double achieved) = await OpenLoopAsync(client, bodies, rate, duration, (scheduled, service), ct);
                long failed = failures.Count;
                // Latencies of refused connections are not Mamori's: fail before printing them as a result.
                if (sent - failed == 0) return NoSuccess(failures);
                Console.Out.WriteLine($"| fixed rate {rate:N0}/s | achieved {achieved:N0}/s | sent {sent:N0} | errors {failed:N0} | " +
                    $"p50 {Ms(service, 50)} ms | p99 {Ms(service, 99)} ms | p99.9 {Ms(service, 99.9)} ms | max {Ms(service, 100)} ms | " +
                    $"p99 from schedule {Ms(scheduled, 99)} ms |");
            }
            if (phase is "peak" or "both")
            {
                Console.Out.WriteLine($"Peak phase: warm-up {warmup.TotalSeconds:0.#} s, then {connections} closed-loop workers for {duration.TotalSeconds:0.#} s …");
                await ClosedLoopAsync(client, bodies, connections, warmup, null, ct);
                var latency = new LongHistogram(60_000_000, 3);
                (long done, Failures failures) = await ClosedLoopAsync(client, bodies, connections, duration, latency, ct);
                long failed = failures.Count;
                if (done == 0) return NoSuccess(failures);
                Console.Out.WriteLine($"| peak, {connections} connections | {done / duration.TotalSeconds:N0} req/s | completed {done:N0} | errors {failed:N0} | " +
                    $"p50 {Ms(latency, 50)} ms | p99 {Ms(latency, 99)} ms |");
            }
            return 0;
        }
        finally
        {
            foreach (WebApplication app in apps)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }
            foreach (string data in folders)
            {
                try { Directory.Delete(data, recursive: true); } catch (IOException) { /* best effort */ }
            }
        }
    }

    /// <summary>A phase where every request failed measured the failure, not Mamori: say why and fail the run.</summary>
    private static int NoSuccess(Failures failures)
    {
        Console.Error.WriteLine($"no request succeeded: {failures.First ?? "no request was sent"}");
        return ExitNoSuccess;
    }

    private static string Ms(LongHistogram h, double percentile) =>
        (h.GetValueAtPercentile(percentile) / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Varied, realistic attempts: many accounts, addresses in documentation ranges, some with fingerprints.</summary>
    private static byte[][] Bodies(int count)
    {
        var random = new Random(20201014);
        var bodies = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            string fp = random.Next(3) == 0 ? $",\"secret_fp\":\"{random.NextInt64():x16}\"" : "";
            bodies[i] = Encoding.UTF8.GetBytes(
                $"{{\"account\":\"user{random.Next(50_000)}@example.jp\",\"ip\":\"203.0.113.{random.Next(256)}\"," +
                $"\"user_agent\":\"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148\"," +
                $"\"device\":\"dev-{random.Next(60_000)}\",\"asn\":{2516 + random.Next(4)},\"country\":\"JP\"{fp}}}");
        }
        return bodies;
    }

    /// <summary>Sends one assessment; true when it succeeded, else the reason goes to <paramref name="failures"/>.</summary>
    private static async Task<bool> SendAsync(HttpClient client, byte[] body, Failures failures, CancellationToken ct)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using HttpResponseMessage response = await client.PostAsync("/v1/login/assess", content, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            if (response.IsSuccessStatusCode) return true;
            failures.Add($"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {client.BaseAddress}");
            return false;
        }
        catch (HttpRequestException ex)
        {
            failures.Add($"{client.BaseAddress}: {ex.Message}");
            return false;
        }
    }

    /// <summary>Open loop: requests leave on schedule whether or not earlier ones have returned.</summary>
    private static async Task<(long Sent, Failures Failures, double Achieved)> OpenLoopAsync(HttpClient client, byte[][] bodies, int rate, TimeSpan duration,
        (LongHistogram Scheduled, LongHistogram Service)? record, CancellationToken ct)
    {
        long total = (long)(rate * duration.TotalSeconds);
        long sent = 0;
        var failures = new Failures();
        var inFlight = new List<Task>((int)Math.Min(total, 1_000_000));
        var gate = new Lock();
        double ticksPerRequest = (double)Stopwatch.Frequency / rate;
        long start = Stopwatch.GetTimestamp();
        // A 1 ms timer releases every request due by then: the generator wakes a thousand times a second instead of
        // spinning on one of the two cores the server needs.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        while (sent < total && await timer.WaitForNextTickAsync(ct))
        {
            long now = Stopwatch.GetTimestamp();
            while (sent < total && start + (long)(sent * ticksPerRequest) <= now)
            {
                long intended = start + (long)(sent * ticksPerRequest);
                byte[] body = bodies[sent % bodies.Length];
                sent++;
                inFlight.Add(Task.Run(async () =>
                {
                    long begun = Stopwatch.GetTimestamp();
                    await SendAsync(client, body, failures, ct);
                    long end = Stopwatch.GetTimestamp();
                    if (record is (LongHistogram scheduled, LongHistogram service))
                    {
                        lock (gate)
                        {
                            scheduled.RecordValue(Math.Max(1, (end - intended) * 1_000_000 / Stopwatch.Frequency));
                            service.RecordValue(Math.Max(1, (end - begun) * 1_000_000 / Stopwatch.Frequency));
                        }
                    }
                }, ct));
            }
        }
        await Task.WhenAll(inFlight);
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (sent, failures, sent / elapsed);
    }

    /// <summary>Closed loop: each worker sends its next request when the previous one returns.</summary>
    private static async Task<(long Done, Failures Failures)> ClosedLoopAsync(HttpClient client, byte[][] bodies, int workers, TimeSpan duration,
        LongHistogram? record, CancellationToken ct)
    {
        long done = 0, next = 0;
        var failures = new Failures();
        var gate = new Lock();
        long stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            tasks[w] = Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < stopAt && !ct.IsCancellationRequested)
                {
                    long i = Interlocked.Increment(ref next);
                    long begun = Stopwatch.GetTimestamp();
                    bool ok = await SendAsync(client, bodies[i % bodies.Length], failures, ct);
                    long end = Stopwatch.GetTimestamp();
                    if (ok) Interlocked.Increment(ref done);
                    if (record is not null)
                        lock (gate) record.RecordValue(Math.Max(1, (end - begun) * 1_000_000 / Stopwatch.Frequency));
                }
            }, ct);
        }
        await Task.WhenAll(tasks);
        return (done, failures);
    }

    /// <summary>Sends each request to the next node in turn, as a load balancer would.</summary>
    private sealed class RoundRobinHandler(Uri[] nodes, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private long _next;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri node = nodes[(int)(Interlocked.Increment(ref _next) % nodes.Length)];
            request.RequestUri = new Uri(node, request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
