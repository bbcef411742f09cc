using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Tests;

public sealed class TraceOptionsTests
{
    [Fact]
    public void Defaults_RunAllPoliciesWithDocumentedLimits()
    {
        var options = new TraceOptions { Sources = [Addr.Of("S")] };

        Assert.Equal(TaintPolicyNames.All, options.Policies);
        Assert.Equal(FeeHandling.Policy, options.FeeHandling);
        Assert.Equal(16, options.MaxHops);
        Assert.Equal(0.01, options.HaircutCutOff);
        Assert.Equal(16, options.MaxLotRuns);
        Assert.Null(options.TheftTime);
        Assert.Null(options.Asset);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void InvalidValues_AreAllReportedTogether()
    {
        var options = new TraceOptions
        {
            Policies = [TaintPolicy.Fifo, TaintPolicy.Fifo],
            MaxHops = 1001,
            MaxLotRuns = 1,
            HaircutCutOff = 1.5,
            Exchanges = [new ExchangeAddress(" ", Addr.Of("E"))],
        };

        Assert.Equal(
        [
            "Sources: give at least one thief address (--source).",
            "Policies: a policy is listed twice.",
            "MaxHops: 1001 is outside 1..1000.",
            "MaxLotRuns: 1 is outside 2..1000000.",
            "HaircutCutOff: 1.5 is outside [0, 1).",
            $"Exchanges: address {Addr.Of("E")} has no exchange name.",
        ], options.Validate());
    }

    [Fact]
    public void SourceThatIsAlsoAnExchange_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Tracer(new TraceOptions
        {
            Sources = [Addr.Of("E")],
            Exchanges = [new ExchangeAddress("E", Addr.Of("E"))],
        }));

        Assert.Equal($"Sources: '{Addr.Of("E")}' is also listed as an exchange deposit address.", ex.Message);
    }

    [Fact]
    public void PolicyAndFeeHandlingWireNames_RoundTrip()
    {
        foreach (TaintPolicy policy in TaintPolicyNames.All)
        {
            Assert.True(TaintPolicyNames.TryParsePolicy(policy.ToWireName(), out TaintPolicy parsed));
            Assert.Equal(policy, parsed);
        }
        foreach (FeeHandling fees in Enum.GetValues<FeeHandling>())
        {
            Assert.True(TaintPolicyNames.TryParseFeeHandling(fees.ToWireName(), out FeeHandling parsed));
            Assert.Equal(fees, parsed);
        }
        Assert.Equal(["poison", "haircut", "fifo", "lifo", "tiho"], TaintPolicyNames.All.Select(p => p.ToWireName()));
    }
}
