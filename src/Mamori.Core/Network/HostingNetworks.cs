using System.Collections.Frozen;
using System.Globalization;

namespace Mamori.Network;

/// <summary>
/// Autonomous systems of compute clouds and server hosts: networks whose addresses are rented servers, not
/// customers' lines. A login from one, in an environment the account does not know, is a phishing kit's or a bot's
/// server far more often than a person (<c>Familiarity:StepUpHostingNetworks</c>, ADR 0019).
/// </summary>
/// <remarks>
/// <para>Kept by hand: which ASNs are which company is public registry data (RIR whois, PeeringDB), and the few that
/// matter barely change. MaxMind's hosting-provider flag is in its paid databases only, so the operator adds their own
/// (<c>Familiarity:HostingAsns</c>) and takes out what their customers use (<c>Familiarity:NotHostingAsns</c>).</para>
/// <para>Left out on purpose, though they are hosting companies too: the networks commercial VPNs and privacy relays
/// exit from (M247, Datacamp/CDN77, Leaseweb, Clouvider; Cloudflare WARP and iCloud Private Relay on Cloudflare,
/// Akamai and Fastly). Customers use those every day; a login from one is judged on its account's history like any
/// other network.</para>
/// </remarks>
internal static class HostingNetworks
{
    /// <summary>The built-in list: ASN and the company it belongs to (said in the reason's message).</summary>
    public static FrozenDictionary<int, string> BuiltIn { get; } = new Dictionary<int, string>
    {
        [16509] = "Amazon AWS", [14618] = "Amazon AWS", [8987] = "Amazon AWS",
        [15169] = "Google Cloud", [396982] = "Google Cloud",
        [8075] = "Microsoft Azure",
        [31898] = "Oracle Cloud",
        [36351] = "IBM Cloud",
        [45102] = "Alibaba Cloud", [37963] = "Alibaba Cloud",
        [45090] = "Tencent Cloud", [132203] = "Tencent Cloud",
        [14061] = "DigitalOcean",
        [63949] = "Akamai Cloud (Linode)",
        [20473] = "Vultr",
        [24940] = "Hetzner", [213230] = "Hetzner", [212317] = "Hetzner",
        [16276] = "OVHcloud",
        [12876] = "Scaleway",
        [51167] = "Contabo",
        [197540] = "netcup",
        [8560] = "IONOS", [51862] = "IONOS",
        [7684] = "SAKURA Internet", [9370] = "SAKURA Internet", [9371] = "SAKURA Internet",
    }.ToFrozenDictionary();

    /// <summary>The effective list: the built-in one, plus <paramref name="added"/>, minus <paramref name="removed"/>
    /// (validated options: each a number or <c>AS</c> and a number).</summary>
    public static FrozenDictionary<int, string> Effective(IEnumerable<string> added, IEnumerable<string> removed)
    {
        var list = new Dictionary<int, string>(BuiltIn);
        foreach (string text in added)
            if (TryParseAsn(text, out int asn)) list.TryAdd(asn, "listed by the operator");
        foreach (string text in removed)
            if (TryParseAsn(text, out int asn)) list.Remove(asn);
        return list.ToFrozenDictionary();
    }

    /// <summary>An ASN as an operator writes it: <c>64500</c> or <c>AS64500</c> (any case, surrounding spaces ignored), from 1
    /// up (a login's ASN is a 31-bit number here).</summary>
    public static bool TryParseAsn(string? text, out int asn)
    {
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        if (span.StartsWith("AS", StringComparison.OrdinalIgnoreCase)) span = span[2..];
        return int.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out asn) && asn > 0;
    }
}
