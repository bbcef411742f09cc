using System.Text;
using Mamori.Breach.Import;
using Mamori.Breach.Index;

namespace Mamori.Breach.Tests.Import;

public sealed class CorpusLineParserTests
{
    [Fact]
    public void Sha1Line_ParsesHashAndCountAndFixesTheMode()
    {
        PwnedHashMode? mode = null;

        string? reason = CorpusLineParser.TryParse("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:10434004"u8, ref mode, out HashRecord record);

        Assert.Null(reason);
        Assert.Equal(PwnedHashMode.Sha1, mode);
        Assert.Equal(10_434_004u, record.Count);
        Assert.Equal(0x5BAA6, record.Prefix);
        Assert.Equal(HashRecord.FromHash(Convert.FromHexString("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"), 10_434_004), record);
    }

    [Fact]
    public void LowerCaseNtlmLine_ParsesAsNtlm()
    {
        PwnedHashMode? mode = null;

        string? reason = CorpusLineParser.TryParse("8846f7eaee8fb117ad06bdd830b7586c:7"u8, ref mode, out HashRecord record);

        Assert.Null(reason);
        Assert.Equal(PwnedHashMode.Ntlm, mode);
        Assert.Equal(0x8846F, record.Prefix);
        Assert.Equal(0u, record.Tail);
    }

    [Theory]
    [InlineData("", "empty line")]
    [InlineData("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8", "no ':' between hash and count")]
    [InlineData("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:", "count is not a whole number")]
    [InlineData("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8: 1", "count is not a whole number")]
    [InlineData("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:4294967296", "count is larger than 4294967295")]
    [InlineData("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FG8:1", "hash is not hexadecimal")]
    [InlineData("5BAA6:1", "hash has 5 characters; expected 40 (SHA-1) or 32 (NTLM)")]
    public void MalformedLine_IsRejectedWithItsReasonAndLeavesTheModeOpen(string line, string expected)
    {
        PwnedHashMode? mode = null;

        string? reason = CorpusLineParser.TryParse(Encoding.ASCII.GetBytes(line), ref mode, out _);

        Assert.Equal(expected, reason);
        Assert.Null(mode);
    }

    [Fact]
    public void LargestCount_IsAccepted()
    {
        PwnedHashMode? mode = PwnedHashMode.Sha1;

        Assert.Null(CorpusLineParser.TryParse("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:4294967295"u8, ref mode, out HashRecord record));
        Assert.Equal(uint.MaxValue, record.Count);
    }
}
