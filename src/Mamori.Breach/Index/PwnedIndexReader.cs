using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Mamori.Breach.Index;

/// <summary>Answers range queries from one index file (see <see cref="IndexFormat"/>).</summary>
/// <remarks>
/// Thread-safe: the bucket table is read once into memory (8 MiB) and each query is one positional read
/// (<see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/>) of its bucket, which the page cache keeps
/// hot; nothing is shared between queries. The file is opened with delete sharing so an import can rename a new
/// index over it while this reader still answers from the old one; queries hold a lease (<see cref="TryAcquire"/>)
/// so a retired reader closes its file when its last query ends.
/// </remarks>
internal sealed class PwnedIndexReader : IDisposable
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;
    private static ReadOnlySpan<byte> LineBreak => "\r\n"u8;

    private readonly SafeFileHandle _file;
    private readonly long[] _offsets;
    private int _leases = 1;   // the owner's lease, released by Dispose
    private int _disposed;

    private PwnedIndexReader(SafeFileHandle file, long[] offsets, IndexFormat.Header header, string path)
    {
        _file = file;
        _offsets = offsets;
        Header = header;
        Path = path;
    }

    /// <summary>What the index says about itself.</summary>
    public IndexFormat.Header Header { get; }

    /// <summary>The file this reader answers from.</summary>
    public string Path { get; }

    /// <summary>Hash mode of the index.</summary>
    public PwnedHashMode Mode => Header.Mode;

    /// <summary>Opens and checks an index file.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, of another format, or inconsistent.</exception>
    public static PwnedIndexReader Open(string path)
    {
        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            long length = RandomAccess.GetLength(file);
            if (length < IndexFormat.DataStart)
                throw new InvalidDataException($"{path}: truncated breach index ({length} bytes).");
            Span<byte> headerBytes = stackalloc byte[IndexFormat.HeaderBytes];
            ReadExactly(file, headerBytes, 0);
            if (!IndexFormat.Header.TryRead(headerBytes, out IndexFormat.Header header, out string error))
                throw new InvalidDataException($"{path}: {error}.");
            if (length != IndexFormat.DataStart + header.DataLength)
                throw new InvalidDataException($"{path}: length {length} does not match its header; import the corpus again.");

            var offsets = new long[IndexFormat.BucketCount + 1];
            byte[] table = new byte[IndexFormat.TableBytes];
            ReadExactly(file, table, IndexFormat.HeaderBytes);
            long maxBucketBytes = (long)IndexFormat.MaxEntriesPerBucket * IndexFormat.MaxEntryBytes;
            for (int i = 0; i < offsets.Length; i++)
            {
                offsets[i] = BinaryPrimitives.ReadInt64LittleEndian(table.AsSpan(i * sizeof(long)));
                bool bad = i == 0
                    ? offsets[0] != 0
                    : offsets[i] < offsets[i - 1] || offsets[i] - offsets[i - 1] > maxBucketBytes;
                if (bad) throw new InvalidDataException($"{path}: bucket table is inconsistent at {i}; import the corpus again.");
            }
            if (offsets[^1] != header.DataLength)
                throw new InvalidDataException($"{path}: bucket table does not end at the data length; import the corpus again.");
            return new PwnedIndexReader(file, offsets, header, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Bytes of index data stored under one prefix.</summary>
    public long BucketBytes(int prefix) => _offsets[prefix + 1] - _offsets[prefix];

    /// <summary>Writes the range answer for <paramref name="prefix"/>: <c>SUFFIX:COUNT</c> lines in ascending order,
    /// joined by CRLF with no CRLF after the last line, as the public API does. Returns the number of lines.</summary>
    public int WriteRange(int prefix, IBufferWriter<byte> output)
    {
        int length = checked((int)BucketBytes(prefix));
        if (length == 0) return 0;
        byte[] bucket = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            ReadExactly(_file, bucket.AsSpan(0, length), IndexFormat.DataStart + _offsets[prefix]);
            return FormatBucket(bucket.AsSpan(0, length), Mode, output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bucket);
        }
    }

    /// <summary>Looks one full hash up; false when it is not in the corpus.</summary>
    /// <remarks>For in-process callers (embedded mode, tests): the HTTP API never sees a full hash.</remarks>
    public bool TryGetCount(ReadOnlySpan<byte> hash, out uint count)
    {
        count = 0;
        if (hash.Length != Mode.HashBytes()) throw new ArgumentException($"A {Mode.ToWireName()} hash has {Mode.HashBytes()} bytes.", nameof(hash));
        int prefix = (hash[0] << 12) | (hash[1] << 4) | (hash[2] >> 4);
        int length = checked((int)BucketBytes(prefix));
        if (length == 0) return false;
        byte[] bucket = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> data = bucket.AsSpan(0, length);
            ReadExactly(_file, data, IndexFormat.DataStart + _offsets[prefix]);
            int suffixBytes = IndexFormat.StoredSuffixBytes(Mode);
            ReadOnlySpan<byte> target = hash[2..];
            while (!data.IsEmpty)
            {
                int used = IndexFormat.ReadEntry(data, Mode, out uint entryCount);
                if (used < 0) throw new InvalidDataException($"{Path}: truncated entry in bucket {prefix:X5}.");
                if ((data[0] & 0x0F) == (target[0] & 0x0F) && data[1..suffixBytes].SequenceEqual(target[1..]))
                {
                    count = entryCount;
                    return true;
                }
                data = data[used..];
            }
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bucket);
        }
    }

    private static int FormatBucket(ReadOnlySpan<byte> data, PwnedHashMode mode, IBufferWriter<byte> output)
    {
        int suffixBytes = IndexFormat.StoredSuffixBytes(mode);
        int suffixHex = mode.SuffixHexLength();
        int lines = 0;
        while (!data.IsEmpty)
        {
            int used = IndexFormat.ReadEntry(data, mode, out uint count);
            if (used < 0) throw new InvalidDataException("Truncated entry in a breach index bucket.");
            // CRLF + suffix + ':' + up to 10 count digits.
            Span<byte> line = output.GetSpan(2 + suffixHex + 1 + 10);
            int at = 0;
            if (lines > 0)
            {
                LineBreak.CopyTo(line);
                at = 2;
            }
            line[at++] = HexDigits[data[0] & 0x0F];
            for (int i = 1; i < suffixBytes; i++)
            {
                line[at++] = HexDigits[data[i] >> 4];
                line[at++] = HexDigits[data[i] & 0x0F];
            }
            line[at++] = (byte)':';
            count.TryFormat(line[at..], out int digits, default, CultureInfo.InvariantCulture);
            output.Advance(at + digits);
            data = data[used..];
            lines++;
        }
        return lines;
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(file, buffer, offset);
            if (read <= 0) throw new InvalidDataException("Breach index ended early; import the corpus again.");
            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>Takes a lease for one query; false once the reader is retired (the caller fetches the new one).</summary>
    /// <remarks>Leases let a replaced index's file be closed as soon as its last query ends, so the disk space of an
    /// index that a re-import replaced (tens of GB for the public corpus) comes back at once, not at some later GC.</remarks>
    public bool TryAcquire()
    {
        while (true)
        {
            int leases = Volatile.Read(ref _leases);
            if (leases == 0) return false;
            if (Interlocked.CompareExchange(ref _leases, leases + 1, leases) == leases) return true;
        }
    }

    /// <summary>Ends a lease from <see cref="TryAcquire"/>; the last one closes the file.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0) _file.Dispose();
    }

    /// <summary>True once the file is closed (retired and no query left).</summary>
    internal bool IsClosed => _file.IsClosed;

    /// <summary>Retires the reader: releases the owner's lease; the file closes when the last query's lease ends.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Release();
    }
}
