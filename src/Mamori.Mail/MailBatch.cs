using MimeKit;

namespace Mamori.Mail;

/// <summary>One message found under the paths given to <c>mamori mail scan</c>.</summary>
/// <param name="Label">File path, or "path#N" for the N-th message (1-based) of an mbox.</param>
/// <param name="Raw">The raw message, or null when it could not be read.</param>
/// <param name="Error">Why it could not be read, naming the path.</param>
public sealed record MailBatchItem(string Label, byte[]? Raw, string? Error);

/// <summary>Turns the CLI's paths into messages: a .eml file, a folder of them, or an mbox.</summary>
/// <remarks>Bounded like the scanner: a file larger than the message limit is read only up to it
/// (the scanner then reports <c>scan_limit_reached</c>).</remarks>
public static class MailBatch
{
    /// <summary>Files whose first line starts like this are mboxes ("From " envelope lines).</summary>
    private static ReadOnlySpan<byte> MboxMarker => "From "u8;

    /// <summary>Which files of an ordinary folder are messages when no pattern is given.</summary>
    public const string DefaultPattern = "*.eml";

    /// <summary>Lists the messages under <paramref name="paths"/>, folders recursively, in a stable order.</summary>
    /// <param name="paths">Files or folders.</param>
    /// <param name="pattern">Which files of a folder are messages, or null for the default: <see cref="DefaultPattern"/>,
    /// and in a Maildir folder every file of its <c>cur/</c> and <c>new/</c> folders.</param>
    /// <param name="maxMessageBytes">Read limit per message.</param>
    /// <remarks>A path that does not exist, or a folder with no message in it, is an item with an
    /// <see cref="MailBatchItem.Error"/> naming it, so the caller can tell "nothing to scan" from "all clean".</remarks>
    public static IEnumerable<MailBatchItem> Enumerate(IEnumerable<string> paths, string? pattern, int maxMessageBytes) =>
        Enumerate(paths, pattern, maxMessageBytes, WholeFileLimit);

    /// <summary><see cref="Enumerate(IEnumerable{string}, string, int)"/> with the in-memory threshold as a
    /// parameter, so tests reach the streaming mbox path without writing 16 MiB files.</summary>
    internal static IEnumerable<MailBatchItem> Enumerate(IEnumerable<string> paths, string? pattern, int maxMessageBytes, int wholeFileLimit)
    {
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                // Maildir file names carry no extension ("1577836800.M1P2.host:2,S"), so the *.eml default would find
                // nothing in the very folder a mail server delivers to; an explicit --pattern is still obeyed.
                bool maildir = pattern is null && IsMaildir(path);
                IEnumerable<string> files = maildir
                    ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsInMaildirMessageFolder)
                    : Directory.EnumerateFiles(path, pattern ?? DefaultPattern, SearchOption.AllDirectories);
                bool any = false;
                foreach (string file in files.Order(StringComparer.Ordinal))
                {
                    any = true;
                    foreach (MailBatchItem item in ReadFile(file, maxMessageBytes, wholeFileLimit)) yield return item;
                }
                // An empty Maildir is an inbox with no new mail, the usual state for a scan run from cron: not an error.
                // A plain folder with no match is a wrong path or pattern.
                if (!any && !maildir) yield return new MailBatchItem(path, null, $"no files matching {pattern ?? DefaultPattern} in {path}");
            }
            else if (File.Exists(path))
            {
                foreach (MailBatchItem item in ReadFile(path, maxMessageBytes, wholeFileLimit)) yield return item;
            }
            else
            {
                yield return new MailBatchItem(path, null, $"no such file or directory: {path}");
            }
        }
    }

    /// <summary>A Maildir's message folder (<c>new/</c> or <c>cur/</c>), or a Maildir itself (holding cur, new and tmp).</summary>
    private static bool IsMaildir(string folder)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        if (name is "new" or "cur") return true;
        return Directory.Exists(Path.Combine(folder, "cur")) && Directory.Exists(Path.Combine(folder, "new")) && Directory.Exists(Path.Combine(folder, "tmp"));
    }

    /// <summary>Messages live in <c>cur/</c> and <c>new/</c>; <c>tmp/</c> holds deliveries still being written, and the
    /// Maildir's own root holds the IMAP server's index files (dovecot.index, dovecot-uidlist), which are not mail.</summary>
    private static bool IsInMaildirMessageFolder(string file) =>
        Path.GetFileName(Path.GetDirectoryName(file)) is "cur" or "new";

    /// <summary>Files up to this size are read in one call and split in memory (most .eml files and small mboxes).</summary>
    private const int WholeFileLimit = 16 * 1024 * 1024;

    private static IEnumerable<MailBatchItem> ReadFile(string file, int maxMessageBytes, int wholeFileLimit)
    {
        byte[] content;
        try
        {
            using FileStream stream = new(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            if (stream.Length > wholeFileLimit)
            {
                byte[] head = new byte[5];
                int headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
                if (head.AsSpan(0, headLength).SequenceEqual(MboxMarker)) return ReadMbox(file);
                stream.Position = 0;
                content = new byte[Math.Min(stream.Length, maxMessageBytes + 1L)];
            }
            else
            {
                content = new byte[stream.Length];
            }
            stream.ReadExactly(content);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [new MailBatchItem(file, null, $"{file}: {ex.Message}")];
        }
        if (!content.AsSpan().StartsWith(MboxMarker))
            return [new MailBatchItem(file, content.Length > maxMessageBytes + 1L ? content[..(maxMessageBytes + 1)] : content, null)];
        return SplitMbox(file, content);
    }

    /// <summary>Splits an mbox held in memory at its "From " envelope lines (dropped from each message).</summary>
    private static IEnumerable<MailBatchItem> SplitMbox(string file, byte[] content)
    {
        int number = 0;
        int start = 0;   // start of the current envelope line
        while (start < content.Length)
        {
            int lineEnd = content.AsSpan(start).IndexOf((byte)'\n');
            int bodyStart = lineEnd < 0 ? content.Length : start + lineEnd + 1;
            int next = content.AsSpan(bodyStart).IndexOf("\nFrom "u8);
            int end = next < 0 ? content.Length : bodyStart + next + 1;
            number++;
            yield return new MailBatchItem($"{file}#{number}", content[bodyStart..end], null);
            start = end;
        }
    }

    /// <summary>Splits an mbox on its "From " envelope lines without parsing, so messages can be scanned in
    /// parallel; the envelope line itself is dropped. Each message is cut at the size limit plus one byte.</summary>
    private static IEnumerable<MailBatchItem> ReadMbox(string file)
    {
        using var stream = new BufferedStream(File.OpenRead(file), 64 * 1024);   // under the large-object heap threshold
        var message = new MemoryStream();
        var line = new MemoryStream();
        int number = 0;
        bool inMessage = false;
        int b;
        while (true)
        {
            b = stream.ReadByte();
            if (b >= 0) line.WriteByte((byte)b);
            if (b != '\n' && b >= 0) continue;
            // A whole line (or the end of the file) is in `line`.
            ReadOnlySpan<byte> text = line.GetBuffer().AsSpan(0, (int)line.Length);
            bool envelope = text.StartsWith(MboxMarker);
            if (envelope || b < 0)
            {
                if (inMessage && (message.Length > 0 || b < 0))
                {
                    if (!envelope && text.Length > 0) message.Write(text);
                    yield return new MailBatchItem($"{file}#{number}", message.ToArray(), null);
                    message.SetLength(0);
                }
                if (b < 0) yield break;
                number++;
                inMessage = true;
            }
            else if (inMessage && message.Length <= s_mboxMessageLimit)
            {
                message.Write(text);
            }
            line.SetLength(0);
        }
    }

    /// <summary>Per-message cap while splitting an mbox (the scanner reports anything over its own limit).</summary>
    private static readonly long s_mboxMessageLimit = 1L * 1024 * 1024 * 1024;
}
