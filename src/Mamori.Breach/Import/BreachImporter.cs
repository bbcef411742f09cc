using Mamori.Breach.Index;

namespace Mamori.Breach.Import;

/// <summary>Loads a Pwned Passwords corpus (<c>HASH:COUNT</c> lines, sorted or not, any size) into a range index.</summary>
/// <remarks>
/// <para>Streaming external sort: lines are parsed from fixed-size chunks into an array of at most
/// <see cref="BreachImportOptions.RecordsPerRun"/> records; a full array is sorted and spilled as a run file under
/// <c>breach/.import-work/</c>; at the end the runs are k-way merged (one pass) straight into the index format.
/// One array fills while the previous one is sorted and written on another core. Memory is the two run arrays plus
/// a 1 MiB buffer per run at merge time, whatever the file's size.</para>
/// <para>Crash safety: the index is built as a temp file in the work folder, flushed to disk, and only then renamed
/// over <c>breach/pwned-&lt;mode&gt;.idx</c>, so a crash, a kill or a rejected corpus leaves the previous index as it
/// was. A restarted import <b>starts over</b>: it deletes the work folder a dead import left behind and reads the
/// corpus from the start (resuming from spilled runs would need the corpus to be proven unchanged, and a restart
/// costs only the read-and-sort phase).</para>
/// </remarks>
internal static class BreachImporter
{
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static BreachImportResult Import(
        string corpusPath,
        string dataFolder,
        BreachImportOptions options,
        IProgress<BreachImportProgress>? progress = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        time ??= TimeProvider.System;
        long started = time.GetTimestamp();
        if (!File.Exists(corpusPath)) throw new BreachImportException($"Corpus file not found: {corpusPath}");

        string folder = BreachPaths.Folder(dataFolder);
        // A data folder made here is Mamori's own (0700), as the server makes it: the index sits beside the database.
        if (!Directory.Exists(dataFolder) && !OperatingSystem.IsWindows())
            Directory.CreateDirectory(dataFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(folder);
        using FileStream importLock = AcquireLock(folder);
        string work = BreachPaths.WorkFolder(dataFolder);
        // A work folder here belongs to an import that died (we hold the lock): its runs are not trusted, start over.
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        Directory.CreateDirectory(work);
        try
        {
            return ImportCore(corpusPath, dataFolder, work, options, progress, time, started, cancellationToken);
        }
        finally
        {
            TryDeleteFolder(work);
        }
    }

    private static BreachImportResult ImportCore(
        string corpusPath, string dataFolder, string work, BreachImportOptions options,
        IProgress<BreachImportProgress>? progress, TimeProvider time, long started, CancellationToken ct)
    {
        long totalBytes = new FileInfo(corpusPath).Length;
        // No valid line is shorter than 34 bytes (32-hex NTLM, ':', one digit), so this many records always suffice.
        var state = new ReadState(options.Mode, options.RecordsPerRun, (int)Math.Min(options.RecordsPerRun, totalBytes / 34 + 1), work);
        if (options.RejectedLinesPath is { } rejectedPath)
            state.RejectedWriter = new StreamWriter(rejectedPath, append: false, new System.Text.UTF8Encoding(false));
        try
        {
            return ImportRuns(corpusPath, dataFolder, work, options, progress, time, started, totalBytes, state, ct);
        }
        finally
        {
            // Never leave a spill writing into the work folder that the caller is about to delete.
            if (state.PendingSpill is { } pending) Task.WhenAny(pending).Wait(CancellationToken.None);
            state.RejectedWriter?.Dispose();
        }
    }

    private static BreachImportResult ImportRuns(
        string corpusPath, string dataFolder, string work, BreachImportOptions options,
        IProgress<BreachImportProgress>? progress, TimeProvider time, long started, long totalBytes, ReadState state, CancellationToken ct)
    {
        List<string> runs = state.Runs;

        using (var corpus = new FileStream(corpusPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            byte[] buffer = new byte[options.ReadChunkBytes];
            int filled = 0;
            long bytesRead = 0;
            bool first = true;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                int read = corpus.Read(buffer, filled, buffer.Length - filled);
                bytesRead += read;
                filled += read;
                bool end = read == 0;
                int start = 0;
                if (first && filled >= 3 && buffer.AsSpan(0, 3).SequenceEqual(Utf8ByteOrderMark))
                    start = 3;   // a UTF-8 byte-order mark from a text editor is not part of the first line
                if (filled >= 3 || end) first = false;
                int consumed = ProcessLines(buffer.AsSpan(start, filled - start), end, state) + start;
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                progress?.Report(new BreachImportProgress(BreachImportPhase.Reading, bytesRead, totalBytes, state.LineNumber));
                if (end) break;
            }
        }

        if (state.Mode is not { } mode || state.Loaded == 0)
            throw new BreachImportException(
                $"No line of {corpusPath} is a valid HASH:COUNT line ({state.LineNumber} lines read, {state.Rejected} rejected). Nothing was changed.",
                state.RejectedLines) { CorpusRefused = true };
        // Checked before anything is written: a mostly-bad file is the wrong file, and its few good lines must not
        // replace a full index (see BreachImportOptions.AcceptBadLines).
        if (!options.AcceptBadLines && state.Rejected * 2 > state.LineNumber)
            throw new BreachImportException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{state.Rejected:N0} of {state.LineNumber:N0} lines of {corpusPath} were rejected (more than half; the first bad one is line {state.RejectedLines[0].LineNumber}: {state.RejectedLines[0].Reason}).")
                + " This does not look like a Pwned Passwords corpus; nothing was changed. If it is the right file, import it with --accept-bad-lines (AcceptBadLines).",
                state.RejectedLines) { CorpusRefused = true };

        WaitForSpill(state);
        Span<HashRecord> last = state.Records.AsSpan(0, state.Count);
        last.Sort();
        if (runs.Count > 0 && state.Count > 0)
        {
            runs.Add(SpillPath(work, runs.Count));
            RunFile.Write(runs[^1], last);
            state.Count = 0;
        }
        state.Spare = null;

        string temp = Path.Combine(work, "index.tmp");
        long indexBytes;
        long entries;
        long duplicates;
        using (var writer = new IndexWriter(temp, mode))
        {
            if (runs.Count == 0)
            {
                for (int i = 0; i < last.Length; i++)
                {
                    writer.Add(last[i]);
                    if ((i & 0xFFFFF) == 0) ReportMerge(progress, i, state);
                }
            }
            else
            {
                state.Records = [];   // let the run array go before the merge buffers are allocated
                Merge(runs, writer, progress, state, ct);
            }
            // Progress is reported every 2^20 hashes while merging, so a small corpus would end on "0 %" without this.
            ReportMerge(progress, state.Loaded, state);
            indexBytes = writer.Complete(time.GetUtcNow().ToUnixTimeMilliseconds(), state.Loaded, state.Rejected);
            entries = writer.Entries;
            duplicates = writer.Duplicates;
        }

        ct.ThrowIfCancellationRequested();
        string target = BreachPaths.IndexFile(dataFolder, mode);
        File.Move(temp, target, overwrite: true);   // atomic rename on one file system: readers see old or new, never half
        progress?.Report(new BreachImportProgress(BreachImportPhase.Done, state.Loaded, state.Loaded, state.LineNumber));
        return new BreachImportResult(
            mode, target, state.LineNumber, state.Loaded, state.Rejected, duplicates, entries, indexBytes, runs.Count,
            state.RejectedLines, time.GetElapsedTime(started));
    }

    /// <summary>Parses every complete line in <paramref name="data"/> (and a final unterminated one at the end of the
    /// file); returns the bytes consumed. An over-long line is rejected and skipped without being buffered.</summary>
    private static int ProcessLines(ReadOnlySpan<byte> data, bool endOfFile, ReadState state)
    {
        int consumed = 0;
        while (consumed < data.Length)
        {
            ReadOnlySpan<byte> rest = data[consumed..];
            int newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (state.SkippingLongLine)
                    return data.Length;   // still inside the over-long line: drop what we have
                if (rest.Length > CorpusLineParser.MaxLineBytes)
                {
                    state.LineNumber++;
                    state.Reject(CorpusLineParser.LineTooLong);
                    state.SkippingLongLine = true;
                    return data.Length;
                }
                if (!endOfFile) return consumed;   // keep the partial line for the next chunk
                ParseLine(rest, state);
                return data.Length;
            }

            ReadOnlySpan<byte> line = rest[..newline];
            consumed += newline + 1;
            if (state.SkippingLongLine)
            {
                state.SkippingLongLine = false;   // the over-long line ends here; it was counted when it started
                continue;
            }
            if (line.Length > CorpusLineParser.MaxLineBytes)
            {
                state.LineNumber++;
                state.Reject(CorpusLineParser.LineTooLong);
                continue;
            }
            ParseLine(line, state);
        }
        return consumed;
    }

    private static void ParseLine(ReadOnlySpan<byte> line, ReadState state)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        state.LineNumber++;
        PwnedHashMode? mode = state.Mode;
        string? reason = CorpusLineParser.TryParse(line, ref mode, out HashRecord record);
        if (reason is not null)
        {
            state.Reject(reason);
            return;
        }
        state.Mode = mode;
        state.Loaded++;
        if (state.Count == state.Records.Length && state.Records.Length < state.RecordsPerRun)
        {
            // Grow towards the memory limit only as the corpus needs it: a small file never costs the whole budget.
            HashRecord[] larger = new HashRecord[(int)Math.Min(state.RecordsPerRun, state.Records.Length * 2L)];
            state.Records.AsSpan(0, state.Count).CopyTo(larger);
            state.Records = larger;
        }
        state.Records[state.Count++] = record;
        if (state.Count == state.RecordsPerRun) SpillFull(state);
    }

    /// <summary>Hands the full run array to a background task that sorts and writes it (the second core), and goes on
    /// parsing into the spare array. At most one spill is in flight, so memory stays at two run arrays.</summary>
    private static void SpillFull(ReadState state)
    {
        HashRecord[] full = state.Records;
        int count = state.Count;
        string path = SpillPath(state.Work, state.Runs.Count);
        state.Runs.Add(path);
        WaitForSpill(state);
        state.Records = state.Spare ?? new HashRecord[full.Length];
        state.Spare = null;
        state.Count = 0;
        state.PendingSpill = Task.Run(() =>
        {
            Span<HashRecord> records = full.AsSpan(0, count);
            records.Sort();
            RunFile.Write(path, records);
            state.Spare = full;   // read only after the task is awaited
        });
    }

    /// <summary>Waits for the spill in flight, if any, and rethrows its failure (a full disk, say).</summary>
    private static void WaitForSpill(ReadState state)
    {
        Task? pending = state.PendingSpill;
        state.PendingSpill = null;
        pending?.GetAwaiter().GetResult();
    }

    private static void Merge(List<string> runs, IndexWriter writer, IProgress<BreachImportProgress>? progress, ReadState state, CancellationToken ct)
    {
        var readers = new List<RunFile.Reader>(runs.Count);
        try
        {
            var heads = new PriorityQueue<int, HashRecord>(runs.Count);
            foreach (string run in runs)
            {
                var reader = new RunFile.Reader(run);
                readers.Add(reader);
                if (reader.TryRead(out HashRecord first)) heads.Enqueue(readers.Count - 1, first);
            }
            long merged = 0;
            while (heads.TryDequeue(out int index, out HashRecord record))
            {
                writer.Add(record);
                if (readers[index].TryRead(out HashRecord next)) heads.Enqueue(index, next);
                if ((++merged & 0xFFFFF) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                    ReportMerge(progress, merged, state);
                }
            }
        }
        finally
        {
            foreach (RunFile.Reader reader in readers) reader.Dispose();
        }
    }

    private static void ReportMerge(IProgress<BreachImportProgress>? progress, long merged, ReadState state) =>
        progress?.Report(new BreachImportProgress(BreachImportPhase.Merging, merged, state.Loaded, state.LineNumber));

    private static string SpillPath(string work, int index) => Path.Combine(work, $"run-{index:D5}.bin");

    private static FileStream AcquireLock(string folder)
    {
        try
        {
            return new FileStream(Path.Combine(folder, BreachPaths.LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new BreachImportException($"Another import is running on {folder} ({ex.Message}). Nothing was changed.");
        }
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next import, which deletes it before it starts.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    /// <summary>Mutable state of the reading phase.</summary>
    private sealed class ReadState(PwnedHashMode? mode, int recordsPerRun, int initialRecords, string work)
    {
        private readonly List<RejectedLine> _rejected = [];

        public PwnedHashMode? Mode { get; set; } = mode;
        public int RecordsPerRun { get; } = recordsPerRun;
        public string Work { get; } = work;
        public List<string> Runs { get; } = [];
        public HashRecord[] Records { get; set; } = new HashRecord[Math.Max(1, initialRecords)];
        public HashRecord[]? Spare { get; set; }
        public Task? PendingSpill { get; set; }
        public StreamWriter? RejectedWriter { get; set; }
        public int Count { get; set; }
        public long LineNumber { get; set; }
        public long Loaded { get; set; }
        public long Rejected { get; private set; }
        public bool SkippingLongLine { get; set; }
        public IReadOnlyList<RejectedLine> RejectedLines => _rejected;

        /// <summary>Counts the current line (<see cref="LineNumber"/>, already advanced) as rejected.</summary>
        public void Reject(string reason)
        {
            RejectedWriter?.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {LineNumber}: {reason}"));
            Rejected++;
            if (_rejected.Count < BreachImportResult.MaxRejectedReported) _rejected.Add(new RejectedLine(LineNumber, reason));
        }
    }
}
