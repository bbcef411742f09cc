using System.Diagnostics;

namespace Mamori.Tracing.Policies;

/// <summary>How stolen value is attributed when an account mixes it with clean value.</summary>
/// <remarks>The TaintedTX family (Tironsakkul et al. 2019) compared these on Bitcoin; here each is adapted to
/// account-based chains: an account's balance is the pool, its outflows leave in time order.</remarks>
public enum TaintPolicy : byte
{
    /// <summary>Any account that receives taint is tainted whole, and so is everything it sends (up to a hop limit).</summary>
    Poison,
    /// <summary>Every outflow carries the account's current taint share (proportional), with a cut-off below which taint is written off.</summary>
    Haircut,
    /// <summary>Coins leave in the order they arrived: first in, first out.</summary>
    Fifo,
    /// <summary>The newest coins leave first: last in, first out.</summary>
    Lifo,
    /// <summary>Taint in, highest out: a spend is a transaction whose outputs are the transfer, the fee and the change
    /// left in the account; taint fills the highest-valued output first.</summary>
    Tiho,
}

/// <summary>Which coins pay a transaction fee.</summary>
public enum FeeHandling : byte
{
    /// <summary>The policy decides, as for any outflow (fee leaves just before the amount). The default.</summary>
    Policy,
    /// <summary>Fees come out of clean value first; taint pays only when no clean value is left.</summary>
    CleanFirst,
    /// <summary>Fees come out of taint first (the launderer's own fees burn stolen value).</summary>
    TaintedFirst,
}

/// <summary>Wire names for policies and fee handling: CLI values and report keys. Never rename one.</summary>
public static class TaintPolicyNames
{
    /// <summary>Every policy, in report order.</summary>
    public static readonly TaintPolicy[] All = [TaintPolicy.Poison, TaintPolicy.Haircut, TaintPolicy.Fifo, TaintPolicy.Lifo, TaintPolicy.Tiho];

    /// <summary>The stable name of a policy.</summary>
    public static string ToWireName(this TaintPolicy policy) => policy switch
    {
        TaintPolicy.Poison => "poison",
        TaintPolicy.Haircut => "haircut",
        TaintPolicy.Fifo => "fifo",
        TaintPolicy.Lifo => "lifo",
        TaintPolicy.Tiho => "tiho",
        _ => throw new UnreachableException($"TaintPolicy {policy} has no wire name."),
    };

    /// <summary>The stable name of a fee handling.</summary>
    public static string ToWireName(this FeeHandling fees) => fees switch
    {
        FeeHandling.Policy => "policy",
        FeeHandling.CleanFirst => "clean-first",
        FeeHandling.TaintedFirst => "tainted-first",
        _ => throw new UnreachableException($"FeeHandling {fees} has no wire name."),
    };

    /// <summary>Parses a policy wire name.</summary>
    public static bool TryParsePolicy(string name, out TaintPolicy policy)
    {
        foreach (TaintPolicy p in All)
        {
            if (string.Equals(p.ToWireName(), name, StringComparison.OrdinalIgnoreCase)) { policy = p; return true; }
        }
        policy = default;
        return false;
    }

    /// <summary>Parses a fee-handling wire name.</summary>
    public static bool TryParseFeeHandling(string name, out FeeHandling fees)
    {
        foreach (FeeHandling f in Enum.GetValues<FeeHandling>())
        {
            if (string.Equals(f.ToWireName(), name, StringComparison.OrdinalIgnoreCase)) { fees = f; return true; }
        }
        fees = default;
        return false;
    }
}
