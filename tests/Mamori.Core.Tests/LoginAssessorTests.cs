using System.Net;
using System.Reflection;
using Mamori.Core.Tests.Support;
using Mamori.Events;
using Mamori.Policy;
using Mamori.Signals;

namespace Mamori.Core.Tests;

public sealed class LoginAssessorTests
{
    [Fact]
    public void SameEventsInSameOrder_GiveIdenticalDecisions()
    {
        static List<string> Run()
        {
            var world = new TestWorld(seed: 21);
            var users = Enumerable.Range(0, 500).Select(i => world.NewUser(i)).ToList();
            world.BuildHistory(users, days: 2);
            for (int i = 0; i < 400; i++)
            {
                world.Run(world.Attempt(users[i].Account, new IPAddress([45, 1, 1, (byte)(i % 9)]), "Password1", 16509, "US", TestWorld.WindowsChrome, null), LoginOutcome.WrongSecret);
                world.Advance(TimeSpan.FromSeconds(1));
            }
            return world.Log.Select(o => $"{o.Combined}|{o.Assessment.Score}|{string.Join(",", o.Assessment.Outcome.Reasons.Select(r => r.Code))}|{string.Join(",", o.Assessment.PreAuth.CampaignIds)}").ToList();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void MonitorOnly_AllowsButRecordsWhatItWouldHaveDone()
    {
        var world = new TestWorld(seed: 22, o => o.MonitorOnly = true);
        var users = Enumerable.Range(0, 100).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 2);
        Outcome last = null!;
        for (int i = 0; i < 60; i++)
        {
            last = world.Run(world.Attempt(users[i].Account, new IPAddress([45, 1, 1, 1]), "Password1", 16509, "US", TestWorld.WindowsChrome, null), LoginOutcome.WrongSecret);
            world.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(Verdict.Allow, last.Assessment.PreAuth.Verdict);
        Assert.NotEqual(Verdict.Allow, last.Assessment.PreAuth.PolicyVerdict);
        Assert.True(last.Assessment.PreAuth.Has(ReasonCode.MonitorOnly));
        // The note comes after the policy's own reasons, each code once.
        IReadOnlyList<Reason> reasons = last.Assessment.PreAuth.Reasons;
        Assert.True(reasons.Count >= 2);
        Assert.Equal(ReasonCode.MonitorOnly, reasons[^1].Code);
        Assert.Equal(reasons.Count, reasons.Select(r => r.Code).Distinct().Count());
    }

    [Fact]
    public void TenantOverride_AppliesOnlyToThatTenant()
    {
        var world = new TestWorld(seed: 23, o => o.Tenants["strict-bank"] = new TenantOptions { SprayingDistinctAccountThreshold = 3 });
        Decision Spray(string? tenant)
        {
            Decision d = null!;
            for (int i = 0; i < 5; i++)
            {
                var attempt = world.Attempt($"{tenant}-acct{i}", new IPAddress([45, 2, 2, (byte)i]), "0000", null, null, null, null) with { Tenant = tenant };
                d = world.Run(attempt, LoginOutcome.WrongSecret).Assessment.PreAuth;
            }
            return d;
        }
        Assert.True(Spray("strict-bank").Has(ReasonCode.SprayedSecret));
        Assert.False(Spray("relaxed-bank").Has(ReasonCode.SprayedSecret));
    }

    [Fact]
    public void SecretSprayedAcrossTenants_IsSeenAcrossTenants()
    {
        var world = new TestWorld(seed: 24);
        Decision last = null!;
        for (int i = 0; i < 30; i++)
        {
            // Six tenants, five accounts each: no tenant alone crosses the threshold of 12.
            var attempt = world.Attempt($"acct{i}", new IPAddress([45, 3, 3, (byte)i]), "Spring2020", null, null, TestWorld.WindowsChrome, null) with { Tenant = "tenant" + (i % 6) };
            last = world.Run(attempt, LoginOutcome.WrongSecret).Assessment.PreAuth;
            world.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.True(last.Has(ReasonCode.SprayedSecret));
        Assert.Contains(world.Engine.Campaigns.OpenCampaigns(), c => c.Tenant is not null);
    }

    [Fact]
    public async Task StoreThatThrows_FailChallenge_ChallengesWithAReason()
    {
        var options = new MamoriOptions();
        var engine = new LoginAssessor(options, new ThrowingStore());
        var attempt = new LoginAttempt { Timestamp = DateTimeOffset.UnixEpoch, Account = "a", Ip = IPAddress.Loopback };
        PreAuthAssessment pre = await engine.AssessAsync(attempt);
        Assert.Equal(Verdict.Challenge, pre.Decision.Verdict);
        Assert.True(pre.Decision.Has(ReasonCode.SignalStoreUnavailable));
        Decision outcome = await engine.RecordOutcomeAsync(pre, LoginOutcome.Success);
        Assert.Equal(Verdict.StepUp, outcome.Verdict);
    }

    [Fact]
    public async Task StoreThatThrows_FailOpen_AllowsWithAReason()
    {
        var engine = new LoginAssessor(new MamoriOptions { FailMode = FailMode.FailOpen }, new ThrowingStore());
        var attempt = new LoginAttempt { Timestamp = DateTimeOffset.UnixEpoch, Account = "a", Ip = IPAddress.Loopback };
        PreAuthAssessment pre = await engine.AssessAsync(attempt);
        Assert.Equal(Verdict.Allow, pre.Decision.Verdict);
        Assert.True(pre.Decision.Has(ReasonCode.SignalStoreUnavailable));
    }

    [Fact]
    public void PasswordChangeToBreachedPassword_IsRefusedWithAReason()
    {
        Decision refused = LoginAssessor.AssessPasswordChange(breached: true, breachCount: 24_230_577);
        Assert.Equal(Verdict.Deny, refused.Verdict);
        Assert.Contains("24,230,577", Assert.Single(refused.Reasons).Message, StringComparison.Ordinal);
        Assert.Equal(Verdict.Allow, LoginAssessor.AssessPasswordChange(breached: false, null).Verdict);
    }

    [Fact]
    public async Task BreachedPasswordSuccess_FromNewEnvironment_StepsUp_FromHome_AllowsButFlags()
    {
        var world = new TestWorld(seed: 25);
        var users = Enumerable.Range(0, 100).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 3);
        User user = users[7];
        PreAuthAssessment home = await world.Engine.AssessAsync(world.Attempt(user.Account, user.HomeIp, user.Secret, user.Asn, "JP", user.UserAgent, user.Device));
        Decision atHome = await world.Engine.RecordOutcomeAsync(home, LoginOutcome.Success, new OutcomeDetails { Breached = true, BreachCount = 12 });
        Assert.Equal(Verdict.Allow, atHome.Verdict);
        Assert.True(atHome.Has(ReasonCode.BreachedPassword));

        PreAuthAssessment away = await world.Engine.AssessAsync(world.Attempt(user.Account, new IPAddress([8, 8, 4, 4]), user.Secret, 15169, "US", TestWorld.WindowsChrome, null));
        Decision fromAway = await world.Engine.RecordOutcomeAsync(away, LoginOutcome.Success, new OutcomeDetails { Breached = true });
        Assert.NotEqual(Verdict.Allow, fromAway.Verdict);
        Assert.True(fromAway.Has(ReasonCode.BreachedPassword));
    }

    [Fact]
    public async Task StepUpRequestedByOperator_AppliesAtNextSuccess()
    {
        var world = new TestWorld(seed: 26);
        var users = Enumerable.Range(0, 50).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 2);
        await world.Engine.SetStepUpRequestedAsync(users[1].Account, null, true);
        Outcome o = world.Home(users[1]);
        Assert.Equal(Verdict.StepUp, o.Final);
        Assert.True(o.Assessment.Outcome.Has(ReasonCode.StepUpRequested));
    }

    [Fact]
    public void SecretFingerprint_NeverPrintsItsValue()
    {
        SecretFingerprint fp = TestWorld.Fp("1234");
        Assert.DoesNotContain(fp.ToHex(), fp.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("fp_", fp.ToString(), StringComparison.Ordinal);
        Assert.True(SecretFingerprint.TryParse(fp.ToHex().ToUpperInvariant(), out SecretFingerprint parsed));
        Assert.Equal(fp, parsed);
        Assert.False(SecretFingerprint.TryParse("12345", out _));
        Assert.False(SecretFingerprint.TryParse("zzzzzzzzzzzzzzzz", out _));
        // Full-width digits are the same PIN.
        Assert.Equal(TestWorld.Fp("1234"), TestWorld.Fp("１２３４"));
    }

    [Fact]
    public void EveryReasonCode_HasAWireName() =>
        Assert.All(Enum.GetValues<ReasonCode>(), code => Assert.Matches("^[a-z_]+$", code.ToWireName()));

    [Fact]
    public void Core_ReferencesNoAspNetRedisOrSqlite()
    {
        AssemblyName[] references = typeof(LoginAssessor).Assembly.GetReferencedAssemblies();
        Assert.DoesNotContain(references, r => r.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || r.Name.Contains("Redis", StringComparison.OrdinalIgnoreCase) || r.Name.Contains("Sqlite", StringComparison.OrdinalIgnoreCase)
            || r.Name.Contains("Npgsql", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class ThrowingStore : ISignalStore
    {
        public bool IsAvailable => false;
        public ValueTask<SignalSnapshot> ObserveAsync(SignalRequest request, CancellationToken cancellationToken = default) => throw new IOException("store down");
        public ValueTask SetDeviceTrustAsync(ulong account, ulong device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new IOException("store down");
        public ValueTask SetStepUpRequestedAsync(ulong account, bool requested, CancellationToken cancellationToken = default) => throw new IOException("store down");
        public ValueTask MarkSecretExposedAsync(ulong account, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new IOException("store down");
    }
}
