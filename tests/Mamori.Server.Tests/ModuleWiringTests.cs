using System.Net;
using System.Text;
using System.Text.Json;

namespace Mamori.Server.Tests;

/// <summary>The modules beside login are mounted in `mamori serve` with the server's authentication.</summary>
public sealed class ModuleWiringTests : IClassFixture<MamoriFactory>
{
    private readonly MamoriFactory _factory;

    public ModuleWiringTests(MamoriFactory factory) => _factory = factory;

    [Fact]
    public async Task Healthz_SaysTheBreachCorpusIsNotLoaded_NotThatNothingIsBreached()
    {
        using HttpClient client = _factory.CreateClient();
        var health = await client.GetJsonAsync("/healthz");
        Assert.Equal("not_loaded", health.GetProperty("breach_corpus").GetString());
    }

    [Fact]
    public async Task RangeApi_IsAnonymous_AndAnswers503WithoutACorpus()
    {
        using HttpClient client = _factory.CreateClient();
        HttpResponseMessage response = await client.GetAsync("/range/21BD1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        HttpResponseMessage bad = await client.GetAsync("/range/XYZ");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task MailCheck_NeedsAKey_AndScansWithOne()
    {
        const string mail = "From: \"営業部 大久保さん\" <okubo@evil.example>\r\nTo: a@example.jp\r\nSubject: RE: 請求書\r\n\r\nPW: 1234\r\n";
        using HttpClient anonymous = _factory.CreateClient();
        HttpResponseMessage refused = await anonymous.PostAsync("/v1/mail/check", new StringContent(mail, Encoding.UTF8, "message/rfc822"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        using HttpClient admin = _factory.Admin();
        HttpResponseMessage scanned = await admin.PostAsync("/v1/mail/check", new StringContent(mail, Encoding.UTF8, "message/rfc822"));
        Assert.Equal(HttpStatusCode.OK, scanned.StatusCode);
        string body = await scanned.Content.ReadAsStringAsync();
        Assert.Contains("reply_without_thread", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlowEndpoints_NeedAKey_AndEnrolTotpWithOne()
    {
        using HttpClient anonymous = _factory.CreateClient();
        HttpResponseMessage refused = await anonymous.PostAsync("/v1/accounts/alice/factors/totp", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using HttpClient admin = _factory.Admin();
        HttpResponseMessage enrolled = await admin.PostAsync("/v1/accounts/alice/factors/totp", new StringContent("{}", Encoding.UTF8, "application/json"));
        string body = await enrolled.Content.ReadAsStringAsync();
        Assert.True(enrolled.IsSuccessStatusCode, body);
        Assert.Contains("otpauth://totp/", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ShellIsAnonymous_AndTheLiveFeedShowsServedDecisions()
    {
        using HttpClient anonymous = _factory.CreateClient();
        HttpResponseMessage shell = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, shell.StatusCode);
        Assert.Equal("text/html", shell.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/decisions/recent")).StatusCode);

        using HttpClient admin = _factory.Admin();
        await admin.PostJsonAsync("/v1/login/assess", """{"account":"feed-visible@example.jp","ip":"203.0.113.77"}""");
        var recent = await admin.GetJsonAsync("/v1/decisions/recent?account=feed-visible@example.jp");
        Assert.Contains("feed-visible@example.jp", recent.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ShowsAShippedLogsLogin_AtItsOwnTime_NotTheImportsMinute()
    {
        // Before, every item of a log shipped in the morning showed the import's minute: last night's attack spiked
        // "now" on the overview and sat hours after the campaign it belonged to.
        using HttpClient admin = _factory.Admin();
        DateTimeOffset lastNight = DateTimeOffset.UtcNow.Date.AddDays(-1).AddHours(2).AddMinutes(30);
        string ts = lastNight.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await admin.PostJsonAsync("/v1/login/events",
            $$"""[{"account":"shipped@example.jp","ip":"192.0.2.99","outcome":"wrong_secret","ts":"{{ts}}"}]""");

        JsonElement item = Assert.Single((await admin.GetJsonAsync("/v1/decisions/recent?account=shipped@example.jp")).GetProperty("items").EnumerateArray());

        Assert.Equal(lastNight, item.GetProperty("time").GetDateTimeOffset());
    }
}
