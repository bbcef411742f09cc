using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Mamori.Breach.Http;
using Mamori.Breach.Import;
using Mamori.Breach.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Breach.Tests.Http;

/// <summary>One imported corpus (SHA-1 and NTLM) shared by the read-only range tests.</summary>
public sealed class ImportedCorpusFixture : IDisposable
{
    private readonly TempFolder _temp = new();

    public ImportedCorpusFixture()
    {
        Corpus = TestCorpus.Create();
        DataFolder = _temp.Combine("data");
        string sha1 = _temp.Combine("sha1.txt");
        string ntlm = _temp.Combine("ntlm.txt");
        Corpus.Write(sha1, PwnedHashMode.Sha1);
        Corpus.Write(ntlm, PwnedHashMode.Ntlm);
        BreachImporter.Import(sha1, DataFolder, new BreachImportOptions());
        BreachImporter.Import(ntlm, DataFolder, new BreachImportOptions());
    }

    internal TestCorpus Corpus { get; }

    public string DataFolder { get; }

    public void Dispose() => _temp.Dispose();
}

public sealed partial class RangeEndpointTests(ImportedCorpusFixture fixture) : IClassFixture<ImportedCorpusFixture>, IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await RangeHost.StartAsync(fixture.DataFolder);
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EveryPrefixOfTheCorpus_AnswersByteForByteAsThePublicFormatRequires()
    {
        foreach (string prefix in fixture.Corpus.Sha1.Keys.Select(h => h[..5]).Distinct())
        {
            HttpResponseMessage response = await _client.GetAsync($"/range/{prefix}");
            byte[] body = await response.Content.ReadAsByteArrayAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            Assert.Equal(Encoding.ASCII.GetBytes(fixture.Corpus.ExpectedRange(PwnedHashMode.Sha1, prefix)), body);
        }
    }

    [Fact]
    public async Task KnownPassword_IsInItsRangeWithItsCount()
    {
        string hash = TestCorpus.Sha1Hex("P@ssw0rd");

        string body = await _client.GetStringAsync($"/range/{hash[..5]}");

        string[] lines = body.Split("\r\n");
        Assert.Contains($"{hash[5..]}:{fixture.Corpus.Sha1[hash]}", lines);
        Assert.All(lines, line => Assert.Matches(SuffixLine35(), line));
        Assert.False(body.EndsWith('\n'));
    }

    [Fact]
    public async Task DuplicateLinesInTheCorpus_AreAnsweredOnceWithTheirCountsAddedUp()
    {
        string hash = TestCorpus.Sha1Hex("password");

        string body = await _client.GetStringAsync($"/range/{hash[..5]}");

        Assert.Single(body.Split("\r\n"), line => line.StartsWith(hash[5..], StringComparison.Ordinal));
        Assert.Contains($"{hash[5..]}:{fixture.Corpus.Sha1[hash]}", body);
    }

    [Fact]
    public async Task LowerCasePrefix_GetsTheSameAnswer()
    {
        string hash = TestCorpus.Sha1Hex("123456");

        string upper = await _client.GetStringAsync($"/range/{hash[..5]}");
        string lower = await _client.GetStringAsync($"/range/{hash[..5].ToLowerInvariant()}");

        Assert.Equal(upper, lower);
        Assert.NotEmpty(upper);
    }

    [Fact]
    public async Task PrefixWithNoHashes_AnswersAnEmpty200()
    {
        string prefix = Enumerable.Range(0, 1 << 20).Select(p => p.ToString("X5"))
            .First(p => !fixture.Corpus.Sha1.Keys.Any(h => h.StartsWith(p, StringComparison.Ordinal)));

        HttpResponseMessage response = await _client.GetAsync($"/range/{prefix}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task NtlmMode_AnswersNtlmSuffixesByteForByte()
    {
        foreach (string prefix in fixture.Corpus.Ntlm.Keys.Select(h => h[..5]).Distinct().Take(500))
        {
            byte[] body = await _client.GetByteArrayAsync($"/range/{prefix}?mode=ntlm");
            Assert.Equal(Encoding.ASCII.GetBytes(fixture.Corpus.ExpectedRange(PwnedHashMode.Ntlm, prefix)), body);
        }
        string password = TestCorpus.NtlmHex("password");
        Assert.Equal("8846F7EAEE8FB117AD06BDD830B7586C", password);
        string ntlm = await _client.GetStringAsync($"/range/{password[..5]}?mode=ntlm");
        Assert.Contains($"{password[5..]}:{fixture.Corpus.Ntlm[password]}", ntlm.Split("\r\n"));
        Assert.All(ntlm.Split("\r\n"), line => Assert.Matches(SuffixLine27(), line));
    }

    [Fact]
    public void InProcessCheck_FindsBothHashModesAndNothingElse()
    {
        var index = _app.Services.GetRequiredService<BreachIndex>();

        BreachCheckResult sha1 = index.Check(PwnedHashMode.Sha1, System.Security.Cryptography.SHA1.HashData("P@ssw0rd"u8), out uint sha1Count);
        BreachCheckResult ntlm = index.Check(PwnedHashMode.Ntlm, Md4.Ntlm("P@ssw0rd"), out uint ntlmCount);
        BreachCheckResult random = index.Check(PwnedHashMode.Sha1, System.Security.Cryptography.SHA1.HashData(Guid.NewGuid().ToByteArray()), out _);

        Assert.Equal(BreachCheckResult.Breached, sha1);
        Assert.Equal(fixture.Corpus.Sha1[TestCorpus.Sha1Hex("P@ssw0rd")], sha1Count);
        Assert.Equal(BreachCheckResult.Breached, ntlm);
        Assert.Equal(fixture.Corpus.Ntlm[TestCorpus.NtlmHex("P@ssw0rd")], ntlmCount);
        Assert.Equal(BreachCheckResult.NotBreached, random);
        Assert.Equal(BreachIndexState.Loaded, index.Status.Ntlm.State);
    }

    [Theory]
    [InlineData("sha1")]
    [InlineData("NTLM")]   // the public API matches "ntlm" exactly; anything else is SHA-1
    [InlineData("")]
    public async Task OtherModeValues_AnswerSha1(string mode)
    {
        string hash = TestCorpus.Sha1Hex("qwerty");

        string body = await _client.GetStringAsync($"/range/{hash[..5]}?mode={mode}");

        Assert.Equal(fixture.Corpus.ExpectedRange(PwnedHashMode.Sha1, hash[..5]), body);
    }

    [Fact]
    public async Task AddPadding_PadsTo800To1000LinesOfZeroCountsAfterTheRealOnes()
    {
        string hash = TestCorpus.Sha1Hex("letmein");
        string expected = fixture.Corpus.ExpectedRange(PwnedHashMode.Sha1, hash[..5]);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/range/{hash[..5]}");
        request.Headers.Add("Add-Padding", "true");

        HttpResponseMessage response = await _client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();

        Assert.StartsWith(expected + "\r\n", body, StringComparison.Ordinal);
        Assert.False(body.EndsWith('\n'));
        Assert.DoesNotContain("\n\r\n", body);
        string[] lines = body.Split("\r\n");
        Assert.InRange(lines.Length, RangeEndpoints.PaddedMinLines, RangeEndpoints.PaddedMaxLines);
        string[] padding = lines[expected.Split("\r\n").Length..];
        Assert.All(padding, line => Assert.Matches("^[0-9A-F]{35}:0$", line));
        Assert.Contains("Add-Padding", response.Headers.Vary);
    }

    [Fact]
    public async Task AddPaddingInNtlmMode_Pads27HexSuffixes()
    {
        string hash = TestCorpus.NtlmHex("password");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/range/{hash[..5]}?mode=ntlm");
        request.Headers.Add("Add-Padding", "TRUE");

        string body = await (await _client.SendAsync(request)).Content.ReadAsStringAsync();

        string[] lines = body.Split("\r\n");
        Assert.InRange(lines.Length, RangeEndpoints.PaddedMinLines, RangeEndpoints.PaddedMaxLines);
        Assert.All(lines, line => Assert.Matches(SuffixLine27(), line));
        Assert.Contains($"{hash[5..]}:{fixture.Corpus.Ntlm[hash]}", lines);
        Assert.True(lines.Count(l => l.EndsWith(":0", StringComparison.Ordinal)) >= RangeEndpoints.PaddedMinLines - 2);
    }

    [Fact]
    public async Task AddPaddingOnAnEmptyPrefix_StartsWithoutABlankLine()
    {
        string prefix = Enumerable.Range(0, 1 << 20).Select(p => p.ToString("X5"))
            .First(p => !fixture.Corpus.Sha1.Keys.Any(h => h.StartsWith(p, StringComparison.Ordinal)));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/range/{prefix}");
        request.Headers.Add("Add-Padding", "true");

        string body = await (await _client.SendAsync(request)).Content.ReadAsStringAsync();

        string[] lines = body.Split("\r\n");
        Assert.InRange(lines.Length, RangeEndpoints.PaddedMinLines, RangeEndpoints.PaddedMaxLines);
        Assert.All(lines, line => Assert.Matches("^[0-9A-F]{35}:0$", line));
    }

    [Fact]
    public void PaddingOfAPrefixAlreadyOverTheTotal_Adds10To200Lines()
    {
        var body = new System.Buffers.ArrayBufferWriter<byte>();
        System.Buffers.BuffersExtensions.Write(body, "X:1"u8);

        RangeEndpoints.WritePadding(body, realLines: 1500, PwnedHashMode.Sha1);

        int added = Encoding.ASCII.GetString(body.WrittenSpan).Split("\r\n").Length - 1;
        Assert.InRange(added, RangeEndpoints.ExtraPaddingMin, RangeEndpoints.ExtraPaddingMax);
    }

    [Theory]
    [InlineData("/range/", "The hash prefix was not in a valid format")]
    [InlineData("/range/5BAA", "The hash prefix was not in a valid format")]
    [InlineData("/range/5BAA61", "The hash prefix was not in a valid format")]
    [InlineData("/range/5BAA6/extra", "The hash prefix was not in a valid format")]
    [InlineData("/range/5BAG6", "The hash prefix was not valid hexadecimal")]
    [InlineData("/range/-BAA6", "The hash prefix was not valid hexadecimal")]
    [InlineData("/range/5bag6", "The hash prefix was not valid hexadecimal")]
    public async Task BadPrefix_Answers400WithThePublicApisMessage(string path, string message)
    {
        HttpResponseMessage response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task FullHashInThePath_IsRefusedNotLookedUp()
    {
        // A client that sends the whole hash gets the same 400 as the public API; Mamori answers only prefixes.
        HttpResponseMessage response = await _client.GetAsync($"/range/{TestCorpus.Sha1Hex("password")}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task BrowserPreflight_AllowsGetWithAddPaddingFromAnyOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/range/5BAA6");

        HttpResponseMessage response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("Add-Padding", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal("GET", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task Post_IsNotAllowed()
    {
        HttpResponseMessage response = await _client.PostAsync("/range/5BAA6", new StringContent(""));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [GeneratedRegex("^[0-9A-F]{35}:[0-9]+$")]
    private static partial Regex SuffixLine35();

    [GeneratedRegex("^[0-9A-F]{27}:[0-9]+$")]
    private static partial Regex SuffixLine27();
}

/// <summary>What only a real server shows: the raw request target, before URL decoding.</summary>
public sealed class RangeEndpointKestrelTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("range/%205BA6")]   // 7 characters as sent: the public API judges the prefix before decoding
    [InlineData("range/5BA%206")]
    public async Task EncodedPrefix_IsJudgedAsSentLikeThePublicApi(string path)
    {
        await using WebApplication app = await RangeHost.StartAsync(_temp.Combine("data"), loopbackPort: true);
        using var client = new HttpClient { BaseAddress = new Uri(RangeHost.BaseUrl(app)) };

        HttpResponseMessage response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The hash prefix was not in a valid format", await response.Content.ReadAsStringAsync());
    }
}

public sealed class RangeEndpointLoadingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task NoCorpusImported_Answers503NotLoadedAndStatusSaysSo()
    {
        await using WebApplication app = await RangeHost.StartAsync(_temp.Combine("data"));
        var index = app.Services.GetRequiredService<BreachIndex>();

        HttpResponseMessage response = await app.GetTestClient().GetAsync("/range/5BAA6");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("not loaded (mode=sha1)", await response.Content.ReadAsStringAsync());
        Assert.Equal(BreachIndexState.NotLoaded, index.Status.State);
        Assert.Equal("not_loaded", index.Status.State.ToWireName());
        Assert.Equal(BreachCheckResult.NotLoaded, index.Check(PwnedHashMode.Sha1, new byte[20], out _));
    }

    [Fact]
    public async Task OnlySha1Imported_NtlmModeAnswers503()
    {
        string data = _temp.Combine("data");
        ImportSmallCorpus(data, "password");
        await using WebApplication app = await RangeHost.StartAsync(data);
        var index = app.Services.GetRequiredService<BreachIndex>();

        HttpResponseMessage response = await app.GetTestClient().GetAsync("/range/8846F?mode=ntlm");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("not loaded (mode=ntlm)", await response.Content.ReadAsStringAsync());
        Assert.Equal(BreachIndexState.Loaded, index.Status.State);
        Assert.Equal(BreachIndexState.NotLoaded, index.Status.Ntlm.State);
        Assert.Equal(1, index.Status.Sha1.Hashes);
    }

    [Fact]
    public async Task CorpusImportedWhileServing_IsAnsweredAfterTheReloadInterval()
    {
        string data = _temp.Combine("data");
        var time = new FakeTimeProvider();
        await using WebApplication app = await RangeHost.StartAsync(data, time);
        HttpClient client = app.GetTestClient();
        string hash = TestCorpus.Sha1Hex("hunter2");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync($"/range/{hash[..5]}")).StatusCode);

        ImportSmallCorpus(data, "hunter2");
        HttpResponseMessage early = await client.GetAsync($"/range/{hash[..5]}");
        time.Advance(TimeSpan.FromSeconds(10));
        string body = await client.GetStringAsync($"/range/{hash[..5]}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal($"{hash[5..]}:3", body);
    }

    [Fact]
    public async Task ReimportWhileServing_SwapsToTheNewIndex()
    {
        string data = _temp.Combine("data");
        ImportSmallCorpus(data, "old-password");
        var time = new FakeTimeProvider();
        await using WebApplication app = await RangeHost.StartAsync(data, time);
        var index = app.Services.GetRequiredService<BreachIndex>();
        Assert.Equal(BreachCheckResult.Breached, index.Check(PwnedHashMode.Sha1, Convert.FromHexString(TestCorpus.Sha1Hex("old-password")), out _));
        Mamori.Breach.Index.PwnedIndexReader old = index.AcquireReader(PwnedHashMode.Sha1)!;   // a query still running

        ImportSmallCorpus(data, "new-password", "another-one");
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, index.Status.Sha1.Hashes);   // swapped; the old file stays open for the running query
        Assert.False(old.IsClosed);
        Assert.Equal(BreachCheckResult.NotBreached, index.Check(PwnedHashMode.Sha1, Convert.FromHexString(TestCorpus.Sha1Hex("old-password")), out _));
        old.Release();
        Assert.True(old.IsClosed);   // its last query ended: the replaced index's disk space is free now

        Assert.Equal(2, index.Status.Sha1.Hashes);
        Assert.Equal(BreachCheckResult.Breached, index.Check(PwnedHashMode.Sha1, Convert.FromHexString(TestCorpus.Sha1Hex("new-password")), out uint count));
        Assert.Equal(3u, count);
        Assert.Equal(BreachCheckResult.NotBreached, index.Check(PwnedHashMode.Sha1, Convert.FromHexString(TestCorpus.Sha1Hex("old-password")), out _));
    }

    [Fact]
    public async Task CorruptIndexFile_ReadsAsNotLoadedWithTheReasonNeverAsNotBreached()
    {
        string data = _temp.Combine("data");
        Directory.CreateDirectory(BreachPaths.Folder(data));
        File.WriteAllText(BreachPaths.IndexFile(data, PwnedHashMode.Sha1), "garbage");
        await using WebApplication app = await RangeHost.StartAsync(data);
        var index = app.Services.GetRequiredService<BreachIndex>();

        HttpResponseMessage response = await app.GetTestClient().GetAsync("/range/5BAA6");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(BreachIndexState.NotLoaded, index.Status.State);
        Assert.Contains("truncated", index.Status.Sha1.Error);
    }

    [Fact]
    public async Task RequireApiKey_RefusesAnonymousCallersAndServesAuthenticatedOnes()
    {
        string data = _temp.Combine("data");
        ImportSmallCorpus(data, "password");
        await using WebApplication app = await RangeHost.StartAsync(data, requireApiKey: true);
        HttpClient client = app.GetTestClient();
        string hash = TestCorpus.Sha1Hex("password");

        HttpResponseMessage anonymous = await client.GetAsync($"/range/{hash[..5]}");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/range/{hash[..5]}");
        request.Headers.Add(RangeHost.ApiKeyHeader, RangeHost.ApiKey);
        HttpResponseMessage keyed = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.Equal($"{hash[5..]}:3", await keyed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ByDefault_NoKeyIsNeeded()
    {
        string data = _temp.Combine("data");
        ImportSmallCorpus(data, "password");
        await using WebApplication app = await RangeHost.StartAsync(data);

        HttpResponseMessage response = await app.GetTestClient().GetAsync($"/range/{TestCorpus.Sha1Hex("password")[..5]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private void ImportSmallCorpus(string data, params string[] passwords)
    {
        string file = _temp.Combine($"{Guid.NewGuid():N}.txt");
        File.WriteAllLines(file, passwords.Select(p => $"{TestCorpus.Sha1Hex(p)}:3"));
        BreachImporter.Import(file, data, new BreachImportOptions());
    }
}
