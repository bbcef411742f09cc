using System.Globalization;
using Mamori.Events;
using Mamori.Simulation.Population;

namespace Mamori.Simulation.Attacks;

/// <summary>What every attack generator needs: the world, the timeline, its own random source and placement in time.</summary>
/// <param name="startTicks">When the campaign begins (UTC ticks).</param>
/// <param name="endTicks">End of the simulated period; events after it are dropped by the timeline.</param>
/// <param name="tenantSeed">Seed of the random source that picks tenants for unknown accounts.</param>
internal sealed class AttackContext(World world, Timeline timeline, Random random, string scenario, long startTicks, long endTicks, int tenantSeed)
{
    // Own random source for tenants of unknown accounts, so the number of tenants does not change the attack itself.
    private readonly Random _tenantRandom = new(tenantSeed);

    public World World { get; } = world;
    public Random Random { get; } = random;
    public string Scenario { get; } = scenario;
    public long StartTicks { get; } = startTicks;
    public long EndTicks { get; } = endTicks;
    public long Duration => EndTicks - StartTicks;

    /// <summary>Records one attacker attempt with the outcome the service would give it; returns true on a takeover.</summary>
    public bool Attempt(long t, int accountNumber, SimAddress address, SecretFingerprint secret, string? userAgent, string? device)
    {
        string account;
        string? tenant;
        LoginOutcome outcome;
        if (World.TryGetUser(accountNumber, out SimUser user))
        {
            account = user.Account;
            tenant = user.Tenant;
            outcome = user.Secret == secret ? LoginOutcome.Success : LoginOutcome.WrongSecret;
        }
        else
        {
            account = World.FormatAccount(accountNumber);
            tenant = World.AnyTenant(_tenantRandom);
            outcome = LoginOutcome.UnknownAccount;
        }
        bool takeover = outcome == LoginOutcome.Success;
        timeline.Add(t, account, address, outcome, userAgent, device, secret, TruthLabel.Attack, Scenario, takeover, tenant);
        return takeover;
    }

    /// <summary>A pool of attacker addresses: hosting, foreign residential and Japanese residential proxies.</summary>
    public SimAddress[] AddressPool(int size, double hostingShare, double japaneseResidentialShare)
    {
        var pool = new SimAddress[size];
        for (int i = 0; i < size; i++)
        {
            double x = Random.NextDouble();
            SimNetwork network = x < hostingShare ? Random.Pick(NetworkCatalog.Hosting)
                : x < hostingShare + japaneseResidentialShare ? NetworkCatalog.PickByShare(NetworkCatalog.HomeIsps, Random)
                : Random.Pick(NetworkCatalog.ForeignResidential);
            pool[i] = network.NextV4(Random);
        }
        return pool;
    }

    /// <summary>Existing users' account numbers, shuffled; the targets of sprays that work from a list of real ids.</summary>
    public int[] ExistingTargets(int count)
    {
        int[] numbers = World.Users.Select(u => u.AccountNumber).ToArray();
        Random.Shuffle(numbers);
        return numbers[..Math.Min(count, numbers.Length)];
    }

    /// <summary>An account number that does not exist (a guessed or stale id).</summary>
    public int NonexistentAccount() => World.NonexistentNear(World.AccountBase + Random.Next(World.AccountSpan), Random);

    /// <summary>The fingerprint of a password from a leak list, by rank.</summary>
    public static SecretFingerprint LeakedSecret(int rank) => PopularSecrets.Leaked(rank);

    public long Seconds(double min, double max) => (long)((min + Random.NextDouble() * (max - min)) * TimeSpan.TicksPerSecond);
}
