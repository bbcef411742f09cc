using System.Diagnostics;
using Mamori.Flows.Storage;

namespace Mamori.Flows.MoneyMovement;

/// <summary>Which money path a link belongs to.</summary>
public enum AccountLinkKind : byte
{
    /// <summary>A bank account linked as a wallet's funding source (<c>POST /v1/links</c>).</summary>
    Funding,
    /// <summary>A withdrawal destination of the account (<c>POST /v1/accounts/{account}/withdrawal-destinations</c>).</summary>
    WithdrawalDestination,
}

/// <summary>What an operator's freeze did.</summary>
public enum LinkFreezeResult : byte
{
    /// <summary>No link or destination of that account has this id (another account's link is not found either).</summary>
    NotFound,
    /// <summary>It was active and is frozen now.</summary>
    Frozen,
    /// <summary>It was frozen already; nothing changed (a repeated click is not an error).</summary>
    AlreadyFrozen,
}

/// <summary>What an operator's unfreeze did.</summary>
public enum LinkUnfreezeResult : byte
{
    /// <summary>No link or destination of that account has this id (another account's link is not found either).</summary>
    NotFound,
    /// <summary>It was frozen and is active now.</summary>
    Unfrozen,
    /// <summary>It was not frozen; nothing changed (a repeated click is not an error).</summary>
    NotFrozen,
}

/// <summary>
/// A funding source or withdrawal destination as an analyst sees it: the bank and a masked account number, never the
/// full number, the holder name or the "not me" token hash.
/// </summary>
/// <param name="Id">The link id (<c>lnk_…</c>) or destination id (<c>dst_…</c>).</param>
/// <param name="Kind">Funding source or withdrawal destination.</param>
/// <param name="Bank">The bank code as the caller gave it.</param>
/// <param name="MaskedAccount">The account number with all but its last digits replaced (see <see cref="LinkAdministration.Mask"/>).</param>
/// <param name="State">Active or frozen.</param>
/// <param name="Created">When it was added.</param>
public sealed record AccountLink(string Id, AccountLinkKind Kind, string Bank, string MaskedAccount, LinkState State, DateTimeOffset Created);

/// <summary>Stable wire names of the link enums.</summary>
public static class AccountLinkNames
{
    /// <summary><c>funding</c> or <c>withdrawal_destination</c>.</summary>
    public static string ToWireName(this AccountLinkKind kind) => kind switch
    {
        AccountLinkKind.Funding => "funding",
        AccountLinkKind.WithdrawalDestination => "withdrawal_destination",
        _ => throw new UnreachableException($"AccountLinkKind {kind} has no wire name."),
    };

    /// <summary><c>active</c> or <c>frozen</c>.</summary>
    public static string ToWireName(this LinkState state) => state switch
    {
        LinkState.Active => "active",
        LinkState.Frozen => "frozen",
        _ => throw new UnreachableException($"LinkState {state} has no wire name."),
    };
}

/// <summary>
/// The operator's view of an account's money links, for the analyst dashboard: list them, freeze or unfreeze one.
/// </summary>
/// <remarks>
/// Identity: a funding link belongs to its <c>wallet_account</c> and a destination to its route <c>{account}</c>; both
/// are the same string as the login API's <c>account</c> (the operator's user id). Flows has no tenant, so a
/// multi-tenant operator must use account ids that are unique across tenants (e.g. prefix the tenant).
/// </remarks>
public sealed class LinkAdministration
{
    /// <summary>Links of each kind listed per account at most: a page an analyst reads, and a bound on one query.</summary>
    public const int MaxListedPerKind = 200;

    /// <summary>Digits of an account number shown at most; never more than half of it.</summary>
    public const int MaxVisibleDigits = 4;

    private readonly ILinkStore _links;
    private readonly IWithdrawalDestinationStore _destinations;
    private readonly IAuditLog _audit;

    internal LinkAdministration(ILinkStore links, IWithdrawalDestinationStore destinations, IAuditLog audit)
    {
        _links = links;
        _destinations = destinations;
        _audit = audit;
    }

    /// <summary>The account's funding sources, then its withdrawal destinations, each oldest first.</summary>
    public async Task<IReadOnlyList<AccountLink>> ListAsync(string account, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        var list = new List<AccountLink>();
        foreach (LinkRecord l in await _links.ListLinksAsync(account, MaxListedPerKind, cancellationToken))
            list.Add(View(l));
        foreach (DestinationRecord d in await _destinations.ListDestinationsAsync(account, MaxListedPerKind, cancellationToken))
            list.Add(View(d));
        return list;
    }

    /// <summary>
    /// Freezes a funding link or withdrawal destination of <paramref name="account"/> on an operator's word, and appends a
    /// <c>link_frozen</c> / <c>destination_frozen</c> entry naming <paramref name="actor"/> to the flows audit log.
    /// </summary>
    /// <param name="account">The account (wallet) the link must belong to: a link of another account is <see cref="LinkFreezeResult.NotFound"/>.</param>
    /// <param name="linkId">A link id or destination id.</param>
    /// <param name="actor">Who froze it (the acting API key's id); goes into the audit entry.</param>
    /// <param name="now">When.</param>
    /// <param name="cancellationToken">Cancels the storage calls.</param>
    public async Task<(LinkFreezeResult Result, AccountLink? Link)> FreezeAsync(string account, string linkId, string actor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        ArgumentException.ThrowIfNullOrEmpty(linkId);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        if (await FindAsync(account, linkId, cancellationToken) is not { } found) return (LinkFreezeResult.NotFound, null);
        AccountLink view = found with { State = LinkState.Frozen };
        if (found.State == LinkState.Frozen) return (LinkFreezeResult.AlreadyFrozen, view);
        bool funding = found.Kind == AccountLinkKind.Funding;
        if (funding) await _links.FreezeLinkAsync(found.Id, now, cancellationToken);
        else await _destinations.FreezeDestinationAsync(account, found.Id, cancellationToken);
        await _audit.AppendAsync(new AuditEntry(now, account, funding ? "link_frozen" : "destination_frozen", found.Id, FlowVerdict.Deny.ToWireName(),
            [(funding ? FlowReason.LinkFrozen : FlowReason.DestinationFrozen).ToWireName()], $"operator key {actor}"), cancellationToken);
        return (LinkFreezeResult.Frozen, view);
    }

    /// <summary>
    /// Makes a frozen funding link or withdrawal destination of <paramref name="account"/> usable again on an operator's word,
    /// and appends a <c>link_unfrozen</c> / <c>destination_unfrozen</c> entry naming <paramref name="actor"/> to the flows audit.
    /// </summary>
    /// <remarks>
    /// For the freeze that was a mistake: a holder who clicked "not me" on their own link, an analyst's freeze that the
    /// investigation cleared. Only the named link changes: a holder's report still keeps the bank account from being
    /// linked anew for <see cref="FlowsOptions.HolderReportBlock"/>, and a destination's hold and a link's cool-off keep
    /// counting from when it was added, so an unfrozen link is not a fresh one. Two unfreezes at once change it once: the
    /// store's update is conditional on the frozen state, and the loser answers <see cref="LinkUnfreezeResult.NotFrozen"/>.
    /// </remarks>
    /// <param name="account">The account (wallet) the link must belong to: a link of another account is <see cref="LinkUnfreezeResult.NotFound"/>.</param>
    /// <param name="linkId">A link id or destination id.</param>
    /// <param name="actor">Who unfroze it (the acting API key's id); goes into the audit entry.</param>
    /// <param name="now">When.</param>
    /// <param name="cancellationToken">Cancels the storage calls.</param>
    public async Task<(LinkUnfreezeResult Result, AccountLink? Link)> UnfreezeAsync(string account, string linkId, string actor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        ArgumentException.ThrowIfNullOrEmpty(linkId);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        if (await FindAsync(account, linkId, cancellationToken) is not { } found) return (LinkUnfreezeResult.NotFound, null);
        AccountLink view = found with { State = LinkState.Active };
        bool funding = found.Kind == AccountLinkKind.Funding;
        bool changed = funding
            ? await _links.UnfreezeLinkAsync(found.Id, cancellationToken)
            : await _destinations.UnfreezeDestinationAsync(account, found.Id, cancellationToken);
        if (!changed) return (LinkUnfreezeResult.NotFrozen, view);
        await _audit.AppendAsync(new AuditEntry(now, account, funding ? "link_unfrozen" : "destination_unfrozen", found.Id, null, [], $"operator key {actor}"),
            cancellationToken);
        return (LinkUnfreezeResult.Unfrozen, view);
    }

    private static AccountLink View(LinkRecord l) => new(l.Id, AccountLinkKind.Funding, l.Bank, Mask(l.BankAccount), l.State, l.CreatedAt);

    private static AccountLink View(DestinationRecord d) =>
        new(d.Id, AccountLinkKind.WithdrawalDestination, d.Bank, Mask(d.BankAccount), d.State, d.CreatedAt);

    /// <summary>The account's funding link or withdrawal destination with this id, as it is now; null for another account's.</summary>
    private async Task<AccountLink?> FindAsync(string account, string linkId, CancellationToken cancellationToken)
    {
        if (await _links.GetLinkAsync(linkId, cancellationToken) is { } link && string.Equals(link.Wallet, account, StringComparison.Ordinal))
            return View(link);
        if (await _destinations.GetDestinationAsync(account, linkId, cancellationToken) is { } destination)
            return View(destination);
        return null;
    }

    /// <summary>
    /// <c>1234567</c> → <c>••••567</c>: the last digits (at most <see cref="MaxVisibleDigits"/>, at most half) stay, so an
    /// analyst can match a customer's "the account ending in 567" without the dashboard holding a usable number.
    /// </summary>
    public static string Mask(string bankAccount)
    {
        ArgumentNullException.ThrowIfNull(bankAccount);
        int visible = Math.Min(MaxVisibleDigits, bankAccount.Length / 2);
        return new string('•', bankAccount.Length - visible) + bankAccount[^visible..];
    }
}
