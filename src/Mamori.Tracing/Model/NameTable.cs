using System.Runtime.InteropServices;

namespace Mamori.Tracing.Model;

/// <summary>Interns names (addresses, assets, deposit tags) to dense ids: one string per distinct name.</summary>
/// <remarks>
/// Lookups go through the span alternate lookup, so reading a known address from a CSV column allocates
/// nothing; only a name seen for the first time becomes a string. Dense ids let the policies keep their
/// per-account state in plain arrays. Not thread-safe: one tracer owns one table.
/// </remarks>
internal sealed class NameTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _names = [];

    public NameTable() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Number of distinct names.</summary>
    public int Count => _names.Count;

    /// <summary>The name behind an id.</summary>
    public string this[int id] => _names[id];

    /// <summary>The id of <paramref name="name"/>, adding it when new.</summary>
    public int GetOrAdd(ReadOnlySpan<char> name)
    {
        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, name, out bool exists);
        if (!exists)
        {
            slot = _names.Count;
            _names.Add(name.ToString());
        }
        return slot;
    }

    /// <summary>The id of <paramref name="name"/> when it is known.</summary>
    public bool TryGetId(ReadOnlySpan<char> name, out int id) => _lookup.TryGetValue(name, out id);
}
