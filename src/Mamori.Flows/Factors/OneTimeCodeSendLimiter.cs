using System.Collections.Concurrent;

namespace Mamori.Flows.Factors;

/// <summary>Per-account limit on one-time codes sent, in the process's memory: a minimum interval between two sends and a
/// maximum per rolling hour. The limiter of a single node (SQLite); <see cref="SharedOneTimeCodeSendLimiter"/> is the one
/// for nodes sharing PostgreSQL.</summary>
/// <remarks>
/// Every send is an SMS or e-mail that the operator pays for and the holder receives. Unlimited, 30 calls made 30 SMS:
/// SMS pumping (toll fraud on premium numbers) and harassment of the holder. The check and the record are one step under
/// the account's lock, so parallel requests cannot pass it together. In memory: a restart forgives it. Bounded: at
/// <see cref="MaxTrackedAccounts"/> entries, accounts with no send in the last hour are swept first. Thread-safe.
/// </remarks>
internal sealed class OneTimeCodeSendLimiter(TimeSpan interval, int perHour) : IOneTimeCodeSendLimiter
{
    /// <summary>Accounts tracked at once before idle entries are swept.</summary>
    public const int MaxTrackedAccounts = 100_000;
    private static readonly TimeSpan s_hour = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, Sends> _sends = new(StringComparer.Ordinal);

    /// <summary>The last <c>perHour</c> send times of one account, a ring; read and written under the instance's lock.</summary>
    private sealed class Sends(int capacity)
    {
        public readonly DateTimeOffset[] Times = new DateTimeOffset[capacity];
        public int Next;        // slot of the next send: once the ring is full, it holds the oldest
        public int Count;
        public bool Removed;    // swept out of the map: a caller holding it must look again

        public DateTimeOffset Last => Times[(Next + Times.Length - 1) % Times.Length];
    }

    public Task<(bool Acquired, DateTimeOffset RetryAt)> TryAcquireAsync(string account, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult((TryAcquire(account, now, out DateTimeOffset retryAt), retryAt));

    /// <summary>Records a send for the account if it is allowed now; otherwise false, with the time it will be.</summary>
    public bool TryAcquire(string account, DateTimeOffset now, out DateTimeOffset retryAt)
    {
        while (true)
        {
            if (_sends.Count >= MaxTrackedAccounts) Sweep(now);
            Sends s = _sends.GetOrAdd(account, static (_, capacity) => new Sends(capacity), perHour);
            lock (s)
            {
                if (s.Removed) continue;
                retryAt = default;
                if (s.Count > 0 && now < s.Last + interval) retryAt = s.Last + interval;
                if (s.Count == perHour && now < s.Times[s.Next] + s_hour && s.Times[s.Next] + s_hour > retryAt) retryAt = s.Times[s.Next] + s_hour;
                if (retryAt != default) return false;
                s.Times[s.Next] = now;
                s.Next = (s.Next + 1) % perHour;
                s.Count = Math.Min(s.Count + 1, perHour);
                return true;
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (KeyValuePair<string, Sends> pair in _sends)
        {
            lock (pair.Value)
            {
                if (now - pair.Value.Last < s_hour || now - pair.Value.Last < interval) continue;
                pair.Value.Removed = true;
            }
            _sends.TryRemove(pair);
        }
    }
}
