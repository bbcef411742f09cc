namespace Mamori.Tracing.Policies;

/// <summary>One hop of a taint path: <see cref="Account"/> received taint at <see cref="Time"/>.</summary>
/// <param name="Account">Account id.</param>
/// <param name="Time">Unix seconds when the hop's transfer happened (for a source, when it became a source).</param>
/// <param name="Hops">Hops from a source (0 for the source itself).</param>
internal readonly record struct PathHop(int Account, long Time, int Hops);

/// <summary>Shortest time-respecting taint paths, kept as a per-account history of improvements.</summary>
/// <remarks>
/// Each account remembers, for every time its hop count from a source improved, the hop count and the
/// account it came from. A path is rebuilt backwards by taking, at each account, the best entry no later
/// than the transfer that led on — so the path respects time: an inflow can taint only later outflows.
/// Keeping only the latest predecessor would be smaller but could splice in a shorter route that happened
/// after the hop it explains. Entries only exist for tainted accounts and only when the hop count drops,
/// so memory grows with tainted accounts, not with transfers.
/// </remarks>
internal sealed class PathBook
{
    /// <summary>Longest path rebuilt; a guard against a corrupted history looping.</summary>
    public const int MaxPathLength = 4096;

    /// <summary>Improvements remembered per account. In a real laundering trail an account is reached once or
    /// twice; in a dense random graph hop counts keep falling, and an unbounded history grew with transfers
    /// (8M entries at 13M transfers). Capping it keeps memory per account.</summary>
    public const int MaxHistoryPerAccount = 4;

    private readonly record struct Step(long Time, int Hops, int Pred, int Prev);

    // Entries live in fixed 64k-entry chunks, not one List: doubling a List of millions of entries needs the old
    // and the new array at once, which is what pushed a 1 GiB heap over the edge.
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private Step[][] _chunks = new Step[16][];
    private int _count;
    private int[] _latest = new int[1024];   // 1-based entry index (see At); 0 = never tainted

    /// <summary>Number of history entries (for memory accounting).</summary>
    public int StepCount => _count;

    /// <summary>The entry at a 1-based index.</summary>
    private ref Step At(int index) => ref _chunks[(index - 1) >> ChunkBits][(index - 1) & (ChunkSize - 1)];

    private int Add(Step step)
    {
        int chunk = _count >> ChunkBits;
        if (chunk == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
        _chunks[chunk] ??= new Step[ChunkSize];
        _chunks[chunk][_count & (ChunkSize - 1)] = step;
        return ++_count;
    }

    /// <summary>Current best hop count of an account, or <see cref="int.MaxValue"/> when never tainted.</summary>
    public int HopsOf(int account) =>
        account < _latest.Length && _latest[account] != 0 ? At(_latest[account]).Hops : int.MaxValue;

    /// <summary>Whether the account has ever held taint.</summary>
    public bool WasTainted(int account) => account < _latest.Length && _latest[account] != 0;

    /// <summary>Records that <paramref name="account"/> received taint <paramref name="hops"/> hops from a source via <paramref name="pred"/>.</summary>
    public void Observe(int account, int hops, int pred, long time)
    {
        if (account >= _latest.Length) Array.Resize(ref _latest, Math.Max(account + 1, _latest.Length * 2));
        if (hops >= HopsOf(account)) return;
        int latest = _latest[account];
        if (latest != 0 && HistoryLength(latest) >= MaxHistoryPerAccount)
        {
            // Full: the newest entry is moved forward to the better route instead of adding one. Older entries
            // stay valid for every later time, so a path rebuilt for a moment inside the overwritten entry's
            // window falls back to an older, longer route — still time-respecting, at worst not the shortest.
            At(latest) = new Step(time, hops, pred, At(latest).Prev);
            return;
        }
        _latest[account] = Add(new Step(time, hops, pred, latest));
    }

    private int HistoryLength(int index)
    {
        int length = 0;
        for (; index != 0 && length < MaxHistoryPerAccount; index = At(index).Prev) length++;
        return length;
    }

    /// <summary>When the account first received taint, if ever.</summary>
    public bool TryGetFirstTaintTime(int account, out long time)
    {
        time = 0;
        if (!WasTainted(account)) return false;
        int index = _latest[account];
        while (At(index).Prev != 0) index = At(index).Prev;
        time = At(index).Time;
        return true;
    }

    /// <summary>The shortest path from a source to <paramref name="account"/> usable by a transfer at <paramref name="atTime"/>,
    /// source first.</summary>
    public PathHop[] Reconstruct(int account, long atTime)
    {
        var path = new List<PathHop>();
        int current = account;
        long time = atTime;
        while (path.Count < MaxPathLength && current >= 0 && current < _latest.Length)
        {
            int index = _latest[current];
            while (index != 0 && At(index).Time > time) index = At(index).Prev;
            if (index == 0) break;
            Step step = At(index);
            path.Add(new PathHop(current, step.Time, step.Hops));
            if (step.Hops == 0) break;
            current = step.Pred;
            time = step.Time;
        }
        path.Reverse();
        return [.. path];
    }
}
