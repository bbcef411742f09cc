using System.Net;
using Mamori.Campaigns;
using Mamori.Events;
using Mamori.Signals;

namespace Mamori.Core.Tests.Campaigns;

/// <summary>
/// Whether a secret belongs to an open spray: answered for the secrets the campaigns hold, and no longer once their
/// campaign closes, even for secrets whose keys share the quick filter's slot with another campaign's.
/// </summary>
public sealed class CampaignSecretTests
{
    private static readonly DateTimeOffset T0 = new(2020, 9, 14, 23, 56, 30, TimeSpan.Zero);

    // The filter in front of the table keys on the top 20 bits: A and B share a slot, C is in another.
    private const ulong SecretA = 0x1234_5000_0000_0001, SecretB = 0x1234_5000_0000_0003, SecretC = 0x8765_4000_0000_0001;

    private static void Spray(CampaignTracker tracker, ulong scope, ulong secretKey, DateTimeOffset at)
    {
        var attempt = new LoginAttempt
        {
            Timestamp = at, Account = "victim", Ip = IPAddress.Parse("203.0.113.9"), Secret = new SecretFingerprint(secretKey >> 1),
        };
        tracker.Count(new CampaignKey(CampaignKind.PasswordSpray, scope), attempt, new SignalKeys { Account = 7, Secret = secretKey },
            success: false, decision: "challenge");
    }

    [Fact]
    public void SecretsOfOpenSprays_AreFound_AndForgottenWhenTheirCampaignCloses()
    {
        var tracker = new CampaignTracker(new CampaignOptions { QuietPeriod = TimeSpan.FromHours(1) });
        Assert.False(tracker.TryGetBySecret(SecretA, out _, out _));

        Spray(tracker, scope: 1, SecretA, T0);
        Spray(tracker, scope: 2, SecretB, T0.AddMinutes(50));

        Assert.True(tracker.TryGetBySecret(SecretA, out string idA, out CampaignKind kind));
        Assert.Equal(CampaignKind.PasswordSpray, kind);
        Assert.True(tracker.TryGetBySecret(SecretB, out string idB, out _));
        Assert.NotEqual(idA, idB);
        Assert.False(tracker.TryGetBySecret(SecretC, out _, out _));
        Assert.False(tracker.TryGetBySecret(0, out _, out _));

        // An hour and a half after A's spray: its campaign closes, B's (50 minutes later) stays open.
        tracker.Sweep(T0.AddMinutes(90));
        Assert.Single(tracker.OpenCampaigns());
        Assert.False(tracker.TryGetBySecret(SecretA, out _, out _));
        Assert.True(tracker.TryGetBySecret(SecretB, out string stillB, out _));
        Assert.Equal(idB, stillB);

        // A secret added after the filter was rebuilt is found too.
        Spray(tracker, scope: 2, SecretC, T0.AddMinutes(91));
        Assert.True(tracker.TryGetBySecret(SecretC, out string idC, out _));
        Assert.Equal(idB, idC);
    }
}
