using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Garnet;

namespace Mamori.Server.Tests.ScaleOut;

/// <summary>A running `mamori serve` process and a client with the admin key.</summary>
internal sealed record ServeNode(string Name, Process Process, HttpClient Client);

/// <summary>
/// Starts real `mamori serve` processes (as users run them) on a shared store, and kills them at the end. Each node
/// gets its own data folder; with MAMORI_TEST_POSTGRES set every node uses that database instead of its own SQLite.
/// </summary>
internal sealed class ServeNodes : IDisposable
{
    public const string Key = "scale-out-admin-key-0123456789abcdef";

    private readonly List<Process> _processes = [];
    private readonly List<string> _folders = [];
    private readonly ConcurrentQueue<string> _output = new();

    /// <summary>The last lines the nodes printed (for failure messages).</summary>
    public string Output => string.Join("\n", _output.TakeLast(60));

    // The nodes of one test share one database (CI: PostgreSQL) in a schema of their own, so tests running side by
    // side never see each other's keys or records.
    private readonly PostgresSchema? _schema = PostgresSchema.SkipReason is null ? new PostgresSchema() : null;

    /// <summary>The database this test's nodes share when the environment provides one (CI: PostgreSQL).</summary>
    public string? SharedDatabase => _schema?.ConnectionString;

    public static string? MamoriDll() => MamoriProcess.Dll();

    public static int FreePort() => MamoriProcess.FreePort();

    /// <summary>Starts a node on <paramref name="store"/> with a key prefix of its own test run, and waits (bounded) until it answers.</summary>
    public async Task<ServeNode> StartAsync(string dll, string name, string store, string keyPrefix, IReadOnlyDictionary<string, string>? environment = null)
    {
        string data = Directory.CreateTempSubdirectory($"mamori-{name}-").FullName;
        _folders.Add(data);
        int port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { dll, "serve", "--urls", $"http://127.0.0.1:{port}", "--data", data, "--store", store }) start.ArgumentList.Add(arg);
        start.Environment["MAMORI_API_KEY"] = Key;
        start.Environment["Mamori__Redis__KeyPrefix"] = keyPrefix;
        // The production default is 100 ms; a loaded two-core test machine running three processes can exceed it on a
        // healthy server, and what these tests check is one view and recovery, not the machine's speed.
        start.Environment["Mamori__Redis__Timeout"] = "00:00:02";
        // Likewise for commits: the 250 ms storage default is a latency policy, and a shared PostgreSQL on a loaded CI
        // machine can miss it, turning an ordinary login into a storage_unavailable step-up (PostgresServerTests does the same).
        start.Environment["Mamori__Server__StorageTimeout"] = "00:00:10";
        // `--db` through its configuration key, as the README advises for passwords.
        if (SharedDatabase is string db) start.Environment["Mamori__Server__Database"] = db;
        if (environment is not null)
            foreach ((string k, string v) in environment) start.Environment[k] = v;
        var process = Process.Start(start)!;
        _processes.Add(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue($"[{name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        // Bounded poll: up to 90 s, one short request every 100 ms.
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        for (int i = 0; i < 900; i++)
        {
            Assert.False(process.HasExited, $"mamori serve ({name}) exited during start-up:\n" + Output);
            try
            {
                using HttpResponseMessage health = await client.GetAsync("/healthz");
                if (health.IsSuccessStatusCode) return new ServeNode(name, process, client);
            }
            catch (HttpRequestException) { /* not listening yet */ }
            catch (TaskCanceledException) { /* busy machine */ }
            await pace.WaitForNextTickAsync();
        }
        throw new TimeoutException($"mamori serve ({name}) did not answer within 90 s:\n" + Output);
    }

    /// <summary>Polls <c>/healthz</c> (bounded: 60 s) until it says <paramref name="status"/>.</summary>
    public async Task WaitForHealthAsync(ServeNode node, string status)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        string last = "";
        for (int i = 0; i < 600; i++)
        {
            try
            {
                JsonElement health = await node.Client.GetJsonAsync("/healthz");
                last = health.ToString();
                if (health.GetProperty("status").GetString() == status) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await pace.WaitForNextTickAsync();
        }
        throw new TimeoutException($"{node.Name}: /healthz did not say {status} within 60 s (last: {last}):\n{Output}");
    }

    public void Dispose()
    {
        foreach (Process p in _processes)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.Dispose();
        }
        foreach (string folder in _folders)
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _schema?.Dispose();
    }
}

/// <summary>
/// The Redis the tests share: MAMORI_TEST_REDIS (CI: a real redis-server) or, locally, an in-process Garnet server.
/// </summary>
internal sealed class SharedRedis : IDisposable
{
    private readonly GarnetServer? _garnet;

    private SharedRedis(string endpoint, string kind, GarnetServer? garnet)
    {
        Endpoint = endpoint;
        Kind = kind;
        _garnet = garnet;
    }

    /// <summary><c>host:port</c>.</summary>
    public string Endpoint { get; }

    /// <summary>What serves it (for messages).</summary>
    public string Kind { get; }

    /// <summary>The shared Redis, or null with the reason none could be had.</summary>
    public static SharedRedis? TryCreate(out string why)
    {
        why = "";
        if (Environment.GetEnvironmentVariable("MAMORI_TEST_REDIS") is { Length: > 0 } endpoint)
            return new SharedRedis(endpoint, "redis (MAMORI_TEST_REDIS)", null);
        try
        {
            int port = ServeNodes.FreePort();
            var garnet = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--lua", "true"]);
            garnet.Start();
            return new SharedRedis($"127.0.0.1:{port}", "garnet (in-process)", garnet);
        }
        catch (Exception ex)
        {
            why = $"MAMORI_TEST_REDIS is not set and an in-process Garnet server did not start ({ex.GetType().Name}: {ex.Message}).";
            return null;
        }
    }

    public void Dispose() => _garnet?.Dispose();
}

/// <summary>A real redis-server process the test starts and stops itself (skip when not installed).</summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly string _binary;
    private Process? _process;

    private RedisProcess(string binary, int port)
    {
        _binary = binary;
        Port = port;
    }

    public int Port { get; }

    public static string? FindBinary()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/sbin"))
        {
            string candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static RedisProcess Start(string binary)
    {
        var redis = new RedisProcess(binary, ServeNodes.FreePort());
        redis.Start();
        return redis;
    }

    /// <summary>Starts (or restarts, empty: no persistence) the server on the same port; returns when it is ready.</summary>
    public void Start()
    {
        var info = new ProcessStartInfo(_binary)
        {
            ArgumentList = { "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        string? line;
        while ((line = _process.StandardOutput.ReadLine()) is not null)
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal)) break;
        _process.StandardOutput.Close();
    }

    /// <summary>SIGKILL: clients see their connections drop, as when the server crashes.</summary>
    public void Kill()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();
}
