using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Mamori.State;

/// <summary>What a <see cref="KeyedTable{T}"/> value tells eviction: the minute it was last touched.</summary>
internal interface ILastSeen
{
    /// <summary>Minute (event time) of the last touch; the coldest of a sample is evicted.</summary>
    uint LastSeen { get; }
}

/// <summary>
/// A bounded map from a 64-bit key to a struct. Entries (key and value side by side) live in chunks of
/// <see cref="ChunkSize"/> added as the table fills, up to the capacity; an open-addressing index (linear probing over
/// a <c>uint[]</c>, about 5 bytes a key) finds them.
/// When full, the coldest of a few sampled entries is evicted (Redis's approximated LRU), so memory is fixed by
/// capacity however many keys arrive.
/// </summary>
/// <remarks>
/// <para>Written by hand instead of <see cref="Dictionary{TKey,TValue}"/>: its 28 bytes of entry and bucket per key would
/// be a quarter of the 107-byte budget a tracked address has (10M addresses in 1 GiB). Not thread-safe (but for the
/// hints <see cref="Prefetch"/> and <see cref="PrepareGrowth"/>, which change no entry): the store
/// serialises access. Sampling walks a fixed sequence, so eviction is deterministic.</para>
/// <para>Built for tables far larger than the CPU's caches, where a lookup's cost is its cache misses. An index word
/// holds the entry's number in its low bits and, in the bits the capacity leaves free, a tag of the key's hash: a
/// probe passes other keys' words without touching their entries (an unsuccessful lookup at three-quarters load
/// would otherwise read eight entries, each a miss). The key sits in its entry, so a hit costs two misses — index
/// word, entry — and <see cref="Prefetch"/> lets a caller that knows its next keys start both early.</para>
/// <para>Chunks, not one array that doubles: an entry never moves once written, so growing copies nothing. A doubling
/// array of a million 376-byte account records copied 380 MB on the way and held the old array beside the new one
/// while it did; with chunks, replay of six million events peaks at 530 MB instead of 720 MB and spends less time in
/// the kernel zeroing fresh pages (docs/BENCHMARKS.md, "Replay speed"). The first chunk still starts small and
/// doubles, so a small table stays small.</para>
/// </remarks>
internal sealed class KeyedTable<T> where T : unmanaged, ILastSeen
{
    private const int EvictionSamples = 8;
    private const int InitialSize = 1024;
    /// <summary>Index words <see cref="Prefetch"/> looks at along a probe chain before it gives up.</summary>
    private const int MaxPrefetchProbes = 8;
    /// <summary>
    /// Bytes a full chunk holds at least: 8 MiB, so that most of each chunk lies on whole 2 MiB pages, which
    /// <see cref="HugePages.NewMapped{T}"/> asks huge pages for (a chunk starts anywhere in a page: an 8 MiB chunk holds
    /// three whole pages at worst, a 2 MiB one none). 32,768 account records (12 MB: a million accounts in 31 chunks,
    /// whose list stays in the CPU's cache), 131,072 source records.
    /// </summary>
    public const int ChunkTargetBytes = 8 << 20;

    /// <summary>Entries a chunk of <typeparamref name="T"/> holds by default, as a power of two: the fewest that reach
    /// <see cref="ChunkTargetBytes"/>.</summary>
    public static int DefaultChunkBits { get; } =
        BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)((ChunkTargetBytes + Unsafe.SizeOf<Entry>() - 1) / Unsafe.SizeOf<Entry>())));

    /// <summary>A key and its value, side by side: a hit touches one place.</summary>
    internal struct Entry
    {
        public ulong Key;
        public T Value;
    }

    private readonly Entry[]?[] _chunks;   // sized for the capacity once, so a reader without the lock sees one list
    private readonly int _chunkBits;
    private readonly int _chunkMask;
    private int _allocated;         // entries the chunks hold
    private uint[] _index;          // (tag << _slotBits) | (slot + 1); 0 = empty. Length: a power of two ≥ 4/3 of the entries
    private int _mask;
    private int _count;
    private readonly int _slotBits;
    private readonly uint _slotMask;
    private readonly int _tagBits;
    private Entry[]? _spare;        // the next chunk, allocated and its pages touched by PrepareGrowth
    private ulong _sampleCursor = 0x2545F4914F6CDD1DUL;
    private int _lastSlot;          // the entry GetOrAdd last returned, for callers that keep hints

    /// <param name="capacity">The most entries held; beyond it, cold ones are evicted.</param>
    /// <param name="chunkBits">Entries a chunk holds, as a power of two (tests use small chunks); null: <see cref="DefaultChunkBits"/>.</param>
    public KeyedTable(int capacity, int? chunkBits = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        int bits = chunkBits ?? DefaultChunkBits;
        ArgumentOutOfRangeException.ThrowIfNegative(bits, nameof(chunkBits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 30, nameof(chunkBits));
        Capacity = capacity;
        _chunkBits = bits;
        _chunkMask = (1 << bits) - 1;
        _slotBits = 32 - BitOperations.LeadingZeroCount((uint)capacity);   // holds slot + 1 ≤ capacity
        _slotMask = _slotBits == 32 ? uint.MaxValue : (1u << _slotBits) - 1;
        _tagBits = 32 - _slotBits;
        int initial = Math.Min(Math.Min(capacity, InitialSize), ChunkSize);
        _chunks = new Entry[]?[(int)(((long)capacity + ChunkSize - 1) >> bits)];
        _chunks[0] = new Entry[initial];
        _allocated = initial;
        _index = new uint[IndexSize(initial)];
        _mask = _index.Length - 1;
    }

    public int Capacity { get; }
    public int Count => _count;
    /// <summary>Entries a full chunk holds.</summary>
    public int ChunkSize => 1 << _chunkBits;
    public long Evictions { get; private set; }

    /// <summary>The minute from which an entry still holds something its owner reads (its windows): an eviction of one
    /// seen since then loses live history and is counted in <see cref="LiveEvictions"/>. 0 (the default): every entry.</summary>
    public uint LiveSince { get; set; }

    /// <summary>Evictions of entries seen since <see cref="LiveSince"/> (at the time): history lost, not merely expired.</summary>
    public long LiveEvictions { get; private set; }

    /// <summary>The entry for <paramref name="key"/>, or a null reference when absent.</summary>
    public ref T Find(ulong key)
    {
        int position = Probe(key, Hashing.Mix(key));
        uint word = _index[position];
        if (word == 0) return ref Unsafe.NullRef<T>();
        return ref At((int)(word & _slotMask) - 1).Value;
    }

    /// <summary>
    /// <see cref="Find(ulong)"/>, trying the entry at <paramref name="hint"/> first; on return <paramref name="hint"/>
    /// holds the entry's number (unchanged when absent).
    /// </summary>
    /// <remarks>A hint is only a guess, checked against the entry's key, so a stale one (the entry evicted, the table
    /// grown) costs one comparison and never a wrong answer.</remarks>
    public ref T Find(ulong key, ref int hint)
    {
        ref Entry hinted = ref AtHint(key, hint);
        if (!Unsafe.IsNullRef(ref hinted)) return ref hinted.Value;
        int position = Probe(key, Hashing.Mix(key));
        uint word = _index[position];
        if (word == 0) return ref Unsafe.NullRef<T>();
        hint = (int)(word & _slotMask) - 1;
        return ref At(hint).Value;
    }

    /// <summary><see cref="GetOrAdd(ulong, out bool)"/>, trying the entry at <paramref name="hint"/> first (see
    /// <see cref="Find(ulong, ref int)"/>); on return <paramref name="hint"/> holds the entry's number.</summary>
    public ref T GetOrAdd(ulong key, out bool added, ref int hint)
    {
        ref Entry hinted = ref AtHint(key, hint);
        if (!Unsafe.IsNullRef(ref hinted))
        {
            added = false;
            return ref hinted.Value;
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
            return ref At(_lastSlot).Value;
        }
        added = true;
        if (_count == Capacity)
        {
            int victim = PickVictim(key);
            ref Entry reused = ref At(victim);
            if (reused.Value.LastSeen >= LiveSince) LiveEvictions++;
            RemoveIndex(reused.Key);
            Evictions++;
            reused.Key = key;
            reused.Value = default;
            _index[Probe(key, hash)] = Word(hash, victim);   // positions moved while removing; probe again
            _lastSlot = victim;
            return ref reused.Value;
        }
        if (_count == _allocated)
        {
            Grow();
            position = Probe(key, hash);
        }
        int slot = _count++;
        _lastSlot = slot;
        ref Entry entry = ref At(slot);
        entry.Key = key;
        entry.Value = default;
        _index[position] = Word(hash, slot);
        return ref entry.Value;
    }

    /// <summary>
    /// A hint that <paramref name="key"/> will be looked up soon: the first call (<paramref name="entry"/> false)
    /// starts loading its index word; a later one (true), once that word is likely in cache, starts loading the key's
    /// entry (<see cref="LikelySlot(uint[], ulong, int)"/>). Changes nothing, and is safe without the owner's lock: it
    /// takes each array from its field once, so a table growing meanwhile only makes the hint useless.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong key, bool entry)
    {
        if (!Sse.IsSupported) return;
        uint[] index = _index;
        ulong hash = Hashing.Mix(key);
        int mask = index.Length - 1;
        int position = (int)(hash & (uint)mask);
        if (!entry)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref index[position]));
            return;
        }
        int slot = LikelySlot(index, hash, position);
        Entry[]?[] chunks = _chunks;
        int chunkNumber = slot >> _chunkBits;
        if ((uint)chunkNumber >= (uint)chunks.Length) return;
        Entry[]? chunk = chunks[chunkNumber];
        int within = slot & _chunkMask;
        if (chunk is null || (uint)within >= (uint)chunk.Length) return;
        // Every cache line the entry touches (it need not start on a line boundary).
        nuint start = (nuint)Unsafe.AsPointer(ref chunk[within]);
        nuint end = start + (nuint)Unsafe.SizeOf<Entry>();
        for (nuint line = start & ~(nuint)63; line < end; line += 64) Sse.Prefetch0((void*)line);
    }

    /// <summary>
    /// The entry <see cref="Prefetch"/> loads for a key: the first word along the key's probe chain that carries its
    /// tag (-1: none within <see cref="MaxPrefetchProbes"/> words, or an empty word first, so the key is absent). The
    /// home word alone would not do: with the index up to three quarters full, many keys sit past their home position, and that word's
    /// entry is another key's. A few words at most, nearly always in the line already loaded. Reads only the index.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int LikelySlot(uint[] index, ulong hash, int position)
    {
        uint tag = Tag(hash), tagMask = ~_slotMask;
        int mask = index.Length - 1;
        for (int step = 0; step < MaxPrefetchProbes; step++, position = (position + 1) & mask)
        {
            uint word = index[position];
            if (word == 0) return -1;
            if ((word & tagMask) == tag) return (int)(word & _slotMask) - 1;
        }
        return -1;
    }

    /// <summary><see cref="LikelySlot"/> for <paramref name="key"/> (for tests).</summary>
    internal int LikelySlot(ulong key)
    {
        ulong hash = Hashing.Mix(key);
        return LikelySlot(_index, hash, (int)(hash & (uint)(_index.Length - 1)));
    }

    /// <summary>The entry the home word of <paramref name="key"/> points to, -1 when empty (for tests).</summary>
    internal int HomeSlot(ulong key) => (int)(_index[(int)(Hashing.Mix(key) & (uint)(_index.Length - 1))] & _slotMask) - 1;

    /// <summary>The key of entry <paramref name="slot"/> (for tests).</summary>
    internal ulong KeyAt(int slot) => At(slot).Key;

    /// <summary>
    /// When the table is within half a chunk of needing its next chunk, allocates that chunk and writes to each of its
    /// pages, so that the thread filling the table does not wait for the kernel to map and zero them. Safe to call from
    /// another thread than the owner's, without its lock; it changes no entry. A growth takes the spare chunk when it is
    /// ready, else allocates its own, as before.
    /// </summary>
    /// <remarks>On the engine's thread, the kernel zeroing a chunk's fresh pages as the first entries landed in them was
    /// 4–5 % of replay's samples on RBA rows; replay's other thread calls this between batches (docs/BENCHMARKS.md,
    /// "Replay speed"). Reading the two counts without the lock is a race by design: a stale pair at worst prepares a
    /// chunk a little early, or leaves a growth to allocate its own, and a spare of the wrong length is dropped.</remarks>
    public void PrepareGrowth()
    {
        int allocated = Volatile.Read(ref _allocated), count = Volatile.Read(ref _count);
        if (allocated < ChunkSize || allocated >= Capacity || count < allocated - ChunkSize / 2) return;
        if (Volatile.Read(ref _spare) is not null) return;
        Entry[] chunk = HugePages.NewMapped<Entry>(Math.Min(ChunkSize, Capacity - allocated));
        Interlocked.CompareExchange(ref _spare, chunk, null);
    }

    /// <summary>Whether <see cref="PrepareGrowth"/> has a chunk waiting (for tests).</summary>
    internal bool HasSpareChunk => Volatile.Read(ref _spare) is not null;

    /// <summary>Chunk <paramref name="chunk"/> (for tests: where it lies).</summary>
    internal Entry[]? Chunk(int chunk) => _chunks[chunk];

    /// <summary>Every live entry, for snapshots.</summary>
    public IEnumerable<(ulong Key, T Value)> Entries()
    {
        for (int i = 0; i < _count; i++)
        {
            Entry entry = At(i);
            yield return (entry.Key, entry.Value);
        }
    }

    /// <summary>The entry at <paramref name="hint"/> when it holds <paramref name="key"/>, else a null reference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry AtHint(ulong key, int hint)
    {
        if ((uint)hint < (uint)_count)
        {
            ref Entry hinted = ref At(hint);
            if (hinted.Key == key) return ref hinted;
        }
        return ref Unsafe.NullRef<Entry>();
    }

    /// <summary>The entry numbered <paramref name="slot"/> (below <see cref="_allocated"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry At(int slot) => ref _chunks[slot >> _chunkBits]![slot & _chunkMask];

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
            if ((word & tagMask) == tag && At((int)(word & _slotMask) - 1).Key == key) return position;
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
            int home = (int)(Hashing.Mix(At(slot).Key) & (uint)_mask);
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

    /// <summary>Room for more entries: the first chunk doubles until full size, then a chunk is added; the index is
    /// rebuilt only when it must grow to keep its load under three quarters.</summary>
    private void Grow()
    {
        if (_allocated < ChunkSize)
        {
            _allocated = Math.Min(Math.Min(Capacity, ChunkSize), Math.Max(InitialSize, _allocated * 2));
            // On huge pages once it is large enough, as every later chunk is.
            Entry[] grown = HugePages.NewMapped<Entry>(_allocated);
            _chunks[0].AsSpan().CopyTo(grown);
            _chunks[0] = grown;
        }
        else
        {
            int length = Math.Min(ChunkSize, Capacity - _allocated);
            // The chunk PrepareGrowth readied, if any; one prepared for another length is dropped.
            Entry[]? spare = Interlocked.Exchange(ref _spare, null);
            _chunks[_allocated >> _chunkBits] = spare?.Length == length ? spare : HugePages.NewMapped<Entry>(length);
            Volatile.Write(ref _allocated, _allocated + length);
        }
        int indexSize = IndexSize(_allocated);
        if (indexSize == _index.Length) return;
        _index = HugePages.NewMapped<uint>(indexSize);
        _mask = _index.Length - 1;
        for (int slot = 0; slot < _count; slot++)
        {
            ulong hash = Hashing.Mix(At(slot).Key);
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
            ref Entry entry = ref At(candidate);
            if (entry.Key == incoming) continue;
            uint seen = entry.Value.LastSeen;
            if (seen < oldest) { oldest = seen; victim = candidate; }
        }
        return victim < 0 ? 0 : victim;
    }
}
