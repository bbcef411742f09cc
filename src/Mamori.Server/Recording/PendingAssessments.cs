using System.Collections.Concurrent;

namespace Mamori.Server.Recording;

/// <summary>
/// Logins between two calls, keyed by request id: pre-auth assessments awaiting their outcome, or outcomes awaiting
/// their step-up. Bounded in count (the oldest give way) and in time (entries expire after a TTL).
/// </summary>
/// <remarks>
/// Thread-safe. Each entry is taken at most once (<see cref="TryTake"/>), so a replayed outcome cannot be recorded
/// twice. The insertion queue may hold ids already taken; they are skipped when they reach its head.
/// </remarks>
public sealed class PendingAssessments<T> where T : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Id, long Sequence)> _order = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly int _capacity;
    private readonly Lock _trimGate = new();
    private long _sequence;
    private int _count;

    /// <summary>Creates a map holding at most <paramref name="capacity"/> entries for <paramref name="ttl"/> each.</summary>
    public PendingAssessments(TimeProvider time, TimeSpan ttl, int capacity)
    {
        _time = time; _ttl = ttl; _capacity = capacity;
    }

    /// <summary>Entries held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds an entry under a fresh id.</summary>
    public void Add(string id, T value)
    {
        long sequence = Interlocked.Increment(ref _sequence);
        DateTimeOffset now = _time.GetUtcNow();
        if (!_entries.TryAdd(id, new Entry(value, now + _ttl, sequence))) throw new InvalidOperationException("Request ids must be unique.");
        Interlocked.Increment(ref _count);
        _order.Enqueue((id, sequence));
        Trim(now);
    }

    /// <summary>Removes and returns the entry, unless it is unknown or expired.</summary>
    public bool TryTake(string id, out T value)
    {
        if (_entries.TryRemove(id, out Entry entry))
        {
            Interlocked.Decrement(ref _count);
            if (entry.ExpiresAt > _time.GetUtcNow())
            {
                value = entry.Value;
                return true;
            }
        }
        value = null!;
        return false;
    }

    private void Trim(DateTimeOffset now)
    {
        // Drop from the head while over capacity or expired; ids already taken are skipped. One trimmer at a time, so
        // the head peeked is the head dequeued.
        lock (_trimGate)
        {
            TrimLocked(now);
        }
    }

    private void TrimLocked(DateTimeOffset now)
    {
        while (_order.TryPeek(out (string Id, long Sequence) head))
        {
            bool present = _entries.TryGetValue(head.Id, out Entry entry) && entry.Sequence == head.Sequence;
            if (present && Volatile.Read(ref _count) <= _capacity && entry.ExpiresAt > now) return;
            if (!_order.TryDequeue(out head)) return;
            if (present && _entries.TryRemove(new KeyValuePair<string, Entry>(head.Id, entry))) Interlocked.Decrement(ref _count);
        }
    }

    private readonly record struct Entry(T Value, DateTimeOffset ExpiresAt, long Sequence);
}
