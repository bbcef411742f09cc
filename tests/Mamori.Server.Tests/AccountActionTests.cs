using System.Text.Json;
using Mamori.Server.Auth;
using Mamori.Storage;
using Mamori.Flows;
using Mamori.Flows.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Mamori.Server.Tests;

/// <summary>The dashboard's account actions on the real server: step-up at next login, money links listed and frozen.</summary>
public sealed class AccountActionTests : IDisposable
{
    private readonly MamoriFactory _factory = new();
    private readonly HttpClient _admin;

    public AccountActionTests() => _admin = _factory.Admin();

    public void Dispose() => _factory.Dispose();

    private async Task<IReadOnlyList<AdminAction>> AuditAsync() => await _factory.Services.GetRequiredService<IApiKeyStore>().AuditLogAsync(100);

    private async Task<string> AdminKeyIdAsync() => (await _factory.Services.GetRequiredService<IApiKeyStore>().ListAsync()).Single().Id;

    private async Task<string> AssessKeyAsync()
    {
        (ApiKeyRecord record, string key) = ApiKeyFormat.Create(ApiKeyScope.Assess, "test", DateTimeOffset.UtcNow);
        await _factory.Services.GetRequiredService<IApiKeyStore>().AddAsync(record);
        await _factory.Services.GetRequiredService<ApiKeyRegistry>().RefreshAsync();
        return key;
    }

    /// <summary>One successful login (assess + outcome) from the account's usual phone; returns the outcome answer.</summary>
    private async Task<JsonElement> LoginAsync(string account)
    {
        JsonElement assessed = await _admin.PostJsonAsync("/v1/login/assess",
            $$"""{"account":"{{account}}","ip":"198.51.100.20","device":"dev-phone","asn":4713,"country":"JP","user_agent":"Mozilla/5.0"}""");
        return await _admin.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{assessed.GetProperty("request_id").GetString()}}","outcome":"success"}""");
    }

    /// <summary>Enrols a TOTP factor for <paramref name="account"/> and confirms it with its first code (a fresh step-up);
    /// returns the generator.</summary>
    internal static async Task<Totp> EnrolTotpAsync(HttpClient client, string account)
    {
        string path = Uri.EscapeDataString(account);
        JsonElement enrolled = await client.PostJsonAsync($"/v1/accounts/{path}/factors/totp", "{}", 201);
        string secret = System.Web.HttpUtility.ParseQueryString(new Uri(enrolled.GetProperty("otpauth_uri").GetString()!).Query)["secret"]!;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        await client.PostJsonAsync($"/v1/accounts/{path}/factors/totp/verify", $$"""{"code":"{{totp.ComputeTotp(DateTime.UtcNow)}}"}""");
        return totp;
    }

    /// <summary>A fresh TOTP step-up in the flows, then a funding link and a withdrawal destination for <paramref name="account"/>.</summary>
    internal static async Task<(string Link, string Destination)> CreateLinksAsync(HttpClient client, string account)
    {
        string path = Uri.EscapeDataString(account);
        await EnrolTotpAsync(client, account);
        const string identity = """{"verified_name":"たなか はなこ","birth_date":"1980-04-01","method":"ic_chip","verified_at":"2020-08-01T00:00:00Z"}""";
        JsonElement link = await client.PostJsonAsync("/v1/links",
            $$"""{"wallet_account":"{{account}}","bank":"0005","bank_account":"7654321","holder_name":"ﾀﾅｶ ﾊﾅｺ","identity":{{identity}}}""", 201);
        JsonElement destination = await client.PostJsonAsync($"/v1/accounts/{path}/withdrawal-destinations",
            $$"""{"bank":"0009","bank_account":"99887766","holder_name":"ﾀﾅｶ ﾊﾅｺ","identity":{{identity}}}""");
        return (link.GetProperty("link_id").GetString()!, destination.GetProperty("destination_id").GetString()!);
    }

    [Fact]
    public async Task RequireStepUp_NextSuccessfulLoginAsksForIt_AndTheKeyIsAudited()
    {
        Assert.DoesNotContain("step_up_requested", (await LoginAsync("hanako")).ReasonCodes());

        JsonElement answer = await _admin.PostJsonAsync("/v1/accounts/hanako/step-up", "");
        JsonElement next = await LoginAsync("hanako");

        Assert.True(answer.GetProperty("step_up_requested").GetBoolean());
        Assert.Equal("step_up", next.GetProperty("decision").GetString());
        Assert.Contains("step_up_requested", next.ReasonCodes());
        AdminAction audit = Assert.Single(await AuditAsync(), a => a.Action == "account.step_up.require");
        Assert.Equal(await AdminKeyIdAsync(), audit.KeyId);
        Assert.Equal("account=hanako tenant=", audit.Target);
    }

    [Fact]
    public async Task ALoginTheEngineHeldUp_TellsTheMoneyFlows_SoANewWithdrawalDestinationIsRefused()
    {
        // Before, the flows heard of such a login only if the caller posted it to /events: a stuffed login answered
        // step_up, then a same-name destination after a passed TOTP, was put on hold like any other (SBI's path).
        Assert.Equal("allow", (await LoginAsync("taro")).GetProperty("decision").GetString());
        await _admin.PostJsonAsync("/v1/accounts/hanako/step-up", "");
        Assert.Equal("step_up", (await LoginAsync("hanako")).GetProperty("decision").GetString());

        const string identity = """{"verified_name":"たなか はなこ","birth_date":"1980-04-01","method":"ic_chip","verified_at":"2020-08-01T00:00:00Z"}""";
        var answers = new Dictionary<string, JsonElement>();
        foreach (string account in new[] { "taro", "hanako" })
        {
            await EnrolTotpAsync(_admin, account);
            answers[account] = await _admin.PostJsonAsync($"/v1/accounts/{account}/withdrawal-destinations",
                $$"""{"bank":"0009","bank_account":"99887766","holder_name":"ﾀﾅｶ ﾊﾅｺ","identity":{{identity}}}""");
        }

        Assert.Equal("hold", answers["taro"].GetProperty("decision").GetString());
        Assert.Equal("deny", answers["hanako"].GetProperty("decision").GetString());
        Assert.Contains("recent_unfamiliar_login", answers["hanako"].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        JsonElement[] audit = (await _admin.GetJsonAsync("/v1/audit?account=hanako")).GetProperty("entries").EnumerateArray().ToArray();
        Assert.Contains(audit, e => e.GetProperty("kind").GetString() == "account_event"
            && e.GetProperty("detail").GetString()!.EndsWith("answered step_up", StringComparison.Ordinal));
        Assert.DoesNotContain((await _admin.GetJsonAsync("/v1/audit?account=taro")).GetProperty("entries").EnumerateArray(),
            e => e.GetProperty("kind").GetString() == "account_event");
    }

    /// <summary>The messages the default outbox wrote for <paramref name="recipient"/>.</summary>
    private JsonElement[] Outbox(string recipient)
    {
        string path = Path.Combine(_factory.DataPath, "outbox.jsonl");
        if (!File.Exists(path)) return [];
        return [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(m => m.GetProperty("to").GetString() == recipient)];
    }

    [Fact]
    public async Task AHeldUpLoginThatSucceeds_IsToldToTheRegisteredContact_OnceAnHour_AndNeverWithoutOne()
    {
        await _admin.PostJsonAsync("/v1/accounts/hanako/changes", """{"kind":"contact","contact":{"channel":"email","address":"hanako@example.jp"}}""");
        await _admin.PostJsonAsync("/v1/accounts/taro/changes", """{"kind":"contact","contact":{"channel":"email","address":"taro@example.jp"}}""");
        int contactNotices = Outbox("hanako@example.jp").Length;

        Assert.Equal("allow", (await LoginAsync("taro")).GetProperty("decision").GetString());
        await _admin.PostJsonAsync("/v1/accounts/hanako/step-up", "");
        Assert.Equal("step_up", (await LoginAsync("hanako")).GetProperty("decision").GetString());
        await _admin.PostJsonAsync("/v1/accounts/hanako/step-up", "");
        Assert.Equal("step_up", (await LoginAsync("hanako")).GetProperty("decision").GetString());   // again within the hour
        await _admin.PostJsonAsync("/v1/accounts/jiro/step-up", "");
        Assert.Equal("step_up", (await LoginAsync("jiro")).GetProperty("decision").GetString());     // no contact registered

        JsonElement notice = Assert.Single(Outbox("hanako@example.jp").Skip(contactNotices));
        Assert.Equal(UnfamiliarLoginNotices.Subject, notice.GetProperty("subject").GetString());
        string body = notice.GetProperty("body").GetString()!;
        Assert.Contains("a second check was asked for", body, StringComparison.Ordinal);
        Assert.Contains("in JP, network AS4713", body, StringComparison.Ordinal);
        Assert.Contains("7 days", body, StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.20", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Outbox("taro@example.jp"), m => m.GetProperty("subject").GetString() == UnfamiliarLoginNotices.Subject);
        JsonElement[] audit = (await _admin.GetJsonAsync("/v1/audit?account=hanako")).GetProperty("entries").EnumerateArray().ToArray();
        Assert.Single(audit, e => e.GetProperty("kind").GetString() == "notification" && e.GetProperty("detail").GetString() == UnfamiliarLoginNotices.Subject);
        Assert.Equal(2, audit.Count(e => e.GetProperty("kind").GetString() == "account_event"));   // both logins still count as held up
    }

    [Fact]
    public async Task AHeldUpLoginShippedAsItHappened_IsToldWithoutClaimingACheckOrARefusal()
    {
        // /v1/login/events assesses logins that already happened: the answer did not gate them.
        await _admin.PostJsonAsync("/v1/accounts/ken/changes", """{"kind":"contact","contact":{"channel":"email","address":"ken@example.jp"}}""");
        await _admin.PostJsonAsync("/v1/accounts/ken/step-up", "");

        JsonElement answers = await _admin.PostJsonAsync("/v1/login/events",
            """[{"account":"ken","ip":"198.51.100.20","device":"dev-phone","asn":4713,"country":"JP","user_agent":"Mozilla/5.0","outcome":"success"}]""");

        Assert.Equal("challenge", answers[0].GetProperty("decision").GetString());   // step_up, as the events write it
        Assert.Contains((await _admin.GetJsonAsync("/v1/audit?account=ken")).GetProperty("entries").EnumerateArray(),
            e => e.GetProperty("kind").GetString() == "account_event");   // recorded for the money flows
        string body = Assert.Single(Outbox("ken@example.jp"), m => m.GetProperty("subject").GetString() == UnfamiliarLoginNotices.Subject)
            .GetProperty("body").GetString()!;
        Assert.Contains("(in JP, network AS4713). If this was you", body, StringComparison.Ordinal);
        Assert.DoesNotContain("second check", body, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Policy.Verdict.Allow, Policy.Verdict.StepUp, Policy.Verdict.StepUp)]
    [InlineData(Policy.Verdict.Challenge, Policy.Verdict.StepUp, Policy.Verdict.StepUp)]
    [InlineData(Policy.Verdict.Challenge, Policy.Verdict.Allow, Policy.Verdict.Allow)]   // a CAPTCHA during an attack holds nothing up
    [InlineData(Policy.Verdict.Deny, Policy.Verdict.Allow, Policy.Verdict.Deny)]
    [InlineData(Policy.Verdict.Allow, Policy.Verdict.Allow, Policy.Verdict.Allow)]
    public void AShippedEvent_IsHeldUpByItsStricterHalf_NotByAPreAuthChallenge(Policy.Verdict preAuth, Policy.Verdict outcome, Policy.Verdict expected)
    {
        static Policy.Decision Of(Policy.Verdict v) => new() { Verdict = v, PolicyVerdict = v, Score = 0, Reasons = [] };
        Assert.Equal(expected, Recording.FlowRiskFeed.Answered(new EventAssessment(Of(preAuth), Of(outcome))));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on Windows")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iOS")]
    [InlineData("curl/8.5.0", "curl")]
    [InlineData("Mozilla/5.0", null)]
    [InlineData("", null)]
    public void TheNoticeNamesTheBrowserAndSystem_AsFarAsTheyAreKnown(string userAgent, string? expected) =>
        Assert.Equal(expected, Recording.FlowRiskFeed.Device(userAgent));

    [Fact]
    public async Task ClearVerificationFailures_LiftsTheBlockWrongCodesSet_IsAudited_AndRefusesBadCalls()
    {
        Totp totp = await EnrolTotpAsync(_admin, "hanako");
        string wrong = ((int.Parse(totp.ComputeTotp(DateTime.UtcNow), System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < 5; i++) await _admin.PostJsonAsync("/v1/accounts/hanako/factors/totp/verify", $$"""{"code":"{{wrong}}"}""");
        using (HttpResponseMessage blocked = await _admin.PostAsync("/v1/accounts/hanako/factors/totp/verify",
            new StringContent($$"""{"code":"{{wrong}}"}""", System.Text.Encoding.UTF8, "application/json")))
            Assert.Equal(429, (int)blocked.StatusCode);
        JsonElement page = await _admin.GetJsonAsync("/v1/accounts/hanako");
        Assert.True(page.GetProperty("step_ups_blocked_until").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        string keyId = await AdminKeyIdAsync();
        string assess = await AssessKeyAsync();

        await Http.AssertProblemAsync(await _admin.DeleteAsync($"/v1/accounts/{new string('a', 257)}/factors/failures"), 400, "id");
        await Http.AssertProblemAsync(await _factory.CreateClient().DeleteAsync("/v1/accounts/hanako/factors/failures"), 401);
        await Http.AssertProblemAsync(await _factory.WithKey(assess).DeleteAsync("/v1/accounts/hanako/factors/failures"), 403);
        using (HttpResponseMessage still = await _admin.PostAsync("/v1/accounts/hanako/factors/totp/verify",
            new StringContent($$"""{"code":"{{wrong}}"}""", System.Text.Encoding.UTF8, "application/json")))
            Assert.Equal(429, (int)still.StatusCode);   // the refused calls changed nothing
        Assert.DoesNotContain(await AuditAsync(), a => a.Action == "factor.failures.clear");

        JsonElement first = await _admin.DeleteJsonAsync("/v1/accounts/hanako/factors/failures");
        JsonElement second = await _admin.DeleteJsonAsync("/v1/accounts/hanako/factors/failures");

        Assert.True(first.GetProperty("cleared").GetBoolean());
        Assert.False(second.GetProperty("cleared").GetBoolean());
        Assert.False((await _admin.GetJsonAsync("/v1/accounts/hanako")).TryGetProperty("step_ups_blocked_until", out _));
        JsonElement rejected = await _admin.PostJsonAsync("/v1/accounts/hanako/factors/totp/verify", $$"""{"code":"{{wrong}}"}""");
        Assert.False(rejected.GetProperty("verified").GetBoolean());   // checked again, not 429
        AdminAction audit = Assert.Single(await AuditAsync(), a => a.Action == "factor.failures.clear");
        Assert.Equal("account=hanako", audit.Target);
        Assert.Contains((await _admin.GetJsonAsync("/v1/audit?account=hanako")).GetProperty("entries").EnumerateArray(),
            e => e.GetProperty("kind").GetString() == "verification_failures_cleared" && e.GetProperty("detail").GetString() == "operator key " + keyId);
    }

    [Fact]
    public async Task CancelStepUp_NextLoginIsJudgedNormally_AndIsAudited()
    {
        await _admin.PostJsonAsync("/v1/accounts/hanako/step-up", "");

        using HttpResponseMessage cancel = await _admin.DeleteAsync("/v1/accounts/hanako/step-up");
        JsonElement next = await LoginAsync("hanako");

        Assert.Equal(200, (int)cancel.StatusCode);
        Assert.DoesNotContain("step_up_requested", next.ReasonCodes());
        Assert.Contains(await AuditAsync(), a => a.Action == "account.step_up.cancel" && a.Target == "account=hanako tenant=");
    }

    [Fact]
    public async Task PassedStepUp_ClearsTheOperatorsRequest()
    {
        await _admin.PostJsonAsync("/v1/accounts/hanako/step-up", "");
        JsonElement assessed = await _admin.PostJsonAsync("/v1/login/assess", """{"account":"hanako","ip":"198.51.100.20","device":"dev-phone"}""");
        string id = assessed.GetProperty("request_id").GetString()!;
        JsonElement outcome = await _admin.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{id}}","outcome":"success"}""");
        Assert.Contains("step_up_requested", outcome.ReasonCodes());

        await _admin.PostJsonAsync("/v1/login/step-up", $$"""{"request_id":"{{id}}","passed":true}""");

        Assert.DoesNotContain("step_up_requested", (await LoginAsync("hanako")).ReasonCodes());
    }

    [Fact]
    public async Task StepUp_BadInputOrWrongKey_IsRefused_NothingChangesOrIsAudited()
    {
        string assess = await AssessKeyAsync();

        await Http.AssertProblemAsync(await _admin.PostAsync($"/v1/accounts/{new string('a', 257)}/step-up", null), 400, "id");
        await Http.AssertProblemAsync(await _admin.PostAsync($"/v1/accounts/hanako/step-up?tenant={new string('t', 65)}", null), 400, "tenant");
        await Http.AssertProblemAsync(await _factory.CreateClient().PostAsync("/v1/accounts/hanako/step-up", null), 401);
        await Http.AssertProblemAsync(await _factory.WithKey(assess).PostAsync("/v1/accounts/hanako/step-up", null), 403);
        await Http.AssertProblemAsync(await _factory.WithKey(assess).DeleteAsync("/v1/accounts/hanako/step-up"), 403);

        Assert.DoesNotContain("step_up_requested", (await LoginAsync("hanako")).ReasonCodes());
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task Account_ListsLinksAndDestinations_Masked_NeverTheFullNumber()
    {
        (string link, string destination) = await CreateLinksAsync(_admin, "hanako");

        using HttpResponseMessage response = await _admin.GetAsync("/v1/accounts/hanako");
        string body = await response.Content.ReadAsStringAsync();
        JsonElement[] links = JsonDocument.Parse(body).RootElement.GetProperty("links").EnumerateArray().ToArray();

        Assert.Equal(2, links.Length);
        Assert.Equal(link, links[0].GetProperty("id").GetString());
        Assert.Equal("funding", links[0].GetProperty("kind").GetString());
        Assert.Equal("0005", links[0].GetProperty("bank").GetString());
        Assert.Equal("••••321", links[0].GetProperty("masked_account").GetString());
        Assert.Equal("active", links[0].GetProperty("state").GetString());
        Assert.True(links[0].TryGetProperty("created", out _));
        Assert.Equal(destination, links[1].GetProperty("id").GetString());
        Assert.Equal("withdrawal_destination", links[1].GetProperty("kind").GetString());
        Assert.DoesNotContain("7654321", body, StringComparison.Ordinal);
        Assert.DoesNotContain("99887766", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ﾀﾅｶ", body, StringComparison.Ordinal);   // nor the holder name
        Assert.Empty((await _admin.GetJsonAsync("/v1/accounts/nobody")).GetProperty("links").EnumerateArray());
    }

    [Fact]
    public async Task FreezeLink_StopsCharges_IsIdempotent_AndAuditedOnceWithTheKey()
    {
        (string link, _) = await CreateLinksAsync(_admin, "hanako");

        JsonElement first = await _admin.PostJsonAsync($"/v1/accounts/hanako/links/{link}/freeze", "");
        JsonElement second = await _admin.PostJsonAsync($"/v1/accounts/hanako/links/{link}/freeze", "");
        JsonElement charge = await _admin.PostJsonAsync($"/v1/links/{link}/charges", """{"amount":100}""");

        Assert.True(first.GetProperty("changed").GetBoolean());
        Assert.False(second.GetProperty("changed").GetBoolean());
        Assert.Equal("frozen", second.GetProperty("link").GetProperty("state").GetString());
        Assert.Equal("deny", charge.GetProperty("decision").GetString());
        AdminAction audit = Assert.Single(await AuditAsync(), a => a.Action == "link.freeze");
        Assert.Equal(await AdminKeyIdAsync(), audit.KeyId);
        Assert.Equal($"account=hanako link={link} kind=funding", audit.Target);
        JsonElement account = await _admin.GetJsonAsync("/v1/accounts/hanako");
        Assert.Equal("frozen", account.GetProperty("links")[0].GetProperty("state").GetString());
        Assert.Equal("active", account.GetProperty("links")[1].GetProperty("state").GetString());
    }

    [Fact]
    public async Task FreezeDestination_StopsWithdrawals()
    {
        (_, string destination) = await CreateLinksAsync(_admin, "hanako");

        JsonElement frozen = await _admin.PostJsonAsync($"/v1/accounts/hanako/links/{destination}/freeze", "");
        JsonElement withdrawal = await _admin.PostJsonAsync("/v1/accounts/hanako/withdrawals", $$"""{"destination_id":"{{destination}}","amount":100}""");

        Assert.Equal("withdrawal_destination", frozen.GetProperty("link").GetProperty("kind").GetString());
        Assert.Contains("destination_frozen", withdrawal.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(await AuditAsync(), a => a.Action == "link.freeze" && a.Target.EndsWith("kind=withdrawal_destination", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FreezeLink_UnknownOtherAccountsOrBadInput_IsRefused_NothingChangesOrIsAudited()
    {
        (string link, string destination) = await CreateLinksAsync(_admin, "hanako");
        string assess = await AssessKeyAsync();

        await Http.AssertProblemAsync(await _admin.PostAsync("/v1/accounts/hanako/links/lnk_unknown/freeze", null), 404);
        await Http.AssertProblemAsync(await _admin.PostAsync($"/v1/accounts/mallory/links/{link}/freeze", null), 404);
        await Http.AssertProblemAsync(await _admin.PostAsync($"/v1/accounts/mallory/links/{destination}/freeze", null), 404);
        await Http.AssertProblemAsync(await _admin.PostAsync($"/v1/accounts/hanako/links/{new string('l', 65)}/freeze", null), 400, "link");
        await Http.AssertProblemAsync(await _admin.PostAsync($"/v1/accounts/{new string('a', 257)}/links/{link}/freeze", null), 400, "id");
        await Http.AssertProblemAsync(await _factory.CreateClient().PostAsync($"/v1/accounts/hanako/links/{link}/freeze", null), 401);
        await Http.AssertProblemAsync(await _factory.WithKey(assess).PostAsync($"/v1/accounts/hanako/links/{link}/freeze", null), 403);

        JsonElement account = await _admin.GetJsonAsync("/v1/accounts/hanako");
        Assert.All(account.GetProperty("links").EnumerateArray(), l => Assert.Equal("active", l.GetProperty("state").GetString()));
        Assert.Empty(await AuditAsync());
        Assert.Equal("allow", (await _admin.PostJsonAsync($"/v1/links/{link}/charges", """{"amount":100}""")).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task UnfreezeLink_LetsChargesThrough_IsIdempotent_AndAuditedOnceWithTheKey()
    {
        (string link, string destination) = await CreateLinksAsync(_admin, "hanako");
        await _admin.PostJsonAsync($"/v1/accounts/hanako/links/{link}/freeze", "");
        await _admin.PostJsonAsync($"/v1/accounts/hanako/links/{destination}/freeze", "");

        JsonElement first = await _admin.DeleteJsonAsync($"/v1/accounts/hanako/links/{link}/freeze");
        JsonElement second = await _admin.DeleteJsonAsync($"/v1/accounts/hanako/links/{link}/freeze");
        JsonElement charge = await _admin.PostJsonAsync($"/v1/links/{link}/charges", """{"amount":100}""");

        Assert.True(first.GetProperty("changed").GetBoolean());
        Assert.Equal("active", first.GetProperty("link").GetProperty("state").GetString());
        Assert.False(second.GetProperty("changed").GetBoolean());
        Assert.Equal("allow", charge.GetProperty("decision").GetString());
        AdminAction audit = Assert.Single(await AuditAsync(), a => a.Action == "link.unfreeze");
        Assert.Equal(await AdminKeyIdAsync(), audit.KeyId);
        Assert.Equal($"account=hanako link={link} kind=funding", audit.Target);
        JsonElement account = await _admin.GetJsonAsync("/v1/accounts/hanako");
        Assert.Equal("active", account.GetProperty("links")[0].GetProperty("state").GetString());
        Assert.Equal("frozen", account.GetProperty("links")[1].GetProperty("state").GetString());   // only the one named
    }

    [Fact]
    public async Task UnfreezeLink_UnknownOtherAccountsOrBadInputOrNoAdminKey_IsRefused_AndTheFreezeStands()
    {
        (string link, _) = await CreateLinksAsync(_admin, "hanako");
        await _admin.PostJsonAsync($"/v1/accounts/hanako/links/{link}/freeze", "");
        string assess = await AssessKeyAsync();

        await Http.AssertProblemAsync(await _admin.DeleteAsync("/v1/accounts/hanako/links/lnk_unknown/freeze"), 404);
        await Http.AssertProblemAsync(await _admin.DeleteAsync($"/v1/accounts/mallory/links/{link}/freeze"), 404);
        await Http.AssertProblemAsync(await _admin.DeleteAsync($"/v1/accounts/hanako/links/{new string('l', 65)}/freeze"), 400, "link");
        await Http.AssertProblemAsync(await _factory.CreateClient().DeleteAsync($"/v1/accounts/hanako/links/{link}/freeze"), 401);
        await Http.AssertProblemAsync(await _factory.WithKey(assess).DeleteAsync($"/v1/accounts/hanako/links/{link}/freeze"), 403);

        JsonElement account = await _admin.GetJsonAsync("/v1/accounts/hanako");
        Assert.Equal("frozen", account.GetProperty("links")[0].GetProperty("state").GetString());
        Assert.DoesNotContain(await AuditAsync(), a => a.Action == "link.unfreeze");
        Assert.Equal("deny", (await _admin.PostJsonAsync($"/v1/links/{link}/charges", """{"amount":100}""")).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task Account_WhenTheFlowsStoreFails_OmitsLinks_ButStillAnswers()
    {
        await LoginAsync("hanako");
        using var broken = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ILinkStore>(new FailingLinkStore())));
        HttpClient client = broken.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", MamoriFactory.AdminKey);

        JsonElement account = await client.GetJsonAsync("/v1/accounts/hanako");
        using HttpResponseMessage freeze = await client.PostAsync("/v1/accounts/hanako/links/lnk_x/freeze", null);

        Assert.False(account.TryGetProperty("links", out _));
        Assert.NotEmpty(account.GetProperty("recent_events").EnumerateArray());
        await Http.AssertProblemAsync(freeze, 503);
    }

    /// <summary>A links store whose disk has gone.</summary>
    private sealed class FailingLinkStore : ILinkStore
    {
        private static Task<T> Fail<T>() => Task.FromException<T>(new IOException("disk I/O error"));
        public Task<IReadOnlyList<LinkRecord>> ListLinksToBankAccountAsync(string bank, string bankAccount, int limit, CancellationToken cancellationToken) =>
            Fail<IReadOnlyList<LinkRecord>>();
        public Task RecordHolderReportAsync(string bank, string bankAccount, DateTimeOffset at, CancellationToken cancellationToken) => Fail<bool>();
        public Task<DateTimeOffset?> GetLatestHolderReportAsync(string bank, string bankAccount, CancellationToken cancellationToken) => Fail<DateTimeOffset?>();
        public Task AddLinkAsync(LinkRecord link, CancellationToken cancellationToken) => Fail<bool>();
        public Task<LinkRecord?> GetLinkAsync(string id, CancellationToken cancellationToken) => Fail<LinkRecord?>();
        public Task FreezeLinkAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) => Fail<bool>();
        public Task<bool> UnfreezeLinkAsync(string id, CancellationToken cancellationToken) => Fail<bool>();
        public Task<IReadOnlyList<LinkRecord>> ListLinksAsync(string wallet, int limit, CancellationToken cancellationToken) => Fail<IReadOnlyList<LinkRecord>>();
        public Task AddChargeAsync(string linkId, long amount, DateTimeOffset at, CancellationToken cancellationToken) => Fail<bool>();
        public Task<long> SumBankAccountChargesAsync(string bank, string bankAccount, DateTimeOffset since, CancellationToken cancellationToken) => Fail<long>();
        public Task<IAsyncDisposable> LockBankAccountAsync(string bank, string bankAccount, CancellationToken cancellationToken) => Fail<IAsyncDisposable>();
    }
}
