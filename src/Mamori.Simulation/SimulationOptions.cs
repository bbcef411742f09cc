using System.Globalization;

namespace Mamori.Simulation;

/// <summary>What to simulate: scenario, population, period and seed.</summary>
public sealed class SimulationOptions
{
    /// <summary>Most users one run simulates (keeps account numbers at 7 digits and memory under ~2 GiB).</summary>
    public const int MaxUsers = 2_000_000;
    /// <summary>Most user-days one run simulates: events are held in memory to be sorted (about 0.6 events and
    /// 80 bytes per user-day), so this keeps a run near 1 GiB.</summary>
    public const long MaxUserDays = 20_000_000;
    /// <summary>Longest period one run simulates.</summary>
    public const int MaxDays = 90;

    /// <summary>The scenario.</summary>
    /// <value>The default is <see cref="SimulationScenario.Mixed"/>.</value>
    public SimulationScenario Scenario { get; set; } = SimulationScenario.Mixed;

    /// <summary>Number of real users (accounts that exist).</summary>
    /// <remarks>Attack sizes are fixed (e.g. 5,000 reverse-brute-force targets) but capped by the population.</remarks>
    /// <value>The default is 10,000.</value>
    public int Users { get; set; } = 10_000;

    /// <summary>Length of the simulated period in days.</summary>
    /// <value>The default is 7.</value>
    public int Days { get; set; } = 7;

    /// <summary>Days of legitimate-only traffic before <see cref="Start"/>, so a policy can learn users' usual
    /// environments before the attacks; score only events from <see cref="Start"/> on.</summary>
    /// <remarks>A real deployment has months of history; without warm-up every user's first login looks new.</remarks>
    /// <value>The default is 0.</value>
    public int WarmupDays { get; set; }

    /// <summary>Most tenants one run simulates.</summary>
    public const int MaxTenants = 1_000;

    /// <summary>Tenants (organisations) sharing the deployment; above 1, every event carries a <c>tenant</c> and the
    /// sprays cross tenants (Strontium hit 28 organisations).</summary>
    /// <value>The default is 1 (no tenant field).</value>
    public int Tenants { get; set; } = 1;

    /// <summary>Seed: the same options give byte-identical output.</summary>
    /// <value>The default is 1.</value>
    public int Seed { get; set; } = 1;

    /// <summary>Start of the period; midnight in Japan, since the daily rhythm is that of Japanese users.</summary>
    /// <value>The default is 2020-09-07T00:00:00+09:00 (a Monday, the week the Docomo-account fraud became public).</value>
    public DateTimeOffset Start { get; set; } = new(2020, 9, 7, 0, 0, 0, TimeSpan.FromHours(9));

    /// <summary>Every problem with these options, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Users is < 1 or > MaxUsers)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--users must be between 1 and {MaxUsers:N0} (got {Users})."));
        if (Days is < 1 or > MaxDays)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--days must be between 1 and {MaxDays} (got {Days})."));
        if (WarmupDays is < 0 or > MaxDays)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--warmup-days must be between 0 and {MaxDays} (got {WarmupDays})."));
        if ((long)Users * (Days + WarmupDays) > MaxUserDays && errors.Count == 0)
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"--users × (--days + --warmup-days) must be at most {MaxUserDays:N0} (got {(long)Users * (Days + WarmupDays):N0}); events are sorted in memory. Use fewer users or days."));
        if (Tenants is < 1 or > MaxTenants)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--tenants must be between 1 and {MaxTenants} (got {Tenants})."));
        if (!Enum.IsDefined(Scenario))
            errors.Add($"Unknown scenario {Scenario}.");
        return errors;
    }
}
