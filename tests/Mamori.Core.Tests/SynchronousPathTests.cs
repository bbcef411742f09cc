using System.Globalization;
using System.Net;
using Mamori.Events;
using Mamori.Policy;
using Mamori.Signals;
using Mamori.State;

namespace Mamori.Core.Tests;

/// <summary>
/// The synchronous path (replay, in-process stores) and terse reasons must decide exactly as the asynchronous path
/// the server takes through a networked store.
/// </summary>
public sealed class SynchronousPathTests
{
    private static readonly byte[] s_pepper = "sync-path-pepper"u8.ToArray();
    private const string Agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

    /// <summary>Forwards to an in-memory store without being one: the engine must take its asynchronous path.</summary>
    private sealed class AsyncOnlyStore(ISignalStore inner) : ISignalStore
    {
        public bool IsAvailable => inner.IsAvailable;
        public ValueTask<SignalSnapshot> ObserveAsync(SignalRequest request, CancellationToken cancellationToken = default) => inner.ObserveAsync(request, cancellationToken);
        public ValueTask SetDeviceTrustAsync(ulong account, ulong device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            inner.SetDeviceTrustAsync(account, device, trusted, at, cancellationToken);
        public ValueTask SetStepUpRequestedAsync(ulong account, bool requested, CancellationToken cancellationToken = default) =>
            inner.SetStepUpRequestedAsync(account, requested, cancellationToken);
        public ValueTask MarkSecretExposedAsync(ulong account, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            inner.MarkSecretExposedAsync(account, at, cancellationToken);
    }

    /// <summary>Three days of 80 users at home, one of them behind a shared carrier address, then a spray, stuffing and a brute force.</summary>
    private static List<LoginEvent> Log()
    {
        var events = new List<LoginEvent>();
        var t = new DateTimeOffset(2020, 9, 1, 0, 0, 0, TimeSpan.Zero);
        LoginAttempt Attempt(DateTimeOffset at, string account, string ip, string secret, int asn, string country, string? device) => new()
        {
            Timestamp = at, Account = account, Ip = IPAddress.Parse(ip), Secret = SecretFingerprint.Compute(s_pepper, secret),
            Asn = asn, Country = country, UserAgent = Agent, Device = device,
        };
        for (int day = 0; day < 3; day++)
            for (int u = 0; u < 80; u++)
            {
                // Half the users share one carrier-NAT address: the shared-address finding on ordinary logins.
                string ip = u % 2 == 0 ? "100.64.0.1" : string.Create(CultureInfo.InvariantCulture, $"126.{u}.0.10");
                events.Add(new LoginEvent(Attempt(t.AddDays(day).AddMinutes(u * 5), $"user{u}", ip, $"secret-{u}", 17676, "JP", $"dev{u}"), LoginOutcome.Success));
            }
        DateTimeOffset attack = t.AddDays(3);
        for (int i = 0; i < 60; i++)
        {
            bool right = i == 41;
            events.Add(new LoginEvent(Attempt(attack.AddSeconds(i * 15), $"user{i}", string.Create(CultureInfo.InvariantCulture, $"185.220.{i}.7"),
                right ? "secret-41" : "Summer2020!", 16276, "FR", null), right ? LoginOutcome.Success : LoginOutcome.WrongSecret));
        }
        for (int i = 0; i < 60; i++)
            events.Add(new LoginEvent(Attempt(attack.AddMinutes(30).AddSeconds(i * 5), $"user{(i * 7) % 80}", "45.9.20.3", $"leaked-{i}", 9009, "NL", null),
                i == 30 ? LoginOutcome.Success : LoginOutcome.WrongSecret));
        for (int i = 0; i < 30; i++)
            events.Add(new LoginEvent(Attempt(attack.AddHours(2).AddSeconds(i * 10), "user3", "203.0.113.9", $"guess-{i}", 4134, "CN", null), LoginOutcome.WrongSecret));
        return events;
    }

    private static List<EventAssessment> RunAsync(List<LoginEvent> log)
    {
        var options = new MamoriOptions();
        var engine = new LoginAssessor(options, new AsyncOnlyStore(new InMemorySignalStore(options)));
        return log.Select(e => engine.AssessEventAsync(e).AsTask().GetAwaiter().GetResult()).ToList();
    }

    private static List<EventAssessment> RunSync(List<LoginEvent> log, bool terse)
    {
        var options = new MamoriOptions();
        var engine = new LoginAssessor(options, new InMemorySignalStore(options)) { Terse = terse };
        return log.Select(e => engine.AssessEvent(e)).ToList();
    }

    private static string Codes(Decision d) => string.Join(";", d.Reasons.Select(r => r.Code.ToWireName()));

    [Fact]
    public void SynchronousPath_DecidesExactlyAsTheAsynchronousPath()
    {
        List<LoginEvent> log = Log();
        List<EventAssessment> expected = RunAsync(log);
        List<EventAssessment> actual = RunSync(log, terse: false);

        Assert.Contains(expected, a => a.Combined == Verdict.Deny);
        Assert.Contains(expected, a => a.Combined == Verdict.Challenge);
        Assert.Contains(expected, a => a.PreAuth.Has(ReasonCode.SharedAddress));
        for (int i = 0; i < log.Count; i++)
        {
            foreach ((Decision want, Decision got) in new[] { (expected[i].PreAuth, actual[i].PreAuth), (expected[i].Outcome, actual[i].Outcome) })
            {
                Assert.Equal(want.Verdict, got.Verdict);
                Assert.Equal(want.Score, got.Score);
                Assert.Equal(want.Familiar, got.Familiar);
                Assert.Equal(want.Reasons, got.Reasons);
                Assert.Equal(want.CampaignIds, got.CampaignIds);
            }
        }
    }

    [Fact]
    public void TerseReasons_KeepVerdictsScoresAndCodes_WithoutFormattedSentences()
    {
        List<LoginEvent> log = Log();
        List<EventAssessment> full = RunSync(log, terse: false);
        List<EventAssessment> terse = RunSync(log, terse: true);

        for (int i = 0; i < log.Count; i++)
        {
            Assert.Equal(full[i].Combined, terse[i].Combined);
            Assert.Equal(full[i].Score, terse[i].Score);
            Assert.Equal(Codes(full[i].PreAuth), Codes(terse[i].PreAuth));
            Assert.Equal(Codes(full[i].Outcome), Codes(terse[i].Outcome));
            Assert.Equal(full[i].Outcome.CampaignIds, terse[i].Outcome.CampaignIds);
        }
        // The shared address's sentence carries a count: formatted when explaining, left out when terse.
        Reason explained = full.SelectMany(a => a.PreAuth.Reasons).First(r => r.Code == ReasonCode.SharedAddress);
        Assert.Contains("accounts logged in from it", explained.Message, StringComparison.Ordinal);
        Assert.All(terse.SelectMany(a => a.PreAuth.Reasons).Where(r => r.Code == ReasonCode.SharedAddress), r => Assert.Equal("", r.Message));
    }
}
