using Mamori.Network;
using Mamori.Signals;

namespace Mamori.Detectors;

/// <summary>A journey no one makes: from <paramref name="From"/> to here, <paramref name="Km"/> kilometres in <paramref name="Minutes"/> minutes.</summary>
internal readonly record struct TravelLeg(string From, int Km, long Minutes);

/// <summary>
/// Impossible travel (docs/detectors.md): a login from a country the account never used, too far from the country of its
/// last learned success for the time between them. A stolen device token (an infostealer's cookie jar) with the right
/// password passes every familiarity rule, since the token is the account's own; this is what gives it away.
/// </summary>
/// <remarks>
/// Only towards a country new to the account, from an ASN new to it and rare for the service: a user behind a VPN,
/// or living by a border, alternates between countries and networks their history holds, and a privacy relay's
/// addresses (which a whois-based GeoIP file places abroad) belong to networks many customers use. Only from a
/// learned success: an attacker's own logins are not learned, so they never move the account's last place. Countries
/// are placed at their centres (<see cref="CountryLocations"/>), so the distance is rough;
/// <see cref="FamiliarityOptions.ImpossibleTravelMinimumKm"/> keeps neighbours apart from it.
/// </remarks>
internal static class ImpossibleTravel
{
    /// <summary>The leg, when this attempt's country is impossible to reach from the last one in the time; null otherwise.</summary>
    public static TravelLeg? Check(in FamiliaritySignals f, string? country, bool hasAsn, double speedKmh, double minimumKm)
    {
        if (speedKmh <= 0 || f.LastCountry == 0 || country is null || f.UserCountry > 0) return null;
        // From a network the service's users almost never use, and the account never did: a stolen token's exit (a
        // hosting provider, a proxy abroad). A privacy relay or a VPN many customers use is common, whatever country
        // a GeoIP file gives its addresses; without the ASN nothing tells the two apart, and nothing is said.
        if (!hasAsn || f.UserAsn > 0 || !FamiliarityModel.IsRareNetwork(in f)) return null;
        ushort here = CountryLocations.Pack(country);
        if (here == 0 || here == f.LastCountry) return null;
        string? from = CountryLocations.Unpack(f.LastCountry);
        if (CountryLocations.DistanceKm(from, country) is not double km || km < minimumKm) return null;
        double hours = Math.Max(f.MinutesSinceLastCountry, 1) / 60.0;
        return km / hours > speedKmh ? new TravelLeg(from!, (int)Math.Round(km), f.MinutesSinceLastCountry) : null;
    }
}
