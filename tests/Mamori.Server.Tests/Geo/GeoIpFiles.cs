namespace Mamori.Server.Tests.Geo;

/// <summary>The real IP-to-country MaxMind DB the geo tests read (ip-location-db, CC0), or a skip with the reason.</summary>
internal static class GeoIpFiles
{
    /// <summary>geo-whois-asn-country.mmdb of npm @ip-location-db/geo-whois-asn-country-mmdb (.ci/services.sh installs it and exports MAMORI_GEOIP_COUNTRY).</summary>
    public static string Country()
    {
        string? path = Environment.GetEnvironmentVariable("MAMORI_GEOIP_COUNTRY");
        Skip.If(string.IsNullOrEmpty(path) || !File.Exists(path),
            "MAMORI_GEOIP_COUNTRY is not set to geo-whois-asn-country.mmdb of @ip-location-db/geo-whois-asn-country-mmdb (.ci/services.sh installs it)");
        return path!;
    }
}
