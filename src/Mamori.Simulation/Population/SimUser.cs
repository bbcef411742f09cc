using Mamori.Events;

namespace Mamori.Simulation.Population;

/// <summary>A device a user logs in from: a device token (null when the client keeps no cookie) and its user agent.</summary>
internal sealed class SimDevice(string? token, string userAgent)
{
    public string? Token { get; } = token;
    public string UserAgent { get; } = userAgent;
}

/// <summary>An office: one business line, hundreds of staff.</summary>
internal sealed class SimOffice(SimAddress address)
{
    public SimAddress Address { get; } = address;
}

/// <summary>A household's broadband line, shared by the family members who use the service.</summary>
/// <remarks>Mutable: the ISP reassigns the address now and then, for everyone in the household at once.</remarks>
internal sealed class SimHousehold(SimAddress address)
{
    public SimAddress Address { get; set; } = address;
}

/// <summary>One real user and the environment they log in from. Mutable: phones, home addresses and trips change.</summary>
internal sealed class SimUser
{
    public required int Index { get; init; }
    public required int AccountNumber { get; init; }
    /// <summary>The user's organisation in a multi-tenant run; null with one tenant.</summary>
    public string? Tenant { get; init; }
    public required string Account { get; init; }
    public required SecretFingerprint Secret { get; set; }
    public required bool HasPopularSecret { get; set; }
    /// <summary>Leak-list rank of the user's weak dictionary secret, if the first secret is one (see <see cref="PopularSecrets.DictionaryShare"/>).</summary>
    public int? DictionaryRank { get; set; }
    public int SecretVersion { get; set; }
    /// <summary>Mean logins per day (heavy-tailed across users).</summary>
    public required double DailyRate { get; init; }
    public required SimNetwork Carrier { get; init; }
    public bool UsesIpv6 { get; init; }
    public ulong Ipv6Subnet { get; init; }
    /// <summary>The CGNAT addresses of the user's carrier.</summary>
    public required SimAddress[] CarrierAddresses { get; init; }
    public SimHousehold? Household { get; init; }
    /// <summary>True for the member who "owns" the household line (its address changes are drawn once, on them).</summary>
    public bool HeadOfHousehold { get; init; }
    /// <summary>True for users behind a VPN or iCloud Private Relay: hosting-network addresses that change per session.</summary>
    public bool UsesRelay { get; init; }
    public SimOffice? Office { get; init; }
    public required SimDevice Phone { get; set; }
    public SimDevice? Pc { get; init; }
    public bool KeepsCookies { get; init; }
    /// <summary>Logins still to be labelled <see cref="LegitKinds.NewPhone"/> after buying a phone.</summary>
    public int NewPhoneLogins { get; set; }
    public long TripEndTicks { get; set; }
    public SimAddress? TripAddress { get; set; }
    public int TypoCounter { get; set; }
}
