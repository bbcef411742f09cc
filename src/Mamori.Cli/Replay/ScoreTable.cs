using System.Globalization;
using System.Net;
using System.Text.Json;
using Mamori.Policy;
using Mamori.Simulation;

namespace Mamori.Cli.Replay;

/// <summary>One row of the score table: how a policy did on one scenario.</summary>
internal sealed record ScoreRow(string Policy, string Scenario, long Takeovers, long TakeoversStopped, long AttackAttempts, long AttacksIntercepted,
    long LegitLogins, long LegitChallenged, long LegitDenied, long? DetectionDelay)
{
    public double TakeoverStopRate => Takeovers == 0 ? 1 : (double)TakeoversStopped / Takeovers;
    public double InterceptRate => AttackAttempts == 0 ? 0 : (double)AttacksIntercepted / AttackAttempts;
    public double LegitChallengeRate => LegitLogins == 0 ? 0 : (double)LegitChallenged / LegitLogins;
    public double LegitDenyRate => LegitLogins == 0 ? 0 : (double)LegitDenied / LegitLogins;
}

/// <summary>Scores verdicts against ground truth per scenario (the labels the engine never reads).</summary>
internal sealed class ScoreTable
{
    public List<ScoreRow> Rows { get; } = [];

    /// <summary>Adds one policy's rows: one per attack scenario, one for legitimate traffic, one overall.</summary>
    public void Add(string policy, IReadOnlyList<(GroundTruth Truth, Verdict Verdict)> labelled)
    {
        long legit = 0, legitChallenged = 0, legitDenied = 0;
        var perScenario = new SortedDictionary<string, long[]>(StringComparer.Ordinal);   // takeovers, stopped, attempts, intercepted, firstInterceptAt
        foreach ((GroundTruth truth, Verdict verdict) in labelled)
        {
            if (!truth.IsAttack)
            {
                legit++;
                if (verdict == Verdict.Deny) legitDenied++;
                else if (verdict != Verdict.Allow) legitChallenged++;
                continue;
            }
            if (!perScenario.TryGetValue(truth.Scenario, out long[]? s)) perScenario[truth.Scenario] = s = [0, 0, 0, 0, -1];
            s[2]++;
            bool intercepted = verdict != Verdict.Allow;
            if (intercepted) { s[3]++; if (s[4] < 0) s[4] = s[2] - 1; }
            if (truth.Takeover) { s[0]++; if (intercepted) s[1]++; }
        }
        long tTotal = 0, tStopped = 0, aTotal = 0, aIntercepted = 0;
        foreach ((string scenario, long[] s) in perScenario)
        {
            Rows.Add(new ScoreRow(policy, scenario, s[0], s[1], s[2], s[3], 0, 0, 0, s[4] < 0 ? null : s[4]));
            tTotal += s[0]; tStopped += s[1]; aTotal += s[2]; aIntercepted += s[3];
        }
        Rows.Add(new ScoreRow(policy, "all", tTotal, tStopped, aTotal, aIntercepted, legit, legitChallenged, legitDenied, null));
    }

    public void WriteText(TextWriter output)
    {
        output.WriteLine($"{"policy",-28} {"scenario",-22} {"takeovers stopped",18} {"attacks intercepted",20} {"legit challenged",17} {"legit denied",13} {"delay",6}");
        foreach (ScoreRow r in Rows)
        {
            string takeovers = r.Takeovers == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{r.TakeoversStopped}/{r.Takeovers} {r.TakeoverStopRate:P1}");
            string attacks = r.AttackAttempts == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{r.InterceptRate:P1}");
            string challenged = r.LegitLogins == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{r.LegitChallengeRate:P2}");
            string denied = r.LegitLogins == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{r.LegitDenyRate:P2}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Policy,-28} {r.Scenario,-22} {takeovers,18} {attacks,20} {challenged,17} {denied,13} {(r.DetectionDelay?.ToString(CultureInfo.InvariantCulture) ?? ""),6}"));
        }
    }

    public void WriteMarkdown(TextWriter output)
    {
        output.WriteLine("| policy | scenario | takeovers stopped | attack attempts intercepted | legit challenged | legit denied | detection delay (attempts) |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (ScoreRow r in Rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Policy} | {r.Scenario} | {(r.Takeovers == 0 ? "–" : $"{r.TakeoversStopped}/{r.Takeovers} ({r.TakeoverStopRate:P1})")} | {(r.AttackAttempts == 0 ? "–" : $"{r.InterceptRate:P1}")} | {(r.LegitLogins == 0 ? "" : $"{r.LegitChallengeRate:P2}")} | {(r.LegitLogins == 0 ? "" : $"{r.LegitDenyRate:P2}")} | {r.DetectionDelay?.ToString(CultureInfo.InvariantCulture) ?? ""} |"));
        }
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartArray("score");
        foreach (ScoreRow r in Rows)
        {
            json.WriteStartObject();
            json.WriteString("policy", r.Policy);
            json.WriteString("scenario", r.Scenario);
            json.WriteNumber("takeovers", r.Takeovers);
            json.WriteNumber("takeovers_stopped", r.TakeoversStopped);
            json.WriteNumber("attack_attempts", r.AttackAttempts);
            json.WriteNumber("attack_attempts_intercepted", r.AttacksIntercepted);
            json.WriteNumber("legit_logins", r.LegitLogins);
            json.WriteNumber("legit_challenged", r.LegitChallenged);
            json.WriteNumber("legit_denied", r.LegitDenied);
            if (r.DetectionDelay is long d) json.WriteNumber("detection_delay_attempts", d); else json.WriteNull("detection_delay_attempts");
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    public void WriteHtml(TextWriter html)
    {
        html.Write("<h2>Score against the labels</h2><table><tr><th>policy</th><th>scenario</th><th>takeovers stopped</th><th>attacks intercepted</th><th>legit challenged</th><th>legit denied</th><th>delay</th></tr>");
        foreach (ScoreRow r in Rows)
        {
            html.Write(string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{WebUtility.HtmlEncode(r.Policy)}</td><td>{WebUtility.HtmlEncode(r.Scenario)}</td><td>{r.TakeoversStopped}/{r.Takeovers}</td><td>{r.InterceptRate:P1}</td><td>{r.LegitChallengeRate:P2}</td><td>{r.LegitDenyRate:P2}</td><td>{r.DetectionDelay}</td></tr>"));
        }
        html.Write("</table>");
    }
}
