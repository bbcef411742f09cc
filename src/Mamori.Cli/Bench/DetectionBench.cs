using Mamori.Cli.Replay;
using Mamori.Events;
using Mamori.Policy;
using Mamori.Simulation;
using Mamori.Simulation.Baselines;
using Mamori.Simulation.Scoring;
using Mamori.State;

namespace Mamori.Cli.Bench;

/// <summary>
/// The `mixed` scenario through Mamori and, in the same pass over the same events, through the published defaults of
/// the lockouts operators already have (ASP.NET Core Identity, Auth0, Keycloak).
/// </summary>
internal static class DetectionBench
{
    public static IReadOnlyList<(string Policy, ScoreReport Report)> Run(SimulationOptions simulation, TextWriter log)
    {
        log.WriteLine($"bench detection: simulating {simulation.Scenario.ToWireName()} ({simulation.Users:N0} users, {simulation.WarmupDays} warm-up days + {simulation.Days} days, seed {simulation.Seed})…");
        List<SimulatedLogin> logins = Simulator.Run(simulation);
        DateTimeOffset scoreFrom = simulation.Start;
        log.WriteLine($"bench detection: {logins.Count:N0} events; scoring from {scoreFrom.UtcDateTime:yyyy-MM-dd HH:mm} UTC (after the warm-up)");

        var options = new MamoriOptions();
        var engine = new LoginAssessor(options, new InMemorySignalStore(options));
        var mamori = new LabelScorer(scoreFrom);
        IReadOnlyList<IBaselinePolicy> baselines = BaselinePolicies.CreateAll();
        var scorers = baselines.Select(_ => new LabelScorer(scoreFrom)).ToArray();
        foreach (SimulatedLogin login in logins)
        {
            LoginEvent e = login.ToLoginEvent();
            GroundTruth truth = login.Truth;
            Verdict verdict = engine.AssessEventAsync(e).AsTask().GetAwaiter().GetResult().Combined;
            mamori.Add(truth, e.Outcome, verdict.ToIntervention(), e.Attempt.Timestamp);
            for (int i = 0; i < baselines.Count; i++)
                scorers[i].Add(truth, e.Outcome, baselines[i].Evaluate(e), e.Attempt.Timestamp);
        }
        var results = new List<(string, ScoreReport)> { ("Mamori (defaults)", mamori.Report()) };
        for (int i = 0; i < baselines.Count; i++) results.Add((baselines[i].Name, scorers[i].Report()));
        return results;
    }
}
