namespace Mamori.Signals;

/// <summary>
/// Space-saving top-k (Metwally et al. 2005): the heaviest sources of a campaign (by /24 or ASN) in k slots.
/// When full, a new item replaces the smallest and inherits its count, so heavy hitters are never lost.
/// </summary>
/// <remarks>Not thread-safe; k is small (16), so a linear scan beats a heap.</remarks>
internal sealed class SpaceSaving<T>(int capacity) where T : notnull
{
    private readonly List<(T Item, long Count)> _slots = new(capacity);
    private readonly List<string?> _labels = new(capacity);

    /// <summary>Counts one occurrence.</summary>
    public void Add(T item) => Place(item);

    /// <summary>
    /// Counts one occurrence of an item whose text is made by <paramref name="label"/> only when the item takes a
    /// slot (a new heavy hitter), not per occurrence: a campaign's sources are counted per attempt, but their text
    /// (an address, a /24) is needed only for the few that stay on top.
    /// </summary>
    public void Add<TState>(T item, TState state, Func<TState, string> label)
    {
        int slot = Place(item);
        if (slot >= 0) _labels[slot] = label(state);
    }

    /// <summary>Counts <paramref name="item"/>; returns the slot it newly took, or -1 when it already held one.</summary>
    private int Place(T item)
    {
        for (int i = 0; i < _slots.Count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(_slots[i].Item, item))
            {
                _slots[i] = (item, _slots[i].Count + 1);
                return -1;
            }
        }
        if (_slots.Count < capacity)
        {
            _slots.Add((item, 1));
            _labels.Add(null);
            return _slots.Count - 1;
        }
        int smallest = 0;
        for (int i = 1; i < _slots.Count; i++)
            if (_slots[i].Count < _slots[smallest].Count) smallest = i;
        _slots[smallest] = (item, _slots[smallest].Count + 1);
        return smallest;
    }

    /// <summary>The <paramref name="n"/> heaviest items, heaviest first (ties in slot order).</summary>
    public IReadOnlyList<(T Item, long Count)> Top(int n) =>
        _slots.Select((s, i) => (s, i)).OrderByDescending(x => x.s.Count).ThenBy(x => x.i).Take(n).Select(x => x.s).ToList();

    /// <summary>As <see cref="Top"/>, by the labels given to <see cref="Add{TState}"/>.</summary>
    public IReadOnlyList<(string Label, long Count)> TopLabels(int n) =>
        _slots.Select((s, i) => (s, i)).OrderByDescending(x => x.s.Count).ThenBy(x => x.i).Take(n).Select(x => (_labels[x.i] ?? "", x.s.Count)).ToList();
}
