using System.Buffers;
using System.Text;
using Mamori.Breach.Index;

namespace Mamori.Breach.Tests.Support;

/// <summary>Reads an index the way the endpoint does, for assertions.</summary>
internal static class IndexAssert
{
    public static string Range(string indexPath, string prefix)
    {
        using PwnedIndexReader reader = PwnedIndexReader.Open(indexPath);
        var body = new ArrayBufferWriter<byte>();
        reader.WriteRange(Convert.ToInt32(prefix, 16), body);
        return Encoding.ASCII.GetString(body.WrittenSpan);
    }

    /// <summary>Every range answer of the corpus matches what the format requires.</summary>
    public static void AllRangesMatch(TestCorpus corpus, PwnedHashMode mode, string indexPath)
    {
        Dictionary<string, uint> hashes = mode == PwnedHashMode.Sha1 ? corpus.Sha1 : corpus.Ntlm;
        using PwnedIndexReader reader = PwnedIndexReader.Open(indexPath);
        Assert.Equal(hashes.Count, reader.Header.EntryCount);
        foreach (string prefix in hashes.Keys.Select(h => h[..5]).Distinct())
        {
            var body = new ArrayBufferWriter<byte>();
            reader.WriteRange(Convert.ToInt32(prefix, 16), body);
            Assert.Equal(corpus.ExpectedRange(mode, prefix), Encoding.ASCII.GetString(body.WrittenSpan));
        }
    }
}
