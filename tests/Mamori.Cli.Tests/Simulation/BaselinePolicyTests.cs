using Mamori.Events;
using Mamori.Simulation;
using Mamori.Simulation.Baselines;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Mamori.Cli.Tests.Simulation.BaselineTestEvents;

namespace Mamori.Cli.Tests.Simulation;

public sealed class IdentityLockoutBaselineTests
{
    [Fact]
    public void FiveWrongPasswords_LockTheAccountForFiveMinutes_EvenForTheRightPassword()
    {
        var policy = new IdentityLockoutBaseline();
        for (int i = 0; i < 5; i++) Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(i), "a", LoginOutcome.WrongSecret)));
        Assert.Equal(Intervention.Deny, policy.Evaluate(At(S(10), "a", LoginOutcome.Success)));
        Assert.Equal(Intervention.Deny, policy.Evaluate(At(S(4 + 300), "a", LoginOutcome.Success)));       // end >= now: still locked
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(4 + 300.001), "a", LoginOutcome.Success)));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(400), "b", LoginOutcome.Success)));          // per account
    }

    [Fact]
    public void SuccessResetsTheCount_AndUnknownAccountsAreNeverCounted()
    {
        var policy = new IdentityLockoutBaseline();
        string[] sequence = ["w", "w", "w", "w", "s", "w", "w", "w", "w"];
        for (int i = 0; i < sequence.Length; i++)
            Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(i), "a", sequence[i] == "s" ? LoginOutcome.Success : LoginOutcome.WrongSecret)));
        for (int i = 0; i < 50; i++)
            Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(100 + i), "ghost", LoginOutcome.UnknownAccount)));
    }

    [Fact]
    public void Defaults_AreIdentitysOwnLockoutOptions()
    {
        var defaults = new IdentityOptions().Lockout;
        Assert.Equal(5, defaults.MaxFailedAccessAttempts);
        Assert.Equal(TimeSpan.FromMinutes(5), defaults.DefaultLockoutTimeSpan);
        Assert.True(defaults.AllowedForNewUsers);
    }

    [Theory]
    [InlineData("wwwwwssss")]
    [InlineData("wwwwswwwwwwww")]
    [InlineData("wwwwwwwwwwwwwwww")]
    [InlineData("swswswwwwwsw")]
    public async Task SameSequence_GivesTheSameLockoutsAsTheRealUserManager(string sequence)
    {
        // The real UserManager reads the wall clock; the whole sequence runs well inside one 5-minute lockout,
        // so the baseline can use "now" as event time and the two must agree at every step.
        var store = new LockoutStore();
        using var manager = new UserManager<TestUser>(store, Options.Create(new IdentityOptions()), new PasswordHasher<TestUser>(),
            [], [], new UpperInvariantLookupNormalizer(), new IdentityErrorDescriber(), null!, NullLogger<UserManager<TestUser>>.Instance);
        var user = new TestUser();
        var policy = new IdentityLockoutBaseline();
        DateTimeOffset start = DateTimeOffset.UtcNow;
        for (int i = 0; i < sequence.Length; i++)
        {
            bool success = sequence[i] == 's';
            // SignInManager.CheckPasswordSignInAsync: refuse when locked, else count or reset.
            bool identityDenies = await manager.IsLockedOutAsync(user);
            if (!identityDenies)
            {
                if (success) await manager.ResetAccessFailedCountAsync(user);
                else await manager.AccessFailedAsync(user);
            }
            var e = new LoginEvent(new LoginAttempt { Timestamp = start.AddMilliseconds(i), Account = "a", Ip = System.Net.IPAddress.Loopback },
                success ? LoginOutcome.Success : LoginOutcome.WrongSecret);
            Assert.Equal(identityDenies ? Intervention.Deny : Intervention.Allow, policy.Evaluate(e));
        }
    }

    public sealed class TestUser
    {
        public string Id { get; } = "u1";
        public int AccessFailedCount { get; set; }
        public DateTimeOffset? LockoutEnd { get; set; }
    }

    private sealed class LockoutStore : IUserLockoutStore<TestUser>
    {
        public Task<DateTimeOffset?> GetLockoutEndDateAsync(TestUser user, CancellationToken ct) => Task.FromResult(user.LockoutEnd);
        public Task SetLockoutEndDateAsync(TestUser user, DateTimeOffset? lockoutEnd, CancellationToken ct) { user.LockoutEnd = lockoutEnd; return Task.CompletedTask; }
        public Task<int> IncrementAccessFailedCountAsync(TestUser user, CancellationToken ct) => Task.FromResult(++user.AccessFailedCount);
        public Task ResetAccessFailedCountAsync(TestUser user, CancellationToken ct) { user.AccessFailedCount = 0; return Task.CompletedTask; }
        public Task<int> GetAccessFailedCountAsync(TestUser user, CancellationToken ct) => Task.FromResult(user.AccessFailedCount);
        public Task<bool> GetLockoutEnabledAsync(TestUser user, CancellationToken ct) => Task.FromResult(true);
        public Task SetLockoutEnabledAsync(TestUser user, bool enabled, CancellationToken ct) => Task.CompletedTask;
        public Task<string> GetUserIdAsync(TestUser user, CancellationToken ct) => Task.FromResult(user.Id);
        public Task<string?> GetUserNameAsync(TestUser user, CancellationToken ct) => Task.FromResult<string?>("a");
        public Task SetUserNameAsync(TestUser user, string? userName, CancellationToken ct) => Task.CompletedTask;
        public Task<string?> GetNormalizedUserNameAsync(TestUser user, CancellationToken ct) => Task.FromResult<string?>("A");
        public Task SetNormalizedUserNameAsync(TestUser user, string? normalizedName, CancellationToken ct) => Task.CompletedTask;
        public Task<IdentityResult> CreateAsync(TestUser user, CancellationToken ct) => Task.FromResult(IdentityResult.Success);
        public Task<IdentityResult> UpdateAsync(TestUser user, CancellationToken ct) => Task.FromResult(IdentityResult.Success);
        public Task<IdentityResult> DeleteAsync(TestUser user, CancellationToken ct) => Task.FromResult(IdentityResult.Success);
        public Task<TestUser?> FindByIdAsync(string userId, CancellationToken ct) => Task.FromResult<TestUser?>(null);
        public Task<TestUser?> FindByNameAsync(string normalizedUserName, CancellationToken ct) => Task.FromResult<TestUser?>(null);
        public void Dispose() { }
    }
}

public sealed class Auth0BaselineTests
{
    [Fact]
    public void TenFailuresFromOneIp_BlockThatAccountFromThatIpOnly()
    {
        var policy = new Auth0BruteForceBaseline();
        for (int i = 0; i < 10; i++) Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(i), "a", LoginOutcome.WrongSecret, "203.0.113.1")));
        Assert.Equal(Intervention.Deny, policy.Evaluate(At(S(20), "a", LoginOutcome.Success, "203.0.113.1")));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(21), "a", LoginOutcome.Success, "203.0.113.2")));   // the user elsewhere
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(22), "b", LoginOutcome.WrongSecret, "203.0.113.1"))); // other account
        Assert.Equal(Intervention.Deny, policy.Evaluate(At(TimeSpan.FromDays(29), "a", LoginOutcome.Success, "203.0.113.1")));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(TimeSpan.FromDays(30.1), "a", LoginOutcome.Success, "203.0.113.1")));
    }

    [Fact]
    public void SuccessBeforeTheThreshold_ResetsTheConsecutiveCount()
    {
        var policy = new Auth0BruteForceBaseline();
        for (int i = 0; i < 9; i++) policy.Evaluate(At(S(i), "a", LoginOutcome.WrongSecret));
        policy.Evaluate(At(S(10), "a", LoginOutcome.Success));
        for (int i = 0; i < 9; i++) policy.Evaluate(At(S(20 + i), "a", LoginOutcome.WrongSecret));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(40), "a", LoginOutcome.Success)));
    }

    [Fact]
    public void HundredFailuresFromOneIp_ThrottleEveryoneOnIt_ThenOneAttemptReturnsEvery864Seconds()
    {
        var policy = new Auth0SuspiciousIpThrottlingBaseline();
        for (int i = 0; i < 100; i++)
            Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(i), $"acct-{i}", LoginOutcome.WrongSecret, "126.0.0.1")));
        // A carrier CGNAT address: the next real user on it is refused too.
        Assert.Equal(Intervention.Deny, policy.Evaluate(At(S(200), "someone-else", LoginOutcome.Success, "126.0.0.1")));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(201), "someone-else", LoginOutcome.Success, "126.0.0.2")));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(864 + 1), "x", LoginOutcome.WrongSecret, "126.0.0.1")));
        Assert.Equal(Intervention.Deny, policy.Evaluate(At(S(864 + 2), "y", LoginOutcome.Success, "126.0.0.1")));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(TimeSpan.FromDays(1.1), "y", LoginOutcome.Success, "126.0.0.1")));
    }

    [Fact]
    public void SuccessfulLogins_UseNoThrottlingAllowance()
    {
        var policy = new Auth0SuspiciousIpThrottlingBaseline();
        for (int i = 0; i < 5_000; i++)
            Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(i), $"acct-{i}", LoginOutcome.Success, "126.0.0.1")));
    }

    [Fact]
    public void Combined_DeniesWhenEitherDenies()
    {
        var policy = new Auth0AttackProtectionBaseline();
        for (int i = 0; i < 10; i++) policy.Evaluate(At(S(i), "a", LoginOutcome.WrongSecret, "203.0.113.1"));
        Assert.Equal(Intervention.Deny, policy.Evaluate(At(S(11), "a", LoginOutcome.Success, "203.0.113.1")));
        for (int i = 0; i < 90; i++) policy.Evaluate(At(S(20 + i), $"u{i}", LoginOutcome.UnknownAccount, "203.0.113.9"));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(200), "b", LoginOutcome.Success, "203.0.113.9")));
    }
}

public sealed class KeycloakBruteForceBaselineTests
{
    [Fact]
    public void ThirtySlowFailures_DisableTheUserForOneMinute()
    {
        var policy = new KeycloakBruteForceBaseline();
        for (int i = 0; i < 29; i++) Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(5 * i), "a", LoginOutcome.WrongSecret)));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(150), "a", LoginOutcome.WrongSecret)));   // 30th: wait = 60 s
        Assert.Equal(Intervention.Deny, policy.Evaluate(At(S(180), "a", LoginOutcome.Success)));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(211), "a", LoginOutcome.Success)));
    }

    [Fact]
    public void TwoFailuresUnderOneSecondApart_DisableTheUserForOneMinute()
    {
        var policy = new KeycloakBruteForceBaseline();
        policy.Evaluate(At(S(0), "a", LoginOutcome.WrongSecret));
        policy.Evaluate(At(S(0.5), "a", LoginOutcome.WrongSecret));
        Assert.Equal(Intervention.Deny, policy.Evaluate(At(S(30), "a", LoginOutcome.Success)));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(62), "a", LoginOutcome.Success)));
    }

    [Fact]
    public void WaitGrowsWithEveryThirtyFailures_AndIsCappedAtFifteenMinutes()
    {
        var policy = new KeycloakBruteForceBaseline();
        double t = 0;
        int failures = 0;
        // Fail whenever allowed, 2 s apart, until 30 × 20 failures; the wait never exceeds 900 s.
        while (failures < 600)
        {
            t += 2;
            if (policy.Evaluate(At(S(t), "a", LoginOutcome.WrongSecret)) == Intervention.Allow) failures++;
        }
        Assert.Equal(Intervention.Deny, policy.Evaluate(At(S(t + 899), "a", LoginOutcome.Success)));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(t + 901), "a", LoginOutcome.Success)));
    }

    [Fact]
    public void FailuresTwelveHoursApart_StartOver_AndUnknownUsersAreNotTracked()
    {
        var policy = new KeycloakBruteForceBaseline();
        for (int i = 0; i < 29; i++) policy.Evaluate(At(S(5 * i), "a", LoginOutcome.WrongSecret));
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(TimeSpan.FromHours(13), "a", LoginOutcome.WrongSecret)));   // count restarts at 1
        Assert.Equal(Intervention.Allow, policy.Evaluate(At(TimeSpan.FromHours(13) + S(5), "a", LoginOutcome.Success)));
        for (int i = 0; i < 100; i++)
            Assert.Equal(Intervention.Allow, policy.Evaluate(At(S(0.1 * i), "ghost", LoginOutcome.UnknownAccount)));
    }
}
