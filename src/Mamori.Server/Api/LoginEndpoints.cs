using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using Mamori.Events;
using Mamori.Policy;
using Mamori.Server.Auth;
using Mamori.Server.Recording;
using Mamori.Storage;

namespace Mamori.Server.Api;

/// <summary>A pre-auth assessment awaiting its outcome.</summary>
/// <param name="PreAuth">The engine's pre-auth half.</param>
public sealed record PendingLogin(PreAuthAssessment PreAuth);

/// <summary>A successful login awaiting the result of its step-up.</summary>
/// <param name="Attempt">The attempt that succeeded.</param>
public sealed record PendingStepUp(LoginAttempt Attempt);

/// <summary>The login endpoints (scope <c>assess</c>): assess, outcome, events, step-up, password change.</summary>
internal static class LoginEndpoints
{
    private static readonly MamoriJsonContext s_json = MamoriJsonContext.Default;

    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder login = app.MapGroup("/v1/login").RequireAuthorization(ApiKeyDefaults.AssessPolicy).WithTags("login");
        login.MapPost("/assess", AssessAsync).WithName("AssessLogin")
            .Accepts<AssessRequest>("application/json").Produces<AssessResponse>().ProducesProblem(400).ProducesProblem(413)
            .WithSummary("Pre-auth assessment, before the caller checks the secret.");
        login.MapPost("/outcome", OutcomeAsync).WithName("RecordOutcome")
            .Accepts<OutcomeRequest>("application/json").Produces<OutcomeResponse>().ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The outcome of an assessed login: allow, step_up or deny.");
        login.MapPost("/events", EventsAsync).WithName("AssessEvents")
            .Accepts<List<LoginEventRequest>>("application/json").Produces<List<EventResponse>>().ProducesProblem(400).ProducesProblem(413)
            .WithSummary("One event or a batch of up to 1,000 whose outcome is already known (log shipping).");
        login.MapPost("/step-up", StepUpAsync).WithName("ReportStepUp")
            .Accepts<StepUpRequest>("application/json").Produces<StepUpResponse>().ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The result of a step-up the outcome asked for; a pass trusts the device and returns a device token.");
        app.MapPost("/v1/password/change", PasswordChangeAsync).RequireAuthorization(ApiKeyDefaults.AssessPolicy).WithTags("login")
            .WithName("AssessPasswordChange").Accepts<PasswordChangeRequest>("application/json").Produces<PasswordChangeResponse>().ProducesProblem(400)
            .WithSummary("A password change: denied when the new password is breached (NIST SP 800-63B).");
    }

    /// <summary>A new request id: 64 random bits, so ids cannot be guessed to complete someone else's login.</summary>
    public static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return "req_" + Convert.ToHexStringLower(bytes);
    }

    private static async Task<IResult> AssessAsync(HttpContext http, LoginAssessor assessor, DecisionRecorder recorder,
        PendingAssessments<PendingLogin> pending, DeviceTokens tokens, ServerMetrics metrics, TimeProvider time, Geo.IpGeoDatabase geo)
    {
        long started = Stopwatch.GetTimestamp();
        CancellationToken ct = http.RequestAborted;
        BodyResult<AssessRequest> body = await JsonBody.ReadAsync(http.Request, s_json.AssessRequest, JsonBody.SmallLimit, ct);
        if (body.Problem is not null) return body.Problem;
        DateTimeOffset now = time.GetUtcNow();
        if (!RequestValidation.TryAttempt(body.Value!, "", now, tokens, out LoginAttempt attempt, out IResult? problem)) return problem!;
        attempt = geo.Enrich(attempt);
        metrics.Attempt(attempt);

        PreAuthAssessment preAuth = await assessor.AssessAsync(attempt, ct);
        string id = NewRequestId();
        DecisionRecord record = DecisionRecorder.Record(id, "assess", attempt, attempt.Account, attempt.Tenant, null, preAuth.Decision, now);
        Decision decision = await recorder.CommitAsync(record, preAuth.Decision, FailurePhase.PreAuth, attempt.Timestamp, ct);
        pending.Add(id, new PendingLogin(preAuth));
        metrics.Decision(DecisionEndpoint.Assess, decision.Verdict);
        metrics.Latency(DecisionEndpoint.Assess, Stopwatch.GetElapsedTime(started));
        return TypedResults.Json(new AssessResponse(id, decision.Verdict.ToWireName(), decision.Score, ApiMapping.Reasons(decision), decision.CampaignIds), s_json.AssessResponse);
    }

    private static async Task<IResult> OutcomeAsync(HttpContext http, LoginAssessor assessor, DecisionRecorder recorder,
        PendingAssessments<PendingLogin> pending, PendingAssessments<PendingStepUp> stepUps, DeviceTokens tokens, ServerMetrics metrics,
        FlowRiskFeed flowRisk, TimeProvider time)
    {
        long started = Stopwatch.GetTimestamp();
        CancellationToken ct = http.RequestAborted;
        BodyResult<OutcomeRequest> body = await JsonBody.ReadAsync(http.Request, s_json.OutcomeRequest, JsonBody.SmallLimit, ct);
        if (body.Problem is not null) return body.Problem;
        OutcomeRequest r = body.Value!;
        if (!RequestValidation.TryRequestId(r.RequestId, out IResult? problem)) return problem!;
        if (!RequestValidation.TryOutcome(r.Outcome, "outcome", out LoginOutcome outcome, out problem)) return problem!;
        if (!RequestValidation.TryBreach(r.Breached, r.BreachCount, "", out OutcomeDetails details, out problem)) return problem!;
        // Taken only once every field is valid: a rejected request leaves the login waiting for a correct one.
        if (!pending.TryTake(r.RequestId!, out PendingLogin? login)) return Problems.UnknownRequest("request_id");

        DateTimeOffset now = time.GetUtcNow();
        LoginAttempt attempt = login.PreAuth.Attempt;
        Decision engine = await assessor.RecordOutcomeAsync(login.PreAuth, outcome, details, ct);
        bool success = outcome == LoginOutcome.Success;
        bool mustChange = MustChangePassword(success, details);
        DecisionRecord record = DecisionRecorder.Record(r.RequestId!, "outcome", attempt, attempt.Account, attempt.Tenant, outcome, engine, now)
            with { PasswordChangeRequired = mustChange ? true : null };
        Decision decision = await recorder.CommitAsync(record, engine, success ? FailurePhase.Success : FailurePhase.Other, attempt.Timestamp, ct);
        if (success && decision.Verdict == Verdict.StepUp) stepUps.Add(r.RequestId!, new PendingStepUp(attempt));
        await flowRisk.LoginHeldUpAsync(r.RequestId!, attempt, outcome, decision.Verdict, now, afterTheFact: false, ct);

        string? token = null;
        if (success && decision.Verdict == Verdict.Allow && attempt.Device is not null && decision.Has(ReasonCode.TrustedDevice))
            token = tokens.Issue(attempt.Account, attempt.Tenant, attempt.Device, now).Token;
        metrics.Decision(DecisionEndpoint.Outcome, decision.Verdict);
        metrics.Latency(DecisionEndpoint.Outcome, Stopwatch.GetElapsedTime(started));
        return TypedResults.Json(new OutcomeResponse(r.RequestId!, decision.Verdict.ToWireName(), decision.Score, ApiMapping.Reasons(decision), decision.CampaignIds)
        {
            DeviceToken = token,
            PasswordChangeRequired = mustChange ? true : null,
        }, s_json.OutcomeResponse);
    }

    private static async Task<IResult> EventsAsync(HttpContext http, LoginAssessor assessor, DecisionRecorder recorder, DeviceTokens tokens,
        ServerMetrics metrics, FlowRiskFeed flowRisk, TimeProvider time, Geo.IpGeoDatabase geo)
    {
        long started = Stopwatch.GetTimestamp();
        CancellationToken ct = http.RequestAborted;
        (byte[]? bytes, IResult? problem) = await JsonBody.ReadBytesAsync(http.Request, JsonBody.BatchLimit, ct);
        if (problem is not null) return problem;
        var sequence = new ReadOnlySequence<byte>(bytes!);
        bool batch = JsonBody.FirstByte(sequence) == (byte)'[';
        List<LoginEventRequest> requests;
        if (batch)
        {
            BodyResult<List<LoginEventRequest>> parsed = JsonBody.Parse(sequence, s_json.ListLoginEventRequest);
            if (parsed.Problem is not null) return parsed.Problem;
            requests = parsed.Value!;
            if (requests.Count == 0) return Problems.Invalid("$", "The batch is empty.");
            if (requests.Count > RequestValidation.MaxBatch)
                return Problems.Invalid("$", $"A batch holds at most {RequestValidation.MaxBatch:N0} events; this one has {requests.Count:N0}. Split it.");
        }
        else
        {
            BodyResult<LoginEventRequest> parsed = JsonBody.Parse(sequence, s_json.LoginEventRequest);
            if (parsed.Problem is not null) return parsed.Problem;
            requests = [parsed.Value!];
        }

        // Validate every event before the engine sees any: a batch is refused whole, so nothing of it is counted.
        DateTimeOffset now = time.GetUtcNow();
        var events = new (LoginAttempt Attempt, LoginOutcome Outcome, OutcomeDetails Details)[requests.Count];
        for (int i = 0; i < requests.Count; i++)
        {
            string prefix = batch ? $"[{i}]." : "";
            LoginEventRequest r = requests[i];
            if (r is null) return Problems.Invalid(batch ? $"[{i}]" : "$", "An event must be an object.");
            if (!RequestValidation.TryAttempt(r.ToAssess(), prefix, now, tokens, out LoginAttempt attempt, out problem)) return problem!;
            if (!RequestValidation.TryOutcome(r.Outcome, prefix + "outcome", out LoginOutcome outcome, out problem)) return problem!;
            if (!RequestValidation.TryBreach(r.Breached, r.BreachCount, prefix, out OutcomeDetails details, out problem)) return problem!;
            events[i] = (geo.Enrich(attempt), outcome, details);
        }

        // The engine runs in order (signals depend on it); the commits are awaited together, so one batch is one
        // transaction rather than one fsync per event.
        var assessed = new (string Id, EventAssessment Result, Task<Decision> Committed)[events.Length];
        for (int i = 0; i < events.Length; i++)
        {
            (LoginAttempt attempt, LoginOutcome outcome, OutcomeDetails details) = events[i];
            metrics.Attempt(attempt);
            EventAssessment result = await assessor.AssessEventAsync(new LoginEvent(attempt, outcome), details, ct);
            string id = NewRequestId();
            Decision combined = Combined(result);
            DecisionRecord record = DecisionRecorder.Record(id, "event", attempt, attempt.Account, attempt.Tenant, outcome, combined, now)
                with { PasswordChangeRequired = MustChangePassword(outcome == LoginOutcome.Success, details) ? true : null };
            assessed[i] = (id, result, recorder.CommitAsync(record, combined, outcome == LoginOutcome.Success ? FailurePhase.Success : FailurePhase.Other,
                attempt.Timestamp, ct));
        }
        var responses = new List<EventResponse>(assessed.Length);
        for (int i = 0; i < assessed.Length; i++)
        {
            (string id, EventAssessment result, Task<Decision> committed) = assessed[i];
            Decision decision = await committed;
            // On the login's own time: a shipped log's old login is past the flows' risk window and changes nothing.
            // The engine's answer, not the combined verdict (which writes step_up as challenge): a stepped-up success
            // shipped here was never recorded for the flows before.
            await flowRisk.LoginHeldUpAsync(id, events[i].Attempt, events[i].Outcome, FlowRiskFeed.Answered(result), events[i].Attempt.Timestamp,
                afterTheFact: true, ct);
            metrics.Decision(DecisionEndpoint.Event, decision.Verdict);
            responses.Add(new EventResponse(id, decision.Verdict.ToWireName(), result.PreAuth.Verdict.ToWireName(), result.Outcome.Verdict.ToWireName(),
                decision.Score, ApiMapping.Reasons(decision), decision.CampaignIds));
        }
        metrics.Latency(DecisionEndpoint.Event, Stopwatch.GetElapsedTime(started));
        return batch ? TypedResults.Json(responses, s_json.ListEventResponse) : TypedResults.Json(responses[0], s_json.EventResponse);
    }

    /// <summary>
    /// A login that succeeded with a password the caller found breached flags the account for a forced password change
    /// (issue: whoever holds that password can log in, whatever this login's verdict was).
    /// </summary>
    private static bool MustChangePassword(bool success, OutcomeDetails details) => success && details.Breached == true;

    /// <summary>One decision for an event: the stricter verdict (step_up written as challenge), with both halves' reasons.</summary>
    private static Decision Combined(EventAssessment result)
    {
        var reasons = new List<Reason>(result.PreAuth.Reasons.Count + result.Outcome.Reasons.Count);
        foreach (Reason r in result.Outcome.Reasons) reasons.Add(r);
        foreach (Reason r in result.PreAuth.Reasons)
            if (!reasons.Exists(x => x.Code == r.Code)) reasons.Add(r);
        var campaigns = result.PreAuth.CampaignIds.Union(result.Outcome.CampaignIds, StringComparer.Ordinal).ToArray();
        Verdict policy = (Verdict)Math.Max((byte)result.PreAuth.PolicyVerdict, (byte)result.Outcome.PolicyVerdict);
        return new Decision
        {
            Verdict = result.Combined, PolicyVerdict = policy == Verdict.StepUp ? Verdict.Challenge : policy,
            Score = result.Score, Reasons = reasons, CampaignIds = campaigns, Familiar = result.Outcome.Familiar,
        };
    }

    private static async Task<IResult> StepUpAsync(HttpContext http, LoginAssessor assessor, DecisionRecorder recorder, IAccountRecords accounts,
        PendingAssessments<PendingStepUp> stepUps, DeviceTokens tokens, ServerMetrics metrics, HealthState health, TimeProvider time)
    {
        long started = Stopwatch.GetTimestamp();
        CancellationToken ct = http.RequestAborted;
        BodyResult<StepUpRequest> body = await JsonBody.ReadAsync(http.Request, s_json.StepUpRequest, JsonBody.SmallLimit, ct);
        if (body.Problem is not null) return body.Problem;
        StepUpRequest r = body.Value!;
        if (!RequestValidation.TryRequestId(r.RequestId, out IResult? problem)) return problem!;
        if (r.Passed is not bool passed) return Problems.Invalid("passed", "Required: true when the second factor passed, false when it failed.");
        if (!stepUps.TryTake(r.RequestId!, out PendingStepUp? login)) return Problems.UnknownRequest("request_id");

        DateTimeOffset now = time.GetUtcNow();
        LoginAttempt attempt = login.Attempt;
        if (!passed)
        {
            // Whoever holds the password failed the second factor: the account's next success asks for it again, from
            // any device, until one passes. Else the same party, back on a second day, was let in once its device had
            // been learned (ADR 0044).
            await assessor.SetStepUpRequestedAsync(attempt.Account, attempt.Tenant, true, ct);
            var failed = new Decision
            {
                Verdict = Verdict.Deny, PolicyVerdict = Verdict.Deny, Score = 1,
                Reasons = [new Reason(ReasonCode.StepUpRequested, "The step-up failed; the login must not proceed.")],
            };
            await recorder.CommitAsync(DecisionRecorder.Record(r.RequestId!, "step_up", attempt, attempt.Account, attempt.Tenant, null, failed, now), failed, FailurePhase.Other, ct);
            metrics.Decision(DecisionEndpoint.StepUp, Verdict.Deny);
            metrics.Latency(DecisionEndpoint.StepUp, Stopwatch.GetElapsedTime(started));
            return TypedResults.Json(new StepUpResponse(r.RequestId!, Trusted: false), s_json.StepUpResponse);
        }

        // A login without a device id gets one minted here; the token carries it from now on.
        string device = attempt.Device ?? "dev_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        try
        {
            await accounts.SetDeviceTrustAsync(attempt.Account, attempt.Tenant, device, true, now, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Trust still holds in memory and in the signed token; only its durable copy is missing.
            health.Fail(DecisionRecorder.Component, $"writing device trust failed ({ex.GetType().Name})");
        }
        await assessor.SetDeviceTrustAsync(attempt.Account, attempt.Tenant, device, true, now, ct);
        // An operator's "step-up at next login" is satisfied by this one; the login after it is judged normally.
        await assessor.SetStepUpRequestedAsync(attempt.Account, attempt.Tenant, false, ct);
        var trusted = new Decision
        {
            Verdict = Verdict.Allow, PolicyVerdict = Verdict.Allow, Score = 0,
            Reasons = [new Reason(ReasonCode.TrustedDevice, "The step-up passed; the device is now trusted for this account.")],
        };
        DecisionRecord record = DecisionRecorder.Record(r.RequestId!, "step_up", attempt with { Device = device }, attempt.Account, attempt.Tenant, null, trusted, now);
        await recorder.CommitAsync(record, trusted, FailurePhase.Other, ct);
        (string token, DateTimeOffset expires) = tokens.Issue(attempt.Account, attempt.Tenant, device, now);
        metrics.Decision(DecisionEndpoint.StepUp, Verdict.Allow);
        metrics.Latency(DecisionEndpoint.StepUp, Stopwatch.GetElapsedTime(started));
        return TypedResults.Json(new StepUpResponse(r.RequestId!, Trusted: true) { Device = device, DeviceToken = token, ExpiresAt = expires }, s_json.StepUpResponse);
    }

    private static async Task<IResult> PasswordChangeAsync(HttpContext http, DecisionRecorder recorder, ServerMetrics metrics, TimeProvider time)
    {
        long started = Stopwatch.GetTimestamp();
        CancellationToken ct = http.RequestAborted;
        BodyResult<PasswordChangeRequest> body = await JsonBody.ReadAsync(http.Request, s_json.PasswordChangeRequest, JsonBody.SmallLimit, ct);
        if (body.Problem is not null) return body.Problem;
        PasswordChangeRequest r = body.Value!;
        if (!RequestValidation.Text(r.Account, "account", LoginAttemptLimits.MaxAccountLength, required: true, out IResult? problem)) return problem!;
        if (!RequestValidation.Text(r.Tenant, "tenant", LoginAttemptLimits.MaxTenantLength, required: false, out problem)) return problem!;
        if (r.Breached is not bool breached) return Problems.Invalid("breached", "Required: the result of the caller's breach check of the new password.");
        if (r.BreachCount is < 0) return Problems.Invalid("breach_count", "Must not be negative.");
        if (breached && r.BreachCount == 0) return Problems.Invalid("breach_count", "A password found in a breach corpus was seen at least once: send 1 or more, or leave it out.");

        DateTimeOffset now = time.GetUtcNow();
        Decision engine = LoginAssessor.AssessPasswordChange(breached, r.BreachCount);
        string id = NewRequestId();
        // An accepted change clears a forced-change flag in the same transaction as its record; a refused one leaves it.
        DecisionRecord record = DecisionRecorder.Record(id, "password_change", null, r.Account!, r.Tenant, null, engine, now)
            with { PasswordChangeRequired = engine.Verdict == Verdict.Allow ? false : null };
        Decision decision = await recorder.CommitAsync(record, engine, FailurePhase.Other, ct);
        metrics.Decision(DecisionEndpoint.PasswordChange, decision.Verdict);
        metrics.Latency(DecisionEndpoint.PasswordChange, Stopwatch.GetElapsedTime(started));
        return TypedResults.Json(new PasswordChangeResponse(id, decision.Verdict.ToWireName(), decision.Score, ApiMapping.Reasons(decision)), s_json.PasswordChangeResponse);
    }
}
