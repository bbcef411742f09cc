using System.Net;
using Mamori.Events;

namespace Mamori.State.Tests.Support;

/// <summary>Login events for the whole engine: users with habits, then a spray, stuffing and brute force.</summary>
public static class EngineTraffic
{
    private static readonly byte[] s_pepper = "redis-store-test-pepper"u8.ToArray();
    private static readonly string[] s_agents =
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    ];

    public static List<LoginEvent> Generate(int count, int seed, int users = 200)
    {
        var random = new Random(seed);
        var events = new List<LoginEvent>(count);
        DateTimeOffset at = new(2024, 6, 3, 7, 0, 0, TimeSpan.Zero);
        SecretFingerprint sprayed = SecretFingerprint.Compute(s_pepper, "Summer2024!");
        while (events.Count < count)
        {
            at += TimeSpan.FromSeconds(random.Next(1, 30));
            int phase = events.Count * 4 / count;   // legitimate first, then attacks mixed with legitimate traffic
            int kind = phase == 0 ? 0 : random.Next(3) == 0 ? 0 : phase;
            int u = random.Next(users);
            LoginAttempt attempt;
            LoginOutcome outcome;
            switch (kind)
            {
                case 0:
                    bool typo = random.Next(10) == 0;
                    attempt = new LoginAttempt
                    {
                        Timestamp = at, Account = $"user{u}", Ip = new IPAddress([(byte)(100 + u % 50), (byte)(u / 50), (byte)u, 7]),
                        UserAgent = s_agents[u % s_agents.Length], Device = u % 4 == 0 ? null : $"dev-{u}", Asn = 2500 + u % 9, Country = "JP",
                        Secret = SecretFingerprint.Compute(s_pepper, typo ? $"typo{random.Next(3)}" : $"secret-{u}"),
                    };
                    outcome = typo ? LoginOutcome.WrongSecret : LoginOutcome.Success;
                    break;
                case 1:
                    attempt = new LoginAttempt
                    {
                        Timestamp = at, Account = $"user{random.Next(users * 2)}", Ip = new IPAddress([45, 9, (byte)random.Next(20), (byte)random.Next(250)]),
                        UserAgent = s_agents[1], Asn = 64500, Country = "NL", Secret = sprayed,
                    };
                    outcome = random.Next(4) == 0 ? LoginOutcome.UnknownAccount : LoginOutcome.WrongSecret;
                    break;
                case 2:
                    attempt = new LoginAttempt
                    {
                        Timestamp = at, Account = $"user{random.Next(users * 2)}", Ip = new IPAddress([185, 220, 101, (byte)random.Next(4)]),
                        UserAgent = "python-requests/2.31", Asn = 64501, Country = "DE",
                        Secret = SecretFingerprint.Compute(s_pepper, $"leaked-{random.Next(100_000)}"),
                    };
                    outcome = random.Next(30) == 0 ? LoginOutcome.Success : random.Next(3) == 0 ? LoginOutcome.UnknownAccount : LoginOutcome.WrongSecret;
                    break;
                default:
                    attempt = new LoginAttempt
                    {
                        Timestamp = at, Account = "user1", Ip = new IPAddress([203, 0, 113, (byte)random.Next(3)]), UserAgent = s_agents[2],
                        Asn = 64502, Country = "BR", Secret = SecretFingerprint.Compute(s_pepper, $"guess-{random.Next(50)}"),
                    };
                    outcome = LoginOutcome.WrongSecret;
                    break;
            }
            events.Add(new LoginEvent(attempt, outcome));
        }
        return events;
    }
}
