using System.Text;
using OtpNet;

namespace Mamori.Flows.Tests;

/// <summary>RFC 6238 Appendix B test vectors through Otp.NET, the library the TOTP factor uses.</summary>
public sealed class TotpVectorTests
{
    // Appendix B seeds: "12345678901234567890" repeated to 20 (SHA-1), 32 (SHA-256) and 64 (SHA-512) bytes.
    private static byte[] Seed(int length) => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1234567890", 7)))[..length];

    [Theory]
    [InlineData(59L, "SHA1", "94287082")]
    [InlineData(59L, "SHA256", "46119246")]
    [InlineData(59L, "SHA512", "90693936")]
    [InlineData(1111111109L, "SHA1", "07081804")]
    [InlineData(1111111109L, "SHA256", "68084774")]
    [InlineData(1111111109L, "SHA512", "25091201")]
    [InlineData(1111111111L, "SHA1", "14050471")]
    [InlineData(1111111111L, "SHA256", "67062674")]
    [InlineData(1111111111L, "SHA512", "99943326")]
    [InlineData(1234567890L, "SHA1", "89005924")]
    [InlineData(1234567890L, "SHA256", "91819424")]
    [InlineData(1234567890L, "SHA512", "93441116")]
    [InlineData(2000000000L, "SHA1", "69279037")]
    [InlineData(2000000000L, "SHA256", "90698825")]
    [InlineData(2000000000L, "SHA512", "38618901")]
    [InlineData(20000000000L, "SHA1", "65353130")]
    [InlineData(20000000000L, "SHA256", "77737706")]
    [InlineData(20000000000L, "SHA512", "47863826")]
    public void AppendixBVector_ComputesAndVerifies(long unixSeconds, string algorithm, string expected)
    {
        (OtpHashMode mode, int seedLength) = algorithm switch
        {
            "SHA1" => (OtpHashMode.Sha1, 20),
            "SHA256" => (OtpHashMode.Sha256, 32),
            _ => (OtpHashMode.Sha512, 64),
        };
        var totp = new Totp(Seed(seedLength), step: 30, mode: mode, totpSize: 8);
        DateTime at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime;

        Assert.Equal(expected, totp.ComputeTotp(at));
        Assert.True(totp.VerifyTotp(at, expected, out long step, VerificationWindow.RfcSpecifiedNetworkDelay));
        Assert.Equal(unixSeconds / 30, step);
    }

    [Fact]
    public void AppendixBCode_TwoStepsLater_IsOutsideTheWindow()
    {
        var totp = new Totp(Seed(20), step: 30, mode: OtpHashMode.Sha1, totpSize: 8);
        DateTime later = DateTimeOffset.FromUnixTimeSeconds(59 + 60).UtcDateTime;
        Assert.False(totp.VerifyTotp(later, "94287082", out _, VerificationWindow.RfcSpecifiedNetworkDelay));
        Assert.True(totp.VerifyTotp(DateTimeOffset.FromUnixTimeSeconds(59 + 30).UtcDateTime, "94287082", out _, VerificationWindow.RfcSpecifiedNetworkDelay));
    }
}
