using Mamori.Breach.Index;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mamori.Breach;

/// <summary>The imported breached-password indexes (SHA-1 and NTLM) of one data folder, for the range endpoint,
/// <c>/healthz</c> and in-process checks.</summary>
/// <remarks>
/// Thread-safe. Each index is opened once and swapped for a new reader when an import replaces its file (checked at
/// most every <see cref="BreachIndexOptions.ReloadInterval"/>), so a server picks up a new corpus without a restart.
/// With no index the service still starts: every answer says "not loaded", never "not breached" (issue 5, part 4).
/// A replaced index's file is closed when the last query using it ends (queries hold a lease).
/// </remarks>
public sealed partial class BreachIndex : IDisposable
{
    private readonly string _dataFolder;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _reloadTicks;
    private readonly Slot[] _slots;
    private readonly Lock _refreshLock = new();
    private long _lastCheck;

    internal BreachIndex(BreachIndexOptions options, TimeProvider time, ILogger<BreachIndex>? logger = null)
    {
        _dataFolder = options.DataFolder;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _reloadTicks = (long)(options.ReloadInterval.TotalSeconds * time.TimestampFrequency);
        _slots = [new Slot(PwnedHashMode.Sha1), new Slot(PwnedHashMode.Ntlm)];
        RequireApiKey = options.RequireApiKey;
        Refresh();
        _lastCheck = time.GetTimestamp();
    }

    /// <summary>Whether the range endpoint requires authentication (copied from the options at start).</summary>
    public bool RequireApiKey { get; }

    /// <summary>What is loaded now.</summary>
    public BreachIndexStatus Status
    {
        get
        {
            RefreshIfDue();
            BreachCorpusStatus sha1 = _slots[0].Status;
            return new BreachIndexStatus(sha1.State, sha1, _slots[1].Status);
        }
    }

    /// <summary>Checks one full hash (20 bytes SHA-1 or 16 bytes NTLM) in process.</summary>
    /// <remarks>For embedded mode: the hash never leaves the process. The HTTP API only ever sees 5-hex prefixes.</remarks>
    /// <exception cref="ArgumentException">The hash is not 20 (SHA-1) or 16 (NTLM) bytes long.</exception>
    public BreachCheckResult Check(PwnedHashMode mode, ReadOnlySpan<byte> hash, out uint count)
    {
        count = 0;
        PwnedIndexReader? reader = AcquireReader(mode);
        if (reader is null) return BreachCheckResult.NotLoaded;
        try
        {
            return reader.TryGetCount(hash, out count) ? BreachCheckResult.Breached : BreachCheckResult.NotBreached;
        }
        finally
        {
            reader.Release();
        }
    }

    /// <summary>The reader for a mode with a lease taken (the caller must <see cref="PwnedIndexReader.Release"/> it),
    /// or null when none is loaded.</summary>
    internal PwnedIndexReader? AcquireReader(PwnedHashMode mode)
    {
        RefreshIfDue();
        Slot slot = _slots[mode == PwnedHashMode.Sha1 ? 0 : 1];
        while (true)
        {
            PwnedIndexReader? reader = slot.Reader;
            if (reader is null || reader.TryAcquire()) return reader;
            // Retired between the read and the lease: the slot already holds its successor (or nothing).
        }
    }

    private void RefreshIfDue()
    {
        long now = _time.GetTimestamp();
        if (now - Volatile.Read(ref _lastCheck) < _reloadTicks) return;
        if (!_refreshLock.TryEnter()) return;   // another query is already checking; answer from what is loaded
        try
        {
            if (now - _lastCheck < _reloadTicks) return;
            Refresh();
            Volatile.Write(ref _lastCheck, _time.GetTimestamp());
        }
        finally
        {
            _refreshLock.Exit();
        }
    }

    private void Refresh()
    {
        foreach (Slot slot in _slots)
        {
            string path = BreachPaths.IndexFile(_dataFolder, slot.Mode);
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                if (slot.Reader is not null) Log.IndexRemoved(_logger, slot.Mode.ToWireName(), path);
                slot.Set(null, null, BreachCorpusStatus.NotLoaded);
                continue;
            }
            var identity = (file.Length, file.LastWriteTimeUtc);
            if (slot.Identity == identity) continue;
            try
            {
                PwnedIndexReader reader = PwnedIndexReader.Open(path);
                IndexFormat.Header header = reader.Header;
                if (header.Mode != slot.Mode)
                {
                    reader.Dispose();
                    throw new InvalidDataException($"{path} holds {header.Mode.ToWireName()} hashes.");
                }
                slot.Set(reader, identity, new BreachCorpusStatus(
                    BreachIndexState.Loaded, header.EntryCount,
                    DateTimeOffset.FromUnixTimeMilliseconds(header.ImportedAtUnixMs), null));
                Log.IndexLoaded(_logger, slot.Mode.ToWireName(), header.EntryCount, path);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // Keep answering from the previous index if there is one; a broken file never reads as "not breached".
                Log.IndexUnreadable(_logger, slot.Mode.ToWireName(), path, ex);
                BreachCorpusStatus previous = slot.Status;
                slot.Set(slot.Reader, identity, previous with { Error = ex.Message });
            }
        }
    }

    /// <summary>Releases the open index files.</summary>
    public void Dispose()
    {
        foreach (Slot slot in _slots) slot.Reader?.Dispose();
    }

    private sealed class Slot(PwnedHashMode mode)
    {
        private volatile PwnedIndexReader? _reader;
        private volatile BreachCorpusStatus _status = BreachCorpusStatus.NotLoaded;

        public PwnedHashMode Mode { get; } = mode;
        public (long Length, DateTime Written)? Identity { get; private set; }
        public PwnedIndexReader? Reader => _reader;
        public BreachCorpusStatus Status => _status;

        public void Set(PwnedIndexReader? reader, (long, DateTime)? identity, BreachCorpusStatus status)
        {
            PwnedIndexReader? previous = _reader;
            _reader = reader;
            _status = status;
            Identity = identity;
            if (previous is not null && !ReferenceEquals(previous, reader)) previous.Dispose();   // closes after its last query
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Breach index ({Mode}) loaded: {Hashes} hashes from {Path}")]
        public static partial void IndexLoaded(ILogger logger, string mode, long hashes, string path);

        [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Breach index ({Mode}) at {Path} could not be opened")]
        public static partial void IndexUnreadable(ILogger logger, string mode, string path, Exception exception);

        [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Breach index ({Mode}) at {Path} was removed; answering not loaded")]
        public static partial void IndexRemoved(ILogger logger, string mode, string path);
    }
}
