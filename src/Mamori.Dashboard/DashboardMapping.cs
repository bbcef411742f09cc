using Mamori.Campaigns;
using Mamori.Events;
using Mamori.Policy;

namespace Mamori.Dashboard;

/// <summary>Turns engine and feed types into wire DTOs.</summary>
internal static class DashboardMapping
{
    public static FeedItemDto Item(FeedItem item) => new(
        item.Time, item.Account, item.Tenant, item.Ip, item.Outcome is LoginOutcome o ? o.ToWireName() : null,
        item.Decision.ToWireName(), Math.Round(item.Score, 4),
        item.Reasons.Select(r => new ReasonDto(r.Code.ToWireName(), r.Message)).ToArray(), item.CampaignIds);

    public static CampaignDto Campaign(CampaignView c) => new(
        c.Id, c.Kind.ToWireName(), c.Tenant, c.FirstSeen, c.LastSeen, c.Open, c.Attempts, c.AccountsTargeted, c.DistinctIps,
        c.Successes.Count, Sources(c.TopAsns), Sources(c.TopSubnets), Sources(c.TopIps));

    public static MinuteDto Minute(MinuteCounts m) => new(m.Start, m.Allow, m.Challenge, m.Deny);

    private static SourceDto[] Sources(IReadOnlyList<SourceCount> sources) => sources.Select(s => new SourceDto(s.Source, s.Attempts)).ToArray();
}
