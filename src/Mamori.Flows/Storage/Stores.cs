namespace Mamori.Flows.Storage;

/// <summary>Durable factors: TOTP seeds (sealed), passkeys, recovery codes and one-time codes.</summary>
/// <remarks>Implementations must make the <c>Try…</c> methods atomic: they are what makes a code single-use and its attempts limited.</remarks>
public interface IFactorStore
{
    /// <summary>Adds a TOTP factor.</summary>
    Task AddTotpAsync(TotpFactorRecord factor, CancellationToken cancellationToken);
    /// <summary>The account's TOTP factors.</summary>
    Task<IReadOnlyList<TotpFactorRecord>> GetTotpFactorsAsync(string account, CancellationToken cancellationToken);
    /// <summary>Records <paramref name="step"/> as a confirmed factor's last used step, if it is later than the stored one.</summary>
    /// <returns>False when the step (or a later one) was already used (a replayed code), or the factor is not confirmed.</returns>
    Task<bool> TryAdvanceTotpStepAsync(string factorId, long step, CancellationToken cancellationToken);
    /// <summary>Confirms an unconfirmed factor with its first used <paramref name="step"/> and, in the same transaction,
    /// deletes the account's other unconfirmed factors.</summary>
    /// <remarks>An enrolment nobody confirmed may be an attacker's: once the holder confirms theirs, the others must not
    /// stay around to be confirmed later.</remarks>
    /// <returns>The number of other enrolments deleted; null when the factor was already confirmed or no longer exists.</returns>
    Task<int?> TryConfirmTotpAsync(string factorId, long step, CancellationToken cancellationToken);
    /// <summary>Adds a passkey.</summary>
    Task AddWebAuthnCredentialAsync(WebAuthnCredentialRecord credential, CancellationToken cancellationToken);
    /// <summary>The account's passkeys.</summary>
    Task<IReadOnlyList<WebAuthnCredentialRecord>> GetWebAuthnCredentialsAsync(string account, CancellationToken cancellationToken);
    /// <summary>Any account's passkey by credential id (for uniqueness checks).</summary>
    Task<WebAuthnCredentialRecord?> FindWebAuthnCredentialAsync(byte[] credentialId, CancellationToken cancellationToken);
    /// <summary>Stores the signature counter after an assertion.</summary>
    Task UpdateSignCountAsync(byte[] credentialId, uint signCount, CancellationToken cancellationToken);
    /// <summary>Replaces all recovery codes of the account.</summary>
    Task ReplaceRecoveryCodesAsync(string account, IReadOnlyList<RecoveryCodeRecord> codes, CancellationToken cancellationToken);
    /// <summary>The account's unused recovery codes.</summary>
    Task<IReadOnlyList<RecoveryCodeRecord>> GetUnusedRecoveryCodesAsync(string account, CancellationToken cancellationToken);
    /// <summary>Marks a recovery code used; false if it already was.</summary>
    Task<bool> TryUseRecoveryCodeAsync(string codeId, DateTimeOffset at, CancellationToken cancellationToken);
    /// <summary>Adds a one-time code.</summary>
    Task AddOneTimeCodeAsync(OneTimeCodeRecord code, CancellationToken cancellationToken);
    /// <summary>A one-time code by id.</summary>
    Task<OneTimeCodeRecord?> GetOneTimeCodeAsync(string id, CancellationToken cancellationToken);
    /// <summary>Counts one more attempt against a one-time code, unless it already had <paramref name="maxAttempts"/>.</summary>
    /// <remarks>One conditional update: reading the count and writing it back let parallel guesses pass the limit.</remarks>
    /// <returns>False when the code's attempts are used up (or it does not exist): the code must not be checked.</returns>
    Task<bool> TryCountOneTimeCodeAttemptAsync(string id, int maxAttempts, CancellationToken cancellationToken);
    /// <summary>Marks a one-time code used; false if it already was.</summary>
    Task<bool> TryUseOneTimeCodeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>Per-account records the flows consult: reported events, step-ups and the registered contact.</summary>
public interface IAccountRecordStore
{
    /// <summary>Records an event the caller reports (unfamiliar login, password reset).</summary>
    Task RecordEventAsync(string account, AccountEventType type, DateTimeOffset at, CancellationToken cancellationToken);
    /// <summary>The latest time of an event of this type at or before <paramref name="notAfter"/>, if any.</summary>
    Task<DateTimeOffset?> GetLatestEventAsync(string account, AccountEventType type, DateTimeOffset notAfter, CancellationToken cancellationToken);
    /// <summary>Records a successful step-up.</summary>
    /// <param name="moneyGrade">True when the factor is strong enough for money movement (TOTP, passkey with user verification, one-time code).</param>
    Task RecordStepUpAsync(string account, string method, bool moneyGrade, DateTimeOffset at, CancellationToken cancellationToken);
    /// <summary>The latest money-grade step-up, if any.</summary>
    Task<DateTimeOffset?> GetLatestStepUpAsync(string account, CancellationToken cancellationToken);
    /// <summary>The latest step-up of any grade (a recovery code's included), if any.</summary>
    Task<DateTimeOffset?> GetLatestStepUpOfAnyGradeAsync(string account, CancellationToken cancellationToken);
    /// <summary>The registered contact, if any.</summary>
    Task<ContactRecord?> GetContactAsync(string account, CancellationToken cancellationToken);
    /// <summary>Sets the registered contact.</summary>
    Task SetContactAsync(string account, ContactRecord contact, CancellationToken cancellationToken);
}

/// <summary>Funding-source links and their charges.</summary>
public interface ILinkStore
{
    /// <summary>Links of every wallet to the bank account, active and frozen, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<LinkRecord>> ListLinksToBankAccountAsync(string bank, string bankAccount, int limit, CancellationToken cancellationToken);
    /// <summary>Records the holder's "this was not me" against the bank account, whichever wallet's link it came from.</summary>
    Task RecordHolderReportAsync(string bank, string bankAccount, DateTimeOffset at, CancellationToken cancellationToken);
    /// <summary>The latest "this was not me" of the bank account's holder, if any.</summary>
    Task<DateTimeOffset?> GetLatestHolderReportAsync(string bank, string bankAccount, CancellationToken cancellationToken);
    /// <summary>Adds a link.</summary>
    Task AddLinkAsync(LinkRecord link, CancellationToken cancellationToken);
    /// <summary>A link by id.</summary>
    Task<LinkRecord?> GetLinkAsync(string id, CancellationToken cancellationToken);
    /// <summary>Freezes a link.</summary>
    Task FreezeLinkAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
    /// <summary>Makes a frozen link active again (an operator's decision after checking with the holder).</summary>
    /// <returns>False when no frozen link has this id (nothing changed).</returns>
    Task<bool> UnfreezeLinkAsync(string id, CancellationToken cancellationToken);
    /// <summary>The wallet's links, oldest first, at most <paramref name="limit"/> (for the analyst's account page).</summary>
    Task<IReadOnlyList<LinkRecord>> ListLinksAsync(string wallet, int limit, CancellationToken cancellationToken);
    /// <summary>Records an accepted charge.</summary>
    Task AddChargeAsync(string linkId, long amount, DateTimeOffset at, CancellationToken cancellationToken);
    /// <summary>Sum of accepted charges through any wallet's link to the bank account at or after <paramref name="since"/>.</summary>
    Task<long> SumBankAccountChargesAsync(string bank, string bankAccount, DateTimeOffset since, CancellationToken cancellationToken);
    /// <summary>Holds the bank account's lock until the returned handle is disposed: every node that shares the store waits for it.</summary>
    /// <remarks>
    /// The wallet cap, "already linked" and the charge limits read the bank account's links and charges, then write: two
    /// requests doing that at once, on one node or on two, could both pass a limit that only one may. An in-process lock
    /// is enough for a store only one process opens; a shared store must lock where every node sees it.
    /// </remarks>
    /// <exception cref="TimeoutException">The lock was not free within the store's bounded wait.</exception>
    Task<IAsyncDisposable> LockBankAccountAsync(string bank, string bankAccount, CancellationToken cancellationToken);
}

/// <summary>Passkey ceremonies begun and not yet finished: the options sent to the browser, until its answer comes back.</summary>
/// <remarks>
/// Kept in the store, not in memory, so the answer may reach any node: options fetched from one node and the credential
/// posted to another must still meet. One pending ceremony per account and kind; a new one replaces the old.
/// </remarks>
public interface IWebAuthnCeremonyStore
{
    /// <summary>Stores the ceremony's options (replacing the account's pending one of that kind) and deletes expired ceremonies.</summary>
    /// <param name="ceremony">The kind: <c>registration</c> or <c>assertion</c>.</param>
    Task PutWebAuthnCeremonyAsync(string account, string ceremony, string optionsJson, DateTimeOffset expiresAt, DateTimeOffset now,
        CancellationToken cancellationToken);
    /// <summary>Removes the account's pending ceremony of that kind and returns its options, unless it expired by <paramref name="now"/>.</summary>
    /// <remarks>One delete that returns the row: two answers to one ceremony cannot both take it.</remarks>
    /// <returns>Null when there is none, another call took it, or it expired.</returns>
    Task<string?> TryTakeWebAuthnCeremonyAsync(string account, string ceremony, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Withdrawal destinations.</summary>
public interface IWithdrawalDestinationStore
{
    /// <summary>Adds a destination.</summary>
    Task AddDestinationAsync(DestinationRecord destination, CancellationToken cancellationToken);
    /// <summary>A destination of the account by id.</summary>
    Task<DestinationRecord?> GetDestinationAsync(string account, string id, CancellationToken cancellationToken);
    /// <summary>Freezes a destination.</summary>
    Task FreezeDestinationAsync(string account, string id, CancellationToken cancellationToken);
    /// <summary>Makes a frozen destination of the account active again (an operator's decision after checking with the owner).</summary>
    /// <returns>False when the account has no frozen destination with this id (nothing changed).</returns>
    Task<bool> UnfreezeDestinationAsync(string account, string id, CancellationToken cancellationToken);
    /// <summary>The account's destinations, oldest first, at most <paramref name="limit"/> (for the analyst's account page).</summary>
    Task<IReadOnlyList<DestinationRecord>> ListDestinationsAsync(string account, int limit, CancellationToken cancellationToken);
}

/// <summary>Append-only record of every flow decision and notification, with reasons.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry; returns its sequence number.</summary>
    Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken);
    /// <summary>The latest entries, newest first, optionally for one account.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(string? account, int limit, CancellationToken cancellationToken);
}
