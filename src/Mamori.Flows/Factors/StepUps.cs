using System.Globalization;
using Mamori.Flows.Security;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Factors;

/// <summary>What a successful step-up returns to the caller.</summary>
internal sealed record StepUpResult(string? DeviceToken, DateTimeOffset? DeviceTokenExpiresAt);

/// <summary>Records successful step-ups (what the money flows check for freshness) and issues trusted-device tokens.</summary>
internal sealed class StepUps(IAccountRecordStore accounts, IAuditLog audit, DeviceTokens tokens, TimeSpan tokenLifetime, LoginAssessor? assessor)
{
    /// <param name="factorId">The factor verified (a TOTP factor, recovery code or one-time-code challenge id), for the audit.</param>
    /// <param name="droppedEnrollments">When the verification confirmed a new factor: how many other unconfirmed enrolments went.</param>
    public async Task<StepUpResult> RecordAsync(string account, string method, bool moneyGrade, string? trustDevice, string? factorId, int? droppedEnrollments,
        DateTimeOffset now, CancellationToken ct)
    {
        await accounts.RecordStepUpAsync(account, method, moneyGrade, now, ct);
        var reasons = new List<string> { FlowReason.FactorVerified.ToWireName() };
        if (droppedEnrollments is not null) reasons.Add(FlowReason.FactorConfirmed.ToWireName());
        StepUpResult result = new(null, null);
        if (trustDevice is not null)
        {
            DateTimeOffset expires = now + tokenLifetime;
            result = new StepUpResult(tokens.Issue(account, trustDevice, expires), expires);
            // The login engine learns the device too, so the next login from it is familiar (LoginAssessor is optional in DI).
            if (assessor is not null) await assessor.SetDeviceTrustAsync(account, null, trustDevice, true, now, ct);
            reasons.Add(FlowReason.DeviceTrusted.ToWireName());
        }
        string detail = moneyGrade ? "money_grade" : "not_money_grade";
        if (factorId is not null) detail += "; factor: " + factorId;
        if (droppedEnrollments is { } dropped) detail += "; unconfirmed enrolments dropped: " + dropped.ToString(CultureInfo.InvariantCulture);
        await audit.AppendAsync(new AuditEntry(now, account, "step_up", method, FlowVerdict.Allow.ToWireName(), reasons, detail), ct);
        return result;
    }

    public async Task RecordFailureAsync(string account, string method, FlowReason reason, string? factorId, DateTimeOffset now, CancellationToken ct) =>
        await audit.AppendAsync(new AuditEntry(now, account, "step_up", method, FlowVerdict.Deny.ToWireName(), [reason.ToWireName()],
            factorId is null ? null : "factor: " + factorId), ct);

    /// <summary>True when a money-grade step-up happened within <paramref name="freshness"/> before <paramref name="now"/>.</summary>
    public async Task<bool> IsFreshAsync(string account, TimeSpan freshness, DateTimeOffset now, CancellationToken ct) =>
        await accounts.GetLatestStepUpAsync(account, ct) is { } last && now - last <= freshness && last <= now;

    /// <summary>True when a step-up of any grade (a recovery code's included) happened within <paramref name="freshness"/>.</summary>
    public async Task<bool> IsFreshOfAnyGradeAsync(string account, TimeSpan freshness, DateTimeOffset now, CancellationToken ct) =>
        await accounts.GetLatestStepUpOfAnyGradeAsync(account, ct) is { } last && now - last <= freshness && last <= now;
}
