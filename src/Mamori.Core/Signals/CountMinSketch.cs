using System.Runtime.CompilerServices;

namespace Mamori.Signals;

/// <summary>
/// Count-min sketch (Cormode and Muthukrishnan 2005) of how often each feature value (an IP, ASN, country,
/// browser, OS, user agent, device) appears in successful logins: the global population the familiarity model
/// compares an account's history with. Memory is fixed by width × <see cref="Depth"/>, whatever the number of distinct values.
/// </summary>
/// <remarks>Not thread-safe: the owning store serialises access. Counts only over-estimate.</remarks>
internal sealed class CountMinSketch
{
    /// <summary>Rows: each value has one cell in each, and its estimate is the smallest of them. The Redis store's
    /// population has the same rows (it computes its offsets with <see cref="Cell"/>).</summary>
    public const int Depth = 4;
    private const int RecentBits = 8;

    private readonly uint[] _cells;
    private readonly int _widthBits;

    /// <summary>
    /// The cells of recently seen values, by the top bits of their hash (direct-mapped). A value's cells take a chain
    /// of four hash mixes to find, and the few countries, browsers and systems, the common ASNs and user agents, are
    /// looked up in nearly every login: remembering their cells took a third off the sketch's time in replay. Only
    /// positions are kept (a pure function of the hash), never counts, so a stale entry cannot change an answer.
    /// </summary>
    private readonly RecentCells[] _recent = new RecentCells[1 << RecentBits];

    [InlineArray(Depth)]
    private struct RowCells
    {
        private int _cell;
    }

    private struct RecentCells
    {
        public ulong Hash;
        public RowCells Cells;
    }

    /// <param name="widthBits">Each row has 2^<paramref name="widthBits"/> cells.</param>
    /// <param name="cells">Zeroed storage for the <see cref="Depth"/> rows (<see cref="CellCount"/>), for an owner that
    /// allocates it its own way (the in-memory store: on huge pages); null: a plain array.</param>
    public CountMinSketch(int widthBits, uint[]? cells = null)
    {
        if (cells is not null && cells.Length != CellCount(widthBits))
            throw new ArgumentException($"A sketch {widthBits} bits wide has {CellCount(widthBits)} cells, not {cells.Length}.", nameof(cells));
        _widthBits = widthBits;
        _cells = cells ?? new uint[CellCount(widthBits)];
        // Every entry starts as the true cells of hash 0, so an entry never looked up is still right.
        var zero = new RecentCells();
        ulong h = 0;
        for (int row = 0; row < Depth; row++) zero.Cells[row] = Cell(ref h, row, widthBits);
        Array.Fill(_recent, zero);
    }

    /// <summary>Cells of a sketch <paramref name="widthBits"/> wide, all rows.</summary>
    public static int CellCount(int widthBits) => Depth << widthBits;

    /// <summary>Total of all additions.</summary>
    public long Total { get; private set; }

    /// <summary>Bytes of counters held.</summary>
    public long SizeBytes => _cells.Length * sizeof(uint);

    /// <summary>Adds one occurrence of <paramref name="hash"/>.</summary>
    public void Add(ulong hash)
    {
        Total++;
        ref RowCells cells = ref CellsOf(hash);
        for (int row = 0; row < Depth; row++)
        {
            ref uint cell = ref _cells[cells[row]];
            if (cell != uint.MaxValue) cell++;
        }
    }

    /// <summary>Estimated occurrences of <paramref name="hash"/> (never below the truth).</summary>
    public uint Estimate(ulong hash)
    {
        uint min = uint.MaxValue;
        ref RowCells cells = ref CellsOf(hash);
        for (int row = 0; row < Depth; row++) min = Math.Min(min, _cells[cells[row]]);
        return min;
    }

    /// <summary>The positions in <see cref="Cells"/> of <paramref name="hash"/>'s cells, one per row (the cells
    /// <see cref="Add"/> and <see cref="Estimate"/> touch), for a caller that prefetches them.</summary>
    public void CellsOf(ulong hash, Span<int> cells)
    {
        ref RowCells known = ref CellsOf(hash);
        for (int row = 0; row < Depth; row++) cells[row] = known[row];
    }

    /// <summary>The cells of <paramref name="hash"/>, from <see cref="_recent"/> or computed into it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref RowCells CellsOf(ulong hash)
    {
        ref RecentCells recent = ref _recent[(int)(hash >> (64 - RecentBits))];
        if (recent.Hash != hash)
        {
            ulong h = hash;
            for (int row = 0; row < Depth; row++) recent.Cells[row] = Cell(ref h, row, _widthBits);
            recent.Hash = hash;
        }
        return ref recent.Cells;
    }

    /// <summary>
    /// The cell of row <paramref name="row"/> for a value whose hash chain stands at <paramref name="h"/> (advanced
    /// here: call for rows 0, 1, … in turn, starting from the value's hash).
    /// </summary>
    /// <remarks>The one definition of where a value's counts live: the Redis store computes its BITFIELD offsets with
    /// it, so both stores count the same cells.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Cell(ref ulong h, int row, int widthBits)
    {
        h = Hashing.Mix(h + (ulong)row);
        return (row << widthBits) + (int)(h >> (64 - widthBits));
    }

    /// <summary>Halves every counter: old popularity fades so the population follows today's traffic.</summary>
    public void Decay()
    {
        for (int i = 0; i < _cells.Length; i++) _cells[i] >>= 1;
        Total >>= 1;
    }

    internal uint[] Cells => _cells;
    internal void Restore(ReadOnlySpan<uint> cells, long total) { cells.CopyTo(_cells); Total = total; }
}
