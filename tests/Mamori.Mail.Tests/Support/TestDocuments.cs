using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Mamori.Mail.Tests.Support;

/// <summary>Builds harmless test documents in memory: a VBA project (compound file with a literal-only
/// MS-OVBA container), a .docm holding it, plain and ZipCrypto-encrypted zips. Written independently of the
/// readers under test so a shared misunderstanding cannot hide.</summary>
internal static class TestDocuments
{
    public const string AutoOpenShellMacro = "Attribute VB_Name = \"Module1\"\r\nSub AutoOpen()\r\n  Shell \"calc.exe\"\r\nEnd Sub\r\n";
    public const string HarmlessMacro = "Attribute VB_Name = \"Module1\"\r\nSub FormatTable()\r\n  Selection.Font.Bold = True\r\nEnd Sub\r\n";

    /// <summary>An MS-OVBA CompressedContainer that uses only literal tokens (legal, just not smaller).</summary>
    public static byte[] OvbaLiteralContainer(byte[] data)
    {
        var output = new MemoryStream();
        output.WriteByte(0x01);
        for (int chunkStart = 0; chunkStart < data.Length; chunkStart += 4096)
        {
            ReadOnlySpan<byte> chunk = data.AsSpan(chunkStart, Math.Min(4096, data.Length - chunkStart));
            var body = new MemoryStream();
            for (int i = 0; i < chunk.Length; i += 8)
            {
                body.WriteByte(0x00);   // flag byte: the next eight tokens are literals
                body.Write(chunk.Slice(i, Math.Min(8, chunk.Length - i)));
            }
            int size = (int)body.Length + 2;
            ushort header = (ushort)(0xB000 | (size - 3));   // compressed flag, signature 0b011, size - 3
            output.WriteByte((byte)header);
            output.WriteByte((byte)(header >> 8));
            body.WriteTo(output);
        }
        return output.ToArray();
    }

    /// <summary>A vbaProject.bin: root / VBA / {dir, Module1, _VBA_PROJECT}.</summary>
    public static byte[] VbaProjectBin(string moduleSource)
    {
        var dirRecords = new MemoryStream();
        void Record(ushort id, byte[] data)
        {
            Span<byte> head = stackalloc byte[6];
            BinaryPrimitives.WriteUInt16LittleEndian(head, id);
            BinaryPrimitives.WriteUInt32LittleEndian(head[2..], (uint)data.Length);
            dirRecords.Write(head);
            dirRecords.Write(data);
        }
        Record(0x0019, "Module1"u8.ToArray());                       // MODULENAME
        Record(0x001A, "Module1"u8.ToArray());                       // MODULESTREAMNAME
        Record(0x0032, Encoding.Unicode.GetBytes("Module1"));        // its Unicode twin
        Record(0x0031, [0, 0, 0, 0]);                                // MODULEOFFSET 0
        Record(0x002B, []);                                          // module terminator
        Record(0x0010, []);                                          // dir terminator

        byte[] dir = Pad(OvbaLiteralContainer(dirRecords.ToArray()));
        byte[] module = Pad(OvbaLiteralContainer(Encoding.Latin1.GetBytes(moduleSource)));
        byte[] project = Pad([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x00, 0x00]);
        return CompoundFileWriter.Write([("VBA", null), ("dir", dir), ("Module1", module), ("_VBA_PROJECT", project)]);
    }

    /// <summary>Pads a stream to 4096 bytes so it lives in regular sectors (the writer has no mini stream).</summary>
    private static byte[] Pad(byte[] data) => data.Length >= 4096 ? data : [.. data, .. new byte[4096 - data.Length]];

    /// <summary>A minimal .docm package holding <paramref name="moduleSource"/> in word/vbaProject.bin.</summary>
    public static byte[] Docm(string moduleSource)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/></Types>"u8.ToArray());
            Add(zip, "_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"u8.ToArray());
            Add(zip, "word/document.xml", "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p/></w:body></w:document>"u8.ToArray());
            Add(zip, "word/vbaProject.bin", VbaProjectBin(moduleSource));
        }
        return output.ToArray();
    }

    /// <summary>A .docx whose settings relationship loads a remote template (template injection).</summary>
    public static byte[] DocxWithRemoteTemplate(string url)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"u8.ToArray());
            Add(zip, "word/document.xml", "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>"u8.ToArray());
            Add(zip, "word/_rels/settings.xml.rels", Encoding.UTF8.GetBytes(
                "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                $"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate\" Target=\"{url}\" TargetMode=\"External\"/></Relationships>"));
        }
        return output.ToArray();
    }

    public static byte[] PlainZip(params (string Name, byte[] Data)[] entries)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach ((string name, byte[] data) in entries) Add(zip, name, data);
        return output.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] data)
    {
        using Stream stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(data);
    }

    /// <summary>A zip whose members are deflated and encrypted with traditional PKWARE encryption.</summary>
    public static byte[] ZipCryptoZip(string password, params (string Name, byte[] Data)[] entries)
    {
        var output = new MemoryStream();
        var central = new MemoryStream();
        var random = new Random(42);
        foreach ((string name, byte[] data) in entries)
        {
            uint crc = Crc32(data);
            var deflated = new MemoryStream();
            using (var deflate = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(data);
            byte[] header = new byte[12];
            random.NextBytes(header);
            header[11] = (byte)(crc >> 24);
            byte[] cipher = Encrypt(password, [.. header, .. deflated.ToArray()]);
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            long offset = output.Length;
            WriteHeader(output, local: true, crc, cipher.Length, data.Length, nameBytes, 0);
            output.Write(cipher);
            WriteHeader(central, local: false, crc, cipher.Length, data.Length, nameBytes, (uint)offset);
        }
        long centralOffset = output.Length;
        central.WriteTo(output);
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054B50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)entries.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)entries.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)central.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)centralOffset);
        output.Write(end);
        return output.ToArray();
    }

    private static void WriteHeader(MemoryStream to, bool local, uint crc, int compressed, int size, byte[] name, uint offset)
    {
        var h = new byte[local ? 30 : 46];
        int b = local ? 0 : 2;   // central headers carry "version made by" first
        BinaryPrimitives.WriteUInt32LittleEndian(h, local ? 0x04034B50u : 0x02014B50u);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(4), 20);
        if (!local) BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(6), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(6 + b), 0x0001);   // encrypted
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(8 + b), 8);        // deflate
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(10 + b), 0x6000);  // time
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(12 + b), 0x5A21);  // date
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(14 + b), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(18 + b), (uint)compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(22 + b), (uint)size);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(26 + b), (ushort)name.Length);
        if (!local) BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(42), offset);
        to.Write(h);
        to.Write(name);
    }

    private static byte[] Encrypt(string password, byte[] plain)
    {
        uint k0 = 0x12345678, k1 = 0x23456789, k2 = 0x34567890;
        void Update(byte p)
        {
            k0 = Crc32Byte(k0, p);
            k1 = (k1 + (k0 & 0xFF)) * 134775813 + 1;
            k2 = Crc32Byte(k2, (byte)(k1 >> 24));
        }
        foreach (byte p in Encoding.UTF8.GetBytes(password)) Update(p);
        var cipher = new byte[plain.Length];
        for (int i = 0; i < plain.Length; i++)
        {
            ushort t = (ushort)(k2 | 2);
            cipher[i] = (byte)(plain[i] ^ (byte)((t * (t ^ 1)) >> 8));
            Update(plain[i]);
        }
        return cipher;
    }

    private static uint Crc32Byte(uint crc, byte b)
    {
        crc ^= b;
        for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        return crc;
    }

    public static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data) crc = Crc32Byte(crc, b);
        return ~crc;
    }
}

/// <summary>Writes a version-3 compound file (512-byte sectors, no mini stream): one storage level under
/// the root, entries given as (name, content); a null content is a storage holding the entries after it.</summary>
internal static class CompoundFileWriter
{
    private const uint NoStream = 0xFFFFFFFF;
    private const uint EndOfChain = 0xFFFFFFFE;

    public static byte[] Write((string Name, byte[]? Content)[] entries)
    {
        const int sector = 512;
        int directorySectors = ((entries.Length + 1) * 128 + sector - 1) / sector;
        var streams = entries.Where(e => e.Content is not null).Select(e => e.Content!).ToList();
        var fat = new List<uint> { 0xFFFFFFFD };   // sector 0 is the FAT itself
        uint firstDirectory = (uint)fat.Count;
        for (int i = 0; i < directorySectors; i++) fat.Add(i == directorySectors - 1 ? EndOfChain : (uint)fat.Count + 1);
        var starts = new List<uint>();
        foreach (byte[] stream in streams)
        {
            int count = (stream.Length + sector - 1) / sector;
            starts.Add((uint)fat.Count);
            for (int i = 0; i < count; i++) fat.Add(i == count - 1 ? EndOfChain : (uint)fat.Count + 1);
        }
        if (fat.Count > 128) throw new InvalidOperationException("test writer supports one FAT sector");
        while (fat.Count < 128) fat.Add(NoStream);

        var header = new byte[sector];
        CompoundSignature.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(0x18), 0x3E);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(0x1A), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(0x1C), 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(0x1E), 9);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(0x20), 6);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x2C), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x30), firstDirectory);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x38), 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x3C), EndOfChain);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x44), EndOfChain);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x4C), 0);
        for (int i = 1; i < 109; i++) BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x4C + 4 * i), NoStream);

        var directory = new byte[directorySectors * sector];
        WriteEntry(directory, 0, "Root Entry", 5, child: 1, right: NoStream, EndOfChain, 0);
        int streamIndex = 0;
        for (int i = 0; i < entries.Length; i++)
        {
            uint right = i + 1 < entries.Length && entries[i].Content is not null ? (uint)(i + 2) : NoStream;
            if (entries[i].Content is null)
                WriteEntry(directory, i + 1, entries[i].Name, 1, child: (uint)(i + 2), right: NoStream, 0, 0);
            else
            {
                WriteEntry(directory, i + 1, entries[i].Name, 2, child: NoStream, right, starts[streamIndex], (uint)entries[i].Content!.Length);
                streamIndex++;
            }
        }

        var output = new MemoryStream();
        output.Write(header);
        var fatBytes = new byte[4];
        foreach (uint f in fat) { BinaryPrimitives.WriteUInt32LittleEndian(fatBytes, f); output.Write(fatBytes); }
        output.Write(directory);
        foreach (byte[] stream in streams)
        {
            output.Write(stream);
            int pad = (sector - stream.Length % sector) % sector;
            output.Write(new byte[pad]);
        }
        return output.ToArray();
    }

    private static readonly byte[] CompoundSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private static void WriteEntry(byte[] directory, int index, string name, byte type, uint child, uint right, uint start, uint size)
    {
        Span<byte> e = directory.AsSpan(index * 128, 128);
        byte[] nameBytes = Encoding.Unicode.GetBytes(name + "\0");
        nameBytes.CopyTo(e);
        BinaryPrimitives.WriteUInt16LittleEndian(e[64..], (ushort)nameBytes.Length);
        e[66] = type;
        e[67] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(e[68..], NoStream);
        BinaryPrimitives.WriteUInt32LittleEndian(e[72..], right);
        BinaryPrimitives.WriteUInt32LittleEndian(e[76..], child);
        BinaryPrimitives.WriteUInt32LittleEndian(e[116..], start);
        BinaryPrimitives.WriteUInt32LittleEndian(e[120..], size);
    }
}
