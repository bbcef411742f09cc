namespace Mamori.Simulation;

/// <summary>The networks the simulated population and attackers use, with realistic ASNs and countries.</summary>
/// <remarks>Market shares are rounded from public figures (MIC Japan, 2020) and only shape the mix.</remarks>
internal static class NetworkCatalog
{
    /// <summary>Japanese mobile carriers and their subscriber share. MVNO subscribers ride on these networks.</summary>
    public static readonly (SimNetwork Network, double Share)[] MobileCarriers =
    [
        (new SimNetwork("NTT Docomo", 9605, "JP", NetworkKind.MobileCarrier, ["1.66.0.0/15", "49.96.0.0/13", "110.163.0.0/16"], "2001:268::"), 0.38),
        (new SimNetwork("KDDI au", 2516, "JP", NetworkKind.MobileCarrier, ["106.128.0.0/13", "182.248.0.0/16", "111.239.0.0/16"], "2001:240::"), 0.29),
        (new SimNetwork("SoftBank", 17676, "JP", NetworkKind.MobileCarrier, ["126.0.0.0/12", "126.160.0.0/12"], "240b:10::"), 0.25),
        (new SimNetwork("Rakuten Mobile", 131449, "JP", NetworkKind.MobileCarrier, ["133.106.0.0/16", "157.192.0.0/16"]), 0.08),
    ];

    /// <summary>Japanese home broadband ISPs and their share of households in the simulation.</summary>
    public static readonly (SimNetwork Network, double Share)[] HomeIsps =
    [
        (new SimNetwork("OCN", 4713, "JP", NetworkKind.HomeBroadband, ["153.128.0.0/11", "114.160.0.0/13", "180.0.0.0/14"]), 0.35),
        (new SimNetwork("So-net", 2527, "JP", NetworkKind.HomeBroadband, ["118.240.0.0/13", "220.208.0.0/13"]), 0.20),
        (new SimNetwork("BIGLOBE", 2518, "JP", NetworkKind.HomeBroadband, ["114.144.0.0/13", "180.144.0.0/14"]), 0.15),
        (new SimNetwork("KDDI au Hikari", 2516, "JP", NetworkKind.HomeBroadband, ["111.96.0.0/12", "106.184.0.0/13"]), 0.18),
        (new SimNetwork("SoftBank BB", 17676, "JP", NetworkKind.HomeBroadband, ["219.0.0.0/11", "60.64.0.0/12"]), 0.12),
    ];

    /// <summary>Business lines offices sit behind.</summary>
    public static readonly SimNetwork[] BusinessIsps =
    [
        new("IIJ", 2497, "JP", NetworkKind.Business, ["210.130.0.0/16", "202.232.0.0/16"]),
        new("NTT Communications", 4713, "JP", NetworkKind.Business, ["61.112.0.0/13", "210.162.0.0/16"]),
        new("KDDI Business", 2516, "JP", NetworkKind.Business, ["210.196.0.0/16", "59.128.0.0/13"]),
    ];

    /// <summary>Cloud and VPS providers (attack tooling, proxies).</summary>
    public static readonly SimNetwork[] Hosting =
    [
        new("Amazon AWS", 16509, "JP", NetworkKind.Hosting, ["3.112.0.0/14", "52.192.0.0/15", "54.64.0.0/15"]),
        new("Amazon AWS", 16509, "US", NetworkKind.Hosting, ["3.80.0.0/12", "54.144.0.0/12"]),
        new("DigitalOcean", 14061, "US", NetworkKind.Hosting, ["159.65.0.0/16", "167.99.0.0/16"]),
        new("DigitalOcean", 14061, "SG", NetworkKind.Hosting, ["206.189.80.0/20", "128.199.128.0/18"]),
        new("OVH", 16276, "FR", NetworkKind.Hosting, ["51.38.0.0/16", "54.36.0.0/16", "145.239.0.0/16"]),
        new("Vultr", 20473, "JP", NetworkKind.Hosting, ["45.32.0.0/16", "45.76.96.0/19"]),
        new("Linode", 63949, "US", NetworkKind.Hosting, ["45.33.0.0/17", "172.104.0.0/15"]),
        new("Hetzner", 24940, "DE", NetworkKind.Hosting, ["78.46.0.0/15", "88.198.0.0/16"]),
    ];

    /// <summary>Where VPN and iCloud Private Relay users egress: CDN and VPN providers' Japanese ranges.</summary>
    /// <remarks>Legitimate traffic from networks that look like hosting: a "hosting ASN" signal alone must not deny.</remarks>
    public static readonly SimNetwork[] Relays =
    [
        new("Cloudflare (Private Relay)", 13335, "JP", NetworkKind.Hosting, ["104.28.0.0/17", "172.225.0.0/16"]),
        new("Akamai (Private Relay)", 36183, "JP", NetworkKind.Hosting, ["172.224.224.0/19", "146.75.160.0/19"]),
        new("M247 (VPN)", 9009, "JP", NetworkKind.Hosting, ["194.195.88.0/21", "89.187.160.0/20"]),
    ];

    /// <summary>Residential networks abroad: travellers' destinations and residential-proxy exits.</summary>
    public static readonly SimNetwork[] ForeignResidential =
    [
        new("Comcast", 7922, "US", NetworkKind.ForeignResidential, ["73.0.0.0/9", "24.0.0.0/12"]),
        new("Verizon", 701, "US", NetworkKind.ForeignResidential, ["71.160.0.0/11", "108.0.0.0/13"]),
        new("KT", 4766, "KR", NetworkKind.ForeignResidential, ["175.192.0.0/12", "121.128.0.0/11"]),
        new("Chunghwa HiNet", 3462, "TW", NetworkKind.ForeignResidential, ["114.32.0.0/12", "36.224.0.0/12"]),
        new("Chinanet", 4134, "CN", NetworkKind.ForeignResidential, ["58.32.0.0/11", "113.64.0.0/11"]),
        new("Viettel", 7552, "VN", NetworkKind.ForeignResidential, ["27.64.0.0/12", "171.224.0.0/11"]),
        new("True Internet", 7470, "TH", NetworkKind.ForeignResidential, ["171.96.0.0/13", "184.22.0.0/16"]),
        new("Singtel", 7473, "SG", NetworkKind.ForeignResidential, ["116.14.0.0/15", "118.200.0.0/13"]),
        new("Deutsche Telekom", 3320, "DE", NetworkKind.ForeignResidential, ["79.192.0.0/10", "91.0.0.0/10"]),
        new("Orange", 3215, "FR", NetworkKind.ForeignResidential, ["90.0.0.0/9", "86.192.0.0/11"]),
        new("BT", 2856, "GB", NetworkKind.ForeignResidential, ["86.128.0.0/10", "81.128.0.0/11"]),
        new("Telkom Indonesia", 7713, "ID", NetworkKind.ForeignResidential, ["36.64.0.0/11", "110.136.0.0/13"]),
        new("Vivo", 26599, "BR", NetworkKind.ForeignResidential, ["177.0.0.0/11", "187.0.0.0/11"]),
        new("Rostelecom", 12389, "RU", NetworkKind.ForeignResidential, ["95.24.0.0/13", "178.64.0.0/12"]),
    ];

    /// <summary>Where Japanese travellers go (indices into <see cref="ForeignResidential"/>), weighted.</summary>
    public static readonly (int Index, double Weight)[] TravelDestinations =
    [
        (0, 0.2), (1, 0.1), (2, 0.2), (3, 0.2), (6, 0.1), (7, 0.08), (8, 0.04), (9, 0.05), (10, 0.03),
    ];

    /// <summary>A network picked by share.</summary>
    public static SimNetwork PickByShare((SimNetwork Network, double Share)[] networks, Random random)
    {
        double x = random.NextDouble() * networks.Sum(n => n.Share);
        foreach ((SimNetwork network, double share) in networks)
        {
            if ((x -= share) < 0) return network;
        }
        return networks[^1].Network;
    }

    /// <summary>A travel destination network.</summary>
    public static SimNetwork PickTravelDestination(Random random)
    {
        double x = random.NextDouble() * TravelDestinations.Sum(d => d.Weight);
        foreach ((int index, double weight) in TravelDestinations)
        {
            if ((x -= weight) < 0) return ForeignResidential[index];
        }
        return ForeignResidential[TravelDestinations[^1].Index];
    }
}
