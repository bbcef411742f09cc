namespace Mamori.Signals;

/// <summary>
/// Space-saving top-k (Metwally et al. 2005): the heaviest sources of a campaign (by /24 or ASN) in k slots.
/// When full, a new item replaces the smallest and inherits its count, so heavy hitters are never lost.
/// </summary>
/// <remarks>Not thread-safe; k is small (16), so a linear scan beats a heap.</remarks>
internal sealed class SpaceSaving<T>(int capacity) where T : notnull
{
    private readonly List<(T Item, long Count)> _slots = new(capacity);

    /// <summary>Counts one occurrence.</summary>
    public void Add(T item)
    {
        for (int i = 0; i < _slots.Count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(_slots[i].Item, item))
            {
                _slots[i] = (item, _slots[i].Count + 1);
                return;
            }
        }
        if (_slots.Count < capacity)
        {
            _slots.Add((item, 1));
            return;
        }
        int smallest = 0;
        for (int i = 1; i < _slots.Count; i++)
            if (_slots[i].Count < _slots[smallest].Count) smallest = i;
        _slots[smallest] = (item, _slots[smallest].Count + 1);
    }

    /// <summary>The items by descending count (ties by insertion order, so output is deterministic).</summary>
    public IReadOnlyList<(T Item, long Count)> Top(int n) =>
        _slots.Select((s, i) => (s, i)).OrderByDescending(x => x.s.Count).ThenBy(x => x.i).Take(n).Select(x => x.s).ToList();
}
