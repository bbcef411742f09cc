using System.Net;
using Mamori.Events;

namespace Mamori.Cli.Tests.Simulation;

/// <summary>Hand-made login events for baseline tests.</summary>
internal static class BaselineTestEvents
{
    public static readonly DateTimeOffset T0 = new(2020, 9, 7, 1, 0, 0, TimeSpan.Zero);

    public static LoginEvent At(TimeSpan after, string account, LoginOutcome outcome, string ip = "198.51.100.1") =>
        new(new LoginAttempt { Timestamp = T0 + after, Account = account, Ip = IPAddress.Parse(ip) }, outcome);

    public static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);
}
