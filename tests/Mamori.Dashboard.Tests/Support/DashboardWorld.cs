using System.Globalization;
using System.Net;
using Mamori.Events;
using Mamori.State;

namespace Mamori.Dashboard.Tests.Support;

/// <summary>
/// A real engine (LoginAssessor over InMemorySignalStore) and a feed, wired the way the server wires them: each event
/// is assessed, then published to the feed with its combined verdict.
/// </summary>
internal sealed class DashboardWorld
{
    public static readonly byte[] Pepper = "dashboard-test-pepper"u8.ToArray();

    public DashboardWorld(TimeProvider time, DecisionFeedOptions? feedOptions = null)
    {
        Time = time;
        Options = new MamoriOptions();
        Engine = new LoginAssessor(Options, new InMemorySignalStore(Options));
        Feed = new DecisionFeed(feedOptions ?? new DecisionFeedOptions());
    }

    public TimeProvider Time { get; }
    public MamoriOptions Options { get; }
    public LoginAssessor Engine { get; }
    public DecisionFeed Feed { get; }

    /// <summary>
    /// How the server publishes a login: as two items (its pre-auth decision, then its outcome) when set, with
    /// <see cref="FeedItem.RequestId"/> when <see cref="WithRequestIds"/>; otherwise one combined item per event.
    /// </summary>
    public bool TwoHalves { get; set; }

    /// <summary>Whether two-half logins carry a request id.</summary>
    public bool WithRequestIds { get; set; }

    private int _requests;

    /// <summary>Runs one event with a known outcome and publishes it as the server does after a decision.</summary>
    public async Task<EventAssessment> RunAsync(LoginAttempt attempt, LoginOutcome outcome)
    {
        EventAssessment result = await Engine.AssessEventAsync(new LoginEvent(attempt, outcome));
        if (TwoHalves)
        {
            string? id = WithRequestIds ? string.Create(CultureInfo.InvariantCulture, $"req-{++_requests:D6}") : null;
            Feed.Publish(new FeedItem(attempt.Timestamp, attempt.Account, NetworkText(attempt.Ip), null, result.PreAuth.Verdict, result.PreAuth.Score,
                result.PreAuth.Reasons, result.PreAuth.CampaignIds) { RequestId = id });
            Feed.Publish(new FeedItem(attempt.Timestamp, attempt.Account, NetworkText(attempt.Ip), outcome, result.Outcome.Verdict, result.Outcome.Score,
                result.Outcome.Reasons, result.Outcome.CampaignIds) { RequestId = id });
            return result;
        }
        Feed.Publish(new FeedItem(attempt.Timestamp, attempt.Account, NetworkText(attempt.Ip), outcome, result.Combined, result.Score,
            result.Outcome.Reasons.Count > 0 ? result.Outcome.Reasons : result.PreAuth.Reasons,
            result.PreAuth.CampaignIds.Union(result.Outcome.CampaignIds).ToArray()));
        return result;
    }

    /// <summary>
    /// A password spray: one password against <paramref name="accounts"/> accounts from a /24 in AS64500, one wrong
    /// attempt each, <paramref name="spacing"/> apart (advanced on <paramref name="advance"/> when the clock is fake).
    /// </summary>
    public async Task SprayAsync(int accounts, TimeSpan spacing, Action<TimeSpan>? advance = null, string prefix = "victim")
    {
        for (int i = 0; i < accounts; i++)
        {
            var attempt = new LoginAttempt
            {
                Timestamp = Time.GetUtcNow(),
                Account = string.Create(CultureInfo.InvariantCulture, $"{prefix}{i:D3}@example.jp"),
                Ip = new IPAddress([203, 0, 113, (byte)(10 + i % 8)]),
                Secret = SecretFingerprint.Compute(Pepper, "Spring2020!"),
                Asn = 64500,
                Country = "NL",
                UserAgent = "python-requests/2.31",
            };
            await RunAsync(attempt, LoginOutcome.WrongSecret);
            advance?.Invoke(spacing);
        }
    }

    /// <summary>An ordinary login of a user from home.</summary>
    public Task<EventAssessment> HomeLoginAsync(string account, string device, LoginOutcome outcome = LoginOutcome.Success) =>
        RunAsync(new LoginAttempt
        {
            Timestamp = Time.GetUtcNow(), Account = account, Ip = IPAddress.Parse("198.51.100.20"),
            Secret = SecretFingerprint.Compute(Pepper, "own-secret-" + account), Asn = 4713, Country = "JP",
            UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1",
            Device = device,
        }, outcome);

    private static string NetworkText(IPAddress ip) => (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
}
