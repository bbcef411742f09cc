using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mamori.Mail.Http;
using Mamori.Mail.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Mail.Tests;

public sealed class MailEndpointsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddProblemDetails();
        builder.Services.AddMailScanner(o => { o.MaxMessageBytes = 64 * 1024; o.OwnDomains.Add("example.co.jp"); });
        _app = builder.Build();
        _app.UseExceptionHandler();
        _app.UseStatusCodePages();
        _app.MapMailEndpoints();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private static ByteArrayContent Rfc822(byte[] raw)
    {
        var content = new ByteArrayContent(raw);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        return content;
    }

    private static byte[] EmotetMail() => JapaneseMail.Build(new("営業部 大久保さん", "okubo@mail.hacked-isp.example", "RE: 請求書の件",
        "パスワード: Xk3v9q\r\n")
    {
        Attachments = [("請求書.zip", "zip", TestDocuments.ZipCryptoZip("Xk3v9q", ("請求書.docm", TestDocuments.Docm(TestDocuments.AutoOpenShellMacro))))],
    });

    [Fact]
    public async Task CheckWithEmotetMail_ReturnsRejectWithFindingCodes()
    {
        HttpResponseMessage response = await _client.PostAsync("/v1/mail/check", Rfc822(EmotetMail()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = json.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("file").ValueKind);
        Assert.Equal("reject", root.GetProperty("verdict").GetString());
        Assert.True(root.GetProperty("score").GetDouble() >= 12);
        string[] codes = [.. root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!)];
        Assert.Contains("macro_present", codes);
        Assert.Contains("display_name_honorific", codes);
        Assert.All(root.GetProperty("findings").EnumerateArray(), f => Assert.False(string.IsNullOrEmpty(f.GetProperty("message").GetString())));
    }

    [Fact]
    public async Task CheckWithOrdinaryMail_ReturnsAcceptWithNoFindings()
    {
        byte[] raw = JapaneseMail.Build(new("鈴木 一郎", "suzuki@example.co.jp", "議事録", "本日の議事録です。\r\n"));

        HttpResponseMessage response = await _client.PostAsync("/v1/mail/check", Rfc822(raw));

        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("accept", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("findings").GetArrayLength());
    }

    [Fact]
    public async Task CheckWithEmptyBody_Returns400ProblemDocument()
    {
        HttpResponseMessage response = await _client.PostAsync("/v1/mail/check", Rfc822([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Empty message", json.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task CheckWithOversizedBody_Returns413ProblemDocument()
    {
        byte[] raw = new byte[64 * 1024 + 1];
        Array.Fill(raw, (byte)'a');

        HttpResponseMessage response = await _client.PostAsync("/v1/mail/check", Rfc822(raw));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CheckWithOversizedChunkedBody_Returns413ProblemDocument()
    {
        // No Content-Length: the limit must hold while reading, not only from the header.
        var content = new StreamContent(new MemoryStream(new byte[200 * 1024]));
        content.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/mail/check") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        HttpResponseMessage response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task RspamdCheckV2_AnswersInRspamdShape()
    {
        HttpResponseMessage response = await _client.PostAsync("/checkv2", Rfc822(EmotetMail()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = json.RootElement;
        Assert.False(root.GetProperty("is_skipped").GetBoolean());
        Assert.Equal("reject", root.GetProperty("action").GetString());
        Assert.True(root.GetProperty("score").GetDouble() >= root.GetProperty("required_score").GetDouble());
        JsonElement symbol = root.GetProperty("symbols").GetProperty("MACRO_PRESENT");
        Assert.Equal("MACRO_PRESENT", symbol.GetProperty("name").GetString());
        Assert.Equal(4, symbol.GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task RspamdCheckV2_OrdinaryMailIsNoAction()
    {
        byte[] raw = JapaneseMail.Build(new("鈴木 一郎", "suzuki@example.co.jp", "議事録", "本日の議事録です。\r\n"));

        HttpResponseMessage response = await _client.PostAsync("/checkv2", Rfc822(raw));

        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("no action", json.RootElement.GetProperty("action").GetString());
        Assert.Empty(json.RootElement.GetProperty("symbols").EnumerateObject());
    }
}
