using System.Net;
using Mamori.Events;
using Mamori.Server.Geo;

namespace Mamori.Server.Tests.Geo;

/// <summary>
/// The operator's IP-geo databases, on a real one: ip-location-db's IP-to-country MaxMind DB (CC0; npm
/// @ip-location-db/geo-whois-asn-country-mmdb, installed by .ci/services.sh, which exports MAMORI_GEOIP_COUNTRY).
/// </summary>
public sealed class IpGeoDatabaseTests
{
    [SkippableTheory]
    [InlineData("1.66.0.1", "JP")]               // NTT Docomo
    [InlineData("126.0.0.1", "JP")]              // SoftBank
    [InlineData("::ffff:126.0.0.1", "JP")]       // the same, IPv4-mapped
    [InlineData("8.8.8.8", "US")]
    [InlineData("10.0.0.1", null)]               // private: in no country
    [InlineData("::1", null)]
    public void Lookup_GivesTheCountryOfTheFile(string ip, string? country)
    {
        using IpGeoDatabase geo = IpGeoDatabase.Open([GeoIpFiles.Country()]);
        (int? asn, string? found) = geo.Lookup(IPAddress.Parse(ip));
        Assert.Equal(country, found);
        Assert.Null(asn);   // a country file has no ASN
    }

    [SkippableFact]
    public void Enrich_FillsOnlyWhatTheAttemptLacks()
    {
        using IpGeoDatabase geo = IpGeoDatabase.Open([GeoIpFiles.Country()]);
        var bare = new LoginAttempt { Timestamp = DateTimeOffset.UnixEpoch, Account = "alice", Ip = IPAddress.Parse("1.66.0.1") };

        Assert.Equal("JP", geo.Enrich(bare).Country);
        LoginAttempt told = bare with { Country = "KR", Asn = 9605 };
        Assert.Same(told, geo.Enrich(told));   // the caller's own values win
        LoginAttempt nowhere = bare with { Ip = IPAddress.Parse("100.64.0.1") };   // shared address space: in no country
        Assert.Same(nowhere, geo.Enrich(nowhere));
        Assert.Same(bare, IpGeoDatabase.None.Enrich(bare));
        Assert.Contains(geo.Describe(), d => d.Contains("geo-whois-asn-country.mmdb", StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingFileOrOneThatIsNoMaxMindDb_IsRefusedNamed()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"mamori-{Guid.NewGuid():N}.mmdb");
        Assert.Contains(missing, Assert.Throws<InvalidDataException>(() => IpGeoDatabase.Open([missing])).Message);

        string text = Path.GetTempFileName();
        try
        {
            File.WriteAllText(text, "not a database");
            Assert.Contains(text, Assert.Throws<InvalidDataException>(() => IpGeoDatabase.Open([text])).Message);
        }
        finally
        {
            File.Delete(text);
        }
    }
}
