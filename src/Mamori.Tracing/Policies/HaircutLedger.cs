namespace Mamori.Tracing.Policies;

/// <summary>Haircut: every outflow carries the account's current taint share; shares below a cut-off are written off.</summary>
/// <remarks>
/// Shares are computed on integer base units with 128-bit products and rounded down, so the rounding
/// remainder stays in the account and the books balance exactly. The cut-off is what keeps dust out of
/// the findings: a thief sending 1 XEM to a stranger holding 10,000 leaves a 0.01% share, below the
/// default 1% cut-off, so the stranger is not reported as a launderer.
/// </remarks>
internal sealed class HaircutLedger(FeeHandling fees, AccountRoles roles, long theftTime, double cutOff)
    : TaintLedger(TaintPolicy.Haircut, fees, roles, theftTime, int.MaxValue)
{
    protected override long AddUnseen(int account, long amount)
    {
        Accounts[account].Balance += amount;
        return 0;
    }

    protected override void Debit(int account, long amount, long fee, out long feeTaint, out long amountTaint)
    {
        feeTaint = Fees == FeeHandling.Policy ? Share(fee, Accounts[account].Taint, Accounts[account].Balance) : FixedFeeTaint(account, fee);
        Accounts[account].Balance -= fee;
        Accounts[account].Taint -= feeTaint;
        amountTaint = Share(amount, Accounts[account].Taint, Accounts[account].Balance);
        Accounts[account].Balance -= amount;
        Accounts[account].Taint -= amountTaint;
    }

    protected override void Credit(int account, long amount, long taint, out long contaminated, out long writtenOff)
    {
        contaminated = 0;
        writtenOff = 0;
        Accounts[account].Balance += amount;
        Accounts[account].Taint += taint;
        long held = Accounts[account].Taint;
        if (held > 0 && held < cutOff * Accounts[account].Balance)
        {
            writtenOff = held;
            Accounts[account].Taint = 0;
        }
    }

    protected override long MakeFullyTainted(int account)
    {
        long converted = Accounts[account].Balance - Accounts[account].Taint;
        Accounts[account].Taint = Accounts[account].Balance;
        return converted;
    }

    /// <summary>floor(amount × taint / balance) without overflow.</summary>
    internal static long Share(long amount, long taint, long balance) =>
        balance <= 0 || taint <= 0 ? 0 : (long)((Int128)amount * taint / balance);
}
