using System.IO.Compression;

namespace Mamori.Cli.Replay.Readers;

/// <summary>
/// A login log opened for reading: a file or standard input, plain, gzip-compressed (told by its first bytes, not its
/// name) or a zip archive holding one log, as operators export them and as the RBA dataset is published. Carries what
/// the progress bar needs: how far through the file (the compressed one for gzip) reading is, out of how much.
/// </summary>
internal sealed class LogInput : IDisposable
{
    private readonly Stream _source;
    private readonly Func<long> _position;
    private readonly IDisposable? _owner;

    private Func<string?>? _check;

    private LogInput(Stream stream, Stream source, long length, Func<long> position, string name, IDisposable? owner = null)
    {
        Stream = stream;
        _source = source;
        Length = length;
        _position = position;
        Name = name;
        _owner = owner;
    }

    /// <summary>The log's bytes, decompressed.</summary>
    public Stream Stream { get; }

    /// <summary>What <see cref="Position"/> runs up to; 0 when unknown (standard input).</summary>
    public long Length { get; }

    /// <summary>How far reading has come, in the units of <see cref="Length"/>.</summary>
    public long Position => _position();

    /// <summary>The log's own name, to guess its format from: the path without <c>.gz</c>, or the archive's entry.</summary>
    public string Name { get; }

    /// <summary>
    /// After the log was read to its end: why it may not have been whole, or null. A gzip stream cut short ends
    /// without an error in .NET, so its size is checked against the size its trailer records.
    /// </summary>
    public string? IncompleteReason() => _check?.Invoke();

    /// <summary>Opens <paramref name="path"/> (<c>-</c> for standard input).</summary>
    /// <exception cref="InvalidDataException">A zip archive that does not hold exactly one log.</exception>
    public static LogInput Open(string path)
    {
        if (path == "-")
        {
            Stream stdin = Console.OpenStandardInput();
            byte[] head = new byte[2];
            int got = stdin.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            Stream whole = new PrefixedStream(head.AsMemory(0, got), stdin);
            bool gzip = got == 2 && head[0] == 0x1f && head[1] == 0x8b;
            return new LogInput(gzip ? new GZipStream(whole, CompressionMode.Decompress) : whole, whole, 0, () => 0, path);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[4];
            int read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            file.Position = 0;
            if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            {
                string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
                // The trailer's last four bytes: the uncompressed size modulo 2^32 (of the last member, if several). .NET's
                // GZipStream ends without an error where the file is cut short, so this is how a cut is noticed.
                const int MinGzipLength = 18;   // a 10-byte header and an 8-byte trailer
                uint? recorded = null;
                long fileLength = file.Length;
                if (fileLength >= MinGzipLength)
                {
                    Span<byte> trailer = stackalloc byte[4];
                    file.Seek(-4, SeekOrigin.End);
                    file.ReadExactly(trailer);
                    file.Position = 0;
                    recorded = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
                }
                var counted = new CountingStream(new GZipStream(file, CompressionMode.Decompress));
                // Only what is known: a cut file's last bytes are compressed data, not a trailer, so the size they would
                // record means nothing and is not quoted.
                return new LogInput(counted, file, fileLength, () => file.Position, name)
                {
                    _check = () => recorded is null
                        ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"{path}: the gzip stream ends early (truncated?): the file is {fileLength} bytes, too short for a gzip header and trailer")
                        : (uint)counted.BytesRead == recorded ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"{path}: the gzip stream ends early (truncated?): {counted.BytesRead:N0} bytes of log were read and the file does not end with a gzip trailer for them, so the replay may have missed the log's end (a file of several gzip members concatenated also looks so)"),
                };
            }
            if (read == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K' && magic[2] == 3 && magic[3] == 4)
                return OpenZip(path, file);
            return new LogInput(file, file, file.Length, () => file.Position, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static LogInput OpenZip(string path, FileStream file)
    {
        var archive = new ZipArchive(file, ZipArchiveMode.Read);
        var logs = archive.Entries.Where(e => e.Length > 0 && !e.FullName.EndsWith('/') && !e.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal)).ToList();
        if (logs.Count != 1)
        {
            archive.Dispose();
            throw new InvalidDataException(logs.Count == 0
                ? $"{path} is a zip archive with no file in it."
                : $"{path} is a zip archive of {logs.Count} files ({string.Join(", ", logs.Take(5).Select(e => e.FullName))}{(logs.Count > 5 ? ", …" : "")}); unzip the log to replay and give its path.");
        }
        ZipArchiveEntry entry = logs[0];
        var counted = new CountingStream(entry.Open());
        return new LogInput(counted, file, entry.Length, () => counted.BytesRead, entry.FullName, archive);
    }

    public void Dispose()
    {
        Stream.Dispose();
        _owner?.Dispose();
        _source.Dispose();
    }

    /// <summary>Bytes already read from a stream (to tell its format), then the rest of it.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyForwardStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty) return rest.Read(buffer);
            int n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Counts the bytes read through it (a zip entry's stream has no position).</summary>
    private sealed class CountingStream(Stream inner) : ReadOnlyForwardStream
    {
        private long _read;

        public long BytesRead => Volatile.Read(ref _read);

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            Volatile.Write(ref _read, _read + n);
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>The members a forward-only, read-only stream does not have.</summary>
    private abstract class ReadOnlyForwardStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public abstract override int Read(Span<byte> buffer);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
