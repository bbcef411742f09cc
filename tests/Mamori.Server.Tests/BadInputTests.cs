using System.Text;
using System.Text.Json;

namespace Mamori.Server.Tests;

/// <summary>Every malformed request is a problem document naming its field, and leaves no trace in storage or signals.</summary>
public sealed class BadInputTests : IClassFixture<BadInputTests.Fixture>
{
    private readonly Fixture _fixture;

    public BadInputTests(Fixture fixture) => _fixture = fixture;

    public sealed class Fixture : IDisposable
    {
        public MamoriFactory Factory { get; } = new();
        public HttpClient Client { get; }
        public Fixture() => Client = Factory.Admin();
        public void Dispose() => Factory.Dispose();
    }

    private static readonly string LongAccount = new('a', 257);

    public static TheoryData<string, string, string> AssessCases => new()
    {
        { "malformed JSON", """{"account":"x","ip":""", "$" },
        { "wrong type", """{"account":42,"ip":"203.0.113.1"}""", "account" },
        { "missing account", """{"ip":"203.0.113.1"}""", "account" },
        { "missing ip", """{"account":"x"}""", "ip" },
        { "invalid ip", """{"account":"x","ip":"999.1.1.1"}""", "ip" },
        // inet_aton's shorthands and an interface's zone would store an address the caller never meant.
        { "octal ip", """{"account":"x","ip":"010.0.0.1"}""", "ip" },
        { "short ip", """{"account":"x","ip":"1.2.3"}""", "ip" },
        { "ip as a number", """{"account":"x","ip":"16909060"}""", "ip" },
        { "hex ip", """{"account":"x","ip":"0x1.0x2.0x3.0x4"}""", "ip" },
        { "ip with a port", """{"account":"x","ip":"203.0.113.1:443"}""", "ip" },
        { "bracketed ipv6 with a port", """{"account":"x","ip":"[2001:db8::1]:80"}""", "ip" },
        { "ipv6 with a zone", """{"account":"x","ip":"fe80::1%eth0"}""", "ip" },
        { "a second object after the first", """{"account":"x","ip":"203.0.113.1"}{"account":"y","ip":"203.0.113.2"}""", "$" },
        { "text after the object", """{"account":"x","ip":"203.0.113.1"} trailing""", "$" },
        { "a field twice", """{"account":"x","account":"y","ip":"203.0.113.1"}""", "account" },
        { "secret_fp too short", """{"account":"x","ip":"203.0.113.1","secret_fp":"abc"}""", "secret_fp" },
        { "secret_fp not hex", """{"account":"x","ip":"203.0.113.1","secret_fp":"0123456789abcdeZ"}""", "secret_fp" },
        { "over-long account", $$"""{"account":"{{LongAccount}}","ip":"203.0.113.1"}""", "account" },
        { "over-long tenant", $$"""{"account":"x","ip":"203.0.113.1","tenant":"{{new string('t', 65)}}"}""", "tenant" },
        { "over-long device", $$"""{"account":"x","ip":"203.0.113.1","device":"{{new string('d', 257)}}"}""", "device" },
        { "unknown field", """{"account":"x","ip":"203.0.113.1","password":"hunter2"}""", "password" },
        { "bad country", """{"account":"x","ip":"203.0.113.1","country":"Japan"}""", "country" },
        { "negative asn", """{"account":"x","ip":"203.0.113.1","asn":-1}""", "asn" },
        { "asn as text", """{"account":"x","ip":"203.0.113.1","asn":"AS2516"}""", "asn" },
        { "ts not a time", """{"account":"x","ip":"203.0.113.1","ts":"yesterday"}""", "ts" },
        { "ts in the future", """{"account":"x","ip":"203.0.113.1","ts":"2999-01-01T00:00:00Z"}""", "ts" },
        { "ts a default date", """{"account":"x","ip":"203.0.113.1","ts":"0001-01-01T00:00:00Z"}""", "ts" },
        { "ts the Unix epoch", """{"account":"x","ip":"203.0.113.1","ts":"1970-01-01T00:00:00Z"}""", "ts" },
        { "empty account", """{"account":" ","ip":"203.0.113.1"}""", "account" },
        { "null body", "null", "$" },
        { "array body", "[]", "$" },
    };

    [Theory]
    [MemberData(nameof(AssessCases))]
    public async Task Assess_BadInput_IsAProblemNamingTheFieldAndChangesNothing(string scenario, string body, string field)
    {
        var before = _fixture.Factory.Signals.Tables;
        long rows = _fixture.Factory.DecisionRows();

        HttpResponseMessage response = await _fixture.Client.PostAsync("/v1/login/assess", Http.Json(body));

        await Http.AssertProblemAsync(response, 400, field);
        Assert.True(before.SequenceEqual(_fixture.Factory.Signals.Tables), scenario);
        Assert.Equal(rows, _fixture.Factory.DecisionRows());
    }

    [Fact]
    public async Task Assess_BodyOverTheLimit_Is413AndChangesNothing()
    {
        long rows = _fixture.Factory.DecisionRows();
        string body = $$"""{"account":"x","ip":"203.0.113.1","user_agent":"{{new string('u', 9000)}}"}""";

        HttpResponseMessage response = await _fixture.Client.PostAsync("/v1/login/assess", Http.Json(body));

        await Http.AssertProblemAsync(response, 413);
        Assert.Equal(rows, _fixture.Factory.DecisionRows());
    }

    [Fact]
    public async Task Assess_NotJson_Is415()
    {
        HttpResponseMessage response = await _fixture.Client.PostAsync("/v1/login/assess",
            new StringContent("""{"account":"x","ip":"203.0.113.1"}""", Encoding.UTF8, "text/plain"));
        await Http.AssertProblemAsync(response, 415);
    }

    public static TheoryData<string, string> OutcomeCases => new()
    {
        { """{"outcome":"success"}""", "request_id" },
        { """{"request_id":"req_1"}""", "outcome" },
        { """{"request_id":"req_1","outcome":"SUCCESS"}""", "outcome" },
        { """{"request_id":"req_1","outcome":"success","breach_count":-5}""", "breach_count" },
        { """{"request_id":"req_1","outcome":"success","breached":true,"breach_count":0}""", "breach_count" },
        { """{"request_id":"req_1","outcome":"success","breached":"yes"}""", "breached" },
        { """{"request_id":"req_1","outcome":"success","extra":1}""", "extra" },
    };

    [Theory]
    [MemberData(nameof(OutcomeCases))]
    public async Task Outcome_BadInput_IsAProblemNamingTheField(string body, string field)
    {
        long rows = _fixture.Factory.DecisionRows();
        await Http.AssertProblemAsync(await _fixture.Client.PostAsync("/v1/login/outcome", Http.Json(body)), 400, field);
        Assert.Equal(rows, _fixture.Factory.DecisionRows());
    }

    [Fact]
    public async Task Events_BatchOverOneThousand_IsRefusedWhole()
    {
        var before = _fixture.Factory.Signals.Tables;
        long rows = _fixture.Factory.DecisionRows();
        string batch = "[" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"account":"b{{i}}","ip":"192.0.2.1","outcome":"success"}""")) + "]";

        HttpResponseMessage response = await _fixture.Client.PostAsync("/v1/login/events", Http.Json(batch));

        JsonElementAssert(await Http.AssertProblemAsync(response, 400, "$"), "1,000");
        Assert.Equal(before, _fixture.Factory.Signals.Tables);
        Assert.Equal(rows, _fixture.Factory.DecisionRows());
    }

    [Fact]
    public async Task Events_OneBadEventInABatch_RefusesTheWholeBatchNamingItsIndex()
    {
        var before = _fixture.Factory.Signals.Tables;
        long rows = _fixture.Factory.DecisionRows();
        const string batch = """[{"account":"ok1","ip":"192.0.2.1","outcome":"success"},{"account":"ok2","ip":"not-an-ip","outcome":"success"}]""";

        await Http.AssertProblemAsync(await _fixture.Client.PostAsync("/v1/login/events", Http.Json(batch)), 400, "[1].ip");

        Assert.Equal(before, _fixture.Factory.Signals.Tables);
        Assert.Equal(rows, _fixture.Factory.DecisionRows());
    }

    [Fact]
    public async Task Events_UnknownOutcomeOrWrongTypeInABatch_NamesTheElement()
    {
        await Http.AssertProblemAsync(await _fixture.Client.PostAsync("/v1/login/events",
            Http.Json("""[{"account":"a","ip":"192.0.2.1","outcome":"teleported"}]""")), 400, "[0].outcome");
        await Http.AssertProblemAsync(await _fixture.Client.PostAsync("/v1/login/events",
            Http.Json("""[{"account":"a","ip":"192.0.2.1","outcome":"success"},{"account":true}]""")), 400, "[1].account");
        await Http.AssertProblemAsync(await _fixture.Client.PostAsync("/v1/login/events",
            Http.Json("""{"account":"a","ip":"192.0.2.1"}""")), 400, "outcome");
    }

    [Fact]
    public async Task Events_ContentAfterTheBatch_IsRefusedAndChangesNothing()
    {
        long rows = _fixture.Factory.DecisionRows();
        await Http.AssertProblemAsync(await _fixture.Client.PostAsync("/v1/login/events",
            Http.Json("""[{"account":"a","ip":"192.0.2.1","outcome":"success"}][{"account":"b","ip":"192.0.2.2","outcome":"success"}]""")), 400, "$");
        await Http.AssertProblemAsync(await _fixture.Client.PostAsync("/v1/login/events",
            Http.Json("""{"account":"a","ip":"192.0.2.1","outcome":"success"} {"account":"b"}""")), 400, "$");
        Assert.Equal(rows, _fixture.Factory.DecisionRows());
    }

    [Fact]
    public async Task Events_BodyOverTheBatchLimit_Is413()
    {
        string huge = "[" + string.Join(",", Enumerable.Range(0, 900).Select(i => $$"""{"account":"{{new string('a', 250)}}","ip":"192.0.2.1","outcome":"success","user_agent":"{{new string('u', 1000)}}"}""")) + "]";
        await Http.AssertProblemAsync(await _fixture.Client.PostAsync("/v1/login/events", Http.Json(huge)), 413);
    }

    [Fact]
    public async Task AdminRoutes_BadIds_AreProblems()
    {
        await Http.AssertProblemAsync(await _fixture.Client.GetAsync($"/v1/accounts/{new string('a', 257)}"), 400, "id");
        await Http.AssertProblemAsync(await _fixture.Client.PutAsync($"/v1/accounts/x/devices/{new string('d', 257)}/trust", null), 400, "device");
        await Http.AssertProblemAsync(await _fixture.Client.GetAsync("/v1/campaigns/cmp-unknown"), 404);
        await Http.AssertProblemAsync(await _fixture.Client.GetAsync("/v1/no-such-route"), 404);
    }

    [Theory]
    [InlineData("/v1/campaigns?limit=0")]
    [InlineData("/v1/campaigns?limit=-7")]
    [InlineData("/v1/campaigns?limit=1001")]
    [InlineData("/v1/campaigns?limit=abc")]
    [InlineData("/v1/accounts/a?limit=0")]
    [InlineData("/v1/accounts/a?limit=501")]
    [InlineData("/v1/accounts/a?limit=2.5")]
    public async Task Admin_LimitOutOfRange_IsAProblemNamingIt_NotClamped(string path)
    {
        await Http.AssertProblemAsync(await _fixture.Client.GetAsync(path), 400, "limit");
    }

    [Fact]
    public async Task Ids_WithInvisibleCharacters_AreRefused_AndTrustNothing()
    {
        await Http.AssertProblemAsync(await _fixture.Client.PutAsync("/v1/accounts/alice/devices/%E2%80%8B/trust", null), 400, "device");
        await Http.AssertProblemAsync(await _fixture.Client.PostAsync("/v1/login/assess", Http.Json("{\"account\":\"ali\u200Bce\",\"ip\":\"203.0.113.1\"}")), 400, "account");
        JsonElement alice = await _fixture.Client.GetJsonAsync("/v1/accounts/alice");
        Assert.Empty(alice.GetProperty("devices").EnumerateArray());
    }

    private static void JsonElementAssert(System.Text.Json.JsonElement problem, string contains) =>
        Assert.Contains(contains, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
}
