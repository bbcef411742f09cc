using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Mamori.State;

/// <summary>What a <see cref="KeyedTable{T}"/> value tells eviction: the minute it was last touched.</summary>
internal interface ILastSeen
{
    /// <summary>Minute (event time) of the last touch; the coldest of a sample is evicted.</summary>
    uint LastSeen { get; }
}

/// <summary>
/// A bounded map from a 64-bit key to a struct. Entries (key and value side by side) live in one array that grows up
/// to the capacity; an open-addressing index (linear probing over a <c>uint[]</c>, about 5 bytes a key) finds them.
/// When full, the coldest of a few sampled entries is evicted (Redis's approximated LRU), so memory is fixed by
/// capacity however many keys arrive.
/// </summary>
/// <remarks>
/// <para>Written by hand instead of <see cref="Dictionary{TKey,TValue}"/>: its 28 bytes of entry and bucket per key would
/// be a quarter of the 107-byte budget a tracked address has (10M addresses in 1 GiB). Not thread-safe: the store
/// serialises access. Sampling walks a fixed sequence, so eviction is deterministic.</para>
/// <para>Built for tables far larger than the CPU's caches, where a lookup's cost is its cache misses. An index word
/// holds the entry's number in its low bits and, in the bits the capacity leaves free, a tag of the key's hash: a
/// probe passes other keys' words without touching their entries (an unsuccessful lookup at three-quarters load
/// would otherwise read eight entries, each a miss). The key sits in its entry, so a hit costs two misses — index
/// word, entry — and <see cref="Prefetch"/> lets a caller that knows its next keys start both early.</para>
/// </remarks>
internal sealed class KeyedTable<T> where T : unmanaged, ILastSeen
{
    private const int EvictionSamples = 8;
    private const int InitialSize = 1024;

    /// <summary>A key and its value, side by side: a hit touches one place.</summary>
    internal struct Entry
    {
        public ulong Key;
        public T Value;
    }

    private Entry[] _entries;
    private uint[] _index;          // (tag << _slotBits) | (slot + 1); 0 = empty. Length: a power of two ≥ 4/3 of the entries
    private int _mask;
    private int _count;
    private readonly int _slotBits;
    private readonly uint _slotMask;
    private readonly int _tagBits;
    private ulong _sampleCursor = 0x2545F4914F6CDD1DUL;
    private int _lastSlot;          // the entry GetOrAdd last returned, for callers that keep hints

    public KeyedTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _slotBits = 32 - BitOperations.LeadingZeroCount((uint)capacity);   // holds slot + 1 ≤ capacity
        _slotMask = _slotBits == 32 ? uint.MaxValue : (1u << _slotBits) - 1;
        _tagBits = 32 - _slotBits;
        int initial = Math.Min(capacity, InitialSize);
        _entries = new Entry[initial];
        _index = new uint[IndexSize(initial)];
        _mask = _index.Length - 1;
    }

    public int Capacity { get; }
    public int Count => _count;
    public long Evictions { get; private set; }

    /// <summary>The entry for <paramref name="key"/>, or a null reference when absent.</summary>
    public ref T Find(ulong key)
    {
        int position = Probe(key, Hashing.Mix(key));
        uint word = _index[position];
        if (word == 0) return ref Unsafe.NullRef<T>();
        return ref _entries[(int)(word & _slotMask) - 1].Value;
    }

    /// <summary>
    /// <see cref="Find(ulong)"/>, trying the entry at <paramref name="hint"/> first; on return <paramref name="hint"/>
    /// holds the entry's number (unchanged when absent).
    /// </summary>
    /// <remarks>A hint is only a guess, checked against the entry's key, so a stale one (the entry evicted, the table
    /// grown) costs one comparison and never a wrong answer.</remarks>
    public ref T Find(ulong key, ref int hint)
    {
        if ((uint)hint < (uint)_count && _entries[hint].Key == key) return ref _entries[hint].Value;
        int position = Probe(key, Hashing.Mix(key));
        uint word = _index[position];
        if (word == 0) return ref Unsafe.NullRef<T>();
        hint = (int)(word & _slotMask) - 1;
        return ref _entries[hint].Value;
    }

    /// <summary><see cref="GetOrAdd(ulong, out bool)"/>, trying the entry at <paramref name="hint"/> first (see
    /// <see cref="Find(ulong, ref int)"/>); on return <paramref name="hint"/> holds the entry's number.</summary>
    public ref T GetOrAdd(ulong key, out bool added, ref int hint)
    {
        if ((uint)hint < (uint)_count && _entries[hint].Key == key)
        {
            added = false;
            return ref _entries[hint].Value;
        }
        ref T value = ref GetOrAdd(key, out added);
        hint = _lastSlot;
        return ref value;
    }

    /// <summary>The entry for <paramref name="key"/>, created (zeroed) if absent; evicts a cold entry when full.</summary>
    public ref T GetOrAdd(ulong key, out bool added)
    {
        ulong hash = Hashing.Mix(key);
        int position = Probe(key, hash);
        uint word = _index[position];
        if (word != 0)
        {
            added = false;
            _lastSlot = (int)(word & _slotMask) - 1;
            return ref _entries[_lastSlot].Value;
        }
        added = true;
        if (_count == Capacity)
        {
            int victim = PickVictim(key);
            RemoveIndex(_entries[victim].Key);
            Evictions++;
            ref Entry reused = ref _entries[victim];
            reused.Key = key;
            reused.Value = default;
            _index[Probe(key, hash)] = Word(hash, victim);   // positions moved while removing; probe again
            _lastSlot = victim;
            return ref reused.Value;
        }
        if (_count == _entries.Length)
        {
            Grow();
            position = Probe(key, hash);
        }
        int slot = _count++;
        _lastSlot = slot;
        ref Entry entry = ref _entries[slot];
        entry.Key = key;
        entry.Value = default;
        _index[position] = Word(hash, slot);
        return ref entry.Value;
    }

    /// <summary>
    /// A hint that <paramref name="key"/> will be looked up soon: the first call (<paramref name="entry"/> false)
    /// starts loading its index word; a later one (true), once that word is likely in cache, starts loading the entry
    /// it points to. Changes nothing, and is safe without the owner's lock: it reads each array once, so a table
    /// growing meanwhile only makes the hint useless.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong key, bool entry)
    {
        if (!Sse.IsSupported) return;
        uint[] index = _index;
        int position = (int)(Hashing.Mix(key) & (uint)(index.Length - 1));
        if (!entry)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref index[position]));
            return;
        }
        int slot = (int)(index[position] & _slotMask) - 1;
        Entry[] entries = _entries;
        if ((uint)slot >= (uint)entries.Length) return;
        // Every cache line the entry touches (it need not start on a line boundary).
        nuint start = (nuint)Unsafe.AsPointer(ref entries[slot]);
        nuint end = start + (nuint)Unsafe.SizeOf<Entry>();
        for (nuint line = start & ~(nuint)63; line < end; line += 64) Sse.Prefetch0((void*)line);
    }

    /// <summary>Every live entry, for snapshots.</summary>
    public IEnumerable<(ulong Key, T Value)> Entries()
    {
        for (int i = 0; i < _count; i++) yield return (_entries[i].Key, _entries[i].Value);
    }

    private static int IndexSize(int slots) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, slots + slots / 3 + 1));

    // The position takes the hash's low bits, the tag its high ones, so the two are independent.
    private uint Tag(ulong hash) => _tagBits == 0 ? 0 : (uint)(hash >> (64 - _tagBits)) << _slotBits;

    private uint Word(ulong hash, int slot) => Tag(hash) | (uint)(slot + 1);

    /// <summary>The position of <paramref name="key"/>'s word, or of the empty word where it would go.</summary>
    private int Probe(ulong key, ulong hash)
    {
        uint tag = Tag(hash);
        uint tagMask = ~_slotMask;
        int position = (int)(hash & (uint)_mask);
        while (true)
        {
            uint word = _index[position];
            if (word == 0) return position;
            if ((word & tagMask) == tag && _entries[(int)(word & _slotMask) - 1].Key == key) return position;
            position = (position + 1) & _mask;
        }
    }

    /// <summary>Backward-shift deletion: keeps every probe chain unbroken without tombstones.</summary>
    private void RemoveIndex(ulong key)
    {
        int hole = Probe(key, Hashing.Mix(key));
        if (_index[hole] == 0) return;
        _index[hole] = 0;
        int position = (hole + 1) & _mask;
        while (_index[position] != 0)
        {
            int slot = (int)(_index[position] & _slotMask) - 1;
            int home = (int)(Hashing.Mix(_entries[slot].Key) & (uint)_mask);
            // Move the entry back into the hole unless its home lies cyclically in (hole, position].
            bool between = hole <= position ? home > hole && home <= position : home > hole || home <= position;
            if (!between)
            {
                _index[hole] = _index[position];
                _index[position] = 0;
                hole = position;
            }
            position = (position + 1) & _mask;
        }
    }

    private void Grow()
    {
        int size = (int)Math.Min(Capacity, Math.Max(InitialSize, (long)_entries.Length * 2));
        Array.Resize(ref _entries, size);
        _index = new uint[IndexSize(size)];
        _mask = _index.Length - 1;
        for (int slot = 0; slot < _count; slot++)
        {
            ulong hash = Hashing.Mix(_entries[slot].Key);
            int position = (int)(hash & (uint)_mask);
            while (_index[position] != 0) position = (position + 1) & _mask;
            _index[position] = Word(hash, slot);
        }
    }

    private int PickVictim(ulong incoming)
    {
        int victim = -1;
        uint oldest = uint.MaxValue;
        for (int i = 0; i < EvictionSamples; i++)
        {
            _sampleCursor = _sampleCursor * 6364136223846793005UL + 1442695040888963407UL;
            int candidate = (int)((_sampleCursor >> 33) % (ulong)_count);
            ref Entry entry = ref _entries[candidate];
            if (entry.Key == incoming) continue;
            uint seen = entry.Value.LastSeen;
            if (seen < oldest) { oldest = seen; victim = candidate; }
        }
        return victim < 0 ? 0 : victim;
    }
}
