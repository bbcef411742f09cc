using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using Mamori.Mail.Containers;
using Mamori.Mail.Policy;

namespace Mamori.Mail.Analysis;

/// <summary>Looks inside attachments: OLE documents, OOXML packages, zip archives (encrypted ones with the
/// passwords the text offers), CSV files. Works on bytes in memory; nothing is written or executed.</summary>
internal static partial class AttachmentAnalyzer
{
    private const int MaxBiffRecords = 200_000;
    private const int MaxRelationshipPartBytes = 1024 * 1024;

    private static readonly HashSet<string> s_oleMacroExtensions = new(StringComparer.OrdinalIgnoreCase)
    { ".doc", ".dot", ".xls", ".xlt", ".xla", ".ppt", ".pot", ".pps", ".ppa", ".mpp", ".vsd", ".pub", ".msg" };

    private static readonly HashSet<string> s_ooxmlMacroExtensions = new(StringComparer.OrdinalIgnoreCase)
    { ".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb", ".pptm", ".potm", ".ppsm", ".ppam", ".sldm", ".vsdm" };

    /// <summary>Office files that can carry macros: the legacy binary formats and the "m" OOXML ones.</summary>
    private static readonly HashSet<string> s_officeMacroCapable = new(s_oleMacroExtensions.Concat(s_ooxmlMacroExtensions), StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> s_executableExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".exe", ".scr", ".com", ".pif", ".bat", ".cmd", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta",
        ".ps1", ".lnk", ".msi", ".jar", ".cpl", ".dll", ".reg", ".iso", ".img", ".vhd", ".vhdx", ".chm", ".msc",
    };

    // Relationship types Office fetches by itself when the document opens (remote template injection, linked OLE).
    private static readonly string[] s_loadingRelationships = ["attachedTemplate", "oleObject", "frame", "subDocument", "externalLinkPath"];

    /// <summary>Inspects one attachment or archive member.</summary>
    /// <param name="name">File name as given (may be empty).</param>
    /// <param name="data">Decoded content, already bounded by the caller.</param>
    /// <param name="depth">0 for a MIME attachment, +1 per container it sits in.</param>
    public static void Inspect(string name, byte[] data, int depth, ScanContext context)
    {
        string extension = Path.GetExtension(name);
        if (s_executableExtensions.Contains(extension) || (data.Length >= 2 && data[0] == 'M' && data[1] == 'Z'))
            context.Add(MailFindingCode.ExecutableAttachment, $"'{name}' is a program or script");

        if (CompoundFile.HasSignature(data)) InspectOle(name, extension, data, context);
        else if (ZipDirectory.HasSignature(data)) InspectZip(name, extension, data, depth, context);
        else if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase)) InspectCsv(name, data, context);
    }

    private static void InspectOle(string name, string extension, byte[] data, ScanContext context)
    {
        if (!CompoundFile.TryOpen(data, context.Options.MaxPartBytes, out CompoundFile? file, out string? error))
        {
            context.Add(MailFindingCode.MalformedContainer, $"'{name}' claims to be an OLE document but is not readable ({error})");
            return;
        }
        // Agile/standard encryption wraps the OOXML package in an OLE file with these two streams ([MS-OFFCRYPTO] 2.3.4).
        if (file.ContainsName("EncryptionInfo") && file.ContainsName("EncryptedPackage"))
        {
            context.Add(MailFindingCode.EncryptedOfficeDocument, $"'{name}' is an encrypted Office document");
            return;
        }
        if (file.TryFindChild(0, "WordDocument", out int word) && file.TryReadStream(word, 64, out byte[]? fib)
            && fib.Length > 0x0B && (fib[0x0B] & 0x01) != 0)   // FIB fEncrypted ([MS-DOC] 2.5.2)
            context.Add(MailFindingCode.EncryptedOfficeDocument, $"'{name}' is an encrypted Word document");
        if ((file.TryFindChild(0, "Workbook", out int book) || file.TryFindChild(0, "Book", out book))
            && file.TryReadStream(book, context.Options.MaxPartBytes, out byte[]? biff))
            InspectBiff(name, biff, context);

        if (VbaProject.TryFindVbaStorage(file, out int vba))
        {
            bool renamed = !s_oleMacroExtensions.Contains(extension);
            ReportMacros(name, file, vba, renamed, context);
        }
    }

    /// <summary>Walks BIFF8 records for FILEPASS (encrypted workbook) and BOUNDSHEET of type macro sheet (XLM).</summary>
    private static void InspectBiff(string name, ReadOnlySpan<byte> biff, ScanContext context)
    {
        int position = 0;
        for (int records = 0; records < MaxBiffRecords && position + 4 <= biff.Length; records++)
        {
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(biff[position..]);
            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(biff[(position + 2)..]);
            ReadOnlySpan<byte> body = biff.Slice(position + 4, Math.Min(length, biff.Length - position - 4));
            if (id == 0x002F) context.Add(MailFindingCode.EncryptedOfficeDocument, $"'{name}' is an encrypted Excel workbook");
            if (id == 0x0085 && body.Length >= 6 && body[5] == 0x01)   // BOUNDSHEET dt = 1: Excel 4.0 macro sheet
                context.Add(MailFindingCode.Excel4Macro, $"'{name}' has an Excel 4.0 (XLM) macro sheet");
            position += 4 + length;
        }
    }

    private static void ReportMacros(string name, CompoundFile file, int vbaStorage, bool renamed, ScanContext context)
    {
        context.Add(MailFindingCode.MacroPresent, $"'{name}' contains VBA macros");
        if (renamed) context.Add(MailFindingCode.MacroRenamed, $"'{name}' holds macros under an extension that does not announce them");
        List<string> sources = VbaProject.ReadModuleSources(file, vbaStorage, context.Options.MaxPartBytes);
        (string? autoExec, string? write, string? execute) = VbaProject.MatchKeywords(sources);
        if (autoExec is null) return;
        context.Add(MailFindingCode.MacroAutorun, $"a macro in '{name}' runs by itself ('{autoExec}')");
        if (write is not null || execute is not null)
            context.Add(MailFindingCode.MacroSuspicious, $"the auto-run macro in '{name}' also "
                + string.Join(" and ", new[] { write is null ? null : $"writes ('{write}')", execute is null ? null : $"executes ('{execute}')" }.OfType<string>()));
    }

    private static void InspectZip(string name, string extension, byte[] data, int depth, ScanContext context)
    {
        if (!ZipDirectory.TryOpen(data, context.Options.MaxArchiveMembers, out ZipDirectory? zip, out string? error))
        {
            context.Add(MailFindingCode.MalformedContainer, $"'{name}' claims to be a zip but is not readable ({error})");
            return;
        }
        if (zip.Truncated)
            context.Add(MailFindingCode.ScanLimitReached, $"'{name}' has more than {context.Options.MaxArchiveMembers} members; the rest were not examined");
        bool isOoxml = zip.Members.Any(m => m.Name.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase));
        if (isOoxml) InspectOoxml(name, extension, zip, depth, context);
        else InspectArchive(name, zip, depth, context);
    }

    private static void InspectOoxml(string name, string extension, ZipDirectory zip, int depth, ScanContext context)
    {
        foreach (ZipMember member in zip.Members)
        {
            string part = member.Name;
            if (part.Contains("macrosheets/", StringComparison.OrdinalIgnoreCase))
                context.Add(MailFindingCode.Excel4Macro, $"'{name}' has an Excel 4.0 (XLM) macro sheet ({part})");
            if (part.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)
                && TryExpand(name, zip, member, password: null, depth, context, out byte[] bin))
            {
                if (CompoundFile.TryOpen(bin, context.Options.MaxPartBytes, out CompoundFile? file, out _)
                    && VbaProject.TryFindVbaStorage(file, out int vba))
                    ReportMacros(name, file, vba, renamed: !s_ooxmlMacroExtensions.Contains(extension), context);
                else
                {
                    // A vbaProject part that does not parse is still a macro part.
                    context.Add(MailFindingCode.MacroPresent, $"'{name}' contains a VBA project part");
                    if (!s_ooxmlMacroExtensions.Contains(extension))
                        context.Add(MailFindingCode.MacroRenamed, $"'{name}' holds macros under an extension that does not announce them");
                }
            }
            if (part.EndsWith(".rels", StringComparison.OrdinalIgnoreCase) && member.UncompressedSize <= MaxRelationshipPartBytes
                && TryExpand(name, zip, member, password: null, depth, context, out byte[] rels))
                InspectRelationships(name, Encoding.UTF8.GetString(rels), context);
        }
    }

    private static void InspectRelationships(string name, string xml, ScanContext context)
    {
        foreach (Match relationship in RelationshipElement().Matches(xml))
        {
            string element = relationship.Value;
            if (!element.Contains("TargetMode=\"External\"", StringComparison.OrdinalIgnoreCase)) continue;
            string type = TypeOf(element);
            string target = TargetOf(element);
            string kind = type[(type.LastIndexOf('/') + 1)..];
            if (s_loadingRelationships.Any(l => kind.Equals(l, StringComparison.OrdinalIgnoreCase)))
            {
                context.Add(MailFindingCode.ExternalTemplate, $"'{name}' loads '{kind}' from {target} when opened");
                context.Add(MailFindingCode.RemoteTemplateLoad, $"'{name}' fetches '{kind}' from {target} when opened (remote template injection)");
            }
            else
            {
                context.Add(MailFindingCode.ExternalTemplate, $"'{name}' has an external '{kind}' relationship to {target}");
            }
        }
    }

    private static string TypeOf(string element) => AttributeNamed(element, "Type");
    private static string TargetOf(string element) => AttributeNamed(element, "Target");

    private static string AttributeNamed(string element, string attribute)
    {
        var match = Regex.Match(element, $@"\b{attribute}\s*=\s*""(?<v>[^""]*)""", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups["v"].Value : "";
    }

    private static void InspectArchive(string name, ZipDirectory zip, int depth, ScanContext context)
    {
        int encrypted = zip.Members.Count(m => m.IsEncrypted);
        if (encrypted > 0)
            context.Add(MailFindingCode.EncryptedArchive, $"'{name}' has {encrypted} encrypted member(s) that no scanner can read without the password");
        foreach (ZipMember member in zip.Members)
        {
            if (member.IsDirectory) continue;
            string memberName = $"{name}/{member.Name}";
            string memberExtension = Path.GetExtension(member.Name);
            if (s_executableExtensions.Contains(memberExtension))
                context.Add(MailFindingCode.ExecutableAttachment, $"'{memberName}' is a program or script");
            if (member.IsEncrypted && s_officeMacroCapable.Contains(memberExtension))
                context.Add(MailFindingCode.EncryptedArchiveOfficeMacro, $"encrypted '{name}' holds an Office file able to run macros ('{member.Name}')");

            if (!member.IsEncrypted)
            {
                if (TryExpand(name, zip, member, password: null, depth, context, out byte[] content))
                    Inspect(memberName, content, depth + 1, context);
                continue;
            }
            if (member.IsAes) continue;   // WinZip AES: the password check needs PBKDF2 per try; not attempted.
            foreach (string password in context.PasswordCandidates)
            {
                if (TryExpand(name, zip, member, password, depth, context, out byte[] plain))
                {
                    Inspect(memberName, plain, depth + 1, context);
                    break;
                }
            }
        }
    }

    /// <summary>Expands a member within the ratio, size, nesting and per-message budgets; reports what stops it.</summary>
    private static bool TryExpand(string archive, ZipDirectory zip, ZipMember member, string? password, int depth,
        ScanContext context, out byte[] content)
    {
        content = [];
        MailScannerOptions options = context.Options;
        if (depth + 1 > options.MaxNestingDepth)
        {
            context.Add(MailFindingCode.ScanLimitReached, $"'{archive}' is nested deeper than {options.MaxNestingDepth} containers");
            return false;
        }
        long compressed = Math.Max(1, member.CompressedSize);
        if (member.UncompressedSize / compressed > options.MaxDecompressionRatio)
        {
            context.Add(MailFindingCode.ArchiveBomb, $"'{archive}/{member.Name}' would expand {member.UncompressedSize / compressed}× (limit {options.MaxDecompressionRatio}×)");
            return false;
        }
        long allowed = Math.Min(Math.Min(options.MaxPartBytes, context.ExpansionBudget),
            Math.Min(member.UncompressedSize, compressed * options.MaxDecompressionRatio));
        if (member.UncompressedSize > allowed)
        {
            context.Add(MailFindingCode.ScanLimitReached, $"'{archive}/{member.Name}' ({member.UncompressedSize} bytes) is over the expansion limit");
            return false;
        }
        ZipReadStatus status = zip.TryRead(member, password, (int)allowed, out content);
        switch (status)
        {
            case ZipReadStatus.Ok:
                context.ExpansionBudget -= content.Length;
                return true;
            case ZipReadStatus.TooLarge:
                // The directory promised a size within the limits and the data kept going: a lying header.
                context.Add(MailFindingCode.ArchiveBomb, $"'{archive}/{member.Name}' expands past the size its header declares");
                return false;
            case ZipReadStatus.Malformed:
                context.Add(MailFindingCode.MalformedContainer, $"'{archive}/{member.Name}' is damaged");
                return false;
            default:
                return false;
        }
    }

    /// <summary>Looks for DDE formulas (<c>=cmd|' /C calc'!A0</c>) cell by cell: linear in the file, where one
    /// regex over the whole text could backtrack quadratically on a long line without delimiters.</summary>
    private static void InspectCsv(string name, byte[] data, ScanContext context)
    {
        const int maxCellChars = 1024;
        string text = Encoding.UTF8.GetString(data, 0, Math.Min(data.Length, BodyAnalyzer.MaxTextChars));
        foreach (Range range in text.AsSpan().SplitAny(",;\t\n"))
        {
            ReadOnlySpan<char> cell = text.AsSpan(range).Trim().Trim('"').TrimStart();
            if (cell.Length is < 3 or > maxCellChars || cell[0] is not ('=' or '+' or '-' or '@')) continue;
            int pipe = cell.IndexOf('|');
            if (pipe > 1 && cell[(pipe + 1)..].Contains('!') && char.IsLetter(cell[pipe - 1]))
            {
                context.Add(MailFindingCode.CsvDde, $"'{name}' has a cell that starts another program ({cell.ToString()})");
                return;
            }
        }
    }

    [GeneratedRegex(@"<Relationship\b[^>]*>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RelationshipElement();

}
