using Mamori.Events;
using Mamori.Policy;

namespace Mamori.Dashboard.Tests;

public sealed class DecisionFeedTests
{
    private static readonly DateTimeOffset T0 = new(2020, 9, 14, 23, 0, 0, TimeSpan.Zero);

    internal static FeedItem Item(DateTimeOffset at, string account = "a@example.jp", string ip = "203.0.113.7", Verdict decision = Verdict.Allow,
        LoginOutcome? outcome = LoginOutcome.Success, ReasonCode[]? reasons = null, string[]? campaigns = null) =>
        new(at, account, ip, outcome, decision, decision == Verdict.Allow ? 0 : 0.9,
            (reasons ?? []).Select(r => new Reason(r, "because")).ToArray(), campaigns ?? []);

    [Fact]
    public void MoreItemsThanCapacity_KeepsOnlyTheNewest()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions { Capacity = 100 });
        for (int i = 0; i < 250; i++) feed.Publish(Item(T0.AddSeconds(i), account: $"u{i}"));

        IReadOnlyList<FeedItem> recent = feed.Recent(FeedFilter.None, 1_000);
        Assert.Equal(100, recent.Count);
        Assert.Equal("u249", recent[0].Account);
        Assert.Equal("u150", recent[^1].Account);
        Assert.Equal(250, feed.Published);
    }

    [Fact]
    public void Recent_AppliesFilterAndLimit()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions());
        for (int i = 0; i < 10; i++) feed.Publish(Item(T0.AddSeconds(i), decision: i % 2 == 0 ? Verdict.Deny : Verdict.Allow, account: $"u{i}"));

        IReadOnlyList<FeedItem> denies = feed.Recent(new FeedFilter(Verdict.Deny, null, null, null), 3);
        Assert.Equal(["u8", "u6", "u4"], denies.Select(i => i.Account));
    }

    [Fact]
    public async Task Subscriber_ReceivesOnlyMatchingItemsInOrder()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions());
        using DecisionFeed.FeedSubscription subscription = feed.Subscribe(new FeedFilter(null, ReasonCode.SprayedSecret, null, null))!;

        feed.Publish(Item(T0, account: "plain"));
        feed.Publish(Item(T0, account: "sprayed1", decision: Verdict.Deny, reasons: [ReasonCode.SprayedSecret]));
        feed.Publish(Item(T0, account: "sprayed2", decision: Verdict.Challenge, reasons: [ReasonCode.UnfamiliarEnvironment, ReasonCode.SprayedSecret]));

        Assert.Equal("sprayed1", (await subscription.Reader.ReadAsync()).Account);
        Assert.Equal("sprayed2", (await subscription.Reader.ReadAsync()).Account);
        Assert.False(subscription.Reader.TryRead(out _));
    }

    [Fact]
    public void SlowSubscriber_LosesOldestItemsAndNeverBlocksPublish()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions { SubscriberBuffer = 16 });
        using DecisionFeed.FeedSubscription subscription = feed.Subscribe(FeedFilter.None)!;
        for (int i = 0; i < 100; i++) feed.Publish(Item(T0, account: $"u{i}"));

        var received = new List<string>();
        while (subscription.Reader.TryRead(out FeedItem? item)) received.Add(item.Account);
        Assert.Equal(16, received.Count);
        Assert.Equal("u84", received[0]);
        Assert.Equal("u99", received[^1]);
    }

    [Fact]
    public void SubscribersBeyondTheLimit_AreRefusedUntilOneLeaves()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions { MaxSubscribers = 2 });
        DecisionFeed.FeedSubscription first = feed.Subscribe(FeedFilter.None)!;
        using DecisionFeed.FeedSubscription second = feed.Subscribe(FeedFilter.None)!;

        Assert.Null(feed.Subscribe(FeedFilter.None));
        first.Dispose();
        Assert.True(first.Reader.Completion.IsCompleted);
        using DecisionFeed.FeedSubscription? third = feed.Subscribe(FeedFilter.None);
        Assert.NotNull(third);
        Assert.Equal(2, feed.SubscriberCount);
    }

    [Fact]
    public void Minutes_CountDecisionsByKindAndOutcomesPerMinute()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions());
        feed.Publish(Item(T0.AddSeconds(5), decision: Verdict.Allow));
        feed.Publish(Item(T0.AddSeconds(10), decision: Verdict.StepUp));
        feed.Publish(Item(T0.AddSeconds(20), account: "b@example.jp", decision: Verdict.Challenge, outcome: null));   // a login still unanswered
        feed.Publish(Item(T0.AddMinutes(1), decision: Verdict.Deny, outcome: LoginOutcome.UnknownAccount));
        feed.Publish(Item(T0.AddMinutes(1), decision: Verdict.Allow, outcome: LoginOutcome.WrongSecret));

        MinuteCounts[] minutes = feed.Minutes(T0.AddMinutes(1).AddSeconds(30));
        Assert.Equal(DecisionFeed.MinutesKept, minutes.Length);
        MinuteCounts first = minutes[^2], second = minutes[^1];
        Assert.Equal(T0, first.Start);
        Assert.Equal((1, 2, 0, 2, 0), (first.Allow, first.Challenge, first.Deny, first.Outcomes, first.Failures));
        Assert.Equal((1, 0, 1, 2, 2, 1), (second.Allow, second.Challenge, second.Deny, second.Outcomes, second.Failures, second.UnknownAccounts));
    }

    [Theory]
    [InlineData("req-1")]
    [InlineData(null)]   // what the server publishes without a request id: the outcome answers the pre-auth of the same account and IP
    public void LoginDeniedAtPreAuth_WithAWrongSecretOutcomeAllowed_IsChartedOnceAsDeny(string? requestId)
    {
        var feed = new DecisionFeed(new DecisionFeedOptions());
        feed.Publish(Item(T0.AddSeconds(5), decision: Verdict.Deny, outcome: null, campaigns: ["cmp-1"]) with { RequestId = requestId });
        feed.Publish(Item(T0.AddSeconds(6), decision: Verdict.Allow, outcome: LoginOutcome.WrongSecret, campaigns: ["cmp-1"]) with { RequestId = requestId });

        MinuteCounts minute = feed.Minutes(T0.AddSeconds(30))[^1];
        Assert.Equal((0, 0, 1), (minute.Allow, minute.Challenge, minute.Deny));
        Assert.Equal((1, 1), (minute.Outcomes, minute.Failures));
        FeedEntry[] entries = feed.EntriesForCampaign("cmp-1").ToArray();
        Assert.Equal(2, entries.Length);
        Assert.Equal(entries[0].Login, entries[1].Login);
        Assert.Equal(2, feed.Published);   // both halves are still shown in the feed
    }

    [Fact]
    public void TwoLoginsOfOneAccountFromOneAddress_InTurn_AreTwoLogins()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions());
        for (int i = 0; i < 2; i++)
        {
            feed.Publish(Item(T0.AddSeconds(10 * i), outcome: null));
            feed.Publish(Item(T0.AddSeconds(10 * i + 1), outcome: LoginOutcome.WrongSecret));
        }
        feed.Publish(Item(T0.AddSeconds(30), outcome: LoginOutcome.Success));   // a one-shot event: no pre-auth half

        MinuteCounts minute = feed.Minutes(T0.AddSeconds(40))[^1];
        Assert.Equal(3, minute.Allow);
        Assert.Equal(3, minute.Outcomes);
    }

    [Fact]
    public void LoginAcrossAMinuteBoundary_CountsInItsFirstMinute_WithItsStricterVerdict()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions());
        feed.Publish(Item(T0.AddSeconds(59), decision: Verdict.Allow, outcome: null) with { RequestId = "r" });
        feed.Publish(Item(T0.AddSeconds(61), decision: Verdict.StepUp, outcome: LoginOutcome.Success) with { RequestId = "r" });

        MinuteCounts[] minutes = feed.Minutes(T0.AddSeconds(90));
        Assert.Equal((0, 1, 0, 0), (minutes[^2].Allow, minutes[^2].Challenge, minutes[^2].Deny, minutes[^2].Outcomes));
        Assert.Equal((0, 0, 0, 1), (minutes[^1].Allow, minutes[^1].Challenge, minutes[^1].Deny, minutes[^1].Outcomes));
    }

    [Fact]
    public void ItemsOlderThanTheHourKept_AreNotCountedIntoANewerMinute()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions());
        feed.Publish(Item(T0.AddMinutes(60), decision: Verdict.Deny));
        feed.Publish(Item(T0, decision: Verdict.Deny));   // same slot, one hour older: a late replay

        MinuteCounts[] minutes = feed.Minutes(T0.AddMinutes(60));
        Assert.Equal(1, minutes.Sum(m => m.Deny));
        Assert.Equal(1, minutes[^1].Deny);
        Assert.Equal(2, feed.Recent(FeedFilter.None, 10).Count);   // still listed, only not counted
    }

    [Fact]
    public void Minutes_AnHourLater_ForgetsOldCounts()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions());
        feed.Publish(Item(T0, decision: Verdict.Deny));
        Assert.Equal(0, feed.Minutes(T0.AddHours(1)).Sum(m => m.Deny));
        Assert.Equal(1, feed.Minutes(T0.AddMinutes(59)).Sum(m => m.Deny));
    }

    [Fact]
    public void ForCampaign_ReturnsItsItemsOldestFirst()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions());
        feed.Publish(Item(T0, account: "x1", campaigns: ["cmp-1"]));
        feed.Publish(Item(T0, account: "other", campaigns: ["cmp-2"]));
        feed.Publish(Item(T0.AddSeconds(1), account: "x2", campaigns: ["cmp-2", "cmp-1"]));

        Assert.Equal(["x1", "x2"], feed.ForCampaign("cmp-1").Select(i => i.Account));
    }

    [Fact]
    public void Rate_ComparesLastFiveMinutesWithTheRestOfTheHour()
    {
        var feed = new DecisionFeed(new DecisionFeedOptions());
        DateTimeOffset now = T0.AddMinutes(59);
        for (int i = 0; i < 10; i++) feed.Publish(Item(T0.AddMinutes(i), outcome: i == 0 ? LoginOutcome.WrongSecret : LoginOutcome.Success));
        for (int i = 0; i < 4; i++) feed.Publish(Item(now, outcome: i < 3 ? LoginOutcome.UnknownAccount : LoginOutcome.Success));

        RateDto failures = DashboardEndpoints.Rate(feed.Minutes(now), m => m.Failures);
        RateDto unknown = DashboardEndpoints.Rate(feed.Minutes(now), m => m.UnknownAccounts);
        Assert.Equal(new RateDto(0.75, 0.1, 4, 10), failures);
        Assert.Equal(new RateDto(0.75, 0, 4, 10), unknown);
        Assert.Equal(new RateDto(null, null, 0, 0), DashboardEndpoints.Rate(new DecisionFeed(new DecisionFeedOptions()).Minutes(now), m => m.Failures));
    }

    [Fact]
    public void InvalidOptions_NameEveryBadSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DecisionFeed(new DecisionFeedOptions { Capacity = 5, MaxSubscribers = 0, SubscriberBuffer = 1 }));
        Assert.Contains("Capacity", ex.Message);
        Assert.Contains("MaxSubscribers", ex.Message);
        Assert.Contains("SubscriberBuffer", ex.Message);
    }

    [Fact]
    public void DefaultOptions_AreTheDocumentedOnes()
    {
        var options = new DecisionFeedOptions();
        Assert.Equal((10_000, 32, 512), (options.Capacity, options.MaxSubscribers, options.SubscriberBuffer));
    }

    [Fact]
    public void FeedItem_HasNoSecretDeviceOrTokenField()
    {
        string[] names = typeof(FeedItem).GetProperties().Select(p => p.Name.ToLowerInvariant()).ToArray();
        Assert.DoesNotContain(names, n => n.Contains("secret") || n.Contains("fingerprint") || n.Contains("token") || n.Contains("device") || n.Contains("key"));
    }
}
