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

    public static CampaignDto Campaign(CampaignView c)
    {
        (int takeovers, int exposed) = CountTakeovers(c.Successes);
        return new(c.Id, c.Kind.ToWireName(), c.Tenant, c.FirstSeen, c.LastSeen, c.Open, c.Attempts, c.AccountsTargeted, c.DistinctIps,
            takeovers, exposed, c.Successes.Count >= CampaignView.MaxSuccessesKept, Sources(c.TopAsns), Sources(c.TopSubnets), Sources(c.TopIps));
    }

    /// <summary>
    /// Accounts, not logins: an account whose success was allowed or stepped up is a likely takeover (the attacker may
    /// be in); one whose every success was denied has an exposed password (it works, but the attacker was kept out).
    /// </summary>
    /// <remarks>The same words as <c>mamori replay</c>'s report. Counting logins instead overstated takeovers: an
    /// account tried twice counted twice, and a denied success, the engine doing its job, counted as lost.</remarks>
    internal static (int LikelyTakeovers, int ExposedPasswords) CountTakeovers(IReadOnlyList<CampaignSuccess> successes)
    {
        var letThrough = new HashSet<string>(StringComparer.Ordinal);
        var denied = new HashSet<string>(StringComparer.Ordinal);
        foreach (CampaignSuccess s in successes)
        {
            if (IsLetThrough(s)) letThrough.Add(s.Account);
            else denied.Add(s.Account);
        }
        denied.ExceptWith(letThrough);
        return (letThrough.Count, denied.Count);
    }

    /// <summary>Whether a success got past the engine: anything but a deny (a step-up may be passed by whoever holds the phone).</summary>
    internal static bool IsLetThrough(CampaignSuccess success) => success.Decision != Verdict.Deny.ToWireName();

    public static MinuteDto Minute(MinuteCounts m) => new(m.Start, m.Allow, m.Challenge, m.Deny);

    private static SourceDto[] Sources(IReadOnlyList<SourceCount> sources) => sources.Select(s => new SourceDto(s.Source, s.Attempts)).ToArray();
}
