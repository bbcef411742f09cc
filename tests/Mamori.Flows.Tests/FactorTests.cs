using System.Net;
using System.Text.Json;
using System.Web;
using Mamori.Flows.Security;
using OtpNet;

namespace Mamori.Flows.Tests;

/// <summary>TOTP, recovery codes, one-time codes and device tokens through the HTTP endpoints.</summary>
public sealed class FactorTests
{
    private static async Task<byte[]> EnrollTotpAsync(TestApp app, string account)
    {
        JsonElement enrolled = await app.PostAsync($"/v1/accounts/{account}/factors/totp", new { }, 201);
        Assert.StartsWith("totp_", enrolled.Str("factor_id"));
        var uri = new Uri(enrolled.Str("otpauth_uri"));
        Assert.Equal("otpauth", uri.Scheme);
        return Base32Encoding.ToBytes(HttpUtility.ParseQueryString(uri.Query)["secret"]!);
    }

    private static string Code(TestApp app, byte[] secret, int stepOffset = 0) =>
        new Totp(secret).ComputeTotp(app.Time.GetUtcNow().UtcDateTime.AddSeconds(30 * stepOffset));

    [Fact]
    public async Task TotpCode_VerifiesOnce_ThenIsRejectedAsReused()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "alice");
        string code = Code(app, secret);

        JsonElement first = await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code });
        JsonElement second = await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code });

        Assert.True(first.GetProperty("verified").GetBoolean());
        Assert.False(second.GetProperty("verified").GetBoolean());
        Assert.Equal("code_reused", second.Str("reason"));
    }

    [Fact]
    public async Task AnAccountIdWithASlash_SentEscaped_IsTheSameAccountInEveryFlow()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "bank-a%2Fken");

        JsonElement verified = await app.PostAsync("/v1/accounts/bank-a%2Fken/factors/totp/verify", new { code = Code(app, secret) });

        Assert.True(verified.GetProperty("verified").GetBoolean());
        JsonElement audit = await app.GetAsync("/v1/audit?account=bank-a/ken");
        Assert.NotEmpty(audit.GetProperty("entries").EnumerateArray());
        Assert.All(audit.GetProperty("entries").EnumerateArray(), e => Assert.Equal("bank-a/ken", e.Str("account")));
    }

    [Fact]
    public async Task TotpCode_OneStepOld_IsAccepted_TwoStepsOld_IsRejected()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "alice");

        JsonElement twoOld = await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = Code(app, secret, -2) });
        JsonElement twoAhead = await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = Code(app, secret, 2) });
        JsonElement oneOld = await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = Code(app, secret, -1) });

        Assert.False(twoOld.GetProperty("verified").GetBoolean());
        Assert.False(twoAhead.GetProperty("verified").GetBoolean());
        Assert.True(oneOld.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task TotpCode_OlderThanTheLastUsedStep_IsRejected()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "alice");
        string current = Code(app, secret), previous = Code(app, secret, -1);

        Assert.True((await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = current })).GetProperty("verified").GetBoolean());
        JsonElement replay = await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = previous });

        Assert.Equal("code_reused", replay.Str("reason"));
    }

    [Fact]
    public async Task BruteForce_FiveWrongCodes_BlocksEvenTheRightOne_UntilTheWindowPasses()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "alice");
        await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = Code(app, secret) });   // confirmed
        app.Time.Advance(TimeSpan.FromSeconds(30));
        for (int i = 0; i < 5; i++)
        {
            JsonElement wrong = await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = $"00000{i}" });
            Assert.False(wrong.GetProperty("verified").GetBoolean());
        }

        using HttpResponseMessage blocked = await app.Client.PostAsync("/v1/accounts/alice/factors/totp/verify",
            JsonContent(new { code = Code(app, secret) }));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(blocked.Headers.RetryAfter);

        // Another account is not affected: the limit is per account.
        await EnrollTotpAsync(app, "bob");
        JsonElement bob = await app.PostAsync("/v1/accounts/bob/factors/totp/verify", new { code = "123456" });
        Assert.False(bob.GetProperty("verified").GetBoolean());

        app.Time.Advance(TimeSpan.FromMinutes(15));
        JsonElement later = await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = Code(app, secret) });
        Assert.True(later.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task AnAttackersUnconfirmedEnrolment_StopsVerifying_OnceTheHolderConfirmsTheirs()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] attackers = await EnrollTotpAsync(app, "victim1");   // never confirmed
        byte[] holders = await EnrollTotpAsync(app, "victim1");
        JsonElement confirmed = await app.PostAsync("/v1/accounts/victim1/factors/totp/verify", new { code = Code(app, holders) });
        Assert.True(confirmed.GetProperty("verified").GetBoolean());
        app.Time.Advance(TimeSpan.FromSeconds(30));

        JsonElement attack = await app.PostAsync("/v1/accounts/victim1/factors/totp/verify", new { code = Code(app, attackers) });

        Assert.False(attack.GetProperty("verified").GetBoolean());
        Assert.Equal("factor_rejected", attack.Str("reason"));
        JsonElement[] stepUps = (await app.GetAsync("/v1/audit?account=victim1")).GetProperty("entries").EnumerateArray()
            .Where(e => e.Str("kind") == "step_up" && e.Str("verdict") == "allow").ToArray();
        JsonElement confirmation = Assert.Single(stepUps);
        Assert.Contains("factor_confirmed", confirmation.Reasons());
        Assert.Matches(@"^money_grade; factor: totp_[0-9a-f]{24}; unconfirmed enrolments dropped: 1$", confirmation.Str("detail"));
        Assert.DoesNotContain(Base32Encoding.ToString(holders).TrimEnd('='), confirmation.GetRawText());
    }

    [Fact]
    public async Task AnUnconfirmedEnrolment_PastTheEnrolmentWindow_NeverVerifies()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "victim1");
        app.Time.Advance(TimeSpan.FromMinutes(10));

        using HttpResponseMessage late = await app.Client.PostAsync("/v1/accounts/victim1/factors/totp/verify", JsonContent(new { code = Code(app, secret) }));

        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);   // an unconfirmed enrolment past its window is no factor
        // A confirmed factor keeps working long after its enrolment window.
        byte[] confirmed = await EnrollTotpAsync(app, "victim1");
        Assert.True((await app.PostAsync("/v1/accounts/victim1/factors/totp/verify", new { code = Code(app, confirmed) })).GetProperty("verified").GetBoolean());
        app.Time.Advance(TimeSpan.FromDays(30));
        Assert.True((await app.PostAsync("/v1/accounts/victim1/factors/totp/verify", new { code = Code(app, confirmed) })).GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task AFailedVerification_OfAKnownFactor_NamesItInTheAudit()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "alice");
        string code = Code(app, secret);
        await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code });
        await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code });

        JsonElement reused = (await app.GetAsync("/v1/audit?account=alice")).GetProperty("entries").EnumerateArray()
            .First(e => e.Str("kind") == "step_up" && e.Str("verdict") == "deny");
        Assert.Equal("code_reused", Assert.Single(reused.Reasons()));
        Assert.Matches(@"^factor: totp_[0-9a-f]{24}$", reused.Str("detail"));
    }

    [Fact]
    public async Task TotpSeed_IsNotStoredInTheClear_AndTheKeyFileIsOwnerOnly()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "alice");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        byte[] everything = Directory.GetFiles(app.DataDirectory, "flows.db*").SelectMany(File.ReadAllBytes).ToArray();
        Assert.True(everything.Length > 0);
        Assert.Equal(-1, everything.AsSpan().IndexOf(secret));
        Assert.Equal(-1, everything.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(Base32Encoding.ToString(secret).TrimEnd('='))));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(app.DataDirectory, "flows.key")));
    }

    [Fact]
    public async Task SecondFactor_WithoutFreshStepUp_IsRefused_AndNothingIsAdded()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "alice");
        await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = Code(app, secret) });
        app.Time.Advance(TimeSpan.FromHours(1));

        JsonElement refused = await app.PostAsync("/v1/accounts/alice/factors/totp", new { }, 403);
        Assert.Equal("step_up_required", refused.Str("reason"));

        // After a fresh step-up the second factor is accepted.
        await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = Code(app, secret) });
        await app.PostAsync("/v1/accounts/alice/factors/totp", new { }, 201);
    }

    [Fact]
    public async Task AnAccountProtectedOnlyByItsContact_GetsNoNewFactor_UntilAOneTimeCodeToThatContactVerifies()
    {
        await using TestApp app = await TestApp.StartAsync();
        await app.PostAsync("/v1/accounts/victim/changes", new { kind = "contact", contact = new { channel = "sms", address = "+81-90-1111-1111" } });

        // 7pay: the attacker holds the session, not the phone; adding their own factor would give them money-grade step-ups.
        Assert.Equal("step_up_required", (await app.PostAsync("/v1/accounts/victim/factors/totp", new { }, 403)).Str("reason"));
        Assert.Equal("step_up_required", (await app.PostAsync("/v1/accounts/victim/factors/recovery-codes", new { }, 403)).Str("reason"));
        Assert.Equal("step_up_required", (await app.PostAsync("/v1/accounts/victim/factors/webauthn/registration/options", new { }, 403)).Str("reason"));

        await Stories.StepUpByOneTimeCodeAsync(app, "victim");
        await app.PostAsync("/v1/accounts/victim/factors/totp", new { }, 201);
        Assert.Contains(app.Channel.Messages, m => m.Recipient == "+81-90-1111-1111" && m.Subject == "A sign-in factor was added");
    }

    [Fact]
    public async Task AnAccountProtectedOnlyByRecoveryCodes_KeepsThem_UntilOneOfThemVerifies()
    {
        await using TestApp app = await TestApp.StartAsync();
        string[] holders = (await app.PostAsync("/v1/accounts/carol/factors/recovery-codes", new { }, 201)).GetProperty("codes")
            .EnumerateArray().Select(c => c.GetString()!).ToArray();   // the first factor: free

        await app.PostAsync("/v1/accounts/carol/factors/recovery-codes", new { }, 403);   // reissuing would wipe the holder's
        await app.PostAsync("/v1/accounts/carol/factors/totp", new { }, 403);

        Assert.True((await app.PostAsync("/v1/accounts/carol/factors/recovery-codes/verify", new { code = holders[0] })).GetProperty("verified").GetBoolean());
        await app.PostAsync("/v1/accounts/carol/factors/totp", new { }, 201);
        app.Time.Advance(TimeSpan.FromMinutes(11));
        await app.PostAsync("/v1/accounts/carol/factors/recovery-codes", new { }, 403);   // a stale step-up is not enough
    }

    [Fact]
    public async Task RecoveryCode_WorksOnce_AndIsStoredHashed()
    {
        await using TestApp app = await TestApp.StartAsync();
        JsonElement issued = await app.PostAsync("/v1/accounts/carol/factors/recovery-codes", new { }, 201);
        string[] codes = issued.GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(10, codes.Length);
        Assert.Equal(10, codes.Distinct().Count());

        JsonElement first = await app.PostAsync("/v1/accounts/carol/factors/recovery-codes/verify", new { code = codes[3].ToUpperInvariant() });
        JsonElement again = await app.PostAsync("/v1/accounts/carol/factors/recovery-codes/verify", new { code = codes[3] });

        Assert.True(first.GetProperty("verified").GetBoolean());
        Assert.Equal(9, first.GetProperty("remaining").GetInt32());
        Assert.False(again.GetProperty("verified").GetBoolean());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        string db = string.Concat(Directory.GetFiles(app.DataDirectory, "flows.db*").Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        Assert.DoesNotContain(codes[0].Replace("-", ""), db);
    }

    [Fact]
    public async Task RecoveryCodeStepUp_DoesNotCountForMoneyMovement()
    {
        await using TestApp app = await TestApp.StartAsync();
        JsonElement issued = await app.PostAsync("/v1/accounts/carol/factors/recovery-codes", new { }, 201);
        await app.PostAsync("/v1/accounts/carol/factors/recovery-codes/verify", new { code = issued.GetProperty("codes")[0].GetString() });

        JsonElement link = await app.PostAsync("/v1/links", Stories.LinkBody("carol", "0001234", "ヤマダ タロウ", Stories.Proof("ヤマダタロウ")));

        Assert.Equal("step_up", link.Str("decision"));
        Assert.Contains("step_up_required", link.Reasons());
    }

    [Fact]
    public async Task OneTimeCode_GoesToTheRegisteredContact_AndVerifiesOnce()
    {
        await using TestApp app = await TestApp.StartAsync();
        await app.PostAsync("/v1/accounts/dave/factors/one-time-code", new { }, 409);   // no contact yet
        await app.PostAsync("/v1/accounts/dave/changes", new { kind = "contact", contact = new { channel = "sms", address = "+81-90-0000-0000" } });

        JsonElement sent = await app.PostAsync("/v1/accounts/dave/factors/one-time-code", new { }, 201);
        var message = app.Channel.Messages.Single(m => m.Subject == "Your verification code");
        Assert.Equal("sms", message.Channel);
        Assert.Equal("+81-90-0000-0000", message.Recipient);
        string code = System.Text.RegularExpressions.Regex.Match(message.Body, @"\b\d{6}\b").Value;

        JsonElement ok = await app.PostAsync("/v1/accounts/dave/factors/one-time-code/verify", new { challenge_id = sent.Str("challenge_id"), code });
        JsonElement reuse = await app.PostAsync("/v1/accounts/dave/factors/one-time-code/verify", new { challenge_id = sent.Str("challenge_id"), code });

        Assert.True(ok.GetProperty("verified").GetBoolean());
        Assert.Equal("code_reused", reuse.Str("reason"));
    }

    [Fact]
    public async Task OneTimeCode_AfterItsLifetime_IsRejected()
    {
        await using TestApp app = await TestApp.StartAsync();
        await app.PostAsync("/v1/accounts/dave/changes", new { kind = "contact", contact = new { channel = "email", address = "dave@example.jp" } });
        JsonElement sent = await app.PostAsync("/v1/accounts/dave/factors/one-time-code", new { }, 201);
        string code = System.Text.RegularExpressions.Regex.Match(app.Channel.Messages[^1].Body, @"\b\d{6}\b").Value;
        app.Time.Advance(TimeSpan.FromMinutes(6));

        JsonElement late = await app.PostAsync("/v1/accounts/dave/factors/one-time-code/verify", new { challenge_id = sent.Str("challenge_id"), code });

        Assert.False(late.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task OneTimeCodeSends_OnePerThirtySecondsAndTenPerHour_ThenA429WithRetryAfter_Audited()
    {
        await using TestApp app = await TestApp.StartAsync();
        await app.PostAsync("/v1/accounts/dave/changes", new { kind = "contact", contact = new { channel = "sms", address = "+81-90-0000-0000" } });
        async Task<HttpResponseMessage> SendAsync() => await app.Client.PostAsync("/v1/accounts/dave/factors/one-time-code", JsonContent(new { }));

        // SMS pumping: thirty calls at once made thirty messages.
        HttpResponseMessage[] burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => SendAsync()));
        Assert.Equal(1, burst.Count(r => r.StatusCode == HttpStatusCode.Created));
        HttpResponseMessage limited = burst.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType!.MediaType);
        Assert.Equal("send_limited", JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement.Str("reason"));
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter!.Delta);
        Assert.Single(app.Channel.Messages, m => m.Subject == "Your verification code");

        for (int i = 1; i < 10; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.Created, (await SendAsync()).StatusCode);
        }
        app.Time.Advance(TimeSpan.FromSeconds(30));   // 5 minutes in: the eleventh code of the hour
        using HttpResponseMessage hourly = await SendAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, hourly.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(55), hourly.Headers.RetryAfter!.Delta);
        Assert.Equal(10, app.Channel.Messages.Count(m => m.Subject == "Your verification code"));
        await app.PostAsync("/v1/accounts/erin/changes", new { kind = "contact", contact = new { channel = "sms", address = "+81-90-2222-2222" } });
        await app.PostAsync("/v1/accounts/erin/factors/one-time-code", new { }, 201);   // per account

        app.Time.Advance(TimeSpan.FromMinutes(55));
        Assert.Equal(HttpStatusCode.Created, (await SendAsync()).StatusCode);
        JsonElement refusal = (await app.GetAsync("/v1/audit?account=dave&limit=500")).GetProperty("entries").EnumerateArray()
            .First(e => e.Str("kind") == "one_time_code");
        Assert.Equal("deny", refusal.Str("verdict"));
        Assert.Equal("send_limited", Assert.Single(refusal.Reasons()));
        Assert.Equal("sms", refusal.Str("subject"));
    }

    [Fact]
    public async Task DefaultOutbox_WritesCodesToAFileInTheDataFolder()
    {
        await using TestApp app = await TestApp.StartAsync(capture: false);
        await app.PostAsync("/v1/accounts/erin/changes", new { kind = "contact", contact = new { channel = "email", address = "erin@example.jp" } });
        await app.PostAsync("/v1/accounts/erin/factors/one-time-code", new { }, 201);

        string outbox = Path.Combine(app.DataDirectory, "outbox.jsonl");
        string[] lines = File.ReadAllLines(outbox);
        using JsonDocument last = JsonDocument.Parse(lines[^1]);
        Assert.Equal("erin@example.jp", last.RootElement.Str("to"));
        Assert.Matches(@"\d{6}", last.RootElement.Str("body"));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(outbox));
    }

    [Fact]
    public async Task TrustedDeviceToken_IsBoundToAccountAndDevice_AndExpires()
    {
        await using TestApp app = await TestApp.StartAsync();
        byte[] secret = await EnrollTotpAsync(app, "alice");
        JsonElement verified = await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = Code(app, secret), trust_device = "dev-1" });
        string token = verified.Str("device_token");

        bool Valid(JsonElement e) => e.GetProperty("valid").GetBoolean();
        Assert.True(Valid(await app.PostAsync("/v1/device-tokens/verify", new { account = "alice", device = "dev-1", token })));
        Assert.False(Valid(await app.PostAsync("/v1/device-tokens/verify", new { account = "alice", device = "dev-2", token })));
        Assert.False(Valid(await app.PostAsync("/v1/device-tokens/verify", new { account = "mallory", device = "dev-1", token })));
        Assert.False(Valid(await app.PostAsync("/v1/device-tokens/verify", new { account = "alice", device = "dev-1", token = token[..^1] + (token[^1] == 'A' ? "B" : "A") })));
        app.Time.Advance(TimeSpan.FromDays(31));
        Assert.False(Valid(await app.PostAsync("/v1/device-tokens/verify", new { account = "alice", device = "dev-1", token })));
    }

    internal static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}

/// <summary>Sealing and keys.</summary>
public sealed class FlowKeysTests
{
    [Fact]
    public void SealedSecret_Tampered_OrUnderAnotherContext_DoesNotOpen()
    {
        var keys = new FlowKeys(new byte[32]);
        byte[] sealedSecret = keys.Seal("seed-bytes"u8, "totp\nf1\nalice");
        Assert.Equal("seed-bytes"u8.ToArray(), keys.Unseal(sealedSecret, "totp\nf1\nalice"));

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => keys.Unseal(sealedSecret, "totp\nf1\nmallory"));
        sealedSecret[^1] ^= 1;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => keys.Unseal(sealedSecret, "totp\nf1\nalice"));
    }

    [Fact]
    public void KeyFile_OfTheWrongSize_IsRefusedWithItsPath()
    {
        string path = Path.Combine(Path.GetTempPath(), "mamori-key-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, new byte[7]);
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => FlowKeys.LoadOrCreate(path));
            Assert.Equal($"Key file {path} holds 7 bytes; expected 32.", ex.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void KeyFile_IsCreatedOnce_AndReused()
    {
        string path = Path.Combine(Path.GetTempPath(), "mamori-key-" + Guid.NewGuid().ToString("N"));
        try
        {
            byte[] sealedSecret = FlowKeys.LoadOrCreate(path).Seal("x"u8, "c");
            Assert.Equal("x"u8.ToArray(), FlowKeys.LoadOrCreate(path).Unseal(sealedSecret, "c"));
        }
        finally { File.Delete(path); }
    }
}
