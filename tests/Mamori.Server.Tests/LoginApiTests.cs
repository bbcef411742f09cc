using System.Text.Json;
using Mamori.Server.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Server.Tests;

public sealed class LoginApiTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly MamoriFactory _factory;
    private readonly HttpClient _client;

    public LoginApiTests()
    {
        _factory = new MamoriFactory { Time = _time };
        _client = _factory.Admin();
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Assess_OrdinaryAttempt_AllowsWithRequestIdAndStoresTheDecision()
    {
        JsonElement answer = await _client.PostJsonAsync("/v1/login/assess",
            """{"account":"alice","ip":"203.0.113.7","user_agent":"Mozilla/5.0","device":"d-1","secret_fp":"0123456789ABCDEF","asn":2516,"country":"jp"}""");

        Assert.StartsWith("req_", answer.GetProperty("request_id").GetString());
        Assert.Equal("allow", answer.GetProperty("decision").GetString());
        Assert.Equal(0, answer.GetProperty("score").GetDouble());
        Assert.Equal(JsonValueKind.Array, answer.GetProperty("reasons").ValueKind);
        Assert.Equal(1, _factory.DecisionRows());
    }

    [Fact]
    public async Task Outcome_AfterAssess_AnswersAndIsRecordedOnce()
    {
        JsonElement assessed = await _client.PostJsonAsync("/v1/login/assess", """{"account":"bob","ip":"198.51.100.4"}""");
        string id = assessed.GetProperty("request_id").GetString()!;

        JsonElement outcome = await _client.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{id}}","outcome":"wrong_secret"}""");
        Assert.Equal(id, outcome.GetProperty("request_id").GetString());
        Assert.Contains(outcome.GetProperty("decision").GetString(), new[] { "allow", "step_up", "deny" });

        // The same outcome again is refused: one login, one outcome.
        HttpResponseMessage again = await _client.PostAsync("/v1/login/outcome", Http.Json($$"""{"request_id":"{{id}}","outcome":"success"}"""));
        await Http.AssertProblemAsync(again, 404, "request_id");
        Assert.Equal(2, _factory.DecisionRows());
    }

    [Fact]
    public async Task Outcome_UnknownRequestId_Is404Problem()
    {
        HttpResponseMessage response = await _client.PostAsync("/v1/login/outcome", Http.Json("""{"request_id":"req_0000000000000000","outcome":"success"}"""));
        await Http.AssertProblemAsync(response, 404, "request_id");
    }

    [Fact]
    public async Task Outcome_AfterTheTtl_Is404Problem()
    {
        JsonElement assessed = await _client.PostJsonAsync("/v1/login/assess", """{"account":"carol","ip":"198.51.100.5"}""");
        _time.Advance(new ServerSettings().PendingTtl + TimeSpan.FromSeconds(1));

        HttpResponseMessage response = await _client.PostAsync("/v1/login/outcome",
            Http.Json($$"""{"request_id":"{{assessed.GetProperty("request_id").GetString()}}","outcome":"success"}"""));
        await Http.AssertProblemAsync(response, 404, "request_id");
    }

    [Fact]
    public async Task Outcome_WithAnUnknownOutcome_IsRefusedAndTheLoginStillAwaitsAValidOne()
    {
        JsonElement assessed = await _client.PostJsonAsync("/v1/login/assess", """{"account":"dave","ip":"198.51.100.6"}""");
        string id = assessed.GetProperty("request_id").GetString()!;

        HttpResponseMessage bad = await _client.PostAsync("/v1/login/outcome", Http.Json($$"""{"request_id":"{{id}}","outcome":"maybe"}"""));
        await Http.AssertProblemAsync(bad, 400, "outcome");
        Assert.Equal(1, _factory.DecisionRows());

        JsonElement good = await _client.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{id}}","outcome":"success"}""");
        Assert.Equal(id, good.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task Outcome_BreachedPasswordOnSuccess_SaysSo()
    {
        JsonElement assessed = await _client.PostJsonAsync("/v1/login/assess", """{"account":"erin","ip":"198.51.100.7"}""");
        JsonElement outcome = await _client.PostJsonAsync("/v1/login/outcome",
            $$"""{"request_id":"{{assessed.GetProperty("request_id").GetString()}}","outcome":"success","breached":true,"breach_count":52000}""");

        Assert.Contains("breached_password", outcome.ReasonCodes());
    }

    [Fact]
    public async Task BreachedLogin_FlagsTheAccount_UntilAnAcceptedPasswordChange()
    {
        JsonElement before = await _client.GetJsonAsync("/v1/accounts/olga");
        Assert.False(before.GetProperty("password_change_required").GetBoolean());

        JsonElement assessed = await _client.PostJsonAsync("/v1/login/assess", """{"account":"olga","ip":"198.51.100.7"}""");
        JsonElement outcome = await _client.PostJsonAsync("/v1/login/outcome",
            $$"""{"request_id":"{{assessed.GetProperty("request_id").GetString()}}","outcome":"success","breached":true}""");
        Assert.True(outcome.GetProperty("password_change_required").GetBoolean());

        JsonElement flagged = await _client.GetJsonAsync("/v1/accounts/olga");
        Assert.True(flagged.GetProperty("password_change_required").GetBoolean());
        Assert.Equal(_time.GetUtcNow(), flagged.GetProperty("password_change_required_since").GetDateTimeOffset());

        // A change to another breached password is refused and leaves the flag; a clean one clears it.
        await _client.PostJsonAsync("/v1/password/change", """{"account":"olga","breached":true}""");
        Assert.True((await _client.GetJsonAsync("/v1/accounts/olga")).GetProperty("password_change_required").GetBoolean());
        await _client.PostJsonAsync("/v1/password/change", """{"account":"olga","breached":false}""");
        JsonElement cleared = await _client.GetJsonAsync("/v1/accounts/olga");
        Assert.False(cleared.GetProperty("password_change_required").GetBoolean());
        Assert.False(cleared.TryGetProperty("password_change_required_since", out _));
    }

    [Fact]
    public async Task BreachedEvent_FlagsTheAccount_ButAFailedOneDoesNot()
    {
        await _client.PostJsonAsync("/v1/login/events", """{"account":"pia","ip":"203.0.113.9","outcome":"wrong_secret","breached":true}""");
        Assert.False((await _client.GetJsonAsync("/v1/accounts/pia")).GetProperty("password_change_required").GetBoolean());
        await _client.PostJsonAsync("/v1/login/events", """{"account":"pia","ip":"203.0.113.9","outcome":"success","breached":true}""");
        Assert.True((await _client.GetJsonAsync("/v1/accounts/pia")).GetProperty("password_change_required").GetBoolean());
    }

    [Fact]
    public async Task Events_SingleEvent_AnswersOneDecision()
    {
        JsonElement answer = await _client.PostJsonAsync("/v1/login/events",
            """{"account":"frank","ip":"203.0.113.9","outcome":"success","ts":"2026-11-24T08:59:00+09:00"}""");

        Assert.Equal(JsonValueKind.Object, answer.ValueKind);
        Assert.Equal("allow", answer.GetProperty("decision").GetString());
        Assert.Equal("allow", answer.GetProperty("pre_auth_decision").GetString());
        Assert.Equal(1, _factory.DecisionRows());
    }

    [Fact]
    public async Task Events_SprayedPinAcrossAccounts_OpensACampaignListedByTheApi()
    {
        // One PIN failing against 60 accounts from rotating addresses: reverse brute force, as in the Docomo case.
        string batch = "[" + string.Join(",", Enumerable.Range(0, 60).Select(i =>
            $$"""{"account":"acct-{{i:D4}}","ip":"192.0.2.{{i % 250}}","secret_fp":"00000000000004d2","outcome":"wrong_secret"}""")) + "]";
        JsonElement answers = await _client.PostJsonAsync("/v1/login/events", batch);

        Assert.Equal(60, answers.GetArrayLength());
        Assert.Contains(answers.EnumerateArray(), a => a.ReasonCodes().Contains("sprayed_secret"));
        Assert.Equal(60, _factory.DecisionRows());

        JsonElement list = await _client.GetJsonAsync("/v1/campaigns");
        JsonElement campaign = Assert.Single(list.GetProperty("campaigns").EnumerateArray(), c => c.GetProperty("kind").GetString() is "password_spray" or "reverse_brute_force");
        string id = campaign.GetProperty("id").GetString()!;
        Assert.True(campaign.GetProperty("open").GetBoolean());

        JsonElement one = await _client.GetJsonAsync($"/v1/campaigns/{id}");
        Assert.Equal(id, one.GetProperty("id").GetString());
        Assert.DoesNotContain("04d2", one.ToString(), StringComparison.OrdinalIgnoreCase);   // only opaque secret ids
    }

    [Fact]
    public async Task StepUp_PassedAfterAStepUpOutcome_TrustsTheDeviceAndIssuesATokenThatLaterLoginsUse()
    {
        var assessor = _factory.Services.GetRequiredService<LoginAssessor>();
        await assessor.SetStepUpRequestedAsync("grace", null, true);

        JsonElement assessed = await _client.PostJsonAsync("/v1/login/assess", """{"account":"grace","ip":"203.0.113.20","device":"phone-1"}""");
        string id = assessed.GetProperty("request_id").GetString()!;
        JsonElement outcome = await _client.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{id}}","outcome":"success"}""");
        Assert.Equal("step_up", outcome.GetProperty("decision").GetString());

        JsonElement stepUp = await _client.PostJsonAsync("/v1/login/step-up", $$"""{"request_id":"{{id}}","passed":true}""");
        Assert.True(stepUp.GetProperty("trusted").GetBoolean());
        Assert.Equal("phone-1", stepUp.GetProperty("device").GetString());
        string token = stepUp.GetProperty("device_token").GetString()!;
        Assert.StartsWith("mdt1.", token);
        await assessor.SetStepUpRequestedAsync("grace", null, false);

        // Next login sends the token as its device: the engine sees the trusted device; the outcome renews the token.
        JsonElement next = await _client.PostJsonAsync("/v1/login/assess", $$"""{"account":"grace","ip":"203.0.113.21","device":"{{token}}"}""");
        Assert.Contains("trusted_device", next.ReasonCodes());
        JsonElement nextOutcome = await _client.PostJsonAsync("/v1/login/outcome",
            $$"""{"request_id":"{{next.GetProperty("request_id").GetString()}}","outcome":"success"}""");
        Assert.Equal("allow", nextOutcome.GetProperty("decision").GetString());
        Assert.StartsWith("mdt1.", nextOutcome.GetProperty("device_token").GetString());

        JsonElement account = await _client.GetJsonAsync("/v1/accounts/grace");
        JsonElement device = Assert.Single(account.GetProperty("devices").EnumerateArray());
        Assert.Equal("phone-1", device.GetProperty("device").GetString());
        Assert.True(device.GetProperty("trusted").GetBoolean());
        Assert.DoesNotContain(token, account.ToString(), StringComparison.Ordinal);   // tokens are never stored
    }

    [Fact]
    public async Task StepUp_WithoutAPendingStepUp_Is404AndFailedStepUpTrustsNothing()
    {
        JsonElement assessed = await _client.PostJsonAsync("/v1/login/assess", """{"account":"heidi","ip":"203.0.113.22","device":"pc"}""");
        string id = assessed.GetProperty("request_id").GetString()!;
        // Not stepped up yet: nothing awaits a step-up under this id.
        await Http.AssertProblemAsync(await _client.PostAsync("/v1/login/step-up", Http.Json($$"""{"request_id":"{{id}}","passed":true}""")), 404, "request_id");

        var assessor = _factory.Services.GetRequiredService<LoginAssessor>();
        await assessor.SetStepUpRequestedAsync("heidi", null, true);
        JsonElement again = await _client.PostJsonAsync("/v1/login/assess", """{"account":"heidi","ip":"203.0.113.22","device":"pc"}""");
        string id2 = again.GetProperty("request_id").GetString()!;
        await _client.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{id2}}","outcome":"success"}""");
        JsonElement failed = await _client.PostJsonAsync("/v1/login/step-up", $$"""{"request_id":"{{id2}}","passed":false}""");

        Assert.False(failed.GetProperty("trusted").GetBoolean());
        Assert.False(failed.TryGetProperty("device_token", out _));
        JsonElement account = await _client.GetJsonAsync("/v1/accounts/heidi");
        Assert.DoesNotContain(account.GetProperty("devices").EnumerateArray(), d => d.GetProperty("trusted").GetBoolean());
    }

    [Fact]
    public async Task StepUp_Failed_AsksForOneAtTheAccountsNextSuccess_EvenOnItsOwnPhone_UntilOnePasses()
    {
        // Someone holding the password failed the second factor: its next success, from wherever, asks for it again. Before,
        // the failure changed nothing, and the same party's device was learned once it had succeeded on two days.
        const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
        const string Desktop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
        async Task<JsonElement> Login(string device, string ip, string agent)
        {
            JsonElement assessed = await _client.PostJsonAsync("/v1/login/assess", $$"""{"account":"olivia","ip":"{{ip}}","device":"{{device}}","user_agent":"{{agent}}"}""");
            return await _client.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{assessed.GetProperty("request_id").GetString()}}","outcome":"success"}""");
        }
        for (int i = 0; i < 5; i++) Assert.Equal("allow", (await Login("olivias-phone", "198.51.100.40", Phone)).GetProperty("decision").GetString());

        JsonElement intruder = await Login("laptop-x", "203.0.113.99", Desktop);
        Assert.Equal("step_up", intruder.GetProperty("decision").GetString());
        JsonElement failed = await _client.PostJsonAsync("/v1/login/step-up", $$"""{"request_id":"{{intruder.GetProperty("request_id").GetString()}}","passed":false}""");
        Assert.False(failed.GetProperty("trusted").GetBoolean());

        JsonElement owner = await Login("olivias-phone", "198.51.100.40", Phone);
        Assert.Equal("step_up", owner.GetProperty("decision").GetString());
        Assert.Contains("step_up_requested", owner.ReasonCodes());
        JsonElement passed = await _client.PostJsonAsync("/v1/login/step-up", $$"""{"request_id":"{{owner.GetProperty("request_id").GetString()}}","passed":true}""");
        Assert.True(passed.GetProperty("trusted").GetBoolean());
        Assert.Equal("allow", (await Login("olivias-phone", "198.51.100.40", Phone)).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task DeviceToken_OfAnotherAccount_CountsAsNoDevice()
    {
        var tokens = _factory.Services.GetRequiredService<Auth.DeviceTokens>();
        (string token, _) = tokens.Issue("ivan", null, "ivans-phone", _time.GetUtcNow());
        await _client.PutAsync("/v1/accounts/ivan/devices/ivans-phone/trust", null);
        await _client.PutAsync("/v1/accounts/judy/devices/ivans-phone/trust", null);

        JsonElement answer = await _client.PostJsonAsync("/v1/login/assess", $$"""{"account":"judy","ip":"203.0.113.23","device":"{{token}}"}""");

        Assert.DoesNotContain("trusted_device", answer.ReasonCodes());
    }

    [Fact]
    public async Task PasswordChange_Breached_IsDeniedAndCleanIsAllowed()
    {
        JsonElement breached = await _client.PostJsonAsync("/v1/password/change", """{"account":"kate","breached":true,"breach_count":1200}""");
        Assert.Equal("deny", breached.GetProperty("decision").GetString());
        Assert.Contains("breached_password", breached.ReasonCodes());

        JsonElement clean = await _client.PostJsonAsync("/v1/password/change", """{"account":"kate","tenant":"bank-a","breached":false}""");
        Assert.Equal("allow", clean.GetProperty("decision").GetString());
        Assert.Equal(2, _factory.DecisionRows());
    }

    [Fact]
    public async Task PasswordChange_WithoutBreached_Is400NamingIt()
    {
        await Http.AssertProblemAsync(await _client.PostAsync("/v1/password/change", Http.Json("""{"account":"kate"}""")), 400, "breached");
        Assert.Equal(0, _factory.DecisionRows());
    }

    [Fact]
    public void RequestIds_AreUnguessableAndDistinct()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => LoginEndpoints.NewRequestId()).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.Matches("^req_[0-9a-f]{16}$", id));
    }
}
