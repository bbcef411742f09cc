using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Tests.Policies;

/// <summary>One small laundering computed by hand, where the policies disagree.</summary>
/// <remarks>
/// The thief S sends 40 to A; then X, a clean payer, sends A 60. A now holds [40 stolen, 60 clean] in arrival order.
/// A pays three customers at exchange E: alice 30, bob 50, carol 20 (no fees).
///
/// alice 30 — poison: A is poisoned, 30. haircut: 30 × 40/100 = 12. FIFO: oldest first, 30 of the stolen 40.
///   LIFO: newest first, 30 of the clean 60 → 0. TIHO: outputs 30 sent vs 70 change; the larger (change) takes
///   the taint first → 0.
///   Left in A (70): FIFO [10 t, 60 c]; LIFO [40 t, 30 c]; haircut 28 of 70; TIHO 40 of 70.
/// bob 50 — poison 50. haircut 50 × 28/70 = 20. FIFO 10 t + 40 c → 10. LIFO 30 c + 20 t → 20.
///   TIHO: 50 sent vs 20 change; the sent output is larger → min(50, 40) = 40.
///   Left (20): FIFO [20 c] → 0; LIFO [20 t] → 20; haircut 8; TIHO 0.
/// carol 20 — poison 20, haircut 8, FIFO 0, LIFO 20, TIHO 0.
///
/// Books: 40 stolen in; everything ends at E. Poison also converts X's 60 (contaminated): 100 at E.
/// </remarks>
public sealed class WorkedExampleTests
{
    private static readonly Move[] s_moves =
    [
        new(100, "S", "A", 40),
        new(200, "X", "A", 60),
        new(300, "A", "E", 30, Tag: "alice"),
        new(400, "A", "E", 50, Tag: "bob"),
        new(500, "A", "E", 20, Tag: "carol"),
    ];

    private static TraceResult Run() => TraceRun.Of(s_moves, ["S"], [("Exchange E", "E")]);

    [Theory]
    [InlineData(TaintPolicy.Poison, 30, 50, 20)]
    [InlineData(TaintPolicy.Haircut, 12, 20, 8)]
    [InlineData(TaintPolicy.Fifo, 30, 10, 0)]
    [InlineData(TaintPolicy.Lifo, 0, 20, 20)]
    [InlineData(TaintPolicy.Tiho, 0, 40, 0)]
    public void HandComputedLaundering_EachPolicyGivesItsOwnAnswer(TaintPolicy policy, long alice, long bob, long carol)
    {
        TraceResult result = Run();

        Assert.Equal(alice, result.TaintOf(policy, "E", "alice"));
        Assert.Equal(bob, result.TaintOf(policy, "E", "bob"));
        Assert.Equal(carol, result.TaintOf(policy, "E", "carol"));
    }

    [Fact]
    public void HandComputedLaundering_PoisonHaircutFifoTihoAllDisagree()
    {
        TraceResult result = Run();
        var answers = new[] { TaintPolicy.Poison, TaintPolicy.Haircut, TaintPolicy.Fifo, TaintPolicy.Tiho }
            .Select(p => string.Join(",", new[] { "alice", "bob", "carol" }.Select(c => result.TaintOf(p, "E", c))))
            .ToList();

        Assert.Equal(4, answers.Distinct().Count());
    }

    [Theory]
    [InlineData(TaintPolicy.Poison, 60, 100)]
    [InlineData(TaintPolicy.Haircut, 0, 40)]
    [InlineData(TaintPolicy.Fifo, 0, 40)]
    [InlineData(TaintPolicy.Lifo, 0, 40)]
    [InlineData(TaintPolicy.Tiho, 0, 40)]
    public void HandComputedLaundering_BooksBalance(TaintPolicy policy, long contaminated, long toExchanges)
    {
        TaintBooks books = Run().Ledgers.Single(l => l.Policy == policy).Books();

        Assert.Equal(40, books.Created);
        Assert.Equal(contaminated, books.Contaminated);
        Assert.Equal(toExchanges, books.ToExchanges);
        Assert.Equal(0, books.Held);
        Assert.True(books.IsConserved);
    }

    [Fact]
    public void HandComputedLaundering_PathRunsFromThiefThroughAToTheExchange()
    {
        TraceResult result = Run();
        var ledger = result.Ledgers.Single(l => l.Policy == TaintPolicy.Fifo);
        var alice = ledger.Customers.Values.Single(c => c.TaintAmount == 30);

        Assert.Equal([Addr.Of("S"), Addr.Of("A"), Addr.Of("E")], alice.Path.Select(h => result.Context.Addresses[h.Account]));
        Assert.Equal([100L, 100L, 300L], alice.Path.Select(h => h.Time));
    }

    [Fact]
    public void FeeHandling_CleanFirstSparesTheTaintThatPolicyFeesBurn()
    {
        // A holds 50 stolen + 50 clean and pays a 10 fee with a 20 transfer. Haircut, fees by policy: the fee
        // carries 10 × 50/100 = 5 taint; the transfer 20 × 45/90 = 10. Clean-first: fee 0 taint; transfer 20 × 50/90 = 11.
        Move[] moves = [new(1, "S", "A", 50), new(2, "X", "A", 50), new(3, "A", "E", 20, Fee: 10, Tag: "t")];

        TraceResult byPolicy = TraceRun.Of(moves, ["S"], [("E", "E")], o => o.Policies = [TaintPolicy.Haircut]);
        TraceResult cleanFirst = TraceRun.Of(moves, ["S"], [("E", "E")], o => { o.Policies = [TaintPolicy.Haircut]; o.FeeHandling = FeeHandling.CleanFirst; });

        Assert.Equal(10, byPolicy.TaintOf(TaintPolicy.Haircut, "E", "t"));
        Assert.Equal(5, byPolicy.Ledgers[0].Books().Fees);
        Assert.Equal(11, cleanFirst.TaintOf(TaintPolicy.Haircut, "E", "t"));
        Assert.Equal(0, cleanFirst.Ledgers[0].Books().Fees);
        Assert.True(byPolicy.Ledgers[0].IsConserved());
        Assert.True(cleanFirst.Ledgers[0].IsConserved());
    }

    [Fact]
    public void PoisonHopLimit_WritesOffTaintBeyondTheLimit()
    {
        Move[] moves = [new(1, "S", "A", 10), new(2, "A", "B", 10), new(3, "B", "E", 10, Tag: "far")];

        TraceResult result = TraceRun.Of(moves, ["S"], [("E", "E")], o => { o.Policies = [TaintPolicy.Poison]; o.MaxHops = 2; });

        Assert.Equal(0, result.TaintOf(TaintPolicy.Poison, "E", "far"));   // the deposit is hop 3
        Assert.Equal(10, result.Ledgers[0].Books().WrittenOff);
        Assert.True(result.Ledgers[0].IsConserved());
    }

    [Fact]
    public void HaircutCutOff_DustToABusyAccountIsWrittenOffNotReported()
    {
        Move[] moves = [new(1, "X", "V", 100_000), new(2, "S", "V", 10), new(3, "V", "E", 50_000, Tag: "victim")];

        TraceResult result = TraceRun.Of(moves, ["S"], [("E", "E")], o => o.Policies = [TaintPolicy.Haircut, TaintPolicy.Poison]);

        Assert.Equal(0, result.TaintOf(TaintPolicy.Haircut, "E", "victim"));
        Assert.Equal(50_000, result.TaintOf(TaintPolicy.Poison, "E", "victim"));
        var haircut = result.Ledgers.Single(l => l.Policy == TaintPolicy.Haircut);
        Assert.True(result.Context.Addresses.TryGetAccount(Addr.Of("V"), out int victim, out _));
        Assert.False(haircut.Paths.WasTainted(victim));
        Assert.Equal(10, haircut.Books().WrittenOff);
    }
}
