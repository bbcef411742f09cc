using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using Mamori.Flows.Factors;
using Mamori.Flows.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Mamori.Flows.Tests;

/// <summary>The per-account failure limit and the per-code attempt limit under parallel requests.</summary>
public sealed partial class VerificationLimitTests
{
    private static async Task<byte[]> EnrollTotpAsync(TestApp app, string account)
    {
        JsonElement enrolled = await app.PostAsync($"/v1/accounts/{account}/factors/totp", new { }, 201);
        return Base32Encoding.ToBytes(HttpUtility.ParseQueryString(new Uri(enrolled.Str("otpauth_uri")).Query)["secret"]!);
    }

    private static string Code(TestApp app, byte[] secret, int stepOffset = 0) =>
        new Totp(secret).ComputeTotp(app.Time.GetUtcNow().UtcDateTime.AddSeconds(30 * stepOffset));

    /// <summary>Posts every body at once: all requests are created first and released together.</summary>
    private static async Task<HttpResponseMessage[]> PostAllAtOnceAsync(TestApp app, string path, IEnumerable<object> bodies)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<HttpResponseMessage>[] posts = bodies.Select(async body =>
        {
            await gate.Task;
            return await app.Client.PostAsync(path, FactorTests.JsonContent(body));
        }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(posts);
    }

    private static async Task<string[]> ReasonsAsync(IEnumerable<HttpResponseMessage> responses)
    {
        var reasons = new List<string>();
        foreach (HttpResponseMessage r in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
            reasons.Add(JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.TryGetProperty("reason", out JsonElement e) ? e.GetString()! : "verified");
        return [.. reasons];
    }

    private static int Count(HttpResponseMessage[] responses, HttpStatusCode status) => responses.Count(r => r.StatusCode == status);

    private static async Task<(TestApp App, GatedFactorStore Gate)> StartGatedAsync(Action<FlowsOptions>? configure = null)
    {
        GatedFactorStore? gate = null;
        TestApp app = await TestApp.StartAsync(configure, services: s => s.AddSingleton<IFactorStore>(sp =>
            gate = new GatedFactorStore(() => sp.GetRequiredService<SqliteFlowStore>())));
        _ = app.Service<IFactorStore>();
        return (app, gate!);
    }

    /// <summary>Starts every verification while the gate is closed (each runs until it waits), then releases them together.</summary>
    private static async Task<VerifyOutcome[]> AllAtOnceAsync(GatedFactorStore gate, IEnumerable<Func<Task<VerifyOutcome>>> verifications)
    {
        gate.Close();
        Task<VerifyOutcome>[] started = verifications.Select(v => v()).ToArray();
        gate.Release();
        return await Task.WhenAll(started);
    }

    private static int Count(VerifyOutcome[] outcomes, VerifyOutcome outcome) => outcomes.Count(o => o == outcome);

    [Theory]
    [InlineData("totp")]
    [InlineData("recovery_code")]
    public async Task TwoHundredWrongCodesAtOnce_OnlyTheLimitIsChecked_TheRestAreRateLimited(string factor)
    {
        (TestApp app, GatedFactorStore gate) = await StartGatedAsync();
        await using (app)
        {
            DateTimeOffset now = app.Time.GetUtcNow();
            IEnumerable<Func<Task<VerifyOutcome>>> guesses;
            if (factor == "totp")
            {
                byte[] secret = await EnrollTotpAsync(app, "victim");
                string[] valid = [Code(app, secret, -1), Code(app, secret), Code(app, secret, 1)];
                var totp = app.Service<TotpFactors>();
                guesses = Enumerable.Range(100_000, 300).Select(i => i.ToString("D6", CultureInfo.InvariantCulture)).Where(c => !valid.Contains(c)).Take(200)
                    .Select(code => (Func<Task<VerifyOutcome>>)(async () => (await totp.VerifyAsync("victim", code, now, default)).Outcome));
            }
            else
            {
                await app.PostAsync("/v1/accounts/victim/factors/recovery-codes", new { }, 201);
                var recovery = app.Service<RecoveryCodes>();
                guesses = Enumerable.Range(0, 200).Select(_ => (Func<Task<VerifyOutcome>>)(async () => (await recovery.VerifyAsync("victim", "22222-22222", now, default)).Outcome));
            }

            VerifyOutcome[] outcomes = await AllAtOnceAsync(gate, guesses);

            Assert.Equal(5, gate.Reads);
            Assert.Equal(5, Count(outcomes, VerifyOutcome.Rejected));
            Assert.Equal(195, Count(outcomes, VerifyOutcome.RateLimited));
        }
    }

    [Fact]
    public async Task TwoHundredWrongGuessesAtOnce_AtOneOneTimeCode_CheckAtMostItsFiveAttempts()
    {
        // The account limit is raised so that only the per-code limit stands between the guesses and the code.
        (TestApp app, GatedFactorStore gate) = await StartGatedAsync(o => o.MaxFailedVerifications = 100);
        await using (app)
        {
            await app.PostAsync("/v1/accounts/dave/changes", new { kind = "contact", contact = new { channel = "sms", address = "+81-90-0000-0000" } });
            string challenge = (await app.PostAsync("/v1/accounts/dave/factors/one-time-code", new { }, 201)).Str("challenge_id");
            string code = SixDigits().Match(app.Channel.Messages[^1].Body).Value;
            string wrong = code == "000000" ? "000001" : "000000";
            var codes = app.Service<OneTimeCodes>();
            DateTimeOffset now = app.Time.GetUtcNow();

            VerifyOutcome[] outcomes = await AllAtOnceAsync(gate, Enumerable.Range(0, 200)
                .Select(_ => (Func<Task<VerifyOutcome>>)(async () => (await codes.VerifyAsync("dave", challenge, wrong, now, default)).Outcome)));

            Assert.Equal(100, Count(outcomes, VerifyOutcome.Rejected));
            Assert.Equal(100, Count(outcomes, VerifyOutcome.RateLimited));
            SqliteConnection.ClearAllPools();
            await using var c = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "flows.db")}");
            await c.OpenAsync();
            await using SqliteCommand attempts = c.CreateCommand();
            attempts.CommandText = "SELECT attempts FROM one_time_codes";
            Assert.Equal(OneTimeCodes.MaxAttemptsPerCode, Convert.ToInt32(await attempts.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task TwentyCopiesOfOneValidTotpCodeAtOnce_OneVerifies_NoneCountsAsAFailure()
    {
        (TestApp app, GatedFactorStore gate) = await StartGatedAsync();
        await using (app)
        {
            byte[] secret = await EnrollTotpAsync(app, "alice");
            string code = Code(app, secret);
            var totp = app.Service<TotpFactors>();
            DateTimeOffset now = app.Time.GetUtcNow();

            VerifyOutcome[] outcomes = await AllAtOnceAsync(gate, Enumerable.Range(0, 20)
                .Select(_ => (Func<Task<VerifyOutcome>>)(async () => (await totp.VerifyAsync("alice", code, now, default)).Outcome)));

            Assert.Equal(1, Count(outcomes, VerifyOutcome.Verified));
            Assert.Equal(19, Count(outcomes, VerifyOutcome.Reused));
            (VerificationAttempt? attempt, _) = await app.Service<IVerificationLimiter>().TryReserveAsync("alice", now, default);
            Assert.NotNull(attempt);
            await attempt.RefundAsync();
            Assert.False((await app.Service<IVerificationLimiter>().IsBlockedAsync("alice", now, default)).Blocked);
        }
    }

    [Fact]
    public async Task TwentyParallelCopiesOfOneValidTotpCode_OneVerifies_TheOthersAreReused_AndNothingCountsTowardTheLockout()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "alice");
        string code = Code(app, secret);

        HttpResponseMessage[] responses = await PostAllAtOnceAsync(app, "/v1/accounts/alice/factors/totp/verify", Enumerable.Repeat((object)new { code }, 20));
        for (int i = 0; i < 5; i++)   // a sequential double submit, too
            Assert.Equal("code_reused", (await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code })).Str("reason"));

        Assert.Equal(0, Count(responses, HttpStatusCode.TooManyRequests));
        string[] reasons = await ReasonsAsync(responses);
        Assert.Equal(1, reasons.Count(r => r == "verified"));
        Assert.Equal(19, reasons.Count(r => r == "code_reused"));
        // The whole failure budget is left: five wrong codes are answered, the sixth is refused.
        for (int i = 0; i < 5; i++) await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = code == "000000" ? "000001" : "000000" });
        await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = "000000" }, 429);
    }

    [Fact]
    public async Task TwentyParallelCopiesOfOneValidOneTimeCode_OneVerifies_AndNothingCountsTowardTheLockout()
    {
        await using TestApp app = await TestApp.StartAsync();
        await app.PostAsync("/v1/accounts/dave/changes", new { kind = "contact", contact = new { channel = "sms", address = "+81-90-0000-0000" } });
        string challenge = (await app.PostAsync("/v1/accounts/dave/factors/one-time-code", new { }, 201)).Str("challenge_id");
        string code = SixDigits().Match(app.Channel.Messages[^1].Body).Value;

        HttpResponseMessage[] responses = await PostAllAtOnceAsync(app, "/v1/accounts/dave/factors/one-time-code/verify",
            Enumerable.Repeat((object)new { challenge_id = challenge, code }, 20));

        Assert.Equal(0, Count(responses, HttpStatusCode.TooManyRequests));
        string[] reasons = await ReasonsAsync(responses);
        Assert.Equal(1, reasons.Count(r => r == "verified"));
        Assert.Equal(19, reasons.Count(r => r == "code_reused"));
        Assert.False((await app.Service<IVerificationLimiter>().IsBlockedAsync("dave", app.Time.GetUtcNow(), default)).Blocked);
        // A wrong code against the spent challenge is a guess all the same.
        string wrong = code == "000000" ? "000001" : "000000";
        for (int i = 0; i < 5; i++)
            Assert.Equal("code_reused", (await app.PostAsync("/v1/accounts/dave/factors/one-time-code/verify", new { challenge_id = challenge, code = wrong })).Str("reason"));
        Assert.True((await app.Service<IVerificationLimiter>().IsBlockedAsync("dave", app.Time.GetUtcNow(), default)).Blocked);
    }

    [Fact]
    public async Task OnPostgres_ADatabaseThatCannotBeReached_FailsTheVerificationBeforeAnyCodeIsChecked()
    {
        GatedFactorStore? gate = null;
        // Nothing listens on port 1: the flows' database is down. The flows answer a storage failure with its exception
        // (the server's exception handler makes it a 500 problem document), and the limiter must not open the way first.
        await using TestApp app = await TestApp.StartAsync(services: s =>
        {
            s.AddMamoriFlowsPostgres("Host=127.0.0.1;Port=1;Username=mamori;Password=unused;Database=mamori;Timeout=5");
            s.AddSingleton<IFactorStore>(sp => gate = new GatedFactorStore(() => sp.GetRequiredService<PostgresFlowStore>()));
        });
        _ = app.Service<IFactorStore>();
        gate!.Close();   // a factor read would wait here

        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() =>
            app.Service<TotpFactors>().VerifyAsync("alice", "123456", app.Time.GetUtcNow(), default).WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() =>
            app.Service<OneTimeCodes>().IsBlockedAsync("alice", app.Time.GetUtcNow(), default).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, gate.Reads);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
