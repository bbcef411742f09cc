using Mamori.Events;
using Mamori.Policy;
using Mamori.State.Redis;
using Mamori.State.Tests.Support;

namespace Mamori.State.Tests;

/// <summary>Issue 7's equivalence: the same replay through the embedded store and through Redis gives the same decisions.</summary>
public sealed class EngineEquivalenceTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task SameReplay_EmbeddedAndGarnet_DecideIdentically()
    {
        await AssertSameDecisionsAsync(garnet.Endpoint, RedisKeyLayout.SingleSlot);
    }

    [Fact]
    public async Task SameReplay_EmbeddedAndGarnetInTheSpreadLayout_DecideIdentically()
    {
        await AssertSameDecisionsAsync(garnet.Endpoint, RedisKeyLayout.Spread);
    }

    [SkippableFact]
    public async Task SameReplay_EmbeddedAndARedisCluster_DecideIdentically()
    {
        Skip.If(StoreFactory.RealCluster is null, StoreFactory.NoRealCluster);
        await AssertSameDecisionsAsync(StoreFactory.RealCluster!, RedisKeyLayout.Auto);
    }

    private static async Task AssertSameDecisionsAsync(string endpoint, RedisKeyLayout layout)
    {
        var options = new MamoriOptions();
        List<LoginEvent> events = EngineTraffic.Generate(2_000, seed: 3);
        using RedisSignalStore redis = StoreFactory.Create(options, endpoint, layout);

        List<(Decision PreAuth, Decision Outcome)> embedded = await ReplayAsync(new LoginAssessor(options, new InMemorySignalStore(options)), events);
        List<(Decision PreAuth, Decision Outcome)> networked = await ReplayAsync(new LoginAssessor(options, redis), events);

        for (int i = 0; i < events.Count; i++)
        {
            Assert.True(Same(embedded[i].PreAuth, networked[i].PreAuth), $"Pre-auth decision {i} differs: {Show(embedded[i].PreAuth)} vs {Show(networked[i].PreAuth)}");
            Assert.True(Same(embedded[i].Outcome, networked[i].Outcome), $"Outcome decision {i} differs: {Show(embedded[i].Outcome)} vs {Show(networked[i].Outcome)}");
        }
        // Attacks were seen, so equal decisions are not just equal allows.
        Assert.Contains(embedded, d => d.PreAuth.Verdict != Verdict.Allow || d.Outcome.Verdict != Verdict.Allow);
        Assert.Contains(embedded, d => d.PreAuth.CampaignIds.Count > 0 || d.Outcome.CampaignIds.Count > 0);
    }

    private static async Task<List<(Decision, Decision)>> ReplayAsync(LoginAssessor engine, List<LoginEvent> events)
    {
        var decisions = new List<(Decision, Decision)>(events.Count);
        foreach (LoginEvent e in events)
        {
            PreAuthAssessment preAuth = await engine.AssessAsync(e.Attempt);
            Decision outcome = await engine.RecordOutcomeAsync(preAuth, e.Outcome);
            decisions.Add((preAuth.Decision, outcome));
        }
        return decisions;
    }

    private static bool Same(Decision a, Decision b) =>
        a.Verdict == b.Verdict && a.PolicyVerdict == b.PolicyVerdict && a.Score.Equals(b.Score) && a.Familiar == b.Familiar &&
        a.Reasons.SequenceEqual(b.Reasons) && a.CampaignIds.SequenceEqual(b.CampaignIds);

    private static string Show(Decision d) => $"{d.Verdict}/{d.PolicyVerdict} score {d.Score} [{string.Join(", ", d.Reasons.Select(r => r.Code))}] campaigns [{string.Join(", ", d.CampaignIds)}]";
}
