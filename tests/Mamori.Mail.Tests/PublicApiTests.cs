namespace Mamori.Mail.Tests;

/// <summary>Pins the public surface of Mamori.Mail: everything else stays internal (STYLE.md §3).</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicTypes_AreExactlyTheReviewedSet()
    {
        string[] expected =
        [
            "Mamori.Mail.Http.MailEndpoints",
            "Mamori.Mail.MailBatch",
            "Mamori.Mail.MailBatchItem",
            "Mamori.Mail.MailScanResultJson",
            "Mamori.Mail.MailScanner",
            "Mamori.Mail.MailScannerOptions",
            "Mamori.Mail.Milter.MilterServer",
            "Mamori.Mail.Policy.MailFinding",
            "Mamori.Mail.Policy.MailFindingCode",
            "Mamori.Mail.Policy.MailFindingCodeNames",
            "Mamori.Mail.Policy.MailPolicy",
            "Mamori.Mail.Policy.MailScanResult",
            "Mamori.Mail.Policy.MailVerdict",
            "Mamori.Mail.Policy.MailVerdictNames",
        ];

        string[] actual = [.. typeof(MailScanner).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal)];

        Assert.Equal(expected, actual);
    }
}
