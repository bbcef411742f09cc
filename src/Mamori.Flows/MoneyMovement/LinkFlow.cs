using System.Security.Cryptography;
using System.Text;
using Mamori.Flows.Channels;
using Mamori.Flows.Storage;

namespace Mamori.Flows.MoneyMovement;

/// <summary>Funding-source links (wallet ← bank account) and charges against them: the Docomo-account fraud's path.</summary>
/// <remarks>
/// Thread-safety: decisions that read then write (the wallet cap, "already linked", the charge limits, the holder's
/// "not me") run under the store's lock on the bank account (<see cref="ILinkStore.LockBankAccountAsync"/>), so two
/// concurrent links cannot both pass the cap — on one node, or on several sharing a PostgreSQL store.
/// </remarks>
internal sealed class LinkFlow(ILinkStore links, IAuditLog audit, RiskChecks risk, Notifier notifier, FlowsOptions options)
{
    private readonly int _maxWallets = options.MaxWalletsPerBankAccount;
    private readonly TimeSpan _coolOff = options.LinkCoolOff;
    private readonly long _coolOffLimit = options.CoolOffChargeLimit, _dailyLimit = options.DailyChargeLimit;
    private readonly string _baseUrl = options.PublicBaseUrl.TrimEnd('/');
    private readonly TimeSpan _holderReportBlock = options.HolderReportBlock;

    public async Task<(FlowDecision Decision, LinkRecord? Link)> CreateAsync(string wallet, string bank, string bankAccount, string holderName,
        IdentityProof? identity, DateTimeOffset now, CancellationToken ct)
    {
        await using (await links.LockBankAccountAsync(bank, bankAccount, ct))
        {
            var reasons = new List<FlowReason>();
            bool deny = false;
            if (identity is null) { reasons.Add(FlowReason.IdentityNotProofed); deny = true; }
            else if (!NameMatcher.Matches(holderName, identity.VerifiedName)) { reasons.Add(FlowReason.HolderNameMismatch); deny = true; }
            else reasons.Add(FlowReason.HolderNameMatched);   // recorded; never sufficient alone
            deny |= await risk.AddRecentRiskAsync(wallet, now, reasons, ct);
            deny |= await AddBankAccountReasonsAsync(wallet, bank, bankAccount, now, reasons, ct);
            bool fresh = await risk.AddStepUpAsync(wallet, now, reasons, ct);
            FlowVerdict verdict = RiskChecks.Verdict(deny, fresh);

            LinkRecord? link = null;
            string holderAddress = $"{bank}:{bankAccount}";
            if (verdict == FlowVerdict.Allow)
            {
                string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
                link = new LinkRecord("lnk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), wallet, bank, bankAccount, holderName,
                    LinkState.Active, now, now + _coolOff, TokenHash(token), null);
                await links.AddLinkAsync(link, ct);
                reasons.Add(FlowReason.CoolOff);
                await notifier.SendAsync(new OutboundMessage("bank", holderAddress, wallet, "Your bank account was linked to a wallet",
                    $"Your account {LinkAdministration.Mask(bankAccount)} at {bank} was linked to a payment wallet. If this was not you, freeze the link now: " +
                    $"{_baseUrl}/v1/links/{link.Id}/not-me?token={token}", now), FlowReason.HolderNotified, ct);
                reasons.Add(FlowReason.HolderNotified);
            }
            else if (verdict == FlowVerdict.Deny)
            {
                // The Docomo victims were never told; a refused attempt on their account is worth telling them about.
                await notifier.SendAsync(new OutboundMessage("bank", holderAddress, wallet, "Someone tried to link your bank account",
                    $"A payment wallet tried to link your account {LinkAdministration.Mask(bankAccount)} at {bank} and was refused. No money moved.", now), FlowReason.HolderNotified, ct);
                reasons.Add(FlowReason.HolderNotified);
            }
            var decision = new FlowDecision(verdict, reasons);
            await audit.AppendAsync(new AuditEntry(now, wallet, "link_decision", link?.Id ?? $"{bank}:{LinkAdministration.Mask(bankAccount)}", verdict.ToWireName(), decision.ReasonNames,
                identity is null ? "identity: none" : $"identity: {identity.Method}"), ct);
            return (decision, link);
        }
    }

    /// <summary>Assesses a charge; null when the link does not exist.</summary>
    public async Task<(FlowDecision Decision, long Remaining)?> ChargeAsync(string linkId, long amount, DateTimeOffset now, CancellationToken ct)
    {
        // The lock is the bank account's, which only the link knows; read it, lock, then read it again under the lock
        // (a "not me" may have frozen it meanwhile). A link's bank account never changes.
        if (await links.GetLinkAsync(linkId, ct) is not { } unlocked) return null;
        await using (await links.LockBankAccountAsync(unlocked.Bank, unlocked.BankAccount, ct))
        {
            if (await links.GetLinkAsync(linkId, ct) is not { } link) return null;
            var reasons = new List<FlowReason>();
            FlowVerdict verdict = FlowVerdict.Allow;
            long remaining = 0;
            if (link.State == LinkState.Frozen) { reasons.Add(FlowReason.LinkFrozen); verdict = FlowVerdict.Deny; }
            else
            {
                // Limits are the bank account's, not the link's: the money is the holder's however many wallets draw on it.
                long daySpent = await links.SumBankAccountChargesAsync(link.Bank, link.BankAccount, now - TimeSpan.FromDays(1), ct);
                remaining = _dailyLimit - daySpent;
                if (now < link.CoolOffUntil)
                {
                    reasons.Add(FlowReason.CoolOff);
                    long coolSpent = await links.SumBankAccountChargesAsync(link.Bank, link.BankAccount, link.CreatedAt, ct);
                    remaining = Math.Min(remaining, _coolOffLimit - coolSpent);
                    if (amount > _coolOffLimit - coolSpent) { reasons.Add(FlowReason.CoolOffLimitExceeded); verdict = FlowVerdict.Deny; }
                }
                if (amount > _dailyLimit - daySpent) { reasons.Add(FlowReason.DailyLimitExceeded); verdict = FlowVerdict.Deny; }
                if (verdict == FlowVerdict.Allow)
                {
                    await links.AddChargeAsync(linkId, amount, now, ct);
                    remaining -= amount;
                }
            }
            var decision = new FlowDecision(verdict, reasons);
            await audit.AppendAsync(new AuditEntry(now, link.Wallet, "charge_decision", linkId, verdict.ToWireName(), decision.ReasonNames,
                $"amount: {amount}"), ct);
            return (decision, Math.Max(0, remaining));
        }
    }

    /// <summary>
    /// The holder's "this was not me": when the token matches, freezes every link of that wallet to the bank account and
    /// keeps the bank account from being linked anew for <see cref="FlowsOptions.HolderReportBlock"/>. False for an
    /// unknown link or a wrong token.
    /// </summary>
    public async Task<bool> NotMeAsync(string linkId, string token, DateTimeOffset now, CancellationToken ct)
    {
        if (await links.GetLinkAsync(linkId, ct) is not { } link) return false;
        if (!CryptographicOperations.FixedTimeEquals(TokenHash(token), link.NotMeTokenHash)) return false;
        await using (await links.LockBankAccountAsync(link.Bank, link.BankAccount, ct))
        {
            await links.RecordHolderReportAsync(link.Bank, link.BankAccount, now, ct);
            foreach (LinkRecord same in await links.ListLinksToBankAccountAsync(link.Bank, link.BankAccount, MaxLinksRead, ct))
            {
                if (same.Wallet != link.Wallet || (same.State == LinkState.Frozen && same.Id != linkId)) continue;
                await links.FreezeLinkAsync(same.Id, now, ct);
                await audit.AppendAsync(new AuditEntry(now, same.Wallet, "link_frozen", same.Id, FlowVerdict.Deny.ToWireName(),
                    [FlowReason.NotMeReported.ToWireName(), FlowReason.LinkFrozen.ToWireName()],
                    $"holder of {link.Bank}:{LinkAdministration.Mask(link.BankAccount)}"), ct);
            }
        }
        return true;
    }

    /// <summary>Links of one bank account read at most: a holder's few, a cap's worth of wallets, and then some.</summary>
    private const int MaxLinksRead = 200;

    /// <summary>
    /// What the bank account's other links say: a link of the same wallet already (a second would restart the cool-off
    /// limit), the holder's recent "this was not me", or the wallet cap, counting frozen links too (a frozen link keeps
    /// its slot, or freezing one would make room for the next wallet). True when any of them refuses the link.
    /// </summary>
    private async Task<bool> AddBankAccountReasonsAsync(string wallet, string bank, string bankAccount, DateTimeOffset now, List<FlowReason> reasons,
        CancellationToken ct)
    {
        bool deny = false;
        if (_holderReportBlock > TimeSpan.Zero && await links.GetLatestHolderReportAsync(bank, bankAccount, ct) is { } reported
            && now - reported < _holderReportBlock)
        { reasons.Add(FlowReason.NotMeReported); deny = true; }
        IReadOnlyList<LinkRecord> existing = await links.ListLinksToBankAccountAsync(bank, bankAccount, MaxLinksRead, ct);
        LinkRecord? own = existing.FirstOrDefault(l => l.Wallet == wallet && l.State == LinkState.Active)
            ?? existing.FirstOrDefault(l => l.Wallet == wallet);
        if (own is not null) { reasons.Add(own.State == LinkState.Frozen ? FlowReason.LinkFrozen : FlowReason.AlreadyLinked); deny = true; }
        int otherWallets = existing.Where(l => l.Wallet != wallet).Select(l => l.Wallet).Distinct(StringComparer.Ordinal).Count();
        if (otherWallets >= _maxWallets) { reasons.Add(FlowReason.BankAccountWalletCap); deny = true; }
        return deny;
    }

    private static byte[] TokenHash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
