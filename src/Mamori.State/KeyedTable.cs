using System.Runtime.InteropServices;

namespace Mamori.State;

/// <summary>
/// A bounded map from a 64-bit key to a struct, stored in one array. When full, the coldest of a few sampled
/// entries is evicted (Redis's approximated LRU), so memory is fixed by capacity however many keys arrive.
/// </summary>
/// <remarks>Not thread-safe: the store serialises access. Sampling walks a fixed sequence, so eviction is deterministic.</remarks>
internal sealed class KeyedTable<T> where T : struct
{
    private const int EvictionSamples = 8;
    private readonly Dictionary<ulong, int> _index;
    private readonly ulong[] _keys;
    private readonly T[] _values;
    private readonly Func<T, uint> _lastSeen;
    private int _count;
    private ulong _sampleCursor = 0x2545F4914F6CDD1DUL;

    public KeyedTable(int capacity, Func<T, uint> lastSeen)
    {
        Capacity = capacity;
        _index = new Dictionary<ulong, int>(Math.Min(capacity, 1 << 16));
        _keys = new ulong[capacity];
        _values = new T[capacity];
        _lastSeen = lastSeen;
    }

    public int Capacity { get; }
    public int Count => _count;
    public long Evictions { get; private set; }

    /// <summary>The entry for <paramref name="key"/>, or a null reference when absent.</summary>
    public ref T Find(ulong key)
    {
        if (_index.TryGetValue(key, out int slot)) return ref _values[slot];
        return ref System.Runtime.CompilerServices.Unsafe.NullRef<T>();
    }

    /// <summary>The entry for <paramref name="key"/>, created (zeroed) if absent; evicts a cold entry when full.</summary>
    public ref T GetOrAdd(ulong key, out bool added)
    {
        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, key, out bool exists);
        if (exists)
        {
            added = false;
            return ref _values[slot];
        }
        added = true;
        if (_count < Capacity)
        {
            slot = _count++;
        }
        else
        {
            int victim = PickVictim(key);
            _index.Remove(_keys[victim]);
            Evictions++;
            // The dictionary may have moved while removing; look the new key's slot up again.
            _index[key] = victim;
            _keys[victim] = key;
            _values[victim] = default;
            return ref _values[victim];
        }
        _keys[slot] = key;
        _values[slot] = default;
        return ref _values[slot];
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

    /// <summary>Every live entry, for snapshots.</summary>
    public IEnumerable<(ulong Key, T Value)> Entries()
    {
        for (int i = 0; i < _count; i++) yield return (_keys[i], _values[i]);
    }
}
