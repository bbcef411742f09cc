using System.Text;
using Mamori.Mail.Policy;
using Mamori.Mail.Tests.Support;

namespace Mamori.Mail.Tests;

/// <summary>Emotet's 2019–2020 Japanese waves and the ordinary business mail they imitated.</summary>
public sealed class JapaneseEmotetTests
{
    private static MailScanner Scanner()
    {
        var options = new MailScannerOptions();
        options.OwnDomains.Add("example.co.jp");
        options.PartnerDomains.Add("partner.co.jp");
        options.PartnerDomains.Add("docomo.ne.jp");
        return new MailScanner(options);
    }

    private static void AssertCodes(MailScanResult result, params MailFindingCode[] codes)
    {
        foreach (MailFindingCode code in codes)
            Assert.True(result.Has(code), $"missing {code.ToWireName()}; got {string.Join(", ", result.Findings.Select(f => f.Code.ToWireName()))}");
    }

    [Fact]
    public void EncryptedZipWithDocmAndPasswordInBody_FromHonorificNameOnReplyWithoutThread_IsRejected()
    {
        byte[] zip = TestDocuments.ZipCryptoZip("Xk3v9q", ("請求書_1202.docm", TestDocuments.Docm(TestDocuments.AutoOpenShellMacro)));
        byte[] raw = JapaneseMail.Build(new("営業部 大久保さん", "okubo1984@mail.hacked-isp.example", "RE: 請求書の件",
            "お世話になっております。\r\n請求書を添付いたします。\r\n\r\nファイルのパスワード: Xk3v9q\r\n\r\nよろしくお願いいたします。\r\n")
        {
            Attachments = [("請求書_1202.zip", "zip", zip)],
        });
        Assert.Contains("=?iso-2022-jp?", Encoding.ASCII.GetString(raw), StringComparison.OrdinalIgnoreCase);

        MailScanResult result = Scanner().Scan(raw);

        Assert.Equal(MailVerdict.Reject, result.Verdict);
        AssertCodes(result, MailFindingCode.DisplayNameHonorific, MailFindingCode.ReplyWithoutThread,
            MailFindingCode.EncryptedArchive, MailFindingCode.EncryptedArchiveOfficeMacro, MailFindingCode.PasswordInBody,
            // The body's password opened the zip, so the document inside was examined too.
            MailFindingCode.MacroPresent, MailFindingCode.MacroAutorun, MailFindingCode.MacroSuspicious);
    }

    [Fact]
    public void DisplayNameHoldingPartnerAddress_WithMacroDocumentOnFakeReply_IsQuarantinedOrRejected()
    {
        byte[] raw = JapaneseMail.Build(new("大久保 <okubo@partner.co.jp>", "info@shop-mailer.example", "Re: 【至急】見積書送付のお願い",
            "いつもお世話になっております。\r\n見積書をご確認ください。\r\n")
        {
            Attachments = [("見積書.docm", "vnd.ms-word.document.macroEnabled.12", TestDocuments.Docm(TestDocuments.AutoOpenShellMacro))],
        });

        MailScanResult result = Scanner().Scan(raw);

        Assert.True(result.Verdict >= MailVerdict.Quarantine, $"verdict {result.Verdict} ({result.Score})");
        AssertCodes(result, MailFindingCode.DisplayNameAddressMismatch, MailFindingCode.ReplyWithoutThread, MailFindingCode.MacroPresent);
    }

    [Fact]
    public void AccountSuspendedPhishFromLookalikeDomain_IsQuarantinedOrRejected()
    {
        byte[] raw = JapaneseMail.Build(new("ドコモお客様センター", "support@docomo-ne.jp", "【重要】ご利用停止のお知らせ",
            "お客様のアカウントは一時的に利用停止されています。\r\n以下のリンクから本人確認をお願いします。\r\nhttps://d0como.ne.jp/verify\r\n")
        {
            Html = "<p>お客様のアカウントは一時的に利用停止されています。</p><a href=\"https://d0como.ne.jp/verify\">https://www.docomo.ne.jp/mydocomo</a>",
        });

        MailScanResult result = Scanner().Scan(raw);

        Assert.True(result.Verdict >= MailVerdict.Quarantine, $"verdict {result.Verdict} ({result.Score})");
        AssertCodes(result, MailFindingCode.AccountSuspensionLure, MailFindingCode.LinkTextMismatch, MailFindingCode.LookalikeDomain);
    }

    [Fact]
    public void PasswordZipFromKnownCorrespondentInRealThread_IsAcceptedOrTagged()
    {
        byte[] zip = TestDocuments.ZipCryptoZip("p7Rw2m", ("見積書_2019.xlsx", TestDocuments.PlainZip(("[Content_Types].xml", "<Types/>"u8.ToArray()))),
            ("仕様書.pdf", "%PDF-1.4\n%harmless\n"u8.ToArray()));
        byte[] raw = JapaneseMail.Build(new("株式会社パートナー 営業部 佐藤 花子", "sato@partner.co.jp", "Re: 見積書の件",
            "山田様\r\n\r\nいつもお世話になっております。\r\nご依頼の見積書を送付いたします。\r\nパスワードは別途お送りいたします。\r\n\r\n株式会社パートナー 佐藤\r\n")
        {
            InReplyTo = "<20191129093000.12345@example.co.jp>",
            Attachments = [("見積書.zip", "zip", zip)],
        });

        MailScanResult result = Scanner().Scan(raw);

        Assert.True(result.Verdict <= MailVerdict.Tag, $"verdict {result.Verdict} ({result.Score}): {string.Join(", ", result.Findings.Select(f => f.Code.ToWireName()))}");
        Assert.True(result.Has(MailFindingCode.EncryptedArchive));
        Assert.False(result.Has(MailFindingCode.DisplayNameHonorific));
        Assert.False(result.Has(MailFindingCode.ReplyWithoutThread));
    }

    [Fact]
    public void PasswordGivenInFollowUpMailOfRealThread_IsAccepted()
    {
        byte[] raw = JapaneseMail.Build(new("佐藤 花子", "sato@partner.co.jp", "Re: 見積書の件（パスワード）",
            "山田様\r\n\r\n先ほどお送りした添付ファイルのパスワードをお知らせします。\r\nパスワード：p7Rw2m\r\n")
        { InReplyTo = "<20191129093000.12345@example.co.jp>" });

        MailScanResult result = Scanner().Scan(raw);

        Assert.Equal(MailVerdict.Accept, result.Verdict);
    }

    [Fact]
    public void OrdinaryJapaneseBusinessMail_IsAcceptedWithoutFindings()
    {
        byte[] raw = JapaneseMail.Build(new("鈴木 一郎", "suzuki@example.co.jp", "来週の打ち合わせについて",
            "各位\r\n\r\n来週火曜日 14:00 から第2会議室で打ち合わせを行います。\r\n資料は共有フォルダをご覧ください。\r\n\r\n総務部 鈴木\r\n"));

        MailScanResult result = Scanner().Scan(raw);

        Assert.Equal(MailVerdict.Accept, result.Verdict);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Iso2022JpHeaders_AreDecodedBeforeTheyAreJudged()
    {
        byte[] raw = JapaneseMail.Build(new("経理部 田中様", "tanaka@freemail.example", "返信: 支払いの件", "ご確認ください。\r\n"));
        string ascii = Encoding.ASCII.GetString(raw);
        Assert.DoesNotContain("田中", ascii);   // on the wire the name is encoded …

        MailScanResult result = Scanner().Scan(raw);

        // … and the honorific and the Japanese reply prefix were still recognised after decoding.
        Assert.Contains(result.Findings, f => f.Code == MailFindingCode.DisplayNameHonorific && f.Message.Contains("田中様", StringComparison.Ordinal));
        Assert.True(result.Has(MailFindingCode.ReplyWithoutThread));
    }

    [Fact]
    public void ShiftJisBodyAndShiftJisZipMemberNames_AreDecoded()
    {
        Encoding sjis = Encoding.GetEncoding("shift_jis");
        byte[] zip = TestDocuments.ZipCryptoZip("Ab12", ("請求書.doc", new byte[] { 1, 2, 3 }));
        // Re-encode the member names the way Windows' built-in zip does on Japanese Windows: CP932, no UTF-8 flag.
        byte[] utf8Name = Encoding.UTF8.GetBytes("請求書.doc");
        byte[] sjisName = sjis.GetBytes("請求書.doc");
        Assert.Equal(utf8Name.Length - 3, sjisName.Length);   // 3 kanji: 9 bytes in UTF-8, 6 in Shift_JIS
        string raw = "From: a@example.org\r\nSubject: invoice\r\nMIME-Version: 1.0\r\n" +
                     "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=shift_jis\r\n" +
                     "Content-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(sjis.GetBytes("解凍パスワード：Ab12\r\n")) + "\r\n" +
                     "--b\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=a.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                     Convert.ToBase64String(ReplaceNames(zip, utf8Name, sjisName)) + "\r\n--b--\r\n";

        MailScanResult result = Scanner().Scan(Encoding.ASCII.GetBytes(raw));

        Assert.Contains(result.Findings, f => f.Code == MailFindingCode.PasswordInBody && f.Message.Contains("パスワード", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Code == MailFindingCode.EncryptedArchiveOfficeMacro && f.Message.Contains("請求書.doc", StringComparison.Ordinal));
    }

    /// <summary>Rewrites a stored member name in both headers (same zip otherwise; offsets fixed up).</summary>
    private static byte[] ReplaceNames(byte[] zip, byte[] from, byte[] to)
    {
        var output = new List<byte>(zip.Length);
        int i = 0;
        var localOffsets = new List<(int Old, int New)>();
        while (i < zip.Length)
        {
            uint signature = i + 4 <= zip.Length ? BitConverter.ToUInt32(zip, i) : 0;
            if (signature is 0x04034B50 or 0x02014B50)
            {
                bool local = signature == 0x04034B50;
                int fixedSize = local ? 30 : 46;
                int nameLengthAt = i + (local ? 26 : 28);
                byte[] head = zip[i..(i + fixedSize)];
                if (local) localOffsets.Add((i, output.Count));
                else
                {
                    int oldOffset = BitConverter.ToInt32(head, 42);
                    BitConverter.GetBytes(localOffsets.Single(o => o.Old == oldOffset).New).CopyTo(head, 42);
                }
                BitConverter.GetBytes((ushort)to.Length).CopyTo(head, nameLengthAt - i);
                output.AddRange(head);
                output.AddRange(to);
                i += fixedSize + from.Length;
                if (local)
                {
                    int compressed = BitConverter.ToInt32(zip, i - from.Length - fixedSize + 18);
                    output.AddRange(zip[i..(i + compressed)]);
                    i += compressed;
                }
            }
            else if (signature == 0x06054B50)
            {
                byte[] end = zip[i..];
                BitConverter.GetBytes(BitConverter.ToInt32(end, 12) + (to.Length - from.Length)).CopyTo(end, 12);
                BitConverter.GetBytes(BitConverter.ToInt32(end, 16) + (localOffsets.Count * (to.Length - from.Length))).CopyTo(end, 16);
                output.AddRange(end);
                break;
            }
            else throw new InvalidOperationException($"unexpected bytes at {i}");
        }
        return [.. output];
    }
}
