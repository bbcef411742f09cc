using System.Globalization;
using System.Net;
using System.Text.Json;
using Mamori.Policy;
using Mamori.Simulation;
using Mamori.Simulation.Scoring;

namespace Mamori.Cli.Replay;

/// <summary>Writes <see cref="ScoreReport"/>s (from the simulator's <see cref="LabelScorer"/>) into replay reports and benchmark tables.</summary>
internal static class ScoreWriter
{
    /// <summary>The verdict as the scorer counts it: step-up is a challenge.</summary>
    public static Intervention ToIntervention(this Verdict verdict) => verdict switch
    {
        Verdict.Allow => Intervention.Allow,
        Verdict.Deny => Intervention.Deny,
        _ => Intervention.Challenge,
    };

    public static void WriteJson(Utf8JsonWriter json, ScoreReport report)
    {
        json.WriteStartArray("score");
        foreach (ScenarioScore row in report.Attacks.Append(report.AllAttacks).Concat(report.Legit).Append(report.AllLegit))
        {
            json.WriteStartObject();
            json.WriteString("label", row.Label.ToWireName());
            json.WriteString("scenario", row.Scenario);
            json.WriteNumber("events", row.Events);
            json.WriteNumber("challenged", row.Challenged);
            json.WriteNumber("denied", row.Denied);
            json.WriteNumber("successes", row.Successes);
            json.WriteNumber("successes_challenged", row.SuccessesChallenged);
            json.WriteNumber("successes_denied", row.SuccessesDenied);
            json.WriteNumber("takeovers", row.Takeovers);
            json.WriteNumber("takeovers_stopped", row.TakeoversStopped);
            if (row.AttemptsBeforeFirstInterception is long d) json.WriteNumber("attempts_before_first_interception", d);
            else json.WriteNull("attempts_before_first_interception");
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    public static void WriteHtml(TextWriter html, ScoreReport report)
    {
        html.Write("<h2>Score against the labels</h2><pre>");
        html.Write(WebUtility.HtmlEncode(report.ToText()));
        html.Write("</pre>");
    }

    /// <summary>One Markdown row per policy: the comparison table of <c>mamori bench detection</c>.</summary>
    public static void WriteComparison(TextWriter output, IReadOnlyList<(string Policy, ScoreReport Report)> policies)
    {
        output.WriteLine("| policy | takeovers stopped | attack attempts intercepted | legit logins challenged | legit logins denied | detection delay per scenario (attempts) |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach ((string policy, ScoreReport r) in policies)
        {
            string delays = string.Join(", ", r.Attacks.Select(a => $"{a.Scenario} {(a.AttemptsBeforeFirstInterception?.ToString(CultureInfo.InvariantCulture) ?? "never")}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {policy} | {r.AllAttacks.TakeoversStopped}/{r.AllAttacks.Takeovers} ({r.AllAttacks.TakeoversStoppedShare:P1}) | {r.AllAttacks.InterceptedShare:P1} | {r.AllLegit.SuccessesChallengedShare:P2} | {r.AllLegit.SuccessesDeniedShare:P2} | {delays} |"));
        }
    }
}
