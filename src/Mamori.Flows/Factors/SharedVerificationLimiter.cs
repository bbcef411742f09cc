using System.Collections.Concurrent;
using System.Security.Cryptography;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Factors;

/// <summary>The failed-verification limit of nodes that share the flows' PostgreSQL database: failures and attempts in
/// flight are counted there, so N nodes allow <c>maxFailures</c> per window in total, not N times that.</summary>
/// <remarks>
/// The same semantics as <see cref="VerificationLimiter"/>: an attempt is reserved (a row) before its code is checked and
/// settled after; a failure keeps it, a success clears the window, a refund gives it back, an attempt disposed unsettled is
/// a failure. Each reservation and settlement is one short transaction under the account's advisory lock in the store
/// (<see cref="ISharedLimitStore"/>). What memory gave for free needs two more rules here:
/// <list type="bullet">
/// <item>A node can die between reserving and settling. Its reservation then expires after <see cref="ReservationLifetime"/>
/// and counts as a failure (at the time it was reserved), as an attempt disposed unsettled does: an account never stays
/// held by a dead node's attempts for longer than that, and a crash never hands out a free guess.</item>
/// <item>A request that finds failures and attempts in flight filling the limit waits for one to settle, as in memory, so a
/// double-submitted code reaching two nodes is answered <c>code_reused</c>, not 429. An attempt settled on this node wakes
/// this node's waiters at once; one settled on another node is seen at the next poll (<see cref="PollInterval"/>, timed by
/// the injected <see cref="TimeProvider"/>). The wait is bounded by <see cref="MaxWait"/>: past it the request is refused
/// as rate-limited. Waiting only happens while the last free attempts are being checked, which takes milliseconds; the
/// alternatives were worse: refusing at once answers the twin 429, and holding a database lock from reservation to
/// settlement holds a pooled connection per parallel guess, so a flood of guesses would empty the node's pool.</item>
/// </list>
/// A database that cannot be reached fails the reservation with its exception: no code is checked (fail closed), and the
/// server answers as for every other flow call whose storage failed. Thread-safe.
/// </remarks>
internal sealed class SharedVerificationLimiter(ISharedLimitStore store, int maxFailures, TimeSpan window, TimeProvider time) : IVerificationLimiter
{
    /// <summary>How long a reservation may stay unsettled before it counts as a failure.</summary>
    /// <remarks>A verification takes milliseconds; each of its statements is bounded by Npgsql's 30 s command timeout, so
    /// an attempt older than this is one whose node died or lost the database. Longer would keep a dead node's attempts
    /// holding the account's last free attempts longer.</remarks>
    public static readonly TimeSpan ReservationLifetime = TimeSpan.FromSeconds(30);

    /// <summary>How often a waiting request looks again for attempts settled on other nodes.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Longest wait for attempts in flight to settle before the request is refused as rate-limited.</summary>
    /// <remarks>Live attempts settle in milliseconds; only a dead node's attempts outlast this, until their lifetime ends.</remarks>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    /// <summary>Accounts with waiters signalled at once before the signals are dropped (the waiters then poll).</summary>
    public const int MaxTrackedAccounts = 10_000;

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _settledHere = new(StringComparer.Ordinal);
    private readonly OneAtATimePerKey _reservations = new();
    /// <summary>Raised when a request starts waiting (tests use it to know that one is, without polling).</summary>
    internal event Action? WaitStarted;
    private long _pollsStarted, _pollsEnded;

    /// <summary>Polls begun and ended so far. Tests drive the fake clock by them: when every request still running is
    /// waiting on a poll, nothing else is in flight and advancing the clock one interval wakes them all.</summary>
    internal (long Started, long Ended) Polls => (Interlocked.Read(ref _pollsStarted), Interlocked.Read(ref _pollsEnded));

    /// <summary>Raised when a poll begins or ends.</summary>
    internal event Action? PollsChanged;

    public async Task<(VerificationAttempt? Attempt, DateTimeOffset RetryAt)> TryReserveAsync(string account, DateTimeOffset now, CancellationToken ct)
    {
        string id = "vr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        DateTimeOffset deadline = now + MaxWait;
        Task? settledHere = null;
        bool waiting = false;
        while (true)
        {
            DateTimeOffset at = now;
            VerificationReservation r = await _reservations.RunAsync(account, () =>
                store.TryReserveVerificationAsync(account, id, maxFailures, window, ReservationLifetime, at, ct), ct).ConfigureAwait(false);
            if (r.Outcome == ReservationOutcome.Granted) return (new Attempt(this, account, id, now), default);
            if (r.Outcome == ReservationOutcome.Blocked || now >= deadline) return (null, r.RetryAt);
            if (settledHere is null)
            {
                // Take the signal, then look again at once: a settlement between the answer above and taking the signal
                // would otherwise be missed until the next poll.
                if (_settledHere.Count >= MaxTrackedAccounts) _settledHere.Clear();
                settledHere = _settledHere.GetOrAdd(account, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                continue;
            }
            Task poll = Task.Delay(PollInterval, time, ct);   // before WaitStarted: a test advancing the clock on it must find the timer
            if (!waiting)
            {
                waiting = true;
                WaitStarted?.Invoke();
            }
            Interlocked.Increment(ref _pollsStarted);
            PollsChanged?.Invoke();
            try
            {
                await Task.WhenAny(settledHere, poll).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Increment(ref _pollsEnded);
                PollsChanged?.Invoke();
            }
            ct.ThrowIfCancellationRequested();
            if (settledHere.IsCompleted) settledHere = null;
            DateTimeOffset clock = time.GetUtcNow();
            if (clock > now) now = clock;   // a dead node's reservations expire by the clock, not by the request's start
        }
    }

    public async Task<(bool Blocked, DateTimeOffset RetryAt)> IsBlockedAsync(string account, DateTimeOffset now, CancellationToken ct) =>
        await store.GetVerificationBlockAsync(account, maxFailures, now, ct).ConfigureAwait(false) is { } retryAt ? (true, retryAt) : (false, default);

    public Task<bool> ClearFailuresAsync(string account, DateTimeOffset now, CancellationToken ct) =>
        store.ClearVerificationFailuresAsync(account, now, ct);

    private async ValueTask SettleAsync(string account, string id, VerificationSettlement how, DateTimeOffset at)
    {
        try
        {
            // Not cancellable (see VerificationAttempt). If the database fails here, the reservation stays and expires as a failure.
            await store.SettleVerificationAsync(account, id, how, window, at, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (_settledHere.TryRemove(account, out TaskCompletionSource? settled)) settled.TrySetResult();
        }
    }

    private sealed class Attempt(SharedVerificationLimiter limiter, string account, string id, DateTimeOffset at) : VerificationAttempt
    {
        protected override ValueTask SettleAsync(VerificationSettlement how) => limiter.SettleAsync(account, id, how, at);
    }
}

/// <summary>The one-time code send limit of nodes that share the flows' PostgreSQL database: the sends are recorded there,
/// so one per interval and the hourly cap hold across every node.</summary>
/// <remarks>One statement under the account's advisory lock checks and records (<see cref="ISharedLimitStore"/>); a database
/// that cannot be reached fails the send with its exception, and nothing is sent. Thread-safe.</remarks>
internal sealed class SharedOneTimeCodeSendLimiter(ISharedLimitStore store, TimeSpan interval, int perHour) : IOneTimeCodeSendLimiter
{
    private readonly OneAtATimePerKey _sends = new();

    public Task<(bool Acquired, DateTimeOffset RetryAt)> TryAcquireAsync(string account, DateTimeOffset now, CancellationToken ct) =>
        _sends.RunAsync(account, () => store.TryRecordOneTimeCodeSendAsync(account, interval, perHour, now, ct), ct);
}
