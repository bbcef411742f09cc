using Mamori.Events;
using Mamori.Simulation;
using Mamori.Simulation.Scoring;

namespace Mamori.Cli.Tests.Simulation;

public sealed class LabelScorerTests
{
    private static readonly GroundTruth Spray = new(TruthLabel.Attack, "password-spray", false);
    private static readonly GroundTruth SprayTakeover = new(TruthLabel.Attack, "password-spray", true);
    private static readonly GroundTruth Normal = new(TruthLabel.Legit, "normal", false);

    [Fact]
    public void Scores_TakeoversStopped_Intercepted_LegitChallengedAndDenied_AndDelay()
    {
        var scorer = new LabelScorer();
        var t0 = new DateTimeOffset(2020, 9, 7, 0, 0, 0, TimeSpan.Zero);
        scorer.Add(Spray, LoginOutcome.WrongSecret, Intervention.Allow, t0);
        scorer.Add(Spray, LoginOutcome.WrongSecret, Intervention.Allow, t0.AddMinutes(1));
        scorer.Add(Spray, LoginOutcome.WrongSecret, Intervention.Challenge, t0.AddMinutes(2));
        scorer.Add(SprayTakeover, LoginOutcome.Success, Intervention.Deny, t0.AddMinutes(3));
        scorer.Add(SprayTakeover, LoginOutcome.Success, Intervention.Allow, t0.AddMinutes(4));
        for (int i = 0; i < 96; i++) scorer.Add(Normal, LoginOutcome.Success, Intervention.Allow);
        scorer.Add(Normal, LoginOutcome.Success, Intervention.Challenge);
        scorer.Add(Normal, LoginOutcome.WrongSecret, Intervention.Deny);
        scorer.Add(null, LoginOutcome.Success, Intervention.Deny);

        ScoreReport report = scorer.Report();
        ScenarioScore spray = Assert.Single(report.Attacks);
        Assert.Equal("password-spray", spray.Scenario);
        Assert.Equal(5, spray.Events);
        Assert.Equal(2, spray.Intercepted);
        Assert.Equal(2, spray.Takeovers);
        Assert.Equal(1, spray.TakeoversStopped);
        Assert.Equal(0.5, spray.TakeoversStoppedShare);
        Assert.Equal(2, spray.AttemptsBeforeFirstInterception);
        Assert.Equal(TimeSpan.FromMinutes(2), spray.TimeToFirstInterception);

        ScenarioScore legit = report.AllLegit;
        Assert.Equal(98, legit.Events);
        Assert.Equal(97, legit.Successes);
        Assert.Equal(1, legit.SuccessesChallenged);
        Assert.Equal(0, legit.SuccessesDenied);
        Assert.Equal(1, legit.Denied);
        Assert.Null(legit.AttemptsBeforeFirstInterception);
        Assert.Equal(1, report.Unlabelled);
        Assert.Equal(5, report.AllAttacks.Events);
        Assert.Null(report.AllAttacks.AttemptsBeforeFirstInterception);
    }

    [Fact]
    public void NeverIntercepted_HasNoDelay_AndNoTakeoversCountsAsAllStopped()
    {
        var scorer = new LabelScorer();
        scorer.Add(Spray, LoginOutcome.WrongSecret, Intervention.Allow);
        ScenarioScore spray = Assert.Single(scorer.Report().Attacks);
        Assert.Null(spray.AttemptsBeforeFirstInterception);
        Assert.Equal(1.0, spray.TakeoversStoppedShare);
        Assert.Equal(0.0, spray.InterceptedShare);
    }

    [Fact]
    public void Text_HasOneRowPerScenarioAndTotals()
    {
        var scorer = new LabelScorer();
        scorer.Add(Spray, LoginOutcome.WrongSecret, Intervention.Deny);
        scorer.Add(new GroundTruth(TruthLabel.Attack, "phished", true), LoginOutcome.Success, Intervention.Allow);
        scorer.Add(Normal, LoginOutcome.Success, Intervention.Allow);
        string text = scorer.Report().ToText();
        Assert.Contains("password-spray", text, StringComparison.Ordinal);
        Assert.Contains("phished", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split('\n').Count(l => l.Contains(LabelScorer.AllScenarios, StringComparison.Ordinal)));
    }

    [Fact]
    public void Baselines_OnTheMixedScenario_StopFewTakeovers()
    {
        // The point of the benchmark: per-account lockout sees none of the cross-account attacks.
        var events = Simulator.Run(new SimulationOptions { Scenario = SimulationScenario.Mixed, Users = 3_000, Days = 3, Seed = 1 });
        foreach (var policy in Mamori.Simulation.Baselines.BaselinePolicies.CreateAll())
        {
            var scorer = new LabelScorer();
            foreach (SimulatedLogin e in events) scorer.Add(e.Truth, e.Outcome, policy.Evaluate(e.ToLoginEvent()), e.Timestamp);
            ScoreReport report = scorer.Report();
            Assert.True(report.AllAttacks.Takeovers > 0);
            Assert.True(report.AllAttacks.TakeoversStoppedShare < 0.5, $"{policy.Name} stopped {report.AllAttacks.TakeoversStoppedShare:P0}");
        }
    }
}
