using System.Buffers.Binary;
using System.Diagnostics;

namespace Mamori.Breach.Index;

/// <summary>Layout of a range index file (<c>pwned-sha1.idx</c>, <c>pwned-ntlm.idx</c>). All integers little-endian.</summary>
/// <remarks>
/// <para>Header (64 bytes): magic <c>MAMORIPW</c>, format version, mode, entry count, data length, import time
/// (Unix ms), lines loaded, lines rejected. Then the bucket table: 2^20 + 1 byte offsets (relative to the data
/// start), one per 5-hex prefix plus an end marker, so a range query is two table reads and one contiguous read.
/// Then the data: each bucket's entries in ascending hash order.</para>
/// <para>An entry stores the hash minus its first two bytes (the prefix is implied by the bucket): 18 bytes for
/// SHA-1, 14 for NTLM. The top nibble of that first stored byte belongs to the prefix, so it is free and carries
/// a count tag (<see cref="WriteEntry"/>); most counts fit the tag or one extra byte. Every one of the 140 (or
/// 108) suffix bits is kept, because a range answer must reproduce the exact suffix. A SHA-1 hash costs 18–19
/// bytes plus 8 bytes per bucket of table, against ~45 bytes per line of the text corpus.</para>
/// </remarks>
internal static class IndexFormat
{
    public const int PrefixHexLength = 5;
    public const int PrefixBits = 20;
    public const int BucketCount = 1 << PrefixBits;
    public const int HeaderBytes = 64;
    public const int TableBytes = (BucketCount + 1) * sizeof(long);
    public const long DataStart = HeaderBytes + TableBytes;
    public const uint FormatVersion = 1;

    /// <summary>Most entries one bucket may hold.</summary>
    /// <remarks>The public corpus averages under 2,000 per prefix; a bucket past this bound means a corpus that is not
    /// uniformly hashed (or is hostile), and answering it would cost megabytes per request. The import refuses it.</remarks>
    public const int MaxEntriesPerBucket = 65_536;

    /// <summary>Longest encoded entry: an 18-byte SHA-1 suffix plus a 4-byte count.</summary>
    public const int MaxEntryBytes = 18 + 4;

    public static ReadOnlySpan<byte> Magic => "MAMORIPW"u8;

    /// <summary>Stored suffix length in bytes: the hash minus its first two bytes.</summary>
    public static int StoredSuffixBytes(PwnedHashMode mode) => mode.HashBytes() - 2;

    private const uint Tag1ByteBase = 13;
    private const uint Tag2ByteBase = Tag1ByteBase + 256;

    /// <summary>Encodes one entry; returns the bytes written.</summary>
    /// <remarks>Count tag in the free nibble: 0–12 is the count itself; 13 adds one byte (13–268); 14 adds two
    /// (269–65,804); 15 adds four (any 32-bit count). Breach counts are heavily skewed towards small values.</remarks>
    public static int WriteEntry(Span<byte> destination, in HashRecord record, PwnedHashMode mode)
    {
        Span<byte> hash = stackalloc byte[20];
        record.WriteHash(hash, mode);
        int suffixBytes = StoredSuffixBytes(mode);
        hash.Slice(2, suffixBytes).CopyTo(destination);
        uint count = record.Count;
        int tag;
        int extra;
        if (count < Tag1ByteBase) { tag = (int)count; extra = 0; }
        else if (count < Tag2ByteBase) { tag = 13; extra = 1; destination[suffixBytes] = (byte)(count - Tag1ByteBase); }
        else if (count - Tag2ByteBase <= ushort.MaxValue)
        {
            tag = 14; extra = 2;
            BinaryPrimitives.WriteUInt16LittleEndian(destination[suffixBytes..], (ushort)(count - Tag2ByteBase));
        }
        else { tag = 15; extra = 4; BinaryPrimitives.WriteUInt32LittleEndian(destination[suffixBytes..], count); }
        destination[0] = (byte)((tag << 4) | (destination[0] & 0x0F));
        return suffixBytes + extra;
    }

    /// <summary>Decodes the entry at the start of <paramref name="source"/>; returns its length, or -1 when truncated.</summary>
    public static int ReadEntry(ReadOnlySpan<byte> source, PwnedHashMode mode, out uint count)
    {
        int suffixBytes = StoredSuffixBytes(mode);
        count = 0;
        if (source.Length < suffixBytes) return -1;
        int tag = source[0] >> 4;
        switch (tag)
        {
            case < 13:
                count = (uint)tag;
                return suffixBytes;
            case 13:
                if (source.Length < suffixBytes + 1) return -1;
                count = Tag1ByteBase + source[suffixBytes];
                return suffixBytes + 1;
            case 14:
                if (source.Length < suffixBytes + 2) return -1;
                count = Tag2ByteBase + BinaryPrimitives.ReadUInt16LittleEndian(source[suffixBytes..]);
                return suffixBytes + 2;
            default:
                if (source.Length < suffixBytes + 4) return -1;
                count = BinaryPrimitives.ReadUInt32LittleEndian(source[suffixBytes..]);
                return suffixBytes + 4;
        }
    }

    /// <summary>The fixed header of an index file.</summary>
    public readonly record struct Header(
        PwnedHashMode Mode, long EntryCount, long DataLength, long ImportedAtUnixMs, long LinesLoaded, long LinesRejected)
    {
        public void Write(Span<byte> destination)
        {
            Debug.Assert(destination.Length >= HeaderBytes);
            destination[..HeaderBytes].Clear();
            Magic.CopyTo(destination);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], FormatVersion);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)Mode);
            BinaryPrimitives.WriteInt64LittleEndian(destination[16..], EntryCount);
            BinaryPrimitives.WriteInt64LittleEndian(destination[24..], DataLength);
            BinaryPrimitives.WriteInt64LittleEndian(destination[32..], ImportedAtUnixMs);
            BinaryPrimitives.WriteInt64LittleEndian(destination[40..], LinesLoaded);
            BinaryPrimitives.WriteInt64LittleEndian(destination[48..], LinesRejected);
        }

        /// <summary>Reads and checks a header; false with a reason when the bytes are not a usable index.</summary>
        public static bool TryRead(ReadOnlySpan<byte> source, out Header header, out string error)
        {
            header = default;
            if (source.Length < HeaderBytes || !source[..8].SequenceEqual(Magic))
            {
                error = "not a Mamori breach index (bad magic)";
                return false;
            }
            uint version = BinaryPrimitives.ReadUInt32LittleEndian(source[8..]);
            if (version != FormatVersion)
            {
                error = $"index format version {version} is not supported (expected {FormatVersion}); import the corpus again";
                return false;
            }
            var mode = (PwnedHashMode)BinaryPrimitives.ReadUInt32LittleEndian(source[12..]);
            if (mode is not (PwnedHashMode.Sha1 or PwnedHashMode.Ntlm))
            {
                error = $"unknown hash mode {(uint)mode}";
                return false;
            }
            header = new Header(
                mode,
                BinaryPrimitives.ReadInt64LittleEndian(source[16..]),
                BinaryPrimitives.ReadInt64LittleEndian(source[24..]),
                BinaryPrimitives.ReadInt64LittleEndian(source[32..]),
                BinaryPrimitives.ReadInt64LittleEndian(source[40..]),
                BinaryPrimitives.ReadInt64LittleEndian(source[48..]));
            error = "";
            return true;
        }
    }
}
