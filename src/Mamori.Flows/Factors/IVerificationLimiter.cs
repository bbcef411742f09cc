namespace Mamori.Flows.Factors;

/// <summary>Per-account limit on failed step-up verifications (TOTP, one-time codes, recovery codes, passkeys).</summary>
/// <remarks>
/// An attempt is reserved before its code is checked and settled after, so parallel guesses cannot pass the limit.
/// <see cref="VerificationLimiter"/> counts in the process's memory (one node: SQLite); <see cref="SharedVerificationLimiter"/>
/// counts in the PostgreSQL database every node shares, so N nodes allow the limit once, not N times. Thread-safe.
/// </remarks>
internal interface IVerificationLimiter
{
    /// <summary>Reserves one verification attempt; null (with the time to retry) when the account has used up its failures.</summary>
    /// <remarks>Waits while attempts already in flight could use up the limit, until one of them settles: a double-submitted
    /// code is never refused because of its own twin.</remarks>
    Task<(VerificationAttempt? Attempt, DateTimeOffset RetryAt)> TryReserveAsync(string account, DateTimeOffset now, CancellationToken ct);

    /// <summary>True (with the time to retry) when the account has used up its failures in the current window.</summary>
    Task<(bool Blocked, DateTimeOffset RetryAt)> IsBlockedAsync(string account, DateTimeOffset now, CancellationToken ct);

    /// <summary>Forgets the account's failures (an operator who confirmed the holder out of band); true when there were
    /// failures in a current window. Attempts in flight still count when they settle.</summary>
    Task<bool> ClearFailuresAsync(string account, DateTimeOffset now, CancellationToken ct);
}

/// <summary>How a reserved attempt ended.</summary>
internal enum VerificationSettlement : byte
{
    /// <summary>A wrong code (or an attempt never settled): it counts.</summary>
    Failure,
    /// <summary>The code was right: the account's failures are forgiven (the limit is on consecutive failures, NIST SP 800-63B §5.2.2).</summary>
    Success,
    /// <summary>No guess was made: the attempt is given back.</summary>
    Refund,
}

/// <summary>A reserved verification attempt. Settle it with <see cref="SucceededAsync"/> or <see cref="RefundAsync"/>;
/// disposed unsettled, it counts as a failure (an exception or a cancellation must not give a free guess).</summary>
/// <remarks>Settled once: the first settlement wins, later ones (the dispose after a success) do nothing. A settlement
/// is never cancelled: a failure left unrecorded because the caller went away would be a free guess.</remarks>
internal abstract class VerificationAttempt : IAsyncDisposable
{
    private int _settled;

    /// <summary>The code was right: the account's failures are forgiven.</summary>
    public ValueTask SucceededAsync() => SettleOnceAsync(VerificationSettlement.Success);

    /// <summary>The outcome was no guess (a double submit of the code just accepted, nothing to guess against).</summary>
    public ValueTask RefundAsync() => SettleOnceAsync(VerificationSettlement.Refund);

    /// <summary>Counts the attempt as a failure unless it was settled.</summary>
    public ValueTask DisposeAsync() => SettleOnceAsync(VerificationSettlement.Failure);

    private ValueTask SettleOnceAsync(VerificationSettlement how) =>
        Interlocked.Exchange(ref _settled, 1) == 0 ? SettleAsync(how) : ValueTask.CompletedTask;

    /// <summary>Records the settlement; called once.</summary>
    protected abstract ValueTask SettleAsync(VerificationSettlement how);
}

/// <summary>Per-account limit on one-time codes sent: a minimum interval between two sends and a maximum per rolling hour.</summary>
/// <remarks><see cref="OneTimeCodeSendLimiter"/> counts in memory (one node); <see cref="SharedOneTimeCodeSendLimiter"/> in
/// the PostgreSQL database every node shares. Thread-safe.</remarks>
internal interface IOneTimeCodeSendLimiter
{
    /// <summary>Records a send for the account if it is allowed now; otherwise false, with the time it will be.</summary>
    Task<(bool Acquired, DateTimeOffset RetryAt)> TryAcquireAsync(string account, DateTimeOffset now, CancellationToken ct);
}
