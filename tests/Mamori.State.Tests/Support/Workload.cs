using Mamori.Events;
using Mamori.Signals;

namespace Mamori.State.Tests.Support;

/// <summary>One step of a workload: an observation, or an operator's change to an account.</summary>
public sealed record Step(SignalRequest? Request, (ulong Account, ulong Device, bool Trusted)? Trust = null, (ulong Account, bool Requested)? StepUp = null,
    ulong? Exposed = null);

/// <summary>
/// Deterministic traffic for comparing stores: legitimate users with habits (learned, pending and denied successes,
/// typos), a password spray over many accounts and addresses, credential stuffing from one subnet, brute force on
/// one account, unknown-account probing, device trust and step-up requests; bursts and gaps spanning several
/// windows so every generation rolls (once, and more than once).
/// </summary>
public static class Workload
{
    public static readonly DateTimeOffset Start = new(2024, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static List<Step> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var steps = new List<Step>(count);
        DateTimeOffset at = Start;
        const int users = 60;
        ulong sprayedSecret = Key(random), tenantSprayedSecret = Key(random);
        ulong stuffingSubnet = Key(random), bruteAccount = Key(random);
        var userKeys = new SignalKeys[users];
        var userSecrets = new ulong[users];
        int campaign = 4, campaignSince = 0;
        for (int u = 0; u < users; u++)
        {
            ulong device = u % 3 == 0 ? 0 : Key(random);
            userKeys[u] = new SignalKeys
            {
                Account = Key(random), Ip = Key(random), Subnet = Key(random), Asn = u % 7 == 0 ? 0 : (ulong)(1000 + u % 5),
                Country = u % 11 == 0 ? 0 : (ulong)(u % 4 + 1), Agent = u % 9 == 0 ? 0 : Key(random),
                Browser = Big(u % 3 + 10), Os = Big(u % 4 + 20), Device = device,
            };
            userSecrets[u] = Key(random);
        }

        while (steps.Count < count)
        {
            // Mostly seconds apart; now and then hours or days pass, so windows roll by one and by many generations.
            int gap = random.Next(1000);
            at += gap < 970 ? TimeSpan.FromSeconds(random.Next(1, 10))
                : gap < 995 ? TimeSpan.FromMinutes(random.Next(1, 30))
                : TimeSpan.FromHours(random.Next(2, 40));

            // Attacks come in bursts: every few hundred steps the campaign under way changes.
            if (steps.Count / 300 != campaignSince)
            {
                campaignSince = steps.Count / 300;
                campaign = random.Next(5);
            }
            int kind = random.Next(100) < 60 ? campaign switch { 0 => 0, 1 => 50, 2 => 70, 3 => 85, _ => random.Next(100) } : random.Next(100);
            if (kind < 40)
            {
                // A user: usually from home, sometimes travelling; usually right, sometimes a typo.
                int u = random.Next(users);
                SignalKeys keys = userKeys[u];
                if (random.Next(5) == 0) keys = keys with { Ip = Key(random), Asn = (ulong)random.Next(0, 3) * 77, Country = (ulong)random.Next(0, 6) };
                bool typo = random.Next(6) == 0;
                ulong secret = typo ? Key(random) : userSecrets[u];
                keys = keys with { Secret = secret, TenantSecret = random.Next(4) == 0 ? 0 : secret ^ 0xFF00 };
                LoginOutcome outcome = typo ? LoginOutcome.WrongSecret : LoginOutcome.Success;
                LearnMode learn = (LearnMode)random.Next(3);
                Pair(steps, keys, at, outcome, learn, familiar: random.Next(2) == 0, unfamiliarSuccess: random.Next(4) == 0);
                if (typo && random.Next(2) == 0) Pair(steps, keys, at, outcome, LearnMode.None, familiar: true, unfamiliarSuccess: false);   // same typo again
            }
            else if (kind < 60)
            {
                // Spray: one secret, many accounts (some unknown), rotating addresses.
                var keys = new SignalKeys
                {
                    Account = Key(random), Ip = Big(random.Next(1, 40)), Subnet = Big(100 + random.Next(1, 8)), Asn = 64500,
                    Country = 9, Agent = Big(555), Browser = Big(10), Os = Big(20), Secret = sprayedSecret, TenantSecret = tenantSprayedSecret,
                };
                Pair(steps, keys, at, random.Next(3) == 0 ? LoginOutcome.UnknownAccount : LoginOutcome.WrongSecret, LearnMode.None, false, false);
            }
            else if (kind < 80)
            {
                // Stuffing: pairs from a breach, one subnet, distinct secrets; a few succeed and look new.
                var keys = new SignalKeys
                {
                    Account = random.Next(2) == 0 ? userKeys[random.Next(users)].Account : Key(random),
                    Ip = Big(200 + random.Next(4)), Subnet = stuffingSubnet, Asn = 64501, Country = 7,
                    Agent = Big(777), Browser = Big(11), Os = Big(21), Device = random.Next(3) == 0 ? Big(4242) : 0UL, Secret = Key(random),
                };
                keys = keys with { TenantSecret = keys.Secret };
                LoginOutcome outcome = random.Next(10) switch { 0 => LoginOutcome.Success, < 4 => LoginOutcome.UnknownAccount, 4 => LoginOutcome.Locked, _ => LoginOutcome.WrongSecret };
                Pair(steps, keys, at, outcome, outcome == LoginOutcome.Success ? LearnMode.Pending : LearnMode.None, false, unfamiliarSuccess: true);
            }
            else if (kind < 92)
            {
                // Brute force on one account: many secrets, some repeated.
                var keys = new SignalKeys
                {
                    Account = bruteAccount, Ip = Big(300 + random.Next(3)), Subnet = Big(99), Asn = 64502, Country = 8, Agent = Big(888),
                    Browser = Big(12), Os = Big(22), Secret = Big(1000 + random.Next(1, 12)),
                };
                Pair(steps, keys, at, LoginOutcome.WrongSecret, LearnMode.None, familiar: random.Next(5) == 0, false);
            }
            else if (kind < 96)
            {
                int u = random.Next(users);
                ulong device = random.Next(6) switch { 0 => 0, 1 => userKeys[random.Next(users)].Device, _ => userKeys[u].Device };
                steps.Add(new Step(null, Trust: (userKeys[u].Account, device, random.Next(3) != 0)));
            }
            else
            {
                // A request set also marks the secret exposed (no draw of its own, so the workload's stream is as it was);
                // a request cleared clears both.
                (ulong account, bool requested) = (userKeys[random.Next(users)].Account, random.Next(2) == 0);
                steps.Add(new Step(null, StepUp: (account, requested), Exposed: requested ? account : null));
            }
        }
        return steps;
    }

    /// <summary>Runs <paramref name="steps"/> through <paramref name="store"/>; the snapshot of each observation (default for changes).</summary>
    public static async Task<List<SignalSnapshot>> RunAsync(ISignalStore store, IReadOnlyList<Step> steps)
    {
        var snapshots = new List<SignalSnapshot>(steps.Count);
        foreach (Step step in steps)
        {
            if (step.Request is { } request) snapshots.Add(await store.ObserveAsync(request));
            else
            {
                if (step.Trust is { } trust) await store.SetDeviceTrustAsync(trust.Account, trust.Device, trust.Trusted, Start);
                if (step.StepUp is { } stepUp) await store.SetStepUpRequestedAsync(stepUp.Account, stepUp.Requested);
                if (step.Exposed is { } exposed) await store.MarkSecretExposedAsync(exposed, Start.AddDays(1));
                snapshots.Add(default);
            }
        }
        return snapshots;
    }

    private static void Pair(List<Step> steps, SignalKeys keys, DateTimeOffset at, LoginOutcome outcome, LearnMode learn, bool familiar, bool unfamiliarSuccess)
    {
        steps.Add(new Step(new SignalRequest { Keys = keys, At = at, Phase = ObservationPhase.PreAuth }));
        steps.Add(new Step(new SignalRequest
        {
            Keys = keys, At = at, Phase = ObservationPhase.Outcome, Outcome = outcome, FamiliarContext = familiar,
            Learn = outcome == LoginOutcome.Success ? learn : LearnMode.None, UnfamiliarSuccess = outcome == LoginOutcome.Success && unfamiliarSuccess,
            // The device's flag is wider than the address's (a young account's first device counts too): vary it apart.
            UnfamiliarDeviceSuccess = outcome == LoginOutcome.Success && (unfamiliarSuccess || (keys.Account & 2) != 0),
        }));
    }

    private static ulong Key(Random random) => (ulong)random.NextInt64() | 1UL;

    /// <summary>A fixed key with high bits set (the store keeps 32 high bits of some keys).</summary>
    private static ulong Big(int n) => ((ulong)n * 0x9E3779B97F4A7C15UL) | 1UL;
}
