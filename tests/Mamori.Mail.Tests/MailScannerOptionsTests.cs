using Mamori.Mail.Policy;

namespace Mamori.Mail.Tests;

public sealed class MailScannerOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndDocumented()
    {
        var options = new MailScannerOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(25 * 1024 * 1024, options.MaxMessageBytes);
        Assert.Equal(16, options.MaxMimeDepth);
        Assert.Equal(200, options.MaxDecompressionRatio);
        Assert.Equal((4d, 8d, 12d), (options.TagScore, options.QuarantineScore, options.RejectScore));
    }

    [Fact]
    public void InvalidValues_AreAllReportedAtOnce()
    {
        var options = new MailScannerOptions { MaxMimeDepth = 1, MaxArchiveMembers = 0, TagScore = 9, QuarantineScore = 8 };
        options.OwnDomains.Add("not a domain");
        options.Weights[MailFindingCode.MacroPresent] = -1;

        var ex = Assert.Throws<ArgumentException>(() => new MailScanner(options));

        Assert.Contains("MaxMimeDepth", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxArchiveMembers", ex.Message, StringComparison.Ordinal);
        Assert.Contains("thresholds must rise", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'not a domain' is not a domain name", ex.Message, StringComparison.Ordinal);
        Assert.Contains("weight of macro_present", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsChangedAfterConstruction_DoNotChangeTheScanner()
    {
        var options = new MailScannerOptions();
        var scanner = new MailScanner(options);

        options.RejectScore = 1;
        options.OwnDomains.Add("example.co.jp");

        Assert.Equal(12, scanner.Options.RejectScore);
        Assert.Empty(scanner.Options.OwnDomains);
    }

    [Fact]
    public void EveryFindingCode_HasAUniqueSnakeCaseWireNameAndAWeight()
    {
        var names = MailFindingCodeNames.All.Select(c => c.ToWireName()).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z0-9_]+$", n));
        Assert.All(MailFindingCodeNames.All, c => Assert.True(MailPolicy.DefaultWeights.ContainsKey(c), c.ToString()));
    }

    [Fact]
    public void WireNames_AreStable()
    {
        // These strings are matched by MTA rules and SIEM searches; renaming one breaks them.
        Assert.Equal("macro_autorun", MailFindingCode.MacroAutorun.ToWireName());
        Assert.Equal("encrypted_archive_office_macro", MailFindingCode.EncryptedArchiveOfficeMacro.ToWireName());
        Assert.Equal("display_name_honorific", MailFindingCode.DisplayNameHonorific.ToWireName());
        Assert.Equal("quarantine", MailVerdict.Quarantine.ToWireName());
    }
}
