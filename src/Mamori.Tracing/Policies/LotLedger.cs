using System.Runtime.InteropServices;

namespace Mamori.Tracing.Policies;

/// <summary>FIFO and LIFO: an account's balance is a queue of lots in arrival order; outflows take from the
/// oldest (FIFO) or newest (LIFO) end.</summary>
/// <remarks>
/// Only accounts holding taint get a queue; a clean account is one implicit clean lot equal to its
/// balance, so memory grows with tainted accounts. Adjacent lots of the same kind merge, so a queue holds
/// alternating clean and tainted runs, not one entry per inflow. Unseen funds (sent beyond what the data
/// shows) count as the oldest clean lot. A mixed inflow queues its tainted part first.
/// </remarks>
internal sealed class LotLedger(TaintPolicy policy, FeeHandling fees, AccountRoles roles, long theftTime)
    : TaintLedger(policy, fees, roles, theftTime, int.MaxValue)
{
    private struct Lot(long amount, bool tainted)
    {
        public long Amount = amount;
        public readonly bool Tainted = tainted;
    }

    private enum Pick : byte { Any, CleanOnly, TaintedOnly }

    private readonly Dictionary<int, List<Lot>> _queues = [];
    private readonly bool _fromOldest = policy == TaintPolicy.Fifo;

    /// <summary>Accounts holding a lot queue (tainted accounts).</summary>
    public int QueueCount => _queues.Count;

    /// <summary>Lots in all queues (memory accounting).</summary>
    public long LotCount => _queues.Values.Sum(q => (long)q.Count);

    protected override long AddUnseen(int account, long amount)
    {
        Balance[account] += amount;
        if (_queues.TryGetValue(account, out List<Lot>? lots))
        {
            if (lots.Count > 0 && !lots[0].Tainted) CollectionsMarshal.AsSpan(lots)[0].Amount += amount;
            else lots.Insert(0, new Lot(amount, false));
        }
        return 0;
    }

    protected override void Debit(int account, long amount, long fee, out long feeTaint, out long amountTaint)
    {
        if (!_queues.TryGetValue(account, out List<Lot>? lots))
        {
            feeTaint = amountTaint = 0;   // clean account: one implicit clean lot
            Balance[account] -= amount + fee;
            return;
        }
        feeTaint = Fees switch
        {
            FeeHandling.Policy => Take(lots, fee, Pick.Any),
            FeeHandling.CleanFirst => TakePreferring(lots, fee, Pick.CleanOnly),
            _ => TakePreferring(lots, fee, Pick.TaintedOnly),
        };
        amountTaint = Take(lots, amount, Pick.Any);
        Balance[account] -= amount + fee;
        Taint[account] -= feeTaint + amountTaint;
        if (Taint[account] == 0) _queues.Remove(account);   // all clean again: back to the implicit lot
    }

    protected override void Credit(int account, long amount, long taint, out long contaminated, out long writtenOff)
    {
        contaminated = 0;
        writtenOff = 0;
        if (taint > 0)
        {
            List<Lot> lots = QueueOf(account);
            Append(lots, taint, true);
            Append(lots, amount - taint, false);
            Taint[account] += taint;
        }
        else if (_queues.TryGetValue(account, out List<Lot>? lots))
        {
            Append(lots, amount, false);
        }
        Balance[account] += amount;
    }

    protected override long MakeFullyTainted(int account)
    {
        long converted = Balance[account] - Taint[account];
        if (converted == 0) return 0;
        List<Lot> lots = QueueOf(account);
        lots.Clear();
        lots.Add(new Lot(Balance[account], true));
        Taint[account] = Balance[account];
        return converted;
    }

    private List<Lot> QueueOf(int account)
    {
        ref List<Lot>? lots = ref CollectionsMarshal.GetValueRefOrAddDefault(_queues, account, out bool exists);
        if (!exists) lots = Balance[account] > 0 ? [new Lot(Balance[account], false)] : [];
        return lots!;
    }

    private static void Append(List<Lot> lots, long amount, bool tainted)
    {
        if (amount <= 0) return;
        if (lots.Count > 0 && lots[^1].Tainted == tainted) CollectionsMarshal.AsSpan(lots)[^1].Amount += amount;
        else lots.Add(new Lot(amount, tainted));
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
            if (pick == Pick.CleanOnly && lot.Tainted || pick == Pick.TaintedOnly && !lot.Tainted) continue;
            long share = Math.Min(lot.Amount, amount - taken);
            lot.Amount -= share;
            taken += share;
            if (lot.Tainted) taint += share;
            if (lot.Amount == 0) emptied++;
        }
        if (emptied == 0) return taken;
        if (pick == Pick.Any)
        {
            // Taking from one end empties a run of lots at that end only: drop it, nothing in between can need merging.
            if (_fromOldest) lots.RemoveRange(0, emptied);
            else lots.RemoveRange(lots.Count - emptied, emptied);
            return taken;
        }
        lots.RemoveAll(static l => l.Amount == 0);
        MergeAdjacent(lots);
        return taken;
    }

    private static void MergeAdjacent(List<Lot> lots)
    {
        for (int i = lots.Count - 1; i > 0; i--)
        {
            if (lots[i].Tainted != lots[i - 1].Tainted) continue;
            CollectionsMarshal.AsSpan(lots)[i - 1].Amount += lots[i].Amount;
            lots.RemoveAt(i);
        }
    }

    private static long SumTaint(List<Lot> lots)
    {
        long sum = 0;
        foreach (Lot lot in lots) if (lot.Tainted) sum += lot.Amount;
        return sum;
    }
}
