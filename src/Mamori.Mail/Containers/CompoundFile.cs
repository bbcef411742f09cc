using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Mamori.Mail.Containers;

/// <summary>A read-only, bounds-checked reader of OLE compound files ([MS-CFB]): .doc, .xls, .ppt,
/// vbaProject.bin, and the wrapper of encrypted OOXML documents.</summary>
/// <remarks>Written here because no library on the package feed reads CFB (OpenMcdf is not served) and
/// DocumentFormat.OpenXml reads OOXML only. Every offset read from the file is checked against the buffer
/// and every sector chain is bounded by the number of sectors in the file, so a hostile file can make
/// parsing fail (<see cref="TryOpen"/> returns false) but not loop, over-read or allocate past its size.
/// Not thread-safe; cheap to create per attachment.</remarks>
internal sealed class CompoundFile
{
    /// <summary>The first eight bytes of every compound file.</summary>
    public static ReadOnlySpan<byte> Signature => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private const int HeaderSize = 512;
    private const int DirectoryEntrySize = 128;
    private const uint EndOfChain = 0xFFFFFFFE;
    private const uint FreeSector = 0xFFFFFFFF;
    /// <summary>Directory entries read at most; real documents have tens, a handful of thousands at worst.</summary>
    private const int MaxDirectoryEntries = 65_536;
    private const int HeaderDifatEntries = 109;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly int _sectorShift;
    private readonly int _sectorSize;
    private readonly uint _miniStreamCutoff;
    private readonly uint[] _fat;
    private readonly uint[] _miniFat;
    private readonly byte[] _miniStream;
    private readonly List<CompoundFileEntry> _entries;

    private CompoundFile(ReadOnlyMemory<byte> data, int sectorShift, uint miniStreamCutoff, uint[] fat,
        uint[] miniFat, byte[] miniStream, List<CompoundFileEntry> entries)
    {
        _data = data;
        _sectorShift = sectorShift;
        _sectorSize = 1 << sectorShift;
        _miniStreamCutoff = miniStreamCutoff;
        _fat = fat;
        _miniFat = miniFat;
        _miniStream = miniStream;
        _entries = entries;
    }

    /// <summary>Directory entries in file order; index 0 is the root storage.</summary>
    public IReadOnlyList<CompoundFileEntry> Entries => _entries;

    /// <summary>True when <paramref name="data"/> starts with the compound file signature.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    /// <summary>Parses the header, FAT, mini FAT and directory.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="maxStreamBytes">Largest stream (including the mini stream) that will be materialised.</param>
    /// <param name="file">The parsed file.</param>
    /// <param name="error">Why parsing failed.</param>
    public static bool TryOpen(ReadOnlyMemory<byte> data, int maxStreamBytes,
        [NotNullWhen(true)] out CompoundFile? file, [NotNullWhen(false)] out string? error)
    {
        file = null;
        ReadOnlySpan<byte> span = data.Span;
        if (span.Length < HeaderSize || !HasSignature(span)) { error = "not a compound file"; return false; }
        int sectorShift = BinaryPrimitives.ReadUInt16LittleEndian(span[0x1E..]);
        if (sectorShift is not (9 or 12)) { error = $"unsupported sector shift {sectorShift}"; return false; }
        int sectorSize = 1 << sectorShift;
        long sectorCount = (span.Length - HeaderSize + sectorSize - 1) / sectorSize;   // sectors after the header

        uint fatSectorCount = BinaryPrimitives.ReadUInt32LittleEndian(span[0x2C..]);
        uint firstDirSector = BinaryPrimitives.ReadUInt32LittleEndian(span[0x30..]);
        uint miniCutoff = BinaryPrimitives.ReadUInt32LittleEndian(span[0x38..]);
        uint firstMiniFatSector = BinaryPrimitives.ReadUInt32LittleEndian(span[0x3C..]);
        uint firstDifatSector = BinaryPrimitives.ReadUInt32LittleEndian(span[0x44..]);
        if (fatSectorCount > sectorCount) { error = "FAT larger than the file"; return false; }
        if (miniCutoff is 0 or > 65_536) miniCutoff = 4096;

        // DIFAT: 109 FAT sector numbers in the header, the rest in a chain of DIFAT sectors.
        var fatSectors = new List<uint>((int)fatSectorCount);
        for (int i = 0; i < HeaderDifatEntries && fatSectors.Count < fatSectorCount; i++)
            fatSectors.Add(BinaryPrimitives.ReadUInt32LittleEndian(span[(0x4C + 4 * i)..]));
        uint difat = firstDifatSector;
        for (long hops = 0; fatSectors.Count < fatSectorCount && difat < EndOfChain - 4; hops++)
        {
            if (hops > sectorCount || !TrySector(span, sectorShift, difat, out ReadOnlySpan<byte> difatSector))
            { error = "broken DIFAT chain"; return false; }
            int perSector = sectorSize / 4 - 1;
            for (int i = 0; i < perSector && fatSectors.Count < fatSectorCount; i++)
                fatSectors.Add(BinaryPrimitives.ReadUInt32LittleEndian(difatSector[(4 * i)..]));
            difat = BinaryPrimitives.ReadUInt32LittleEndian(difatSector[(sectorSize - 4)..]);
        }

        var fat = new uint[fatSectors.Count * (sectorSize / 4)];
        for (int s = 0; s < fatSectors.Count; s++)
        {
            if (!TrySector(span, sectorShift, fatSectors[s], out ReadOnlySpan<byte> fatSector))
            { error = "FAT sector outside the file"; return false; }
            for (int i = 0; i < sectorSize / 4; i++)
                fat[s * (sectorSize / 4) + i] = BinaryPrimitives.ReadUInt32LittleEndian(fatSector[(4 * i)..]);
        }

        // Directory: a regular chain of 128-byte entries.
        if (!TryReadChain(span, sectorShift, fat, firstDirSector, (long)MaxDirectoryEntries * DirectoryEntrySize,
                out byte[] directory)) { error = "broken directory chain"; return false; }
        var entries = new List<CompoundFileEntry>(directory.Length / DirectoryEntrySize);
        bool version3 = BinaryPrimitives.ReadUInt16LittleEndian(span[0x1A..]) == 3;
        for (int offset = 0; offset + DirectoryEntrySize <= directory.Length; offset += DirectoryEntrySize)
        {
            CompoundFileEntry entry = CompoundFileEntry.Parse(directory.AsSpan(offset, DirectoryEntrySize));
            // Version 3 files may leave garbage in the high half of the size ([MS-CFB] 2.6.3).
            entries.Add(version3 ? entry with { Size = entry.Size & 0xFFFF_FFFF } : entry);
        }
        if (entries.Count == 0 || entries[0].Type != CompoundFileEntryType.Root) { error = "no root entry"; return false; }

        // Mini FAT and the mini stream (held by the root entry) carry the streams under the cutoff.
        uint[] miniFat = [];
        byte[] miniStream = [];
        if (firstMiniFatSector < EndOfChain - 4)
        {
            if (!TryReadChain(span, sectorShift, fat, firstMiniFatSector, maxStreamBytes, out byte[] miniFatBytes))
            { error = "broken mini FAT chain"; return false; }
            miniFat = new uint[miniFatBytes.Length / 4];
            for (int i = 0; i < miniFat.Length; i++) miniFat[i] = BinaryPrimitives.ReadUInt32LittleEndian(miniFatBytes.AsSpan(4 * i));
            CompoundFileEntry root = entries[0];
            if (root.Size > (ulong)maxStreamBytes) { error = "mini stream over the size limit"; return false; }
            if (!TryReadChain(span, sectorShift, fat, root.StartSector, (long)root.Size, out miniStream))
            { error = "broken mini stream chain"; return false; }
        }

        file = new CompoundFile(data, sectorShift, miniCutoff, fat, miniFat, miniStream, entries);
        error = null;
        return true;
    }

    /// <summary>The direct children of storage <paramref name="storageIndex"/> (walks its red-black tree).</summary>
    public IEnumerable<int> ChildrenOf(int storageIndex)
    {
        if ((uint)storageIndex >= (uint)_entries.Count) yield break;
        var pending = new Stack<uint>();
        var seen = new HashSet<uint>();   // a hostile tree may link back to itself
        pending.Push(_entries[storageIndex].Child);
        while (pending.Count > 0)
        {
            uint id = pending.Pop();
            if (id >= (uint)_entries.Count || !seen.Add(id)) continue;
            CompoundFileEntry entry = _entries[(int)id];
            pending.Push(entry.Right);
            pending.Push(entry.Left);
            yield return (int)id;
        }
    }

    /// <summary>The child of <paramref name="storageIndex"/> named <paramref name="name"/> (case-insensitive).</summary>
    public bool TryFindChild(int storageIndex, string name, out int index)
    {
        foreach (int child in ChildrenOf(storageIndex))
            if (string.Equals(_entries[child].Name, name, StringComparison.OrdinalIgnoreCase)) { index = child; return true; }
        index = -1;
        return false;
    }

    /// <summary>True when any stream or storage anywhere in the file is named <paramref name="name"/>.</summary>
    public bool ContainsName(string name) =>
        _entries.Exists(e => e.Type != CompoundFileEntryType.Empty && string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads stream <paramref name="index"/>, at most <paramref name="maxBytes"/> bytes.</summary>
    public bool TryReadStream(int index, int maxBytes, [NotNullWhen(true)] out byte[]? content)
    {
        content = null;
        if ((uint)index >= (uint)_entries.Count || _entries[index].Type != CompoundFileEntryType.Stream) return false;
        CompoundFileEntry entry = _entries[index];
        long size = (long)Math.Min(entry.Size, (ulong)maxBytes);
        if (entry.Size < _miniStreamCutoff)
            return TryReadMiniChain(entry.StartSector, size, out content);
        if (!TryReadChain(_data.Span, _sectorShift, _fat, entry.StartSector, size, out byte[] bytes)) return false;
        content = bytes;
        return true;
    }

    private bool TryReadMiniChain(uint start, long size, [NotNullWhen(true)] out byte[]? content)
    {
        const int miniSectorSize = 64;
        content = null;
        var buffer = new byte[size];
        long written = 0;
        uint sector = start;
        for (long hops = 0; written < size; hops++)
        {
            if (hops > _miniFat.Length || sector >= (uint)_miniFat.Length) return false;
            long offset = (long)sector * miniSectorSize;
            if (offset + miniSectorSize > _miniStream.Length) return false;
            int take = (int)Math.Min(miniSectorSize, size - written);
            _miniStream.AsSpan((int)offset, take).CopyTo(buffer.AsSpan((int)written));
            written += take;
            sector = _miniFat[sector];
        }
        content = buffer;
        return true;
    }

    /// <summary>A whole sector; false when it lies (even partly) outside the file.</summary>
    private static bool TrySector(ReadOnlySpan<byte> data, int sectorShift, uint sector, out ReadOnlySpan<byte> bytes)
        => TrySector(data, sectorShift, sector, allowShortLast: false, out bytes);

    private static bool TrySector(ReadOnlySpan<byte> data, int sectorShift, uint sector, bool allowShortLast, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (sector >= EndOfChain - 4) return false;
        long offset = ((long)sector + 1) << sectorShift;
        int size = 1 << sectorShift;
        if (offset + size <= data.Length) { bytes = data.Slice((int)offset, size); return true; }
        // Some writers cut the file right after the last stream's data; its tail sector is then short.
        if (allowShortLast && offset < data.Length) { bytes = data[(int)offset..]; return true; }
        return false;
    }

    /// <summary>Follows a FAT chain, copying at most <paramref name="maxBytes"/>; false on a loop or a sector
    /// outside the file.</summary>
    private static bool TryReadChain(ReadOnlySpan<byte> data, int sectorShift, uint[] fat, uint start, long maxBytes,
        out byte[] content)
    {
        int sectorSize = 1 << sectorShift;
        var output = new MemoryStream();
        uint sector = start;
        long maxHops = Math.Min(fat.Length, data.Length / sectorSize + 1);
        for (long hops = 0; sector != EndOfChain && output.Length < maxBytes; hops++)
        {
            if (hops > maxHops || sector == FreeSector || sector >= fat.Length || !TrySector(data, sectorShift, sector, allowShortLast: true, out ReadOnlySpan<byte> bytes))
            {
                content = [];
                return false;
            }
            int take = (int)Math.Min(bytes.Length, maxBytes - output.Length);
            output.Write(bytes[..take]);
            sector = fat[sector];
        }
        content = output.ToArray();
        return true;
    }
}

/// <summary>Kinds of directory entries in a compound file.</summary>
internal enum CompoundFileEntryType : byte { Empty = 0, Storage = 1, Stream = 2, Root = 5 }

/// <summary>One 128-byte directory entry.</summary>
internal readonly record struct CompoundFileEntry(string Name, CompoundFileEntryType Type, uint Left, uint Right,
    uint Child, uint StartSector, ulong Size)
{
    public static CompoundFileEntry Parse(ReadOnlySpan<byte> entry)
    {
        int nameBytes = Math.Clamp((int)BinaryPrimitives.ReadUInt16LittleEndian(entry[64..]), 0, 64);
        string name = Encoding.Unicode.GetString(entry[..nameBytes]).TrimEnd('\0');
        var type = (CompoundFileEntryType)entry[66];
        if (type is not (CompoundFileEntryType.Storage or CompoundFileEntryType.Stream or CompoundFileEntryType.Root))
            type = CompoundFileEntryType.Empty;
        return new CompoundFileEntry(name, type,
            BinaryPrimitives.ReadUInt32LittleEndian(entry[68..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[72..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[76..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[116..]),
            BinaryPrimitives.ReadUInt64LittleEndian(entry[120..]));
    }
}
