using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Mamori.Network;

/// <summary>
/// A set of networks (CIDR blocks or single addresses) an operator names in configuration, asked once or twice a
/// login whether it holds an address. One hash lookup per distinct prefix length, so a list of hundreds costs what a
/// list of a few does.
/// </summary>
internal sealed class NetworkSet
{
    /// <summary>Most entries a list may hold: a configuration value, not a feed.</summary>
    public const int MaxEntries = 10_000;

    // Per address family, the prefix lengths in use (longest first) and the masked prefixes of each.
    private readonly (int Length, HashSet<UInt128> Prefixes)[] _v4, _v6;

    private NetworkSet((int, HashSet<UInt128>)[] v4, (int, HashSet<UInt128>)[] v6)
    {
        _v4 = v4;
        _v6 = v6;
    }

    /// <summary>Parses <paramref name="entries"/> ("203.0.113.0/24", "2001:db8::/32", "198.51.100.7").</summary>
    /// <returns>The set, or null with <paramref name="error"/> naming the first entry that is not a network.</returns>
    public static NetworkSet? TryParse(IReadOnlyList<string> entries, out string? error)
    {
        error = null;
        if (entries.Count > MaxEntries)
        {
            error = $"holds {entries.Count} entries; at most {MaxEntries}.";
            return null;
        }
        var v4 = new Dictionary<int, HashSet<UInt128>>();
        var v6 = new Dictionary<int, HashSet<UInt128>>();
        foreach (string raw in entries)
        {
            string entry = raw?.Trim() ?? "";
            if (!TryParseEntry(entry, out IPAddress? address, out int length))
            {
                error = $"'{(entry.Length > 64 ? entry[..64] + "…" : entry)}' is not an IPv4 or IPv6 network (CIDR, e.g. 203.0.113.0/24) or address.";
                return null;
            }
            bool four = address!.AddressFamily == AddressFamily.InterNetwork;
            Dictionary<int, HashSet<UInt128>> family = four ? v4 : v6;
            if (!family.TryGetValue(length, out HashSet<UInt128>? prefixes)) family[length] = prefixes = [];
            prefixes.Add(Mask(Bits(address), length, four));
        }
        return new NetworkSet(Order(v4), Order(v6));
    }

    /// <summary>Whether <paramref name="ip"/> lies in one of the networks (IPv4-mapped IPv6 as IPv4).</summary>
    public bool Contains(IPAddress ip)
    {
        ip = NetworkKeys.Normalise(ip);
        bool four = ip.AddressFamily == AddressFamily.InterNetwork;
        UInt128 bits = Bits(ip);
        foreach ((int length, HashSet<UInt128> prefixes) in four ? _v4 : _v6)
            if (prefixes.Contains(Mask(bits, length, four))) return true;
        return false;
    }

    private static bool TryParseEntry(string entry, out IPAddress? address, out int length)
    {
        address = null;
        length = 0;
        if (entry.Length is 0 or > 64) return false;
        if (!entry.Contains('/'))
        {
            if (!IPAddress.TryParse(entry, out address)) return false;
            address = NetworkKeys.Normalise(address);
            length = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            return true;
        }
        // The address part must be the network's own: "203.0.113.7/24" is a typo worth reporting, not 203.0.113.0/24.
        int slash = entry.IndexOf('/');
        if (!IPAddress.TryParse(entry.AsSpan(0, slash), out IPAddress? written) || !IPNetwork.TryParse(entry, out IPNetwork network)) return false;
        address = network.BaseAddress;
        length = network.PrefixLength;
        if (address.IsIPv4MappedToIPv6) return false;   // write it as IPv4
        bool four = address.AddressFamily == AddressFamily.InterNetwork;
        return Bits(written) == Mask(Bits(written), length, four);
    }

    private static (int, HashSet<UInt128>)[] Order(Dictionary<int, HashSet<UInt128>> family) =>
        family.OrderByDescending(p => p.Key).Select(p => (p.Key, p.Value)).ToArray();

    private static UInt128 Bits(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out int written);
        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static UInt128 Mask(UInt128 bits, int length, bool four)
    {
        int width = four ? 32 : 128;
        if (length == 0) return 0;
        return bits >> (width - length) << (width - length);
    }
}
