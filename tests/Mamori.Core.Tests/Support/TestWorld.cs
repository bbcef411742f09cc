using System.Globalization;
using System.Net;
using Mamori.Events;
using Mamori.Policy;
using Mamori.State;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Core.Tests.Support;

/// <summary>A user of the test world: where and with what they usually log in, and their secret.</summary>
internal sealed record User(string Account, IPAddress HomeIp, int Asn, string Country, string UserAgent, string? Device, string Secret);

/// <summary>Outcome of running one event through the engine, with what the test knows about it.</summary>
internal sealed record Outcome(LoginEvent Event, EventAssessment Assessment, bool Attack, bool Takeover)
{
    public Verdict Combined => Assessment.Combined;
    public Verdict PreAuth => Assessment.PreAuth.Verdict;
    public Verdict Final => Assessment.Outcome.Verdict;
    public bool Intercepted => Combined != Verdict.Allow;
    /// <summary>The outcome's reason codes, for assertion messages.</summary>
    public string Codes => string.Join(";", Assessment.Outcome.Reasons.Select(r => r.Code));
}

/// <summary>
/// An engine on a fake clock with helpers to build realistic users and attacks. Deterministic: every random
/// choice comes from a seeded <see cref="Random"/>.
/// </summary>
internal sealed class TestWorld
{
    public static readonly byte[] Pepper = "test-pepper-of-this-deployment"u8.ToArray();
    public const string IPhoneSafari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    public const string AndroidChrome = "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
    public const string WindowsChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    public const string MacSafari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";
    public const string WindowsEdge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0";
    public static readonly string[] Agents = [IPhoneSafari, AndroidChrome, WindowsChrome, MacSafari, WindowsEdge];
    public static readonly int[] HomeAsns = [4713, 2527, 2518, 17676, 2516, 9605];

    public TestWorld(int seed = 1, Action<MamoriOptions>? configure = null)
    {
        Random = new Random(seed);
        Time = new FakeTimeProvider(new DateTimeOffset(2020, 9, 1, 0, 0, 0, TimeSpan.Zero));
        Options = new MamoriOptions();
        configure?.Invoke(Options);
        Store = new InMemorySignalStore(Options);
        Engine = new LoginAssessor(Options, Store);
    }

    public Random Random { get; }
    public FakeTimeProvider Time { get; }
    public MamoriOptions Options { get; }
    public InMemorySignalStore Store { get; }
    public LoginAssessor Engine { get; }
    public List<Outcome> Log { get; } = [];

    public static SecretFingerprint Fp(string secret) => SecretFingerprint.Compute(Pepper, secret);

    public DateTimeOffset Now => Time.GetUtcNow();

    public User NewUser(int index, string? secret = null, bool device = true, string country = "JP")
    {
        var ip = new IPAddress([(byte)(100 + index % 50), (byte)(index / 250 % 250), (byte)(index % 250), (byte)(1 + index % 200)]);
        return new User(
            Account: string.Create(CultureInfo.InvariantCulture, $"user{index:D6}@example.jp"),
            HomeIp: ip,
            Asn: HomeAsns[index % HomeAsns.Length],
            Country: country,
            UserAgent: Agents[index % Agents.Length],
            Device: device ? string.Create(CultureInfo.InvariantCulture, $"dev-{index:D6}") : null,
            Secret: secret ?? string.Create(CultureInfo.InvariantCulture, $"secret-{index}-{Random.Next():x}"));
    }

    public LoginAttempt Attempt(string account, IPAddress ip, string? secret, int? asn, string? country, string? userAgent, string? device) => new()
    {
        Timestamp = Now, Account = account, Ip = ip, Secret = secret is null ? null : Fp(secret),
        Asn = asn, Country = country, UserAgent = userAgent, Device = device,
    };

    /// <summary>The user logs in from home with the right secret.</summary>
    public Outcome Home(User user, IPAddress? ip = null) =>
        Run(Attempt(user.Account, ip ?? user.HomeIp, user.Secret, user.Asn, user.Country, user.UserAgent, user.Device), LoginOutcome.Success);

    public Outcome Run(LoginAttempt attempt, LoginOutcome outcome, bool attack = false, bool takeover = false)
    {
        EventAssessment assessment = Engine.AssessEventAsync(new LoginEvent(attempt, outcome)).AsTask().GetAwaiter().GetResult();
        var result = new Outcome(new LoginEvent(attempt, outcome), assessment, attack, takeover);
        Log.Add(result);
        return result;
    }

    public void Advance(TimeSpan by) => Time.Advance(by);

    /// <summary>Gives each user a history: <paramref name="days"/> days of one or two home logins a day.</summary>
    public void BuildHistory(IReadOnlyList<User> users, int days)
    {
        for (int day = 0; day < days; day++)
        {
            TimeSpan step = TimeSpan.FromMinutes(1440.0 / Math.Max(1, users.Count));
            foreach (User user in users)
            {
                Home(user);
                Advance(step);
            }
        }
    }

    /// <summary>Gives each of <paramref name="users"/> a login or two of history from home (every other one two): accounts
    /// a replay has only begun to see, or new customers.</summary>
    public List<User> Young(IEnumerable<User> users)
    {
        var young = users.ToList();
        for (int i = 0; i < young.Count; i++)
        {
            Home(young[i]);
            if (i % 2 == 0) Home(young[i]);
        }
        return young;
    }

    /// <summary>The user logs in at home in a browser they never used, so without a device token.</summary>
    public Outcome NewBrowserAtHome(User user) =>
        Run(Attempt(user.Account, user.HomeIp, user.Secret, user.Asn, user.Country, WindowsEdge, null), LoginOutcome.Success);

    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    /// <summary>A consumer ISP of <see cref="HomeAsns"/> other than <paramref name="user"/>'s own.</summary>
    public static int OtherIsp(User user) => HomeAsns[(Array.IndexOf(HomeAsns, user.Asn) + 1) % HomeAsns.Length];
}
