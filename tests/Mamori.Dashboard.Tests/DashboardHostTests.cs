using System.Net;
using System.Text;
using System.Text.Json;
using Mamori.Campaigns;
using Mamori.Dashboard.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Dashboard.Tests;

/// <summary>The dashboard's endpoints on TestServer over a real engine fed a password spray.</summary>
public sealed class DashboardHostTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2020, 9, 14, 23, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task SprayAsync(int accounts = 40) => _host.World.SprayAsync(accounts, TimeSpan.FromSeconds(10), _time.Advance);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Spray_OpensCampaignShownInOverviewWithItsSources()
    {
        await SprayAsync();
        using HttpClient client = _host.CreateClient();

        JsonElement overview = await JsonAsync(await client.GetAsync("/v1/dashboard/overview"));

        // One /24 spraying one password is both a spray and (by its source) stuffing-like: the spray must be there.
        JsonElement campaign = Assert.Single(overview.GetProperty("campaigns").EnumerateArray(), c => c.GetProperty("kind").GetString() == "password_spray");
        Assert.True(campaign.GetProperty("attempts").GetInt64() >= 10);
        Assert.True(campaign.GetProperty("accounts_targeted").GetInt64() >= 10);
        Assert.Equal("AS64500", campaign.GetProperty("top_asns")[0].GetProperty("source").GetString());
        Assert.Equal("203.0.113.0/24", campaign.GetProperty("top_subnets")[0].GetProperty("source").GetString());
        Assert.False(campaign.TryGetProperty("secret_ids", out _));
        JsonElement[] minutes = overview.GetProperty("per_minute").EnumerateArray().ToArray();
        Assert.Equal(60, minutes.Length);
        Assert.Equal(40, minutes.Sum(m => m.GetProperty("allow").GetInt32() + m.GetProperty("challenge").GetInt32() + m.GetProperty("deny").GetInt32()));
        Assert.True(minutes.Sum(m => m.GetProperty("deny").GetInt32() + m.GetProperty("challenge").GetInt32()) > 0, "the spray must be intercepted at some point");
        Assert.Equal(1.0, overview.GetProperty("failure_rate").GetProperty("current").GetDouble());
        Assert.Equal(40, overview.GetProperty("published").GetInt64());
    }

    [Fact]
    public async Task Stream_DeliversDecisionsAsTheyHappen_WithFilter()
    {
        using HttpClient client = _host.CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));   // a hang guard, not a speed assertion
        using StreamReader reader = await TestHost.OpenStreamAsync(client, "/v1/decisions/stream?reason=sprayed_secret", timeout.Token);
        Assert.Equal(1, _host.World.Feed.SubscriberCount);

        await _host.World.HomeLoginAsync("alice@example.jp", "dev-alice");   // no sprayed_secret: filtered out
        await SprayAsync();

        var events = new List<JsonElement>();
        while (events.Count < 3)
        {
            string? line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(JsonDocument.Parse(line[6..]).RootElement.Clone());
        }
        foreach (JsonElement e in events)
        {
            Assert.StartsWith("victim", e.GetProperty("account").GetString());
            Assert.Contains(e.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "sprayed_secret");
            Assert.Equal("wrong_secret", e.GetProperty("outcome").GetString());
            Assert.NotEmpty(e.GetProperty("campaign_ids").EnumerateArray());
            Assert.False(e.TryGetProperty("secret", out _));
        }
    }

    [Fact]
    public async Task Recent_FiltersByAccountAndIpNetwork()
    {
        await _host.World.HomeLoginAsync("alice@example.jp", "dev-alice");
        await SprayAsync(5);
        using HttpClient client = _host.CreateClient();

        JsonElement byAccount = await JsonAsync(await client.GetAsync("/v1/decisions/recent?account=ALICE@example.jp"));
        Assert.Equal("alice@example.jp", Assert.Single(byAccount.GetProperty("items").EnumerateArray()).GetProperty("account").GetString());
        JsonElement byNetwork = await JsonAsync(await client.GetAsync("/v1/decisions/recent?ip=203.0.113.0/24&limit=3"));
        Assert.Equal(["victim004@example.jp", "victim003@example.jp", "victim002@example.jp"],
            byNetwork.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("account").GetString()));
    }

    [Theory]
    [InlineData("/v1/decisions/recent?decision=maybe", "decision")]
    [InlineData("/v1/decisions/recent?limit=0", "limit")]
    [InlineData("/v1/decisions/recent?limit=1001", "limit")]
    [InlineData("/v1/decisions/recent?limit=abc", "limit")]
    [InlineData("/v1/decisions/recent?limit=1.5", "limit")]
    [InlineData("/v1/decisions/recent?limit=", "limit")]
    [InlineData("/v1/decisions/recent?limit=99999999999", "limit")]
    [InlineData("/v1/decisions/recent?limit=1&limit=2", "limit")]
    [InlineData("/v1/decisions/recent?limit=-1", "limit")]
    [InlineData("/v1/decisions/stream?ip=999.1.1.1", "ip")]
    [InlineData("/v1/decisions/stream?reason=SPRAYED", "reason")]
    public async Task BadQuery_IsProblemNamingTheField_AndOpensNoStream(string url, string field)
    {
        using HttpClient client = _host.CreateClient();
        HttpResponseMessage response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
        if (field == "limit") Assert.Equal("limit: Must be a whole number from 1 to 1,000.", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(0, _host.World.Feed.SubscriberCount);
    }

    [Theory]
    [InlineData("", 40)]
    [InlineData("?limit=1", 1)]
    [InlineData("?limit=1000", 40)]
    public async Task Recent_AcceptsALimitInRange(string query, int expected)
    {
        await SprayAsync();
        using HttpClient client = _host.CreateClient();
        JsonElement recent = await JsonAsync(await client.GetAsync("/v1/decisions/recent" + query));
        Assert.Equal(expected, recent.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("/v1/dashboard/overview")]
    [InlineData("/v1/decisions/recent")]
    [InlineData("/v1/decisions/stream")]
    [InlineData("/v1/campaigns/cmp-x/stix")]
    public async Task DataEndpoint_WithoutKey_IsRefused(string url)
    {
        using HttpClient client = _host.CreateClient(withKey: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(url)).StatusCode);
        Assert.Equal(0, _host.World.Feed.SubscriberCount);
    }

    [Fact]
    public async Task Shell_IsServedWithoutKey_WithStrictHeaders()
    {
        using HttpClient client = _host.CreateClient(withKey: false);
        HttpResponseMessage index = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains("frame-ancestors 'none'", index.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());
        string html = await index.Content.ReadAsStringAsync();
        Assert.Contains("/dashboard/app.js", html);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);   // no CDN

        HttpResponseMessage js = await client.GetAsync("/dashboard/app.js");
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/dashboard/app.js");
        conditional.Headers.IfNoneMatch.Add(js.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dashboard/missing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dashboard/..%2FMamori.Dashboard.dll")).StatusCode);
    }

    [Fact]
    public void EveryAsset_IsEmbedded()
    {
        string[] names = DashboardAssets.Names.Order().ToArray();
        Assert.Equal(["api.js", "app.css", "app.js", "i18n.js", "index.html"], names);
    }

    [Fact]
    public async Task CampaignPageAndExports_ShowTimelineTargetsAndNoSecretIds()
    {
        await SprayAsync();
        CampaignView view = Assert.Single(_host.World.Engine.Campaigns.OpenCampaigns(), c => c.Kind == CampaignKind.PasswordSpray);
        Assert.NotEmpty(view.SecretIds);
        using HttpClient client = _host.CreateClient();

        JsonElement detail = await JsonAsync(await client.GetAsync($"/v1/dashboard/campaigns/{view.Id}"));
        Assert.Equal(view.Id, detail.GetProperty("campaign").GetProperty("id").GetString());
        Assert.NotEmpty(detail.GetProperty("timeline").EnumerateArray());
        Assert.True(detail.GetProperty("targets").GetArrayLength() >= 10);

        HttpResponseMessage csv = await client.GetAsync($"/v1/campaigns/{view.Id}/export.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{view.Id}.csv", csv.Content.Headers.ContentDisposition?.FileName);
        byte[] csvBytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csvBytes[..3]);   // UTF-8 BOM: Japanese Excel would read CP932 without it
        string csvText = Encoding.UTF8.GetString(csvBytes, 3, csvBytes.Length - 3);
        Assert.StartsWith(CsvExport.Header + "\r\n" + view.Id + ",summary,", csvText);
        Assert.Contains(",asn,AS64500,", csvText);

        HttpResponseMessage stix = await client.GetAsync($"/v1/campaigns/{view.Id}/stix");
        Assert.Equal("application/stix+json", stix.Content.Headers.ContentType?.MediaType);
        string stixText = await stix.Content.ReadAsStringAsync();
        Assert.Contains("[autonomous-system:number = 64500]", stixText);
        Assert.Contains("[ipv4-addr:value = '203.0.113.0/24']", stixText);
        foreach (string secretId in view.SecretIds)
        {
            Assert.DoesNotContain(secretId, stixText);
            Assert.DoesNotContain(secretId, csvText);
            Assert.DoesNotContain(secretId, JsonSerializer.Serialize(detail));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LoginsPublishedAsTwoHalves_CountOnceInTargetsTimelineChartAndCsv(bool withRequestIds)
    {
        _host.World.TwoHalves = true;   // as the server publishes: the pre-auth decision, then the outcome
        _host.World.WithRequestIds = withRequestIds;
        await SprayAsync();              // 40 accounts, one login each
        CampaignView view = Assert.Single(_host.World.Engine.Campaigns.OpenCampaigns(), c => c.Kind == CampaignKind.PasswordSpray);
        using HttpClient client = _host.CreateClient();

        JsonElement detail = await JsonAsync(await client.GetAsync($"/v1/dashboard/campaigns/{view.Id}"));
        JsonElement[] targets = detail.GetProperty("targets").EnumerateArray().ToArray();
        Assert.True(targets.Length >= 10);
        Assert.All(targets, t => Assert.Equal(1, t.GetProperty("attempts").GetInt32()));
        int charted = detail.GetProperty("timeline").EnumerateArray()
            .Sum(m => m.GetProperty("allow").GetInt32() + m.GetProperty("challenge").GetInt32() + m.GetProperty("deny").GetInt32());
        Assert.Equal(targets.Length, charted);
        Assert.True(charted <= view.Attempts, $"the timeline charts {charted} logins, the campaign counted {view.Attempts}");

        JsonElement overview = await JsonAsync(await client.GetAsync("/v1/dashboard/overview"));
        Assert.Equal(40, overview.GetProperty("per_minute").EnumerateArray()
            .Sum(m => m.GetProperty("allow").GetInt32() + m.GetProperty("challenge").GetInt32() + m.GetProperty("deny").GetInt32()));

        string csv = await client.GetStringAsync($"/v1/campaigns/{view.Id}/export.csv");
        string[] targetRows = csv.Split("\r\n").Where(l => l.StartsWith(view.Id + ",targeted_account,", StringComparison.Ordinal)).ToArray();
        Assert.Equal(targets.Length, targetRows.Length);
        Assert.All(targetRows, r => Assert.Equal("1", r.Split(',')[3]));
    }

    [Fact]
    public async Task DataAnswers_AreNotStoredByCaches()
    {
        await SprayAsync();
        CampaignView view = Assert.Single(_host.World.Engine.Campaigns.OpenCampaigns(), c => c.Kind == CampaignKind.PasswordSpray);
        using HttpClient client = _host.CreateClient();
        string[] urls =
        [
            "/v1/decisions/recent", "/v1/dashboard/overview", $"/v1/dashboard/campaigns/{view.Id}",
            $"/v1/campaigns/{view.Id}/export.csv", $"/v1/campaigns/{view.Id}/stix", "/v1/decisions/recent?limit=abc",
        ];
        foreach (string url in urls)
        {
            using HttpResponseMessage response = await client.GetAsync(url);
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{url} ({(int)response.StatusCode}) has Cache-Control: {response.Headers.CacheControl}");
        }
    }

    [Theory]
    [InlineData("/v1/dashboard/campaigns/cmp-19990101T0000-0001", HttpStatusCode.NotFound)]
    [InlineData("/v1/campaigns/cmp-19990101T0000-0001/stix", HttpStatusCode.NotFound)]
    [InlineData("/v1/campaigns/cmp-19990101T0000-0001/export.csv", HttpStatusCode.NotFound)]
    public async Task UnknownCampaign_IsNotFoundProblem(string url, HttpStatusCode status)
    {
        using HttpClient client = _host.CreateClient();
        HttpResponseMessage response = await client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OverlongCampaignId_IsBadRequest()
    {
        using HttpClient client = _host.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/v1/campaigns/" + new string('c', 65) + "/stix")).StatusCode);
    }
}
