using System.Collections.Concurrent;

namespace Mamori.Flows.Factors;

/// <summary>Per-account count of failed step-up verifications in a fixed window, in the process's memory; blocks further
/// attempts past the limit. The limiter of a single node (SQLite); <see cref="SharedVerificationLimiter"/> is the one for
/// nodes sharing PostgreSQL.</summary>
/// <remarks>
/// Shared by TOTP, one-time codes, recovery codes and passkeys, so an attacker cannot spread guesses across factors.
/// An attempt is reserved before its code is checked (<see cref="TryReserveAsync"/>) and settled after: checking the count
/// first and adding the failure later let 200 parallel wrong codes get 9 checks at a limit of 5. A failure keeps the
/// reservation, a success clears the window (the limit is on consecutive failures, NIST SP 800-63B §5.2.2), and an outcome
/// that was no guess (the code just accepted sent again, an account with nothing to guess) gives it back. While reserved
/// attempts could still fill the limit, the next one waits for them to settle rather than being refused, so a
/// double-submitted code is never answered 429 because of its own twin; at most the remaining failures are ever in flight.
/// In memory: a restart forgives the count (acceptable: the window is minutes). Bounded: at <see cref="MaxTrackedAccounts"/>
/// entries, idle windows are swept before a new account is added. Thread-safe.
/// </remarks>
internal sealed class VerificationLimiter(int maxFailures, TimeSpan window) : IVerificationLimiter
{
    /// <summary>Accounts tracked at once before idle entries are swept.</summary>
    public const int MaxTrackedAccounts = 100_000;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>One account's count. Every field is read and written under the instance's lock.</summary>
    internal sealed class Window
    {
        public DateTimeOffset Start;        // time of the window's first failure
        public int Failures;                // settled failures since Start
        public int Pending;                 // reserved attempts not settled yet
        public bool Removed;                // taken out of the map: a caller holding it must look again
        public TaskCompletionSource? Settled;   // completed when a pending attempt settles, so waiters look again
    }

    /// <summary>A reserved attempt; settles synchronously, under the account's lock.</summary>
    private sealed class Attempt(VerificationLimiter limiter, string account, Window window, DateTimeOffset at) : VerificationAttempt
    {
        protected override ValueTask SettleAsync(VerificationSettlement how)
        {
            limiter.Settle(account, window, how, at);
            return ValueTask.CompletedTask;
        }
    }

    public Task<(bool Blocked, DateTimeOffset RetryAt)> IsBlockedAsync(string account, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult((IsBlocked(account, now, out DateTimeOffset retryAt), retryAt));

    /// <summary>True when the account has used up its failures in the current window.</summary>
    public bool IsBlocked(string account, DateTimeOffset now, out DateTimeOffset retryAt)
    {
        retryAt = default;
        if (!_windows.TryGetValue(account, out Window? w)) return false;
        lock (w)
        {
            if (w.Failures == 0 || now - w.Start >= window) return false;
            retryAt = w.Start + window;
            return w.Failures >= maxFailures;
        }
    }

    public async Task<(VerificationAttempt? Attempt, DateTimeOffset RetryAt)> TryReserveAsync(string account, DateTimeOffset now, CancellationToken ct)
    {
        while (true)
        {
            if (_windows.Count >= MaxTrackedAccounts) Sweep(now);
            Window w = _windows.GetOrAdd(account, static _ => new Window());
            Task settled;
            lock (w)
            {
                if (w.Removed) continue;
                if (w.Failures > 0 && now - w.Start >= window) w.Failures = 0;   // the window passed: its failures are forgiven
                if (w.Failures >= maxFailures) return (null, w.Start + window);
                if (w.Failures + w.Pending < maxFailures)
                {
                    w.Pending++;
                    return (new Attempt(this, account, w, now), default);
                }
                settled = (w.Settled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await settled.WaitAsync(ct);
        }
    }

    public Task<bool> ClearFailuresAsync(string account, DateTimeOffset now, CancellationToken ct)
    {
        if (!_windows.TryGetValue(account, out Window? w)) return Task.FromResult(false);
        bool had;
        TaskCompletionSource? settled;
        lock (w)
        {
            had = w.Failures > 0 && now - w.Start < window;
            w.Failures = 0;
            settled = ReleaseLocked(account, w);   // a request waiting for room looks again
        }
        settled?.TrySetResult();
        return Task.FromResult(had);
    }

    private void Settle(string account, Window w, VerificationSettlement how, DateTimeOffset at)
    {
        TaskCompletionSource? settled;
        lock (w)
        {
            w.Pending--;
            switch (how)
            {
                case VerificationSettlement.Failure:
                    if (w.Failures == 0 || at - w.Start >= window) { w.Start = at; w.Failures = 0; }
                    w.Failures++;
                    break;
                case VerificationSettlement.Success:
                    w.Failures = 0;
                    break;
            }
            settled = ReleaseLocked(account, w);
        }
        settled?.TrySetResult();
    }

    /// <summary>
    /// After a change to <paramref name="w"/>, under its lock: drops the entry when nothing is left to remember (so
    /// verified accounts do not fill the map), and takes the waiters' signal, for the caller to complete once the lock
    /// is released.
    /// </summary>
    private TaskCompletionSource? ReleaseLocked(string account, Window w)
    {
        if (w.Pending == 0 && w.Failures == 0 && !w.Removed)
        {
            w.Removed = true;
            _windows.TryRemove(new KeyValuePair<string, Window>(account, w));
        }
        TaskCompletionSource? settled = w.Settled;
        w.Settled = null;
        return settled;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (KeyValuePair<string, Window> pair in _windows)
        {
            lock (pair.Value)
            {
                if (pair.Value.Pending > 0 || (pair.Value.Failures > 0 && now - pair.Value.Start < window)) continue;
                pair.Value.Removed = true;
            }
            _windows.TryRemove(pair);
        }
    }
}
