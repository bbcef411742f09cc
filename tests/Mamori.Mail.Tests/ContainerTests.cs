using System.Buffers.Binary;
using System.Text;
using Mamori.Mail.Analysis;
using Mamori.Mail.Containers;
using Mamori.Mail.Policy;
using Mamori.Mail.Tests.Support;

namespace Mamori.Mail.Tests;

/// <summary>The hand-written container readers: MS-OVBA, compound files, zip (ZipCrypto), and their limits.</summary>
public sealed class ContainerTests
{
    private static ScanContext Inspect(string name, byte[] data, Action<MailScannerOptions>? configure = null, params string[] passwords)
    {
        var options = new MailScannerOptions();
        configure?.Invoke(options);
        var context = new ScanContext(options);
        context.PasswordCandidates.AddRange(passwords);
        AttachmentAnalyzer.Inspect(name, data, 0, context);
        return context;
    }

    private static string[] Codes(ScanContext context) => [.. context.Findings.Select(f => f.Code.ToWireName())];

    [Fact]
    public void OvbaDecompression_MatchesTheSpecificationExamples()
    {
        // [MS-OVBA] 3.2.1 (no compression) and 3.2.2 (normal compression).
        byte[] literal = Convert.FromHexString("0119B00061626364656667680069 6A6B6C6D6E6F7000717273747576 2E".Replace(" ", "", StringComparison.Ordinal));
        byte[] normal = Convert.FromHexString("012FB000236161616263646582660070616768696A01380861 6B6C00306D6E6F70067102700410727374757610 7778797A003C".Replace(" ", "", StringComparison.Ordinal));

        Assert.True(VbaProject.TryDecompress(literal, 4096, out byte[]? a));
        Assert.Equal("abcdefghijklmnopqrstuv.", Encoding.ASCII.GetString(a));
        Assert.True(VbaProject.TryDecompress(normal, 4096, out byte[]? b));
        Assert.Equal("#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa", Encoding.ASCII.GetString(b));
    }

    [Fact]
    public void OvbaCopyTokenPointingBeforeTheChunk_IsRejected()
    {
        // Flag byte 0x01: the first token is a copy token, but nothing has been decompressed yet.
        byte[] corrupt = [0x01, 0x03, 0xB0, 0x01, 0x00, 0x00];
        Assert.False(VbaProject.TryDecompress(corrupt, 4096, out _));
    }

    [Fact]
    public void CompoundFileFromTheTestWriter_ExposesTheVbaModuleSource()
    {
        byte[] bin = TestDocuments.VbaProjectBin(TestDocuments.AutoOpenShellMacro);

        Assert.True(CompoundFile.TryOpen(bin, 1 << 20, out CompoundFile? file, out string? error), error);
        Assert.True(VbaProject.TryFindVbaStorage(file, out int vba));
        List<string> sources = VbaProject.ReadModuleSources(file, vba, 1 << 20);
        Assert.Contains(sources, s => s.Contains("Shell \"calc.exe\"", StringComparison.Ordinal));
    }

    [Fact]
    public void CompoundFileWithLoopingFatChain_FailsCleanly()
    {
        byte[] bin = TestDocuments.VbaProjectBin(TestDocuments.HarmlessMacro);
        // FAT entry of the first directory sector (sector 1) points back to itself.
        BinaryPrimitives.WriteUInt32LittleEndian(bin.AsSpan(512 + 4), 1);

        Assert.False(CompoundFile.TryOpen(bin, 1 << 20, out _, out string? error));
        Assert.NotNull(error);
    }

    [Fact]
    public void TruncatedOleAttachment_IsMalformedNotACrash()
    {
        byte[] bin = TestDocuments.VbaProjectBin(TestDocuments.HarmlessMacro)[..700];

        ScanContext context = Inspect("invoice.doc", bin);

        Assert.Contains("malformed_container", Codes(context));
    }

    [Fact]
    public void RandomBytesWithContainerSignatures_NeverThrow()
    {
        var random = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            byte[] data = new byte[random.Next(8, 4096)];
            random.NextBytes(data);
            if (i % 3 == 0) CompoundFile.Signature.CopyTo(data);
            if (i % 3 == 1) { data[0] = (byte)'P'; data[1] = (byte)'K'; data[2] = 3; data[3] = 4; }
            _ = Inspect(i % 2 == 0 ? "a.doc" : "a.zip", data);   // asserting it returns is the test
        }
    }

    [Fact]
    public void MutatedContainers_NeverThrow()
    {
        byte[][] seeds =
        [
            TestDocuments.VbaProjectBin(TestDocuments.AutoOpenShellMacro),
            TestDocuments.Docm(TestDocuments.AutoOpenShellMacro),
            TestDocuments.ZipCryptoZip("pw", ("a.docm", TestDocuments.Docm(TestDocuments.AutoOpenShellMacro))),
        ];
        var random = new Random(11);
        for (int i = 0; i < 600; i++)
        {
            byte[] data = (byte[])seeds[i % seeds.Length].Clone();
            for (int flips = random.Next(1, 8); flips > 0; flips--)
                data[random.Next(data.Length)] = (byte)random.Next(256);
            // Direct calls, without the scanner's safety net, so a reader bug shows here.
            _ = Inspect(i % 3 == 0 ? "a.doc" : "a.zip", data, null, "pw");
        }
    }

    [Fact]
    public void HarmlessMacroDocument_IsPresentButNotAutorun()
    {
        ScanContext context = Inspect("table.docm", TestDocuments.Docm(TestDocuments.HarmlessMacro));

        Assert.Equal(["macro_present"], Codes(context));
    }

    [Fact]
    public void MacroDocumentNamedDocx_IsRenamed()
    {
        ScanContext context = Inspect("report.docx", TestDocuments.Docm(TestDocuments.HarmlessMacro));

        Assert.Contains("macro_renamed", Codes(context));
    }

    [Fact]
    public void RemoteTemplate_IsExternalTemplateAndRemoteLoad()
    {
        ScanContext context = Inspect("letter.docx", TestDocuments.DocxWithRemoteTemplate("http://203.0.113.7/t.dotm"));

        Assert.Equal(["external_template", "remote_template_load"], Codes(context));
        Assert.Contains("203.0.113.7", context.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptedZipWithWrongPassword_StaysEncryptedAndUnopened()
    {
        byte[] zip = TestDocuments.ZipCryptoZip("right", ("a.docm", TestDocuments.Docm(TestDocuments.AutoOpenShellMacro)));

        ScanContext context = Inspect("a.zip", zip, null, "wrong", "alsowrong");

        Assert.Equal(["encrypted_archive", "encrypted_archive_office_macro"], Codes(context));
    }

    [Fact]
    public void EncryptedZipWithRightPassword_IsOpenedAndItsMacroFound()
    {
        byte[] zip = TestDocuments.ZipCryptoZip("right", ("a.docm", TestDocuments.Docm(TestDocuments.AutoOpenShellMacro)));

        ScanContext context = Inspect("a.zip", zip, null, "wrong", "right");

        Assert.Contains("macro_suspicious", Codes(context));
    }

    [Fact]
    public void ZipBomb_IsAFindingNotAnExpansion()
    {
        byte[] zeros = new byte[50 * 1024 * 1024];   // deflates about 1000:1
        byte[] zip = TestDocuments.PlainZip(("zeros.bin", zeros));
        Assert.True(zip.Length < 200 * 1024);

        ScanContext context = Inspect("bomb.zip", zip);

        Assert.Contains("archive_bomb", Codes(context));
        Assert.Equal(context.Options.MaxExpandedBytes, context.ExpansionBudget);   // nothing was expanded
    }

    [Fact]
    public void ZipNestedPastTheLimit_StopsWithScanLimit()
    {
        byte[] inner = TestDocuments.PlainZip(("run.exe", "MZ harmless"u8.ToArray()));
        for (int i = 0; i < 6; i++) inner = TestDocuments.PlainZip(($"layer{i}.zip", inner));

        ScanContext context = Inspect("nested.zip", inner, o => o.MaxNestingDepth = 3);

        Assert.Contains("scan_limit_reached", Codes(context));
        Assert.DoesNotContain("executable_attachment", Codes(context));   // the exe sits below the limit
    }

    [Fact]
    public void ZipWithTooManyMembers_StopsWithScanLimit()
    {
        var entries = Enumerable.Range(0, 40).Select(i => ($"f{i}.txt", "x"u8.ToArray())).ToArray();

        ScanContext context = Inspect("many.zip", TestDocuments.PlainZip(entries), o => o.MaxArchiveMembers = 10);

        Assert.Contains("scan_limit_reached", Codes(context));
    }

    [Fact]
    public void ExecutableInsideZip_IsFound()
    {
        ScanContext context = Inspect("invoice.zip", TestDocuments.PlainZip(("invoice.pdf.exe", "MZ"u8.ToArray())));

        Assert.Contains("executable_attachment", Codes(context));
    }

    [Fact]
    public void CsvWithDdeFormula_IsFoundAndPlainCsvIsNot()
    {
        Assert.Contains("csv_dde", Codes(Inspect("data.csv", "a,b\n=cmd|' /C calc'!A0,2\n"u8.ToArray())));
        Assert.Empty(Codes(Inspect("data.csv", "a,b\n=SUM(A1:A3),-5\n"u8.ToArray())));
    }

    [Fact]
    public void HostileCsvAndBodyText_AreExaminedCellByCellAndLineByLine()
    {
        // Shapes that make naive regexes backtrack quadratically: one 200k-character cell, and 20k
        // "password(" openings on one line. Finishing (the run has no timing assertion) is the test.
        byte[] csv = Encoding.UTF8.GetBytes("=" + new string('a', 200_000) + "|");
        Assert.Empty(Codes(Inspect("big.csv", csv)));

        var context = new ScanContext(new MailScannerOptions());
        BodyAnalyzer.AnalyzeText(string.Concat(Enumerable.Repeat("password(", 20_000)), context);
        Assert.True(context.Has(MailFindingCode.PasswordInBody));
    }

    [Fact]
    public void ZipCryptoDecryption_RoundTripsAndChecksTheCrc()
    {
        byte[] payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("見積書 ", 500)));
        byte[] zip = TestDocuments.ZipCryptoZip("pw", ("a.txt", payload));
        Assert.True(ZipDirectory.TryOpen(zip, 10, out ZipDirectory? directory, out _));

        Assert.Equal(ZipReadStatus.Ok, directory.TryRead(directory.Members[0], "pw", 1 << 20, out byte[] plain));
        Assert.Equal(payload, plain);
        Assert.NotEqual(ZipReadStatus.Ok, directory.TryRead(directory.Members[0], "px", 1 << 20, out _));
        Assert.Equal(ZipReadStatus.NeedsPassword, directory.TryRead(directory.Members[0], null, 1 << 20, out _));
    }
}
