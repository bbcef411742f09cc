using System.Buffers.Binary;

namespace Mamori.Breach.Index;

/// <summary>One corpus line after parsing: the hash as three big-endian words, and its count.</summary>
/// <remarks>
/// A fixed 24-byte struct so an import run sorts with the runtime's struct sort (no per-line allocation) and
/// spills to disk as raw bytes. SHA-1 uses all 160 bits (<see cref="Hi"/>, <see cref="Lo"/>, <see cref="Tail"/>);
/// NTLM uses 128 and leaves <see cref="Tail"/> zero, so one type and one ordering serve both modes.
/// </remarks>
internal readonly record struct HashRecord(ulong Hi, ulong Lo, uint Tail, uint Count) : IComparable<HashRecord>
{
    /// <summary>The 20-bit range prefix (the first 5 hex characters).</summary>
    public int Prefix => (int)(Hi >> 44);

    /// <summary>Orders by hash only; the count never takes part, so duplicates sort next to each other.</summary>
    public int CompareTo(HashRecord other)
    {
        if (Hi != other.Hi) return Hi < other.Hi ? -1 : 1;
        if (Lo != other.Lo) return Lo < other.Lo ? -1 : 1;
        if (Tail != other.Tail) return Tail < other.Tail ? -1 : 1;
        return 0;
    }

    /// <summary>True when both records carry the same hash, whatever their counts.</summary>
    public bool SameHash(in HashRecord other) => Hi == other.Hi && Lo == other.Lo && Tail == other.Tail;

    /// <summary>Writes the hash bytes (20 for SHA-1, 16 for NTLM) in the order the hex reads.</summary>
    public void WriteHash(Span<byte> destination, PwnedHashMode mode)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, Hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Lo);
        if (mode == PwnedHashMode.Sha1) BinaryPrimitives.WriteUInt32BigEndian(destination[16..], Tail);
    }

    /// <summary>Builds a record from hash bytes (20 for SHA-1, 16 for NTLM).</summary>
    public static HashRecord FromHash(ReadOnlySpan<byte> hash, uint count) => new(
        BinaryPrimitives.ReadUInt64BigEndian(hash),
        BinaryPrimitives.ReadUInt64BigEndian(hash[8..]),
        hash.Length >= 20 ? BinaryPrimitives.ReadUInt32BigEndian(hash[16..]) : 0,
        count);
}

/// <summary>Size of <see cref="HashRecord"/> in memory and in run files.</summary>
internal static class HashRecordSize
{
    public static readonly int Bytes = System.Runtime.CompilerServices.Unsafe.SizeOf<HashRecord>();
}
