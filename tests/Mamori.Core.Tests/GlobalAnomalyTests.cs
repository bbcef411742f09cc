using Mamori.Detectors;
using Mamori.Signals;

namespace Mamori.Core.Tests;

/// <summary>When a bucket's failure or unknown-account share is a spike (GlobalAnomalyDetector.Spike).</summary>
public sealed class GlobalAnomalyTests
{
    private static bool UnknownSpike(double rate, double baseline, int attempts) =>
        GlobalAnomalyDetector.Spike(rate, baseline, GlobalSignals.UnknownFloor, 3 * Math.Max(baseline, GlobalSignals.UnknownFloor), attempts);

    [Fact]
    public void StuffingAtAMillionUsers_LiftsTheUnknownShareFromPointFourToTwoPercent_AndIsASpike() =>
        Assert.True(UnknownSpike(0.023, 0.004, 3000));

    [Theory]
    [InlineData(1.0 / 20, 20)]     // one unknown account in a quiet night's bucket
    [InlineData(3.0 / 200, 200)]   // three: a typo or two, under 3 × the floor
    [InlineData(9.0 / 150, 150)]   // six percent, but nine events: too few to trust a z-score
    public void SmallCounts_AreNotSpikes(double rate, int attempts) => Assert.False(UnknownSpike(rate, 0.004, attempts));

    [Fact]
    public void FailureShareDoubling_IsNotASpike_WhileTripling_Is()
    {
        const double baseline = 0.055;
        Assert.False(GlobalAnomalyDetector.Spike(0.11, baseline, GlobalSignals.FailureFloor, 3 * baseline, 3000));
        Assert.True(GlobalAnomalyDetector.Spike(0.17, baseline, GlobalSignals.FailureFloor, 3 * baseline, 3000));
    }
}
