using System.Buffers.Binary;
using Mamori.Breach.Index;

namespace Mamori.Breach.Import;

/// <summary>Writes an index file from hashes fed in ascending order, adding up the counts of repeated hashes.</summary>
/// <remarks>Not thread-safe. The data is written after a reserved header and bucket table, which are filled in by
/// <see cref="Complete"/> once every bucket's offset is known; the file is flushed to disk before it returns, so the
/// caller may rename it into place.</remarks>
internal sealed class IndexWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly PwnedHashMode _mode;
    private readonly long[] _offsets = new long[IndexFormat.BucketCount + 1];
    private readonly byte[] _entry = new byte[IndexFormat.MaxEntryBytes];
    private int _bucket;
    private int _entriesInBucket;
    private long _dataLength;
    private HashRecord _pending;
    private bool _hasPending;

    public IndexWriter(string path, PwnedHashMode mode)
    {
        _mode = mode;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20);
        _stream.Position = IndexFormat.DataStart;
    }

    /// <summary>Distinct hashes written.</summary>
    public long Entries { get; private set; }

    /// <summary>Hashes that repeated an earlier one and were merged into it.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Adds the next hash; must not sort before the previous one.</summary>
    public void Add(in HashRecord record)
    {
        if (_hasPending)
        {
            int order = _pending.CompareTo(record);
            if (order == 0)
            {
                // Saturate rather than wrap: a count is "at least this many", never a small number by overflow.
                ulong sum = (ulong)_pending.Count + record.Count;
                _pending = _pending with { Count = (uint)Math.Min(sum, uint.MaxValue) };
                Duplicates++;
                return;
            }
            if (order > 0) throw new InvalidOperationException("Hashes must be added in ascending order.");
            WritePending();
        }
        _pending = record;
        _hasPending = true;
    }

    /// <summary>Writes the last hash, the header and the bucket table, and flushes the file to disk.</summary>
    public long Complete(long importedAtUnixMs, long linesLoaded, long linesRejected)
    {
        if (_hasPending) WritePending();
        _hasPending = false;
        for (int b = _bucket + 1; b <= IndexFormat.BucketCount; b++) _offsets[b] = _dataLength;

        byte[] head = new byte[IndexFormat.DataStart];
        new IndexFormat.Header(_mode, Entries, _dataLength, importedAtUnixMs, linesLoaded, linesRejected).Write(head);
        for (int i = 0; i < _offsets.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(IndexFormat.HeaderBytes + i * sizeof(long)), _offsets[i]);
        _stream.Flush();
        _stream.Position = 0;
        _stream.Write(head);
        _stream.Flush(flushToDisk: true);
        return _stream.Length;
    }

    private void WritePending()
    {
        int prefix = _pending.Prefix;
        if (prefix != _bucket)
        {
            for (int b = _bucket + 1; b <= prefix; b++) _offsets[b] = _dataLength;
            _bucket = prefix;
            _entriesInBucket = 0;
        }
        if (++_entriesInBucket > IndexFormat.MaxEntriesPerBucket)
            throw new BreachImportException(
                $"More than {IndexFormat.MaxEntriesPerBucket} hashes share the prefix {prefix:X5}: this is not a hashed " +
                "password corpus (real ones spread evenly over all prefixes). Nothing was changed.");
        int length = IndexFormat.WriteEntry(_entry, _pending, _mode);
        _stream.Write(_entry, 0, length);
        _dataLength += length;
        Entries++;
    }

    public void Dispose() => _stream.Dispose();
}
