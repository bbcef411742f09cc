using System.Globalization;
using Mamori.Events;

namespace Mamori.Simulation.Population;

/// <summary>
/// Generates the real users' logins: heavy-tailed activity, daily rhythm, CGNAT, offices, households, typos,
/// forgotten passwords, new phones, travel, and users without device cookies.
/// </summary>
/// <remarks>
/// Rates are per user per day unless stated. They are chosen to match published orders of magnitude (login
/// failure rates of 3–5% of attempts, password resets under 1% of sessions), not fitted to any dataset; the
/// engine must not be tuned to them.
/// </remarks>
internal sealed class LegitimateTraffic(World world, Timeline timeline, Random random)
{
    /// <summary>Chance a session starts with a mistyped account id.</summary>
    public const double WrongAccountRate = 0.004;
    /// <summary>Chance a session has one or two typos before success.</summary>
    public const double TypoRate = 0.03;
    /// <summary>Chance a session is a forgotten password: several wrong secrets, then success or a reset.</summary>
    public const double ForgottenRate = 0.003;
    /// <summary>Chance per day a user starts using a new phone.</summary>
    public const double NewPhoneRate = 0.0015;
    /// <summary>Chance per day a household's broadband address changes.</summary>
    public const double HomeAddressChangeRate = 0.01;
    /// <summary>Chance per day a user starts a trip abroad.</summary>
    public const double TripRate = 0.0007;

    public void Generate(int days)
    {
        foreach (SimUser user in world.Users)
        {
            for (int day = 0; day < days; day++)
            {
                long dayStart = timeline.StartTicks + day * TimeSpan.TicksPerDay;
                AdvanceLife(user, dayStart);
                // Day of week in Japan: dayStart is JST midnight, so +9 h lands on that JST date.
                DayOfWeek weekday = new DateTime(dayStart + 9 * TimeSpan.TicksPerHour, DateTimeKind.Unspecified).DayOfWeek;
                bool weekend = weekday is DayOfWeek.Saturday or DayOfWeek.Sunday;
                int sessions = Distributions.Poisson(random, user.DailyRate * (weekend ? 0.85 : 1.0));
                if (sessions == 0) continue;
                long[] starts = new long[sessions];
                for (int s = 0; s < sessions; s++) starts[s] = DailyRhythm.SampleInDay(random, dayStart);
                Array.Sort(starts);
                foreach (long start in starts) Session(user, start, weekend);
            }
        }
    }

    private void AdvanceLife(SimUser user, long dayStart)
    {
        if (random.Chance(NewPhoneRate))
        {
            user.Phone = World.NewPhone(random, user.KeepsCookies);
            user.NewPhoneLogins = 3;
        }
        if (user is { HeadOfHousehold: true, Household: { } household } && random.Chance(HomeAddressChangeRate))
            household.Address = household.Address.Network.NextV4(random);
        if (user.TripEndTicks <= dayStart && random.Chance(TripRate))
        {
            user.TripEndTicks = dayStart + random.Next(3, 11) * TimeSpan.TicksPerDay;
            user.TripAddress = NetworkCatalog.PickTravelDestination(random).NextV4(random);   // the hotel's Wi-Fi
        }
    }

    private void Session(SimUser user, long t, bool weekend)
    {
        (SimAddress address, SimDevice device, string kind) = Environment(user, t, weekend);
        string? ua = device.UserAgent;
        string? token = device.Token;

        double r = random.NextDouble();
        if (r < WrongAccountRate)
        {
            // A mistyped digit: the real password against an account number that does not exist.
            string wrong = World.FormatAccount(world.NonexistentNear(user.AccountNumber, random));
            timeline.Add(t, wrong, address, LoginOutcome.UnknownAccount, ua, token, user.Secret, TruthLabel.Legit, LegitKinds.WrongAccount, tenant: user.Tenant);
            t += Seconds(4, 25);
            kind = LegitKinds.WrongAccount;
        }
        else if (r < WrongAccountRate + TypoRate)
        {
            kind = LegitKinds.Typo;
            int typos = random.Chance(0.2) ? 2 : 1;
            for (int i = 0; i < typos; i++)
            {
                Fail(user, t, address, ua, token, Typo(user), kind);
                t += Seconds(3, 20);
            }
        }
        else if (r < WrongAccountRate + TypoRate + ForgottenRate)
        {
            kind = LegitKinds.Forgotten;
            SecretFingerprint old = SecretFingerprints.Of(string.Create(CultureInfo.InvariantCulture, $"user-{user.Index}-old-secret"));
            int wrongs = random.Next(3, 9);
            for (int i = 0; i < wrongs; i++)
            {
                // The old password again and again, some variants, and now and then a popular one ("password1?").
                double w = random.NextDouble();
                SecretFingerprint guess = w < 0.5 ? old : w < 0.85 ? Typo(user) : SecretFingerprints.Of(PopularSecrets.PickZipf(random));
                if (guess == user.Secret) guess = Typo(user);
                Fail(user, t, address, ua, token, guess, kind);
                t += Seconds(8, 60);
            }
            if (random.Chance(0.45))
            {
                // Password reset by e-mail (not a login event), then a login with the new secret.
                user.SecretVersion++;
                bool popular = random.Chance(PopularSecrets.UserShare);
                user.HasPopularSecret = popular;
                user.DictionaryRank = null;
                user.Secret = popular ? SecretFingerprints.Of(PopularSecrets.PickZipf(random)) : World.UniqueSecret(user.Index, user.SecretVersion);
                t += Seconds(180, 2400);
            }
        }
        timeline.Add(t, user.Account, address, LoginOutcome.Success, ua, token, user.Secret, TruthLabel.Legit, kind, tenant: user.Tenant);
    }

    private (SimAddress, SimDevice, string) Environment(SimUser user, long t, bool weekend)
    {
        int hour = DailyRhythm.JstHour(t);
        string kind = user.HasPopularSecret ? LegitKinds.PopularPassword : LegitKinds.Normal;
        if (user.NewPhoneLogins > 0)
        {
            user.NewPhoneLogins--;
            return (MobileAddress(user), user.Phone, LegitKinds.NewPhone);
        }
        if (user.TripEndTicks > t && user.TripAddress is { } hotel)
        {
            // Abroad: hotel Wi-Fi, or roaming, which home-routes through the Japanese carrier.
            return (random.Chance(0.6) ? hotel : MobileAddress(user), user.Phone, LegitKinds.Travel);
        }
        if (user.Office is { } office && !weekend && hour is >= 9 and < 18 && random.Chance(0.7))
            return (office.Address, user.Pc ?? user.Phone, kind);
        if (user.UsesRelay && random.Chance(0.8))
        {
            // VPN / iCloud Private Relay: a CDN or hosting egress in Japan, a different address each session.
            return (random.Pick(NetworkCatalog.Relays).NextV4(random), user.Phone, kind);
        }
        if (user.Household is { } home && (weekend || hour >= 19 || hour < 8) && random.Chance(0.6))
            return (home.Address, user.Pc is { } pc && random.Chance(0.4) ? pc : user.Phone, kind);
        return (MobileAddress(user), user.Phone, kind);
    }

    private SimAddress MobileAddress(SimUser user) =>
        user.UsesIpv6 && random.Chance(0.7) ? user.Carrier.NextV6(random, user.Ipv6Subnet) : random.Pick(user.CarrierAddresses);

    private void Fail(SimUser user, long t, SimAddress address, string? ua, string? token, SecretFingerprint guess, string kind) =>
        timeline.Add(t, user.Account, address, LoginOutcome.WrongSecret, ua, token, guess, TruthLabel.Legit, kind, tenant: user.Tenant);

    /// <summary>A mistyped secret: unique to this user and attempt.</summary>
    private static SecretFingerprint Typo(SimUser user) =>
        SecretFingerprints.Of(string.Create(CultureInfo.InvariantCulture, $"user-{user.Index}-typo-{user.TypoCounter++}"));

    private long Seconds(int min, int max) => (long)((min + random.NextDouble() * (max - min)) * TimeSpan.TicksPerSecond);
}
