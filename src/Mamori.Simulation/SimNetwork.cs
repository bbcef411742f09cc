using System.Buffers.Binary;
using System.Net;

namespace Mamori.Simulation;

/// <summary>What kind of network an address belongs to; decides who uses it.</summary>
internal enum NetworkKind : byte
{
    /// <summary>Japanese mobile carrier: carrier-grade NAT, thousands of subscribers per address.</summary>
    MobileCarrier,
    /// <summary>Japanese home broadband: one address per household, stable for weeks.</summary>
    HomeBroadband,
    /// <summary>Business ISP line: one address per office, hundreds of users.</summary>
    Business,
    /// <summary>Cloud and VPS providers: where attack tooling runs.</summary>
    Hosting,
    /// <summary>Residential broadband abroad: travellers' hotels and attackers' residential proxies.</summary>
    ForeignResidential,
}

/// <summary>An autonomous system with a few IPv4 prefixes (and optionally one IPv6 prefix) to draw addresses from.</summary>
/// <remarks>
/// Prefixes are plausible ranges announced by the named AS (checked against public registries at the time of
/// writing) but the simulator does not claim they are current or complete; the ASN and country it writes
/// are what matter to detection.
/// </remarks>
internal sealed class SimNetwork(string name, int asn, string country, NetworkKind kind, string[] ipv4Prefixes, string? ipv6Prefix = null)
{
    private readonly (uint Base, uint Size)[] _v4 = ipv4Prefixes.Select(ParseV4).ToArray();
    private readonly byte[]? _v6 = ipv6Prefix is null ? null : IPAddress.Parse(ipv6Prefix).GetAddressBytes();

    public string Name { get; } = name;
    public int Asn { get; } = asn;
    public string Country { get; } = country;
    public NetworkKind Kind { get; } = kind;
    public bool HasIpv6 => _v6 is not null;

    /// <summary>A random IPv4 address in one of the prefixes (never the network or broadcast address of a /24).</summary>
    public SimAddress NextV4(Random random)
    {
        (uint start, uint size) = _v4[random.Next(_v4.Length)];
        uint offset = (uint)random.NextInt64(size);
        uint value = start + offset;
        if ((value & 0xFF) is 0 or 255) value = (value & 0xFFFFFF00) | (uint)random.Next(1, 255);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new SimAddress(new IPAddress(bytes), this);
    }

    /// <summary>An IPv6 address in the network's /32: <paramref name="subnet"/> picks the customer /64, the rest is random (privacy address).</summary>
    public SimAddress NextV6(Random random, ulong subnet)
    {
        if (_v6 is null) throw new InvalidOperationException($"{Name} has no IPv6 prefix.");
        Span<byte> bytes = stackalloc byte[16];
        _v6.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[4..8], (uint)subnet);
        random.NextBytes(bytes[8..16]);
        return new SimAddress(new IPAddress(bytes), this);
    }

    private static (uint, uint) ParseV4(string cidr)
    {
        int slash = cidr.IndexOf('/');
        uint start = BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(cidr[..slash]).GetAddressBytes());
        int bits = int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return (start, 1u << (32 - bits));
    }
}
