using System.Net;
using System.Net.Sockets;

namespace Mamori.Network;

/// <summary>Keys for an address and the network around it: IPv4 /24 and IPv6 /48, the usual unit one party controls.</summary>
internal static class NetworkKeys
{
    private const ulong IpDomain = 0x4950;
    private const ulong SubnetDomain = 0x5342;

    /// <summary>Hash of the address itself (IPv4-mapped IPv6 is folded to IPv4).</summary>
    public static ulong Address(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[16];
        ip = Normalise(ip);
        ip.TryWriteBytes(bytes, out int written);
        return Hashing.Of(bytes[..written], IpDomain);
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
