using Mamori.Breach.Http;

namespace Mamori.Breach.Tests.Http;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void WritingPastTheFirstBuffer_GrowsAndKeepsEveryByte()
    {
        using var writer = new PooledBufferWriter(256);
        byte[] expected = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();

        for (int i = 0; i < expected.Length; i += 100)
        {
            expected.AsSpan(i, 100).CopyTo(writer.GetSpan(100));
            writer.Advance(100);
        }

        Assert.Equal(expected.Length, writer.WrittenCount);
        Assert.Equal(expected, writer.WrittenMemory.ToArray());
    }

    [Fact]
    public void AdvancingPastTheBuffer_Throws()
    {
        using var writer = new PooledBufferWriter(256);
        int free = writer.GetSpan().Length;

        Assert.Throws<InvalidOperationException>(() => writer.Advance(free + 1));
    }
}
