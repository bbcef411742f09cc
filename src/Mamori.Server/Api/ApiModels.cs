using System.Text.Json.Serialization;

namespace Mamori.Server.Api;

// Wire shapes of the HTTP API. Every request field is nullable so that a missing field is reported by name by
// RequestValidation (a `required` member would fail inside the serializer with a less precise message).
// Names are snake_case through MamoriJsonContext; unknown members are refused there too.

/// <summary><c>POST /v1/login/assess</c>.</summary>
public sealed record AssessRequest
{
    /// <summary>The login identifier as the operator knows it.</summary>
    public string? Account { get; init; }
    /// <summary>Client address, IPv4 or IPv6.</summary>
    public string? Ip { get; init; }
    /// <summary>User-Agent header.</summary>
    public string? UserAgent { get; init; }
    /// <summary>The operator's device id, or a Mamori device token (<c>mdt1.…</c>).</summary>
    public string? Device { get; init; }
    /// <summary>16 hex digits: HMAC-SHA256(pepper, secret) truncated to 8 bytes.</summary>
    public string? SecretFp { get; init; }
    /// <summary>Tenant id.</summary>
    public string? Tenant { get; init; }
    /// <summary>Autonomous system number.</summary>
    public int? Asn { get; init; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; init; }
    /// <summary>When the attempt happened (RFC 3339); defaults to now.</summary>
    public DateTimeOffset? Ts { get; init; }
}

/// <summary><c>POST /v1/login/outcome</c>.</summary>
public sealed record OutcomeRequest
{
    /// <summary>The id the assess call answered with.</summary>
    public string? RequestId { get; init; }
    /// <summary><c>success</c>, <c>wrong_secret</c>, <c>unknown_account</c> or <c>locked</c>.</summary>
    public string? Outcome { get; init; }
    /// <summary>The caller's breach check found the password in a breach corpus.</summary>
    public bool? Breached { get; init; }
    /// <summary>How often the corpus saw it.</summary>
    public long? BreachCount { get; init; }
}

/// <summary>One element of <c>POST /v1/login/events</c>: an attempt whose outcome is known.</summary>
public sealed record LoginEventRequest
{
    /// <summary>See <see cref="AssessRequest.Account"/>.</summary>
    public string? Account { get; init; }
    /// <summary>See <see cref="AssessRequest.Ip"/>.</summary>
    public string? Ip { get; init; }
    /// <summary>See <see cref="AssessRequest.UserAgent"/>.</summary>
    public string? UserAgent { get; init; }
    /// <summary>See <see cref="AssessRequest.Device"/>.</summary>
    public string? Device { get; init; }
    /// <summary>See <see cref="AssessRequest.SecretFp"/>.</summary>
    public string? SecretFp { get; init; }
    /// <summary>See <see cref="AssessRequest.Tenant"/>.</summary>
    public string? Tenant { get; init; }
    /// <summary>See <see cref="AssessRequest.Asn"/>.</summary>
    public int? Asn { get; init; }
    /// <summary>See <see cref="AssessRequest.Country"/>.</summary>
    public string? Country { get; init; }
    /// <summary>See <see cref="AssessRequest.Ts"/>.</summary>
    public DateTimeOffset? Ts { get; init; }
    /// <summary>See <see cref="OutcomeRequest.Outcome"/>.</summary>
    public string? Outcome { get; init; }
    /// <summary>See <see cref="OutcomeRequest.Breached"/>.</summary>
    public bool? Breached { get; init; }
    /// <summary>See <see cref="OutcomeRequest.BreachCount"/>.</summary>
    public long? BreachCount { get; init; }

    internal AssessRequest ToAssess() => new()
    {
        Account = Account, Ip = Ip, UserAgent = UserAgent, Device = Device, SecretFp = SecretFp, Tenant = Tenant, Asn = Asn, Country = Country, Ts = Ts,
    };
}

/// <summary><c>POST /v1/login/step-up</c>: the caller ran a second factor after an outcome answered <c>step_up</c>.</summary>
public sealed record StepUpRequest
{
    /// <summary>The request id of the login.</summary>
    public string? RequestId { get; init; }
    /// <summary>Whether the second factor passed.</summary>
    public bool? Passed { get; init; }
}

/// <summary><c>POST /v1/password/change</c>.</summary>
public sealed record PasswordChangeRequest
{
    /// <summary>The account changing its password.</summary>
    public string? Account { get; init; }
    /// <summary>Tenant id.</summary>
    public string? Tenant { get; init; }
    /// <summary>The caller's breach check found the new password in a breach corpus.</summary>
    public bool? Breached { get; init; }
    /// <summary>How often the corpus saw it.</summary>
    public long? BreachCount { get; init; }
}

/// <summary>A reason: stable code and a sentence.</summary>
public sealed record ReasonDto(string Code, string Message);

/// <summary>Answer of <c>/v1/login/assess</c>.</summary>
public sealed record AssessResponse(string RequestId, string Decision, double Score, IReadOnlyList<ReasonDto> Reasons, IReadOnlyList<string> CampaignIds);

/// <summary>Answer of <c>/v1/login/outcome</c>.</summary>
public sealed record OutcomeResponse(string RequestId, string Decision, double Score, IReadOnlyList<ReasonDto> Reasons, IReadOnlyList<string> CampaignIds)
{
    /// <summary>A signed device token when the device is trusted; send it back as <c>device</c> next time.</summary>
    public string? DeviceToken { get; init; }
    /// <summary><c>true</c> when the password was reported breached: the account is now flagged and must change it.</summary>
    public bool? PasswordChangeRequired { get; init; }
}

/// <summary>One event's answer on <c>/v1/login/events</c>.</summary>
public sealed record EventResponse(string RequestId, string Decision, string PreAuthDecision, string OutcomeDecision, double Score, IReadOnlyList<ReasonDto> Reasons, IReadOnlyList<string> CampaignIds);

/// <summary>Answer of <c>/v1/login/step-up</c>.</summary>
public sealed record StepUpResponse(string RequestId, bool Trusted)
{
    /// <summary>The device id now trusted (minted when the login carried none).</summary>
    public string? Device { get; init; }
    /// <summary>Signed device token for that device.</summary>
    public string? DeviceToken { get; init; }
    /// <summary>When the token expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>Answer of <c>/v1/password/change</c>.</summary>
public sealed record PasswordChangeResponse(string RequestId, string Decision, double Score, IReadOnlyList<ReasonDto> Reasons);

/// <summary>A source and its attempts.</summary>
public sealed record SourceCountDto(string Source, long Attempts);

/// <summary>A success during a campaign.</summary>
public sealed record CampaignSuccessDto(string Account, DateTimeOffset At, string Ip, string Decision);

/// <summary>A campaign.</summary>
public sealed record CampaignDto
{
    /// <summary>Id.</summary>
    public required string Id { get; init; }
    /// <summary>Kind wire name.</summary>
    public required string Kind { get; init; }
    /// <summary>Tenant.</summary>
    public string? Tenant { get; init; }
    /// <summary>First attempt.</summary>
    public required DateTimeOffset FirstSeen { get; init; }
    /// <summary>Latest attempt.</summary>
    public required DateTimeOffset LastSeen { get; init; }
    /// <summary>Still open.</summary>
    public required bool Open { get; init; }
    /// <summary>Attempts.</summary>
    public required long Attempts { get; init; }
    /// <summary>Distinct accounts (estimate).</summary>
    public required long AccountsTargeted { get; init; }
    /// <summary>Distinct addresses (estimate).</summary>
    public required long DistinctIps { get; init; }
    /// <summary>Likely takeovers.</summary>
    public required IReadOnlyList<CampaignSuccessDto> Successes { get; init; }
    /// <summary>Heaviest /24s.</summary>
    public required IReadOnlyList<SourceCountDto> TopSubnets { get; init; }
    /// <summary>Heaviest ASNs.</summary>
    public required IReadOnlyList<SourceCountDto> TopAsns { get; init; }
    /// <summary>Heaviest addresses.</summary>
    public required IReadOnlyList<SourceCountDto> TopIps { get; init; }
    /// <summary>Opaque ids of the sprayed secrets.</summary>
    public required IReadOnlyList<string> SecretIds { get; init; }
}

/// <summary>Answer of <c>GET /v1/campaigns</c>.</summary>
/// <param name="Campaigns">Newest first.</param>
/// <param name="ArchiveUnavailable">True when storage could not be read: the list holds only the live campaigns.</param>
public sealed record CampaignListResponse(IReadOnlyList<CampaignDto> Campaigns, bool? ArchiveUnavailable = null);

/// <summary>A device of an account.</summary>
public sealed record DeviceDto(string Device, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, bool Trusted, DateTimeOffset? TrustedAt);

/// <summary>A recent decision about an account.</summary>
public sealed record AccountEventDto(DateTimeOffset Time, string RequestId, string Kind, string? Ip, string? Device, string? Outcome, string Decision, double Score, IReadOnlyList<ReasonDto> Reasons);

/// <summary>Answer of <c>GET /v1/accounts/{id}</c>.</summary>
public sealed record AccountResponse(string Account, string? Tenant, IReadOnlyList<DeviceDto> Devices, IReadOnlyList<AccountEventDto> RecentEvents)
{
    /// <summary>The account logged in with a breached password and has not changed it since.</summary>
    public bool PasswordChangeRequired { get; init; }
    /// <summary>Since when it has been flagged.</summary>
    public DateTimeOffset? PasswordChangeRequiredSince { get; init; }
    /// <summary>
    /// Funding sources and withdrawal destinations of the same account id in the money flows (which have no tenant);
    /// absent when the flows store could not be read.
    /// </summary>
    public IReadOnlyList<LinkDto>? Links { get; init; }
    /// <summary>Until when wrong codes block the account's step-ups (the flows' verification limit); absent when they do
    /// not, or when the flows could not be read. <c>DELETE /v1/accounts/{id}/factors/failures</c> lifts it.</summary>
    public DateTimeOffset? StepUpsBlockedUntil { get; init; }
}

/// <summary>A funding source (<c>funding</c>) or withdrawal destination (<c>withdrawal_destination</c>); the account number is masked.</summary>
public sealed record LinkDto(string Id, string Kind, string Bank, string MaskedAccount, string State, DateTimeOffset Created);

/// <summary>Answer of <c>POST</c> (freeze) and <c>DELETE</c> (unfreeze) <c>/v1/accounts/{id}/links/{link}/freeze</c>.</summary>
/// <param name="Changed">False when it was in that state already (both calls are idempotent).</param>
public sealed record LinkFreezeResponse(string Account, LinkDto Link, bool Changed);

/// <summary>Answer of <c>DELETE /v1/accounts/{id}/factors/failures</c>.</summary>
/// <param name="Cleared">False when the account had no failed verifications in an open window (the call is idempotent).</param>
public sealed record VerificationFailuresResponse(string Account, bool Cleared);

/// <summary>Answer of <c>POST</c> / <c>DELETE /v1/accounts/{id}/step-up</c>.</summary>
public sealed record StepUpRequestResponse(string Account, string? Tenant, bool StepUpRequested);

/// <summary>Answer of the device trust endpoints.</summary>
public sealed record DeviceTrustResponse(string Account, string? Tenant, string Device, bool Trusted);

/// <summary>Answer of <c>GET /healthz</c>.</summary>
public sealed record HealthResponse(string Status, IReadOnlyList<string> Reasons, string? BreachCorpus = null);

/// <summary>Source-generated serializers: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    // {"account":"a","account":"b"} means nothing certain: one proxy reads the first, another the last.
    AllowDuplicateProperties = false,
    MaxDepth = 8)]
[JsonSerializable(typeof(AssessRequest))]
[JsonSerializable(typeof(OutcomeRequest))]
[JsonSerializable(typeof(LoginEventRequest))]
[JsonSerializable(typeof(List<LoginEventRequest>))]
[JsonSerializable(typeof(StepUpRequest))]
[JsonSerializable(typeof(PasswordChangeRequest))]
[JsonSerializable(typeof(AssessResponse))]
[JsonSerializable(typeof(OutcomeResponse))]
[JsonSerializable(typeof(EventResponse))]
[JsonSerializable(typeof(List<EventResponse>))]
[JsonSerializable(typeof(StepUpResponse))]
[JsonSerializable(typeof(PasswordChangeResponse))]
[JsonSerializable(typeof(CampaignDto))]
[JsonSerializable(typeof(CampaignListResponse))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(DeviceTrustResponse))]
[JsonSerializable(typeof(LinkFreezeResponse))]
[JsonSerializable(typeof(VerificationFailuresResponse))]
[JsonSerializable(typeof(StepUpRequestResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ReasonDto[]))]
[JsonSerializable(typeof(List<ReasonDto>))]
[JsonSerializable(typeof(string[]))]
public sealed partial class MamoriJsonContext : JsonSerializerContext;
