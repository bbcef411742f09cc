using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mamori.Server.Tests;

/// <summary>Runs the real <c>mamori</c> command as users do: finds the built CLI, picks ports, starts and waits.</summary>
internal static class MamoriProcess
{
    /// <summary>The built CLI of this configuration, or null when src/Mamori.Cli was not built.</summary>
    public static string? Dll()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Mamori.slnx"))) dir = Path.GetDirectoryName(dir);
        if (dir is null) return null;
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        string path = Path.Combine(dir, "src", "Mamori.Cli", "bin", configuration, "net10.0", "mamori.dll");
        return File.Exists(path) ? path : null;
    }

    /// <summary>A loopback port free right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <c>mamori serve</c> on <paramref name="port"/> with <paramref name="environment"/>, collecting its output
    /// into <paramref name="output"/>, and returns once <c>/healthz</c> answers 200 (bounded: 60 s).
    /// </summary>
    public static async Task<(Process Process, HttpClient Client)> StartServeAsync(string dll, int port, IEnumerable<string> serveArgs,
        IReadOnlyDictionary<string, string> environment, string apiKey, ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { dll, "serve", "--urls", $"http://127.0.0.1:{port}" }.Concat(serveArgs)) start.ArgumentList.Add(arg);
        start.Environment["MAMORI_API_KEY"] = apiKey;
        start.Environment["Mamori__Server__StorageTimeout"] = "00:00:10";   // the CI disk must not decide answers; callers may override
        foreach ((string k, string v) in environment) start.Environment[k] = v;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        // Bounded poll of /healthz: up to 60 s, one short request every 100 ms.
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        for (int i = 0; i < 600; i++)
        {
            if (process.HasExited)
            {
                process.Dispose();
                throw new InvalidOperationException("mamori serve exited during start-up:\n" + string.Join("\n", output.TakeLast(60)));
            }
            try
            {
                using HttpResponseMessage health = await client.GetAsync("/healthz");
                if (health.IsSuccessStatusCode) return (process, client);
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await pace.WaitForNextTickAsync();
        }
        throw new TimeoutException("mamori serve did not become healthy within 60 s:\n" + string.Join("\n", output.TakeLast(60)));
    }
}
