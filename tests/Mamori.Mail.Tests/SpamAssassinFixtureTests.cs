using Mamori.Mail.Policy;
using Mamori.Mail.Tests.Support;

namespace Mamori.Mail.Tests;

/// <summary>SpamAssassin's own OLEVBMACRO test messages, with what its t/olevbmacro.t expects of each
/// (the table in shared/fixtures/mail/README.md).</summary>
public sealed class SpamAssassinFixtureTests
{
    private static readonly MailScanner s_scanner = new(new MailScannerOptions());

    public static TheoryData<string, string[], string[]> Expectations => new()
    {
        { "macro.eml", ["macro_present"], ["macro_autorun", "macro_renamed"] },
        { "malicemacro.eml", ["macro_present", "macro_autorun"], ["macro_renamed"] },
        { "renamedmacro.eml", ["macro_present", "macro_renamed"], [] },
        { "encrypted.eml", ["encrypted_office_document"], ["macro_present"] },
        { "zippwmacro.eml", ["macro_present", "encrypted_archive", "encrypted_archive_office_macro", "password_in_body"], ["macro_renamed"] },
        { "nomacro.eml", [], ["macro_present", "macro_autorun", "macro_renamed", "excel4_macro"] },
        { "goodcsv.eml", [], ["macro_present", "csv_dde"] },
        { "target_uri.eml", ["external_template"], ["macro_present"] },
    };

    [SkippableTheory]
    [MemberData(nameof(Expectations))]
    public void SpamAssassinTestMessage_GetsTheFindingsSpamAssassinExpects(string file, string[] expected, string[] forbidden)
    {
        Skip.If(SharedFixtures.MailFolder is null, SharedFixtures.MissingReason);
        string path = Path.Combine(SharedFixtures.MailFolder!, "spamassassin", file);
        MailScanResult result = s_scanner.Scan(File.ReadAllBytes(path));
        string[] codes = [.. result.Findings.Select(f => f.Code.ToWireName())];
        foreach (string code in expected) Assert.Contains(code, codes);
        foreach (string code in forbidden) Assert.DoesNotContain(code, codes);
    }

    [SkippableFact]
    public void CleanControls_AreAccepted()
    {
        Skip.If(SharedFixtures.MailFolder is null, SharedFixtures.MissingReason);
        foreach (string file in new[] { "nomacro.eml", "goodcsv.eml" })
        {
            MailScanResult result = s_scanner.Scan(File.ReadAllBytes(Path.Combine(SharedFixtures.MailFolder!, "spamassassin", file)));
            Assert.Equal(MailVerdict.Accept, result.Verdict);
        }
    }

    [SkippableFact]
    public void MacroDocumentRenamedToJpg_IsQuarantined()
    {
        Skip.If(SharedFixtures.MailFolder is null, SharedFixtures.MissingReason);
        MailScanResult result = s_scanner.Scan(File.ReadAllBytes(Path.Combine(SharedFixtures.MailFolder!, "spamassassin", "renamedmacro.eml")));
        Assert.True(result.Verdict >= MailVerdict.Quarantine, $"verdict {result.Verdict}, score {result.Score}");
    }
}
