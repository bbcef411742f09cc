using System.Numerics;

namespace Mamori.Signals;

/// <summary>
/// HyperLogLog distinct counter (Flajolet et al. 2007) with the improved raw estimator of Ertl
/// (arXiv:1702.01284), used where counts run into the millions: accounts targeted by a campaign.
/// </summary>
/// <remarks>Pure functions over a register span; not thread-safe, the owner serialises access.</remarks>
internal static class HyperLogLog
{
    /// <summary>Registers for precision p = 12: 4 KiB, standard error about 1.6%.</summary>
    public const int DefaultPrecision = 12;

    /// <summary>Register update: the top p bits pick the register, the rank of the rest is kept if larger.</summary>
    public static void AddHash(Span<byte> registers, int precision, ulong hash)
    {
        hash = Hashing.Mix(hash);
        int index = (int)(hash >> (64 - precision));
        ulong rest = (hash << precision) | (1UL << (precision - 1));   // sentinel caps the rank at 64 - p + 1
        byte rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        ref byte register = ref registers[index];
        if (rank > register) register = rank;
    }

    /// <summary>Ertl's improved estimator: no bias table, good from 0 to far beyond 10^9.</summary>
    public static long Estimate(ReadOnlySpan<byte> registers, int precision)
    {
        int m = registers.Length;
        int q = 64 - precision;
        Span<int> histogram = stackalloc int[q + 2];
        foreach (byte r in registers) histogram[r]++;
        double z = m * Tau((m - histogram[q + 1]) / (double)m);
        for (int k = q; k >= 1; k--)
        {
            z += histogram[k];
            z *= 0.5;
        }
        z += m * Sigma(histogram[0] / (double)m);
        const double alphaInfinity = 0.7213475204444817;   // 1 / (2 ln 2)
        return (long)Math.Round(alphaInfinity * m * m / z);
    }

    /// <summary>Merges <paramref name="other"/> into <paramref name="target"/> (register-wise max).</summary>
    public static void Merge(Span<byte> target, ReadOnlySpan<byte> other)
    {
        for (int i = 0; i < target.Length; i++)
            if (other[i] > target[i]) target[i] = other[i];
    }

    private static double Sigma(double x)
    {
        if (x == 1) return double.PositiveInfinity;
        double y = 1, z = x, previous;
        do
        {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    private static double Tau(double x)
    {
        if (x == 0 || x == 1) return 0;
        double y = 1, z = 1 - x, previous;
        do
        {
            x = Math.Sqrt(x);
            previous = z;
            y *= 0.5;
            z -= Math.Pow(1 - x, 2) * y;
        } while (previous != z);
        return z / 3;
    }
}
