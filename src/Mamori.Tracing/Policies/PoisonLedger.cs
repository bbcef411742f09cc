namespace Mamori.Tracing.Policies;

/// <summary>Poison: an account that receives any taint is tainted whole, and everything it sends after is taint.</summary>
/// <remarks>
/// Poison does not conserve value by nature — it multiplies it — so the clean value it converts is booked
/// as <see cref="TaintBooks.Contaminated"/> and the books still balance. Without a hop limit a few hops
/// reach most of a busy chain; the limit (default 16) writes taint off beyond it. Fee handling does not
/// apply: a poisoned account holds nothing clean.
/// </remarks>
internal sealed class PoisonLedger(FeeHandling fees, AccountRoles roles, long theftTime, int maxHops)
    : TaintLedger(TaintPolicy.Poison, fees, roles, theftTime, maxHops)
{
    protected override long AddUnseen(int account, long amount)
    {
        Accounts[account].Balance += amount;
        if (!Accounts[account].Poisoned) return 0;
        Accounts[account].Taint += amount;
        return amount;
    }

    protected override void Debit(int account, long amount, long fee, out long feeTaint, out long amountTaint)
    {
        bool poisoned = Accounts[account].Poisoned;
        feeTaint = poisoned ? fee : 0;
        amountTaint = poisoned ? amount : 0;
        Accounts[account].Balance -= amount + fee;
        Accounts[account].Taint -= feeTaint + amountTaint;
    }

    protected override void Credit(int account, long amount, long taint, out long contaminated, out long writtenOff)
    {
        writtenOff = 0;
        contaminated = 0;
        if (taint > 0 && !Accounts[account].Poisoned)
        {
            Accounts[account].Poisoned = true;
            contaminated = Accounts[account].Balance;   // everything it held is now taint
            Accounts[account].Taint = Accounts[account].Balance;
        }
        Accounts[account].Balance += amount;
        if (Accounts[account].Poisoned)
        {
            contaminated += amount - taint;
            Accounts[account].Taint += amount;
        }
    }

    protected override long MakeFullyTainted(int account)
    {
        Accounts[account].Poisoned = true;
        long converted = Accounts[account].Balance - Accounts[account].Taint;
        Accounts[account].Taint = Accounts[account].Balance;
        return converted;
    }
}
