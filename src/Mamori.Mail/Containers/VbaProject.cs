using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Mamori.Mail.Containers;

/// <summary>Finds VBA projects in a compound file and extracts their module source ([MS-OVBA]).</summary>
/// <remarks>Hand-written: no served library decompresses VBA. Decompression follows [MS-OVBA] 2.4.1; module
/// offsets come from the "dir" stream (2.3.4.2). Where the dir stream is damaged, the module source is
/// found the way olevba does, by the compressed "Attribut" that every module starts with.</remarks>
internal static partial class VbaProject
{
    /// <summary>Largest decompressed module kept; real modules are a few KiB, huge ones are padding.</summary>
    public const int MaxSourceBytes = 2 * 1024 * 1024;
    private const int MaxModules = 256;

    /// <summary>True when the file holds a VBA project: a storage "VBA" with a "dir" stream.</summary>
    public static bool TryFindVbaStorage(CompoundFile file, out int vbaStorage)
    {
        for (int i = 0; i < file.Entries.Count; i++)
        {
            CompoundFileEntry entry = file.Entries[i];
            if (entry.Type == CompoundFileEntryType.Storage && string.Equals(entry.Name, "VBA", StringComparison.OrdinalIgnoreCase)
                && file.TryFindChild(i, "dir", out _))
            { vbaStorage = i; return true; }
        }
        vbaStorage = -1;
        return false;
    }

    /// <summary>Source text of every module in the VBA storage, decompressed and decoded as Latin-1
    /// (keywords are ASCII; the code page does not matter for the rules).</summary>
    public static List<string> ReadModuleSources(CompoundFile file, int vbaStorage, int maxStreamBytes)
    {
        var sources = new List<string>();
        Dictionary<string, uint> offsets = [];
        if (file.TryFindChild(vbaStorage, "dir", out int dirIndex) && file.TryReadStream(dirIndex, maxStreamBytes, out byte[]? dirCompressed)
            && TryDecompress(dirCompressed, MaxSourceBytes, out byte[]? dir))
            offsets = ReadModuleOffsets(dir);

        foreach (int child in file.ChildrenOf(vbaStorage))
        {
            if (sources.Count >= MaxModules) break;
            CompoundFileEntry entry = file.Entries[child];
            if (entry.Type != CompoundFileEntryType.Stream || entry.Name.Equals("dir", StringComparison.OrdinalIgnoreCase)
                || entry.Name.StartsWith("__SRP_", StringComparison.OrdinalIgnoreCase) || entry.Name.StartsWith("_VBA_PROJECT", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!file.TryReadStream(child, maxStreamBytes, out byte[]? stream)) continue;
            int start = offsets.TryGetValue(entry.Name, out uint o) && o < stream.Length ? (int)o : FindCompressedSource(stream);
            if (start < 0) continue;
            if (TryDecompress(stream.AsSpan(start), MaxSourceBytes, out byte[]? source))
                sources.Add(Encoding.Latin1.GetString(source));
        }
        return sources;
    }

    /// <summary>olevba's fallback: compressed module source begins 0x01, a two-byte chunk header, a flag
    /// byte 0x00 and the literal "Attribut".</summary>
    private static int FindCompressedSource(ReadOnlySpan<byte> stream)
    {
        int at = stream.IndexOf("\0Attribut"u8);
        return at >= 3 && stream[at - 3] == 0x01 ? at - 3 : -1;
    }

    /// <summary>Module stream names and source offsets from the decompressed dir stream.</summary>
    private static Dictionary<string, uint> ReadModuleOffsets(ReadOnlySpan<byte> dir)
    {
        var offsets = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase);
        string? streamName = null;
        int position = 0;
        while (position + 6 <= dir.Length)
        {
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(dir[position..]);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(dir[(position + 2)..]);
            position += 6;
            // PROJECTVERSION declares 4 bytes but carries 6 ([MS-OVBA] 2.3.4.2.1.11).
            if (id == 0x0009) size = 6;
            if (size > dir.Length - position) break;
            ReadOnlySpan<byte> data = dir.Slice(position, (int)size);
            switch (id)
            {
                case 0x001A: streamName = Encoding.Latin1.GetString(data); break;            // MODULESTREAMNAME
                case 0x0031 when size == 4 && streamName is not null:                          // MODULEOFFSET
                    offsets[streamName] = BinaryPrimitives.ReadUInt32LittleEndian(data);
                    break;
                case 0x002B: streamName = null; break;                                         // module terminator
            }
            position += (int)size;
        }
        return offsets;
    }

    /// <summary>Decompresses a [MS-OVBA] 2.4.1 CompressedContainer; false when it is malformed.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> container, int maxOutput, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? output)
    {
        output = null;
        if (container.Length < 3 || container[0] != 0x01) return false;
        var result = new List<byte>(Math.Min(container.Length * 3, maxOutput));
        int position = 1;
        while (position + 2 <= container.Length && result.Count < maxOutput)
        {
            ushort header = BinaryPrimitives.ReadUInt16LittleEndian(container[position..]);
            int chunkEnd = Math.Min(container.Length, position + (header & 0x0FFF) + 3);
            bool compressed = (header & 0x8000) != 0;
            position += 2;
            int chunkStart = result.Count;
            if (!compressed)
            {
                int take = Math.Min(4096, container.Length - position);
                for (int i = 0; i < take; i++) result.Add(container[position + i]);
                position += take;
                continue;
            }
            while (position < chunkEnd && result.Count < maxOutput)
            {
                byte flags = container[position++];
                for (int bit = 0; bit < 8 && position < chunkEnd; bit++)
                {
                    if ((flags & (1 << bit)) == 0) { result.Add(container[position++]); continue; }
                    if (position + 2 > chunkEnd) return false;
                    ushort token = BinaryPrimitives.ReadUInt16LittleEndian(container[position..]);
                    position += 2;
                    int difference = result.Count - chunkStart;
                    int bitCount = 4;
                    while ((1 << bitCount) < difference) bitCount++;
                    int lengthMask = 0xFFFF >> bitCount;
                    int length = (token & lengthMask) + 3;
                    int offset = (token >> (16 - bitCount)) + 1;
                    if (offset > difference) return false;   // points before the chunk: corrupt
                    int from = result.Count - offset;
                    for (int i = 0; i < length && result.Count < maxOutput; i++) result.Add(result[from + i]);
                }
            }
            position = chunkEnd;
        }
        output = [.. result];
        return true;
    }

    /// <summary>The keywords mraptor looks for in the combined source of a project.</summary>
    /// <param name="sources">Module sources.</param>
    /// <returns>The first auto-exec, write and execute keyword found, each null when absent.</returns>
    public static (string? AutoExec, string? Write, string? Execute) MatchKeywords(IReadOnlyList<string> sources)
    {
        string? auto = null, write = null, execute = null;
        foreach (string source in sources)
        {
            string code = StripAttributesAndComments(source);
            auto ??= FirstMatch(AutoExecPattern(), code);
            write ??= FirstMatch(WritePattern(), code);
            execute ??= FirstMatch(ExecutePattern(), code);
        }
        return (auto, write, execute);
    }

    /// <summary>Drops "Attribute VB_…" header lines and comment lines, which name things without running them.</summary>
    private static string StripAttributesAndComments(string source)
    {
        var kept = new StringBuilder(source.Length);
        foreach (string line in source.Split('\n'))
        {
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith("Attribute ", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith('\'')
                || trimmed.StartsWith("Rem ", StringComparison.OrdinalIgnoreCase)) continue;
            kept.Append(line).Append('\n');
        }
        return kept.ToString();
    }

    private static string? FirstMatch(Regex regex, string text)
    {
        Match match = regex.Match(text);
        return match.Success ? match.Value.Trim() : null;
    }

    // Keyword sets after oletools mraptor (re_autoexec, re_write, re_execute), retyped for .NET.
    [GeneratedRegex(@"\b(?:Auto(?:Exec|_?Open|_?Close|Exit|New)|Document(?:_?Open|_Close|_?BeforeClose|Change|_New)|NewDocument|Workbook(?:_Open|_Activate|_Close|_BeforeClose)|\w+_(?:Painted|Painting|GotFocus|LostFocus|MouseHover|Layout|Click|Change|Resize|BeforeNavigate2|BeforeScriptExecute|DocumentComplete|DownloadBegin|DownloadComplete|FileDownload|NavigateComplete2|NavigateError|ProgressChange|PropertyChange|SetSecureLockIcon|StatusTextChange|TitleChange|MouseMove|MouseEnter|MouseLeave|OnConnecting))\b|\bAuto_Ope\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AutoExecPattern();

    [GeneratedRegex(@"\b(?:FileCopy|CopyFile|Kill|CreateTextFile|VirtualAlloc|RtlMoveMemory|URLDownloadToFileA?|AltStartupPath|WriteProcessMemory|ADODB\.Stream|WriteText|SaveToFile|SaveAs|SaveAsRTF|FileSaveAs|MkDir|RmDir|SaveSetting|SetAttr)\b|\bOpen\b[^\n]+\b(?:Write|Append|Binary|Output|Random)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WritePattern();

    [GeneratedRegex(@"\b(?:Shell|CreateObject|GetObject|SendKeys|RUN|CALL|MacScript|FollowHyperlink|CreateThread|ShellExecuteA?|ExecuteExcel4Macro|EXEC|REGISTER|SetTimer)\b|\bDeclare\b[^\n]+\bLib\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExecutePattern();
}
