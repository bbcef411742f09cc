using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Text;

namespace Mamori.Mail.Containers;

/// <summary>One member of a zip archive, as its central directory describes it.</summary>
internal readonly record struct ZipMember(string Name, ushort Flags, ushort Method, uint Crc32, long CompressedSize,
    long UncompressedSize, long LocalHeaderOffset, ushort DosTime)
{
    /// <summary>Traditional PKWARE or AES encryption (general purpose bit 0).</summary>
    public bool IsEncrypted => (Flags & 0x0001) != 0;
    /// <summary>WinZip AES (method 99): cannot be opened with a ZipCrypto password check.</summary>
    public bool IsAes => Method == 99;
    public bool IsDirectory => Name.EndsWith('/');
}

/// <summary>Reads a zip central directory and expands members, including ZipCrypto-encrypted ones.</summary>
/// <remarks>System.IO.Compression's <see cref="ZipArchive"/> refuses encrypted members and throws on some
/// malformed directories, while the point here is to look inside Emotet's password zips with the password
/// the mail itself gives. So the directory and the ZipCrypto cipher (APPNOTE 6.1) are read here; inflation
/// is <see cref="DeflateStream"/>. All sizes are bounded by the caller's limits and the buffer.</remarks>
internal sealed class ZipDirectory
{
    private const uint EndOfCentralDirectorySignature = 0x06054B50;
    private const uint CentralHeaderSignature = 0x02014B50;
    private const uint LocalHeaderSignature = 0x04034B50;
    private const int EndRecordSize = 22;
    private const int MaxCommentSize = 65_535;

    private readonly ReadOnlyMemory<byte> _data;

    private ZipDirectory(ReadOnlyMemory<byte> data, List<ZipMember> members, bool truncated)
    {
        _data = data;
        Members = members;
        Truncated = truncated;
    }

    /// <summary>Members read, at most the limit given to <see cref="TryOpen"/>.</summary>
    public IReadOnlyList<ZipMember> Members { get; }

    /// <summary>True when the archive has more members than were read.</summary>
    public bool Truncated { get; }

    /// <summary>True when the data starts like a zip (a local header or an empty archive).</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && (BinaryPrimitives.ReadUInt32LittleEndian(data) is LocalHeaderSignature or EndOfCentralDirectorySignature);

    /// <summary>Reads the central directory.</summary>
    public static bool TryOpen(ReadOnlyMemory<byte> data, int maxMembers, [NotNullWhen(true)] out ZipDirectory? zip,
        [NotNullWhen(false)] out string? error)
    {
        zip = null;
        ReadOnlySpan<byte> span = data.Span;
        int end = -1;
        for (int i = span.Length - EndRecordSize; i >= 0 && i >= span.Length - EndRecordSize - MaxCommentSize; i--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[i..]) == EndOfCentralDirectorySignature) { end = i; break; }
        if (end < 0) { error = "no end of central directory"; return false; }

        int total = BinaryPrimitives.ReadUInt16LittleEndian(span[(end + 10)..]);
        long directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(span[(end + 16)..]);
        if (directoryOffset > end) { error = "central directory outside the file"; return false; }
        var members = new List<ZipMember>(Math.Min(total, maxMembers));
        int position = (int)directoryOffset;
        bool truncated = false;
        while (position + 46 <= end && BinaryPrimitives.ReadUInt32LittleEndian(span[position..]) == CentralHeaderSignature)
        {
            if (members.Count >= maxMembers) { truncated = true; break; }
            ReadOnlySpan<byte> h = span[position..];
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(h[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(h[32..]);
            if (position + 46 + nameLength > span.Length) { error = "member name outside the file"; return false; }
            ReadOnlySpan<byte> rawName = h.Slice(46, nameLength);
            // Bit 11 marks UTF-8, but macOS writes UTF-8 without it and Windows' built-in zip writes the
            // ANSI code page (Shift_JIS on Japanese Windows); CP932 bytes are almost never valid UTF-8.
            string name = (flags & 0x0800) != 0 || System.Text.Unicode.Utf8.IsValid(rawName) ? Encoding.UTF8.GetString(rawName) : DecodeLegacyName(rawName);
            members.Add(new ZipMember(name, flags,
                BinaryPrimitives.ReadUInt16LittleEndian(h[10..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[16..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[20..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[24..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[42..]),
                BinaryPrimitives.ReadUInt16LittleEndian(h[12..])));
            position += 46 + nameLength + extraLength + commentLength;
        }
        if (members.Count == 0 && total > 0) { error = "unreadable central directory"; return false; }
        zip = new ZipDirectory(data, members, truncated);
        error = null;
        return true;
    }

    private static string DecodeLegacyName(ReadOnlySpan<byte> raw)
    {
        try { return Encoding.GetEncoding(932).GetString(raw); }   // Shift_JIS; needs the code pages provider
        catch (ArgumentException) { return Encoding.Latin1.GetString(raw); }
        catch (NotSupportedException) { return Encoding.Latin1.GetString(raw); }
    }

    /// <summary>Expands <paramref name="member"/> into at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="member">A member of this archive.</param>
    /// <param name="password">The ZipCrypto password for encrypted members, else null.</param>
    /// <param name="maxBytes">Output limit; reaching it fails with <see cref="ZipReadStatus.TooLarge"/>.</param>
    /// <param name="content">The expanded bytes.</param>
    public ZipReadStatus TryRead(ZipMember member, string? password, int maxBytes, out byte[] content)
    {
        content = [];
        ReadOnlySpan<byte> span = _data.Span;
        long local = member.LocalHeaderOffset;
        if (local + 30 > span.Length || BinaryPrimitives.ReadUInt32LittleEndian(span[(int)local..]) != LocalHeaderSignature)
            return ZipReadStatus.Malformed;
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(local + 26)..]);
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(local + 28)..]);
        long start = local + 30 + nameLength + extraLength;
        if (start + member.CompressedSize > span.Length) return ZipReadStatus.Malformed;
        byte[] payload = span.Slice((int)start, (int)member.CompressedSize).ToArray();

        if (member.IsEncrypted)
        {
            if (member.IsAes || password is null) return ZipReadStatus.NeedsPassword;
            if (payload.Length < ZipCrypto.HeaderSize) return ZipReadStatus.Malformed;
            // The check byte is the CRC's high byte, or the DOS time's high byte when a data descriptor follows.
            byte check = (member.Flags & 0x0008) != 0 ? (byte)(member.DosTime >> 8) : (byte)(member.Crc32 >> 24);
            if (!ZipCrypto.TryDecrypt(payload, password, check, out byte[] plain)) return ZipReadStatus.WrongPassword;
            payload = plain;
        }

        byte[] expanded;
        switch (member.Method)
        {
            case 0:
                if (payload.Length > maxBytes) return ZipReadStatus.TooLarge;
                expanded = payload;
                break;
            case 8:
                using (var input = new DeflateStream(new MemoryStream(payload), CompressionMode.Decompress))
                {
                    var output = new MemoryStream();
                    var buffer = new byte[16 * 1024];
                    try
                    {
                        int read;
                        while ((read = input.Read(buffer)) > 0)
                        {
                            if (output.Length + read > maxBytes) return ZipReadStatus.TooLarge;
                            output.Write(buffer, 0, read);
                        }
                    }
                    catch (InvalidDataException) { return member.IsEncrypted ? ZipReadStatus.WrongPassword : ZipReadStatus.Malformed; }
                    expanded = output.ToArray();
                }
                break;
            default:
                return ZipReadStatus.UnsupportedMethod;
        }
        if (ZipCrypto.Crc32(expanded) != member.Crc32)
            return member.IsEncrypted ? ZipReadStatus.WrongPassword : ZipReadStatus.Malformed;
        content = expanded;
        return ZipReadStatus.Ok;
    }
}

/// <summary>Outcome of expanding one zip member.</summary>
internal enum ZipReadStatus : byte { Ok, NeedsPassword, WrongPassword, TooLarge, Malformed, UnsupportedMethod }

/// <summary>Traditional PKWARE encryption ("ZipCrypto", APPNOTE.TXT 6.1), decrypt side only.</summary>
internal static class ZipCrypto
{
    public const int HeaderSize = 12;
    private static readonly uint[] s_crcTable = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    private static uint CrcByte(uint crc, byte b) => s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);

    /// <summary>The zip (IEEE 802.3) CRC-32 of <paramref name="data"/>.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data) crc = CrcByte(crc, b);
        return ~crc;
    }

    /// <summary>Decrypts; false when the header's check byte shows the password is wrong.</summary>
    public static bool TryDecrypt(ReadOnlySpan<byte> cipher, string password, byte check, out byte[] plain)
    {
        uint k0 = 0x12345678, k1 = 0x23456789, k2 = 0x34567890;
        foreach (byte b in Encoding.UTF8.GetBytes(password)) Update(ref k0, ref k1, ref k2, b);
        plain = [];
        byte last = 0;
        for (int i = 0; i < HeaderSize; i++)
        {
            last = (byte)(cipher[i] ^ KeyByte(k2));
            Update(ref k0, ref k1, ref k2, last);
        }
        if (last != check) return false;
        var output = new byte[cipher.Length - HeaderSize];
        for (int i = 0; i < output.Length; i++)
        {
            byte p = (byte)(cipher[HeaderSize + i] ^ KeyByte(k2));
            Update(ref k0, ref k1, ref k2, p);
            output[i] = p;
        }
        plain = output;
        return true;
    }

    private static byte KeyByte(uint k2)
    {
        uint temp = (k2 | 2) & 0xFFFF;
        return (byte)((temp * (temp ^ 1)) >> 8);
    }

    private static void Update(ref uint k0, ref uint k1, ref uint k2, byte b)
    {
        k0 = CrcByte(k0, b);
        k1 = (k1 + (k0 & 0xFF)) * 134775813 + 1;
        k2 = CrcByte(k2, (byte)(k1 >> 24));
    }
}
