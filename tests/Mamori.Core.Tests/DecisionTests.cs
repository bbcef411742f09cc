using Mamori.Policy;

namespace Mamori.Core.Tests;

public sealed class DecisionTests
{
    private static Decision With(IReadOnlyList<Reason> reasons) =>
        new() { Verdict = Verdict.Challenge, PolicyVerdict = Verdict.Challenge, Score = 0.5, Reasons = reasons };

    [Fact]
    public void ReasonsGivenAsAList_AreCopied_SoLaterChangesToTheListDoNotReachTheDecision()
    {
        var list = new List<Reason> { new(ReasonCode.SprayedSecret, "a"), new(ReasonCode.SharedAddress, "b") };
        Decision decision = With(list);
        list[0] = new Reason(ReasonCode.MonitorOnly, "changed");
        list.Add(new Reason(ReasonCode.ImpossibleTravel, "added"));

        Assert.Equal([ReasonCode.SprayedSecret, ReasonCode.SharedAddress], decision.Reasons.Select(r => r.Code));
        Assert.Equal(decision.Reasons, decision.ReasonSpan.ToArray());
        Assert.True(decision.Has(ReasonCode.SharedAddress));
        Assert.False(decision.Has(ReasonCode.MonitorOnly));
        Assert.False(decision.Has(ReasonCode.ImpossibleTravel));
    }

    [Fact]
    public void ReasonsGivenAsAnArray_AreKeptAsGiven()
    {
        Reason[] reasons = [new(ReasonCode.TakeoverRing, "ring")];
        Decision decision = With(reasons);

        Assert.Same(reasons, decision.Reasons);
        Assert.True(decision.Has(ReasonCode.TakeoverRing));
    }

    [Fact]
    public void NoReasons_HasNothing()
    {
        Decision decision = With([]);

        Assert.Empty(decision.Reasons);
        Assert.True(decision.ReasonSpan.IsEmpty);
        Assert.False(decision.Has(ReasonCode.SharedAddress));
    }

    [Fact]
    public void NullReasons_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => With(null!));
    }
}
