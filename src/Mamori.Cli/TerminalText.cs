using System.Globalization;
using System.Text;

namespace Mamori.Cli;

/// <summary>Makes text that came from a log safe to print on a terminal.</summary>
/// <remarks>
/// A log is written by whoever logged in: an account named <c>\u001b[2K\r</c> would erase the line above it, one with
/// <c>\u202e</c> would print the rest of the line backwards, so that an analyst reads another account's name than the
/// one in the report. Such characters are shown as <c>\u001B</c> instead; the JSON, CSV and HTML outputs escape
/// them their own way and do not pass through here.
/// </remarks>
internal static class TerminalText
{
    /// <summary>
    /// <paramref name="text"/> with every control character (C0, DEL, C1), line and paragraph separator (U+2028,
    /// U+2029) and bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069) written as <c>\uXXXX</c>.
    /// </summary>
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        int first = text.AsSpan().IndexOfAny(s_unsafe);
        if (first < 0) return text;   // almost every value: no copy
        var safe = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (IsUnsafe(c)) safe.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else safe.Append(c);
        }
        return safe.ToString();
    }

    /// <summary>The first <paramref name="length"/> characters of <paramref name="text"/>, and "…" when it had more: a log's
    /// value quoted in a message or a report's line.</summary>
    public static string Shorten(ReadOnlySpan<char> text, int length) =>
        text.Length <= length ? new string(text) : string.Concat(text[..length], "…");

    /// <summary>As <see cref="Safe"/> for text of several lines: each line made safe, the line breaks kept.</summary>
    public static string SafeLines(string text) =>
        string.Join('\n', text.Split('\n').Select(line => line.EndsWith('\r') ? Safe(line[..^1]) + "\r" : Safe(line)));

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static readonly System.Buffers.SearchValues<char> s_unsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(IsUnsafe)]);
}
