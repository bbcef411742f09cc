namespace Mamori.State.Redis;

/// <summary>
/// A node's copy of the population sketch (the count-min sketch of where the service's learned logins come from,
/// <c>{prefix}:p</c>), so familiarity reads its 24 cells here instead of asking Redis at every pre-auth, and learned
/// logins' additions go to Redis in one batch every <see cref="RedisSignalStore.PopulationSyncInterval"/> instead of
/// one <c>BITFIELD</c> per login (docs/adr/0020).
/// </summary>
/// <remarks>
/// <para>A sync sends the additions made since the last one (<see cref="TryBeginSync"/>) and reads the whole sketch
/// back in the same pipeline, after them; the copy becomes what Redis returned plus the additions made while the sync
/// was in flight (<see cref="EndSync"/>: exactly the unsent ones then, since the sync took the others). So this node always reads its own additions at once (a single node decides
/// exactly as with reads from Redis), and the other nodes' within a sync or two. A failed sync puts its additions back,
/// to be sent with the next.</para>
/// <para>Memory: two arrays of <see cref="Cells"/> uint32 (the copy and the unsent additions): 8 MB per store.
/// Thread-safe: one lock, held for a few dozen cells per observation and for the swap.</para>
/// </remarks>
internal sealed class PopulationReplica
{
    /// <summary>Cells in the sketch (4 rows of 2^18), as the embedded store's <c>CountMinSketch</c> and observe.lua have it.</summary>
    public const int Cells = 4 << 18;

    /// <summary>Most cell additions a sync sends in one <c>BITFIELD</c> (the rest in further commands of the same pipeline).</summary>
    public const int MaxOperationsPerCommand = 4096;

    private readonly Lock _gate = new();
    private uint[] _cells = new uint[Cells];
    private readonly uint[] _unsent = new uint[Cells];
    private readonly List<int> _unsentCells = [];
    private bool _syncing;
    private long _nextSync;

    /// <summary>Whether a sync has completed (the copy holds what Redis held then, not only this node's additions).</summary>
    public bool Loaded { get; private set; }

    /// <summary>The value of each cell in <paramref name="cells"/>, into <paramref name="values"/>.</summary>
    public void Read(ReadOnlySpan<int> cells, Span<long> values)
    {
        lock (_gate)
        {
            uint[] copy = _cells;
            for (int i = 0; i < cells.Length; i++) values[i] = copy[cells[i]];
        }
    }

    /// <summary>Adds one to each cell (saturating, as <c>BITFIELD … OVERFLOW SAT</c>), sent to Redis with the next sync.</summary>
    public void Add(ReadOnlySpan<int> cells)
    {
        lock (_gate)
        {
            uint[] copy = _cells;
            for (int i = 0; i < cells.Length; i++)
            {
                int cell = cells[i];
                if (copy[cell] != uint.MaxValue) copy[cell]++;
                if (_unsent[cell]++ == 0) _unsentCells.Add(cell);
            }
        }
    }

    /// <summary>
    /// Starts a sync when one is due (none in flight, and <paramref name="interval"/> passed since the last began):
    /// hands over the unsent additions as (cell, count) pairs; those made from now on are the next sync's, and until
    /// <see cref="EndSync"/> also what the copy keeps on top of Redis's reply. With <paramref name="force"/>, whenever none
    /// is in flight.
    /// </summary>
    public bool TryBeginSync(long now, long interval, out List<(int Cell, uint Count)> additions, bool force = false)
    {
        lock (_gate)
        {
            if (_syncing || (!force && now < _nextSync))
            {
                additions = [];
                return false;
            }
            _syncing = true;
            _nextSync = now + interval;
            additions = new List<(int, uint)>(_unsentCells.Count);
            foreach (int cell in _unsentCells)
            {
                additions.Add((cell, _unsent[cell]));
                _unsent[cell] = 0;
            }
            _unsentCells.Clear();
            return true;
        }
    }

    /// <summary>
    /// Ends a sync with the sketch Redis returned (<paramref name="sketch"/>: big-endian uint32 cells, as <c>BITFIELD</c>
    /// keeps them; shorter or null where nothing was ever added): the copy becomes it plus the additions made meanwhile.
    /// </summary>
    public void EndSync(ReadOnlySpan<byte> sketch)
    {
        var fresh = new uint[Cells];
        int whole = Math.Min(Cells, sketch.Length / sizeof(uint));
        for (int i = 0; i < whole; i++) fresh[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(sketch[(i * sizeof(uint))..]);
        if (whole < Cells && sketch.Length % sizeof(uint) != 0)
        {
            // A trailing partial cell (BITFIELD grows the string to the byte it touched): its bytes are the cell's high ones.
            Span<byte> last = stackalloc byte[sizeof(uint)];
            sketch[(whole * sizeof(uint))..].CopyTo(last);
            fresh[whole] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(last);
        }
        lock (_gate)
        {
            // What was added since the sync began is all unsent (the sync took the rest), and not in the reply.
            foreach (int cell in _unsentCells) fresh[cell] = (uint)Math.Min(uint.MaxValue, (ulong)fresh[cell] + _unsent[cell]);
            _cells = fresh;
            _syncing = false;
            Loaded = true;
        }
    }

    /// <summary>A sync failed: its additions go back to be sent with the next one (which may start at once).</summary>
    public void FailSync(List<(int Cell, uint Count)> additions)
    {
        lock (_gate)
        {
            foreach ((int cell, uint count) in additions)
            {
                if (_unsent[cell] == 0) _unsentCells.Add(cell);
                _unsent[cell] = (uint)Math.Min(uint.MaxValue, (ulong)_unsent[cell] + count);
            }
            _syncing = false;
            _nextSync = 0;
        }
    }
}
