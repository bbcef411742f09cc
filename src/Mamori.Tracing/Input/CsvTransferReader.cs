using System.Globalization;
using Mamori.Tracing.Model;
using nietras.SeparatedValues;

namespace Mamori.Tracing.Input;

/// <summary>Streams the generic transfer CSV: <c>time,from,to,amount,asset,tx_id,message</c> (+ optional <c>fee</c>).</summary>
/// <remarks>
/// The scale format: read with Sep, one row at a time, spans only — a known address or asset costs a
/// dictionary lookup and no allocation, so 100M rows stream in bounded memory. Time is Unix seconds or
/// ISO 8601; amounts and fees are integer base units. Rows must be in time order (equal times allowed);
/// a row earlier than the one before is reported with its line number and left out.
/// </remarks>
internal sealed class CsvTransferReader : TransferReader
{
    /// <summary>Column names; <c>fee</c> and <c>message</c> may be absent.</summary>
    public static readonly string[] RequiredColumns = ["time", "from", "to", "amount", "asset", "tx_id"];

    /// <summary>The file name that means standard input.</summary>
    public const string StandardInput = "-";

    private readonly TraceContext _context;
    private readonly SepReader? _reader;
    private readonly int _time, _from, _to, _amount, _asset, _tx, _message = -1, _fee = -1;
    private long _last = long.MinValue;

    /// <summary>Rows read ahead of parsing (see <see cref="Fill"/>).</summary>
    private const int ReadAhead = 16;
    private const int FieldCount = 8;
    private const int FieldTime = 0, FieldFrom = 1, FieldTo = 2, FieldAmount = 3, FieldFee = 4, FieldAsset = 5, FieldTx = 6, FieldMessage = 7;
    private char[] _chars = new char[ReadAhead * 256];
    private readonly (int Start, int Length)[] _fields = new (int, int)[ReadAhead * FieldCount];
    private readonly int[] _lines = new int[ReadAhead];
    private readonly int[] _colCounts = new int[ReadAhead];
    private int _buffered, _next;
    private int _lastAssetId = -1;
    private string _lastAsset = "";

    public CsvTransferReader(string file, TraceContext context) : base(file)
    {
        _context = context;
        try
        {
            var sep = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true });
            // "-" is standard input, so a generated or decompressed stream can be traced without a file on disk.
            _reader = file == StandardInput ? sep.From(Console.OpenStandardInput()) : sep.FromFile(file);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException)
        {
            context.Errors.Add(file, "line 1", InputErrorCode.MalformedFile, ex.Message);
            return;
        }
        var header = _reader.Header;
        var missing = RequiredColumns.Where(c => !header.TryIndexOf(c, out _)).ToList();
        if (missing.Count > 0)
        {
            context.Errors.Add(file, "line 1", InputErrorCode.MalformedFile,
                $"missing column(s) {string.Join(", ", missing)}; the header must have {string.Join(",", RequiredColumns)}[,fee][,message]");
            _reader.Dispose();
            _reader = null;
            return;
        }
        _time = header.IndexOf("time");
        _from = header.IndexOf("from");
        _to = header.IndexOf("to");
        _amount = header.IndexOf("amount");
        _asset = header.IndexOf("asset");
        _tx = header.IndexOf("tx_id");
        if (header.TryIndexOf("message", out int message)) _message = message;
        if (header.TryIndexOf("fee", out int fee)) _fee = fee;
    }

    public override string? NativeAsset => null;

    public override bool TryRead(out Transfer transfer)
    {
        transfer = default;
        if (_reader is null) return false;
        while (true)
        {
            if (_next == _buffered && !Fill()) return false;
            if (TryParse(_next++, out transfer))
            {
                Records++;
                return true;
            }
        }
    }

    /// <summary>Copies the next rows' fields aside and prefetches their addresses' table slots.</summary>
    /// <remarks>Address lookups are the reader's main cost and each is a cache miss into a table the size of the
    /// account set; starting <see cref="ReadAhead"/> rows' lookups together lets the misses overlap. Sep's row is
    /// only valid until the next one is read, hence the copy (about 130 characters a row).</remarks>
    private bool Fill()
    {
        _buffered = _next = 0;
        int used = 0;
        while (_buffered < ReadAhead && _reader!.MoveNext())
        {
            SepReader.Row row = _reader.Current;
            int r = _buffered++;
            _lines[r] = row.LineNumberFrom;
            _colCounts[r] = row.ColCount;
            Copy(row, _time, r, FieldTime, ref used);
            Copy(row, _from, r, FieldFrom, ref used);
            Copy(row, _to, r, FieldTo, ref used);
            Copy(row, _amount, r, FieldAmount, ref used);
            Copy(row, _fee, r, FieldFee, ref used);
            Copy(row, _asset, r, FieldAsset, ref used);
            Copy(row, _tx, r, FieldTx, ref used);
            Copy(row, _message, r, FieldMessage, ref used);
            _context.Addresses.Prefetch(Field(r, FieldFrom));
            _context.Addresses.Prefetch(Field(r, FieldTo));
        }
        return _buffered > 0;
    }

    private void Copy(SepReader.Row row, int column, int r, int field, ref int used)
    {
        ReadOnlySpan<char> text = column >= 0 && column < row.ColCount ? row[column].Span : [];
        if (used + text.Length > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, used + text.Length));
        text.CopyTo(_chars.AsSpan(used));
        _fields[r * FieldCount + field] = (used, text.Length);
        used += text.Length;
    }

    private ReadOnlySpan<char> Field(int r, int field)
    {
        (int start, int length) = _fields[r * FieldCount + field];
        return _chars.AsSpan(start, length);
    }

    private bool TryParse(int r, out Transfer transfer)
    {
        transfer = default;
        int line = _lines[r];
        int colCount = _colCounts[r];
        if (colCount <= Math.Max(_time, Math.Max(_from, Math.Max(_to, Math.Max(_amount, Math.Max(_asset, _tx))))))
            return Fail(line, InputErrorCode.MissingField, $"{colCount} columns, fewer than the header names");
        if (!TryParseTime(Field(r, FieldTime), out long time))
            return Fail(line, InputErrorCode.BadNumber, $"time '{Short(Field(r, FieldTime))}' is neither Unix seconds nor ISO 8601");
        if (!TryParseAmount(Field(r, FieldAmount), "amount", line, out long amount)) return false;
        long fee = 0;
        if (!Field(r, FieldFee).Trim().IsEmpty && !TryParseAmount(Field(r, FieldFee), "fee", line, out fee)) return false;
        if (!_context.Addresses.TryGetAccount(Field(r, FieldFrom), out int from, out string? reason))
            return Fail(line, InputErrorCode.MalformedAddress, $"from '{Short(Field(r, FieldFrom))}': {reason}");
        if (!_context.Addresses.TryGetAccount(Field(r, FieldTo), out int to, out reason))
            return Fail(line, InputErrorCode.MalformedAddress, $"to '{Short(Field(r, FieldTo))}': {reason}");
        ReadOnlySpan<char> assetText = Field(r, FieldAsset).Trim();
        if (assetText.IsEmpty) return Fail(line, InputErrorCode.MissingField, "empty asset");
        ReadOnlySpan<char> txId = Field(r, FieldTx).Trim();
        if (txId.IsEmpty) return Fail(line, InputErrorCode.MissingField, "empty tx_id");
        if (time < _last)
        {
            return Fail(line, InputErrorCode.OutOfOrderTime,
                $"time {DateTimeOffset.FromUnixTimeSeconds(time):O} is before {DateTimeOffset.FromUnixTimeSeconds(_last):O} of the row before it");
        }
        _last = time;
        int asset = AssetId(assetText);
        ReadOnlySpan<char> message = Field(r, FieldMessage);
        transfer = new Transfer(time, from, to, amount, fee, asset, _context.TagFor(to, message), TraceContext.HashTxId(txId));
        return true;
    }

    private int AssetId(ReadOnlySpan<char> asset)
    {
        // Nearly every row repeats the previous asset; skip the dictionary then.
        if (_lastAssetId >= 0 && asset.SequenceEqual(_lastAsset)) return _lastAssetId;
        _lastAssetId = _context.Assets.GetOrAdd(asset);
        _lastAsset = _context.Assets[_lastAssetId];
        return _lastAssetId;
    }

    private bool TryParseAmount(ReadOnlySpan<char> text, string field, int line, out long value)
    {
        text = text.Trim();
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            return Fail(line, InputErrorCode.BadNumber, $"{field} '{Short(text)}' is not an integer number of base units");
        if (value < 0) return Fail(line, InputErrorCode.NegativeAmount, $"{field} {value} is negative");
        return true;
    }

    internal static bool TryParseTime(ReadOnlySpan<char> text, out long unixSeconds)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out unixSeconds)) return true;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset at))
        {
            unixSeconds = at.ToUnixTimeSeconds();
            return true;
        }
        return false;
    }

    private bool Fail(int line, InputErrorCode code, string message)
    {
        _context.Errors.Add(File, $"line {line}", code, message);
        return false;
    }

    private static string Short(ReadOnlySpan<char> text) => text.Length <= 80 ? text.ToString() : text[..80].ToString() + "…";

    public override void Dispose() => _reader?.Dispose();
}
