using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mamori.Storage.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mamori.Server.Tests;

/// <summary>A PostgreSQL cluster of the test's own (initdb in /tmp, trust auth on loopback), so it can be stopped and started.</summary>
internal sealed class ThrowawayPostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mamori-pg-outage-" + Guid.NewGuid().ToString("N"));
    private readonly int _port;

    /// <summary>The newest installed server's bin folder, or null.</summary>
    public static string? BinDir =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderBy(d => d.Length).ThenBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;

    private ThrowawayPostgres(string bin, int port)
    {
        _bin = bin;
        _port = port;
        Run("initdb", "-D", _dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale");
        Start();
    }

    public static ThrowawayPostgres Create(int port) => new(BinDir!, port);

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Timeout=5";

    public void Start() => Run("pg_ctl", "-D", _dir, "-l", _dir + ".log", "-w", "-t", "60",
        "-o", $"-c listen_addresses=127.0.0.1 -p {_port} -c unix_socket_directories={_dir}", "start");

    public void Stop() => Run("pg_ctl", "-D", _dir, "-m", "fast", "-w", "-t", "60", "stop");

    public void Dispose()
    {
        try { Run("pg_ctl", "-D", _dir, "-m", "immediate", "-w", "stop"); } catch (InvalidOperationException) { /* not running */ }
        try { Directory.Delete(_dir, recursive: true); File.Delete(_dir + ".log"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    // PostgreSQL refuses to run as root: as root (CI), run its tools as the postgres user.
    private void Run(string tool, params string[] args)
    {
        bool root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? "runuser" : Path.Combine(_bin, tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (root) foreach (string a in new[] { "-u", "postgres", "--", Path.Combine(_bin, tool) }) start.ArgumentList.Add(a);
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {error} {output.Result}");
    }
}

/// <summary>The server on PostgreSQL (<c>Mamori:Server:Database</c> / <c>mamori serve --db</c>).</summary>
public sealed class PostgresServerTests : IDisposable
{
    private const string Key = "pg-e2e-admin-key-0123456789abcdef";
    private readonly List<Process> _processes = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private PostgresSchema? _schema;

    public void Dispose()
    {
        foreach (Process p in _processes)
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.WaitForExit();
            p.Dispose();
        }
        _schema?.Dispose();
    }

    private PostgresSchema Schema()
    {
        Skip.If(PostgresSchema.SkipReason is not null, PostgresSchema.SkipReason);
        return _schema ??= new PostgresSchema();
    }

    [SkippableFact]
    public async Task Database_Postgres_AnswersStoresAndReadsBackTheDecision()
    {
        PostgresSchema schema = Schema();
        using var factory = new MamoriFactory();
        factory.Settings[ServerSettings.Section + ":Database"] = schema.ConnectionString;
        HttpClient client = factory.Admin();

        JsonElement answer = await client.PostJsonAsync("/v1/login/events",
            """{"account":"alice","ip":"192.0.2.1","outcome":"success","device":"phone"}""");
        string requestId = answer.GetProperty("request_id").GetString()!;

        Assert.Equal(1L, (long)schema.Scalar("SELECT COUNT(*) FROM decisions WHERE request_id = $1 AND account = 'alice'", requestId)!);
        Assert.False(File.Exists(Path.Combine(factory.DataPath, "mamori.db")), "SQLite must not be used when a database is configured.");
        JsonElement account = await client.GetJsonAsync("/v1/accounts/alice");
        Assert.Equal(requestId, account.GetProperty("recent_events")[0].GetProperty("request_id").GetString());
        Assert.Equal("phone", account.GetProperty("devices")[0].GetProperty("device").GetString());
        // The bootstrap admin key lives in PostgreSQL too.
        Assert.Equal(1L, (long)schema.Scalar("SELECT COUNT(*) FROM api_keys")!);
    }

    [SkippableFact]
    public async Task Database_Postgres_TheFlowsKeepTheirRecordsThereToo_NotInFlowsDb()
    {
        PostgresSchema schema = Schema();
        using var factory = new MamoriFactory();
        factory.Settings[ServerSettings.Section + ":Database"] = schema.ConnectionString;
        HttpClient client = factory.Admin();

        using HttpResponseMessage enrolled = await client.PostAsync("/v1/accounts/alice/factors/totp",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Created, enrolled.StatusCode);
        Assert.Equal(1L, (long)schema.Scalar("SELECT COUNT(*) FROM flows_totp_factors WHERE account = 'alice'")!);
        Assert.Equal(1L, (long)schema.Scalar("SELECT COUNT(*) FROM flows_audit WHERE account = 'alice'")!);
        Assert.False(File.Exists(Path.Combine(factory.DataPath, "flows.db")), "The flows must not use SQLite when a database is configured.");
    }

    [Fact]
    public void Database_Malformed_FailsTheStartNamingTheSettingNotThePassword()
    {
        using var factory = new MamoriFactory();
        factory.Settings[ServerSettings.Section + ":Database"] = "postgres://mamori:topsecret@db.internal/mamori?sslmod=require";

        Exception error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        OptionsValidationException validation = Assert.IsType<OptionsValidationException>(FindValidation(error));
        Assert.Contains("Mamori:Server:Database", validation.Message, StringComparison.Ordinal);
        Assert.Contains("unknown parameter 'sslmod'", validation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_Unreachable_StartsDegradedSayingWhereNeverThePassword()
    {
        using var factory = new MamoriFactory();
        // Port 1 on loopback refuses at once: no server needed.
        factory.Settings[ServerSettings.Section + ":Database"] = "postgres://mamori:topsecret@127.0.0.1:1/mamori";
        HttpClient client = factory.Admin();

        JsonElement answer = await client.PostJsonAsync("/v1/login/assess", """{"account":"alice","ip":"192.0.2.1"}""");

        Assert.Equal("challenge", answer.GetProperty("decision").GetString());
        Assert.Contains("storage_unavailable", answer.ReasonCodes());
        using HttpResponseMessage response = await client.GetAsync("/healthz");
        string health = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"degraded\"", health, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", health, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", health, StringComparison.Ordinal);
        await Http.AssertProblemAsync(await client.GetAsync("/v1/accounts/alice"), 503);
    }

    private static OptionsValidationException? FindValidation(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
            if (error is OptionsValidationException validation) return validation;
        return null;
    }

    [SkippableFact]
    public async Task Database_StoppedThenStarted_AnswersByThePolicyThenRecoversWithoutARestart()
    {
        Skip.If(ThrowawayPostgres.BinDir is null, "PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed.");
        using ThrowawayPostgres postgres = ThrowawayPostgres.Create(MamoriProcess.FreePort());
        using var factory = new MamoriFactory();
        factory.Settings[ServerSettings.Section + ":Database"] = postgres.ConnectionString;
        // About outages, not latency: a loaded machine's slow first commit must not read as one (a stopped server refuses at once).
        factory.Settings[ServerSettings.Section + ":StorageTimeout"] = "00:00:10";
        HttpClient client = factory.Admin();
        const string Login = """{"account":"alice","ip":"192.0.2.1"}""";

        JsonElement before = await client.PostJsonAsync("/v1/login/assess", Login);
        Assert.DoesNotContain("storage_unavailable", before.ReasonCodes());

        // Several pooled connections, idle when the server stops: each is stale after it returns.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetJsonAsync("/v1/accounts/alice")));

        postgres.Stop();
        JsonElement during = await client.PostJsonAsync("/v1/login/assess", Login);
        Assert.Equal("challenge", during.GetProperty("decision").GetString());
        Assert.Equal("storage_unavailable", during.ReasonCodes()[0]);
        JsonElement degraded = await client.GetJsonAsync("/healthz");
        Assert.Equal("degraded", degraded.GetProperty("status").GetString());
        Assert.Contains(degraded.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("storage:", StringComparison.Ordinal));

        postgres.Start();
        JsonElement after = await client.PostJsonAsync("/v1/login/assess", Login);
        Assert.DoesNotContain("storage_unavailable", after.ReasonCodes());
        Assert.Equal("ok", (await client.GetJsonAsync("/healthz")).GetProperty("status").GetString());
        JsonElement account = await client.GetJsonAsync("/v1/accounts/alice");
        string[] stored = [.. account.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()!)];
        Assert.Equal([after.GetProperty("request_id").GetString()!, before.GetProperty("request_id").GetString()!], stored);
    }

    // ----- the real `mamori serve --db` process -----

    [SkippableFact]
    public async Task Serve_WithAMalformedDb_ExitsWithCode2AndAReason()
    {
        string? dll = MamoriProcess.Dll();
        Skip.If(dll is null, "src/Mamori.Cli is not built (dotnet build Mamori.slnx builds it).");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { dll!, "serve", "--db", "postgres://mamori:topsecret@db.internal:5432" }) start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--db: the PostgreSQL connection names no database", error, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Serve_WithDbPostgres_SigkillLosesNoAcknowledgedDecision()
    {
        PostgresSchema schema = Schema();
        string? dll = MamoriProcess.Dll();
        Skip.If(dll is null, "src/Mamori.Cli is not built (dotnet build Mamori.slnx builds it).");
        string data = Directory.CreateTempSubdirectory("mamori-pg-e2e-").FullName;
        try
        {
            (Process first, HttpClient client) = await StartAsync(dll!, data, schema.ConnectionString);
            Assert.NotNull(await SendEventAsync(client, 0));   // warm: the first request pays for JIT and the first connection
            string?[] ids = await Task.WhenAll(Enumerable.Range(1, 120).Select(i => SendEventAsync(client, i)));
            string[] acknowledged = [.. ids.OfType<string>()];
            Assert.True(acknowledged.Length == 120, $"{120 - acknowledged.Length} of 120 were not acknowledged as stored:\n{Output}");

            first.Kill();   // SIGKILL: no shutdown code runs
            await first.WaitForExitAsync();

            // Every acknowledged decision is in PostgreSQL, and a new node (another data folder) reads them back.
            Assert.Equal((long)acknowledged.Length, (long)schema.Scalar("SELECT COUNT(*) FROM decisions WHERE request_id = ANY($1)", (object)acknowledged)!);
            string other = Directory.CreateTempSubdirectory("mamori-pg-e2e-").FullName;
            (_, HttpClient second) = await StartAsync(dll!, other, schema.ConnectionString);
            JsonElement account = await second.GetJsonAsync("/v1/accounts/pg-e2e-user?limit=500");
            HashSet<string> stored = [.. account.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()!)];
            Assert.All(acknowledged, id => Assert.Contains(id, stored));
            try { Directory.Delete(other, recursive: true); } catch (IOException) { }
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [SkippableFact]
    public async Task Keys_WithDb_CreateAndListGoToPostgres()
    {
        PostgresSchema schema = Schema();
        string? dll = MamoriProcess.Dll();
        Skip.If(dll is null, "src/Mamori.Cli is not built (dotnet build Mamori.slnx builds it).");

        (int created, string key, _) = await RunMamoriAsync(dll!, "keys", "create", "--scope", "assess", "--name", "login", "--db", schema.ConnectionString);
        (int listed, string list, _) = await RunMamoriAsync(dll!, "keys", "list", "--db", schema.ConnectionString);
        (int refused, _, string error) = await RunMamoriAsync(dll!, "keys", "list", "--db", "postgres://u:topsecret@h/db?nope=1");

        Assert.Equal((0, 0, 2), (created, listed, refused));
        Assert.False(string.IsNullOrWhiteSpace(key));
        string id = (string)schema.Scalar("SELECT id FROM api_keys WHERE name = 'login'")!;
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Contains("unknown parameter 'nope'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Out, string Error)> RunMamoriAsync(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("Mamori__Server__Database");
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, error);
    }

    private string Output => string.Join("\n", _output.TakeLast(40));

    private async Task<(Process Process, HttpClient Client)> StartAsync(string dll, string data, string database)
    {
        (Process process, HttpClient client) = await MamoriProcess.StartServeAsync(dll, MamoriProcess.FreePort(), ["--data", data],
            new Dictionary<string, string>
            {
                ["Mamori__Server__Database"] = database,   // the environment form: no password on the command line
                // This test is about durability, not latency: a loaded CI machine must not turn slow commits into failure answers.
                ["Mamori__Server__StorageTimeout"] = "00:00:10",
            }, Key, _output);
        _processes.Add(process);
        return (process, client);
    }

    private static async Task<string?> SendEventAsync(HttpClient client, int i)
    {
        using HttpResponseMessage response = await client.PostAsync("/v1/login/events",
            Http.Json($$"""{"account":"pg-e2e-user","ip":"192.0.2.{{i % 200}}","outcome":"{{(i % 3 == 0 ? "success" : "wrong_secret")}}","device":"dev-{{i % 5}}"}"""));
        if (response.StatusCode != HttpStatusCode.OK) return null;
        JsonElement answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        // An answer given by the failure policy was not stored: it is not an acknowledged durable record.
        if (answer.GetProperty("reasons").EnumerateArray().Any(r => r.GetProperty("code").GetString() == "storage_unavailable")) return null;
        return answer.GetProperty("request_id").GetString();
    }
}
