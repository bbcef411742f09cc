using Mamori.Tracing.Model;
using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Tests.Policies;

/// <summary>The FIFO/LIFO lot-run cap: queues stay bounded, folded runs are spent proportionally, books stay exact.</summary>
public sealed class LotCapTests
{
    [Theory]
    [InlineData(TaintPolicy.Fifo)]
    [InlineData(TaintPolicy.Lifo)]
    public void FoldedRuns_AreSpentByTheirStolenShare(TaintPolicy policy)
    {
        // A gets 10 stolen, 10 clean, 10 stolen: three runs. Uncapped, a 6 outflow takes 6 stolen either way (FIFO: the
        // oldest run is stolen; LIFO: the newest is). With a cap of 2 the three runs fold into one lot of 30 holding 20
        // stolen, and 6 carries floor(6 × 20 / 30) = 4.
        Move[] moves = [new(1, "S", "A", 10), new(2, "X", "A", 10), new(3, "S", "A", 10), new(4, "A", "E", 6, Tag: "t")];

        TraceResult uncapped = TraceRun.Of(moves, ["S"], [("E", "E")], o => o.Policies = [policy]);
        TraceResult capped = TraceRun.Of(moves, ["S"], [("E", "E")], o => { o.Policies = [policy]; o.MaxLotRuns = 2; });

        Assert.Equal(6, uncapped.TaintOf(policy, "E", "t"));
        Assert.Equal(4, capped.TaintOf(policy, "E", "t"));
        var ledger = (LotLedger)capped.Ledgers[0];
        Assert.Equal(1, ledger.Folds);
        Assert.Equal(1, ledger.AccountsFolded);
        Assert.Equal(0, ((LotLedger)uncapped.Ledgers[0]).Folds);
        Assert.True(ledger.IsConserved());
        Assert.Equal(16, ledger.Books().Held);   // 20 stolen − 4 sent
    }

    [Theory]
    [InlineData(TaintPolicy.Fifo, FeeHandling.Policy)]
    [InlineData(TaintPolicy.Fifo, FeeHandling.CleanFirst)]
    [InlineData(TaintPolicy.Fifo, FeeHandling.TaintedFirst)]
    [InlineData(TaintPolicy.Lifo, FeeHandling.Policy)]
    [InlineData(TaintPolicy.Lifo, FeeHandling.CleanFirst)]
    [InlineData(TaintPolicy.Lifo, FeeHandling.TaintedFirst)]
    public void AlternatingInflows_QueueStaysUnderTheCapAndBooksBalance(TaintPolicy policy, FeeHandling fees)
    {
        // The hostile case: one account alternately receiving stolen and clean value thousands of times, with small
        // outflows that leave most runs in place. Uncapped, the queue would hold a run per inflow.
        const int cap = 8;
        var roles = new AccountRoles();
        roles.Set(0, AccountRole.Source);
        roles.Set(3, AccountRole.Exchange);
        var ledger = (LotLedger)Tracer.CreateLedger(policy, new TraceOptions { FeeHandling = fees, MaxLotRuns = cap }, roles, 0);
        var random = new Random(42);
        for (int i = 0; i < 5_000; i++)
        {
            int from = (i % 3) switch { 0 => 0, 1 => 2, _ => 1 };   // stolen in, clean in, A pays out
            int to = from == 1 ? 3 : 1;
            long amount = from == 1 ? random.NextInt64(1, 400) : random.NextInt64(100, 1_000);
            var t = new Transfer(i, from, to, amount, random.Next(0, 7), 0, 0, (ulong)i + 1);
            ledger.Apply(in t);

            TaintBooks books = ledger.Books();
            Assert.True(books.IsConserved, $"transfer {i}: {books}");
            Assert.InRange(ledger.TaintOf(1), 0, ledger.BalanceOf(1));
            Assert.InRange(ledger.LongestQueue, 0, cap);
        }
        Assert.True(ledger.Folds > 100, $"the cap should have engaged, folds = {ledger.Folds}");
        Assert.Equal(1, ledger.AccountsFolded);
        Assert.True(ledger.Books().ToExchanges > 0);
    }

    [Theory]
    [InlineData(TaintPolicy.Fifo)]
    [InlineData(TaintPolicy.Lifo)]
    public void RandomGraphsWithATinyCap_TaintIsConservedAfterEveryTransfer(TaintPolicy policy)
    {
        long folds = 0;
        for (int seed = 1; seed <= 100; seed++)
        {
            var random = new Random(seed * 104_729 + (int)policy);
            int accounts = random.Next(4, 12);
            var roles = new AccountRoles();
            roles.Set(0, AccountRole.Source);
            roles.Set(accounts - 1, AccountRole.Exchange);
            var fees = (FeeHandling)random.Next(3);
            var ledger = (LotLedger)Tracer.CreateLedger(policy, new TraceOptions { FeeHandling = fees, MaxLotRuns = random.Next(2, 5) }, roles, 0);
            for (int i = 0; i < 300; i++)
            {
                int from = random.Next(accounts), to = random.Next(accounts);
                var t = new Transfer(i, from, to, random.NextInt64(0, 1_000_000), random.Next(3) == 0 ? 0 : random.NextInt64(0, 5_000), 0, 0, (ulong)i + 1);
                ledger.Apply(in t);
                Assert.True(ledger.Books().IsConserved, $"seed {seed}, transfer {i}: {ledger.Books()}");
                for (int a = 0; a < accounts; a++) Assert.InRange(ledger.TaintOf(a), 0, Math.Max(0, ledger.BalanceOf(a)));
                Assert.InRange(ledger.LongestQueue, 0, ledger.MaxRuns);
            }
            folds += ledger.Folds;
        }
        Assert.True(folds > 0, "the cap never engaged; the test would prove nothing");
    }
}
