using Mamori.Events;
using Mamori.Simulation;
using nietras.SeparatedValues;

namespace Mamori.Cli.Replay.Readers;

/// <summary>Reads a CSV login log with a header row (Sep), mapping columns to fields; also the RBA dataset.</summary>
/// <remarks>
/// The separator is detected from the header (comma, semicolon, tab or pipe); quoted fields may hold separators
/// and newlines. A row with too few columns, or a bad value, is one bad row with its line number.
/// RBA specifics: <c>Login Successful</c> True/False → success/wrong_secret; <c>Is Attack IP</c> → label;
/// <c>Is Account Takeover</c> → takeover; timestamps carry no offset and are UTC; there are no secret
/// fingerprints or device tokens.
/// </remarks>
internal sealed class CsvLoginEventReader : ILoginEventReader
{
    private readonly SepReader _reader;
    private readonly CsvColumnMap _map;
    /// <summary>Each mapped field's columns present in the header, the first non-empty one read (<see cref="CsvColumnMap.NamesOf"/>).</summary>
    private readonly (LogField Field, int[] Indexes)[] _columns;
    private readonly int _neededColumns;
    private readonly EventBuilder _builder;
    private bool _done;
    private int _lastLine = 1;

    /// <exception cref="InvalidDataException">The input has no header, or the header lacks a required column.</exception>
    /// <param name="stream">The log.</param>
    /// <param name="map">Columns to fields.</param>
    /// <param name="localZone">The zone of timestamps without an offset (null: such a row is bad); the RBA dataset's are UTC.</param>
    /// <param name="mayBeRba">The format was guessed from the file's name, not given: a header that is the RBA dataset's
    /// own, with none of <paramref name="map"/>'s required columns, is read as that dataset (<see cref="ReadsRba"/>).</param>
    public CsvLoginEventReader(Stream stream, CsvColumnMap map, TimeZoneInfo? localZone = null, bool mayBeRba = false)
    {
        _reader = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true }).From(stream);
        SepReaderHeader header = _reader.Header;
        if (header.IsEmpty)
        {
            _reader.Dispose();
            throw new InvalidDataException("The CSV input is empty: expected a header row.");
        }
        if (mayBeRba && !map.IsRba && HasRbaColumns(header) && !map.Columns.Any(c => LogFieldNames.Required.Contains(c.Key) && CsvColumnMap.NamesOf(c.Value).Any(n => header.TryIndexOf(n, out _))))
        {
            // rba-dataset.zip as published, replayed without --format: its header says what it is, and guessing
            // wrong is impossible (a log with Mamori's own columns, or mapped ones, is never taken for it).
            map = CsvColumnMap.Rba;
            ReadsRba = true;
        }
        _map = map;
        _builder = new EventBuilder(localZone ?? (map.IsRba ? TimeZoneInfo.Utc : null));
        var columns = new List<(LogField, int[])>();
        var missing = new List<string>();
        foreach ((LogField field, string name) in map.Columns)
        {
            int[] indexes = [.. CsvColumnMap.NamesOf(name).Select(n => header.TryIndexOf(n, out int index) || TryIndexIgnoringCase(header, n, out index) ? index : -1).Where(i => i >= 0)];
            if (indexes.Length > 0) columns.Add((field, indexes));
            else if (LogFieldNames.Required.Contains(field) || (map.IsRba && field is not LogField.Asn and not LogField.Country and not LogField.UserAgent))
                missing.Add(map.IsRba ? $"'{name}'" : $"'{name}' (for {field.ToWireName()})");
        }
        if (missing.Count > 0)
        {
            _reader.Dispose();
            throw new InvalidDataException(
                $"The CSV header has no column {string.Join(", ", missing)}. " +
                (map.IsRba ? "Is this the RBA dataset?"
                    // The public RBA dataset's own header, read as a plain CSV: say the format rather than how to map it.
                    : HasRbaColumns(header)
                        ? "It has the RBA dataset's columns: replay it with --format rba."
                        : "Name the columns with --map, e.g. --map ts=Time,account=User,ip=ClientIP,outcome=Result."));
        }
        _columns = columns.ToArray();
        _neededColumns = _columns.Max(c => c.Indexes.Max()) + 1;
    }

    /// <summary>True when the format was guessed and the header turned out to be the RBA dataset's: the rows are read as
    /// <c>--format rba</c> reads them.</summary>
    public bool ReadsRba { get; }

    /// <summary>The RBA dataset's identifying columns: its time, user and outcome.</summary>
    private static bool HasRbaColumns(SepReaderHeader header) =>
        header.TryIndexOf(CsvColumnMap.Rba.Columns[LogField.Ts], out _) && header.TryIndexOf(CsvColumnMap.Rba.Columns[LogField.Account], out _)
        && header.TryIndexOf(RbaColumns.LoginSuccessful, out _);

    /// <summary>The column named <paramref name="name"/> in another case (<c>IP</c>, <c>Account</c>), when exactly one is.</summary>
    private static bool TryIndexIgnoringCase(SepReaderHeader header, string name, out int index)
    {
        index = -1;
        IReadOnlyList<string> names = header.ColNames;
        for (int i = 0; i < names.Count; i++)
        {
            if (!names[i].Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            if (index >= 0) return false;   // IP and Ip both: not guessed
            index = i;
        }
        return index >= 0;
    }

    public bool TryRead(out ReadResult result)
    {
        result = default;
        if (_done) return false;
        bool moved;
        try
        {
            moved = _reader.MoveNext();
        }
        catch (InvalidDataException ex)
        {
            // Sep cannot resume after a structural failure: report it as one bad row and end the input.
            _done = true;
            result = ReadResult.Bad(_lastLine + 1, "unreadable CSV, reading stopped: " + ex.Message);
            return true;
        }
        if (!moved)
        {
            _done = true;
            return false;
        }
        SepReader.Row row = _reader.Current;
        int line = row.LineNumberFrom;
        _lastLine = row.LineNumberToExcl - 1;
        if (row.ColCount < _neededColumns)
        {
            result = ReadResult.Bad(line, $"row has {row.ColCount} columns, the header needs at least {_neededColumns}");
            return true;
        }
        _builder.Reset();
        foreach ((LogField field, int[] indexes) in _columns)
        {
            ReadOnlySpan<char> text = row[indexes[0]].Span;
            for (int k = 1; text.IsEmpty && k < indexes.Length; k++) text = row[indexes[k]].Span;
            if (!_map.IsRba)
            {
                _builder.Set(field, text);
                continue;
            }
            switch (field)
            {
                case LogField.Outcome:
                    if (EventBuilder.TryParseBool(text, out bool success)) _builder.SetOutcome(success ? LoginOutcome.Success : LoginOutcome.WrongSecret);
                    else _builder.Fail($"{RbaColumns.LoginSuccessful} must be True or False");
                    break;
                case LogField.Label:
                    if (EventBuilder.TryParseBool(text, out bool attack))
                    {
                        _builder.SetLabel(attack ? TruthLabel.Attack : TruthLabel.Legit);
                        _builder.SetScenario(RbaColumns.Scenario);
                    }
                    else _builder.Fail($"{RbaColumns.IsAttackIp} must be True or False");
                    break;
                case LogField.Takeover:
                    if (EventBuilder.TryParseBool(text, out bool takeover)) _builder.SetTakeover(takeover);
                    else _builder.Fail($"{RbaColumns.IsAccountTakeover} must be True or False");
                    break;
                case LogField.Country or LogField.Asn when text is "?":
                    break;   // the RBA dataset's other mark for an unknown value; its dash the builder reads as absent, as in any log
                default:
                    _builder.Set(field, text);
                    break;
            }
        }
        result = _builder.Build(line);
        if (_map.IsRba && result.IsValid && result.Truth is { } truth && truth.Takeover && truth.Label == TruthLabel.Legit)
        {
            // An account takeover is an attacker's login even when its IP is not flagged as an attack IP.
            result = result with { Truth = truth with { Label = TruthLabel.Attack } };
        }
        return true;
    }

    public void Dispose() => _reader.Dispose();
}
