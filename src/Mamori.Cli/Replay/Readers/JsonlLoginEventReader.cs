using System.Text;
using System.Text.Json;
using Mamori.Events;

namespace Mamori.Cli.Replay.Readers;

/// <summary>Reads Mamori JSONL (docs/log-formats.md): one JSON object a line; unknown fields ignored; an export's own field
/// names mapped with <c>--map</c>.</summary>
/// <remarks>
/// Splits lines in a 1 MiB block buffer and parses each with a <see cref="Utf8JsonReader"/> over the bytes:
/// no per-line string, no serializer, so one core reads well over half a million events a second. Works on
/// pipes (reads forward once). A line that is not valid JSON is one bad row; the next line parses normally.
/// </remarks>
internal sealed class JsonlLoginEventReader : ILoginEventReader
{
    /// <summary>Longest line accepted; a login event is a few hundred bytes, so anything longer is broken or hostile.</summary>
    public const int MaxLineBytes = 64 * 1024;
    private const int BufferBytes = 1 << 20;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private readonly byte[] _unescaped = new byte[MaxLineBytes];
    private readonly char[] _chars = new char[MaxLineBytes];
    private readonly EventBuilder _builder;
    private readonly (byte[] Name, LogField Field)[] _names;
    /// <summary>For each of a line's first names, the index in <see cref="_names"/> of the name found there on the
    /// line before (-1: none yet, or an unknown field): a log writes its fields in one order, so that name is tried first.</summary>
    private readonly int[] _expected = new int[RememberedPositions];
    private const int RememberedPositions = 32;
    private int _start, _end, _line;
    private bool _eof, _atStart = true;

    /// <param name="stream">The log.</param>
    /// <param name="localZone">The zone of timestamps without an offset (null: such a row is bad).</param>
    /// <param name="map">The log's own names for the fields (<c>--map ts=timestamp,account=user_id</c>); null: Mamori's names.</param>
    public JsonlLoginEventReader(Stream stream, TimeZoneInfo? localZone = null, CsvColumnMap? map = null)
    {
        _stream = stream;
        _builder = new EventBuilder(localZone);
        _names = map is null ? s_names : [.. map.Columns.Select(pair => (Encoding.UTF8.GetBytes(pair.Value), pair.Key))];
        Array.Fill(_expected, -1);
    }

    public bool TryRead(out ReadResult result)
    {
        while (NextLine(out ReadOnlySpan<byte> line, out bool tooLong))
        {
            _line++;
            if (tooLong || line.Length > MaxLineBytes)
            {
                result = ReadResult.Bad(_line, $"line is longer than {MaxLineBytes:N0} bytes");
                return true;
            }
            if (_atStart)
            {
                _atStart = false;
                if (line.StartsWith("\uFEFF"u8)) line = line[3..];   // UTF-8 byte order mark
            }
            line = line.TrimEnd("\r\t "u8).TrimStart("\t "u8);
            if (line.IsEmpty) continue;
            result = Parse(line);
            return true;
        }
        result = default;
        return false;
    }

    private ReadResult Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 16 });
        _builder.Reset();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return ReadResult.Bad(_line, "line is not a JSON object");
            int position = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool matched = TryMatch(ref reader, position++, out LogField known);
                reader.Read();
                if (!matched)
                {
                    reader.Skip();   // unknown fields are ignored (operator extras)
                    continue;
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.Null:
                        break;
                    case JsonTokenType.String:
                        _builder.Set(known, Chars(ref reader));
                        break;
                    case JsonTokenType.Number when known == LogField.Asn:
                        if (reader.TryGetInt64(out long asn)) _builder.SetAsn(asn);
                        else _builder.Fail("asn must be a whole number");
                        break;
                    case JsonTokenType.Number when known is LogField.Account or LogField.Tenant or LogField.Device or LogField.Ts:
                        _builder.Set(known, Chars(ref reader));   // numeric ids, and Unix time, written as JSON numbers
                        break;
                    case JsonTokenType.True or JsonTokenType.False when known == LogField.Takeover:
                        _builder.SetTakeover(reader.TokenType == JsonTokenType.True);
                        break;
                    case JsonTokenType.True or JsonTokenType.False when known == LogField.StepUp:
                        _builder.SetStepUp(reader.TokenType == JsonTokenType.True);
                        break;
                    case JsonTokenType.True or JsonTokenType.False when known == LogField.Outcome:   // "did the login succeed"
                        _builder.SetOutcome(reader.TokenType == JsonTokenType.True ? LoginOutcome.Success : LoginOutcome.WrongSecret);
                        break;
                    default:
                        _builder.Fail($"{known.ToWireName()} has the wrong JSON type ({reader.TokenType})");
                        reader.Skip();
                        break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0)
                return ReadResult.Bad(_line, "line is not a JSON object");
            if (reader.Read())
                return ReadResult.Bad(_line, "unexpected content after the JSON object");
        }
        catch (JsonException ex)
        {
            return ReadResult.Bad(_line, "invalid JSON: " + ex.Message);
        }
        return _builder.Build(_line);
    }

    // The fields' wire names as UTF-8, from the one list of them (LogFieldNames).
    private static readonly (byte[] Name, LogField Field)[] s_names =
        [.. LogFieldNames.All.Select(f => (Encoding.UTF8.GetBytes(f.ToWireName()), f))];

    /// <remarks>A bool and an out value, not a <c>LogField?</c>: the JIT built the nullable with two narrow stores and
    /// read it back with one wide load, which the CPU cannot forward from its store buffer. That stall, a dozen times a
    /// line, was 4 % of replay's parsing thread on JSONL.</remarks>
    /// <param name="position">The name's place among the line's names (0 for the first).</param>
    private bool TryMatch(ref Utf8JsonReader reader, int position, out LogField field)
    {
        if (reader.ValueIsEscaped)
        {
            // A name written with escapes ("\u0074s" is "ts"): compared unescaped.
            foreach ((byte[] name, LogField candidate) in _names)
                if (reader.ValueTextEquals(name)) { field = candidate; return true; }
            field = default;
            return false;
        }
        ReadOnlySpan<byte> text = reader.ValueSpan;
        // The name the line before had at this place first: one comparison for most names of a log. In the loop below,
        // the length check's branch goes another way for each field of a line, and that one instruction held 3 % of
        // the parsing thread's samples on JSONL (docs/BENCHMARKS.md, "Replay speed").
        bool remembered = (uint)position < RememberedPositions;
        if (remembered && _expected[position] is var expected and >= 0 && text.SequenceEqual(_names[expected].Name))
        {
            field = _names[expected].Field;
            return true;
        }
        // Lengths first: a line has a dozen names, and comparing each with all thirteen was the reader's largest
        // cost after the JSON scanner itself.
        for (int i = 0; i < _names.Length; i++)
        {
            if (_names[i].Name.Length == text.Length && text.SequenceEqual(_names[i].Name))
            {
                if (remembered) _expected[position] = i;
                field = _names[i].Field;
                return true;
            }
        }
        // Another case (IP, Account, User_Agent): exports write names as their tools like. Only names no field took
        // exactly come here, so Mamori's own logs pay nothing.
        foreach ((byte[] name, LogField candidate) in _names)
            if (name.Length == text.Length && System.Text.Ascii.EqualsIgnoreCase(text, name)) { field = candidate; return true; }
        field = default;
        return false;
    }

    /// <summary>The current value as characters (unescaped), in a reused buffer valid until the next call.</summary>
    private ReadOnlySpan<char> Chars(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> utf8 = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            int length = reader.CopyString(_unescaped);
            utf8 = _unescaped.AsSpan(0, length);
        }
        int count = Encoding.UTF8.GetChars(utf8, _chars);
        return _chars.AsSpan(0, count);
    }

    /// <summary>The next line without its newline; <paramref name="tooLong"/> when it did not fit the buffer (it is skipped).</summary>
    private bool NextLine(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                return true;
            }
            if (_eof)
            {
                line = _buffer.AsSpan(_start, _end - _start);
                bool any = _start < _end;
                _start = _end;
                return any;
            }
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                // A line longer than the whole buffer: drop it up to its newline and report it as one bad row.
                tooLong = true;
                _start = _end = 0;
                SkipPastNewline();
                line = default;
                return true;
            }
            int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) _eof = true;
            else _end += read;
        }
    }

    private void SkipPastNewline()
    {
        while (true)
        {
            int read = _stream.Read(_buffer, 0, _buffer.Length);
            if (read == 0)
            {
                _eof = true;
                return;
            }
            int newline = _buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start = newline + 1;
                _end = read;
                return;
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
