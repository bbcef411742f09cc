namespace Mamori.Cli.Replay;

/// <summary>
/// How many events carried each optional field the engine reads. A log without some of them is still replayed, but
/// the engine is blind to what they tell (<see cref="Missing"/> says what, for the run's notes and the report).
/// </summary>
internal sealed class FieldCoverage
{
    public long UserAgent { get; set; }
    public long Device { get; set; }
    public long SecretFingerprint { get; set; }
    public long Asn { get; set; }
    public long Country { get; set; }

    /// <summary>Share of events below which a field counts as missing from the log.</summary>
    public const double MissingShare = 0.01;

    public void Add(Events.LoginAttempt attempt)
    {
        if (attempt.UserAgent is not null) UserAgent++;
        if (attempt.Device is not null) Device++;
        if (attempt.Secret is not null) SecretFingerprint++;
        if (attempt.Asn is not null) Asn++;
        if (attempt.Country is not null) Country++;
    }

    /// <summary>The fields as the log formats name them, with their counts.</summary>
    public IEnumerable<(string Field, long Events)> Counts() =>
        [("user_agent", UserAgent), ("device", Device), ("secret_fp", SecretFingerprint), ("asn", Asn), ("country", Country)];

    /// <summary>
    /// What the engine cannot see in a log of <paramref name="events"/> events, one sentence per missing field (or pair):
    /// the field(s), what detection loses, and what to do about it.
    /// </summary>
    public IReadOnlyList<(string[] Fields, string Consequence)> Missing(long events)
    {
        var missing = new List<(string[], string)>();
        if (events == 0) return missing;
        bool Lacks(long count) => count < MissingShare * events;
        if (Lacks(Asn) && Lacks(Country))
            missing.Add((["asn", "country"], "a login from abroad or from a hosting provider looks like any new address, so phished credentials used from abroad and impossible travel go unseen; give --geoip with an ASN and a country database (MaxMind format)"));
        else if (Lacks(Asn))
            missing.Add((["asn"], "a new address in the user's own ISP cannot be told from one at a hosting provider; give --geoip with an ASN database (MaxMind format)"));
        else if (Lacks(Country))
            missing.Add((["country"], "a login from a country new to the account and impossible travel go unseen; give --geoip with a country database (MaxMind format)"));
        if (Lacks(UserAgent))
            missing.Add((["user_agent"], "a familiar browser cannot vouch for a login from a new address, nor a bot's browser string give it away"));
        if (Lacks(Device))
            missing.Add((["device"], "no device token vouches for a user on a new address, so more of them are stepped up during an attack, and a missing token cannot give a bot away"));
        if (Lacks(SecretFingerprint))
            missing.Add((["secret_fp"], "sprays and reverse brute force are told by addresses and accounts alone, with no campaign per password and no exposed-password list"));
        return missing;
    }
}
