using System.Text;
using Mamori.Tracing.Nem;

namespace Mamori.Tracing.Tests.Nem;

/// <summary>Against NEM's official test vectors (shared/fixtures/nem).</summary>
public sealed class NemAddressTests
{
    [SkippableFact]
    public void Keccak256_MatchesEveryOfficialVector()
    {
        string dir = Fixtures.RequireNem();
        int checkedCount = 0;
        foreach (string line in File.ReadLines(Path.Combine(dir, "0.test-sha3-256.dat")))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            string[] parts = line.Split(':', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            byte[] data = Convert.FromHexString(parts[2]);
            Assert.Equal(int.Parse(parts[1]), data.Length);
            byte[] hash = new byte[32];
            NemAddress.Keccak256(data, hash);
            Assert.Equal(parts[0], Convert.ToHexStringLower(hash));
            checkedCount++;
        }
        Assert.Equal(2000, checkedCount);
    }

    [SkippableFact]
    public void FromPublicKey_MatchesOfficialAddressesForEveryTenthKey()
    {
        string dir = Fixtures.RequireNem();
        int index = 0, checkedCount = 0;
        foreach (string line in File.ReadLines(Path.Combine(dir, "1.test-keys.dat")))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            if (index++ % 10 != 0) continue;
            string[] parts = line.Split(':', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(parts[3], NemAddress.FromPublicKey(Convert.FromHexString(parts[2])));
            Assert.True(NemAddress.TryNormalize(parts[3], new char[NemAddress.EncodedLength], out _));
            checkedCount++;
        }
        Assert.Equal(1000, checkedCount);
    }

    [Fact]
    public void Keccak256_IsNotNistSha3()
    {
        // Keccak-256("") differs from SHA3-256(""): the padding byte is 0x01, not 0x06.
        byte[] hash = new byte[32];
        NemAddress.Keccak256(Encoding.ASCII.GetBytes(""), hash);
        Assert.Equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Convert.ToHexStringLower(hash));
    }

    [Theory]
    [InlineData("NDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5JFXJ4R5", "checksum mismatch")]
    [InlineData("NDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5JFXJ4R", "39 Base32 characters, expected 40")]
    [InlineData("NDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5JFXJ4R1", "character '1' is not Base32")]
    public void TryNormalize_RejectsMalformedAddressesWithTheReason(string address, string reason)
    {
        Span<char> normalized = stackalloc char[NemAddress.EncodedLength];
        Assert.False(NemAddress.TryNormalize(address, normalized, out string? actual));
        Assert.Equal(reason, actual);
    }

    [Fact]
    public void TryNormalize_AcceptsDashedLowerCaseForm()
    {
        Span<char> normalized = stackalloc char[NemAddress.EncodedLength];
        Assert.True(NemAddress.TryNormalize("ndd2ct-6lqliy-q56kix-i3entm-6ek3d4-4p5jfx-j4r4", normalized, out _));
        Assert.Equal("NDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5JFXJ4R4", normalized.ToString());
    }

    [Fact]
    public void NemEpoch_IsTheNemesisBlockTime()
    {
        Assert.Equal(new DateTimeOffset(2015, 3, 29, 0, 6, 25, TimeSpan.Zero).ToUnixTimeSeconds(), NemTime.ToUnixSeconds(0));
    }
}
