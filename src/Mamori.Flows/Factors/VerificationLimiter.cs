using System.Collections.Concurrent;

namespace Mamori.Flows.Factors;

/// <summary>Per-account count of failed step-up verifications in a fixed window; blocks further attempts past the limit.</summary>
/// <remarks>
/// Shared by TOTP, one-time codes, recovery codes and passkeys, so an attacker cannot spread guesses across factors.
/// In memory: a restart forgives the count (acceptable: the window is minutes). Bounded: at <see cref="MaxTrackedAccounts"/>
/// entries, expired windows are swept before a new account is added. Thread-safe.
/// </remarks>
internal sealed class VerificationLimiter(int maxFailures, TimeSpan window)
{
    /// <summary>Accounts tracked at once before expired entries are swept.</summary>
    public const int MaxTrackedAccounts = 100_000;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start = start;
        public int Failures;
    }

    /// <summary>True when the account has used up its failures in the current window.</summary>
    public bool IsBlocked(string account, DateTimeOffset now, out DateTimeOffset retryAt)
    {
        retryAt = default;
        if (!_windows.TryGetValue(account, out Window? w)) return false;
        lock (w)
        {
            if (now - w.Start >= window) return false;
            retryAt = w.Start + window;
            return w.Failures >= maxFailures;
        }
    }

    public void RecordFailure(string account, DateTimeOffset now)
    {
        if (_windows.Count >= MaxTrackedAccounts) Sweep(now);
        Window w = _windows.GetOrAdd(account, static (_, t) => new Window(t), now);
        lock (w)
        {
            if (now - w.Start >= window) { w.Start = now; w.Failures = 0; }
            w.Failures++;
        }
    }

    public void Reset(string account) => _windows.TryRemove(account, out _);

    private void Sweep(DateTimeOffset now)
    {
        foreach (KeyValuePair<string, Window> pair in _windows)
            if (now - pair.Value.Start >= window) _windows.TryRemove(pair.Key, out _);
    }
}
