using System.Globalization;
using Mamori.Events;

namespace Mamori.Simulation.Population;

/// <summary>
/// The simulated service's accounts and where its users come from: account numbers, carriers' CGNAT pools,
/// offices, households. Built once per run from the seed.
/// </summary>
internal sealed class World
{
    /// <summary>Lowest account number; numbers are 7 digits like Japanese bank account numbers.</summary>
    public const int AccountBase = 1_000_000;
    /// <summary>Subscribers per carrier CGNAT address: Japanese carriers put thousands behind one IPv4 address.</summary>
    public const int UsersPerCgnatAddress = 2_500;
    /// <summary>Share of users who also log in from home broadband.</summary>
    public const double HomeBroadbandShare = 0.55;
    /// <summary>Share of users who log in from an office at work.</summary>
    public const double OfficeShare = 0.12;
    /// <summary>Share of users with a PC besides their phone.</summary>
    public const double PcShare = 0.35;
    /// <summary>Share of users whose clients keep a device cookie (the rest send no device token).</summary>
    public const double CookieShare = 0.88;
    /// <summary>Share of households with a second member using the service (same line, shared PC).</summary>
    public const double SharedHouseholdShare = 0.12;
    /// <summary>Share of users behind a VPN or iCloud Private Relay (egress from CDN/hosting networks).</summary>
    public const double RelayShare = 0.03;
    /// <summary>Share of mobile users whose carrier gives them IPv6 (not behind CGNAT).</summary>
    public const double Ipv6Share = 0.15;

    private readonly SimUser?[] _byOffset;

    private readonly string[] _tenants;

    private World(SimUser[] users, SimUser?[] byOffset, string[] tenants)
    {
        Users = users;
        _byOffset = byOffset;
        _tenants = tenants;
    }

    /// <summary>A tenant for an account that does not exist (the attacker picked an organisation's login page); null with one tenant.</summary>
    public string? AnyTenant(Random random) => _tenants.Length == 0 ? null : _tenants[random.Next(_tenants.Length)];

    public static string FormatTenant(int index) => "org-" + index.ToString("D3", CultureInfo.InvariantCulture);

    public SimUser[] Users { get; }

    /// <summary>Account numbers are drawn from [AccountBase, AccountBase + AccountSpan): about half exist.</summary>
    public int AccountSpan => _byOffset.Length;

    public static string FormatAccount(int number) => number.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The user holding an account number, if it exists.</summary>
    public bool TryGetUser(int accountNumber, out SimUser user)
    {
        int offset = accountNumber - AccountBase;
        if ((uint)offset < (uint)_byOffset.Length && _byOffset[offset] is { } found)
        {
            user = found;
            return true;
        }
        user = null!;
        return false;
    }

    /// <summary>An account number that does not exist, near <paramref name="near"/> when possible (a mistyped digit).</summary>
    public int NonexistentNear(int near, Random random)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            int candidate = near + random.Next(-30, 31);
            if (candidate >= AccountBase && !TryGetUser(candidate, out _)) return candidate;
        }
        return AccountBase + AccountSpan + random.Next(1, 1_000_000);
    }

    public static World Build(SimulationOptions options)
    {
        var random = new Random(Seeds.For(options.Seed, "world"));
        int n = options.Users;
        int span = 2 * n;

        // Half of the number space exists, as in a bank branch where closed and unissued numbers mix with live ones.
        int[] numbers = new int[span];
        for (int i = 0; i < span; i++) numbers[i] = i;
        random.Shuffle(numbers);
        int[] chosen = numbers[..n];
        Array.Sort(chosen);

        // Carriers first, so each carrier's CGNAT pool is sized by its subscriber count.
        SimNetwork[] carrierOf = new SimNetwork[n];
        var subscribers = new Dictionary<SimNetwork, int>();
        for (int i = 0; i < n; i++)
        {
            carrierOf[i] = NetworkCatalog.PickByShare(NetworkCatalog.MobileCarriers, random);
            subscribers[carrierOf[i]] = subscribers.GetValueOrDefault(carrierOf[i]) + 1;
        }
        var pools = new Dictionary<SimNetwork, SimAddress[]>();
        foreach ((SimNetwork carrier, _) in NetworkCatalog.MobileCarriers)
        {
            int size = Math.Max(2, (int)Math.Ceiling(subscribers.GetValueOrDefault(carrier) / (double)UsersPerCgnatAddress));
            pools[carrier] = Enumerable.Range(0, size).Select(_ => carrier.NextV4(random)).ToArray();
        }

        // Tenants of Zipf-like sizes, drawn from their own random source so the rest of the world stays the same.
        string[] tenants = options.Tenants > 1 ? Enumerable.Range(1, options.Tenants).Select(FormatTenant).ToArray() : [];
        var tenantRandom = new Random(Seeds.For(options.Seed, "tenants"));
        var users = new SimUser[n];
        var byOffset = new SimUser?[span];
        SimOffice? office = null;
        SimUser? previous = null;
        int officeSeatsLeft = 0;
        for (int i = 0; i < n; i++)
        {
            int number = AccountBase + chosen[i];
            bool popular = random.Chance(PopularSecrets.UserShare);
            int? dictionaryRank = !popular && random.Chance(PopularSecrets.DictionaryShare)
                ? random.Next(PopularSecrets.DictionaryFirstRank, PopularSecrets.DictionaryLastRank) : null;
            SimOffice? userOffice = null;
            if (random.Chance(OfficeShare))
            {
                if (officeSeatsLeft == 0)
                {
                    // Office sizes are heavy-tailed: many small branches, a few headquarters.
                    officeSeatsLeft = Math.Min(600, 30 + (int)(40 / Math.Pow(1 - random.NextDouble(), 0.8)));
                    office = new SimOffice(random.Pick(NetworkCatalog.BusinessIsps).NextV4(random));
                }
                userOffice = office;
                officeSeatsLeft--;
            }
            bool keepsCookies = random.Chance(CookieShare);
            SimNetwork carrier = carrierOf[i];
            // A family member of the previous user: same home line, same shared PC (same device token).
            bool family = previous is { HeadOfHousehold: true, Household: not null } && random.Chance(SharedHouseholdShare);
            SimHousehold? household = family ? previous!.Household
                : random.Chance(HomeBroadbandShare) ? new SimHousehold(NetworkCatalog.PickByShare(NetworkCatalog.HomeIsps, random).NextV4(random)) : null;
            SimDevice? pc = family ? previous!.Pc ?? new SimDevice(keepsCookies ? NewToken(random) : null, random.Pick(UserAgents.Desktop))
                : random.Chance(PcShare) ? new SimDevice(keepsCookies ? NewToken(random) : null, random.Pick(UserAgents.Desktop)) : null;
            var user = new SimUser
            {
                Index = i,
                AccountNumber = number,
                Account = FormatAccount(number),
                Tenant = tenants.Length == 0 ? null : tenants[Distributions.Zipf(tenantRandom, tenants.Length, 0.8)],
                Secret = popular ? SecretFingerprints.Of(PopularSecrets.PickZipf(random))
                    : dictionaryRank is { } rank ? PopularSecrets.Leaked(rank) : UniqueSecret(i, 0),
                HasPopularSecret = popular,
                DictionaryRank = dictionaryRank,
                // Heavy tail: median a login every 4 days, a few users many times a day.
                DailyRate = Math.Min(24.0, 0.25 * Math.Exp(1.3 * Distributions.Normal(random))),
                Carrier = carrier,
                UsesIpv6 = carrier.HasIpv6 && random.Chance(Ipv6Share),
                Ipv6Subnet = (ulong)random.NextInt64(),
                CarrierAddresses = pools[carrier],
                Household = household,
                HeadOfHousehold = household is not null && !family,
                UsesRelay = random.Chance(RelayShare),
                Office = userOffice,
                KeepsCookies = keepsCookies,
                Phone = NewPhone(random, keepsCookies),
                Pc = pc,
            };
            users[i] = user;
            previous = user;
            byOffset[chosen[i]] = user;
        }
        return new World(users, byOffset, tenants);
    }

    /// <summary>The fingerprint of a user's own strong secret (unique to the user and version).</summary>
    public static SecretFingerprint UniqueSecret(int userIndex, int version) =>
        SecretFingerprints.Of(string.Create(CultureInfo.InvariantCulture, $"user-{userIndex}-secret-{version}-Xk9#"));

    public static SimDevice NewPhone(Random random, bool keepsCookies) =>
        new(keepsCookies ? NewToken(random) : null, random.Pick(UserAgents.Phone));

    /// <summary>A device token as operators issue them: an opaque random id.</summary>
    public static string NewToken(Random random)
    {
        Span<byte> bytes = stackalloc byte[12];
        random.NextBytes(bytes);
        return "dv_" + Convert.ToHexStringLower(bytes);
    }
}

/// <summary>Derives independent seeds per component, so adding an attack does not change legitimate traffic.</summary>
internal static class Seeds
{
    public static int For(int seed, string component)
    {
        // FNV-1a over the component name, mixed with the seed: stable across runs and platforms.
        uint hash = 2166136261;
        foreach (char c in component) hash = (hash ^ c) * 16777619;
        ulong mixed = ((ulong)(uint)seed << 32 | hash) * 0x9E3779B97F4A7C15UL;
        return (int)(mixed >> 33);
    }
}
