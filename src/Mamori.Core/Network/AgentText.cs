using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mamori.Network;

/// <summary>
/// A user agent's text without its ASCII digits: what the engine knows an agent by, so that a browser's update is not a
/// new device (<c>LoginAssessor</c>'s agent keys). Read for every login of a replay, hence eight characters at a time.
/// </summary>
/// <remarks>Written by hand: no library removes characters of a class from a span. With SSSE3, each block of eight
/// characters is compared with '0'–'9' at once and its other characters packed to the front with one byte shuffle,
/// from a table of the 256 ways to keep some of eight; the tail, and a machine without SSSE3, go one character at a time.</remarks>
internal static class AgentText
{
    /// <summary>Per mask of the characters to keep (bit j: character j of the block), the shuffle that moves them to the
    /// front in order; the rest of the block becomes zeros.</summary>
    private static readonly Vector128<byte>[] s_pack = BuildPack();

    /// <summary>Writes <paramref name="source"/> without '0'–'9' to the start of <paramref name="destination"/> (at least
    /// as long) and returns how many characters that is.</summary>
    public static int WithoutDigits(ReadOnlySpan<char> source, Span<char> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        int n = 0, i = 0;
        if (Ssse3.IsSupported)
        {
            ref ushort from = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(source));
            ref byte to = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(destination));
            Vector128<ushort> zero = Vector128.Create((ushort)'0'), nine = Vector128.Create((ushort)9);
            // A block's 16 bytes land at n, and n ≤ i, so they stay within the first i + 8 ≤ source.Length characters.
            for (; i + 8 <= source.Length; i += 8)
            {
                Vector128<ushort> block = Vector128.LoadUnsafe(ref from, (nuint)i);
                uint keep = ~Vector128.LessThanOrEqual(block - zero, nine).ExtractMostSignificantBits() & 0xFF;
                Ssse3.Shuffle(block.AsByte(), s_pack[keep]).StoreUnsafe(ref to, (nuint)n * 2);
                n += BitOperations.PopCount(keep);
            }
        }
        for (; i < source.Length; i++)
        {
            char c = source[i];
            if (!char.IsAsciiDigit(c)) destination[n++] = c;
        }
        return n;
    }

    private static Vector128<byte>[] BuildPack()
    {
        var table = new Vector128<byte>[256];
        Span<byte> control = stackalloc byte[16];
        for (int mask = 0; mask < 256; mask++)
        {
            control.Fill(0x80);   // a shuffle index with its top bit set writes a zero
            int at = 0;
            for (int j = 0; j < 8; j++)
            {
                if ((mask & (1 << j)) == 0) continue;
                control[at++] = (byte)(2 * j);
                control[at++] = (byte)(2 * j + 1);
            }
            table[mask] = Vector128.Create((ReadOnlySpan<byte>)control);
        }
        return table;
    }
}
