using System.Security.Cryptography;
using Mamori.Flows.Channels;
using Mamori.Flows.Storage;

namespace Mamori.Flows.MoneyMovement;

/// <summary>Withdrawal-destination changes and withdrawals to them: the SBI Securities fraud's path.</summary>
/// <remarks>A same-name destination is evidence, never sufficient: it still needs a fresh step-up, no recent unfamiliar
/// login or password reset, a notification to the registered contact, and a hold before the first withdrawal.</remarks>
internal sealed class WithdrawalFlow(IWithdrawalDestinationStore destinations, IAccountRecordStore accounts, IAuditLog audit, RiskChecks risk,
    Notifier notifier, FlowsOptions options)
{
    private readonly TimeSpan _hold = options.WithdrawalHold;
    private readonly string _baseUrl = options.PublicBaseUrl.TrimEnd('/');

    private static byte[] TokenHash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    /// <summary>The account holder's "this was not me": freezes the destination when the token matches.</summary>
    public async Task<bool> NotMeAsync(string account, string destinationId, string token, DateTimeOffset now, CancellationToken ct)
    {
        if (await destinations.GetDestinationAsync(account, destinationId, ct) is not { } destination) return false;
        if (!CryptographicOperations.FixedTimeEquals(TokenHash(token), destination.NotMeTokenHash)) return false;
        await destinations.FreezeDestinationAsync(account, destinationId, ct);
        await audit.AppendAsync(new AuditEntry(now, account, "destination_frozen", destinationId, FlowVerdict.Deny.ToWireName(),
            [FlowReason.NotMeReported.ToWireName(), FlowReason.DestinationFrozen.ToWireName()], null), ct);
        return true;
    }

    public async Task<(FlowDecision Decision, DestinationRecord? Destination)> AddDestinationAsync(string account, string bank, string bankAccount,
        string holderName, IdentityProof? identity, DateTimeOffset now, CancellationToken ct)
    {
        var reasons = new List<FlowReason>();
        bool deny = false;
        if (identity is null) { reasons.Add(FlowReason.IdentityNotProofed); deny = true; }
        else if (!NameMatcher.Matches(holderName, identity.VerifiedName)) { reasons.Add(FlowReason.HolderNameMismatch); deny = true; }
        else reasons.Add(FlowReason.HolderNameMatched);
        deny |= await risk.AddRecentRiskAsync(account, now, reasons, ct);
        bool fresh = await risk.AddStepUpAsync(account, now, reasons, ct);
        FlowVerdict verdict = RiskChecks.Verdict(deny, fresh);

        DestinationRecord? destination = null;
        string? token = null;
        if (verdict == FlowVerdict.Allow)
        {
            token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            destination = new DestinationRecord("dst_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), account, bank, bankAccount, holderName,
                LinkState.Active, now, now + _hold, TokenHash(token));
            await destinations.AddDestinationAsync(destination, ct);
            verdict = _hold > TimeSpan.Zero ? FlowVerdict.Hold : FlowVerdict.Allow;
            if (verdict == FlowVerdict.Hold) reasons.Add(FlowReason.DestinationOnHold);
        }
        if (verdict != FlowVerdict.StepUp)
        {
            string subject = destination is null ? "A withdrawal destination change was refused" : "A withdrawal destination was added";
            string body = destination is null
                ? $"Someone tried to add {bank} {LinkAdministration.Mask(bankAccount)} as a withdrawal destination of your account and was refused. If this was not you, change your password."
                : $"{bank} {LinkAdministration.Mask(bankAccount)} was added as a withdrawal destination. The first withdrawal to it is possible from {destination.HoldUntil:yyyy-MM-dd HH:mm} UTC. " +
                  $"If this was not you, freeze it now: {_baseUrl}/v1/accounts/{Uri.EscapeDataString(account)}/withdrawal-destinations/{destination.Id}/not-me?token={token}";
            reasons.Add(await NotifyContactAsync(account, subject, body, now, ct));
        }
        var decision = new FlowDecision(verdict, reasons);
        await audit.AppendAsync(new AuditEntry(now, account, "withdrawal_destination_decision", destination?.Id ?? $"{bank}:{LinkAdministration.Mask(bankAccount)}",
            verdict.ToWireName(), decision.ReasonNames, null), ct);
        return (decision, destination);
    }

    /// <summary>Assesses a withdrawal; null when the destination is not the account's.</summary>
    public async Task<FlowDecision?> WithdrawAsync(string account, string destinationId, long amount, DateTimeOffset now, CancellationToken ct)
    {
        if (await destinations.GetDestinationAsync(account, destinationId, ct) is not { } destination) return null;
        var reasons = new List<FlowReason>();
        FlowVerdict verdict = FlowVerdict.Allow;
        if (destination.State == LinkState.Frozen) { reasons.Add(FlowReason.DestinationFrozen); verdict = FlowVerdict.Deny; }
        else
        {
            if (now < destination.HoldUntil) { reasons.Add(FlowReason.DestinationOnHold); verdict = FlowVerdict.Deny; }
            // A destination added within the risk window of an unfamiliar login or a password reset, before or after
            // it, takes nothing until the window has passed since that event: the hold alone ends on a timer, and a
            // takeover noticed after the destination was added must still stop the money (SBI's attackers withdrew
            // once the destination was theirs).
            if (await risk.AddRiskBetweenAsync(account, destination.CreatedAt - risk.RiskWindow, destination.CreatedAt + risk.RiskWindow, now, reasons, ct))
                verdict = FlowVerdict.Deny;
        }
        var decision = new FlowDecision(verdict, reasons);
        await audit.AppendAsync(new AuditEntry(now, account, "withdrawal_decision", destinationId, verdict.ToWireName(), decision.ReasonNames, $"amount: {amount}"), ct);
        return decision;
    }

    private async Task<FlowReason> NotifyContactAsync(string account, string subject, string body, DateTimeOffset now, CancellationToken ct)
    {
        if (await accounts.GetContactAsync(account, ct) is not { } contact) return FlowReason.NoContactRegistered;
        await notifier.SendAsync(new OutboundMessage(contact.Channel, contact.Address, account, subject, body, now), FlowReason.ContactNotified, ct);
        return FlowReason.ContactNotified;
    }
}
