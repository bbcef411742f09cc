using System.Net;
using Mamori.Policy;

namespace Mamori.Dashboard.Tests;

public sealed class FeedFilterTests
{
    private static readonly DateTimeOffset T0 = new(2020, 9, 14, 23, 0, 0, TimeSpan.Zero);

    private static FeedFilter Parse(string? decision = null, string? reason = null, string? account = null, string? ip = null)
    {
        Assert.True(FeedFilter.TryParse(decision, reason, account, ip, out FeedFilter? filter, out _, out _));
        return filter;
    }

    [Fact]
    public void EmptyQuery_MatchesEverything()
    {
        FeedFilter filter = Parse("", "", "", "");
        Assert.True(filter.Matches(DecisionFeedTests.Item(T0)));
        Assert.Equal(FeedFilter.None, filter);
    }

    [Fact]
    public void Decision_MatchesOnlyThatVerdict()
    {
        FeedFilter filter = Parse(decision: "step_up");
        Assert.True(filter.Matches(DecisionFeedTests.Item(T0, decision: Verdict.StepUp)));
        Assert.False(filter.Matches(DecisionFeedTests.Item(T0, decision: Verdict.Challenge)));
    }

    [Fact]
    public void Reason_MatchesAnyOfTheItemsReasons()
    {
        FeedFilter filter = Parse(reason: "stuffing_source");
        Assert.True(filter.Matches(DecisionFeedTests.Item(T0, reasons: [ReasonCode.UnfamiliarEnvironment, ReasonCode.StuffingSource])));
        Assert.False(filter.Matches(DecisionFeedTests.Item(T0, reasons: [ReasonCode.SprayedSecret])));
    }

    [Fact]
    public void Account_IsCaseInsensitive()
    {
        FeedFilter filter = Parse(account: "Alice@Example.JP");
        Assert.True(filter.Matches(DecisionFeedTests.Item(T0, account: "alice@example.jp")));
        Assert.False(filter.Matches(DecisionFeedTests.Item(T0, account: "bob@example.jp")));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7", true)]
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    [InlineData("203.0.113.0/24", "203.0.113.200", true)]
    [InlineData("203.0.113.99/24", "203.0.113.200", true)]   // host bits are masked: an analyst means the /24
    [InlineData("203.0.113.0/24", "203.0.114.1", false)]
    [InlineData("2001:db8::/48", "2001:db8:0:1::5", true)]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7", true)]
    public void Ip_MatchesAddressOrNetwork(string query, string itemIp, bool matches)
    {
        Assert.Equal(matches, Parse(ip: query).Matches(DecisionFeedTests.Item(T0, ip: itemIp)));
    }

    [Theory]
    [InlineData("maybe", null, null, null, "decision")]
    [InlineData("Allow", null, null, null, "decision")]
    [InlineData(null, "not_a_reason", null, null, "reason")]
    [InlineData(null, null, null, "203.0.113", "ip")]
    [InlineData(null, null, null, "203.0.113.0/33", "ip")]
    [InlineData(null, null, null, "203.0.113.0/x", "ip")]
    [InlineData(null, null, null, "' OR 1=1", "ip")]
    public void BadValue_IsRefusedNamingTheParameter(string? decision, string? reason, string? account, string? ip, string expectedField)
    {
        Assert.False(FeedFilter.TryParse(decision, reason, account, ip, out FeedFilter? filter, out string? field, out string? error));
        Assert.Null(filter);
        Assert.Equal(expectedField, field);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void OverlongAccount_IsRefused()
    {
        Assert.False(FeedFilter.TryParse(null, null, new string('a', 257), null, out _, out string? field, out _));
        Assert.Equal("account", field);
    }

    [Fact]
    public void UnparsableItemAddress_DoesNotMatchAnIpFilter()
    {
        Assert.False(Parse(ip: "203.0.113.7").Matches(DecisionFeedTests.Item(T0, ip: "not-an-ip")));
        Assert.Equal(IPNetwork.Parse("203.0.113.7/32"), Parse(ip: "203.0.113.7").Network);
    }
}
