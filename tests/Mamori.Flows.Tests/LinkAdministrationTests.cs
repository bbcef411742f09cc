using System.Text.Json;
using Mamori.Flows.MoneyMovement;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Tests;

/// <summary>The operator's list, freeze and unfreeze of an account's funding links and withdrawal destinations.</summary>
public sealed class LinkAdministrationTests
{
    private static async Task<(string Link, string Destination)> LinkAndDestinationAsync(TestApp app, string account)
    {
        await Stories.StepUpAsync(app, account);
        string link = (await app.PostAsync("/v1/links", Stories.LinkBody(account, "7654321", "ﾀﾅｶ ﾊﾅｺ", Stories.Proof("たなか はなこ")), 201)).Str("link_id");
        JsonElement destination = await app.PostAsync($"/v1/accounts/{account}/withdrawal-destinations",
            new { bank = "0009", bank_account = "99887766", holder_name = "ﾀﾅｶ ﾊﾅｺ", identity = Stories.Proof("たなか はなこ") });
        return (link, destination.Str("destination_id"));
    }

    [Fact]
    public async Task List_ShowsBothKindsMasked_NeverTheFullNumber()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string link, string destination) = await LinkAndDestinationAsync(app, "hanako");
        await LinkAndDestinationAsync(app, "someone-else");

        IReadOnlyList<AccountLink> links = await app.Service<LinkAdministration>().ListAsync("hanako", CancellationToken.None);

        Assert.Collection(links,
            l => { Assert.Equal(link, l.Id); Assert.Equal(AccountLinkKind.Funding, l.Kind); Assert.Equal("0005", l.Bank); Assert.Equal("••••321", l.MaskedAccount); },
            d => { Assert.Equal(destination, d.Id); Assert.Equal(AccountLinkKind.WithdrawalDestination, d.Kind); Assert.Equal("••••7766", d.MaskedAccount); });
        Assert.All(links, l => Assert.Equal(LinkState.Active, l.State));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("1", "•")]
    [InlineData("12", "•2")]
    [InlineData("1234567", "••••567")]
    [InlineData("123456789012", "••••••••9012")]
    public void Mask_KeepsAtMostFourDigitsAndAtMostHalf(string number, string expected) =>
        Assert.Equal(expected, LinkAdministration.Mask(number));

    [Fact]
    public async Task Freeze_Link_StopsCharges_AuditsTheActor_AndIsIdempotent()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string link, _) = await LinkAndDestinationAsync(app, "hanako");
        var admin = app.Service<LinkAdministration>();

        var first = await admin.FreezeAsync("hanako", link, "key_42", app.Time.GetUtcNow(), CancellationToken.None);
        var second = await admin.FreezeAsync("hanako", link, "key_42", app.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(LinkFreezeResult.Frozen, first.Result);
        Assert.Equal(LinkFreezeResult.AlreadyFrozen, second.Result);
        Assert.Equal(LinkState.Frozen, (await app.Service<ILinkStore>().GetLinkAsync(link, CancellationToken.None))!.State);
        JsonElement charge = await app.PostAsync($"/v1/links/{link}/charges", new { amount = 100 });
        Assert.Equal("deny", charge.Str("decision"));
        IReadOnlyList<AuditEntry> frozen = (await app.Service<IAuditLog>().QueryAsync("hanako", 100, CancellationToken.None)).Where(e => e.Kind == "link_frozen").ToList();
        AuditEntry entry = Assert.Single(frozen);   // the repeated freeze wrote nothing
        Assert.Equal(link, entry.Subject);
        Assert.Equal("operator key key_42", entry.Detail);
    }

    [Fact]
    public async Task Freeze_Destination_StopsWithdrawals()
    {
        await using TestApp app = await TestApp.StartAsync(o => o.WithdrawalHold = TimeSpan.Zero);
        (_, string destination) = await LinkAndDestinationAsync(app, "hanako");

        var (result, view) = await app.Service<LinkAdministration>().FreezeAsync("hanako", destination, "key_42", app.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(LinkFreezeResult.Frozen, result);
        Assert.Equal(AccountLinkKind.WithdrawalDestination, view!.Kind);
        JsonElement withdrawal = await app.PostAsync("/v1/accounts/hanako/withdrawals", new { destination_id = destination, amount = 100 });
        Assert.Equal("deny", withdrawal.Str("decision"));
        Assert.Contains("destination_frozen", withdrawal.Reasons());
    }

    [Fact]
    public async Task Freeze_AnotherAccountsLinkOrUnknownId_IsNotFound_AndChangesNothing()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string link, string destination) = await LinkAndDestinationAsync(app, "hanako");
        var admin = app.Service<LinkAdministration>();

        Assert.Equal(LinkFreezeResult.NotFound, (await admin.FreezeAsync("mallory", link, "key_42", app.Time.GetUtcNow(), CancellationToken.None)).Result);
        Assert.Equal(LinkFreezeResult.NotFound, (await admin.FreezeAsync("mallory", destination, "key_42", app.Time.GetUtcNow(), CancellationToken.None)).Result);
        Assert.Equal(LinkFreezeResult.NotFound, (await admin.FreezeAsync("hanako", "lnk_nope", "key_42", app.Time.GetUtcNow(), CancellationToken.None)).Result);

        Assert.All(await admin.ListAsync("hanako", CancellationToken.None), l => Assert.Equal(LinkState.Active, l.State));
        Assert.DoesNotContain(await app.Service<IAuditLog>().QueryAsync(null, 500, CancellationToken.None), e => e.Kind.EndsWith("_frozen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unfreeze_Link_LetsChargesThrough_AuditsTheActor_AndIsIdempotent()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string link, _) = await LinkAndDestinationAsync(app, "hanako");
        var admin = app.Service<LinkAdministration>();
        await admin.FreezeAsync("hanako", link, "key_42", app.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal("deny", (await app.PostAsync($"/v1/links/{link}/charges", new { amount = 100 })).Str("decision"));

        var first = await admin.UnfreezeAsync("hanako", link, "key_7", app.Time.GetUtcNow(), CancellationToken.None);
        var second = await admin.UnfreezeAsync("hanako", link, "key_7", app.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(LinkUnfreezeResult.Unfrozen, first.Result);
        Assert.Equal(LinkState.Active, first.Link!.State);
        Assert.Equal(LinkUnfreezeResult.NotFrozen, second.Result);
        LinkRecord stored = (await app.Service<ILinkStore>().GetLinkAsync(link, CancellationToken.None))!;
        Assert.Equal(LinkState.Active, stored.State);
        Assert.Null(stored.FrozenAt);
        JsonElement charge = await app.PostAsync($"/v1/links/{link}/charges", new { amount = 100 });
        Assert.Equal("allow", charge.Str("decision"));
        AuditEntry entry = Assert.Single(await app.Service<IAuditLog>().QueryAsync("hanako", 100, CancellationToken.None), e => e.Kind == "link_unfrozen");
        Assert.Equal(link, entry.Subject);
        Assert.Equal("operator key key_7", entry.Detail);
    }

    [Fact]
    public async Task Unfreeze_LinkTheHolderReported_KeepsItsCoolOff_AndTheBankAccountStaysBlockedForNewLinks()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string link, _) = await LinkAndDestinationAsync(app, "hanako");
        var notice = app.Channel.Messages.Single(m => m.Channel == "bank" && m.Recipient == "0005:7654321");
        string token = System.Text.RegularExpressions.Regex.Match(notice.Body, "token=(?<t>[0-9a-f]+)").Groups["t"].Value;
        using (var notMe = await app.Client.PostAsync($"/v1/links/{link}/not-me?token={token}", null))
            Assert.Equal(System.Net.HttpStatusCode.OK, notMe.StatusCode);

        // The holder calls: the click was a mistake. The operator unfreezes the one link, nothing more.
        var (result, _) = await app.Service<LinkAdministration>().UnfreezeAsync("hanako", link, "key_7", app.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(LinkUnfreezeResult.Unfrozen, result);
        JsonElement big = await app.PostAsync($"/v1/links/{link}/charges", new { amount = 300_000 });
        Assert.Equal("deny", big.Str("decision"));
        Assert.Contains("cool_off_limit_exceeded", big.Reasons());   // unfrozen is not new: the cool-off counts from the link
        Assert.Equal("allow", (await app.PostAsync($"/v1/links/{link}/charges", new { amount = 1_000 })).Str("decision"));
        await Stories.StepUpAsync(app, "other-wallet");
        JsonElement other = await app.PostAsync("/v1/links", Stories.LinkBody("other-wallet", "7654321", "ﾀﾅｶ ﾊﾅｺ", Stories.Proof("たなか はなこ")));
        Assert.NotEqual("allow", other.Str("decision"));
        Assert.Contains("not_me_reported", other.Reasons());
    }

    [Fact]
    public async Task Unfreeze_Destination_LetsWithdrawalsThrough()
    {
        await using TestApp app = await TestApp.StartAsync(o => o.WithdrawalHold = TimeSpan.Zero);
        (_, string destination) = await LinkAndDestinationAsync(app, "hanako");
        var admin = app.Service<LinkAdministration>();
        await admin.FreezeAsync("hanako", destination, "key_42", app.Time.GetUtcNow(), CancellationToken.None);

        var (result, view) = await admin.UnfreezeAsync("hanako", destination, "key_42", app.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(LinkUnfreezeResult.Unfrozen, result);
        Assert.Equal(AccountLinkKind.WithdrawalDestination, view!.Kind);
        Assert.Equal("allow", (await app.PostAsync("/v1/accounts/hanako/withdrawals", new { destination_id = destination, amount = 100 })).Str("decision"));
        Assert.Contains(await app.Service<IAuditLog>().QueryAsync("hanako", 100, CancellationToken.None), e => e.Kind == "destination_unfrozen" && e.Subject == destination);
    }

    [Fact]
    public async Task Unfreeze_AnotherAccountsLinkOrUnknownId_IsNotFound_AndTheFreezeStands()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string link, string destination) = await LinkAndDestinationAsync(app, "hanako");
        var admin = app.Service<LinkAdministration>();
        await admin.FreezeAsync("hanako", link, "key_42", app.Time.GetUtcNow(), CancellationToken.None);
        await admin.FreezeAsync("hanako", destination, "key_42", app.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(LinkUnfreezeResult.NotFound, (await admin.UnfreezeAsync("mallory", link, "key_66", app.Time.GetUtcNow(), CancellationToken.None)).Result);
        Assert.Equal(LinkUnfreezeResult.NotFound, (await admin.UnfreezeAsync("mallory", destination, "key_66", app.Time.GetUtcNow(), CancellationToken.None)).Result);
        Assert.Equal(LinkUnfreezeResult.NotFound, (await admin.UnfreezeAsync("hanako", "lnk_nope", "key_66", app.Time.GetUtcNow(), CancellationToken.None)).Result);

        Assert.All(await admin.ListAsync("hanako", CancellationToken.None), l => Assert.Equal(LinkState.Frozen, l.State));
        Assert.DoesNotContain(await app.Service<IAuditLog>().QueryAsync(null, 500, CancellationToken.None), e => e.Kind.EndsWith("_unfrozen", StringComparison.Ordinal));
    }
}
