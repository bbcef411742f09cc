using Mamori.Simulation.Attacks;
using Mamori.Simulation.Population;

namespace Mamori.Simulation;

/// <summary>Progress of a long simulation step, for a progress bar.</summary>
/// <param name="Step">What is running, in words.</param>
/// <param name="Fraction">Share of the whole run done, 0–1.</param>
public readonly record struct SimulationProgress(string Step, double Fraction);

/// <summary>Runs a scenario: the world, legitimate traffic, the attacks, sorted into time order.</summary>
/// <remarks>Deterministic: the same options give the same events in the same order, on any machine.</remarks>
internal static class Simulator
{
    /// <summary>When each attack starts, as a share of the period (mixed staggers them; alone they start early).</summary>
    private static (double Start, double End) Placement(SimulationScenario attack, bool mixed) => attack switch
    {
        SimulationScenario.ReverseBruteForce => (mixed ? 0.10 : 0.08, 1.0),
        SimulationScenario.PasswordSpray => (mixed ? 0.28 : 0.08, 1.0),
        SimulationScenario.CredentialStuffing => (mixed ? 0.45 : 0.08, 1.0),
        SimulationScenario.BruteForce => (mixed ? 0.62 : 0.08, 1.0),
        SimulationScenario.Phished => (0.05, 0.95),
        SimulationScenario.LowSlowSpray => (0.02, 0.98),
        _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, "Not an attack scenario."),
    };

    public static List<SimulatedLogin> Run(SimulationOptions options, IProgress<SimulationProgress>? progress = null)
    {
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors), nameof(options));

        long start = options.Start.UtcTicks;
        long end = start + options.Days * TimeSpan.TicksPerDay;
        progress?.Report(new SimulationProgress("building population", 0.0));
        World world = World.Build(options);
        var timeline = new Timeline(start - options.WarmupDays * TimeSpan.TicksPerDay, end);

        progress?.Report(new SimulationProgress("legitimate traffic", 0.1));
        new LegitimateTraffic(world, timeline, new Random(Seeds.For(options.Seed, "legit"))).Generate(options.WarmupDays + options.Days);

        SimulationScenario[] attacks = options.Scenario switch
        {
            SimulationScenario.Legit => [],
            SimulationScenario.Mixed => ScenarioNames.Attacks,
            _ => [options.Scenario],
        };
        // Attacks read the users' final secrets; generating them after legitimate traffic keeps that order fixed.
        for (int i = 0; i < attacks.Length; i++)
        {
            progress?.Report(new SimulationProgress(attacks[i].ToWireName(), 0.6 + 0.2 * i / attacks.Length));
            (double from, double to) = Placement(attacks[i], options.Scenario == SimulationScenario.Mixed);
            var context = new AttackContext(world, timeline, new Random(Seeds.For(options.Seed, attacks[i].ToWireName())),
                attacks[i].ToWireName(), start + (long)((end - start) * from), start + (long)((end - start) * to),
                Seeds.For(options.Seed, attacks[i].ToWireName() + "/tenants"));
            AttackGenerators.Generate(attacks[i], context);
        }

        progress?.Report(new SimulationProgress("sorting by time", 0.8));
        List<SimulatedLogin> events = timeline.ToSortedList();
        progress?.Report(new SimulationProgress("done", 1.0));
        return events;
    }
}
