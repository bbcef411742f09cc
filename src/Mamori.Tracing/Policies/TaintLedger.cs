using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Mamori.Tracing.Model;

namespace Mamori.Tracing.Policies;

/// <summary>Taint received by one exchange customer: deposits to one deposit address with one tag.</summary>
internal sealed class CustomerTaint
{
    /// <summary>Stolen base units that reached the customer.</summary>
    public long TaintAmount;
    /// <summary>Deposits that carried any taint.</summary>
    public int TaintedDeposits;
    /// <summary>First tainted deposit (Unix seconds).</summary>
    public long FirstTime = long.MaxValue;
    /// <summary>Last tainted deposit (Unix seconds).</summary>
    public long LastTime = long.MinValue;
    /// <summary>Shortest path (source first, depositing account last) over the customer's tainted deposits.</summary>
    public PathHop[] Path = [];
}

/// <summary>The global taint books of one policy; see <see cref="TaintLedger.IsConserved"/>.</summary>
/// <param name="Created">Stolen value: what sources held or received from the theft time on.</param>
/// <param name="Contaminated">Clean value converted to taint by mixing (poison only).</param>
/// <param name="ToExchanges">Taint deposited at exchanges (where tracing stops).</param>
/// <param name="Held">Taint still held by accounts at the end.</param>
/// <param name="Fees">Taint paid as transaction fees.</param>
/// <param name="WrittenOff">Taint dropped by a cut-off (haircut) or hop limit (poison).</param>
public readonly record struct TaintBooks(long Created, long Contaminated, long ToExchanges, long Held, long Fees, long WrittenOff)
{
    /// <summary>Taint in.</summary>
    public long In => Created + Contaminated;
    /// <summary>Taint out: to exchanges and written off.</summary>
    public long Out => ToExchanges + WrittenOff;
    /// <summary>Taint in = taint out + taint held + taint paid as fees.</summary>
    public bool IsConserved => In == Out + Held + Fees;
}

/// <summary>Per-account taint state for one policy, updated transfer by transfer in time order.</summary>
/// <remarks>
/// <para>The policy-neutral part lives here: roles, sources, unseen funds, hop limit, deposits and paths. A
/// subclass only says how a debit splits into taint and clean (and how a credit merges), on integer base
/// units, so every policy is held to the same books: created + contaminated = to exchanges + written off +
/// held + fees, checked by <see cref="IsConserved"/>.</para>
/// <para>Unseen funds: an export rarely starts at genesis, so an account may send more than the data shows it
/// holding. The shortfall is treated as clean value it held before the data begins (older than anything
/// seen), except for a source after the theft, where it is stolen value.</para>
/// <para>Not thread-safe; state is dense arrays indexed by account id, so memory is per account, not per transfer.</para>
/// </remarks>
internal abstract class TaintLedger
{
    private const int InitialCapacity = 1024;

    private readonly AccountRoles _roles;
    private readonly long _theftTime;
    private readonly int _maxHops;
    private readonly Dictionary<(int Address, int Tag), CustomerTaint> _customers = [];

    /// <summary>What a policy keeps per account, in one 32-byte struct: a transfer touches two accounts, and with
    /// a million of them every separate array is another cache miss (separate arrays for balance, taint, taint
    /// received and hop count cost about a microsecond per transfer per policy).</summary>
    protected struct AccountState
    {
        /// <summary>Balance (exchanges excepted: their balances are not tracked).</summary>
        public long Balance;
        /// <summary>Taint held; 0 ≤ taint ≤ balance.</summary>
        public long Taint;
        /// <summary>Total taint received (accepted after cut-offs), for ranking indicators.</summary>
        public long Received;
        /// <summary>Best hop count from a source plus one; 0 = never tainted (mirrors <see cref="PathBook.HopsOf"/>).</summary>
        public int HopsPlusOne;
        /// <summary>Poison only: the account is poisoned (kept here to share the account's cache line).</summary>
        public bool Poisoned;
    }

    /// <summary>Per-account state, indexed by account id.</summary>
    protected AccountState[] Accounts = new AccountState[InitialCapacity];

    protected TaintLedger(TaintPolicy policy, FeeHandling fees, AccountRoles roles, long theftTime, int maxHops)
    {
        Policy = policy;
        Fees = fees;
        _roles = roles;
        _theftTime = theftTime;
        _maxHops = maxHops;
    }

    /// <summary>The policy this ledger applies.</summary>
    public TaintPolicy Policy { get; }
    /// <summary>How fees are paid.</summary>
    public FeeHandling Fees { get; }
    /// <summary>Shortest taint paths.</summary>
    public PathBook Paths { get; } = new();
    /// <summary>Tainted customers keyed by (deposit address id, tag id).</summary>
    public IReadOnlyDictionary<(int Address, int Tag), CustomerTaint> Customers => _customers;

    private long _created, _contaminated, _toExchanges, _fees, _writtenOff;

    /// <summary>Applies one transfer. Transfers must come in time order.</summary>
    public void Apply(in Transfer t)
    {
        EnsureCapacity(Math.Max(t.From, t.To));
        bool active = t.Time >= _theftTime;
        AccountRole fromRole = _roles[t.From], toRole = _roles[t.To];
        long amountTaint = 0;
        int hops = 0;

        if (fromRole != AccountRole.Exchange)
        {
            bool activeSource = active && fromRole == AccountRole.Source;
            if (activeSource) ActivateSource(t.From, t.Time);
            long need = checked(t.Amount + t.Fee);
            long shortfall = need - Accounts[t.From].Balance;
            if (shortfall > 0)
            {
                long converted = AddUnseen(t.From, shortfall);
                if (activeSource) _created += converted + MakeFullyTainted(t.From);
                else _contaminated += converted;
            }
            Debit(t.From, t.Amount, t.Fee, out long feeTaint, out amountTaint);
            _fees += feeTaint;
            if (amountTaint > 0)
            {
                int fromHops = Accounts[t.From].HopsPlusOne - 1;
                if (fromHops < 0) fromHops = int.MaxValue;
                Debug.Assert(fromHops != int.MaxValue, "An account passing taint must have a path.");
                hops = fromHops == int.MaxValue ? int.MaxValue : fromHops + 1;
                if (hops > _maxHops)
                {
                    _writtenOff += amountTaint;   // beyond the hop limit taint is no longer followed
                    amountTaint = 0;
                }
            }
        }

        if (toRole == AccountRole.Exchange)
        {
            _toExchanges += amountTaint;
            if (amountTaint > 0) RecordDeposit(in t, amountTaint, hops);
            return;
        }

        bool activeTarget = active && toRole == AccountRole.Source;
        if (activeTarget) ActivateSource(t.To, t.Time);
        Credit(t.To, t.Amount, amountTaint, out long contaminated, out long writtenOff);
        _writtenOff += writtenOff;
        if (activeTarget) _created += contaminated + MakeFullyTainted(t.To);
        else _contaminated += contaminated;
        if (amountTaint > 0 && Accounts[t.To].Taint > 0)
        {
            Accounts[t.To].Received += amountTaint;
            Observe(t.To, hops, t.From, t.Time);
        }
    }

    /// <summary>Hints the CPU to start loading an account's state: the tracer calls it a few transfers ahead, so
    /// the cache misses of a million-account working set overlap instead of queueing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(int account)
    {
        // A hint only: if the GC moves the array in between, the CPU fetches a stale line and nothing else happens.
        if (Sse.IsSupported && (uint)account < (uint)Accounts.Length) Sse.Prefetch0(Unsafe.AsPointer(ref Accounts[account]));
        PrefetchPolicyState(account);
    }

    /// <summary>Prefetches policy-specific state (FIFO/LIFO queues).</summary>
    protected virtual void PrefetchPolicyState(int account) { }

    /// <summary>The global books now.</summary>
    public TaintBooks Books()
    {
        long held = 0;
        foreach (ref readonly AccountState account in Accounts.AsSpan()) held += account.Taint;
        return new TaintBooks(_created, _contaminated, _toExchanges, held, _fees, _writtenOff);
    }

    /// <summary>Whether the books balance.</summary>
    public bool IsConserved() => Books().IsConserved;

    /// <summary>Taint an account holds now.</summary>
    public long TaintOf(int account) => account < Accounts.Length ? Accounts[account].Taint : 0;

    /// <summary>Balance the ledger tracks for an account.</summary>
    public long BalanceOf(int account) => account < Accounts.Length ? Accounts[account].Balance : 0;

    /// <summary>Total taint an account received (accepted after cut-offs), for ranking indicators.</summary>
    public long ReceivedOf(int account) => account < Accounts.Length ? Accounts[account].Received : 0;

    /// <summary>Highest account id with state.</summary>
    public int Capacity => Accounts.Length;

    /// <summary>Adds clean value an account held before the data begins; returns how much of it became taint
    /// (poison: a poisoned account taints whatever it holds).</summary>
    protected abstract long AddUnseen(int account, long amount);

    /// <summary>Splits a debit of <paramref name="amount"/> plus <paramref name="fee"/> (the balance covers both) into taint and clean.</summary>
    protected abstract void Debit(int account, long amount, long fee, out long feeTaint, out long amountTaint);

    /// <summary>Credits an inflow carrying <paramref name="taint"/>; reports clean value converted to taint and taint written off.</summary>
    protected abstract void Credit(int account, long amount, long taint, out long contaminated, out long writtenOff);

    /// <summary>Makes all of an account's balance taint; returns how much was clean before.</summary>
    protected abstract long MakeFullyTainted(int account);

    /// <summary>Grows policy-specific arrays.</summary>
    protected virtual void OnGrow(int capacity) { }

    /// <summary>The clean-first / tainted-first fee split, shared by the policies that allow it.</summary>
    protected long FixedFeeTaint(int account, long fee) => Fees switch
    {
        FeeHandling.CleanFirst => Math.Max(0, fee - (Accounts[account].Balance - Accounts[account].Taint)),
        FeeHandling.TaintedFirst => Math.Min(fee, Accounts[account].Taint),
        _ => throw new UnreachableException("Policy fee handling is decided by the policy."),
    };

    private void ActivateSource(int account, long time)
    {
        _created += MakeFullyTainted(account);
        Observe(account, 0, -1, time);
    }

    private void Observe(int account, int hops, int pred, long time)
    {
        // The hop count cached in the account's state decides first: most taint arrives over no better route,
        // and then the path history (two more cache misses) is not touched at all.
        ref int best = ref Accounts[account].HopsPlusOne;
        if (best != 0 && hops + 1 >= best) return;
        best = hops + 1;
        Paths.Observe(account, hops, pred, time);
    }

    private void RecordDeposit(in Transfer t, long amountTaint, int hops)
    {
        var key = (t.To, t.Tag);
        if (!_customers.TryGetValue(key, out CustomerTaint? customer))
        {
            customer = new CustomerTaint();
            _customers.Add(key, customer);
        }
        customer.TaintAmount += amountTaint;
        customer.TaintedDeposits++;
        customer.FirstTime = Math.Min(customer.FirstTime, t.Time);
        customer.LastTime = Math.Max(customer.LastTime, t.Time);
        if (customer.Path.Length == 0 || hops + 1 < customer.Path.Length)
        {
            PathHop[] upstream = Paths.Reconstruct(t.From, t.Time);
            customer.Path = [.. upstream, new PathHop(t.To, t.Time, hops)];
        }
    }

    private void EnsureCapacity(int account)
    {
        if (account < Accounts.Length) return;
        int capacity = Math.Max(account + 1, Accounts.Length * 2);
        Array.Resize(ref Accounts, capacity);
        OnGrow(capacity);
    }
}
