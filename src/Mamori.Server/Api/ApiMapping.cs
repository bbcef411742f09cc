using Mamori.Campaigns;
using Mamori.Policy;

namespace Mamori.Server.Api;

/// <summary>Engine types to wire types.</summary>
internal static class ApiMapping
{
    public static List<ReasonDto> Reasons(Decision decision)
    {
        var list = new List<ReasonDto>(decision.Reasons.Count);
        for (int i = 0; i < decision.Reasons.Count; i++) list.Add(new ReasonDto(decision.Reasons[i].Code.ToWireName(), decision.Reasons[i].Message));
        return list;
    }

    public static CampaignDto Campaign(CampaignView c) => new()
    {
        Id = c.Id, Kind = c.Kind.ToWireName(), Tenant = c.Tenant, FirstSeen = c.FirstSeen, LastSeen = c.LastSeen, Open = c.Open,
        // A shared view merges counts from several nodes: keep the estimates within the attempts there too.
        Attempts = c.Attempts, AccountsTargeted = Math.Min(c.AccountsTargeted, c.Attempts), DistinctIps = Math.Min(c.DistinctIps, c.Attempts),
        Successes = c.Successes.Select(s => new CampaignSuccessDto(s.Account, s.At, s.Ip, s.Decision)).ToArray(),
        TopSubnets = c.TopSubnets.Select(s => new SourceCountDto(s.Source, s.Attempts)).ToArray(),
        TopAsns = c.TopAsns.Select(s => new SourceCountDto(s.Source, s.Attempts)).ToArray(),
        TopIps = c.TopIps.Select(s => new SourceCountDto(s.Source, s.Attempts)).ToArray(),
        SecretIds = c.SecretIds,
    };
}
