using System.Numerics;

namespace Mamori.Signals;

/// <summary>
/// Distinct counting in a 64- or 128-bit bitmap (linear counting, Whang et al., ACM TODS 1990): set the bit a hash
/// picks, estimate <c>n = -m·ln(zeros/m)</c>. Eight or sixteen bytes per key is what lets 10M source addresses fit in
/// 1 GiB; the estimate is good to a few percent up to about m distinct items and saturates near m·ln m, far above
/// the thresholds it is compared with.
/// </summary>
/// <remarks>Pure functions over the bitmap words; the owner decides when a generation starts.</remarks>
internal static class LinearCounter
{
    /// <summary>Sets the bit <paramref name="hash"/> picks in a 64-bit map.</summary>
    public static ulong Add(ulong map, ulong hash) => map | (1UL << (int)(Hashing.Mix(hash) >> 58));

    /// <summary>Sets the bit <paramref name="hash"/> picks in a 128-bit map held as two words.</summary>
    public static void Add(ref ulong low, ref ulong high, ulong hash)
    {
        ulong mixed = Hashing.Mix(hash);
        int bit = (int)(mixed >> 57);   // 0..127
        if (bit < 64) low |= 1UL << bit; else high |= 1UL << (bit - 64);
    }

    /// <summary>Estimated distinct count of a 64-bit map.</summary>
    public static int Estimate(ulong map) => s_estimates64[64 - BitOperations.PopCount(map)];

    /// <summary>Estimated distinct count of a 128-bit map.</summary>
    public static int Estimate(ulong low, ulong high) =>
        s_estimates128[128 - BitOperations.PopCount(low) - BitOperations.PopCount(high)];

    // The estimate depends only on the number of zero bits: tabulated once, since a login reads a few dozen of them
    // and a logarithm each was a tenth of the in-memory store's time.
    private static readonly int[] s_estimates64 = Tabulate(64);
    private static readonly int[] s_estimates128 = Tabulate(128);

    private static int[] Tabulate(int bits)
    {
        var table = new int[bits + 1];
        for (int zeros = 0; zeros <= bits; zeros++) table[zeros] = EstimateFromZeros(zeros, bits);
        return table;
    }

    internal static int EstimateFromZeros(int zeros, int bits)
    {
        if (zeros == bits) return 0;
        if (zeros == 0) zeros = 1;   // saturated: report the largest estimate rather than infinity
        return (int)Math.Round(-bits * Math.Log((double)zeros / bits));
    }
}
