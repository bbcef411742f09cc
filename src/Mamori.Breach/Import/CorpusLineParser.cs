using System.Buffers;
using System.Runtime.CompilerServices;
using Mamori.Breach.Index;

namespace Mamori.Breach.Import;

/// <summary>Parses one corpus line, <c>HASH-HEX:COUNT</c>, as Pwned Passwords publishes it (SHA-1 or NTLM).</summary>
/// <remarks>Written by hand over bytes because the corpus has a billion lines: no string per line, the runtime's
/// vectorised hex decoder. Hex may be upper or lower case; the line has no spaces; CR before LF is dropped by the
/// caller.</remarks>
internal static class CorpusLineParser
{
    /// <summary>Longest line accepted: a 40-hex hash, a colon and a 10-digit count fit many times over.</summary>
    /// <remarks>Bounds the carry-over buffer, so a file with no line breaks (a wrong or hostile file) is read in
    /// fixed memory and rejected line by line instead of filling memory.</remarks>
    public const int MaxLineBytes = 256;

    public const string EmptyLine = "empty line";
    public const string MissingColon = "no ':' between hash and count";
    public const string NotHex = "hash is not hexadecimal";
    public const string BadCount = "count is not a whole number";
    public const string CountTooLarge = "count is larger than 4294967295";
    public const string LineTooLong = "line is longer than 256 bytes";   // keep in step with MaxLineBytes

    /// <summary>Parses a line. <paramref name="mode"/> is fixed by the first well-formed line when it starts null.</summary>
    /// <returns>Null on success, else the reason the line is rejected.</returns>
    public static string? TryParse(ReadOnlySpan<byte> line, ref PwnedHashMode? mode, out HashRecord record)
    {
        record = default;
        int colon = line.IndexOf((byte)':');
        if (colon < 0) return line.IsEmpty ? EmptyLine : MissingColon;

        int hashBytes = colon >> 1;
        PwnedHashMode lineMode;
        if (mode is { } fixedMode)
        {
            lineMode = fixedMode;
            if (colon != (fixedMode == PwnedHashMode.Sha1 ? 40 : 32)) return WrongLength(colon, fixedMode);
        }
        else if (colon == 40) lineMode = PwnedHashMode.Sha1;
        else if (colon == 32) lineMode = PwnedHashMode.Ntlm;
        else return WrongLength(colon, null);

        Span<byte> hash = stackalloc byte[20];
        // The runtime's vectorised hex decoder (upper or lower case); it stops at the first non-hex byte.
        if (Convert.FromHexString(line[..colon], hash, out _, out int written) != OperationStatus.Done || written != hashBytes)
            return NotHex;

        ReadOnlySpan<byte> digits = line[(colon + 1)..];
        if (digits.IsEmpty) return BadCount;
        ulong count = 0;
        foreach (byte d in digits)
        {
            uint digit = (uint)(d - '0');
            if (digit > 9) return BadCount;
            count = count * 10 + digit;
            if (count > uint.MaxValue) return CountTooLarge;
        }

        mode = lineMode;
        record = HashRecord.FromHash(hash[..hashBytes], (uint)count);
        return null;
    }

    /// <summary>Kept out of <see cref="TryParse"/> so the hot path carries no string formatting.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string WrongLength(int length, PwnedHashMode? mode) => mode is { } m
        ? $"hash has {length} characters; a {Describe(m)} hash has {m.HexLength()}"
        : $"hash has {length} characters; expected 40 (SHA-1) or 32 (NTLM)";

    private static string Describe(PwnedHashMode mode) => mode == PwnedHashMode.Sha1 ? "SHA-1" : "NTLM";
}
