using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Mamori.Server.Tests;

/// <summary>
/// The real `mamori serve` process, as users run it, over plain loopback HTTP: killed with SIGKILL it loses no
/// acknowledged decision; stopped with SIGTERM it drains what is in flight.
/// </summary>
public sealed class ServeProcessTests : IDisposable
{
    private const string Key = "e2e-admin-key-0123456789abcdefgh";
    private readonly string _data = Directory.CreateTempSubdirectory("mamori-e2e-").FullName;
    private readonly List<Process> _processes = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private string Output => string.Join("\n", _output.TakeLast(40));

    public void Dispose()
    {
        foreach (Process p in _processes)
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.Dispose();
        }
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private async Task<(Process Process, HttpClient Client)> StartAsync(string dll, int port)
    {
        (Process process, HttpClient client) = await MamoriProcess.StartServeAsync(dll, port, ["--data", _data],
            new Dictionary<string, string>(), Key, _output);
        _processes.Add(process);
        return (process, client);
    }

    private static async Task<string?> SendEventAsync(HttpClient client, int i)
    {
        try
        {
            using HttpResponseMessage response = await client.PostAsync("/v1/login/events",
                Http.Json($$"""{"account":"e2e-user","ip":"192.0.2.{{i % 200}}","outcome":"{{(i % 3 == 0 ? "success" : "wrong_secret")}}","device":"dev-{{i % 5}}"}"""));
            if (response.StatusCode != HttpStatusCode.OK) return null;
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString();
        }
        catch (HttpRequestException) { return null; }      // refused or cut: never acknowledged
        catch (TaskCanceledException) { return null; }
        // A connection cut while it was being set up surfaces unwrapped (SocketHttpHandler reads the remote endpoint
        // of a socket the stopping server already closed): equally never acknowledged.
        catch (System.Net.Sockets.SocketException) { return null; }
    }

    private static async Task<HashSet<string>> StoredIdsAsync(HttpClient client)
    {
        JsonElement account = await client.GetJsonAsync("/v1/accounts/e2e-user?limit=500");
        return account.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()!).ToHashSet();
    }

    [SkippableFact]
    public async Task AnIpGeoFileThatIsNoMaxMindDb_StopsServeWithExitTwo_NamingIt()
    {
        string? dll = MamoriProcess.Dll();
        Skip.If(dll is null, "src/Mamori.Cli is not built");
        string folder = Directory.CreateTempSubdirectory("mamori-geo-serve-").FullName;
        try
        {
            string fake = Path.Combine(folder, "GeoLite2-ASN.mmdb");
            await File.WriteAllTextAsync(fake, "not a database");
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string arg in new[] { dll!, "serve", "--urls", $"http://127.0.0.1:{MamoriProcess.FreePort()}", "--data", Path.Combine(folder, "data") })
                start.ArgumentList.Add(arg);
            start.Environment["Mamori__Server__GeoIpDatabases__0"] = fake;
            using var process = System.Diagnostics.Process.Start(start)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(2, process.ExitCode);
            string error = await stderr + await stdout;
            Assert.Contains("GeoLite2-ASN.mmdb is not a MaxMind DB", error);
            Assert.DoesNotContain("Unhandled exception", error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Sigkill_ThenRestartOnTheSameFolder_FindsEveryAcknowledgedDecision()
    {
        string? dll = MamoriProcess.Dll();
        Skip.If(dll is null, "src/Mamori.Cli is not built (dotnet build Mamori.slnx builds it).");
        int port = MamoriProcess.FreePort();
        (Process first, HttpClient client) = await StartAsync(dll!, port);

        // Ten concurrent senders, so decisions are committed in shared batches as under load.
        var sends = Enumerable.Range(0, 120).Select(i => SendEventAsync(client, i)).ToArray();
        string?[] ids = await Task.WhenAll(sends);
        string[] acknowledged = ids.Where(id => id is not null).Select(id => id!).ToArray();
        Assert.Equal(120, acknowledged.Length);

        first.Kill();   // SIGKILL: no shutdown code runs
        await first.WaitForExitAsync();

        (_, HttpClient restarted) = await StartAsync(dll!, MamoriProcess.FreePort());
        HashSet<string> stored = await StoredIdsAsync(restarted);
        Assert.All(acknowledged, id => Assert.Contains(id, stored));
    }

    [SkippableFact]
    public async Task Sigterm_DrainsRequestsInFlightAndExits()
    {
        string? dll = MamoriProcess.Dll();
        Skip.If(dll is null, "src/Mamori.Cli is not built (dotnet build Mamori.slnx builds it).");
        (Process server, HttpClient client) = await StartAsync(dll!, MamoriProcess.FreePort());
        await SendEventAsync(client, 0);   // warm: the first request pays for JIT

        Task<string?>[] inFlight = Enumerable.Range(1, 200).Select(i => SendEventAsync(client, i)).ToArray();
        using (Process kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        string?[] answers = await Task.WhenAll(inFlight);
        await server.WaitForExitAsync();

        // 0: the host stopped by itself. (System.CommandLine ends the process with 143 if stopping takes longer than
        // its ProcessTerminationTimeout; acknowledged decisions are durable either way, checked below.)
        Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}:\n{Output}");
        string[] acknowledged = answers.Where(a => a is not null).Select(a => a!).ToArray();
        (_, HttpClient restarted) = await StartAsync(dll!, MamoriProcess.FreePort());
        HashSet<string> stored = await StoredIdsAsync(restarted);
        Assert.All(acknowledged, id => Assert.Contains(id, stored));
    }
}
