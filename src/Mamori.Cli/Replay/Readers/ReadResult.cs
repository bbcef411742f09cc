using System.Diagnostics;
using Mamori.Events;
using Mamori.Simulation;

namespace Mamori.Cli.Replay.Readers;

/// <summary>One row of a login log: a parsed event (with its ground truth when the log has labels), or a bad row.</summary>
/// <param name="Line">1-based physical line number in the input where the row starts (the CSV header is line 1).</param>
/// <param name="Event">The event; default when <see cref="Error"/> is set.</param>
/// <param name="Truth">Ground truth from label columns/fields, kept apart from the event; null when the row has none.</param>
/// <param name="Error">Why the row was rejected, in words (never echoes a secret fingerprint); null for a good row.</param>
/// <param name="StepUpPassed">Whether the login service's own second factor passed on this login (the log's
/// <c>step_up</c>); null when the log does not say.</param>
internal readonly record struct ReadResult(int Line, LoginEvent Event, GroundTruth? Truth, string? Error, bool? StepUpPassed = null)
{
    /// <summary>True when the row parsed into an event.</summary>
    public bool IsValid => Error is null;

    public static ReadResult Bad(int line, string error) => new(line, default, null, error);
}

/// <summary>Reads login events from one log, in file order. Bad rows come back as results with an error; reading goes on.</summary>
/// <remarks>Not thread-safe; one reader per input. Dispose to release the stream it owns.</remarks>
internal interface ILoginEventReader : IDisposable
{
    /// <summary>Reads the next row; false at the end of the input. Blank lines are skipped, not reported.</summary>
    bool TryRead(out ReadResult result);
}

/// <summary>Log formats <c>mamori replay</c> reads.</summary>
internal enum LoginLogFormat
{
    /// <summary>Mamori JSONL (docs/log-formats.md), one event a line.</summary>
    Jsonl,
    /// <summary>CSV with a header row; columns mapped to JSONL field names (by name or <c>--map</c>).</summary>
    Csv,
    /// <summary>The public RBA dataset of Wiefling et al. (CSV, fixed columns).</summary>
    Rba,
}

/// <summary>Opens readers by format.</summary>
internal static class LoginEventReaders
{
    /// <summary>Wire names of formats (the <c>--format</c> values).</summary>
    public static string ToWireName(this LoginLogFormat format) => format switch
    {
        LoginLogFormat.Jsonl => "jsonl",
        LoginLogFormat.Csv => "csv",
        LoginLogFormat.Rba => "rba",
        _ => throw new UnreachableException($"LoginLogFormat {format} has no wire name."),
    };

    public static bool TryParseFormat(string? text, out LoginLogFormat format)
    {
        foreach (LoginLogFormat candidate in Enum.GetValues<LoginLogFormat>())
        {
            if (string.Equals(candidate.ToWireName(), text, StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }
        format = default;
        return false;
    }

    /// <summary>Guesses the format from a file name: <c>.jsonl</c>/<c>.ndjson</c>/<c>.json</c> → JSONL, <c>.csv</c>/<c>.tsv</c> → CSV.</summary>
    public static LoginLogFormat GuessFromPath(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".csv" or ".tsv" or ".txt" ? LoginLogFormat.Csv : LoginLogFormat.Jsonl;

    /// <summary>Opens a reader over <paramref name="input"/>, which it then owns.</summary>
    /// <param name="input">The log; a pipe is fine (read forward once).</param>
    /// <param name="format">The format.</param>
    /// <param name="map">The log's own names for the fields: CSV columns or JSONL keys (parsed from <c>--map ts=Time,account=User</c>); null: the JSONL field names. Not for the RBA dataset, whose columns are fixed.</param>
    /// <param name="localZone">The zone of timestamps without an offset (<c>--timezone</c>); null rejects them, except in
    /// the RBA dataset, whose times are UTC.</param>
    /// <param name="guessed">The format came from the log's name, not <c>--format</c>: a CSV whose header is the RBA
    /// dataset's, with no <paramref name="map"/>, is read as that dataset.</param>
    /// <exception cref="InvalidDataException">The CSV header lacks a required column.</exception>
    public static ILoginEventReader Open(Stream input, LoginLogFormat format, CsvColumnMap? map = null, TimeZoneInfo? localZone = null, bool guessed = false) => format switch
    {
        LoginLogFormat.Jsonl => new JsonlLoginEventReader(input, localZone, map),
        LoginLogFormat.Csv => new CsvLoginEventReader(input, map ?? CsvColumnMap.Identity, localZone, mayBeRba: guessed && map is null),
        LoginLogFormat.Rba => new CsvLoginEventReader(input, CsvColumnMap.Rba, localZone),
        _ => throw new UnreachableException($"LoginLogFormat {format} has no reader."),
    };

    /// <summary>Every row, for <c>foreach</c>.</summary>
    public static IEnumerable<ReadResult> ReadAll(this ILoginEventReader reader)
    {
        while (reader.TryRead(out ReadResult result)) yield return result;
    }
}
