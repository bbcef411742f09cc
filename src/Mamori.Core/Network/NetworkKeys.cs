using System.Net;
using System.Net.Sockets;

namespace Mamori.Network;

/// <summary>
/// Keys for a client's address and the network around it. An IPv4 address is one key; an IPv6 address is keyed by its
/// /64. The network around it is the IPv4 /24 or the IPv6 /48, the usual unit one party controls.
/// </summary>
/// <remarks>
/// Why the /64: an IPv6 host picks the low 64 bits itself, and with privacy addresses (RFC 8981) it picks new ones
/// every day or every connection. A phone on a Japanese carrier's IPv6 gets a /64 of its own; a home router gets a
/// /64 (often a /56) for its LAN; a VPS comes with a whole /64, and "IPv6 proxies" rotate through one for free. Keyed by
/// the full address, a returning customer would look like a new address every day, and an attacker would get 2^64
/// addresses that each try one account. Keyed by the /64, both are one address, as the same parties are on IPv4.
/// </remarks>
internal static class NetworkKeys
{
    private const ulong IpDomain = 0x4950;
    private const ulong SubnetDomain = 0x5342;
    private const ulong Ipv6PrefixDomain = 0x4936;

    /// <summary>Bytes of an IPv6 address that name its /64 (the interface identifier is the rest).</summary>
    private const int Ipv6AddressBytes = 8;

    /// <summary>Hash of the address itself, or of its /64 for IPv6 (IPv4-mapped IPv6 is folded to IPv4).</summary>
    public static ulong Address(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[16];
        ip = Normalise(ip);
        ip.TryWriteBytes(bytes, out int written);
        return written == 4 ? Hashing.Of(bytes[..4], IpDomain) : Hashing.Of(bytes[..Ipv6AddressBytes], Ipv6PrefixDomain);
    }

    /// <summary>Hash of the /24 (IPv4) or /48 (IPv6) holding the address.</summary>
    public static ulong Subnet(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[16];
        ip = Normalise(ip);
        ip.TryWriteBytes(bytes, out int written);
        int keep = written == 4 ? 3 : 6;
        return Hashing.Of(bytes[..keep], SubnetDomain + (ulong)written);
    }

    /// <summary>What <see cref="Address"/> keys, as text for reports: the IPv4 address, or the IPv6 /64 in CIDR text.</summary>
    public static string AddressText(IPAddress ip)
    {
        ip = Normalise(ip);
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return ip.ToString();
        byte[] bytes = ip.GetAddressBytes();   // without the scope: the key ignores it
        Array.Clear(bytes, Ipv6AddressBytes, 16 - Ipv6AddressBytes);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>The /24 or /48 in CIDR text, for reports and STIX indicators.</summary>
    public static string SubnetText(IPAddress ip)
    {
        ip = Normalise(ip);
        byte[] bytes = ip.GetAddressBytes();
        if (bytes.Length == 4)
        {
            bytes[3] = 0;
            return new IPAddress(bytes) + "/24";
        }
        Array.Clear(bytes, 6, 10);
        return new IPAddress(bytes) + "/48";
    }

    /// <summary>Folds IPv4-mapped IPv6 (::ffff:1.2.3.4) to IPv4 so one client has one key.</summary>
    public static IPAddress Normalise(IPAddress ip) =>
        ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
}
