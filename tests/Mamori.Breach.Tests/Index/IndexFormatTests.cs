using Mamori.Breach.Index;

namespace Mamori.Breach.Tests.Index;

public sealed class IndexFormatTests
{
    [Theory]
    [InlineData(0u, 18)]
    [InlineData(12u, 18)]
    [InlineData(13u, 19)]
    [InlineData(268u, 19)]
    [InlineData(269u, 20)]
    [InlineData(65_804u, 20)]
    [InlineData(65_805u, 22)]
    [InlineData(uint.MaxValue, 22)]
    public void Sha1Entry_RoundTripsCountAndKeepsEverySuffixBit(uint count, int expectedLength)
    {
        byte[] hash = Convert.FromHexString("FFFFF6E4C9B93F3F0682250B6CF8331B7EE68FD8");
        var record = HashRecord.FromHash(hash, count);
        byte[] entry = new byte[IndexFormat.MaxEntryBytes];

        int written = IndexFormat.WriteEntry(entry, record, PwnedHashMode.Sha1);
        int read = IndexFormat.ReadEntry(entry, PwnedHashMode.Sha1, out uint decoded);

        Assert.Equal(expectedLength, written);
        Assert.Equal(written, read);
        Assert.Equal(count, decoded);
        Assert.Equal(hash[2] & 0x0F, entry[0] & 0x0F);
        Assert.Equal(hash[3..], entry[1..18]);
    }

    [Fact]
    public void NtlmEntry_Is14BytesForASmallCount()
    {
        var record = HashRecord.FromHash(Convert.FromHexString("8846F7EAEE8FB117AD06BDD830B7586C"), 3);
        byte[] entry = new byte[IndexFormat.MaxEntryBytes];

        Assert.Equal(14, IndexFormat.WriteEntry(entry, record, PwnedHashMode.Ntlm));
    }

    [Fact]
    public void TruncatedEntry_IsReportedNotMisread()
    {
        var record = HashRecord.FromHash(Convert.FromHexString("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"), 1_000_000);
        byte[] entry = new byte[IndexFormat.MaxEntryBytes];
        int written = IndexFormat.WriteEntry(entry, record, PwnedHashMode.Sha1);

        Assert.Equal(-1, IndexFormat.ReadEntry(entry.AsSpan(0, written - 1), PwnedHashMode.Sha1, out _));
    }

    [Fact]
    public void FileThatIsNotAnIndex_IsRefusedWithAReason()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[IndexFormat.DataStart]);
            var error = Assert.Throws<InvalidDataException>(() => PwnedIndexReader.Open(path));
            Assert.Contains("bad magic", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
