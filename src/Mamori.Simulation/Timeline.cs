using Mamori.Events;

namespace Mamori.Simulation;

/// <summary>Collects generated events from every generator, then sorts them into time order.</summary>
/// <remarks>Events outside the simulated period are dropped, so a campaign that would run past the end is cut.</remarks>
internal sealed class Timeline(long startTicks, long endTicks)
{
    private readonly List<SimulatedLogin> _events = new(capacity: 1 << 16);
    private long _sequence;

    public long StartTicks { get; } = startTicks;
    public long EndTicks { get; } = endTicks;
    public int Count => _events.Count;

    public void Add(long utcTicks, string account, SimAddress address, LoginOutcome outcome, string? userAgent,
        string? device, SecretFingerprint? secret, TruthLabel label, string scenario, bool takeover = false, string? tenant = null)
    {
        if (utcTicks < StartTicks || utcTicks >= EndTicks) return;
        // Logs carry milliseconds; truncating here keeps in-memory events equal to what a reader parses back.
        utcTicks -= utcTicks % TimeSpan.TicksPerMillisecond;
        _events.Add(new SimulatedLogin
        {
            UtcTicks = utcTicks,
            Sequence = _sequence++,
            Account = account,
            Address = address,
            Outcome = outcome,
            UserAgent = userAgent,
            Device = device,
            Secret = secret,
            Label = label,
            Scenario = scenario,
            Takeover = takeover,
            Tenant = tenant,
        });
    }

    public List<SimulatedLogin> ToSortedList()
    {
        _events.Sort(static (a, b) => a.UtcTicks != b.UtcTicks ? a.UtcTicks.CompareTo(b.UtcTicks) : a.Sequence.CompareTo(b.Sequence));
        return _events;
    }
}

/// <summary>When people log in: hour-of-day weights in Japan time.</summary>
internal static class DailyRhythm
{
    /// <summary>Relative login volume per JST hour: quiet 2–5 a.m., peaks at the morning commute, lunch and evening.</summary>
    private static readonly double[] s_hourWeights =
    [
        3.0, 1.8, 1.0, 0.6, 0.5, 0.8, 2.5, 5.0, 6.5, 6.0, 5.5, 5.5,
        7.5, 6.0, 5.0, 5.0, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 6.5, 5.0,
    ];
    private static readonly double[] s_cumulative = Cumulative(s_hourWeights);

    /// <summary>A random instant within the JST day starting at <paramref name="dayStartTicks"/> (UTC ticks of JST midnight).</summary>
    public static long SampleInDay(Random random, long dayStartTicks)
    {
        double x = random.NextDouble() * s_cumulative[^1];
        int hour = 0;
        while (hour < 23 && s_cumulative[hour] <= x) hour++;
        return dayStartTicks + hour * TimeSpan.TicksPerHour + (long)(random.NextDouble() * TimeSpan.TicksPerHour);
    }

    /// <summary>JST hour (0–23) of a UTC instant.</summary>
    public static int JstHour(long utcTicks) => (int)((utcTicks / TimeSpan.TicksPerHour + 9) % 24);

    private static double[] Cumulative(double[] weights)
    {
        double[] result = new double[weights.Length];
        double sum = 0;
        for (int i = 0; i < weights.Length; i++) result[i] = sum += weights[i];
        return result;
    }
}
