using System.Globalization;
using System.Text.Json;
using Mamori.Events;
using Mamori.Policy;
using Mamori.Server.Api;
using Mamori.Storage;
using Microsoft.Extensions.Options;

namespace Mamori.Server.Recording;

/// <summary>
/// Makes every decision durable before it is answered, and answers by the failure policy when it cannot be.
/// </summary>
/// <remarks>
/// A decision is acknowledged only after its batch is committed (acknowledged = durable). If the commit throws, or
/// takes longer than <see cref="ServerSettings.StorageTimeout"/>, the answer gets a <c>storage_unavailable</c>
/// reason and the configured <see cref="FailMode"/>: fail_open keeps the verdict, fail_challenge raises an allow to a
/// challenge (pre-auth) or a step-up (successful outcome). /healthz turns degraded until a commit succeeds again.
/// </remarks>
public sealed partial class DecisionRecorder
{
    /// <summary>Health component name.</summary>
    public const string Component = "storage";

    private readonly BatchingDecisionWriter _writer;
    private readonly HealthState _health;
    private readonly ServerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<DecisionRecorder> _logger;
    private readonly TimeSpan _timeout;
    private readonly FailMode _failMode;
    private readonly Mamori.Dashboard.DecisionFeed? _feed;

    /// <summary>Creates the recorder.</summary>
    public DecisionRecorder(BatchingDecisionWriter writer, HealthState health, ServerMetrics metrics, TimeProvider time,
        IOptions<ServerSettings> settings, IOptions<MamoriOptions> options, ILogger<DecisionRecorder> logger, Mamori.Dashboard.DecisionFeed? feed = null)
    {
        _writer = writer; _health = health; _metrics = metrics; _time = time; _logger = logger; _feed = feed;
        _timeout = settings.Value.StorageTimeout;
        _failMode = options.Value.FailMode;
    }

    /// <summary>Stores the decision; returns it, or the failure policy's answer when storage failed.</summary>
    /// <param name="record">The audit record (built by <see cref="Record"/>).</param>
    /// <param name="decision">The engine's decision.</param>
    /// <param name="phase">Pre-auth decisions fail to challenge; successful outcomes to step-up.</param>
    /// <param name="cancellationToken">The request's token.</param>
    public Task<Decision> CommitAsync(DecisionRecord record, Decision decision, FailurePhase phase, CancellationToken cancellationToken) =>
        CommitAsync(record, decision, phase, record.Time, cancellationToken);

    /// <summary>Commits as above; the dashboard's feed shows the decision at <paramref name="eventTime"/>, the login's own
    /// time (a shipped log's logins belong to last night's minutes, not to the minute they were imported).</summary>
    public async Task<Decision> CommitAsync(DecisionRecord record, Decision decision, FailurePhase phase, DateTimeOffset eventTime,
        CancellationToken cancellationToken)
    {
        try
        {
            await _writer.WriteAsync(record, cancellationToken).WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
            if (_health.IsFailing(Component))
            {
                _health.Recover(Component);
                if (ShouldLog()) Log.StorageRecovered(_logger);
            }
            Publish(record, decision, eventTime);
            return decision;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _metrics.StorageFailure();
            string why = ex is TimeoutException ? $"a commit took longer than {_timeout.TotalMilliseconds:0} ms" : $"writes fail ({ex.GetType().Name}: {FirstLine(ex.Message)})";
            if (!_health.IsFailing(Component) && ShouldLog()) Log.StorageFailed(_logger, ex.GetType().Name, ex);
            _health.Fail(Component, why);
            Decision answered = ApplyFailMode(decision, phase, _failMode, ex is TimeoutException ? _timeout : null);
            Publish(record, answered, eventTime);
            return answered;
        }
    }

    /// <summary>Shows the decision on the dashboard's live feed (no secret, fingerprint or token is in a feed item).</summary>
    private void Publish(DecisionRecord record, Decision decision, DateTimeOffset eventTime)
    {
        if (_feed is null || record.Kind == "password_change") return;
        LoginOutcome? outcome = record.Outcome is not null && LoginOutcomeNames.TryParse(record.Outcome, out LoginOutcome parsed) ? parsed : null;
        _feed.Publish(new Mamori.Dashboard.FeedItem(eventTime, record.Account, record.Ip ?? "", outcome, decision.Verdict, decision.Score,
            decision.Reasons, decision.CampaignIds) { Tenant = record.Tenant, RequestId = record.RequestId });
    }

    /// <summary>The failure policy applied to a decision that could not be stored, or (<paramref name="unconfirmedAfter"/>
    /// set) whose commit did not confirm in time: that one may still land, and its answer must not claim otherwise.</summary>
    public static Decision ApplyFailMode(Decision decision, FailurePhase phase, FailMode mode, TimeSpan? unconfirmedAfter = null)
    {
        Verdict raised = mode == FailMode.FailOpen ? decision.PolicyVerdict : (phase, decision.PolicyVerdict) switch
        {
            (FailurePhase.PreAuth, Verdict.Allow) => Verdict.Challenge,
            (FailurePhase.Success, Verdict.Allow) => Verdict.StepUp,
            (_, Verdict v) => v,
        };
        bool monitorOnly = decision.Verdict == Verdict.Allow && decision.PolicyVerdict != Verdict.Allow;
        string policy = mode == FailMode.FailOpen ? "fail_open" : "fail_challenge";
        var reasons = new List<Reason>(decision.Reasons.Count + 1)
        {
            new(ReasonCode.StorageUnavailable, unconfirmedAfter is TimeSpan wait
                ? string.Create(CultureInfo.InvariantCulture, $"Durable storage did not confirm this decision within {wait.TotalMilliseconds:0} ms (it may still be written), so it follows the failure policy ({policy}).")
                : $"Durable storage failed, so this decision was not recorded; it follows the failure policy ({policy})."),
        };
        reasons.AddRange(decision.Reasons);
        return decision with
        {
            Verdict = monitorOnly ? Verdict.Allow : raised,
            PolicyVerdict = raised,
            Score = mode == FailMode.FailOpen ? decision.Score : Math.Max(decision.Score, 0.5),
            Reasons = reasons,
        };
    }

    /// <summary>Builds the audit record of a decision (never with the secret fingerprint).</summary>
    public static DecisionRecord Record(string requestId, string kind, LoginAttempt? attempt, string account, string? tenant, LoginOutcome? outcome,
        Decision decision, DateTimeOffset at) => new()
    {
        Time = at, RequestId = requestId, Kind = kind, Account = account, Tenant = tenant,
        Ip = attempt is null ? null : (attempt.Ip.IsIPv4MappedToIPv6 ? attempt.Ip.MapToIPv4() : attempt.Ip).ToString(),
        Device = attempt?.Device, Outcome = outcome?.ToWireName(),
        Decision = decision.Verdict.ToWireName(), Score = decision.Score,
        // Most logins have no reason and no campaign: skip the serializer for them.
        ReasonsJson = decision.Reasons.Count == 0 ? "[]" : JsonSerializer.Serialize(ApiMapping.Reasons(decision), MamoriJsonContext.Default.ListReasonDto),
        CampaignIdsJson = decision.CampaignIds.Count == 0 ? "[]" : JsonSerializer.Serialize(decision.CampaignIds.ToArray(), MamoriJsonContext.Default.StringArray),
    };

    // A disk at its limit flaps between slow and fine; one line per flap would flood the console (whose queue then
    // blocks request threads). Transitions are logged at most once per interval; /healthz and /metrics show the rest.
    private bool ShouldLog()
    {
        long now = _time.GetTimestamp();
        long last = Interlocked.Read(ref _lastLog);
        if (last != 0 && _time.GetElapsedTime(last, now) < LogInterval) return false;
        return Interlocked.CompareExchange(ref _lastLog, now, last) == last;
    }

    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(30);
    private long _lastLog;

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        string line = end < 0 ? message : message[..end];
        return line.Length > 200 ? line[..200] : line;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "Storage failed ({ErrorType}); decisions follow the failure policy until it recovers.")]
        public static partial void StorageFailed(ILogger logger, string errorType, Exception exception);

        [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Storage recovered; decisions are durable again.")]
        public static partial void StorageRecovered(ILogger logger);
    }
}

/// <summary>Where in a login a decision falls, for the failure policy.</summary>
public enum FailurePhase : byte
{
    /// <summary>Before the secret is checked: an allow becomes a challenge.</summary>
    PreAuth,
    /// <summary>A successful outcome: an allow becomes a step-up.</summary>
    Success,
    /// <summary>A failed outcome or an administrative action: the verdict stands.</summary>
    Other,
}
