using Mamori.Events;
using Mamori.Simulation.Population;

namespace Mamori.Simulation.Attacks;

/// <summary>The attack generators, one method per scenario. Sizes follow the incidents (and issue 2's scenario tests).</summary>
internal static class AttackGenerators
{
    /// <summary>Reverse brute force account numbers tried (Docomo case: thousands of numbers, one PIN each).</summary>
    public const int ReverseBruteForceTargets = 5_000;
    /// <summary>Rotating source addresses of the reverse brute force.</summary>
    public const int ReverseBruteForceAddresses = 300;
    /// <summary>Most attempts one reverse-brute-force address makes in any hour.</summary>
    public const int ReverseBruteForcePerAddressPerHour = 2;
    /// <summary>Accounts the password spray targets.</summary>
    public const int SprayTargets = 3_000;
    /// <summary>Leaked pairs the stuffing run tries.</summary>
    public const int StuffingPairs = 20_000;
    /// <summary>Share of leaked identifiers that are accounts here.</summary>
    public const double StuffingExistingShare = 0.6;
    /// <summary>Chance an existing leaked identifier's password is reused here (0.6 × 0.025 ≈ 1.5% of pairs succeed).</summary>
    public const double StuffingReuse = 0.025;
    /// <summary>Accounts the low-and-slow spray targets.</summary>
    public const int LowSlowTargets = 2_000;

    public static void Generate(SimulationScenario scenario, AttackContext context)
    {
        switch (scenario)
        {
            case SimulationScenario.ReverseBruteForce: ReverseBruteForce(context); break;
            case SimulationScenario.PasswordSpray: PasswordSpray(context); break;
            case SimulationScenario.CredentialStuffing: CredentialStuffing(context); break;
            case SimulationScenario.BruteForce: BruteForce(context); break;
            case SimulationScenario.Phished: Phished(context); break;
            case SimulationScenario.LowSlowSpray: LowSlowSpray(context); break;
            default: throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Not an attack scenario.");
        }
    }

    /// <summary>
    /// Docomo-style: consecutive account numbers (many not issued), each tried with one or two common PINs, from
    /// 300 rotating addresses at most 2 attempts per address per hour, so no account and no address stands out.
    /// </summary>
    private static void ReverseBruteForce(AttackContext c)
    {
        int targets = Math.Min(ReverseBruteForceTargets, c.World.AccountSpan);
        int first = World.AccountBase + c.Random.Next(Math.Max(1, c.World.AccountSpan - targets + 1));
        SimAddress[] pool = c.AddressPool(ReverseBruteForceAddresses, hostingShare: 0.3, japaneseResidentialShare: 0.4);
        string ua = c.Random.Pick(UserAgents.Tooling);

        // Round-robin over the pool: each address is reused every pool.Length slots = 1,900 s, so even with the
        // jitter below (under half a slot) any one address makes at most 2 attempts in any hour.
        double slotSeconds = 1900.0 / pool.Length;
        long t = c.StartTicks;
        int slot = 0;
        for (int k = 0; k < targets; k++)
        {
            int account = first + k;
            int pins = c.Random.Chance(0.4) ? 2 : 1;
            for (int p = 0; p < pins; p++)
            {
                long at = t + (long)(slot * slotSeconds * TimeSpan.TicksPerSecond) + c.Seconds(0, slotSeconds * 0.45);
                bool takeover = c.Attempt(at, account, pool[slot % pool.Length], SecretFingerprints.Of(PopularSecrets.Pins[p]), ua, null);
                slot++;
                if (takeover || !c.World.TryGetUser(account, out _)) break;   // in, or "no such account": move on
            }
        }
    }

    /// <summary>Strontium-style: three common passwords, each in a round across 3,000 accounts, from ~1,200 addresses.</summary>
    private static void PasswordSpray(AttackContext c)
    {
        int[] existing = c.ExistingTargets(SprayTargets);
        // The target list came from public sources: about 5% of the ids do not exist (left staff, typos).
        var targets = existing.Concat(Enumerable.Range(0, Math.Max(1, existing.Length / 20)).Select(_ => c.NonexistentAccount())).ToArray();
        c.Random.Shuffle(targets);
        SimAddress[] pool = c.AddressPool(1_200, hostingShare: 0.4, japaneseResidentialShare: 0.1);
        string[] passwords = ["Password1", "123456", "qwerty"];
        var taken = new HashSet<int>();
        for (int round = 0; round < passwords.Length; round++)
        {
            var secret = SecretFingerprints.Of(passwords[round]);
            long roundStart = c.StartTicks + round * 6 * TimeSpan.TicksPerHour;
            double gap = 2.0 * 3600 / targets.Length;   // each round takes about two hours
            for (int i = 0; i < targets.Length; i++)
            {
                if (taken.Contains(targets[i])) continue;
                long at = roundStart + (long)(i * gap * TimeSpan.TicksPerSecond) + c.Seconds(0, gap);
                if (c.Attempt(at, targets[i], c.Random.Pick(pool), secret, c.Random.Pick(UserAgents.Tooling), null)) taken.Add(targets[i]);
            }
        }
    }

    /// <summary>
    /// SBI-style: leaked identifier/password pairs (popularity Zipfian) from residential proxies, ~10 attempts per
    /// address; 60% of identifiers exist here, 2.5% of those reuse the leaked password, so ~1.5% succeed.
    /// </summary>
    private static void CredentialStuffing(AttackContext c)
    {
        int pairs = Math.Min(StuffingPairs, 4 * c.World.Users.Length);
        int[] existing = c.ExistingTargets((int)(pairs * StuffingExistingShare));
        SimAddress[] pool = c.AddressPool(Math.Max(20, pairs / 10), hostingShare: 0.05, japaneseResidentialShare: 0.5);
        long t = c.StartTicks;
        int used = 0;
        for (int i = 0; i < pairs; i++)
        {
            int account;
            SecretFingerprint secret;
            if (i % 5 < 3 && used < existing.Length)
            {
                account = existing[used++];
                c.World.TryGetUser(account, out SimUser user);
                secret = c.Random.Chance(StuffingReuse) ? user.Secret : AttackContext.LeakedSecret(Distributions.Zipf(c.Random, 200_000, 1.0));
            }
            else
            {
                account = c.NonexistentAccount();
                secret = AttackContext.LeakedSecret(Distributions.Zipf(c.Random, 200_000, 1.0));
            }
            // Each proxy exit serves about ten attempts, then the tool rotates.
            SimAddress address = pool[(i / 10) % pool.Length];
            c.Attempt(t, account, address, secret, UserAgents.Tooling[(i / 10) % 4], null);
            t += c.Seconds(0.5, 3.5);
        }
    }

    /// <summary>Vertical brute force: three accounts, a dictionary each from one address, every few seconds.</summary>
    private static void BruteForce(AttackContext c)
    {
        // One victim whose weak password is deep in the dictionary (cracked after tens to hundreds of guesses),
        // two whose passwords are not in it at all.
        SimUser[] weak = c.World.Users.Where(u => u.DictionaryRank is not null).ToArray();
        var victims = new List<int>();
        if (weak.Length > 0) victims.Add(c.Random.Pick(weak).AccountNumber);
        victims.AddRange(c.ExistingTargets(3 - victims.Count));
        long t = c.StartTicks;
        foreach (int account in victims)
        {
            SimAddress address = c.Random.Pick(NetworkCatalog.Hosting).NextV4(c.Random);
            string ua = c.Random.Pick(UserAgents.Tooling);
            for (int rank = 0; rank < PopularSecrets.DictionaryLastRank; rank++)
            {
                if (c.Attempt(t, account, address, AttackContext.LeakedSecret(rank), ua, null)) break;
                t += c.Seconds(1.5, 6);
            }
            t += c.Seconds(1800, 7200);
        }
    }

    /// <summary>
    /// Phished credentials: correct secrets used at night from a new device abroad. The same few addresses and
    /// the same two handsets serve every victim, which is what links the takeovers.
    /// </summary>
    private static void Phished(AttackContext c)
    {
        int victims = Math.Clamp(c.World.Users.Length / 250, 3, 40);
        SimAddress[] infra =
        [
            c.Random.Pick(NetworkCatalog.Hosting).NextV4(c.Random),
            NetworkCatalog.ForeignResidential[4].NextV4(c.Random),   // CN
            NetworkCatalog.ForeignResidential[5].NextV4(c.Random),   // VN
        ];
        (string Token, string Ua)[] handsets =
        [
            (World.NewToken(c.Random), UserAgents.Phone[9]),
            (World.NewToken(c.Random), UserAgents.Desktop[0]),
        ];
        int[] targets = c.ExistingTargets(victims);
        long spacing = c.Duration / (targets.Length + 1);
        for (int i = 0; i < targets.Length; i++)
        {
            c.World.TryGetUser(targets[i], out SimUser user);
            long t = c.StartTicks + i * spacing + c.Seconds(0, spacing / (double)TimeSpan.TicksPerSecond * 0.5);
            SimAddress address = c.Random.Pick(infra);
            (string token, string ua) = c.Random.Pick(handsets);
            if (c.Random.Chance(0.1))
            {
                // The victim changed the password before the attacker came: only failures.
                c.Attempt(t, targets[i], address, SecretFingerprints.Of("phished-stale-" + user.Account), ua, token);
                continue;
            }
            if (c.Random.Chance(0.2))
            {
                // Mistyped what the phishing page captured.
                c.Attempt(t, targets[i], address, SecretFingerprints.Of("phished-typo-" + user.Account), ua, token);
                t += c.Seconds(10, 40);
            }
            c.Attempt(t, targets[i], address, user.Secret, ua, token);
            if (c.Random.Chance(0.3))
                c.Attempt(t + c.Seconds(3600, 20 * 3600), targets[i], c.Random.Pick(infra), user.Secret, ua, token);
        }
    }

    /// <summary>Low and slow: two passwords over 2,000 accounts spread across the whole period, one attempt per address.</summary>
    private static void LowSlowSpray(AttackContext c)
    {
        int[] targets = c.ExistingTargets(LowSlowTargets);
        string[] passwords = ["password1", "1qaz2wsx"];
        int attempts = targets.Length * passwords.Length;
        double gap = (double)c.Duration / attempts;
        var taken = new HashSet<int>();
        int n = 0;
        foreach (string password in passwords)
        {
            var secret = SecretFingerprints.Of(password);
            foreach (int account in targets)
            {
                long at = c.StartTicks + (long)(n++ * gap) + (long)(c.Random.NextDouble() * gap);
                if (taken.Contains(account)) continue;
                // A fresh residential or hosting address for every attempt.
                SimAddress address = c.AddressPool(1, hostingShare: 0.2, japaneseResidentialShare: 0.3)[0];
                if (c.Attempt(at, account, address, secret, c.Random.Pick(UserAgents.Tooling), null)) taken.Add(account);
            }
        }
    }
}
