using Mamori.Campaigns;

namespace Mamori.Dashboard.Tests;

/// <summary>What a campaign card says about the accounts an attack got into.</summary>
public sealed class CampaignTakeoverTests
{
    private static readonly DateTimeOffset T0 = new(2020, 9, 14, 23, 56, 0, TimeSpan.Zero);

    private static CampaignSuccess Success(string account, string decision, int minute = 0) => new(account, T0.AddMinutes(minute), "203.0.113.9", decision);

    private static CampaignView With(params CampaignSuccess[] successes) => ExportTests.Campaign() with { Successes = successes };

    [Fact]
    public void DeniedSuccesses_AreExposedPasswords_NotTakeovers_AndAnAccountCountsOnce()
    {
        CampaignDto dto = DashboardMapping.Campaign(With(
            Success("alice", "allow"), Success("alice", "allow", 1),   // one account, two logins
            Success("bob", "deny"), Success("bob", "deny", 1),         // kept out twice
            Success("carol", "step_up"),                              // let through to a second factor
            Success("dave", "deny"), Success("dave", "allow", 2)));   // kept out once, then in

        Assert.Equal(3, dto.LikelyTakeovers);    // alice, carol, dave
        Assert.Equal(1, dto.ExposedPasswords);   // bob
        Assert.False(dto.SuccessesTruncated);
    }

    [Fact]
    public void AllSevenDenied_AsInTheAudit_AreNoTakeover()
    {
        CampaignDto dto = DashboardMapping.Campaign(With(
            Success("a", "deny"), Success("b", "deny"), Success("c", "deny"), Success("a", "deny", 1),
            Success("d", "deny"), Success("e", "deny"), Success("f", "deny")));

        Assert.Equal(0, dto.LikelyTakeovers);
        Assert.Equal(6, dto.ExposedPasswords);
    }

    [Fact]
    public void SuccessesAtTheCap_AreMarkedTruncated()
    {
        CampaignSuccess[] full = Enumerable.Range(0, CampaignView.MaxSuccessesKept).Select(i => Success($"u{i}", "allow")).ToArray();

        Assert.True(DashboardMapping.Campaign(With(full)).SuccessesTruncated);
        Assert.False(DashboardMapping.Campaign(With(full[1..])).SuccessesTruncated);
    }

    [Fact]
    public void Csv_LabelsADeniedSuccessAsExposedPassword()
    {
        string csv = CsvExport.Write(With(Success("bob", "deny"), Success("alice", "step_up")), []);

        Assert.Contains("cmp-20200914T2356-0001,exposed_password,bob,,", csv, StringComparison.Ordinal);
        Assert.Contains("cmp-20200914T2356-0001,likely_takeover,alice,,", csv, StringComparison.Ordinal);
    }
}
