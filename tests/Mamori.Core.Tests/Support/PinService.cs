using System.Globalization;
using System.Net;
using Mamori.Events;

namespace Mamori.Core.Tests.Support;

/// <summary>
/// A wallet whose users log in with 4-digit PINs, as the Docomo-account victims did: PINs as people choose them (a
/// tenth of them 1234, as leaked PIN lists show), one login a day from home or a carrier address, two thirds with
/// the app's device token; some mistype a digit first, and some who forgot try 1234 although it is not theirs.
/// </summary>
internal sealed class PinService
{
    public const string PopularPin = "1234";

    private readonly IPAddress[] _carrier = Enumerable.Range(0, 50).Select(i => new IPAddress([126, 0, 0, (byte)(i + 1)])).ToArray();

    public PinService(TestWorld world, int users, int seed)
    {
        World = world;
        Random = new Random(seed);
        Users = Enumerable.Range(0, users).Select(i => world.NewUser(i, secret: Pin(), device: i % 3 != 0)).ToList();
    }

    public TestWorld World { get; }
    public Random Random { get; }
    public List<User> Users { get; }

    private string Pin()
    {
        double r = Random.NextDouble();
        return r < 0.10 ? PopularPin : r < 0.16 ? "1111" : r < 0.18 ? "0000" : Random.Next(10_000).ToString("D4", CultureInfo.InvariantCulture);
    }

    /// <summary>One day: every user once, in random order, spread evenly; <paramref name="between"/> runs after each login.</summary>
    public List<Outcome> Day(double tryPopular, Action<TimeSpan>? between = null)
    {
        var successes = new List<Outcome>(Users.Count);
        TimeSpan step = TimeSpan.FromSeconds(86_400.0 / Users.Count);
        foreach (User u in Users.OrderBy(_ => Random.Next()))
        {
            IPAddress ip = Random.NextDouble() < 0.5 ? u.HomeIp : _carrier[Random.Next(_carrier.Length)];
            double r = Random.NextDouble();
            if (r < 0.08)
            {
                string typo = ((int.Parse(u.Secret, CultureInfo.InvariantCulture) + 1 + Random.Next(9)) % 10_000).ToString("D4", CultureInfo.InvariantCulture);
                World.Run(World.Attempt(u.Account, ip, typo, u.Asn, "JP", u.UserAgent, u.Device), LoginOutcome.WrongSecret);
            }
            else if (r < 0.08 + tryPopular && u.Secret != PopularPin)
            {
                World.Run(World.Attempt(u.Account, ip, PopularPin, u.Asn, "JP", u.UserAgent, u.Device), LoginOutcome.WrongSecret);
            }
            successes.Add(World.Run(World.Attempt(u.Account, ip, u.Secret, u.Asn, "JP", u.UserAgent, u.Device), LoginOutcome.Success));
            between?.Invoke(step);
            World.Advance(step);
        }
        return successes;
    }
}
