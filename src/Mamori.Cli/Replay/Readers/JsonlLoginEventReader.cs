using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Mamori.Events;

namespace Mamori.Cli.Replay.Readers;

/// <summary>Reads Mamori JSONL (docs/log-formats.md): one JSON object a line; unknown fields ignored; an export's own field
/// names mapped with <c>--map</c>.</summary>
/// <remarks>
/// Splits lines in a 1 MiB block buffer and reads each over its bytes: no per-line string, no serializer. The common
/// line, one flat object of plain ASCII, is read by <see cref="TryParseFlat"/>; any other by a
/// <see cref="Utf8JsonReader"/> (docs/adr/0033). Works on pipes (reads forward once). A line that is not valid JSON is
/// one bad row; the next line parses normally.
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
    /// <summary>For each of <see cref="_names"/>, whether it is written as it is, with no byte a JSON string escapes.</summary>
    private readonly bool[] _plainNames;
    /// <summary>For each name of <see cref="_names"/>, then for a line's start (<see cref="LineStart"/>) and for an
    /// unknown name (<see cref="UnknownName"/>): the index of the name that followed it on the line before (-1: none
    /// yet). A log writes its fields in one order, so that name is tried first; when a line lacks an optional field,
    /// only the name after the gap misses.</summary>
    private readonly int[] _next;
    private int LineStart => _names.Length;
    private int UnknownName => _names.Length + 1;
    /// <summary>For each of <see cref="_names"/>, its place among its field's names (<c>outcome=error|type</c>: 0, 1).</summary>
    private readonly int[] _ranks;
    /// <summary>Whether a field has more than one name; then every line is read by the general reader, which keeps
    /// the first present name's value (<see cref="_lineRanks"/>).</summary>
    private readonly bool _hasAlternatives;
    /// <summary>Per field, the rank of the name that gave it a value on this line (<see cref="int.MaxValue"/>: none).</summary>
    private readonly int[] _lineRanks;
    /// <summary>The objects a mapped dotted name goes through (<c>source</c> for <c>source.ip</c>); empty for Mamori's names.</summary>
    private readonly byte[][] _pathPrefixes;
    /// <summary>The path of the member being read inside such an object (<see cref="ReadMembers"/>).</summary>
    private readonly byte[] _path;
    private int _start, _end, _line;
    private bool _eof, _atStart = true;

    /// <param name="stream">The log.</param>
    /// <param name="localZone">The zone of timestamps without an offset (null: such a row is bad).</param>
    /// <param name="map">The log's own names for the fields (<c>--map ts=timestamp,account=user_id</c>); null: Mamori's names.</param>
    public JsonlLoginEventReader(Stream stream, TimeZoneInfo? localZone = null, CsvColumnMap? map = null)
    {
        _stream = stream;
        _builder = new EventBuilder(localZone);
        (byte[] Name, LogField Field, int Rank)[] names = map is null ? [.. s_names.Select(n => (n.Name, n.Field, 0))]
            : [.. map.Columns.SelectMany(pair => CsvColumnMap.NamesOf(pair.Value).Select((name, rank) => (Encoding.UTF8.GetBytes(name), pair.Key, rank)))];
        _names = [.. names.Select(n => (n.Name, n.Field))];
        _ranks = [.. names.Select(n => n.Rank)];
        _hasAlternatives = _ranks.Any(r => r > 0);
        _lineRanks = new int[LogFieldNames.All.Max(f => (int)f) + 1];
        _plainNames = [.. _names.Select(n => !n.Name.AsSpan().ContainsAnyExcept(s_plain))];
        _next = new int[_names.Length + 2];
        Array.Fill(_next, -1);
        // Every object a dotted name goes through: "source.as.number" goes through "source" and "source.as".
        _pathPrefixes = [.. _names.SelectMany(n => Enumerable.Range(1, n.Name.Length - 1).Where(i => n.Name[i] == (byte)'.').Select(i => n.Name[..i]))
            .Where(prefix => prefix.Length > 0 && prefix[^1] != (byte)'.')
            .DistinctBy(Convert.ToHexString)];
        _path = new byte[Math.Max(1, _names.Max(n => n.Name.Length)) + 1];
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
        _builder.Reset();
        if (ReadsFlatLines && !_hasAlternatives && TryParseFlat(line))
        {
            FlatLines++;
            return _builder.Build(_line);
        }
        _builder.Reset();   // what the fast path set before it declined
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return ReadResult.Bad(_line, "line is not a JSON object");
            int previous = LineStart;
            if (_hasAlternatives) Array.Fill(_lineRanks, int.MaxValue);
            ReadMembers(ref reader, 0, ref previous);
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

    /// <summary>
    /// Reads one object's members into the builder, the reader on its opening brace; it ends on the closing one. At the
    /// line's top <paramref name="prefix"/> is 0; inside an object that a mapped dotted path goes through
    /// (<c>--map ip=source.ip</c>, as Elastic's ECS and Okta's System Log nest them) it is the length of the path so far
    /// in <see cref="_path"/>, dot included, and each member is matched by its whole path.
    /// </summary>
    private void ReadMembers(ref Utf8JsonReader reader, int prefix, ref int previous)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool matched;
            LogField known;
            int pathLength = 0;
            if (prefix == 0 && _pathPrefixes.Length == 0)
            {
                matched = reader.ValueIsEscaped ? TryMatchEscaped(ref reader, ref previous, out known) : TryMatch(reader.ValueSpan, ref previous, out known);
            }
            else
            {
                pathLength = PathOf(ref reader, prefix);
                known = default;
                matched = false;
                if (pathLength > 0) matched = TryMatch(_path.AsSpan(0, pathLength), ref previous, out known);
            }
            reader.Read();
            if (matched && _hasAlternatives)
            {
                // One of a field's names: a better one's value on this line stands, wherever it came; a worse one's gives way.
                int rank = _ranks[previous];
                if (_lineRanks[(int)known] < rank) matched = false;
                else if (reader.TokenType is not JsonTokenType.Null && !(reader.TokenType is JsonTokenType.String && reader.ValueSpan.IsEmpty))
                    _lineRanks[(int)known] = rank;
            }
            if (!matched)
            {
                if (reader.TokenType == JsonTokenType.StartObject && pathLength > 0 && pathLength < _path.Length && GoesThrough(pathLength))
                {
                    _path[pathLength] = (byte)'.';
                    ReadMembers(ref reader, pathLength + 1, ref previous);
                }
                else
                {
                    reader.Skip();   // unknown fields are ignored (operator extras)
                }
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
                case JsonTokenType.Number when TakesNumberText(known):
                    _builder.Set(known, Chars(ref reader));
                    break;
                case JsonTokenType.True or JsonTokenType.False when TakesBoolean(known):
                    SetBoolean(known, reader.TokenType == JsonTokenType.True);
                    break;
                case JsonTokenType.StartObject:
                    // An export that nests its fields (Elastic's ECS "user_agent": {"original": …}): say how to reach in.
                    _builder.Fail($"{known.ToWireName()} is an object, not a value: name the value inside it with a dotted path, as in --map {known.ToWireName()}={Encoding.UTF8.GetString(_names[previous].Name)}.NAME");
                    reader.Skip();
                    break;
                default:
                    _builder.Fail($"{known.ToWireName()} has the wrong JSON type ({reader.TokenType})");
                    reader.Skip();
                    break;
            }
        }
    }

    /// <summary>Writes the member's name, unescaped, after the path's first <paramref name="prefix"/> bytes; returns the
    /// whole path's length, or 0 when it does not fit (no mapped name is that long).</summary>
    private int PathOf(ref Utf8JsonReader reader, int prefix)
    {
        Span<byte> rest = _path.AsSpan(prefix);
        if (!reader.ValueIsEscaped)
        {
            ReadOnlySpan<byte> name = reader.ValueSpan;
            if (name.Length > rest.Length) return 0;
            name.CopyTo(rest);
            return prefix + name.Length;
        }
        if (reader.ValueSpan.Length > _unescaped.Length) return 0;
        int length = reader.CopyString(_unescaped);
        if (length > rest.Length) return 0;
        _unescaped.AsSpan(0, length).CopyTo(rest);
        return prefix + length;
    }

    /// <summary>Whether a mapped name continues the path's first <paramref name="length"/> bytes with a dot (in any
    /// case, as names are matched).</summary>
    private bool GoesThrough(int length)
    {
        ReadOnlySpan<byte> path = _path.AsSpan(0, length);
        foreach (byte[] through in _pathPrefixes)
            if (through.Length == length && System.Text.Ascii.EqualsIgnoreCase(path, through)) return true;
        return false;
    }

    /// <summary>Whether lines are first tried on <see cref="TryParseFlat"/>; off only to check it against the general
    /// reader.</summary>
    internal bool ReadsFlatLines { get; init; } = true;

    /// <summary>Lines read by <see cref="TryParseFlat"/> rather than the general reader.</summary>
    internal long FlatLines { get; private set; }

    /// <summary>What a name or string value may hold on the fast path: printable ASCII but the quote and the backslash.</summary>
    private static readonly SearchValues<byte> s_plain = SearchValues.Create(
        [.. Enumerable.Range(0x20, 0x7F - 0x20).Where(b => b is not '"' and not '\\').Select(b => (byte)b)]);

    /// <summary>
    /// Reads the line a log nearly always has without the general reader: one object of names and values side by side,
    /// the names and strings printable ASCII without escapes, the numbers integers, and <c>true</c>, <c>false</c>,
    /// <c>null</c>. It feeds the builder exactly what <see cref="Parse"/>'s general loop would.
    /// </summary>
    /// <remarks>
    /// <para>Written by hand, as a fast path only: <see cref="Utf8JsonReader"/>'s state machine, which must handle
    /// every JSON, was a fifth of the parsing thread's samples on JSONL (docs/BENCHMARKS.md, "Replay speed").</para>
    /// <para>False on anything else, having decided nothing: escapes, other bytes, fractions and exponents, nested
    /// values, a value of the wrong type, and every malformed line. The caller then starts again on the general
    /// reader, which reads what is valid and words what is not.</para>
    /// </remarks>
    private bool TryParseFlat(ReadOnlySpan<byte> line)
    {
        // The line is trimmed and not empty.
        if (line[0] != (byte)'{') return false;
        int i = SkipSpace(line, 1);
        if (i < line.Length && line[i] == (byte)'}') return i + 1 == line.Length;
        int previous = LineStart;
        while (true)
        {
            bool matched = TryExpectedName(line, ref i, ref previous, out LogField known);
            if (!matched)
            {
                if (!TryString(line, ref i, out ReadOnlySpan<byte> name)) return false;
                matched = TryMatch(name, ref previous, out known);
            }
            i = SkipSpace(line, i);
            if (i >= line.Length || line[i] != (byte)':') return false;
            i = SkipSpace(line, i + 1);
            if (i >= line.Length) return false;
            switch (line[i])
            {
                case (byte)'"':
                    if (!TryString(line, ref i, out ReadOnlySpan<byte> text)) return false;
                    if (matched) _builder.Set(known, Widen(text));
                    break;
                case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                    if (!TryInteger(line, ref i, out ReadOnlySpan<byte> digits)) return false;
                    if (matched && !TrySetInteger(known, digits)) return false;
                    break;
                case (byte)'t':
                    if (!TryLiteral(line, ref i, "true"u8) || matched && !TrySetBoolean(known, true)) return false;
                    break;
                case (byte)'f':
                    if (!TryLiteral(line, ref i, "false"u8) || matched && !TrySetBoolean(known, false)) return false;
                    break;
                case (byte)'n':
                    if (!TryLiteral(line, ref i, "null"u8)) return false;
                    break;
                default:
                    return false;
            }
            i = SkipSpace(line, i);
            if (i >= line.Length) return false;
            if (line[i] == (byte)'}') return i + 1 == line.Length;   // trailing blanks were trimmed
            if (line[i] != (byte)',') return false;
            i = SkipSpace(line, i + 1);
        }
    }

    /// <summary>Whether the name at <paramref name="i"/> is the one that followed <paramref name="previous"/> on the line
    /// before, compared in place: most names of a log then cost one comparison and no scan. <paramref name="i"/> then
    /// follows the name, and <paramref name="previous"/> is it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryExpectedName(ReadOnlySpan<byte> line, ref int i, ref int previous, out LogField field)
    {
        field = default;
        int expected = _next[previous];
        if (expected < 0 || !_plainNames[expected]) return false;
        ReadOnlySpan<byte> name = _names[expected].Name;
        // A plain name between quotes is exactly what TryString would have read, and TryMatch would have matched it.
        if (line.Length - i < name.Length + 2 || line[i] != (byte)'"' || line[i + 1 + name.Length] != (byte)'"'
            || !line.Slice(i + 1, name.Length).SequenceEqual(name))
            return false;
        i += name.Length + 2;
        previous = expected;
        field = _names[expected].Field;
        return true;
    }

    /// <summary>A number where the general loop reads one (<c>asn</c>, and numeric ids and Unix times); false where it
    /// would word a type error.</summary>
    private bool TrySetInteger(LogField known, ReadOnlySpan<byte> digits)
    {
        if (known == LogField.Asn)
        {
            if (Utf8Parser.TryParse(digits, out long asn, out int used) && used == digits.Length) _builder.SetAsn(asn);
            else _builder.Fail("asn must be a whole number");   // past a long, as Utf8JsonReader.TryGetInt64 says
            return true;
        }
        if (!TakesNumberText(known)) return false;
        _builder.Set(known, Widen(digits));
        return true;
    }

    /// <summary>A boolean where the general loop reads one; false where it would word a type error.</summary>
    private bool TrySetBoolean(LogField known, bool value)
    {
        if (!TakesBoolean(known)) return false;
        SetBoolean(known, value);
        return true;
    }

    /// <summary>Fields whose value may be written as a JSON number and is read as its text: numeric ids, and Unix
    /// time (<c>asn</c> is read as an integer apart).</summary>
    private static bool TakesNumberText(LogField field) => field is LogField.Account or LogField.Tenant or LogField.Device or LogField.Ts;

    /// <summary>Fields whose value may be a JSON boolean.</summary>
    private static bool TakesBoolean(LogField field) => field is LogField.Takeover or LogField.StepUp or LogField.Outcome;

    /// <param name="field">One of <see cref="TakesBoolean"/>'s fields.</param>
    private void SetBoolean(LogField field, bool value)
    {
        switch (field)
        {
            case LogField.Takeover: _builder.SetTakeover(value); break;
            case LogField.StepUp: _builder.SetStepUp(value); break;
            case LogField.Outcome: _builder.SetOutcome(value ? LoginOutcome.Success : LoginOutcome.WrongSecret); break;   // "did the login succeed"
            default: throw new UnreachableException($"{field} takes no boolean.");
        }
    }

    /// <summary>The string at <paramref name="i"/> (its opening quote) when it is plain; <paramref name="i"/> then
    /// follows its closing quote.</summary>
    private static bool TryString(ReadOnlySpan<byte> line, ref int i, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (i >= line.Length || line[i] != (byte)'"') return false;
        int start = i + 1;
        int length = line[start..].IndexOfAnyExcept(s_plain);
        if (length < 0 || line[start + length] != (byte)'"') return false;
        text = line.Slice(start, length);
        i = start + length + 1;
        return true;
    }

    /// <summary>The integer at <paramref name="i"/> as JSON writes one (<c>-?(0|[1-9][0-9]*)</c>). A fraction, an
    /// exponent or a digit after a leading zero is then not followed by a comma or a brace, so the line is declined.</summary>
    private static bool TryInteger(ReadOnlySpan<byte> line, ref int i, out ReadOnlySpan<byte> digits)
    {
        digits = default;
        int start = i, at = i;
        if (line[at] == (byte)'-') at++;
        if (at >= line.Length || !char.IsAsciiDigit((char)line[at])) return false;
        if (line[at++] != (byte)'0')
            while (at < line.Length && char.IsAsciiDigit((char)line[at])) at++;
        digits = line[start..at];
        i = at;
        return true;
    }

    private static bool TryLiteral(ReadOnlySpan<byte> line, ref int i, ReadOnlySpan<byte> literal)
    {
        if (!line[i..].StartsWith(literal)) return false;
        i += literal.Length;
        return true;
    }

    /// <summary>JSON's blanks inside a line: space, tab and carriage return.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipSpace(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r') i++;
        return i;
    }

    /// <summary>Printable ASCII as characters, in the reused buffer <see cref="Chars"/> fills.</summary>
    private ReadOnlySpan<char> Widen(ReadOnlySpan<byte> ascii)
    {
        System.Text.Ascii.ToUtf16(ascii, _chars, out int count);
        return _chars.AsSpan(0, count);
    }

    // The fields' wire names as UTF-8, from the one list of them (LogFieldNames).
    private static readonly (byte[] Name, LogField Field)[] s_names =
        [.. LogFieldNames.All.Select(f => (Encoding.UTF8.GetBytes(f.ToWireName()), f))];

    /// <remarks>A bool and an out value, not a <c>LogField?</c>: the JIT built the nullable with two narrow stores and
    /// read it back with one wide load, which the CPU cannot forward from its store buffer. That stall, a dozen times a
    /// line, was 4 % of replay's parsing thread on JSONL.</remarks>
    /// <param name="text">The name as written, without escapes.</param>
    /// <param name="previous">The line's name before it (<see cref="LineStart"/> for the first); becomes this one.</param>
    private bool TryMatch(ReadOnlySpan<byte> text, ref int previous, out LogField field)
    {
        // The name that followed the previous one on the line before first: one comparison for most names of a log. In
        // the loop below, the length check's branch goes another way for each field of a line, and that one
        // instruction held 3 % of the parsing thread's samples on JSONL (docs/BENCHMARKS.md, "Replay speed").
        int before = previous;
        if (_next[before] is var expected and >= 0 && text.SequenceEqual(_names[expected].Name))
        {
            previous = expected;
            field = _names[expected].Field;
            return true;
        }
        // Lengths first: a line has a dozen names, and comparing each with all thirteen was the reader's largest
        // cost after the JSON scanner itself.
        for (int i = 0; i < _names.Length; i++)
        {
            if (_names[i].Name.Length == text.Length && text.SequenceEqual(_names[i].Name))
            {
                _next[before] = previous = i;
                field = _names[i].Field;
                return true;
            }
        }
        // Another case (IP, Account, User_Agent): exports write names as their tools like. Only names no field took
        // exactly come here, so Mamori's own logs pay nothing.
        for (int i = 0; i < _names.Length; i++)
        {
            if (_names[i].Name.Length == text.Length && System.Text.Ascii.EqualsIgnoreCase(text, _names[i].Name))
            {
                previous = i;
                field = _names[i].Field;
                return true;
            }
        }
        _next[before] = -1;   // an unknown name is not compared in place: the full search finds it unknown
        previous = UnknownName;
        field = default;
        return false;
    }

    /// <summary>A name written with escapes (<c>"\u0074s"</c> is <c>ts</c>): compared unescaped.</summary>
    private bool TryMatchEscaped(ref Utf8JsonReader reader, ref int previous, out LogField field)
    {
        for (int i = 0; i < _names.Length; i++)
        {
            if (reader.ValueTextEquals(_names[i].Name))
            {
                previous = i;
                field = _names[i].Field;
                return true;
            }
        }
        previous = UnknownName;
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
