using System.Globalization;
using System.Text.Json;

namespace Mamori.Cli.Replay;

/// <summary>
/// The analyst's list against a labelled log's takeovers (<c>--score</c>): how many of the taken accounts it names, how
/// many of those it names were taken, and how deep in it they sit. The question a fraud team asks of the list before
/// trusting it with tonight's log, answered on one whose answer they know.
/// </summary>
/// <param name="Taken">Accounts with at least one login labelled a takeover.</param>
/// <param name="TakenListed">Of <paramref name="Taken"/>, those the list names (high or medium).</param>
/// <param name="High">Accounts listed as high confidence.</param>
/// <param name="HighTaken">Of <paramref name="High"/>, those taken.</param>
/// <param name="Medium">Accounts listed as medium confidence.</param>
/// <param name="MediumTaken">Of <paramref name="Medium"/>, those taken.</param>
/// <param name="FirstTaken">Taken accounts among the list's first 100 and first 1,000 (fewer when the list is shorter).</param>
/// <param name="Incomplete">More taken accounts than <see cref="ReplayRunner.MaxTriagedAccounts"/>: the figures are about the first ones.</param>
internal sealed record TriageScore(int Taken, int TakenListed, int High, int HighTaken, int Medium, int MediumTaken,
    IReadOnlyList<(int Depth, int Taken)> FirstTaken, bool Incomplete)
{
    /// <summary>Depths of the list the score counts taken accounts at.</summary>
    public static readonly int[] Depths = [100, 1_000];

    /// <summary>Scores <paramref name="list"/> (in the report's order) against <paramref name="taken"/>.</summary>
    public static TriageScore Of(IReadOnlyList<TakeoverAccount> list, IReadOnlySet<string> taken, bool incomplete)
    {
        int high = 0, highTaken = 0, medium = 0, mediumTaken = 0;
        var first = new List<(int, int)>();
        int takenSoFar = 0;
        for (int i = 0; i < list.Count; i++)
        {
            bool isTaken = taken.Contains(list[i].Account);
            if (isTaken) takenSoFar++;
            if (list[i].Confidence == TakeoverConfidence.High) { high++; if (isTaken) highTaken++; }
            else { medium++; if (isTaken) mediumTaken++; }
            if (Array.IndexOf(Depths, i + 1) >= 0) first.Add((i + 1, takenSoFar));
        }
        foreach (int depth in Depths)
            if (depth > list.Count) first.Add((list.Count, takenSoFar));
        return new TriageScore(taken.Count, takenSoFar, high, highTaken, medium, mediumTaken, first.DistinctBy(f => f.Item1).ToArray(), incomplete);
    }

    /// <summary>Two lines for the terminal, after the score table.</summary>
    public string ToText()
    {
        string depths = string.Join(", ", FirstTaken.Select(f => string.Create(CultureInfo.InvariantCulture, $"the first {f.Depth:N0} hold {f.Taken:N0}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"likely takeovers against the labels: {TakenListed:N0} of {Taken:N0} taken accounts listed{Percent(TakenListed, Taken)}{(Incomplete ? " (more taken accounts than replay tracks: the first ones)" : "")}; " +
            $"high {High:N0}, of which {HighTaken:N0} taken{Percent(HighTaken, High)}; medium {Medium:N0}, of which {MediumTaken:N0} taken{Percent(MediumTaken, Medium)}\n" +
            $"  in the list's order: {depths}\n");
    }

    private static string Percent(int part, int whole) =>
        whole == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({100.0 * part / whole:0.#} %)");

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject("triage_score");
        json.WriteNumber("taken_accounts", Taken);
        json.WriteNumber("taken_accounts_listed", TakenListed);
        json.WriteNumber("high", High);
        json.WriteNumber("high_taken", HighTaken);
        json.WriteNumber("medium", Medium);
        json.WriteNumber("medium_taken", MediumTaken);
        json.WriteStartArray("taken_in_first");
        foreach ((int depth, int taken) in FirstTaken)
        {
            json.WriteStartObject();
            json.WriteNumber("accounts", depth);
            json.WriteNumber("taken", taken);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteBoolean("incomplete", Incomplete);
        json.WriteEndObject();
    }
}
