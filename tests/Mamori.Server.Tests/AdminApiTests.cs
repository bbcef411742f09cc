using System.Text.Json;
using Mamori.Server.Auth;
using Mamori.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Server.Tests;

public sealed class AdminApiTests : IDisposable
{
    private readonly MamoriFactory _factory = new();
    private readonly HttpClient _admin;

    public AdminApiTests() => _admin = _factory.Admin();

    public void Dispose() => _factory.Dispose();

    private async Task<string> CreateKeyAsync(ApiKeyScope scope)
    {
        (ApiKeyRecord record, string key) = ApiKeyFormat.Create(scope, "test", DateTimeOffset.UtcNow);
        await _factory.Services.GetRequiredService<IApiKeyStore>().AddAsync(record);
        await _factory.Services.GetRequiredService<ApiKeyRegistry>().RefreshAsync();
        return key;
    }

    [Fact]
    public async Task NoKey_Is401ProblemWithChallenge()
    {
        HttpResponseMessage response = await _factory.CreateClient().PostAsync("/v1/login/assess", Http.Json("""{"account":"a","ip":"192.0.2.1"}"""));
        await Http.AssertProblemAsync(response, 401);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(0, _factory.DecisionRows());
    }

    [Fact]
    public async Task WrongKey_Is401()
    {
        HttpResponseMessage response = await _factory.WithKey("mamori_not-a-key-at-all-0000000000000").GetAsync("/v1/campaigns");
        await Http.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task BearerHeader_IsAcceptedLikeXApiKey()
    {
        HttpClient client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", MamoriFactory.AdminKey);
        await client.GetJsonAsync("/v1/campaigns");
    }

    [Fact]
    public async Task AssessKey_CanAssessButNotAdminister()
    {
        HttpClient assess = _factory.WithKey(await CreateKeyAsync(ApiKeyScope.Assess));

        await assess.PostJsonAsync("/v1/login/assess", """{"account":"a","ip":"192.0.2.1"}""");
        await Http.AssertProblemAsync(await assess.GetAsync("/v1/campaigns"), 403);
        await Http.AssertProblemAsync(await assess.PutAsync("/v1/accounts/a/devices/d/trust", null), 403);
        await Http.AssertProblemAsync(await assess.GetAsync("/metrics"), 403);
    }

    [Fact]
    public async Task AnAccountIdWithASlash_IsReachedEscapedInThePath_AsTheDashboardSendsIt()
    {
        HttpClient admin = _factory.WithKey(MamoriFactory.AdminKey);
        await admin.PostJsonAsync("/v1/login/assess", """{"account":"bank-a/ken","ip":"192.0.2.1","device":"phone-1"}""");

        JsonElement account = await admin.GetJsonAsync("/v1/accounts/bank-a%2Fken");
        Assert.Equal("bank-a/ken", account.GetProperty("account").GetString());
        Assert.Single(account.GetProperty("recent_events").EnumerateArray());

        using HttpResponseMessage put = await admin.PutAsync("/v1/accounts/bank-a%2Fken/devices/phone-1/trust", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);
        JsonElement trusted = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("bank-a/ken", trusted.GetProperty("account").GetString());
        Assert.Contains((await admin.GetJsonAsync("/v1/accounts/bank-a%2Fken")).GetProperty("devices").EnumerateArray(),
            d => d.GetProperty("device").GetString() == "phone-1" && d.GetProperty("trusted").GetBoolean());
    }

    [Fact]
    public async Task AssessKey_RunsTheFlowsItsServicesCall_ButCannotReadEveryAccountsFlowAudit()
    {
        HttpClient assess = _factory.WithKey(await CreateKeyAsync(ApiKeyScope.Assess));
        HttpClient admin = _factory.WithKey(MamoriFactory.AdminKey);

        await AccountActionTests.CreateLinksAsync(assess, "yumi");   // factors, a funding link, a withdrawal destination

        await Http.AssertProblemAsync(await assess.GetAsync("/v1/audit?account=yumi"), 403);
        JsonElement audit = await admin.GetJsonAsync("/v1/audit?account=yumi");
        Assert.NotEmpty(audit.GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task SeveralKeys_WorkAtOnceAndARevokedOneStops()
    {
        string first = await CreateKeyAsync(ApiKeyScope.Admin);
        string second = await CreateKeyAsync(ApiKeyScope.Admin);
        await _factory.WithKey(first).GetJsonAsync("/v1/campaigns");
        await _factory.WithKey(second).GetJsonAsync("/v1/campaigns");

        var store = _factory.Services.GetRequiredService<IApiKeyStore>();
        ApiKeyRecord firstRecord = (await store.ListAsync()).Single(k => k.Hash.SequenceEqual(ApiKeyFormat.Hash(first)));
        Assert.True(await store.RevokeAsync(firstRecord.Id, DateTimeOffset.UtcNow));
        await _factory.Services.GetRequiredService<ApiKeyRegistry>().RefreshAsync();

        await Http.AssertProblemAsync(await _factory.WithKey(first).GetAsync("/v1/campaigns"), 401);
        await _factory.WithKey(second).GetJsonAsync("/v1/campaigns");
    }

    [Fact]
    public async Task ARevokedKey_IsRefusedOnItsFirstRequestAfterTheRefreshInterval_OnAQuietNode()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = new MamoriFactory { Time = time };
        HttpClient admin = factory.Admin();
        (ApiKeyRecord record, string key) = ApiKeyFormat.Create(ApiKeyScope.Assess, "login", time.GetUtcNow());
        var store = factory.Services.GetRequiredService<IApiKeyStore>();
        var registry = factory.Services.GetRequiredService<ApiKeyRegistry>();
        await store.AddAsync(record);
        await registry.RefreshAsync();
        await factory.WithKey(key).PostJsonAsync("/v1/login/assess", """{"account":"a","ip":"192.0.2.1"}""");
        int before = registry.Count;

        Assert.True(await store.RevokeAsync(record.Id, time.GetUtcNow()));
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        registry.Refreshed += () => reloaded.TrySetResult();
        time.Advance(registry.RefreshInterval + TimeSpan.FromSeconds(1));   // no request meanwhile
        // The node's own timer reloads the keys: wait for that reload's signal (the bound is a hang guard only).
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(before - 1, registry.Count);
        await Http.AssertProblemAsync(await factory.WithKey(key).PostAsync("/v1/login/assess", Http.Json("""{"account":"a","ip":"192.0.2.1"}""")), 401);
    }

    [Fact]
    public async Task Keys_AreStoredHashedNeverInClear()
    {
        string key = await CreateKeyAsync(ApiKeyScope.Assess);
        byte[] file = await File.ReadAllBytesAsync(Path.Combine(_factory.DataPath, "mamori.db"));
        string wal = Path.Combine(_factory.DataPath, "mamori.db-wal");
        byte[] log = File.Exists(wal) ? await ReadSharedAsync(wal) : [];
        Assert.Equal(-1, file.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key)));
        Assert.Equal(-1, log.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key)));
        Assert.Equal(-1, log.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(MamoriFactory.AdminKey)));
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task DeviceTrust_PutAndDelete_ShowInTheAccountAndAreAudited()
    {
        JsonElement trusted = await (await _admin.PutAsync("/v1/accounts/alice/devices/laptop-7/trust?tenant=bank-a", null)).Content.ReadFromJsonElementAsync();
        Assert.True(trusted.GetProperty("trusted").GetBoolean());
        JsonElement account = await _admin.GetJsonAsync("/v1/accounts/alice?tenant=bank-a");
        JsonElement device = Assert.Single(account.GetProperty("devices").EnumerateArray());
        Assert.True(device.GetProperty("trusted").GetBoolean());

        // The engine sees the trust too.
        JsonElement assessed = await _admin.PostJsonAsync("/v1/login/assess", """{"account":"alice","tenant":"bank-a","ip":"192.0.2.9","device":"laptop-7"}""");
        Assert.Contains("trusted_device", assessed.ReasonCodes());

        using HttpResponseMessage deleted = await _admin.DeleteAsync("/v1/accounts/alice/devices/laptop-7/trust?tenant=bank-a");
        Assert.Equal(200, (int)deleted.StatusCode);
        account = await _admin.GetJsonAsync("/v1/accounts/alice?tenant=bank-a");
        Assert.False(account.GetProperty("devices")[0].GetProperty("trusted").GetBoolean());
        // Other tenants' alice is another account.
        Assert.Equal(0, (await _admin.GetJsonAsync("/v1/accounts/alice")).GetProperty("devices").GetArrayLength());

        IReadOnlyList<AdminAction> audit = await _factory.Services.GetRequiredService<IApiKeyStore>().AuditLogAsync(10);
        Assert.Equal(["device.distrust", "device.trust"], audit.Select(a => a.Action).ToArray());
        Assert.All(audit, a => Assert.StartsWith("key_", a.KeyId));
    }

    [Fact]
    public async Task Account_ShowsRecentEventsNewestFirstWithReasons()
    {
        await _admin.PostJsonAsync("/v1/login/events", """{"account":"bob","ip":"192.0.2.10","outcome":"wrong_secret"}""");
        await _admin.PostJsonAsync("/v1/login/events", """{"account":"bob","ip":"192.0.2.11","outcome":"success","device":"d1"}""");

        JsonElement account = await _admin.GetJsonAsync("/v1/accounts/bob");
        JsonElement[] events = account.GetProperty("recent_events").EnumerateArray().ToArray();
        Assert.Equal(2, events.Length);
        Assert.Equal("success", events[0].GetProperty("outcome").GetString());
        Assert.Equal("192.0.2.11", events[0].GetProperty("ip").GetString());
        Assert.Equal("wrong_secret", events[1].GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Array, events[0].GetProperty("reasons").ValueKind);
        Assert.Equal("d1", Assert.Single(account.GetProperty("devices").EnumerateArray()).GetProperty("device").GetString());
    }

    [Fact]
    public async Task Healthz_IsAnonymousAndOk()
    {
        JsonElement health = await _factory.CreateClient().GetJsonAsync("/healthz");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(0, health.GetProperty("reasons").GetArrayLength());
    }

    [Fact]
    public async Task Healthz_AnswersALoadBalancersHead()
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, "/healthz");
        using HttpResponseMessage response = await _factory.CreateClient().SendAsync(head);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_NeedAdminAndCountDecisionsByKind()
    {
        await Http.AssertProblemAsync(await _factory.CreateClient().GetAsync("/metrics"), 401);
        await _admin.PostJsonAsync("/v1/login/assess", """{"account":"m","ip":"192.0.2.1"}""");

        using HttpResponseMessage response = await _admin.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("mamori_decisions_total{endpoint=\"assess\",decision=\"allow\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("mamori_request_duration_seconds_count{endpoint=\"assess\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("mamori_request_duration_seconds_bucket{endpoint=\"assess\",le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("mamori_campaigns_open 0\n", text, StringComparison.Ordinal);
        // The embedded store's tables: the login's account is held, and nothing was forgotten.
        Assert.Matches(@"\nmamori_signal_accounts_held [1-9][0-9]*\n", text);
        Assert.Contains("mamori_signal_accounts_evicted_in_use 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP mamori_signal_sources_evicted_in_use ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountTheOptionalFieldsCallersSend()
    {
        // An integration that never sends a device token shows as a ratio, not as detection nobody can explain.
        await _admin.PostJsonAsync("/v1/login/assess", """{"account":"f1","ip":"192.0.2.1","user_agent":"curl/8","device":"d-1"}""");
        await _admin.PostJsonAsync("/v1/login/events",
            """[{"account":"f2","ip":"192.0.2.2","outcome":"success","user_agent":"curl/8","asn":4713,"country":"JP"},{"account":"f3","ip":"192.0.2.3","outcome":"wrong_secret"}]""");
        using HttpResponseMessage refused = await _admin.PostAsync("/v1/login/events",
            new StringContent("""{"account":"f4","ip":"not-an-ip","outcome":"success","user_agent":"x"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);   // refused whole: not counted

        string text = await (await _admin.GetAsync("/metrics")).Content.ReadAsStringAsync();

        Assert.Contains("mamori_attempts_total 3\n", text, StringComparison.Ordinal);
        Assert.Contains("mamori_attempt_fields_total{field=\"user_agent\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("mamori_attempt_fields_total{field=\"device\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("mamori_attempt_fields_total{field=\"secret_fp\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("mamori_attempt_fields_total{field=\"asn\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("mamori_attempt_fields_total{field=\"country\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheLoginEndpoints()
    {
        JsonElement document = await _factory.CreateClient().GetJsonAsync("/openapi/v1.json");
        JsonElement paths = document.GetProperty("paths");
        foreach (string path in new[] { "/v1/login/assess", "/v1/login/outcome", "/v1/login/events", "/v1/login/step-up", "/v1/password/change", "/v1/campaigns", "/v1/accounts/{id}" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        Assert.Contains("secret_fp", document.GetProperty("components").GetProperty("schemas").GetProperty("AssessRequest").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_SaysHowToSendTheKey()
    {
        JsonElement document = await _factory.CreateClient().GetJsonAsync("/openapi/v1.json");
        JsonElement scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("api_key");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.Contains(document.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("api_key", out _));
    }
}

internal static class ContentExtensions
{
    public static async Task<JsonElement> ReadFromJsonElementAsync(this HttpContent content) =>
        JsonDocument.Parse(await content.ReadAsStringAsync()).RootElement.Clone();
}
