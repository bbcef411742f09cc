using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Mamori.Flows.Tests;

/// <summary>Every flow endpoint answers bad input with a problem document naming the field, and changes nothing.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string> JsonEndpoints() =>
    [
        "/v1/accounts/a/factors/totp", "/v1/accounts/a/factors/totp/verify", "/v1/accounts/a/factors/recovery-codes",
        "/v1/accounts/a/factors/recovery-codes/verify", "/v1/accounts/a/factors/one-time-code", "/v1/accounts/a/factors/one-time-code/verify",
        "/v1/accounts/a/factors/webauthn/registration/options", "/v1/accounts/a/factors/webauthn/registration",
        "/v1/accounts/a/factors/webauthn/assertion/options", "/v1/accounts/a/factors/webauthn/assertion", "/v1/device-tokens/verify",
        "/v1/accounts/a/events", "/v1/accounts/a/changes", "/v1/accounts/a/withdrawal-destinations", "/v1/accounts/a/withdrawals",
        "/v1/links", "/v1/links/lnk_x/charges",
    ];

    /// <summary>Row counts of every table plus messages sent: "nothing changed" means this is equal before and after.</summary>
    private static async Task<string> StateAsync(TestApp app)
    {
        var counts = new StringBuilder();
        await using var c = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "flows.db")}");
        await c.OpenAsync();
        var tables = new List<string>();
        await using (SqliteCommand list = c.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using SqliteDataReader r = await list.ExecuteReaderAsync();
            while (await r.ReadAsync()) tables.Add(r.GetString(0));
        }
        foreach (string table in tables)
        {
            await using SqliteCommand count = c.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM {table}";
            counts.Append(table).Append('=').Append(await count.ExecuteScalarAsync()).Append(';');
        }
        return counts.Append("messages=").Append(app.Channel.Messages.Count).ToString();
    }

    private static async Task<TestApp> SeededAsync()
    {
        TestApp app = await TestApp.StartAsync();
        await Stories.StepUpAsync(app, "a");   // the first factor, enrolled freely; with a contact first it would need a step-up
        await app.PostAsync("/v1/accounts/a/changes", new { kind = "contact", contact = new { channel = "email", address = "a@example.jp" } });
        return app;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static StringContent Body(string text, string mediaType = "application/json") => new(text, Encoding.UTF8, mediaType);

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task MalformedJson_UnknownField_WrongType_Oversized_WrongMediaType_AreProblems_AndChangeNothing(string path)
    {
        await using TestApp app = await SeededAsync();
        string before = await StateAsync(app);

        JsonElement malformed = await AssertProblemAsync(await app.Client.PostAsync(path, Body("{\"code\":")), HttpStatusCode.BadRequest);
        JsonElement unknown = await AssertProblemAsync(await app.Client.PostAsync(path, Body("{\"surprise\":1}")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await app.Client.PostAsync(path, Body("[1,2]")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await app.Client.PostAsync(path, Body("null")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await app.Client.PostAsync(path, Body("{\"x\":\"" + new string('a', 20_000) + "\"}")), HttpStatusCode.RequestEntityTooLarge);
        await AssertProblemAsync(await app.Client.PostAsync(path, Body("{}", "text/plain")), HttpStatusCode.UnsupportedMediaType);

        Assert.True(malformed.GetProperty("errors").EnumerateObject().Any());
        Assert.True(unknown.GetProperty("errors").TryGetProperty("surprise", out _), unknown.ToString());
        Assert.Equal(before, await StateAsync(app));
    }

    public static TheoryData<string, string, string> FieldErrors() => new()
    {
        { "/v1/accounts/a/factors/totp/verify", """{"code":"12345"}""", "code" },
        { "/v1/accounts/a/factors/totp/verify", """{"code":"12345a"}""", "code" },
        { "/v1/accounts/a/factors/totp/verify", """{"code":"123456","trust_device":""}""", "trust_device" },
        { "/v1/accounts/a/factors/totp/verify", """{"code":123456}""", "code" },
        { "/v1/accounts/a/factors/recovery-codes/verify", """{"code":"short"}""", "code" },
        { "/v1/accounts/a/factors/one-time-code/verify", """{"challenge_id":"c","code":"abc"}""", "code" },
        { "/v1/accounts/a/factors/one-time-code/verify", """{"code":"123456"}""", "challenge_id" },
        { "/v1/accounts/a/factors/webauthn/registration/options", """{"display_name":""}""", "display_name" },
        { "/v1/accounts/a/factors/webauthn/registration", """{"credential":5}""", "credential" },
        { "/v1/accounts/a/factors/webauthn/registration", """{"credential":{"id":"AAAA","rawId":"!!","type":"public-key","response":{}}}""", "credential.rawId" },
        { "/v1/accounts/a/factors/webauthn/assertion", """{}""", "credential" },
        { "/v1/device-tokens/verify", """{"account":"a","device":"d"}""", "token" },
        { "/v1/accounts/a/events", """{"type":"login"}""", "type" },
        { "/v1/accounts/a/events", """{"type":"password_reset","at":"2030-01-01T00:00:00Z"}""", "at" },
        { "/v1/accounts/a/events", """{"type":"password_reset","at":"yesterday"}""", "at" },
        { "/v1/accounts/a/changes", """{"kind":"contact"}""", "contact" },
        { "/v1/accounts/a/changes", """{"kind":"contact","contact":{"channel":"fax","address":"x"}}""", "contact.channel" },
        { "/v1/accounts/a/changes", """{"kind":"password","contact":{"channel":"sms","address":"x"}}""", "contact" },
        { "/v1/accounts/a/withdrawal-destinations", """{"bank":"1","bank_account":"2"}""", "holder_name" },
        { "/v1/accounts/a/withdrawal-destinations", """{"bank":"1","bank_account":"2","holder_name":"h","identity":{"verified_name":"h","birth_date":"2999-01-01","method":"ic_chip","verified_at":"2020-01-01T00:00:00Z"}}""", "identity.birth_date" },
        { "/v1/accounts/a/withdrawals", """{"destination_id":"d","amount":0}""", "amount" },
        { "/v1/accounts/a/withdrawals", """{"destination_id":"d","amount":"100"}""", "amount" },
        { "/v1/links", """{"wallet_account":"a","bank":"b","bank_account":"1","holder_name":"h","identity":{"verified_name":"x"}}""", "identity.birth_date" },
        { "/v1/links", """{"wallet_account":"a","bank":"b","bank_account":"1","holder_name":"h\u0001"}""", "holder_name" },
        { "/v1/links", """{"wallet_account":"a","bank":"b","bank_account":"1","holder_name":"   "}""", "holder_name" },
        { "/v1/links/lnk_x/charges", """{"amount":-5}""", "amount" },
        { "/v1/links/lnk_x/charges", """{"amount":1.5}""", "amount" },
        { "/v1/links/lnk_x/charges", """{"amount":999999999999}""", "amount" },
        { "/v1/accounts/" + new string('a', 129) + "/factors/totp", "{}", "account" },
    };

    [Theory]
    [MemberData(nameof(FieldErrors))]
    public async Task InvalidField_IsNamedInTheProblem_AndChangesNothing(string path, string body, string field)
    {
        await using TestApp app = await SeededAsync();
        string before = await StateAsync(app);

        JsonElement problem = await AssertProblemAsync(await app.Client.PostAsync(path, Body(body)), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await StateAsync(app));
    }

    [Theory]
    [InlineData("/v1/accounts/a/withdrawals", """{"destination_id":"d","amount":1,"amount":5000000}""", "amount")]
    [InlineData("/v1/links", """{"wallet_account":"a","wallet_account":"b","bank":"b","bank_account":"1","holder_name":"h"}""", "wallet_account")]
    public async Task AFieldGivenTwice_IsNamedInTheProblem_AndChangesNothing(string path, string body, string field)
    {
        // Read as its last value before: a gateway or WAF that checks the first would pass another request.
        await using TestApp app = await SeededAsync();
        string before = await StateAsync(app);

        JsonElement problem = await AssertProblemAsync(await app.Client.PostAsync(path, Body(body)), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out JsonElement messages), problem.ToString());
        Assert.Contains("twice", messages[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(app));
    }

    [Theory]
    [InlineData("/v1/links/lnk_x/not-me", "token")]
    [InlineData("/v1/links/lnk_x/not-me?token=", "token")]
    [InlineData("/v1/accounts/a/withdrawal-destinations/dst_x/not-me", "token")]
    public async Task NotMe_WithoutToken_IsAProblem(string path, string field)
    {
        await using TestApp app = await SeededAsync();
        string before = await StateAsync(app);
        JsonElement problem = await AssertProblemAsync(await app.Client.PostAsync(path, null), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await StateAsync(app));
    }

    [Theory]
    [InlineData("/v1/audit?limit=abc")]
    [InlineData("/v1/audit?limit=0")]
    [InlineData("/v1/audit?limit=501")]
    public async Task AuditQuery_WithBadLimit_IsAProblem(string path)
    {
        await using TestApp app = await TestApp.StartAsync();
        JsonElement problem = await AssertProblemAsync(await app.Client.GetAsync(path), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public void Options_WithBadValues_ReportEveryProblemAtOnce()
    {
        var options = new FlowsOptions
        {
            MaxFailedVerifications = 0, WebAuthnOrigins = ["not a url"], CoolOffChargeLimit = 500_000, DailyChargeLimit = 1_000,
            PublicBaseUrl = "nowhere",
        };
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddMamoriFlows(options));
        Assert.Equal(
        [
            "Mamori:Flows: The field MaxFailedVerifications must be between 1 and 100.",
            "Mamori:Flows: WebAuthnOrigins contains 'not a url', which is not an absolute URL.",
            "Mamori:Flows: PublicBaseUrl 'nowhere' is not an absolute URL.",
            "Mamori:Flows: CoolOffChargeLimit exceeds DailyChargeLimit; the cool-off would raise the limit.",
        ], ex.Failures);
    }

    [Fact]
    public void Options_FactorLimitsOutOfRange_AreReportedTogether()
    {
        var options = new FlowsOptions
        {
            TotpEnrollmentWindow = TimeSpan.FromHours(2), OneTimeCodeSendInterval = TimeSpan.Zero, MaxOneTimeCodesPerHour = 0,
        };
        ValidateOptionsResult result = new FlowsOptionsValidator().Validate(null, options);
        Assert.Equal(
        [
            "Mamori:Flows: The field TotpEnrollmentWindow must be between 00:01:00 and 01:00:00.",
            "Mamori:Flows: The field OneTimeCodeSendInterval must be between 00:00:01 and 00:10:00.",
            "Mamori:Flows: The field MaxOneTimeCodesPerHour must be between 1 and 100.",
        ], result.Failures);
    }

    [Fact]
    public void EveryOption_ReachesTheRunningFlows_AndLaterEditsDoNot()
    {
        // The options were copied by a hand-kept list: an option left off it ran at its default whatever was set.
        var options = new FlowsOptions
        {
            HolderReportBlock = TimeSpan.FromDays(3), TotpEnrollmentWindow = TimeSpan.FromMinutes(3), MaxOneTimeCodesPerHour = 3,
            OneTimeCodeSendInterval = TimeSpan.FromSeconds(3), RecentRiskWindow = TimeSpan.FromDays(3), WebAuthnOrigins = ["https://wallet.example.jp"],
        };
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddMamoriFlows(options);
        options.WebAuthnOrigins.Add("https://evil.example");
        options.HolderReportBlock = TimeSpan.Zero;

        FlowsOptions running = (FlowsOptions)Assert.Single(services, d => d.ServiceType == typeof(FlowsOptions)).ImplementationInstance!;

        foreach (System.Reflection.PropertyInfo property in typeof(FlowsOptions).GetProperties().Where(p => p.CanWrite && p.Name is not
            (nameof(FlowsOptions.HolderReportBlock) or nameof(FlowsOptions.WebAuthnOrigins))))
            Assert.Equal(property.GetValue(options), property.GetValue(running));
        Assert.Equal(TimeSpan.FromDays(3), running.HolderReportBlock);
        Assert.Equal(["https://wallet.example.jp"], running.WebAuthnOrigins);
        Assert.Equal(TimeSpan.FromMinutes(3), running.TotpEnrollmentWindow);
    }

    [Fact]
    public void DefaultOptions_AreValid()
    {
        var options = new FlowsOptions();
        var result = new FlowsOptionsValidator().Validate(null, options);
        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(TimeSpan.FromMinutes(10), options.TotpEnrollmentWindow);
        Assert.Equal(TimeSpan.FromSeconds(30), options.OneTimeCodeSendInterval);
        Assert.Equal(10, options.MaxOneTimeCodesPerHour);
    }
}
