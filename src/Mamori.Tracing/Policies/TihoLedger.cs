namespace Mamori.Tracing.Policies;

/// <summary>TIHO, taint in – highest out, adapted to accounts.</summary>
/// <remarks>
/// On Bitcoin TIHO gives a transaction's taint to its largest outputs first. An account transfer is read as
/// a transaction spending the whole balance into three outputs: the amount sent, the fee, and the change
/// that stays in the account. Taint fills them largest first (ties: amount, then change, then fee), so a
/// large payout from a mostly clean account takes the taint with it, and a small one leaves it behind.
/// </remarks>
internal sealed class TihoLedger(FeeHandling fees, AccountRoles roles, long theftTime)
    : TaintLedger(TaintPolicy.Tiho, fees, roles, theftTime, int.MaxValue)
{
    protected override long AddUnseen(int account, long amount)
    {
        Accounts[account].Balance += amount;
        return 0;
    }

    protected override void Debit(int account, long amount, long fee, out long feeTaint, out long amountTaint)
    {
        long taint = Accounts[account].Taint;
        if (Fees == FeeHandling.Policy)
        {
            long change = Accounts[account].Balance - amount - fee;
            Span<long> values = [amount, change, fee];
            Span<int> order = [0, 1, 2];
            // Three outputs: an insertion sort by value (descending), ties kept in amount-change-fee order; no allocation.
            for (int i = 1; i < 3; i++)
            {
                for (int j = i; j > 0 && values[order[j]] > values[order[j - 1]]; j--)
                    (order[j], order[j - 1]) = (order[j - 1], order[j]);
            }
            feeTaint = amountTaint = 0;
            foreach (int kind in order)
            {
                long share = Math.Min(values[kind], taint);
                taint -= share;
                if (kind == 0) amountTaint = share;
                else if (kind == 2) feeTaint = share;
            }
        }
        else
        {
            feeTaint = FixedFeeTaint(account, fee);
            taint -= feeTaint;
            long change = Accounts[account].Balance - fee - amount;
            amountTaint = amount >= change ? Math.Min(amount, taint) : Math.Max(0, taint - change);
        }
        Accounts[account].Balance -= amount + fee;
        Accounts[account].Taint -= amountTaint + feeTaint;
    }

    protected override void Credit(int account, long amount, long taint, out long contaminated, out long writtenOff)
    {
        contaminated = 0;
        writtenOff = 0;
        Accounts[account].Balance += amount;
        Accounts[account].Taint += taint;
    }

    protected override long MakeFullyTainted(int account)
    {
        long converted = Accounts[account].Balance - Accounts[account].Taint;
        Accounts[account].Taint = Accounts[account].Balance;
        return converted;
    }
}
