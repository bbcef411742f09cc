using Mamori.Events;
using Mamori.Flows;
using Mamori.Flows.Storage;
using Mamori.Policy;

namespace Mamori.Server.Recording;

/// <summary>
/// Tells the money flows about a successful login the engine held up (answered <c>step_up</c> or <c>deny</c>), as an
/// <c>unfamiliar_login</c> account event: for <see cref="FlowsOptions.RecentRiskWindow"/> the account's contact and
/// withdrawal destinations cannot change and a destination added around it takes no withdrawal (the SBI Securities
/// path: log in with a stuffed password, change the destination, withdraw). The account's registered contact is told of
/// the login (<see cref="UnfamiliarLoginNotices"/>: at most one notice an hour, none for an old login shipped late).
/// </summary>
/// <remarks>
/// Before this the flows heard of such a login only if the caller posted it to <c>/v1/accounts/{id}/events</c>, which
/// nothing told them to do. A passed step-up does not clear it: SBI's attackers could pass what the sites asked then.
/// Flows have no tenant, so the event is recorded under the login's account id (see docs/flows.md). A failure here is
/// logged and does not change the login's answer: the decision is already committed.
/// </remarks>
internal sealed partial class FlowRiskFeed(IAccountRecordStore accounts, IAuditLog audit, UnfamiliarLoginNotices notices, ILogger<FlowRiskFeed> logger)
{
    /// <param name="answered">The engine's answer to the login: <c>step_up</c> or <c>deny</c> holds it up, anything else
    /// returns at once.</param>
    /// <param name="afterTheFact">The login was assessed after it happened (<c>/v1/login/events</c>): the answer did not
    /// gate it, so the holder's notice claims no second check and no refusal.</param>
    public async Task LoginHeldUpAsync(string requestId, LoginAttempt attempt, LoginOutcome outcome, Verdict answered, DateTimeOffset at,
        bool afterTheFact, CancellationToken ct)
    {
        if (outcome != LoginOutcome.Success || answered is not (Verdict.StepUp or Verdict.Deny)) return;
        try
        {
            DateTimeOffset? previous = await accounts.GetLatestEventAsync(attempt.Account, AccountEventType.UnfamiliarLogin, at, ct);
            await accounts.RecordEventAsync(attempt.Account, AccountEventType.UnfamiliarLogin, at, ct);
            await audit.AppendAsync(new AuditEntry(at, attempt.Account, "account_event", "unfamiliar_login", null,
                [FlowReason.RecentUnfamiliarLogin.ToWireName()], $"login {requestId} answered {answered.ToWireName()}"), ct);
            await notices.NotifyAsync(new HeldUpLogin(attempt.Account, at, Device(attempt.UserAgent), attempt.Country, attempt.Asn,
                afterTheFact ? HeldUpAnswer.AfterTheFact : answered == Verdict.Deny ? HeldUpAnswer.Refused : HeldUpAnswer.SecondCheck), previous, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.FeedFailed(logger, requestId, ex);
        }
    }

    /// <summary>What an event assessed after the fact was answered, for <see cref="LoginHeldUpAsync"/>: the stricter half,
    /// but a pre-auth <c>challenge</c> (a CAPTCHA during an attack) whose outcome was allowed holds nothing up. The
    /// events' combined verdict cannot say this: it writes <c>step_up</c> as <c>challenge</c>, as replay does.</summary>
    internal static Verdict Answered(EventAssessment result)
    {
        var stricter = (Verdict)Math.Max((byte)result.PreAuth.Verdict, (byte)result.Outcome.Verdict);
        return stricter == Verdict.Challenge ? result.Outcome.Verdict : stricter;
    }

    /// <summary>"Chrome on Windows" for the notice; null without a user agent, and the OS or browser alone when the other is unknown.</summary>
    internal static string? Device(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return null;
        Network.UserAgentInfo info = Network.UserAgentInfo.Parse(userAgent);
        bool browser = info.Browser is not ("other" or "none"), system = info.Os is not ("other" or "none");
        return browser && system ? $"{info.Browser} on {info.Os}" : browser ? info.Browser : system ? info.Os : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "Could not tell the money flows that login {RequestId} was held up; until it is reported (POST /v1/accounts/{{id}}/events) its account's withdrawal-destination and contact changes are judged without it.")]
        public static partial void FeedFailed(ILogger logger, string requestId, Exception exception);
    }
}
