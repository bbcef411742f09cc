using Mamori.Tracing.Generation;
using Mamori.Tracing.Input;
using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Tests.Generation;

/// <summary>A generated Coincheck-like laundering, read back from NIS1 JSON and traced.</summary>
public sealed class CoincheckScenarioTests : IClassFixture<CoincheckScenarioTests.Traced>
{
    /// <summary>Generates and traces once for all tests in the class.</summary>
    public sealed class Traced : IDisposable
    {
        internal TempDir Dir { get; } = new();
        public CoincheckScenario Scenario { get; }
        internal TraceResult Result { get; }

        public Traced()
        {
            Scenario = CoincheckScenarioGenerator.Write(Dir.Path);
            var tracer = new Tracer(new TraceOptions
            {
                Sources = Scenario.ThiefAddresses,
                Exchanges = ExchangeFile.Read(Scenario.ExchangesFile),
            });
            Result = tracer.Run([.. Scenario.TransferFiles.Select(f => (f, TransferFormat.Auto))]);
        }

        public void Dispose() => Dir.Dispose();
    }

    private readonly Traced _traced;

    public CoincheckScenarioTests(Traced traced) => _traced = traced;

    private HashSet<(string Address, string Tag)> TaintedCustomers(TaintPolicy policy) =>
        _traced.Result.Ledgers.Single(l => l.Policy == policy).Customers
            .Where(c => c.Value.TaintAmount > 0)
            .Select(c => (_traced.Result.Context.Addresses[c.Key.Address], _traced.Result.Context.Tags[c.Key.Tag]))
            .ToHashSet();

    [Fact]
    public void Fifo_FindsEveryLaunderingCustomerAndNoCleanOne()
    {
        HashSet<(string, string)> tainted = TaintedCustomers(TaintPolicy.Fifo);

        Assert.Equal(_traced.Scenario.LaunderingCustomers.Count, _traced.Scenario.LaunderingCustomers.Count(tainted.Contains));
        Assert.DoesNotContain(tainted, _traced.Scenario.CleanCustomers.Contains);
        Assert.Equal(_traced.Scenario.LaunderingCustomers.OrderBy(c => c), tainted.OrderBy(c => c));
    }

    [Fact]
    public void Haircut_DustedBystandersAreNotReportedAsLaunderers()
    {
        var ledger = _traced.Result.Ledgers.Single(l => l.Policy == TaintPolicy.Haircut);
        var addresses = _traced.Result.Context.Addresses;
        int dustedTainted = _traced.Scenario.DustRecipients.Count(d => addresses.TryGetAccount(d, out int id, out _) && ledger.Paths.WasTainted(id));

        Assert.Equal(0, dustedTainted);
        Assert.DoesNotContain(TaintedCustomers(TaintPolicy.Haircut), _traced.Scenario.CleanCustomers.Contains);
        Assert.Equal(_traced.Scenario.LaunderingCustomers.OrderBy(c => c), TaintedCustomers(TaintPolicy.Haircut).OrderBy(c => c));
    }

    [Fact]
    public void Poison_FramesTheDustedCustomersThatFifoClears()
    {
        // The contrast that makes the policy matter: poison taints every dusted honest customer who deposits later.
        HashSet<(string, string)> poison = TaintedCustomers(TaintPolicy.Poison);

        Assert.Contains(poison, _traced.Scenario.CleanCustomers.Contains);
    }

    [Fact]
    public void EveryPolicy_BooksBalanceAndNothingWasRejected()
    {
        Assert.Equal(0, _traced.Result.Context.Errors.Count);
        Assert.True(_traced.Result.Statistics.Duplicates > 0, "the thieves' file overlaps the network file");
        Assert.All(_traced.Result.Ledgers, l => Assert.True(l.IsConserved(), l.Policy.ToWireName()));
    }

    [Fact]
    public void LaunderingPaths_RunFromAThiefThroughMulesToTheExchange()
    {
        var ledger = _traced.Result.Ledgers.Single(l => l.Policy == TaintPolicy.Fifo);
        var addresses = _traced.Result.Context.Addresses;
        foreach (CustomerTaint customer in ledger.Customers.Values)
        {
            Assert.Contains(addresses[customer.Path[0].Account], _traced.Scenario.ThiefAddresses);
            Assert.All(customer.Path.Skip(2).SkipLast(1), hop => Assert.Contains(addresses[hop.Account], _traced.Scenario.MuleAddresses));
            Assert.Equal(6, customer.Path.Length);   // thief → dark web → 3 mules → exchange
        }
    }
}
