using System.ComponentModel.DataAnnotations;

namespace Mamori.Breach.Import;

/// <summary>How <c>mamori breach import</c> reads a corpus and how much memory it may use.</summary>
internal sealed class BreachImportOptions
{
    /// <summary>Hash mode of the corpus, or null to take it from the first well-formed line (40 hex: SHA-1,
    /// 32 hex: NTLM).</summary>
    /// <value>The default is null (detect).</value>
    public PwnedHashMode? Mode { get; set; }

    /// <summary>Memory for sorting lines before they are spilled to a run file under the data folder.</summary>
    /// <remarks>Each line costs 24 bytes, and two run arrays share the limit (one fills while the other is sorted and
    /// spilled), so the default sorts ~11M lines per run: the public SHA-1 corpus (~1 billion lines) makes ~90 runs,
    /// merged in one pass. Lower it on a small host; higher only saves merge work.</remarks>
    /// <value>The default is 512 MiB.</value>
    [Range(16, 64 * 1024)]
    public int MemoryLimitMiB { get; set; } = 512;

    /// <summary>A file to write every rejected line's number and reason to, or null for none.</summary>
    /// <remarks>The result keeps only the first <see cref="BreachImportResult.MaxRejectedReported"/>; a corpus with many
    /// bad lines (a wrong file, a broken download) is diagnosed from this list.</remarks>
    /// <value>The default is null.</value>
    public string? RejectedLinesPath { get; set; }

    /// <summary>Whether an import may replace the index although more than half of the corpus's lines were rejected.</summary>
    /// <remarks>A corpus that is mostly bad is a wrong file (a CSV of logins, a half-written download, an HTML error
    /// page saved as .txt), and its few good lines would replace a full index with a near-empty one: every breached
    /// password would then pass as unknown. Set it only for a corpus known to be that way.</remarks>
    /// <value>The default is false (refuse).</value>
    public bool AcceptBadLines { get; set; }

    /// <summary>Test hook: lines per sorted run, overriding <see cref="MemoryLimitMiB"/>, to force several runs.</summary>
    internal int? RecordsPerRunOverride { get; set; }

    /// <summary>Test hook: bytes read from the corpus per chunk (progress is reported per chunk).</summary>
    internal int ReadChunkBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Lines per sorted run that the memory limit allows.</summary>
    internal int RecordsPerRun => RecordsPerRunOverride
        ?? (int)Math.Min(Array.MaxLength, (long)MemoryLimitMiB * 1024 * 1024 / 2 / Index.HashRecordSize.Bytes);

    /// <summary>Checks the values; throws with every problem at once.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    internal void Validate()
    {
        var problems = new List<string>();
        if (MemoryLimitMiB is < 16 or > 64 * 1024)
            problems.Add($"MemoryLimitMiB must be between 16 and 65536 (was {MemoryLimitMiB}).");
        if (RecordsPerRunOverride is < 1)
            problems.Add("RecordsPerRunOverride must be at least 1.");
        if (ReadChunkBytes < CorpusLineParser.MaxLineBytes * 2)
            problems.Add($"ReadChunkBytes must be at least {CorpusLineParser.MaxLineBytes * 2}.");
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
    }
}

/// <summary>What an import did.</summary>
/// <param name="Mode">Hash mode of the corpus.</param>
/// <param name="IndexPath">The index file now in place.</param>
/// <param name="LinesRead">Every line of the file.</param>
/// <param name="LinesLoaded">Lines that parsed.</param>
/// <param name="LinesRejected">Lines that did not parse (see <paramref name="Rejected"/>).</param>
/// <param name="DuplicatesMerged">Lines whose hash had already appeared; their counts were added up.</param>
/// <param name="HashesStored">Distinct hashes in the index.</param>
/// <param name="IndexBytes">Size of the index file.</param>
/// <param name="RunsSpilled">Sorted runs written to disk (0: the corpus fitted in memory).</param>
/// <param name="Rejected">The first rejected lines with their reasons (at most <see cref="MaxRejectedReported"/>).</param>
/// <param name="Elapsed">Wall time of the import.</param>
internal sealed record BreachImportResult(
    PwnedHashMode Mode,
    string IndexPath,
    long LinesRead,
    long LinesLoaded,
    long LinesRejected,
    long DuplicatesMerged,
    long HashesStored,
    long IndexBytes,
    int RunsSpilled,
    IReadOnlyList<RejectedLine> Rejected,
    TimeSpan Elapsed)
{
    /// <summary>Rejected lines kept with their number and reason; the rest are only counted.</summary>
    public const int MaxRejectedReported = 1000;
}

/// <summary>A corpus line that did not parse.</summary>
/// <param name="LineNumber">1-based line number in the file.</param>
/// <param name="Reason">Why it was rejected.</param>
internal readonly record struct RejectedLine(long LineNumber, string Reason);

/// <summary>Phase of an import, for progress display.</summary>
internal enum BreachImportPhase { Reading, Merging, Done }

/// <summary>Progress of an import; <see cref="Done"/> and <see cref="Total"/> are bytes while reading and hashes while merging.</summary>
internal readonly record struct BreachImportProgress(BreachImportPhase Phase, long Done, long Total, long LinesRead);

/// <summary>An import that could not finish; the existing index was left as it was.</summary>
internal sealed class BreachImportException(string message, IReadOnlyList<RejectedLine>? rejected = null) : Exception(message)
{
    /// <summary>Rejected lines seen before the import stopped, if any.</summary>
    public IReadOnlyList<RejectedLine> Rejected { get; } = rejected ?? [];

    /// <summary>True when the corpus itself was refused (no valid line, or mostly bad lines): the input is wrong, not the
    /// machine, so the CLI answers with its bad-input exit code.</summary>
    public bool CorpusRefused { get; init; }
}
