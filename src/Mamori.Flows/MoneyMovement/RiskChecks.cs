using Mamori.Flows.Factors;
using Mamori.Flows.Storage;

namespace Mamori.Flows.MoneyMovement;

/// <summary>Checks every money flow shares: recent risk events and step-up freshness.</summary>
internal sealed class RiskChecks(IAccountRecordStore accounts, StepUps stepUps, FlowsOptions options)
{
    private readonly TimeSpan _riskWindow = options.RecentRiskWindow, _freshness = options.StepUpFreshness;

    /// <summary>Adds deny reasons for an unfamiliar login or password reset within the risk window; true if any.</summary>
    public Task<bool> AddRecentRiskAsync(string account, DateTimeOffset now, List<FlowReason> reasons, CancellationToken ct) =>
        AddRiskBetweenAsync(account, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, now, reasons, ct);

    /// <summary>
    /// Adds deny reasons for an unfamiliar login or password reset dated from <paramref name="from"/> to
    /// <paramref name="to"/> that is still within the risk window; true if any. A withdrawal asks about the window
    /// around its destination's creation, so a risk reported after the destination was added (or dated before it and
    /// reported late) still stops money going there, and a destination years old is not touched by today's new phone.
    /// </summary>
    public async Task<bool> AddRiskBetweenAsync(string account, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, List<FlowReason> reasons,
        CancellationToken ct)
    {
        bool any = false;
        if (await accounts.GetLatestEventAsync(account, AccountEventType.UnfamiliarLogin, to, ct) is { } login && login >= from && now - login <= _riskWindow)
        { reasons.Add(FlowReason.RecentUnfamiliarLogin); any = true; }
        if (await accounts.GetLatestEventAsync(account, AccountEventType.PasswordReset, to, ct) is { } reset && reset >= from && now - reset <= _riskWindow)
        { reasons.Add(FlowReason.RecentPasswordReset); any = true; }
        return any;
    }

    /// <summary>The risk window (<see cref="FlowsOptions.RecentRiskWindow"/>).</summary>
    public TimeSpan RiskWindow => _riskWindow;

    /// <summary>Adds <see cref="FlowReason.StepUpFresh"/> or <see cref="FlowReason.StepUpRequired"/>; true when fresh.</summary>
    public async Task<bool> AddStepUpAsync(string account, DateTimeOffset now, List<FlowReason> reasons, CancellationToken ct)
    {
        bool fresh = await stepUps.IsFreshAsync(account, _freshness, now, ct);
        reasons.Add(fresh ? FlowReason.StepUpFresh : FlowReason.StepUpRequired);
        return fresh;
    }

    public static FlowVerdict Verdict(bool deny, bool stepUpFresh) => deny ? FlowVerdict.Deny : stepUpFresh ? FlowVerdict.Allow : FlowVerdict.StepUp;
}
