using System.Net;
using Mamori.Network;

namespace Mamori.Core.Tests.Signals;

/// <summary>What one "address" is: an IPv4 address, or an IPv6 /64 (its host picks the rest, and changes it daily).</summary>
public sealed class NetworkKeysTests
{
    [Theory]
    [InlineData("2001:268:c0a1:1f00:1c4e:9a2b:77f0:3e01", "2001:268:c0a1:1f00:8d3:41aa:c2:19ff")]   // two privacy addresses of one phone
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff")]
    [InlineData("fe80::1%2", "fe80::1%3")]                                                        // the scope is not part of it
    public void TwoAddressesInOneSlash64_AreOneAddress(string a, string b)
    {
        Assert.Equal(NetworkKeys.Address(IPAddress.Parse(a)), NetworkKeys.Address(IPAddress.Parse(b)));
        Assert.Equal(NetworkKeys.AddressText(IPAddress.Parse(a)), NetworkKeys.AddressText(IPAddress.Parse(b)));
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1")]   // the neighbouring /64, same /48
    [InlineData("198.51.100.7", "198.51.100.8")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.8")]
    public void DifferentHostsOrLans_AreDifferentAddresses_InOneNetwork(string a, string b)
    {
        Assert.NotEqual(NetworkKeys.Address(IPAddress.Parse(a)), NetworkKeys.Address(IPAddress.Parse(b)));
        Assert.Equal(NetworkKeys.Subnet(IPAddress.Parse(a)), NetworkKeys.Subnet(IPAddress.Parse(b)));
    }

    [Fact]
    public void Ipv4_AndItsMappedForm_AreOneAddress_AndNoIpv6Prefix()
    {
        Assert.Equal(NetworkKeys.Address(IPAddress.Parse("198.51.100.7")), NetworkKeys.Address(IPAddress.Parse("::ffff:198.51.100.7")));
        // An IPv6 /64 whose first eight bytes spell an IPv4 address's four is still another key.
        Assert.NotEqual(NetworkKeys.Address(IPAddress.Parse("c633:6407::")), NetworkKeys.Address(IPAddress.Parse("198.51.100.7")));
    }

    [Theory]
    [InlineData("198.51.100.7", "198.51.100.7")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.7")]
    [InlineData("2001:268:c0a1:1f00:1c4e:9a2b:77f0:3e01", "2001:268:c0a1:1f00::/64")]
    [InlineData("fe80::1%2", "fe80::/64")]
    public void AddressText_NamesWhatTheKeyCounts(string ip, string text) =>
        Assert.Equal(text, NetworkKeys.AddressText(IPAddress.Parse(ip)));
}
