using System.Text.Json;
using System.Text.RegularExpressions;
using OtpNet;

namespace Mamori.Flows.Tests;

/// <summary>End-to-end API stories of the 2020 frauds the flows exist for.</summary>
public sealed partial class Stories
{
    internal static object Proof(string verifiedName) =>
        new { verified_name = verifiedName, birth_date = "1980-04-01", method = "ic_chip", verified_at = "2020-08-01T00:00:00Z" };

    internal static object LinkBody(string wallet, string bankAccount, string holder, object? identity) =>
        new { wallet_account = wallet, bank = "0005", bank_account = bankAccount, holder_name = holder, identity };

    /// <summary>Enrols TOTP for the account and verifies a code: a fresh, money-grade step-up.</summary>
    internal static async Task StepUpAsync(TestApp app, string account)
    {
        JsonElement enrolled = await app.PostAsync($"/v1/accounts/{account}/factors/totp", new { }, 201);
        string secret = System.Web.HttpUtility.ParseQueryString(new Uri(enrolled.Str("otpauth_uri")).Query)["secret"]!;
        string code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(app.Time.GetUtcNow().UtcDateTime);
        Assert.True((await app.PostAsync($"/v1/accounts/{account}/factors/totp/verify", new { code })).GetProperty("verified").GetBoolean());
    }

    /// <summary>Steps up with a one-time code sent to the account's registered contact: money-grade, and what an account
    /// whose only factor is its contact must do before adding another.</summary>
    internal static async Task StepUpByOneTimeCodeAsync(TestApp app, string account)
    {
        string challenge = (await app.PostAsync($"/v1/accounts/{account}/factors/one-time-code", new { }, 201)).Str("challenge_id");
        string code = Regex.Match(app.Channel.Messages.Last(m => m.Subject == "Your verification code").Body, @"\b\d{6}\b").Value;
        JsonElement verified = await app.PostAsync($"/v1/accounts/{account}/factors/one-time-code/verify", new { challenge_id = challenge, code });
        Assert.True(verified.GetProperty("verified").GetBoolean());
    }

    [GeneratedRegex(@"/v1/links/(?<id>[^/]+)/not-me\?token=(?<token>[0-9a-f]+)")]
    private static partial Regex NotMeLink();

    [Fact]
    public async Task Docomo_EmailOnlyWallet_LinkingAVictimsBankAccount_IsRefused_AndTheHolderIsTold()
    {
        await using TestApp app = await TestApp.StartAsync();
        // The attacker opened the wallet with an e-mail address only, guessed the victim's PIN at the bank, and even set up TOTP.
        await StepUpAsync(app, "wallet-attacker");
        int before = await app.AuditCountAsync();

        JsonElement link = await app.PostAsync("/v1/links", LinkBody("wallet-attacker", "1234567", "ﾀﾅｶ ﾊﾅｺ", identity: null));

        Assert.Equal("deny", link.Str("decision"));
        Assert.Contains("identity_not_proofed", link.Reasons());
        Assert.Contains("holder_notified", link.Reasons());
        Assert.Equal(JsonValueKind.Null, link.GetProperty("link_id").ValueKind);
        var told = app.Channel.Messages.Single(m => m.Channel == "bank");
        Assert.Equal("0005:1234567", told.Recipient);   // the bank's channel needs the number to reach its customer…
        Assert.Contains("••••567", told.Body, StringComparison.Ordinal);   // …the text, which SMS gateways and lock screens show, does not
        Assert.DoesNotContain("1234567", told.Body, StringComparison.Ordinal);
        var audit = (await app.GetAsync("/v1/audit?account=wallet-attacker")).GetProperty("entries").EnumerateArray().ToArray();
        Assert.Contains(audit, e => e.Str("kind") == "link_decision" && e.Str("verdict") == "deny"
            && e.GetProperty("reasons").EnumerateArray().Any(r => r.GetString() == "identity_not_proofed"));
        Assert.Contains(audit, e => e.Str("kind") == "notification");
        Assert.True(await app.AuditCountAsync() > before);
    }

    [Fact]
    public async Task Docomo_ProofedWalletWithAnotherName_IsRefused()
    {
        await using TestApp app = await TestApp.StartAsync();
        await StepUpAsync(app, "wallet-attacker");

        JsonElement link = await app.PostAsync("/v1/links", LinkBody("wallet-attacker", "1234567", "ﾀﾅｶ ﾊﾅｺ", Proof("サトウ ジロウ")));

        Assert.Equal("deny", link.Str("decision"));
        Assert.Contains("holder_name_mismatch", link.Reasons());
    }

    [Fact]
    public async Task Docomo_LinkThatGotThrough_HoldersNotMe_FreezesIt_AndChargesStop()
    {
        await using TestApp app = await TestApp.StartAsync();
        // A forged same-name eKYC passes the name check; the step-up is the attacker's own wallet factor.
        await StepUpAsync(app, "wallet-forged");
        JsonElement link = await app.PostAsync("/v1/links", LinkBody("wallet-forged", "7654321", "ﾀﾅｶ ﾊﾅｺ", Proof("たなか はなこ")), 201);
        Assert.Equal("allow", link.Str("decision"));
        Assert.Contains("holder_name_matched", link.Reasons());
        Assert.Contains("cool_off", link.Reasons());
        string linkId = link.Str("link_id");

        // The Docomo frauds charged ¥300k per link at once: the cool-off limit refuses it, a small charge passes.
        JsonElement big = await app.PostAsync($"/v1/links/{linkId}/charges", new { amount = 300_000 });
        JsonElement small = await app.PostAsync($"/v1/links/{linkId}/charges", new { amount = 5_000 });
        Assert.Equal("deny", big.Str("decision"));
        Assert.Contains("cool_off_limit_exceeded", big.Reasons());
        Assert.Equal("allow", small.Str("decision"));
        Assert.Equal(5_000, small.GetProperty("remaining").GetInt64());

        // The holder hears through the bank's channel and says "not me".
        var notice = app.Channel.Messages.Single(m => m.Channel == "bank" && m.Recipient == "0005:7654321");
        Match m = NotMeLink().Match(notice.Body);
        Assert.True(m.Success, notice.Body);
        Assert.Equal(linkId, m.Groups["id"].Value);
        await app.PostAsync($"/v1/links/{linkId}/not-me?token={new string('0', 64)}", new { }, 400);   // body not allowed
        using (var wrong = await app.Client.PostAsync($"/v1/links/{linkId}/not-me?token={new string('0', 64)}", null))
            Assert.Equal(System.Net.HttpStatusCode.NotFound, wrong.StatusCode);
        using (var right = await app.Client.PostAsync($"/v1/links/{linkId}/not-me?token={m.Groups["token"].Value}", null))
            Assert.Equal(System.Net.HttpStatusCode.OK, right.StatusCode);

        JsonElement after = await app.PostAsync($"/v1/links/{linkId}/charges", new { amount = 100 });
        Assert.Equal("deny", after.Str("decision"));
        Assert.Contains("link_frozen", after.Reasons());
    }

    [Fact]
    public async Task Link_AfterCoolOff_FullDailyLimitApplies()
    {
        await using TestApp app = await TestApp.StartAsync();
        await StepUpAsync(app, "wallet-1");
        string linkId = (await app.PostAsync("/v1/links", LinkBody("wallet-1", "1111111", "ヤマダ タロウ", Proof("やまだ たろう")), 201)).Str("link_id");
        app.Time.Advance(TimeSpan.FromHours(73));

        JsonElement ok = await app.PostAsync($"/v1/links/{linkId}/charges", new { amount = 300_000 });
        JsonElement over = await app.PostAsync($"/v1/links/{linkId}/charges", new { amount = 1 });

        Assert.Equal("allow", ok.Str("decision"));
        Assert.Equal("deny", over.Str("decision"));
        Assert.Contains("daily_limit_exceeded", over.Reasons());
    }

    [Fact]
    public async Task BankAccount_FeedingTwoWallets_RefusesAThird()
    {
        await using TestApp app = await TestApp.StartAsync();
        foreach (string wallet in new[] { "w1", "w2", "w3" }) await StepUpAsync(app, wallet);
        await app.PostAsync("/v1/links", LinkBody("w1", "2222222", "ﾔﾏﾀﾞ ﾀﾛｳ", Proof("ヤマダ タロウ")), 201);
        await app.PostAsync("/v1/links", LinkBody("w2", "2222222", "ﾔﾏﾀﾞ ﾀﾛｳ", Proof("ヤマダ タロウ")), 201);

        JsonElement third = await app.PostAsync("/v1/links", LinkBody("w3", "2222222", "ﾔﾏﾀﾞ ﾀﾛｳ", Proof("ヤマダ タロウ")));

        Assert.Equal("deny", third.Str("decision"));
        Assert.Contains("bank_account_wallet_cap", third.Reasons());
    }

    [Fact]
    public async Task Link_WithoutFreshStepUp_AsksForOne_AndCreatesNothing()
    {
        await using TestApp app = await TestApp.StartAsync();
        await StepUpAsync(app, "w1");
        app.Time.Advance(TimeSpan.FromMinutes(11));

        JsonElement link = await app.PostAsync("/v1/links", LinkBody("w1", "3333333", "ﾔﾏﾀﾞ ﾀﾛｳ", Proof("ヤマダ タロウ")));

        Assert.Equal("step_up", link.Str("decision"));
        Assert.Equal(JsonValueKind.Null, link.GetProperty("link_id").ValueKind);
        Assert.DoesNotContain(app.Channel.Messages, m => m.Channel == "bank");
    }

    private static async Task RegisterContactAsync(TestApp app, string account, string email) =>
        await app.PostAsync($"/v1/accounts/{account}/changes", new { kind = "contact", contact = new { channel = "email", address = email } });

    [Fact]
    public async Task Sbi_StuffedLoginFromNewEnvironment_ThenSameNameDestination_IsRefused_AndTheHolderIsTold()
    {
        await using TestApp app = await TestApp.StartAsync();
        await RegisterContactAsync(app, "sbi-victim", "victim@example.jp");
        await StepUpByOneTimeCodeAsync(app, "sbi-victim");   // the victim's own earlier step-up, still fresh
        // The login engine saw a stuffed login from an unfamiliar environment; the caller reports it.
        await app.PostAsync("/v1/accounts/sbi-victim/events", new { type = "unfamiliar_login", at = app.Time.GetUtcNow().AddMinutes(-2) }, 202);

        // The attacker opened a same-name account with a forged ID.
        JsonElement added = await app.PostAsync("/v1/accounts/sbi-victim/withdrawal-destinations",
            new { bank = "0009", bank_account = "9999999", holder_name = "スズキ イチロウ", identity = Proof("すずき いちろう") });

        Assert.Equal("deny", added.Str("decision"));
        Assert.Contains("recent_unfamiliar_login", added.Reasons());
        Assert.Contains("holder_name_matched", added.Reasons());
        Assert.Contains("contact_notified", added.Reasons());
        Assert.Equal(JsonValueKind.Null, added.GetProperty("destination_id").ValueKind);
        Assert.Contains(app.Channel.Messages, m => m.Recipient == "victim@example.jp" && m.Subject.Contains("refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sbi_SameNameDestination_WithoutStepUp_IsNotEnough()
    {
        await using TestApp app = await TestApp.StartAsync();
        await RegisterContactAsync(app, "acct", "owner@example.jp");

        JsonElement added = await app.PostAsync("/v1/accounts/acct/withdrawal-destinations",
            new { bank = "0009", bank_account = "9999999", holder_name = "ｽｽﾞｷ ｲﾁﾛｳ", identity = Proof("スズキイチロウ") });

        Assert.Equal("step_up", added.Str("decision"));
        Assert.Contains("holder_name_matched", added.Reasons());
        Assert.Contains("step_up_required", added.Reasons());
    }

    [Fact]
    public async Task NewDestination_AfterStepUp_IsHeld_ThenUsable_AndTheOwnerIsTold()
    {
        await using TestApp app = await TestApp.StartAsync();
        await RegisterContactAsync(app, "acct", "owner@example.jp");
        await StepUpByOneTimeCodeAsync(app, "acct");

        JsonElement added = await app.PostAsync("/v1/accounts/acct/withdrawal-destinations",
            new { bank = "0009", bank_account = "9999999", holder_name = "ｽｽﾞｷ ｲﾁﾛｳ", identity = Proof("スズキイチロウ") });
        Assert.Equal("hold", added.Str("decision"));
        Assert.Contains("destination_on_hold", added.Reasons());
        var told = app.Channel.Messages.Single(m => m.Recipient == "owner@example.jp" && m.Subject == "A withdrawal destination was added");
        Assert.Contains("0009 ••••999", told.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("9999999", told.Body, StringComparison.Ordinal);
        string id = added.Str("destination_id");

        JsonElement early = await app.PostAsync("/v1/accounts/acct/withdrawals", new { destination_id = id, amount = 1_000_000 });
        Assert.Equal("deny", early.Str("decision"));
        Assert.Contains("destination_on_hold", early.Reasons());

        app.Time.Advance(TimeSpan.FromHours(72));
        JsonElement later = await app.PostAsync("/v1/accounts/acct/withdrawals", new { destination_id = id, amount = 1_000_000 });
        Assert.Equal("allow", later.Str("decision"));
        await app.PostAsync("/v1/accounts/other/withdrawals", new { destination_id = id, amount = 1 }, 404);   // not another account's
    }

    [Fact]
    public async Task NewDestination_OwnersNotMe_FreezesIt_EvenAfterTheHold()
    {
        await using TestApp app = await TestApp.StartAsync();
        await RegisterContactAsync(app, "acct", "owner@example.jp");
        await StepUpByOneTimeCodeAsync(app, "acct");
        string id = (await app.PostAsync("/v1/accounts/acct/withdrawal-destinations",
            new { bank = "0009", bank_account = "9999999", holder_name = "ｽｽﾞｷ ｲﾁﾛｳ", identity = Proof("スズキイチロウ") })).Str("destination_id");
        var notice = app.Channel.Messages.Single(m => m.Subject == "A withdrawal destination was added");
        string token = Regex.Match(notice.Body, @"not-me\?token=(?<t>[0-9a-f]+)").Groups["t"].Value;

        using (var wrongAccount = await app.Client.PostAsync($"/v1/accounts/other/withdrawal-destinations/{id}/not-me?token={token}", null))
            Assert.Equal(System.Net.HttpStatusCode.NotFound, wrongAccount.StatusCode);
        using (var right = await app.Client.PostAsync($"/v1/accounts/acct/withdrawal-destinations/{id}/not-me?token={token}", null))
            Assert.Equal(System.Net.HttpStatusCode.OK, right.StatusCode);
        app.Time.Advance(TimeSpan.FromHours(73));

        JsonElement withdrawal = await app.PostAsync("/v1/accounts/acct/withdrawals", new { destination_id = id, amount = 1_000 });
        Assert.Equal("deny", withdrawal.Str("decision"));
        Assert.Contains("destination_frozen", withdrawal.Reasons());
    }

    [Fact]
    public async Task ContactChange_AfterPasswordReset_IsRefused_AndTheOldContactIsTold()
    {
        await using TestApp app = await TestApp.StartAsync();
        await RegisterContactAsync(app, "acct", "owner@example.jp");
        await StepUpByOneTimeCodeAsync(app, "acct");
        await app.PostAsync("/v1/accounts/acct/events", new { type = "password_reset" }, 202);

        JsonElement change = await app.PostAsync("/v1/accounts/acct/changes", new { kind = "contact", contact = new { channel = "email", address = "attacker@example.com" } });

        Assert.Equal("deny", change.Str("decision"));
        Assert.Contains("recent_password_reset", change.Reasons());
        Assert.Contains("contact_notified", change.Reasons());
        Assert.Contains(app.Channel.Messages, m => m.Recipient == "owner@example.jp" && m.Subject == "Your contact address change was refused");
        // The contact did not change: the next code still goes to the owner.
        app.Time.Advance(TimeSpan.FromSeconds(30));   // one code per 30 s per account
        await app.PostAsync("/v1/accounts/acct/factors/one-time-code", new { }, 201);
        Assert.Equal("owner@example.jp", app.Channel.Messages[^1].Recipient);
    }

    [Fact]
    public async Task PasswordChange_WithFreshStepUp_IsAllowed_AndTheContactIsTold()
    {
        await using TestApp app = await TestApp.StartAsync();
        await RegisterContactAsync(app, "acct", "owner@example.jp");
        await StepUpByOneTimeCodeAsync(app, "acct");

        JsonElement change = await app.PostAsync("/v1/accounts/acct/changes", new { kind = "password" });

        Assert.Equal("allow", change.Str("decision"));
        Assert.Contains(app.Channel.Messages, m => m.Recipient == "owner@example.jp" && m.Subject == "Your password was changed");
    }
}
