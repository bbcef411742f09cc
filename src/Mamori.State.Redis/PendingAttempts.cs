using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mamori.Signals;

namespace Mamori.State.Redis;

/// <summary>
/// The pre-auths a node has read but whose attempts Redis has not counted yet (docs/adr/0021): each waits for its
/// outcome, which counts it in the same script (<see cref="TryClaim"/>), or is sent alone once it has waited
/// <see cref="RedisSignalStoreOptions.AttemptWait"/> (<see cref="TakeDue"/>: a pre-auth denied, abandoned, or held up
/// by a challenge the user is still answering). While they wait, this node's reads add them (<see cref="Waiting"/>),
/// so one node sees its own attempts at once, as the embedded store does; other nodes see them once Redis has them.
/// </summary>
/// <remarks>
/// Keyed by the attempt's <see cref="SignalKeys"/>: an outcome carries its pre-auth's keys, so it finds its own entry;
/// pre-auths with the same keys in flight at once share one entry and are claimed oldest first. Beside the entries,
/// what they add to each counter they touch (a source's attempts and accounts, the global attempts), per generation, as
/// <see cref="Part"/>s that <c>parts</c> computes from the keys and the time. Bounded: when <see cref="Capacity"/>
/// attempts wait, a pre-auth counts its attempt at once, as without deferring. Thread-safe: one lock, held for a few
/// dictionary operations (and, twice a second at most, for a scan of the entries).
/// </remarks>
internal sealed class PendingAttempts(int capacity, long waitTicks, PendingAttempts.PartsOf parts)
{
    /// <summary>What one waiting attempt adds to one counter: a source's (its key, short and long generation, the
    /// account's bit in the 64-bit map) or the global rates' (<see cref="GlobalKey"/>, the bucket, 0, -1).</summary>
    public readonly record struct Part(ulong Key, long First, long Second, int Bit);

    /// <summary>An attempt's parts, into <c>into</c>; returns how many (at most <see cref="MaxParts"/>).</summary>
    public delegate int PartsOf(in SignalKeys keys, DateTimeOffset at, Span<Part> into);

    /// <summary>What waiting attempts add to one counter in one generation.</summary>
    public readonly record struct Addition(long First, long Second, int Count, ulong Bits);

    /// <summary>What attempts that are due add to counter <see cref="Key"/> in one generation: sent to Redis together.</summary>
    public readonly record struct Due(ulong Key, long First, long Second, int Count, ulong Bits);

    /// <summary>The key the global rates' parts go under.</summary>
    public const ulong GlobalKey = 0;

    /// <summary>Most parts an attempt has (five sources and the global rates).</summary>
    public const int MaxParts = 6;

    private readonly Lock _gate = new();
    private readonly Dictionary<SignalKeys, Entry> _entries = [];
    private readonly Dictionary<ulong, List<Addition>> _additions = [];
    private int _count;
    private long _nextDue = long.MaxValue;
    private (long, long, long) _epoch;

    /// <summary>Most attempts that wait at once.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Attempts waiting now.</summary>
    public int Count { get { lock (_gate) return _count; } }

    /// <summary>Whether one more attempt may wait (checked before its pre-auth is sent as a read).</summary>
    public bool HasRoom { get { lock (_gate) return _count < Capacity; } }

    /// <summary>Keeps a read pre-auth's attempt until its outcome claims it or it is due (false: no room left; count it now).</summary>
    /// <remarks><paramref name="epoch"/>: the attempt's global bucket and source generations. Attempts of an earlier
    /// epoch are all due as soon as a login of a later one comes (<see cref="TakeDue"/>), so Redis counts them before
    /// that login rolls its windows: each in its own bucket and generation, as the embedded store counts them.</remarks>
    public bool TryAdd(in SignalKeys keys, DateTimeOffset at, long timestamp, (long, long, long) epoch, byte[]? account = null)
    {
        Span<Part> p = stackalloc Part[MaxParts];
        int n = parts(in keys, at, p);
        lock (_gate)
        {
            if (_count >= Capacity) return false;
            _epoch = (Math.Max(_epoch.Item1, epoch.Item1), Math.Max(_epoch.Item2, epoch.Item2), Math.Max(_epoch.Item3, epoch.Item3));
            ref Entry entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, keys, out bool exists);
            if (exists) (entry.Later ??= []).Add(at);
            else entry = new Entry(at, timestamp, null, true, account);
            _count++;
            if (timestamp + waitTicks < _nextDue) _nextDue = timestamp + waitTicks;
            for (int i = 0; i < n; i++) Change(p[i], +1);
        }
        return true;
    }

    /// <summary>Takes the oldest waiting attempt with these keys, for its outcome to count (false: none waits; it was sent
    /// alone or never read); <paramref name="read"/> says whether <paramref name="account"/> is the account's record as
    /// its pre-auth read it (null: none stored then), for the outcome to compute what it learns.</summary>
    public bool TryClaim(in SignalKeys keys) => TryClaim(keys, out _, out _);

    /// <inheritdoc cref="TryClaim(in SignalKeys)"/>
    public bool TryClaim(in SignalKeys keys, out bool read, out byte[]? account)
    {
        read = false;
        account = null;
        Span<Part> p = stackalloc Part[MaxParts];
        lock (_gate)
        {
            ref Entry entry = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, keys);
            if (Unsafe.IsNullRef(ref entry)) return false;
            DateTimeOffset at = entry.At;
            (read, account) = (entry.Read, entry.Account);
            if (entry.Later is { Count: > 0 } later) { entry.At = later[0]; later.RemoveAt(0); entry.Read = false; entry.Account = null; }
            else _entries.Remove(keys);
            _count--;
            int n = parts(in keys, at, p);
            for (int i = 0; i < n; i++) Change(p[i], -1);
            return true;
        }
    }

    /// <summary>The attempts that have waited their time, or all of them (<paramref name="all"/>, or a login of a
    /// later <paramref name="epoch"/> than theirs: an edge's clock a little behind the others' flushes nothing), removed
    /// and summed per counter and generation (their accounts' bits together), oldest generation first: what the caller
    /// sends Redis in one script.</summary>
    public List<Due>? TakeDue(long now, (long, long, long) epoch, bool all = false)
    {
        Span<Part> p = stackalloc Part[MaxParts];
        lock (_gate)
        {
            if (_count == 0) return null;
            all |= epoch.Item1 > _epoch.Item1 || epoch.Item2 > _epoch.Item2 || epoch.Item3 > _epoch.Item3;
            if (!all && now < _nextDue) return null;
            var due = new List<(SignalKeys, DateTimeOffset)>();
            long next = long.MaxValue;
            foreach ((SignalKeys keys, Entry entry) in _entries)
            {
                if (all || now >= entry.Since + waitTicks)
                {
                    due.Add((keys, entry.At));
                    if (entry.Later is { } later) foreach (DateTimeOffset at in later) due.Add((keys, at));
                }
                else if (entry.Since + waitTicks < next) next = entry.Since + waitTicks;
            }
            var sums = new Dictionary<(ulong, long, long), (int Count, ulong Bits)>();
            foreach ((SignalKeys keys, DateTimeOffset at) in due)
            {
                _entries.Remove(keys);
                _count--;
                int n = parts(in keys, at, p);
                for (int i = 0; i < n; i++)
                {
                    Change(p[i], -1);
                    ref (int Count, ulong Bits) sum = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, (p[i].Key, p[i].First, p[i].Second), out _);
                    sum.Count++;
                    if (p[i].Bit >= 0) sum.Bits |= 1UL << p[i].Bit;
                }
            }
            // The next scan comes when the oldest left is due, but not before a tenth of the wait has passed: under a
            // stream of denied pre-auths something is due at every login, and each scan walks every entry.
            _nextDue = all ? next : Math.Max(next, now + waitTicks / 10);
            var sent = new List<Due>(sums.Count);
            foreach (((ulong key, long first, long second), (int count, ulong bits)) in sums) sent.Add(new Due(key, first, second, count, bits));
            sent.Sort((a, b) => (a.First, a.Second).CompareTo((b.First, b.Second)));
            return sent;
        }
    }

    /// <summary>What waiting attempts add to the counter <paramref name="key"/>, oldest generation first: into
    /// <paramref name="into"/> when it has room (returns how many), or into a new array (<paramref name="more"/>) when
    /// not. Usually one generation or none: attempts wait for a password check.</summary>
    public int Waiting(ulong key, Span<Addition> into, out Addition[]? more)
    {
        more = null;
        lock (_gate)
        {
            if (_count == 0 || !_additions.TryGetValue(key, out List<Addition>? list)) return 0;
            if (list.Count > into.Length) into = more = new Addition[list.Count];
            for (int i = 0; i < list.Count; i++) into[i] = list[i];
            return list.Count;
        }
    }

    private void Change(in Part part, int by)
    {
        ref List<Addition>? list = ref CollectionsMarshal.GetValueRefOrAddDefault(_additions, part.Key, out _);
        list ??= [];
        int i = 0;
        while (i < list.Count && (list[i].First, list[i].Second).CompareTo((part.First, part.Second)) < 0) i++;
        ulong bit = part.Bit < 0 ? 0 : 1UL << part.Bit;
        if (i < list.Count && list[i].First == part.First && list[i].Second == part.Second)
        {
            Addition a = list[i];
            int count = a.Count + by;
            // A claimed attempt's bit stays until its generation has none waiting: Redis has it by then (same map).
            if (count == 0) list.RemoveAt(i);
            else list[i] = a with { Count = count, Bits = a.Bits | (by > 0 ? bit : 0) };
        }
        else if (by > 0)
        {
            list.Insert(i, new Addition(part.First, part.Second, by, bit));
        }
        if (list.Count == 0) _additions.Remove(part.Key);
    }

    /// <summary>The first waiting pre-auth's time (sent with it) and clock reading, the times of later ones with the same
    /// keys, and the account's record as the first one read it (<c>Read</c>; null: none stored).</summary>
    private record struct Entry(DateTimeOffset At, long Since, List<DateTimeOffset>? Later, bool Read, byte[]? Account);
}
