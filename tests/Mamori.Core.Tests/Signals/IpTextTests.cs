using System.Net;
using Mamori.Network;

namespace Mamori.Core.Tests.Signals;

public sealed class IpTextTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    [InlineData("::1", "::1")]
    public void CanonicalForms_AreRead(string text, string expected)
    {
        Assert.True(IpText.TryParseStrict(text, out IPAddress? address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("010.0.0.1")]          // octal to inet_aton: 8.0.0.1
    [InlineData("0300.0.0.1")]
    [InlineData("1.2.3")]              // 1.2.0.3
    [InlineData("1")]
    [InlineData("16909060")]           // 1.2.3.4
    [InlineData("0x1.0x2.0x3.0x4")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.")]
    [InlineData(".1.2.3")]
    [InlineData("1..2.3")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.4:80")]
    [InlineData("+1.2.3.4")]
    [InlineData("[2001:db8::1]")]
    [InlineData("[2001:db8::1]:80")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%4")]
    [InlineData("2001:db8::g")]
    [InlineData("")]
    [InlineData("not an address")]
    public void AmbiguousOrMalformedForms_AreRefused(string text)
    {
        Assert.False(IpText.TryParseStrict(text, out IPAddress? address));
        Assert.Null(address);
    }
}
