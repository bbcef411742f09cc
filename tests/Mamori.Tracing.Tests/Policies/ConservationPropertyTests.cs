using Mamori.Tracing.Input;
using Mamori.Tracing.Model;
using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Tests.Policies;

/// <summary>Random transfer graphs: whatever the policy and fee handling, taint is conserved after every transfer,
/// never exceeds a balance, and never appears before the theft.</summary>
public sealed class ConservationPropertyTests
{
    private const int Graphs = 150;

    public static TheoryData<TaintPolicy, FeeHandling> Cases()
    {
        var data = new TheoryData<TaintPolicy, FeeHandling>();
        foreach (TaintPolicy policy in TaintPolicyNames.All)
            foreach (FeeHandling fees in Enum.GetValues<FeeHandling>())
                data.Add(policy, fees);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RandomGraphs_TaintIsConservedAndNeverBeforeTheTheft(TaintPolicy policy, FeeHandling fees)
    {
        for (int seed = 1; seed <= Graphs; seed++)
        {
            var random = new Random(seed * 7919 + (int)policy * 31 + (int)fees);
            int accounts = random.Next(4, 16);
            long theftTime = random.Next(0, 300);
            var roles = new AccountRoles();
            roles.Set(0, AccountRole.Source);
            if (random.Next(2) == 0) roles.Set(1, AccountRole.Source);
            roles.Set(accounts - 1, AccountRole.Exchange);
            if (random.Next(2) == 0) roles.Set(accounts - 2, AccountRole.Exchange);
            var options = new TraceOptions { FeeHandling = fees, MaxHops = random.Next(1, 6), HaircutCutOff = random.Next(3) * 0.05 };
            TaintLedger ledger = Tracer.CreateLedger(policy, options, roles, theftTime);

            long time = 0;
            int transfers = random.Next(10, 250);
            for (int i = 0; i < transfers; i++)
            {
                time += random.Next(0, 4);   // equal times happen on real chains
                int from = random.Next(accounts), to = random.Next(accounts);
                long amount = random.Next(4) == 0 ? random.NextInt64(0, 3) : random.NextInt64(0, 1_000_000_000_000);
                long fee = random.Next(3) == 0 ? 0 : random.NextInt64(0, 50_000);
                var t = new Transfer(time, from, to, amount, fee, 0, random.Next(3), (ulong)i + 1);
                ledger.Apply(in t);

                TaintBooks books = ledger.Books();
                Assert.True(books.IsConserved, $"seed {seed}, transfer {i}: {books}");
                if (time < theftTime) Assert.Equal(0, books.In);
                for (int a = 0; a < accounts; a++)
                {
                    Assert.InRange(ledger.TaintOf(a), 0, Math.Max(0, ledger.BalanceOf(a)));
                }
            }
            foreach (CustomerTaint customer in ledger.Customers.Values)
            {
                Assert.True(customer.FirstTime >= theftTime, $"seed {seed}: deposit tainted at {customer.FirstTime}, theft at {theftTime}");
                Assert.All(customer.Path, hop => Assert.True(hop.Time >= theftTime));
                Assert.Equal(customer.Path.Length - 1, customer.Path[^1].Hops);
                for (int h = 1; h < customer.Path.Length; h++) Assert.True(customer.Path[h].Time >= customer.Path[h - 1].Time, "paths respect time");
            }
            for (int a = 0; a < accounts; a++)
            {
                if (ledger.Paths.TryGetFirstTaintTime(a, out long first)) Assert.True(first >= theftTime);
            }
        }
    }
}
