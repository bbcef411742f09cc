using System.Text.Json.Serialization;

namespace Mamori.Dashboard;

/// <summary>A reason on the wire.</summary>
internal sealed record ReasonDto(string Code, string Message);

/// <summary>A feed item on the wire (snake_case, wire names for enums).</summary>
internal sealed record FeedItemDto(DateTimeOffset Time, string Account, string? Tenant, string Ip, string? Outcome, string Decision,
    double Score, IReadOnlyList<ReasonDto> Reasons, IReadOnlyList<string> CampaignIds);

/// <summary>Answer of <c>/v1/decisions/recent</c>.</summary>
internal sealed record RecentResponse(IReadOnlyList<FeedItemDto> Items);

/// <summary>Decisions in one minute, by kind (step_up counts as challenge).</summary>
internal sealed record MinuteDto(DateTimeOffset Minute, int Allow, int Challenge, int Deny);

/// <summary>A rate now (the last few minutes) against its baseline (the rest of the hour); null without outcomes.</summary>
internal sealed record RateDto(double? Current, double? Baseline, int CurrentOutcomes, int BaselineOutcomes);

/// <summary>A source and its attempts.</summary>
internal sealed record SourceDto(string Source, long Attempts);

/// <summary>A successful login during the campaign and the verdict it got (<c>deny</c>: exposed password, kept out).</summary>
internal sealed record SuccessDto(string Account, DateTimeOffset At, string Ip, string Decision);

/// <summary>A campaign as the dashboard shows it. No secret ids: they are useless to an analyst and must not leave.</summary>
/// <param name="LikelyTakeovers">Distinct accounts with a success the engine let through (allowed or stepped up): possibly taken over.</param>
/// <param name="ExposedPasswords">Distinct accounts whose every success was denied: the password works, the attacker was kept out.</param>
/// <param name="SuccessesTruncated">The campaign's successes list reached its cap, so both counts may be low.</param>
internal sealed record CampaignDto(string Id, string Kind, string? Tenant, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, bool Open,
    long Attempts, long AccountsTargeted, long DistinctIps, int LikelyTakeovers, int ExposedPasswords, bool SuccessesTruncated,
    IReadOnlyList<SourceDto> TopAsns, IReadOnlyList<SourceDto> TopSubnets, IReadOnlyList<SourceDto> TopIps);

/// <summary>Answer of <c>/v1/dashboard/overview</c>.</summary>
internal sealed record OverviewResponse(DateTimeOffset GeneratedAt, IReadOnlyList<MinuteDto> PerMinute, RateDto FailureRate,
    RateDto UnknownAccountRate, IReadOnlyList<CampaignDto> Campaigns, long Published);

/// <summary>An account the campaign targeted, from the feed's ring.</summary>
internal sealed record TargetDto(string Account, string? Tenant, int Attempts, DateTimeOffset LastSeen);

/// <summary>Answer of <c>/v1/dashboard/campaigns/{id}</c>.</summary>
internal sealed record CampaignDetailResponse(CampaignDto Campaign, IReadOnlyList<MinuteDto> Timeline, IReadOnlyList<TargetDto> Targets,
    IReadOnlyList<SuccessDto> Successes, int FeedItems);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FeedItemDto))]
[JsonSerializable(typeof(RecentResponse))]
[JsonSerializable(typeof(OverviewResponse))]
[JsonSerializable(typeof(CampaignDetailResponse))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
