using Mamori.Events;
using Mamori.Policy;

namespace Mamori.Dashboard;

/// <summary>One decision as the dashboard shows it: who, from where, what was decided and why.</summary>
/// <remarks>
/// Deliberately free of secrets: it has no secret fingerprint, no device id or token, no API key and no
/// request body. The feed is streamed to browsers and kept in memory, so anything here is as exposed as a screen.
/// </remarks>
/// <param name="Time">When the attempt happened (the event's own timestamp).</param>
/// <param name="Account">The login identifier as the operator knows it.</param>
/// <param name="Ip">The client address, as text.</param>
/// <param name="Outcome">The login's outcome when known (null for a pre-auth decision).</param>
/// <param name="Decision">The verdict returned to the caller.</param>
/// <param name="Score">Risk in [0, 1].</param>
/// <param name="Reasons">Why, strongest first (codes and the engine's messages, which never carry secrets).</param>
/// <param name="CampaignIds">Campaigns the attempt was counted in.</param>
public sealed record FeedItem(
    DateTimeOffset Time,
    string Account,
    string Ip,
    LoginOutcome? Outcome,
    Verdict Decision,
    double Score,
    IReadOnlyList<Reason> Reasons,
    IReadOnlyList<string> CampaignIds)
{
    /// <summary>Tenant of a multi-tenant deployment; null for the default tenant.</summary>
    public string? Tenant { get; init; }

    /// <summary>The request id a login's halves share (its assess and its outcome); null when the publisher has none.</summary>
    /// <remarks>
    /// The feed counts a login once, not once per half: an item whose request id it has already seen continues that
    /// login. Without one, an outcome continues the latest unanswered pre-auth item of the same tenant, account and IP
    /// (see <see cref="DecisionFeed"/>), which is right unless one account logs in twice at once from one address.
    /// </remarks>
    public string? RequestId { get; init; }
}
