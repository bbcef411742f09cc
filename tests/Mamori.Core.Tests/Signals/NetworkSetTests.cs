using System.Net;
using Mamori.Network;

namespace Mamori.Core.Tests.Signals;

/// <summary>The operator's list of known shared networks: what it holds, and what it refuses to read.</summary>
public sealed class NetworkSetTests
{
    private static NetworkSet Set(params string[] entries) => NetworkSet.TryParse(entries, out string? error) ?? throw new InvalidOperationException(error);

    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.0", true)]
    [InlineData("203.0.113.0/24", "203.0.113.255", true)]
    [InlineData("203.0.113.0/24", "203.0.114.0", false)]
    [InlineData("203.0.113.0/24", "203.0.112.255", false)]
    [InlineData("203.0.113.0/24", "::ffff:203.0.113.9", true)]    // IPv4-mapped IPv6 is its IPv4 address
    [InlineData("198.51.100.7", "198.51.100.7", true)]             // a single address
    [InlineData("198.51.100.7", "198.51.100.8", false)]
    [InlineData("0.0.0.0/0", "192.0.2.1", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]                 // an IPv4 network holds no IPv6 address
    [InlineData("2001:db8:40::/48", "2001:db8:40:ffff::1", true)]
    [InlineData("2001:db8:40::/48", "2001:db8:41::1", false)]
    [InlineData("2001:db8::7", "2001:db8::7", true)]
    public void Contains_FollowsThePrefix(string entry, string ip, bool expected) =>
        Assert.Equal(expected, Set(entry).Contains(IPAddress.Parse(ip)));

    [Fact]
    public void SeveralPrefixLengths_AreEachLookedUp()
    {
        NetworkSet set = Set("10.0.0.0/8", "192.0.2.0/24", "198.51.100.7", "2001:db8::/32", " 203.0.113.0/25 ");
        Assert.True(set.Contains(IPAddress.Parse("10.200.1.1")));
        Assert.True(set.Contains(IPAddress.Parse("192.0.2.77")));
        Assert.True(set.Contains(IPAddress.Parse("198.51.100.7")));
        Assert.True(set.Contains(IPAddress.Parse("2001:db8:ffff::1")));
        Assert.True(set.Contains(IPAddress.Parse("203.0.113.127")));
        Assert.False(set.Contains(IPAddress.Parse("203.0.113.128")));
        Assert.False(set.Contains(IPAddress.Parse("11.0.0.1")));
    }

    [Fact]
    public void NoEntries_HoldsNothing() => Assert.False(Set().Contains(IPAddress.Parse("192.0.2.1")));

    [Theory]
    [InlineData("not-a-network")]
    [InlineData("203.0.113.7/24")]     // bits set beyond the prefix: a typo, not a network
    [InlineData("203.0.113.0/33")]
    [InlineData("203.0.113.0/-1")]
    [InlineData("::ffff:203.0.113.0/120")]
    [InlineData("")]
    public void AnEntryThatIsNoNetwork_IsRefused_Named(string entry)
    {
        Assert.Null(NetworkSet.TryParse(["192.0.2.0/24", entry], out string? error));
        Assert.Contains($"'{entry}'", error);
    }

    [Fact]
    public void TooManyEntries_AreRefused()
    {
        string[] entries = Enumerable.Range(0, NetworkSet.MaxEntries + 1).Select(i => $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}").ToArray();
        Assert.Null(NetworkSet.TryParse(entries, out string? error));
        Assert.Contains("at most 10000", error);
    }
}
