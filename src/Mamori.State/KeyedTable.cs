using System.Numerics;

namespace Mamori.State;

/// <summary>
/// A bounded map from a 64-bit key to a struct. Values and keys live in two arrays that grow up to the capacity;
/// an open-addressing index (linear probing over an <c>int[]</c>, about 5 bytes a key) finds them. When full, the
/// coldest of a few sampled entries is evicted (Redis's approximated LRU), so memory is fixed by capacity however
/// many keys arrive.
/// </summary>
/// <remarks>
/// Written by hand instead of <see cref="Dictionary{TKey,TValue}"/>: its 28 bytes of entry and bucket per key would
/// be a quarter of the 107-byte budget a tracked address has (10M addresses in 1 GiB). Not thread-safe: the store
/// serialises access. Sampling walks a fixed sequence, so eviction is deterministic.
/// </remarks>
internal sealed class KeyedTable<T> where T : struct
{
    private const int EvictionSamples = 8;
    private const int InitialSize = 1024;
    private readonly Func<T, uint> _lastSeen;
    private ulong[] _keys;
    private T[] _values;
    private int[] _index;          // slot + 1, 0 = empty; length is a power of two ≥ 4/3 of the slots
    private int _mask;
    private int _count;
    private ulong _sampleCursor = 0x2545F4914F6CDD1DUL;

    public KeyedTable(int capacity, Func<T, uint> lastSeen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _lastSeen = lastSeen;
        int initial = Math.Min(capacity, InitialSize);
        _keys = new ulong[initial];
        _values = new T[initial];
        _index = new int[IndexSize(initial)];
        _mask = _index.Length - 1;
    }

    public int Capacity { get; }
    public int Count => _count;
    public long Evictions { get; private set; }

    /// <summary>The entry for <paramref name="key"/>, or a null reference when absent.</summary>
    public ref T Find(ulong key)
    {
        int position = Probe(key);
        int slot = _index[position] - 1;
        if (slot < 0) return ref System.Runtime.CompilerServices.Unsafe.NullRef<T>();
        return ref _values[slot];
    }

    /// <summary>The entry for <paramref name="key"/>, created (zeroed) if absent; evicts a cold entry when full.</summary>
    public ref T GetOrAdd(ulong key, out bool added)
    {
        int position = Probe(key);
        int slot = _index[position] - 1;
        if (slot >= 0)
        {
            added = false;
            return ref _values[slot];
        }
        added = true;
        if (_count == Capacity)
        {
            int victim = PickVictim(key);
            RemoveIndex(_keys[victim]);
            Evictions++;
            _keys[victim] = key;
            _values[victim] = default;
            _index[Probe(key)] = victim + 1;   // positions moved while removing; probe again
            return ref _values[victim];
        }
        if (_count == _keys.Length)
        {
            Grow();
            position = Probe(key);
        }
        slot = _count++;
        _keys[slot] = key;
        _values[slot] = default;
        _index[position] = slot + 1;
        return ref _values[slot];
    }

    /// <summary>Every live entry, for snapshots.</summary>
    public IEnumerable<(ulong Key, T Value)> Entries()
    {
        for (int i = 0; i < _count; i++) yield return (_keys[i], _values[i]);
    }

    private static int IndexSize(int slots) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, slots + slots / 3 + 1));

    private int Probe(ulong key)
    {
        int position = (int)(Hashing.Mix(key) & (uint)_mask);
        while (true)
        {
            int slot = _index[position] - 1;
            if (slot < 0 || _keys[slot] == key) return position;
            position = (position + 1) & _mask;
        }
    }

    /// <summary>Backward-shift deletion: keeps every probe chain unbroken without tombstones.</summary>
    private void RemoveIndex(ulong key)
    {
        int hole = Probe(key);
        if (_index[hole] == 0) return;
        _index[hole] = 0;
        int position = (hole + 1) & _mask;
        while (_index[position] != 0)
        {
            int slot = _index[position] - 1;
            int home = (int)(Hashing.Mix(_keys[slot]) & (uint)_mask);
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
        int size = (int)Math.Min(Capacity, Math.Max(InitialSize, (long)_keys.Length * 2));
        Array.Resize(ref _keys, size);
        Array.Resize(ref _values, size);
        _index = new int[IndexSize(size)];
        _mask = _index.Length - 1;
        for (int slot = 0; slot < _count; slot++)
        {
            int position = (int)(Hashing.Mix(_keys[slot]) & (uint)_mask);
            while (_index[position] != 0) position = (position + 1) & _mask;
            _index[position] = slot + 1;
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
            if (_keys[candidate] == incoming) continue;
            uint seen = _lastSeen(_values[candidate]);
            if (seen < oldest) { oldest = seen; victim = candidate; }
        }
        return victim < 0 ? 0 : victim;
    }
}
