using Mamori.Breach.Index;

namespace Mamori.Breach.Import;

/// <summary>Parses one corpus line, <c>HASH-HEX:COUNT</c>, as Pwned Passwords publishes it (SHA-1 or NTLM).</summary>
/// <remarks>Written by hand over bytes because the corpus has a billion lines: no string per line, one table
/// lookup per hex digit. Hex may be upper or lower case; the line has no spaces; CR before LF is dropped by the
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
    public static readonly string LineTooLong = $"line is longer than {MaxLineBytes} bytes";

    private static readonly sbyte[] s_hexValues = BuildHexTable();

    /// <summary>Parses a line. <paramref name="mode"/> is fixed by the first well-formed line when it starts null.</summary>
    /// <returns>Null on success, else the reason the line is rejected.</returns>
    public static string? TryParse(ReadOnlySpan<byte> line, ref PwnedHashMode? mode, out HashRecord record)
    {
        record = default;
        if (line.IsEmpty) return EmptyLine;
        int colon = line.IndexOf((byte)':');
        if (colon < 0) return MissingColon;
        ReadOnlySpan<byte> hex = line[..colon];
        ReadOnlySpan<byte> digits = line[(colon + 1)..];

        PwnedHashMode lineMode;
        if (mode is { } fixedMode)
        {
            if (hex.Length != fixedMode.HexLength())
                return $"hash has {hex.Length} characters; a {Describe(fixedMode)} hash has {fixedMode.HexLength()}";
            lineMode = fixedMode;
        }
        else if (hex.Length == PwnedHashMode.Sha1.HexLength()) lineMode = PwnedHashMode.Sha1;
        else if (hex.Length == PwnedHashMode.Ntlm.HexLength()) lineMode = PwnedHashMode.Ntlm;
        else return $"hash has {hex.Length} characters; expected 40 (SHA-1) or 32 (NTLM)";

        Span<byte> hash = stackalloc byte[20];
        for (int i = 0; i < hex.Length; i += 2)
        {
            int high = s_hexValues[hex[i]];
            int low = s_hexValues[hex[i + 1]];
            if ((high | low) < 0) return NotHex;
            hash[i >> 1] = (byte)((high << 4) | low);
        }

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
        record = HashRecord.FromHash(hash[..lineMode.HashBytes()], (uint)count);
        return null;
    }

    private static string Describe(PwnedHashMode mode) => mode == PwnedHashMode.Sha1 ? "SHA-1" : "NTLM";

    private static sbyte[] BuildHexTable()
    {
        var table = new sbyte[256];
        Array.Fill(table, (sbyte)-1);
        for (int i = 0; i < 10; i++) table['0' + i] = (sbyte)i;
        for (int i = 0; i < 6; i++)
        {
            table['A' + i] = (sbyte)(10 + i);
            table['a' + i] = (sbyte)(10 + i);
        }
        return table;
    }
}
