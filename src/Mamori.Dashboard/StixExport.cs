using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mamori.Campaigns;

namespace Mamori.Dashboard;

/// <summary>
/// A campaign's sources as a STIX 2.1 bundle of indicators (addresses, /24 or /48 networks, ASNs) for partner
/// institutions. Never includes secret ids or fingerprints: a partner needs where the attack came from, not what
/// was guessed.
/// </summary>
/// <remarks>
/// Deterministic: the same campaign state gives the same bytes (ids are UUIDv5 of the campaign id and pattern;
/// times are the campaign's own), so a re-export deduplicates at the receiver. Written with <see cref="Utf8JsonWriter"/>
/// because no STIX library is served to this build; the structure follows OASIS STIX 2.1 §3 (common properties) and
/// §4.7 (indicator).
/// </remarks>
internal static class StixExport
{
    /// <summary>Namespace of Mamori's UUIDv5 STIX ids (fixed forever: changing it changes every exported id).</summary>
    public static readonly Guid IdNamespace = new("5c1d7e0a-3b52-4f0e-9d7a-6a4e2b8f1c33");

    /// <summary>The STIX timestamp format: UTC, millisecond precision, <c>Z</c>.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Writes the bundle of <paramref name="campaign"/>.</summary>
    public static byte[] Bundle(CampaignView campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        string created = Timestamp(campaign.FirstSeen);
        string modified = Timestamp(campaign.LastSeen);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            // Patterns quote with ' and partners read and grep these files; the default encoder would write \u0027.
            // The bundle is a download (application/stix+json), never inlined into HTML, so relaxed escaping is safe here.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteString("type", "bundle");
            json.WriteString("id", "bundle--" + UuidV5(IdNamespace, $"bundle|{campaign.Id}|{modified}"));
            json.WriteStartArray("objects");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (SourceCount ip in campaign.TopIps)
                if (TryAddressPattern(ip.Source, out string pattern)) Indicator(json, campaign, created, modified, pattern, "address", ip, seen);
            foreach (SourceCount subnet in campaign.TopSubnets)
                if (TryAddressPattern(subnet.Source, out string pattern)) Indicator(json, campaign, created, modified, pattern, "network", subnet, seen);
            foreach (SourceCount asn in campaign.TopAsns)
                if (TryAsnPattern(asn.Source, out string pattern)) Indicator(json, campaign, created, modified, pattern, "autonomous system", asn, seen);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Indicator(Utf8JsonWriter json, CampaignView campaign, string created, string modified, string pattern,
        string what, SourceCount source, HashSet<string> seen)
    {
        if (!seen.Add(pattern)) return;
        json.WriteStartObject();
        json.WriteString("type", "indicator");
        json.WriteString("spec_version", "2.1");
        json.WriteString("id", "indicator--" + UuidV5(IdNamespace, campaign.Id + "|" + pattern));
        json.WriteString("created", created);
        json.WriteString("modified", modified);
        json.WriteString("name", $"{campaign.Kind.ToWireName()} source {what} {source.Source}");
        json.WriteString("description", string.Create(CultureInfo.InvariantCulture,
            $"Source {what} of Mamori campaign {campaign.Id} ({campaign.Kind.ToWireName()}): {source.Attempts} attempts between {created} and {modified}."));
        json.WriteStartArray("indicator_types");
        json.WriteStringValue("malicious-activity");
        json.WriteEndArray();
        json.WriteString("pattern", pattern);
        json.WriteString("pattern_type", "stix");
        json.WriteString("valid_from", created);
        json.WriteEndObject();
    }

    /// <summary>A pattern for an address or CIDR network; false for anything that does not parse (nothing is quoted blindly).</summary>
    internal static bool TryAddressPattern(string source, out string pattern)
    {
        pattern = "";
        string text = source;
        string suffix = "";
        int slash = source.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(source.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix)) return false;
            text = source[..slash];
            suffix = "/" + prefix.ToString(CultureInfo.InvariantCulture);
        }
        if (!IPAddress.TryParse(text, out IPAddress? address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        string type = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "ipv4-addr" : "ipv6-addr";
        // Re-formatted from the parsed address, so the value can hold no quote or bracket that would break the pattern.
        pattern = $"[{type}:value = '{address}{suffix}']";
        return true;
    }

    /// <summary>A pattern for <c>AS64500</c>.</summary>
    internal static bool TryAsnPattern(string source, out string pattern)
    {
        pattern = "";
        ReadOnlySpan<char> digits = source.StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? source.AsSpan(2) : source;
        if (!uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out uint number)) return false;
        pattern = string.Create(CultureInfo.InvariantCulture, $"[autonomous-system:number = {number}]");
        return true;
    }

    /// <summary>A STIX timestamp.</summary>
    internal static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>RFC 9562 §5.5 name-based UUID (SHA-1); .NET has v4 and v7 only, so it is written here.</summary>
    internal static Guid UuidV5(Guid ns, string name)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        byte[] input = new byte[16 + nameBytes.Length];
        ns.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for v5 ids; it is an identifier, not a security boundary.
        byte[] hash = SHA1.HashData(input);
#pragma warning restore CA5350
        Span<byte> bytes = hash.AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);   // version 5
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);   // RFC variant
        return new Guid(bytes, bigEndian: true);
    }
}
