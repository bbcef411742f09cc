using System.Text.Json;
using Mamori.Tracing.Model;

namespace Mamori.Tracing.Input;

/// <summary>Reads transfers from one file, in time order; bad records go to the error log, never into the stream.</summary>
internal abstract class TransferReader(string file) : IDisposable
{
    /// <summary>The file as given.</summary>
    public string File { get; } = file;

    /// <summary>The asset a fee is paid in, when the format has one (nem:xem, eth); null for CSV.</summary>
    public abstract string? NativeAsset { get; }

    /// <summary>Records read (good ones).</summary>
    public long Records { get; protected set; }

    /// <summary>The next transfer, or false at the end.</summary>
    public abstract bool TryRead(out Transfer transfer);

    public virtual void Dispose() { }
}

/// <summary>Base for formats read whole (JSON): records are buffered, put in time order and checked.</summary>
/// <remarks>
/// NIS1's API returns an account's transfers newest first, block exports run oldest first; the direction of
/// a file is taken from the majority of its adjacent pairs, and any record against it is reported as
/// out of order with its JSON path, then left out.
/// </remarks>
internal abstract class BufferedTransferReader(string file, TraceContext context) : TransferReader(file)
{
    /// <summary>Largest JSON file read; exports of a chain's full history belong in CSV, which streams.</summary>
    public const long MaxFileBytes = 1L << 30;

    private List<(Transfer Transfer, string Location)>? _records;
    private int _next;

    protected TraceContext Context { get; } = context;

    /// <summary>Parses the whole file into records.</summary>
    protected abstract void Parse(List<(Transfer Transfer, string Location)> records);

    /// <summary>The file as one JSON document, or null (with the error recorded at its line) when it is not JSON.</summary>
    protected JsonDocument? ParseJsonFile()
    {
        try
        {
            using FileStream stream = System.IO.File.OpenRead(File);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            Context.Errors.Add(File, $"line {ex.LineNumber + 1}", InputErrorCode.MalformedFile, "not valid JSON: " + ex.Message);
            return null;
        }
    }

    public override bool TryRead(out Transfer transfer)
    {
        _records ??= Load();
        if (_next < _records.Count)
        {
            transfer = _records[_next++].Transfer;
            Records++;
            return true;
        }
        transfer = default;
        return false;
    }

    private List<(Transfer, string)> Load()
    {
        var records = new List<(Transfer Transfer, string Location)>();
        var info = new FileInfo(File);
        if (info.Length > MaxFileBytes)
        {
            Context.Errors.Add(File, "file", InputErrorCode.MalformedFile, $"{info.Length} bytes is above the {MaxFileBytes}-byte limit for JSON; convert to CSV");
            return [];
        }
        Parse(records);
        int up = 0, down = 0;
        for (int i = 1; i < records.Count; i++)
        {
            if (records[i].Transfer.Time > records[i - 1].Transfer.Time) up++;
            else if (records[i].Transfer.Time < records[i - 1].Transfer.Time) down++;
        }
        if (down > up)
        {
            // Newest first (the NIS1 API's order); reverse whole transactions, keeping each one's own records together.
            records = ReverseByTransaction(records);
        }
        var ordered = new List<(Transfer, string)>(records.Count);
        long last = long.MinValue;
        foreach ((Transfer t, string location) in records)
        {
            if (t.Time < last)
            {
                Context.Errors.Add(File, location, InputErrorCode.OutOfOrderTime,
                    $"time {DateTimeOffset.FromUnixTimeSeconds(t.Time):O} is before {DateTimeOffset.FromUnixTimeSeconds(last):O} of the record before it");
                continue;
            }
            last = t.Time;
            ordered.Add((t, location));
        }
        return ordered;
    }

    private static List<(Transfer, string)> ReverseByTransaction(List<(Transfer Transfer, string Location)> records)
    {
        var result = new List<(Transfer, string)>(records.Count);
        int end = records.Count;
        while (end > 0)
        {
            int start = end - 1;
            while (start > 0 && records[start - 1].Location == records[end - 1].Location) start--;
            for (int i = start; i < end; i++) result.Add(records[i]);
            end = start;
        }
        return result;
    }
}
