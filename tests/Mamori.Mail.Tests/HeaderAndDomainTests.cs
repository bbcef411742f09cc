using System.Text;
using Mamori.Mail.Policy;

namespace Mamori.Mail.Tests;

public sealed class HeaderAndDomainTests
{
    private static MailScanResult Scan(string raw, Action<MailScannerOptions>? configure = null)
    {
        var options = new MailScannerOptions();
        configure?.Invoke(options);
        return new MailScanner(options).Scan(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")));
    }

    [Theory]
    [InlineData("example.co.jp", "mail.example.co.jp")]
    [InlineData("example.com", "a.b.example.com")]
    [InlineData("bbc.co.uk", "news.bbc.co.uk")]
    public void OrganisationalDomain_KeepsTheRegistrablePart(string expected, string host) =>
        Assert.Equal(expected, DomainNames.OrganisationalDomain(host));

    [Theory]
    [InlineData("examp1e.co.jp")]     // confusable digit
    [InlineData("exarnple.co.jp")]    // rn for m
    [InlineData("exmaple.co.jp")]     // swapped letters
    [InlineData("example-co.jp")]     // '.' became '-'
    [InlineData("еxample.co.jp")]     // Cyrillic е
    public void LookalikesOfOwnDomain_AreFound(string candidate)
    {
        Assert.True(DomainNames.TryMatchLookalike(candidate, ["example.co.jp"], out string matched));
        Assert.Equal("example.co.jp", matched);
    }

    [Theory]
    [InlineData("example.co.jp")]
    [InlineData("mail.example.co.jp")]
    [InlineData("unrelated.org")]
    public void OwnDomainAndUnrelatedDomains_AreNotLookalikes(string candidate) =>
        Assert.False(DomainNames.TryMatchLookalike(candidate, ["example.co.jp"], out _));

    [Fact]
    public void ReplyToOfMailingList_IsNotAMismatchButOtherwiseItIs()
    {
        const string list = "From: Alice <alice@example.org>\nTo: dev@lists.example.net\nReply-To: dev@lists.example.net\nList-Id: <dev.lists.example.net>\nSubject: hi\n\nbody\n";
        const string spoof = "From: Alice <alice@example.org>\nTo: bob@example.co.jp\nReply-To: alice.payments@freemail.example\nSubject: hi\n\nbody\n";

        Assert.False(Scan(list).Has(MailFindingCode.ReplyToMismatch));
        Assert.True(Scan(spoof).Has(MailFindingCode.ReplyToMismatch));
    }

    [Fact]
    public void DisplayNameHoldingSameDomainAddress_IsNotAMismatch()
    {
        MailScanResult result = Scan("From: \"alice@example.org\" <alice@example.org>\nSubject: x\n\nbody\n");

        Assert.False(result.Has(MailFindingCode.DisplayNameAddressMismatch));
    }

    [Fact]
    public void AuthenticationResultsFromTrustedHost_AreBelievedAndOthersIgnored()
    {
        const string raw = "Authentication-Results: mx.example.co.jp; spf=fail smtp.mailfrom=bank.example; dkim=fail header.d=bank.example; dmarc=fail header.from=bank.example\n" +
                           "From: Bank <info@bank.example>\nSubject: notice\n\nbody\n";

        MailScanResult trusted = Scan(raw, o => o.TrustedAuthServIds.Add("mx.example.co.jp"));
        MailScanResult untrusted = Scan(raw, o => o.TrustedAuthServIds.Add("other.example"));

        Assert.True(trusted.Has(MailFindingCode.SpfFail) && trusted.Has(MailFindingCode.DkimFail) && trusted.Has(MailFindingCode.DmarcFail));
        Assert.DoesNotContain(untrusted.Findings, f => f.Code is MailFindingCode.SpfFail or MailFindingCode.DkimFail or MailFindingCode.DmarcFail);
    }

    [Theory]
    [InlineData("Re: invoice", true)]
    [InlineData("RE: invoice", true)]
    [InlineData("Fwd: invoice", true)]
    [InlineData("返信: 請求書", true)]
    [InlineData("ＲＥ：請求書", true)]
    [InlineData("Regarding invoice", false)]
    public void ReplySubjectWithoutThreadHeaders_IsFlagged(string subject, bool expected)
    {
        MailScanResult result = Scan($"From: a@example.org\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\nbody\n");

        Assert.Equal(expected, result.Has(MailFindingCode.ReplyWithoutThread));
    }

    [Fact]
    public void ReplyWithReferences_IsNotFlagged()
    {
        MailScanResult result = Scan("From: a@example.org\nSubject: Re: invoice\nReferences: <1@example.org>\n\nbody\n");

        Assert.False(result.Has(MailFindingCode.ReplyWithoutThread));
    }

    [Fact]
    public void LinkShowingOneHostButOpeningAnother_IsFlagged()
    {
        const string raw = "From: a@example.org\nSubject: x\nContent-Type: text/html\n\n" +
                           "<a href=\"https://evil.example/login\">https://www.bank.co.jp/login</a> <a href=\"https://www.bank.co.jp/x\">www.bank.co.jp</a>\n";

        MailScanResult result = Scan(raw);

        MailFinding finding = Assert.Single(result.Findings, f => f.Code == MailFindingCode.LinkTextMismatch);
        Assert.Contains("evil.example", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GarbageInput_IsScannedWithoutThrowing()
    {
        MailScanResult result = new MailScanner(new MailScannerOptions()).Scan(new byte[] { 0, 1, 2, 0xFF, 0xFE, (byte)'\n' });

        Assert.Equal(MailVerdict.Accept, result.Verdict);
    }

    [Fact]
    public void MessageOverTheSizeLimit_IsScannedOnItsHeadAndSaysSo()
    {
        string raw = "From: a@example.org\nSubject: x\n\n" + new string('a', 5000);

        MailScanResult result = Scan(raw, o => o.MaxMessageBytes = 2048);

        Assert.True(result.Has(MailFindingCode.ScanLimitReached));
    }

    [Fact]
    public void DeeplyNestedMime_IsBoundedByMaxMimeDepth()
    {
        var raw = new StringBuilder("From: a@example.org\nSubject: x\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n");
        for (int i = 0; i < 2000; i++) raw.Append($"--b{i}\nContent-Type: multipart/mixed; boundary=\"b{i + 1}\"\n\n");

        MailScanResult result = Scan(raw.ToString(), o => o.MaxMimeDepth = 8);

        Assert.NotNull(result);   // returning at all (no stack overflow) is the point
    }
}
