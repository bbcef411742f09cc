using System.Globalization;
using System.Text;
using Mamori.Events;

namespace Mamori.Simulation.Scoring;

/// <summary>What one policy did to one scenario (or one kind of legitimate behaviour).</summary>
/// <param name="Label">Attack or legit.</param>
/// <param name="Scenario">Scenario name, or <see cref="LabelScorer.AllScenarios"/> for a total.</param>
/// <param name="Events">Events scored.</param>
/// <param name="Challenged">Events challenged.</param>
/// <param name="Denied">Events denied.</param>
/// <param name="Successes">Events whose logged outcome is success (for legit: the logins that matter to users).</param>
/// <param name="SuccessesChallenged">Successes challenged.</param>
/// <param name="SuccessesDenied">Successes denied.</param>
/// <param name="Takeovers">Attacker successes (takeover events).</param>
/// <param name="TakeoversStopped">Takeover events challenged or denied.</param>
/// <param name="AttemptsBeforeFirstInterception">Detection delay: attack events before the first one challenged or
/// denied; null if none was (or for totals, where it means nothing).</param>
/// <param name="TimeToFirstInterception">From the scenario's first event to its first interception; null as above
/// or when events carried no time.</param>
public sealed record ScenarioScore(
    TruthLabel Label, string Scenario, long Events, long Challenged, long Denied,
    long Successes, long SuccessesChallenged, long SuccessesDenied,
    long Takeovers, long TakeoversStopped, long? AttemptsBeforeFirstInterception, TimeSpan? TimeToFirstInterception)
{
    /// <summary>Events challenged or denied.</summary>
    public long Intercepted => Challenged + Denied;
    /// <summary>Share of events challenged or denied (attacks: higher is better; legit: lower is better).</summary>
    public double InterceptedShare => Share(Intercepted, Events);
    /// <summary>Share of takeovers stopped; 1 when there were none to stop.</summary>
    public double TakeoversStoppedShare => Takeovers == 0 ? 1.0 : Share(TakeoversStopped, Takeovers);
    /// <summary>Share of successful logins challenged.</summary>
    public double SuccessesChallengedShare => Share(SuccessesChallenged, Successes);
    /// <summary>Share of successful logins denied.</summary>
    public double SuccessesDeniedShare => Share(SuccessesDenied, Successes);

    private static double Share(long part, long whole) => whole == 0 ? 0.0 : (double)part / whole;
}

/// <summary>Per-scenario results of one policy over a labelled log.</summary>
/// <param name="Attacks">One row per attack scenario, by name.</param>
/// <param name="Legit">One row per kind of legitimate behaviour, by name.</param>
/// <param name="AllAttacks">Every attack event.</param>
/// <param name="AllLegit">Every legitimate event.</param>
/// <param name="Unlabelled">Events scored without ground truth (not counted above).</param>
public sealed record ScoreReport(
    IReadOnlyList<ScenarioScore> Attacks, IReadOnlyList<ScenarioScore> Legit, ScenarioScore AllAttacks, ScenarioScore AllLegit, long Unlabelled)
{
    /// <summary>A plain-text table (one row per scenario), for a terminal or a Markdown code block.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"label",-7} {"scenario",-22} {"events",9} {"intercepted",12} {"takeovers",9} {"stopped",8} {"succ. chall.",12} {"succ. denied",12} {"delay",7}");
        foreach (ScenarioScore row in Attacks.Append(AllAttacks).Concat(Legit).Append(AllLegit))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.Label.ToWireName(),-7} {row.Scenario,-22} {row.Events,9} {row.InterceptedShare,12:P1} {row.Takeovers,9} " +
                $"{(row.Takeovers == 0 ? "-" : row.TakeoversStoppedShare.ToString("P1", CultureInfo.InvariantCulture)),8} " +
                $"{row.SuccessesChallengedShare,12:P2} {row.SuccessesDeniedShare,12:P2} {(row.AttemptsBeforeFirstInterception?.ToString(CultureInfo.InvariantCulture) ?? "-"),7}");
        }
        if (Unlabelled > 0) text.AppendLine(CultureInfo.InvariantCulture, $"({Unlabelled} events had no label and were not scored)");
        return text.ToString();
    }
}

/// <summary>
/// Scores a policy's decisions against ground truth: takeovers stopped, attack attempts intercepted, legitimate
/// logins challenged and denied, and detection delay, per scenario.
/// </summary>
/// <remarks>Feed events in log order (the delay counts attempts in that order). Pure; not thread-safe.</remarks>
public sealed class LabelScorer(DateTimeOffset? scoreFrom = null)
{
    /// <summary>Scenario name of the totals rows.</summary>
    public const string AllScenarios = "(all)";

    private readonly Dictionary<(TruthLabel, string), Tally> _tallies = new();
    private readonly Tally _allAttacks = new(), _allLegit = new();
    private long _unlabelled, _skipped;

    /// <summary>Events not scored because they came before the warm-up end.</summary>
    public long SkippedWarmup => _skipped;

    /// <summary>Scores one event.</summary>
    /// <param name="truth">The event's ground truth; null counts as unlabelled.</param>
    /// <param name="outcome">The logged outcome.</param>
    /// <param name="decision">What the policy did.</param>
    /// <param name="at">The event's time, for time-to-first-interception; optional, but needed for <c>scoreFrom</c>.</param>
    /// <remarks>Events before the constructor's <c>scoreFrom</c> (a warm-up period) are not scored at all.</remarks>
    public void Add(GroundTruth? truth, LoginOutcome outcome, Intervention decision, DateTimeOffset? at = null)
    {
        if (scoreFrom is { } from && at is { } when && when < from)
        {
            _skipped++;
            return;
        }
        if (truth is not { } t)
        {
            _unlabelled++;
            return;
        }
        if (!_tallies.TryGetValue((t.Label, t.Scenario), out Tally? tally))
            _tallies[(t.Label, t.Scenario)] = tally = new Tally();
        tally.Add(t, outcome, decision, at);
        (t.IsAttack ? _allAttacks : _allLegit).Add(t, outcome, decision, at);
    }

    public ScoreReport Report()
    {
        ScenarioScore[] Rows(TruthLabel label) => _tallies
            .Where(kv => kv.Key.Item1 == label)
            .OrderBy(kv => kv.Key.Item2, StringComparer.Ordinal)
            .Select(kv => kv.Value.ToScore(label, kv.Key.Item2, withDelay: true))
            .ToArray();
        return new ScoreReport(
            Rows(TruthLabel.Attack), Rows(TruthLabel.Legit),
            _allAttacks.ToScore(TruthLabel.Attack, AllScenarios, withDelay: false),
            _allLegit.ToScore(TruthLabel.Legit, AllScenarios, withDelay: false),
            _unlabelled);
    }

    private sealed class Tally
    {
        private long _events, _challenged, _denied, _successes, _successesChallenged, _successesDenied, _takeovers, _takeoversStopped;
        private long? _beforeFirst;
        private DateTimeOffset? _first;
        private TimeSpan? _timeToFirst;

        public void Add(GroundTruth truth, LoginOutcome outcome, Intervention decision, DateTimeOffset? at)
        {
            bool intercepted = decision != Intervention.Allow;
            if (_events == 0) _first = at;
            if (intercepted && _beforeFirst is null)
            {
                _beforeFirst = _events;
                if (_first is { } first && at is { } now) _timeToFirst = now - first;
            }
            _events++;
            if (decision == Intervention.Challenge) _challenged++;
            if (decision == Intervention.Deny) _denied++;
            if (outcome == LoginOutcome.Success)
            {
                _successes++;
                if (decision == Intervention.Challenge) _successesChallenged++;
                if (decision == Intervention.Deny) _successesDenied++;
            }
            if (truth.Takeover)
            {
                _takeovers++;
                if (intercepted) _takeoversStopped++;
            }
        }

        public ScenarioScore ToScore(TruthLabel label, string scenario, bool withDelay) => new(
            label, scenario, _events, _challenged, _denied, _successes, _successesChallenged, _successesDenied,
            _takeovers, _takeoversStopped,
            withDelay && label == TruthLabel.Attack ? _beforeFirst : null,
            withDelay && label == TruthLabel.Attack ? _timeToFirst : null);
    }
}
