using Microsoft.Extensions.Options;

namespace Mamori.Core.Tests;

public sealed class MamoriOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndDocumentedValues()
    {
        var options = new MamoriOptions();
        Assert.True(new MamoriOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(12, options.Spraying.DistinctAccountThreshold);
        Assert.Equal(TimeSpan.FromHours(1), options.Spraying.ShortWindow);
        Assert.Equal(10, options.BruteForce.UnfamiliarThreshold);
        Assert.Equal(3.0, options.Familiarity.StepUpLogRatio);
        Assert.Equal(FailMode.FailChallenge, options.FailMode);
        Assert.False(options.MonitorOnly);
    }

    [Fact]
    public void InvalidValues_AreAllReportedAtOnce_NamingEachSetting()
    {
        var options = new MamoriOptions();
        options.Spraying.DistinctAccountThreshold = 1;
        options.BruteForce.FamiliarThreshold = 3;   // below UnfamiliarThreshold (10)
        options.Tenants["bank-a"] = new TenantOptions { FamiliarityStepUpLogRatio = -1 };
        var ex = Assert.Throws<OptionsValidationException>(() => new LoginAssessor(options, new Mamori.State.InMemorySignalStore(new MamoriOptions())));
        Assert.Equal(3, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.Contains("Mamori:Spraying:DistinctAccountThreshold", StringComparison.Ordinal) && f.Contains("between 2 and 1000000", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Mamori:BruteForce:FamiliarThreshold", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Mamori:Tenants:bank-a:FamiliarityStepUpLogRatio", StringComparison.Ordinal));
    }

    [Fact]
    public void SlowGuessingThresholds_MustRiseFromStepUpToChallengeToLock()
    {
        var options = new MamoriOptions();
        Assert.Equal((10, 30, 100), (options.BruteForce.SinceSuccessStepUpThreshold, options.BruteForce.SinceSuccessChallengeThreshold, options.BruteForce.SinceSuccessLockThreshold));
        options.BruteForce.SinceSuccessChallengeThreshold = 5;   // below the step-up (10)
        options.BruteForce.SinceSuccessLockThreshold = 4;        // below the challenge
        ValidateOptionsResult result = new MamoriOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Mamori:BruteForce:SinceSuccessChallengeThreshold", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Mamori:BruteForce:SinceSuccessLockThreshold", StringComparison.Ordinal));
    }

    [Fact]
    public void FailingOnlyAddressFailures_IsOneByDefault_AndAtLeastOne()
    {
        var options = new MamoriOptions();
        Assert.Equal(1, options.Stuffing.FailingOnlyAddressFailures);
        options.Stuffing.FailingOnlyAddressFailures = 0;
        ValidateOptionsResult result = new MamoriOptionsValidator().Validate(null, options);
        string failure = Assert.Single(result.Failures!);
        Assert.Contains("Mamori:Stuffing:FailingOnlyAddressFailures", failure);
        Assert.Contains("between 1 and 1000", failure);
    }

    [Fact]
    public void HostingAsnLists_AreEmptyByDefault_AndHoldOnlyAsns_OfABoundedNumber()
    {
        var options = new MamoriOptions();
        Assert.True(options.Familiarity.StepUpHostingNetworks);
        Assert.Empty(options.Familiarity.HostingAsns);
        Assert.Empty(options.Familiarity.NotHostingAsns);
        options.Familiarity.HostingAsns = ["64500", "AS64501", " as64502 "];
        Assert.True(new MamoriOptionsValidator().Validate(null, options).Succeeded);
        options.Familiarity.HostingAsns = ["64500", "-3"];
        options.Familiarity.NotHostingAsns = [.. Enumerable.Range(1, MamoriOptionsValidator.MaxListedAsns + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        ValidateOptionsResult result = new MamoriOptionsValidator().Validate(null, options);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("Mamori:Familiarity:HostingAsns", StringComparison.Ordinal) && f.Contains("'-3' is not an ASN", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Mamori:Familiarity:NotHostingAsns", StringComparison.Ordinal) && f.Contains("at most 100,000", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("AS")]
    [InlineData("Amazon")]
    [InlineData("4294967295")]   // a 32-bit ASN beyond what a login carries here
    [InlineData("")]
    public void HostingAsns_RefuseWhatIsNotAnAsn(string text)
    {
        var options = new MamoriOptions();
        options.Familiarity.NotHostingAsns = [text];
        string failure = Assert.Single(new MamoriOptionsValidator().Validate(null, options).Failures!);
        Assert.Contains("Mamori:Familiarity:NotHostingAsns", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KnownNetworks")]
    [InlineData("PartnerNetworks")]
    public void KnownAndPartnerNetworks_MustEachBeANetwork(string setting)
    {
        var options = new MamoriOptions();
        IList<string> list = setting == "KnownNetworks" ? options.SharedAddress.KnownNetworks : options.SharedAddress.PartnerNetworks;
        list.Add("203.0.113.0/24");
        Assert.True(new MamoriOptionsValidator().Validate(null, options).Succeeded);
        list.Add("203.0.113.0/99");
        ValidateOptionsResult result = new MamoriOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        string failure = Assert.Single(result.Failures!);
        Assert.Contains("Mamori:SharedAddress:" + setting, failure);
        Assert.Contains("'203.0.113.0/99'", failure);
    }
}
