using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mamori.Flows.Tests;

/// <summary>
/// The money paths judged across links, not one link at a time: what an outside audit got through by relinking the
/// same bank account, by linking again after the holder's "not me", and by a takeover reported after a destination.
/// </summary>
public sealed partial class MoneyPathAcrossLinksTests
{
    private static object Body(string wallet, string bankAccount = "11112222") =>
        Stories.LinkBody(wallet, bankAccount, "ﾔﾏﾀﾞ ﾀﾛｳ", Stories.Proof("やまだ たろう"));

    [GeneratedRegex(@"/v1/links/(?<id>[^/]+)/not-me\?token=(?<token>[0-9a-f]+)")]
    private static partial Regex NotMeLink();

    private static async Task NotMeAsync(TestApp app, string linkId)
    {
        var notice = app.Channel.Messages.Last(m => m.Channel == "bank" && m.Body.Contains(linkId, StringComparison.Ordinal));
        Match m = NotMeLink().Match(notice.Body);
        using HttpResponseMessage answer = await app.Client.PostAsync($"/v1/links/{linkId}/not-me?token={m.Groups["token"].Value}", null);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task LinkingTheSameBankAccountAgain_IsRefused_SoTheCoolOffLimitIsNotMultiplied()
    {
        // The audit linked one bank account five times after one step-up and charged ¥10,000 on each: ¥50,000 in the
        // cool-off against a ¥10,000 limit.
        await using TestApp app = await TestApp.StartAsync();
        await Stories.StepUpAsync(app, "w1");
        string linkId = (await app.PostAsync("/v1/links", Body("w1"), 201)).Str("link_id");

        JsonElement again = await app.PostAsync("/v1/links", Body("w1"));
        JsonElement full = await app.PostAsync($"/v1/links/{linkId}/charges", new { amount = 10_000 });
        JsonElement more = await app.PostAsync($"/v1/links/{linkId}/charges", new { amount = 1 });

        Assert.Equal("deny", again.Str("decision"));
        Assert.Contains("already_linked", again.Reasons());
        Assert.Equal(JsonValueKind.Null, again.GetProperty("link_id").ValueKind);
        Assert.Equal("allow", full.Str("decision"));
        Assert.Equal("deny", more.Str("decision"));
        Assert.Contains("cool_off_limit_exceeded", more.Reasons());
    }

    [Fact]
    public async Task CoolOffAndDailyLimits_AreTheBankAccounts_WhateverWalletDrawsOnIt()
    {
        await using TestApp app = await TestApp.StartAsync();
        await Stories.StepUpAsync(app, "w1");
        await Stories.StepUpAsync(app, "w2");
        string first = (await app.PostAsync("/v1/links", Body("w1"), 201)).Str("link_id");
        string second = (await app.PostAsync("/v1/links", Body("w2"), 201)).Str("link_id");

        Assert.Equal("allow", (await app.PostAsync($"/v1/links/{first}/charges", new { amount = 10_000 })).Str("decision"));
        JsonElement inCoolOff = await app.PostAsync($"/v1/links/{second}/charges", new { amount = 1 });
        app.Time.Advance(TimeSpan.FromHours(73));
        Assert.Equal("allow", (await app.PostAsync($"/v1/links/{first}/charges", new { amount = 300_000 })).Str("decision"));
        JsonElement overDay = await app.PostAsync($"/v1/links/{second}/charges", new { amount = 1 });

        Assert.Equal("deny", inCoolOff.Str("decision"));
        Assert.Contains("cool_off_limit_exceeded", inCoolOff.Reasons());
        Assert.Equal("deny", overDay.Str("decision"));
        Assert.Contains("daily_limit_exceeded", overDay.Reasons());
    }

    [Fact]
    public async Task HoldersNotMe_StopsEveryNewLinkOfTheBankAccount_ForTheBlock_AndLeavesTheHoldersOwnLink()
    {
        await using TestApp app = await TestApp.StartAsync();
        foreach (string wallet in new[] { "holder", "attacker", "attacker-2" }) await Stories.StepUpAsync(app, wallet);
        string own = (await app.PostAsync("/v1/links", Body("holder"), 201)).Str("link_id");
        string stolen = (await app.PostAsync("/v1/links", Body("attacker"), 201)).Str("link_id");

        await NotMeAsync(app, stolen);
        JsonElement relink = await app.PostAsync("/v1/links", Body("attacker"));
        JsonElement otherWallet = await app.PostAsync("/v1/links", Body("attacker-2"));
        JsonElement ownCharge = await app.PostAsync($"/v1/links/{own}/charges", new { amount = 1_000 });

        Assert.Equal("deny", relink.Str("decision"));
        Assert.Contains("not_me_reported", relink.Reasons());
        Assert.Contains("link_frozen", relink.Reasons());
        Assert.Equal("deny", otherWallet.Str("decision"));
        Assert.Contains("not_me_reported", otherWallet.Reasons());
        Assert.Equal("allow", ownCharge.Str("decision"));

        app.Time.Advance(app.Options.HolderReportBlock + TimeSpan.FromMinutes(1));
        await Stories.StepUpAsync(app, "attacker-3");
        JsonElement afterBlock = await app.PostAsync("/v1/links", Body("attacker-3"));
        // The frozen link still holds its wallet's slot: with the holder's own, the bank account feeds two already.
        Assert.Equal("deny", afterBlock.Str("decision"));
        Assert.Equal(["bank_account_wallet_cap"], afterBlock.Reasons().Where(r => r is "bank_account_wallet_cap" or "not_me_reported"));
    }

    [Fact]
    public async Task AFrozenLink_KeepsItsWalletsSlot_UnderTheCap()
    {
        // Freezing one link made room for the next wallet before: the cap counted active links only.
        await using TestApp app = await TestApp.StartAsync(o => o.HolderReportBlock = TimeSpan.Zero);
        foreach (string wallet in new[] { "w1", "w2", "w3" }) await Stories.StepUpAsync(app, wallet);
        await app.PostAsync("/v1/links", Body("w1"), 201);
        string second = (await app.PostAsync("/v1/links", Body("w2"), 201)).Str("link_id");
        await NotMeAsync(app, second);

        JsonElement third = await app.PostAsync("/v1/links", Body("w3"));

        Assert.Equal("deny", third.Str("decision"));
        Assert.Contains("bank_account_wallet_cap", third.Reasons());
        Assert.DoesNotContain("not_me_reported", third.Reasons());
    }

    private static async Task<string> AddDestinationAsync(TestApp app, string account)
    {
        await Stories.StepUpAsync(app, account);
        JsonElement added = await app.PostAsync($"/v1/accounts/{account}/withdrawal-destinations",
            new { bank = "0009", bank_account = "9999999", holder_name = "ｽｽﾞｷ ｲﾁﾛｳ", identity = Stories.Proof("スズキイチロウ") });
        Assert.Equal("hold", added.Str("decision"));
        return added.Str("destination_id");
    }

    [Fact]
    public async Task ADestination_WithATakeoverReportedDuringItsHold_TakesNoWithdrawal_UntilTheRiskWindowHasPassed()
    {
        // The hold ended on its timer before: a password reset and an unfamiliar login reported during it changed
        // nothing, and ¥100M went out the hour the hold ended.
        await using TestApp app = await TestApp.StartAsync();
        string id = await AddDestinationAsync(app, "acct");
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.PostAsync("/v1/accounts/acct/events", new { type = "password_reset" }, 202);

        app.Time.Advance(TimeSpan.FromHours(72));
        JsonElement afterHold = await app.PostAsync("/v1/accounts/acct/withdrawals", new { destination_id = id, amount = 100_000_000 });
        app.Time.Advance(app.Options.RecentRiskWindow);
        JsonElement afterWindow = await app.PostAsync("/v1/accounts/acct/withdrawals", new { destination_id = id, amount = 100_000_000 });

        Assert.Equal("deny", afterHold.Str("decision"));
        Assert.Equal(["recent_password_reset"], afterHold.Reasons());
        Assert.Equal("allow", afterWindow.Str("decision"));
    }

    [Fact]
    public async Task ADestinationAddedLongBeforeARiskEvent_StillTakesWithdrawals()
    {
        // The owner's own established destination: a later new-phone login must not stop their money going home.
        await using TestApp app = await TestApp.StartAsync();
        string id = await AddDestinationAsync(app, "acct");
        app.Time.Advance(app.Options.RecentRiskWindow + TimeSpan.FromDays(1));
        await app.PostAsync("/v1/accounts/acct/events", new { type = "unfamiliar_login" }, 202);

        JsonElement withdrawal = await app.PostAsync("/v1/accounts/acct/withdrawals", new { destination_id = id, amount = 50_000 });

        Assert.Equal("allow", withdrawal.Str("decision"));
    }

    [Fact]
    public async Task TheAudit_ShowsAContactChangeMasked_AndNoFullAccountNumbers()
    {
        await using TestApp app = await TestApp.StartAsync();
        await app.PostAsync("/v1/accounts/acct/changes", new { kind = "contact", contact = new { channel = "email", address = "owner@example.jp" } });
        await Stories.StepUpByOneTimeCodeAsync(app, "acct");
        await app.PostAsync("/v1/accounts/acct/changes", new { kind = "contact", contact = new { channel = "email", address = "attacker@evil.example" } });
        await app.PostAsync("/v1/links", Stories.LinkBody("acct", "11112222", "ﾀﾅｶ ﾊﾅｺ", Stories.Proof("サトウ ジロウ")));

        // Every string the audit answers, decoded (the JSON escapes the mask's bullets).
        string audit = string.Join('\n', (await app.GetAsync("/v1/audit?account=acct")).GetProperty("entries").EnumerateArray()
            .SelectMany(e => e.EnumerateObject()).Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()));

        Assert.Contains("to email:a•••@evil.example", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker@evil.example", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("owner@example.jp", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("11112222", audit, StringComparison.Ordinal);
        Assert.Contains("0005:••••2222", audit, StringComparison.Ordinal);
    }
}
