using System.Runtime.InteropServices;
using Mamori.Breach.Index;

namespace Mamori.Breach.Import;

/// <summary>A sorted run of <see cref="HashRecord"/>s spilled to disk as raw bytes, and its sequential reader.</summary>
/// <remarks>Raw struct bytes: runs live only for one import on one machine, so byte order never has to travel.</remarks>
internal static class RunFile
{
    public static void Write(string path, ReadOnlySpan<HashRecord> records)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        stream.Write(MemoryMarshal.AsBytes(records));
    }

    /// <summary>Reads a run front to back in blocks.</summary>
    internal sealed class Reader : IDisposable
    {
        private const int BlockRecords = 32 * 1024;
        private readonly FileStream _stream;
        private readonly HashRecord[] _block = new HashRecord[BlockRecords];
        private int _count;
        private int _next;

        public Reader(string path)
        {
            _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }

        public bool TryRead(out HashRecord record)
        {
            if (_next == _count && !Fill())
            {
                record = default;
                return false;
            }
            record = _block[_next++];
            return true;
        }

        private bool Fill()
        {
            Span<byte> bytes = MemoryMarshal.AsBytes(_block.AsSpan());
            int filled = 0;
            while (filled < bytes.Length)
            {
                int read = _stream.Read(bytes[filled..]);
                if (read == 0) break;
                filled += read;
            }
            if (filled % HashRecordSize.Bytes != 0) throw new InvalidDataException("A sorted run file was truncated.");
            _count = filled / HashRecordSize.Bytes;
            _next = 0;
            return _count > 0;
        }

        public void Dispose() => _stream.Dispose();
    }
}
