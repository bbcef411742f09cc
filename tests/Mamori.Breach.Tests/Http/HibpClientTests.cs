using System.Diagnostics;
using System.Text.Json;
using Mamori.Breach.Import;
using Mamori.Breach.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace Mamori.Breach.Tests.Http;

/// <summary>The independent <c>hibp</c> npm client, pointed at Mamori on a real loopback port, must read Mamori's
/// answers as it reads the public API's. Needs node and <c>npm ci --prefix tests/hibp-client</c> (CI runs it in
/// .ci/services.sh); skips with the reason when either is absent.</summary>
public sealed class HibpClientTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private TestCorpus _corpus = null!;
    private WebApplication? _app;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        if (ClientMissingReason() is not null) return;
        _corpus = TestCorpus.Create(1000);
        string data = _temp.Combine("data");
        string sha1 = _temp.Combine("sha1.txt");
        string ntlm = _temp.Combine("ntlm.txt");
        _corpus.Write(sha1, PwnedHashMode.Sha1);
        _corpus.Write(ntlm, PwnedHashMode.Ntlm);
        BreachImporter.Import(sha1, data, new BreachImportOptions());
        BreachImporter.Import(ntlm, data, new BreachImportOptions());
        _app = await RangeHost.StartAsync(data, loopbackPort: true);
        _baseUrl = RangeHost.BaseUrl(_app);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _temp.Dispose();
    }

    [SkippableFact]
    public async Task KnownPassword_IsFoundBreachedWithItsCount()
    {
        Skip.If(ClientMissingReason() is not null, ClientMissingReason());

        JsonElement result = await RunClientAsync("password", "P@ssw0rd");

        Assert.Equal(_corpus.Sha1[TestCorpus.Sha1Hex("P@ssw0rd")], result.GetProperty("count").GetUInt32());
    }

    [SkippableFact]
    public async Task RandomPassword_IsNotFound()
    {
        Skip.If(ClientMissingReason() is not null, ClientMissingReason());

        JsonElement result = await RunClientAsync("password", $"mamori-{Guid.NewGuid():N}");

        Assert.Equal(0, result.GetProperty("count").GetInt32());
    }

    [SkippableFact]
    public async Task NtlmRange_FindsTheNtlmHashOfAPassword()
    {
        Skip.If(ClientMissingReason() is not null, ClientMissingReason());
        string ntlm = TestCorpus.NtlmHex("password");

        JsonElement result = await RunClientAsync("range", ntlm[..5], ntlm[5..], "ntlm");

        Assert.Equal(_corpus.Ntlm[ntlm], result.GetProperty("count").GetUInt32());
    }

    [SkippableFact]
    public async Task BadPrefix_SurfacesThePublicApisMessageInTheClient()
    {
        Skip.If(ClientMissingReason() is not null, ClientMissingReason());

        JsonElement result = await RunClientAsync("range", "5BAA", "X");

        Assert.Equal("The hash prefix was not in a valid format", result.GetProperty("error").GetString());
    }

    private async Task<JsonElement> RunClientAsync(params string[] args)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(ClientFolder!, "check.js"));
        start.ArgumentList.Add(_baseUrl);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        string output = await stdout;
        Assert.True(output.Length > 0, $"node printed nothing; stderr: {await stderr}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static readonly string? ClientFolder = FindClientFolder();

    private static string? ClientMissingReason()
    {
        if (ClientFolder is null) return "tests/hibp-client not found above the test binaries";
        if (!File.Exists(Path.Combine(ClientFolder, "node_modules", "hibp", "package.json")))
            return "the hibp npm package is not installed: run `npm ci --prefix tests/hibp-client`";
        if (!OnPath("node")) return "node is not on PATH";
        return null;
    }

    private static string? FindClientFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "hibp-client");
            if (File.Exists(Path.Combine(candidate, "check.js"))) return candidate;
        }
        return null;
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));
}
