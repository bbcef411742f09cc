using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Mamori.Tracing.Policies;

/// <summary>FIFO and LIFO: an account's balance is a queue of lots in arrival order; outflows take from the
/// oldest (FIFO) or newest (LIFO) end.</summary>
/// <remarks>
/// <para>Only accounts holding taint get a queue; a clean account is one implicit clean lot equal to its
/// balance, so memory grows with tainted accounts. Adjacent lots of the same kind (all clean, all stolen)
/// merge — exact, since taking from either gives the same answer — so a queue holds alternating clean and
/// tainted runs, not one entry per inflow. Unseen funds (sent beyond what the data shows) count as the
/// oldest clean lot. A mixed inflow queues its tainted part first.</para>
/// <para>Bounded memory: merging alone does not bound a queue — an account alternately receiving clean and
/// stolen value keeps one run per inflow (in a dense random graph lot runs grew with transfers: 4.2M at 20M
/// transfers). When a queue would exceed <c>maxRuns</c> runs, its oldest runs are folded into one <em>mixed</em>
/// lot, leaving <c>maxRuns / 2</c> runs. A mixed lot spends its stolen share proportionally, as haircut does:
/// taking x of a lot of amount A holding taint T takes floor(x·T / A) (128-bit product; the whole remaining T
/// when the lot is emptied). Totals stay integers, so the books stay exact; what changes is only
/// <em>which</em> outflows of that account carry the folded runs' taint. Folds are counted per ledger
/// (<see cref="Folds"/>, <see cref="AccountsFolded"/>) and reported.</para>
/// </remarks>
internal sealed class LotLedger(TaintPolicy policy, FeeHandling fees, AccountRoles roles, long theftTime, int maxRuns)
    : TaintLedger(policy, fees, roles, theftTime, int.MaxValue)
{
    /// <summary>A lot: <see cref="Taint"/> = 0 is clean, = <see cref="Amount"/> is stolen, in between is a mixed
    /// lot made by folding (spent proportionally).</summary>
    private struct Lot(long amount, long taint)
    {
        public long Amount = amount;
        public long Taint = taint;
        public readonly bool IsClean => Taint == 0;
        public readonly bool IsStolen => Taint == Amount;
        public readonly bool IsPure => Taint == 0 || Taint == Amount;
        public readonly bool SameKind(in Lot other) => IsClean ? other.IsClean : IsStolen && other.IsStolen;
    }

    private enum Pick : byte { Any, CleanOnly, TaintedOnly }

    // Queue per account id (null = clean, the implicit lot): an array, not a dictionary, so the lookup is one
    // prefetchable slot instead of bucket and entry misses.
    private List<Lot>?[] _queues = new List<Lot>?[1024];
    private int _queueCount;
    private readonly bool _fromOldest = policy == TaintPolicy.Fifo;
    private readonly int _maxRuns = maxRuns;
    private bool[] _folded = new bool[1024];

    /// <summary>Accounts holding a lot queue (tainted accounts).</summary>
    public int QueueCount => _queueCount;

    /// <summary>Lots in all queues (memory accounting).</summary>
    public long LotCount => _queues.Sum(q => (long)(q?.Count ?? 0));

    /// <summary>Longest queue now.</summary>
    public int LongestQueue => _queues.Max(q => q?.Count ?? 0);

    /// <summary>Runs a queue may hold before its oldest are folded into one mixed lot.</summary>
    public int MaxRuns => _maxRuns;

    /// <summary>Times a queue reached the cap and was folded.</summary>
    public long Folds { get; private set; }

    /// <summary>Distinct accounts whose queue was ever folded.</summary>
    public int AccountsFolded { get; private set; }

    protected override void OnGrow(int capacity)
    {
        Array.Resize(ref _folded, capacity);
        Array.Resize(ref _queues, capacity);
    }

    protected override unsafe void PrefetchPolicyState(int account)
    {
        if (Sse.IsSupported && (uint)account < (uint)_queues.Length) Sse.Prefetch0(Unsafe.AsPointer(ref _queues[account]));
    }

    protected override long AddUnseen(int account, long amount)
    {
        Accounts[account].Balance += amount;
        if (_queues[account] is List<Lot> lots)
        {
            if (lots.Count > 0 && lots[0].IsClean) CollectionsMarshal.AsSpan(lots)[0].Amount += amount;
            else
            {
                lots.Insert(0, new Lot(amount, 0));
                EnforceCap(account, lots);
            }
        }
        return 0;
    }

    protected override void Debit(int account, long amount, long fee, out long feeTaint, out long amountTaint)
    {
        if (_queues[account] is not List<Lot> lots)
        {
            feeTaint = amountTaint = 0;   // clean account: one implicit clean lot
            Accounts[account].Balance -= amount + fee;
            return;
        }
        feeTaint = Fees switch
        {
            FeeHandling.Policy => Take(lots, fee, Pick.Any),
            FeeHandling.CleanFirst => TakePreferring(lots, fee, Pick.CleanOnly),
            _ => TakePreferring(lots, fee, Pick.TaintedOnly),
        };
        amountTaint = Take(lots, amount, Pick.Any);
        Accounts[account].Balance -= amount + fee;
        Accounts[account].Taint -= feeTaint + amountTaint;
        if (Accounts[account].Taint == 0)
        {
            _queues[account] = null;
            _queueCount--;
        }   // all clean again: back to the implicit lot
    }

    protected override void Credit(int account, long amount, long taint, out long contaminated, out long writtenOff)
    {
        contaminated = 0;
        writtenOff = 0;
        if (taint > 0)
        {
            List<Lot> lots = QueueOf(account);
            Append(lots, new Lot(taint, taint));
            Append(lots, new Lot(amount - taint, 0));
            Accounts[account].Taint += taint;
            EnforceCap(account, lots);
        }
        else if (_queues[account] is List<Lot> lots)
        {
            Append(lots, new Lot(amount, 0));
            EnforceCap(account, lots);
        }
        Accounts[account].Balance += amount;
    }

    protected override long MakeFullyTainted(int account)
    {
        long converted = Accounts[account].Balance - Accounts[account].Taint;
        if (converted == 0) return 0;
        List<Lot> lots = QueueOf(account);
        lots.Clear();
        lots.Add(new Lot(Accounts[account].Balance, Accounts[account].Balance));
        Accounts[account].Taint = Accounts[account].Balance;
        return converted;
    }

    private List<Lot> QueueOf(int account)
    {
        ref List<Lot>? lots = ref _queues[account];
        if (lots is null)
        {
            _queueCount++;
            lots = Accounts[account].Balance > 0 ? [new Lot(Accounts[account].Balance, 0)] : [];
        }
        return lots;
    }

    private static void Append(List<Lot> lots, Lot lot)
    {
        if (lot.Amount <= 0) return;
        if (lots.Count > 0 && lots[^1].SameKind(lot))
        {
            ref Lot last = ref CollectionsMarshal.AsSpan(lots)[^1];
            last.Amount += lot.Amount;
            last.Taint += lot.Taint;
        }
        else lots.Add(lot);
    }

    /// <summary>Folds the oldest runs into one mixed lot when the queue is over the cap (see remarks of the class).</summary>
    /// <remarks>Folding down to half the cap, not to the cap, keeps the cost amortised: a capped account that
    /// keeps alternating pays one fold per <c>maxRuns / 2</c> inflows, not a list shift per inflow.</remarks>
    private void EnforceCap(int account, List<Lot> lots)
    {
        if (lots.Count <= _maxRuns) return;
        int fold = lots.Count - Math.Max(1, _maxRuns / 2) + 1;   // runs [0, fold) become one
        Span<Lot> span = CollectionsMarshal.AsSpan(lots);
        long amount = 0, taint = 0;
        for (int i = 0; i < fold; i++)
        {
            amount += span[i].Amount;
            taint += span[i].Taint;
        }
        span[0] = new Lot(amount, taint);
        lots.RemoveRange(1, fold - 1);
        Folds++;
        if (!_folded[account])
        {
            _folded[account] = true;
            AccountsFolded++;
        }
    }

    /// <summary>Takes from lots of the preferred kind first (in policy order), then from any.</summary>
    private long TakePreferring(List<Lot> lots, long amount, Pick preferred)
    {
        long before = SumTaint(lots);
        long rest = amount - TakeCounting(lots, amount, preferred, out _);
        TakeCounting(lots, rest, Pick.Any, out _);
        return before - SumTaint(lots);
    }

    private long Take(List<Lot> lots, long amount, Pick pick)
    {
        TakeCounting(lots, amount, pick, out long taint);
        return taint;
    }

    /// <summary>Removes up to <paramref name="amount"/> from matching lots in policy order; returns how much was taken.</summary>
    private long TakeCounting(List<Lot> lots, long amount, Pick pick, out long taint)
    {
        taint = 0;
        long taken = 0;
        int emptied = 0;
        Span<Lot> span = CollectionsMarshal.AsSpan(lots);
        for (int k = 0; k < span.Length && taken < amount; k++)
        {
            ref Lot lot = ref span[_fromOldest ? k : span.Length - 1 - k];
            long rest = amount - taken;
            long share, shareTaint;
            switch (pick)
            {
                case Pick.CleanOnly:
                    share = Math.Min(lot.Amount - lot.Taint, rest);
                    shareTaint = 0;
                    break;
                case Pick.TaintedOnly:
                    share = shareTaint = Math.Min(lot.Taint, rest);
                    break;
                default:
                    share = Math.Min(lot.Amount, rest);
                    if (lot.IsClean) shareTaint = 0;
                    else if (lot.IsStolen) shareTaint = share;
                    else if (share == lot.Amount) shareTaint = lot.Taint;   // emptying a mixed lot takes all its taint
                    else shareTaint = (long)((Int128)share * lot.Taint / lot.Amount);   // its stolen share, rounded down
                    break;
            }
            if (share == 0) continue;
            lot.Amount -= share;
            lot.Taint -= shareTaint;
            taken += share;
            taint += shareTaint;
            if (lot.Amount == 0) emptied++;
        }
        if (pick == Pick.Any)
        {
            if (emptied == 0) return taken;
            // Taking from one end empties a run of lots at that end only: drop it, nothing in between can need merging.
            if (_fromOldest) lots.RemoveRange(0, emptied);
            else lots.RemoveRange(lots.Count - emptied, emptied);
            return taken;
        }
        // Taking one kind out of a mixed lot can leave it pure, so neighbours may now merge.
        lots.RemoveAll(static l => l.Amount == 0);
        MergeAdjacent(lots);
        return taken;
    }

    private static void MergeAdjacent(List<Lot> lots)
    {
        for (int i = lots.Count - 1; i > 0; i--)
        {
            if (!lots[i].SameKind(lots[i - 1])) continue;
            ref Lot previous = ref CollectionsMarshal.AsSpan(lots)[i - 1];
            previous.Amount += lots[i].Amount;
            previous.Taint += lots[i].Taint;
            lots.RemoveAt(i);
        }
    }

    private static long SumTaint(List<Lot> lots)
    {
        long sum = 0;
        foreach (Lot lot in lots) sum += lot.Taint;
        return sum;
    }
}
