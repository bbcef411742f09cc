using Mamori.Tracing.Policies;

namespace Mamori.Tracing;

/// <summary>An exchange deposit address named in the <c>--exchanges</c> file.</summary>
/// <param name="Exchange">The exchange's name, as the investigator will write to it.</param>
/// <param name="Address">The deposit address.</param>
public sealed record ExchangeAddress(string Exchange, string Address);

/// <summary>What to trace and under which accounting rules.</summary>
public sealed class TraceOptions
{
    /// <summary>Largest hop limit accepted for poison.</summary>
    public const int MaxHopLimit = 1_000;

    /// <summary>The thief's addresses.</summary>
    /// <remarks>From <see cref="TheftTime"/> on, everything they hold or receive counts as stolen.</remarks>
    public IReadOnlyList<string> Sources { get; set; } = [];

    /// <summary>Exchange deposit addresses: taint reaching them is reported per (address, tag) and goes no further.</summary>
    public IReadOnlyList<ExchangeAddress> Exchanges { get; set; } = [];

    /// <summary>Policies run side by side in one pass.</summary>
    /// <value>The default is all five: poison, haircut, FIFO, LIFO, TIHO.</value>
    public IReadOnlyList<TaintPolicy> Policies { get; set; } = TaintPolicyNames.All;

    /// <summary>Which coins pay fees.</summary>
    /// <value>The default is <see cref="FeeHandling.Policy"/>: fees leave by the policy's own rule.</value>
    public FeeHandling FeeHandling { get; set; } = FeeHandling.Policy;

    /// <summary>Poison's hop limit: taint more than this many transfers from a source is written off.</summary>
    /// <remarks>Without it, poison reaches most of a busy chain in a few hops and every exchange customer looks
    /// guilty. Too low and a launderer adds hops until the trail stops; the Coincheck mules used 5–8.</remarks>
    /// <value>The default is 16.</value>
    public int MaxHops { get; set; } = 16;

    /// <summary>Haircut's cut-off: an account whose taint share falls below it is treated as clean (taint written off).</summary>
    /// <remarks>Stops dusting from framing bystanders: thieves send tiny amounts to random accounts so that a
    /// naive trace reports them. Too high and a launderer dilutes below it with clean funds.</remarks>
    /// <value>The default is 0.01 (1%).</value>
    public double HaircutCutOff { get; set; } = 0.01;

    /// <summary>Largest lot-run cap accepted.</summary>
    public const int MaxLotRunsLimit = 1_000_000;

    /// <summary>FIFO/LIFO: runs of lots one account's queue may hold before its oldest runs are folded into one
    /// mixed lot that is spent proportionally (haircut-style), leaving half the cap.</summary>
    /// <remarks>Without a cap an account alternately receiving clean and stolen value keeps one run per inflow, so
    /// memory grows with transfers (4.2M runs at 20M transfers of a dense random graph). With it, lot memory is at
    /// most accounts × cap × 16 bytes. A laundering trail's accounts rarely hold more than a few runs, so the
    /// default only bites on accounts mixing stolen and clean value dozens of times; the report counts them.
    /// Too low and FIFO/LIFO drift towards haircut for busy accounts.</remarks>
    /// <value>The default is 16 runs.</value>
    public int MaxLotRuns { get; set; } = 16;

    /// <summary>When the theft happened; sources are ordinary accounts before it.</summary>
    /// <value>The default (null) is "from the start of the data".</value>
    public DateTimeOffset? TheftTime { get; set; }

    /// <summary>The asset traced, e.g. <c>nem:xem</c>, <c>eth</c> or a CSV asset name.</summary>
    /// <value>The default (null) is the native asset of the first input (nem:xem, eth) or a CSV's first row's asset.</value>
    public string? Asset { get; set; }

    /// <summary>Every problem with these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Sources.Count == 0) errors.Add("Sources: give at least one thief address (--source).");
        if (Policies.Count == 0) errors.Add("Policies: give at least one policy (--policy).");
        if (Policies.Distinct().Count() != Policies.Count) errors.Add("Policies: a policy is listed twice.");
        if (MaxHops is < 1 or > MaxHopLimit) errors.Add($"MaxHops: {MaxHops} is outside 1..{MaxHopLimit}.");
        if (MaxLotRuns is < 2 or > MaxLotRunsLimit) errors.Add($"MaxLotRuns: {MaxLotRuns} is outside 2..{MaxLotRunsLimit}.");
        if (double.IsNaN(HaircutCutOff) || HaircutCutOff is < 0 or >= 1) errors.Add($"HaircutCutOff: {HaircutCutOff} is outside [0, 1).");
        foreach (ExchangeAddress exchange in Exchanges)
        {
            if (string.IsNullOrWhiteSpace(exchange.Exchange)) errors.Add($"Exchanges: address {exchange.Address} has no exchange name.");
        }
        return errors;
    }
}
