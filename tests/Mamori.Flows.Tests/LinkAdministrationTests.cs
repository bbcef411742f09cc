using System.Text.Json;
using Mamori.Flows.MoneyMovement;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Tests;

/// <summary>The operator's list and freeze of an account's funding links and withdrawal destinations.</summary>
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
}
