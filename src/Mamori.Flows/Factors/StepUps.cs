using Mamori.Flows.Security;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Factors;

/// <summary>What a successful step-up returns to the caller.</summary>
internal sealed record StepUpResult(string? DeviceToken, DateTimeOffset? DeviceTokenExpiresAt);

/// <summary>Records successful step-ups (what the money flows check for freshness) and issues trusted-device tokens.</summary>
internal sealed class StepUps(IAccountRecordStore accounts, IAuditLog audit, DeviceTokens tokens, TimeSpan tokenLifetime, LoginAssessor? assessor)
{
    public async Task<StepUpResult> RecordAsync(string account, string method, bool moneyGrade, string? trustDevice, DateTimeOffset now, CancellationToken ct)
    {
        await accounts.RecordStepUpAsync(account, method, moneyGrade, now, ct);
        var reasons = new List<string> { FlowReason.FactorVerified.ToWireName() };
        StepUpResult result = new(null, null);
        if (trustDevice is not null)
        {
            DateTimeOffset expires = now + tokenLifetime;
            result = new StepUpResult(tokens.Issue(account, trustDevice, expires), expires);
            // The login engine learns the device too, so the next login from it is familiar (LoginAssessor is optional in DI).
            if (assessor is not null) await assessor.SetDeviceTrustAsync(account, null, trustDevice, true, now, ct);
            reasons.Add(FlowReason.DeviceTrusted.ToWireName());
        }
        await audit.AppendAsync(new AuditEntry(now, account, "step_up", method, FlowVerdict.Allow.ToWireName(), reasons,
            moneyGrade ? "money_grade" : "not_money_grade"), ct);
        return result;
    }

    public async Task RecordFailureAsync(string account, string method, FlowReason reason, DateTimeOffset now, CancellationToken ct) =>
        await audit.AppendAsync(new AuditEntry(now, account, "step_up", method, FlowVerdict.Deny.ToWireName(), [reason.ToWireName()], null), ct);

    /// <summary>True when a money-grade step-up happened within <paramref name="freshness"/> before <paramref name="now"/>.</summary>
    public async Task<bool> IsFreshAsync(string account, TimeSpan freshness, DateTimeOffset now, CancellationToken ct) =>
        await accounts.GetLatestStepUpAsync(account, ct) is { } last && now - last <= freshness && last <= now;
}
