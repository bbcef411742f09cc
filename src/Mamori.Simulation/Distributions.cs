namespace Mamori.Simulation;

/// <summary>Small samplers over <see cref="Random"/> (no library offers these for System.Random).</summary>
internal static class Distributions
{
    /// <summary>A standard normal sample (Box–Muller).</summary>
    public static double Normal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A Poisson sample (Knuth; fine for the small means used here).</summary>
    public static int Poisson(Random random, double mean)
    {
        if (mean > 30) return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * Normal(random)));
        double limit = Math.Exp(-mean), product = random.NextDouble();
        int count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }
        return count;
    }

    /// <summary>A rank in [0, n) with P(k) ∝ 1/(k+1)^s, by inverting the continuous approximation.</summary>
    public static int Zipf(Random random, int n, double s)
    {
        double u = random.NextDouble();
        if (Math.Abs(s - 1.0) < 1e-9)
        {
            int k = (int)Math.Floor(Math.Exp(u * Math.Log(n + 1.0))) - 1;
            return Math.Clamp(k, 0, n - 1);
        }
        double a = 1.0 - s;
        double x = Math.Pow(u * (Math.Pow(n + 1.0, a) - 1.0) + 1.0, 1.0 / a) - 1.0;
        return Math.Clamp((int)Math.Floor(x), 0, n - 1);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public static bool Chance(this Random random, double p) => random.NextDouble() < p;

    /// <summary>A uniformly chosen element.</summary>
    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
