using System.Net;
using Mamori.Events;
using MaxMind.Db;

namespace Mamori.Server.Geo;

/// <summary>
/// The operator's IP-geo databases (MaxMind DB files: GeoLite2/GeoIP2 Country, City or ASN, and files of the same
/// format that name a country <c>country_code</c>, such as ip-location-db's): the ASN and country of a login whose
/// caller did not send them. Many operators' logs hold only the address; the familiarity model backs off from an
/// address to its ASN and country, and the new-country rule needs the country.
/// </summary>
/// <remarks>Reading the format is MaxMind.Db's work; this class only picks the two fields. Thread-safe (the reader is).
/// A caller's own ASN or country is never replaced.</remarks>
public sealed class IpGeoDatabase : IDisposable
{
    private readonly (string Path, Reader Reader)[] _readers;

    private IpGeoDatabase((string, Reader)[] readers) => _readers = readers;

    /// <summary>Opens each of <paramref name="paths"/> (memory-mapped).</summary>
    /// <exception cref="InvalidDataException">A path is missing or is not a MaxMind DB file; the message names it.</exception>
    public static IpGeoDatabase Open(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) return None;
        var readers = new List<(string, Reader)>(paths.Count);
        try
        {
            foreach (string path in paths)
            {
                if (!File.Exists(path)) throw new InvalidDataException($"IP-geo database not found: {path}");
                try
                {
                    readers.Add((path, new Reader(path, FileAccessMode.MemoryMapped)));
                }
                catch (InvalidDatabaseException ex)
                {
                    throw new InvalidDataException($"{path} is not a MaxMind DB (.mmdb) file: {ex.Message}", ex);
                }
            }
        }
        catch
        {
            foreach ((_, Reader reader) in readers) reader.Dispose();
            throw;
        }
        return new IpGeoDatabase([.. readers]);
    }

    /// <summary>What each file is, for the start-up log: its path, type and build date.</summary>
    public IEnumerable<string> Describe() => _readers.Select(r =>
        $"{r.Path} ({r.Reader.Metadata.DatabaseType}, built {r.Reader.Metadata.BuildDate:yyyy-MM-dd}, IPv{r.Reader.Metadata.IPVersion})");

    /// <summary>The ASN and country of <paramref name="ip"/>: from the first file that has each; null where none has it.</summary>
    public (int? Asn, string? Country) Lookup(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        int? asn = null;
        string? country = null;
        foreach ((_, Reader reader) in _readers)
        {
            GeoRecord? found;
            try
            {
                found = reader.Find<GeoRecord>(ip);
            }
            catch (Exception ex) when (ex is InvalidDatabaseException or DeserializationException or ArgumentException)
            {
                continue;   // an IPv6 address in an IPv4-only file, a damaged record: this file has nothing to say
            }
            if (found is null) continue;
            asn ??= found.Asn is > 0 and <= int.MaxValue ? (int)found.Asn : null;
            country ??= CountryCode(found.CountryCode ?? found.Country?.IsoCode ?? found.RegisteredCountry?.IsoCode);
            if (asn is not null && country is not null) break;
        }
        return (asn, country);
    }

    /// <summary>No file: <see cref="Enrich"/> returns every attempt as it is.</summary>
    public static IpGeoDatabase None { get; } = new([]);

    /// <summary>Whether any file is open.</summary>
    public bool IsConfigured => _readers.Length > 0;

    /// <summary><paramref name="attempt"/> with the ASN and country it lacked, where a file knows them.</summary>
    public LoginAttempt Enrich(LoginAttempt attempt)
    {
        if (_readers.Length == 0 || (attempt.Asn is not null && attempt.Country is not null)) return attempt;
        (int? asn, string? country) = Lookup(attempt.Ip);
        if ((attempt.Asn is not null || asn is null) && (attempt.Country is not null || country is null)) return attempt;
        return attempt with { Asn = attempt.Asn ?? asn, Country = attempt.Country ?? country };
    }

    public void Dispose()
    {
        if (ReferenceEquals(this, None)) return;
        foreach ((_, Reader reader) in _readers) reader.Dispose();
    }

    /// <summary>An ISO 3166-1 alpha-2 code, upper case; anything else (a placeholder such as "ZZ" included) is null.</summary>
    private static string? CountryCode(string? code) =>
        code is { Length: 2 } && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1]) && !code.Equals("ZZ", StringComparison.OrdinalIgnoreCase)
            ? code.ToUpperInvariant()
            : null;

    /// <summary>The fields read from a record; the rest of it is skipped by the reader.</summary>
    internal sealed class GeoRecord
    {
        [Constructor]
        public GeoRecord(
            [MapKey("autonomous_system_number")] long asn = 0,
            [MapKey("country")] CountryRecord? country = null,
            [MapKey("registered_country")] CountryRecord? registeredCountry = null,
            [MapKey("country_code")] string? countryCode = null)
        {
            Asn = asn;
            Country = country;
            RegisteredCountry = registeredCountry;
            CountryCode = countryCode;
        }

        public long Asn { get; }
        public CountryRecord? Country { get; }
        public CountryRecord? RegisteredCountry { get; }
        public string? CountryCode { get; }
    }

    /// <summary>GeoIP2's country object: only its ISO code.</summary>
    internal sealed class CountryRecord
    {
        [Constructor]
        public CountryRecord([MapKey("iso_code")] string? isoCode = null) => IsoCode = isoCode;

        public string? IsoCode { get; }
    }
}
