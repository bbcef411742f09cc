using Mamori.Events;
using static Mamori.Events.OptionalAttemptFields;

namespace Mamori.Cli.Replay;

/// <summary>
/// How many events carried each optional field the engine reads. A log without some of them is still replayed, but
/// the engine is blind to what they tell (<see cref="Missing"/> says what, for the run's notes and the report).
/// </summary>
internal sealed class FieldCoverage
{
    private readonly long[] _events = new long[Names.Count];

    /// <summary>Share of events below which a field counts as missing from the log.</summary>
    public const double MissingShare = 0.01;

    public void Add(LoginAttempt attempt)
    {
        for (int f = 0; f < _events.Length; f++)
            if (Carries(attempt, f)) _events[f]++;
    }

    /// <summary>The fields as the log formats name them, with their counts.</summary>
    public IEnumerable<(string Field, long Events)> Counts() => Names.Select((name, f) => (name, _events[f]));

    /// <summary>
    /// What the engine cannot see in a log of <paramref name="events"/> events, one sentence per missing field (or pair):
    /// the field(s), what detection loses, and what to do about it.
    /// </summary>
    public IReadOnlyList<(string[] Fields, string Consequence)> Missing(long events)
    {
        var missing = new List<(string[], string)>();
        if (events == 0) return missing;
        bool Lacks(int field) => _events[field] < MissingShare * events;
        static string Name(int field) => Names[field];
        if (Lacks(Asn) && Lacks(Country))
            missing.Add(([Name(Asn), Name(Country)], "a login from abroad or from a hosting provider looks like any new address, so phished credentials used from abroad and impossible travel go unseen; give --geoip with an ASN and a country database (MaxMind format)"));
        else if (Lacks(Asn))
            missing.Add(([Name(Asn)], "a new address in the user's own ISP cannot be told from one at a hosting provider; give --geoip with an ASN database (MaxMind format)"));
        else if (Lacks(Country))
            missing.Add(([Name(Country)], "a login from a country new to the account and impossible travel go unseen; give --geoip with a country database (MaxMind format)"));
        if (Lacks(UserAgent))
            missing.Add(([Name(UserAgent)], "a familiar browser cannot vouch for a login from a new address, nor a bot's browser string give it away"));
        if (Lacks(Device))
            missing.Add(([Name(Device)], "no device token vouches for a user on a new address, so more of them are stepped up during an attack, and a missing token cannot give a bot away"));
        if (Lacks(SecretFp))
            missing.Add(([Name(SecretFp)], "sprays and reverse brute force are told by addresses and accounts alone, with no campaign per password and no exposed-password list"));
        return missing;
    }
}
