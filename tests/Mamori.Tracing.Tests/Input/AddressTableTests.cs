using Mamori.Tracing.Input;
using Mamori.Tracing.Nem;

namespace Mamori.Tracing.Tests.Input;

public sealed class AddressTableTests
{
    [Fact]
    public void ManyAddresses_KeepTheirIdsAcrossGrowthAndReadBack()
    {
        var table = new AddressTable();
        var random = new Random(7);
        var addresses = new List<string>();
        byte[] key = new byte[NemAddress.PublicKeyLength];
        for (int i = 0; i < 5_000; i++)
        {
            random.NextBytes(key);
            addresses.Add(i % 2 == 0 ? NemAddress.FromPublicKey(key) : "0x" + Convert.ToHexStringLower(key.AsSpan(0, 20)));
        }

        for (int i = 0; i < addresses.Count; i++) Assert.Equal(i, table.GetOrAdd(addresses[i]));

        Assert.Equal(addresses.Count, table.Count);
        for (int i = 0; i < addresses.Count; i++)
        {
            Assert.True(table.TryGetId(addresses[i], out int id));
            Assert.Equal(i, id);
            Assert.Equal(addresses[i], table[i]);
            Assert.Equal(i, table.GetOrAdd(addresses[i]));
        }
    }

    [Theory]
    [InlineData("0x0123456789abcdef0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567")]   // same 40 characters, two kinds
    [InlineData("NBUPDJZOC7RFIKGSJ4BIH3FFP2WQD2ZX3F7CFNYJ", "nbupdjzoc7rfikgsj4bih3ffp2wqd2zx3f7cfnyj")]   // case matters: only normalised forms are stored
    public void DifferentKeys_AreNotConfused(string stored, string other)
    {
        var table = new AddressTable();
        table.GetOrAdd(stored);

        Assert.False(table.TryGetId(other, out int id));
        Assert.Equal(-1, id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x1234")]
    [InlineData("NBUPDJZOC7RFIKGSJ4BIH3FFP2WQD2ZX3F7CFNYÉ")]
    public void TextThatCannotBeAKey_IsNotFoundAndCannotBeAdded(string text)
    {
        var table = new AddressTable();

        Assert.False(table.TryGetId(text, out _));
        Assert.Throws<ArgumentException>(() => table.GetOrAdd(text));
        Assert.Equal(0, table.Count);
    }
}
