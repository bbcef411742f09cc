using Mamori.Flows.Channels;
using Mamori.Flows.Storage;

namespace Mamori.Flows.MoneyMovement;

/// <summary>Kinds of account change assessed as risk events (7pay's takeovers went through these).</summary>
public enum ChangeKind : byte
{
    /// <summary>Password change.</summary>
    Password,
    /// <summary>Contact (e-mail, phone) change.</summary>
    Contact,
    /// <summary>Factor added, removed or reset outside Mamori's own factor endpoints.</summary>
    Factor,
}

/// <summary>Assesses password, contact and factor changes and notifies the old contact.</summary>
/// <remarks>
/// The old contact is told in every case, because after a takeover it is the only channel the real user still holds.
/// Contact changes are refused after a recent unfamiliar login or password reset (the attacker's next move is to cut
/// the user off); every change but a first contact needs a fresh step-up.
/// </remarks>
internal sealed class ChangeFlow(IAccountRecordStore accounts, IAuditLog audit, RiskChecks risk, Notifier notifier)
{
    public async Task<FlowDecision> AssessAsync(string account, ChangeKind kind, ContactRecord? newContact, DateTimeOffset now, CancellationToken ct)
    {
        ContactRecord? old = await accounts.GetContactAsync(account, ct);
        var reasons = new List<FlowReason>();
        FlowVerdict verdict;
        if (kind == ChangeKind.Contact && old is null)
        {
            reasons.Add(FlowReason.FirstContact);
            verdict = FlowVerdict.Allow;
        }
        else
        {
            var riskReasons = new List<FlowReason>();
            bool recentRisk = await risk.AddRecentRiskAsync(account, now, riskReasons, ct);
            bool deny = recentRisk && kind == ChangeKind.Contact;
            reasons.AddRange(riskReasons);
            bool fresh = await risk.AddStepUpAsync(account, now, reasons, ct);
            verdict = RiskChecks.Verdict(deny, fresh);
        }
        reasons.Add(kind switch { ChangeKind.Password => FlowReason.PasswordChanged, ChangeKind.Contact => FlowReason.ContactChanged, _ => FlowReason.FactorChanged });
        if (verdict == FlowVerdict.Allow && kind == ChangeKind.Contact && newContact is not null)
            await accounts.SetContactAsync(account, newContact, ct);
        if (old is not null)
        {
            string what = kind switch { ChangeKind.Password => "password", ChangeKind.Contact => "contact address", _ => "sign-in factors" };
            string outcome = verdict == FlowVerdict.Allow ? "was changed" : verdict == FlowVerdict.StepUp ? "change was requested" : "change was refused";
            await notifier.SendAsync(new OutboundMessage(old.Channel, old.Address, account, $"Your {what} {outcome}",
                $"The {what} of your account {outcome}. If this was not you, contact us now.", now), FlowReason.ContactNotified, ct);
            reasons.Add(FlowReason.ContactNotified);
        }
        var decision = new FlowDecision(verdict, reasons);
        // The new address, masked as everywhere in the audit: an analyst must see that it moved, and roughly where to.
        string? detail = kind == ChangeKind.Contact && newContact is not null
            ? $"to {newContact.Channel}:{Channels.OutboxChannel.Masked(newContact.Address)}" : null;
        await audit.AppendAsync(new AuditEntry(now, account, "change_decision", kind.ToString().ToLowerInvariant(), verdict.ToWireName(), decision.ReasonNames, detail), ct);
        return decision;
    }
}
