using System.Text;
using Mamori.Events;
using Mamori.Network;

namespace Mamori.Core.Tests.Signals;

/// <summary>A user agent's digit-free text (eight characters at a time where the CPU can) and the keys made from it.</summary>
public sealed class AgentTextTests
{
    private static string Reference(string text) => new([.. text.Where(c => !char.IsAsciiDigit(c))]);

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("12345678")]                      // a whole block of digits
    [InlineData("abcdefgh")]                      // a whole block kept
    [InlineData("a1b2c3d4e5f6g7h8i9")]            // alternating, past one block, with a tail
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")]
    [InlineData("Ｍｏｚｉｌｌａ/５.０ ٣٤ 日本語 /: \u0000\uFFFF")]   // only ASCII digits go: full-width and Arabic-Indic digits stay
    public void KeepsEveryCharacterButAsciiDigits_InOrder(string text)
    {
        char[] destination = new char[text.Length];
        int n = AgentText.WithoutDigits(text, destination);
        Assert.Equal(Reference(text), new string(destination, 0, n));
    }

    [Fact]
    public void RandomText_OfEveryLengthUpTo70_MatchesCharacterByCharacter()
    {
        // Characters on both sides of '0' and '9' in the comparison ('/' and ':'), and some far outside.
        const string alphabet = "/0123456789:aZ (;._\u00e9\u3042";
        var random = new Random(11);
        for (int length = 0; length <= 70; length++)
            for (int round = 0; round < 40; round++)
            {
                var text = new StringBuilder(length);
                for (int i = 0; i < length; i++) text.Append(alphabet[random.Next(alphabet.Length)]);
                string s = text.ToString();
                char[] destination = new char[length + 3];
                int n = AgentText.WithoutDigits(s, destination);
                Assert.Equal(Reference(s), new string(destination, 0, n));
            }
    }

    [Fact]
    public void ADestinationShorterThanTheSource_IsRefused() =>
        Assert.Throws<ArgumentException>(() => AgentText.WithoutDigits("abc", new char[2]));

    [Fact]
    public void AgentsThatDifferOnlyInTheirNumbers_AreOneAgent_AndClassifiedAsBefore()
    {
        var keys = new[] { "Chrome/124.0.0.0 variation/277457", "Chrome/126.0.6478.61 variation/3" }
            .Select(tail => LoginAssessor.KeysOf(Attempt("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) " + tail)))
            .ToArray();
        Assert.Equal(keys[0].Agent, keys[1].Agent);
        Assert.Equal((keys[0].Browser, keys[0].Os), (keys[1].Browser, keys[1].Os));

        // The same browser and OS keys as classifying the whole string, for every common kind of agent.
        foreach (string agent in new[]
        {
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "python-requests/2.31.0", "curl/8.5.0", "okhttp/4.12.0", "MyBank/5.2 (iPhone; iOS 17.4)", "12345",
        })
        {
            Mamori.Signals.SignalKeys k = LoginAssessor.KeysOf(Attempt(agent));
            UserAgentInfo whole = UserAgentInfo.Parse(agent);
            Assert.Equal((Hashing.Of(whole.Browser, 0xB0B0), Hashing.Of(whole.Os, 0x0505)), (k.Browser, k.Os));
        }
        Assert.Equal(0UL, LoginAssessor.KeysOf(Attempt(null)).Agent);
        Assert.NotEqual(LoginAssessor.KeysOf(Attempt(null)).Agent, LoginAssessor.KeysOf(Attempt("")).Agent);
    }

    private static LoginAttempt Attempt(string? userAgent) => new()
    {
        Timestamp = DateTimeOffset.UnixEpoch, Account = "a", Ip = System.Net.IPAddress.Parse("192.0.2.1"), UserAgent = userAgent,
    };
}
