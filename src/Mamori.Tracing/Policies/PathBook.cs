using System.Runtime.InteropServices;

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

    private readonly List<Step> _steps = [];
    private int[] _latest = new int[1024];   // index + 1 into _steps; 0 = never tainted

    /// <summary>Number of history entries (for memory accounting).</summary>
    public int StepCount => _steps.Count;

    /// <summary>Current best hop count of an account, or <see cref="int.MaxValue"/> when never tainted.</summary>
    public int HopsOf(int account) =>
        account < _latest.Length && _latest[account] != 0 ? _steps[_latest[account] - 1].Hops : int.MaxValue;

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
            CollectionsMarshal.AsSpan(_steps)[latest - 1] = new Step(time, hops, pred, _steps[latest - 1].Prev);
            return;
        }
        _steps.Add(new Step(time, hops, pred, latest));
        _latest[account] = _steps.Count;
    }

    private int HistoryLength(int index)
    {
        int length = 0;
        for (; index != 0 && length < MaxHistoryPerAccount; index = _steps[index - 1].Prev) length++;
        return length;
    }

    /// <summary>When the account first received taint, if ever.</summary>
    public bool TryGetFirstTaintTime(int account, out long time)
    {
        time = 0;
        if (!WasTainted(account)) return false;
        int index = _latest[account];
        while (_steps[index - 1].Prev != 0) index = _steps[index - 1].Prev;
        time = _steps[index - 1].Time;
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
            while (index != 0 && _steps[index - 1].Time > time) index = _steps[index - 1].Prev;
            if (index == 0) break;
            Step step = _steps[index - 1];
            path.Add(new PathHop(current, step.Time, step.Hops));
            if (step.Hops == 0) break;
            current = step.Pred;
            time = step.Time;
        }
        path.Reverse();
        return [.. path];
    }
}
