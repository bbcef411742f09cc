using Mamori.Flows.Factors;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Flows.Tests;

/// <summary>
/// What the failed-verification and code-send limits must do, run against the limiters each store's app registers: in
/// memory with SQLite (one node), in the database with PostgreSQL (when MAMORI_TEST_POSTGRES names a server). The same
/// calls, the same answers.
/// </summary>
public abstract class StepUpLimitContractTests : IAsyncDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private readonly List<TestApp> _apps = [];

    /// <summary>Starts a flows app on this test's store (the same database for every app of the test: another node).</summary>
    private protected abstract Task<TestApp> StartAppAsync(Action<IServiceCollection>? services = null);

    private protected async Task<TestApp> NodeAsync(Action<IServiceCollection>? services = null)
    {
        TestApp app = await StartAppAsync(services);
        _apps.Add(app);
        return app;
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (TestApp app in _apps) await app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private protected static async Task FailAsync(IVerificationLimiter limiter, string account, DateTimeOffset at)
    {
        (VerificationAttempt? attempt, _) = await limiter.TryReserveAsync(account, at, default);
        Assert.NotNull(attempt);
        await attempt.DisposeAsync();   // unsettled: a failure
    }

    [SkippableFact]
    public async Task FiveFailures_BlockTheAccount_UntilAWindowAfterTheFirstHasPassed()
    {
        TestApp app = await NodeAsync();
        var limiter = app.Service<IVerificationLimiter>();
        DateTimeOffset t0 = app.Time.GetUtcNow();
        for (int i = 0; i < 5; i++) await FailAsync(limiter, "alice", t0.AddMinutes(i));

        (VerificationAttempt? refused, DateTimeOffset retryAt) = await limiter.TryReserveAsync("alice", t0.AddMinutes(5), default);

        Assert.Null(refused);
        Assert.Equal(t0 + Window, retryAt);
        Assert.Equal((true, t0 + Window), await limiter.IsBlockedAsync("alice", t0.AddMinutes(5), default));
        Assert.False((await limiter.IsBlockedAsync("bob", t0.AddMinutes(5), default)).Blocked);   // per account
        Assert.False((await limiter.IsBlockedAsync("alice", t0 + Window, default)).Blocked);
        await using VerificationAttempt? later = (await limiter.TryReserveAsync("alice", t0 + Window, default)).Attempt;
        Assert.NotNull(later);
    }

    [SkippableFact]
    public async Task AnOperatorsClear_LiftsTheBlock_OfThatAccountOnly_AndSaysWhetherThereWasOne()
    {
        TestApp app = await NodeAsync();
        var limiter = app.Service<IVerificationLimiter>();
        DateTimeOffset t0 = app.Time.GetUtcNow();
        for (int i = 0; i < 5; i++)
        {
            await FailAsync(limiter, "alice", t0);
            await FailAsync(limiter, "bob", t0);
        }
        await FailAsync(limiter, "carol", t0.AddMinutes(-20));   // a window that has passed

        Assert.True(await limiter.ClearFailuresAsync("alice", t0.AddMinutes(1), default));

        Assert.False((await limiter.IsBlockedAsync("alice", t0.AddMinutes(1), default)).Blocked);
        Assert.True((await limiter.IsBlockedAsync("bob", t0.AddMinutes(1), default)).Blocked);
        Assert.False(await limiter.ClearFailuresAsync("alice", t0.AddMinutes(1), default));   // nothing left
        Assert.False(await limiter.ClearFailuresAsync("carol", t0.AddMinutes(1), default));
        Assert.False(await limiter.ClearFailuresAsync("nobody", t0.AddMinutes(1), default));
        for (int i = 0; i < 4; i++) await FailAsync(limiter, "alice", t0.AddMinutes(2));   // a fresh count: four are not five
        Assert.False((await limiter.IsBlockedAsync("alice", t0.AddMinutes(2), default)).Blocked);
    }

    [SkippableFact]
    public async Task ASuccess_ForgivesTheFailuresBeforeIt_AndARefundIsNoFailure()
    {
        TestApp app = await NodeAsync();
        var limiter = app.Service<IVerificationLimiter>();
        DateTimeOffset t0 = app.Time.GetUtcNow();
        for (int i = 0; i < 4; i++) await FailAsync(limiter, "alice", t0);
        await using (VerificationAttempt right = (await limiter.TryReserveAsync("alice", t0, default)).Attempt!) await right.SucceededAsync();
        for (int i = 0; i < 10; i++)
            await using (VerificationAttempt twin = (await limiter.TryReserveAsync("alice", t0, default)).Attempt!) await twin.RefundAsync();
        for (int i = 0; i < 4; i++) await FailAsync(limiter, "alice", t0);

        Assert.False((await limiter.IsBlockedAsync("alice", t0, default)).Blocked);
        await FailAsync(limiter, "alice", t0);
        Assert.True((await limiter.IsBlockedAsync("alice", t0, default)).Blocked);
    }

    [SkippableFact]
    public async Task AnAttemptPastTheReservedOnes_WaitsForThemToSettle_InsteadOfBeingRefused()
    {
        TestApp app = await NodeAsync();
        var limiter = app.Service<IVerificationLimiter>();
        DateTimeOffset now = app.Time.GetUtcNow();
        for (int i = 0; i < 3; i++) await FailAsync(limiter, "a", now);   // two attempts left
        VerificationAttempt first = (await limiter.TryReserveAsync("a", now, default)).Attempt!;
        VerificationAttempt second = (await limiter.TryReserveAsync("a", now, default)).Attempt!;

        Task<(VerificationAttempt? Attempt, DateTimeOffset RetryAt)> third = limiter.TryReserveAsync("a", now, default);
        Assert.False(third.IsCompleted);
        await first.RefundAsync();   // a double submit: no guess
        VerificationAttempt? granted = (await third).Attempt;
        Assert.NotNull(granted);

        Task<(VerificationAttempt? Attempt, DateTimeOffset RetryAt)> fourth = limiter.TryReserveAsync("a", now, default);
        await second.DisposeAsync();    // unsettled: a failure
        await granted.DisposeAsync();   // a fifth failure: the limit
        (VerificationAttempt? refused, DateTimeOffset retryAt) = await fourth;
        Assert.Null(refused);
        Assert.Equal(now + Window, retryAt);
        Assert.NotNull((await limiter.TryReserveAsync("a", retryAt, default)).Attempt);
    }

    [SkippableFact]
    public async Task FiftyParallelWrongCodes_OnlyTheLimitIsReserved()
    {
        TestApp app = await NodeAsync();
        var limiter = app.Service<IVerificationLimiter>();
        DateTimeOffset now = app.Time.GetUtcNow();

        bool[] checkedCodes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            (VerificationAttempt? attempt, _) = await limiter.TryReserveAsync("victim", now, default);
            if (attempt is null) return false;
            await attempt.DisposeAsync();   // every code is wrong
            return true;
        })));

        Assert.Equal(5, checkedCodes.Count(c => c));
        Assert.True((await limiter.IsBlockedAsync("victim", now, default)).Blocked);
    }

    [SkippableFact]
    public async Task Sends_OnePerInterval_AndTenPerRollingHour()
    {
        TestApp app = await NodeAsync();
        var limiter = app.Service<IOneTimeCodeSendLimiter>();
        DateTimeOffset t0 = app.Time.GetUtcNow();
        TimeSpan interval = app.Options.OneTimeCodeSendInterval;

        Assert.Equal((true, default), await limiter.TryAcquireAsync("alice", t0, default));
        Assert.Equal((false, t0 + interval), await limiter.TryAcquireAsync("alice", t0.AddSeconds(10), default));
        Assert.True((await limiter.TryAcquireAsync("bob", t0.AddSeconds(10), default)).Acquired);   // per account
        for (int i = 1; i < 10; i++) Assert.True((await limiter.TryAcquireAsync("alice", t0 + i * interval, default)).Acquired, $"send {i + 1}");

        Assert.Equal((false, t0.AddHours(1)), await limiter.TryAcquireAsync("alice", t0 + 10 * interval, default));
        Assert.True((await limiter.TryAcquireAsync("alice", t0.AddHours(1), default)).Acquired);   // the first send left the hour
        Assert.Equal((false, t0.AddHours(1) + interval), await limiter.TryAcquireAsync("alice", t0.AddHours(1).AddSeconds(1), default));
    }

    [SkippableFact]
    public async Task TwentyParallelSends_SendOne()
    {
        TestApp app = await NodeAsync();
        var limiter = app.Service<IOneTimeCodeSendLimiter>();
        DateTimeOffset now = app.Time.GetUtcNow();

        (bool Acquired, DateTimeOffset RetryAt)[] sends = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            limiter.TryAcquireAsync("alice", now, default))));

        Assert.Equal(1, sends.Count(s => s.Acquired));
        Assert.All(sends.Where(s => !s.Acquired), s => Assert.Equal(now + app.Options.OneTimeCodeSendInterval, s.RetryAt));
    }
}

public sealed class InMemoryStepUpLimitContractTests : StepUpLimitContractTests
{
    private protected override Task<TestApp> StartAppAsync(Action<IServiceCollection>? services = null) => TestApp.StartAsync(services: services);

    [Fact]
    public async Task WithSqlite_TheLimitsAreTheInMemoryOnes()
    {
        TestApp app = await NodeAsync();
        Assert.IsType<VerificationLimiter>(app.Service<IVerificationLimiter>());
        Assert.IsType<OneTimeCodeSendLimiter>(app.Service<IOneTimeCodeSendLimiter>());
    }
}

public sealed class PostgresStepUpLimitContractTests : StepUpLimitContractTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private PostgresSchema? _schema;

    private PostgresSchema Schema
    {
        get
        {
            Skip.If(PostgresSchema.SkipReason is not null, PostgresSchema.SkipReason);
            return _schema ??= new PostgresSchema();
        }
    }

    private protected override Task<TestApp> StartAppAsync(Action<IServiceCollection>? services = null)
    {
        string db = Schema.ConnectionString;
        return TestApp.StartAsync(services: s =>
        {
            s.AddMamoriFlowsPostgres(db);
            services?.Invoke(s);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _schema?.Dispose();
    }

    private static void Advance(TimeSpan by, params TestApp[] nodes)
    {
        foreach (TestApp node in nodes) node.Time.Advance(by);
    }

    private long Count(string table) => Convert.ToInt64(Schema.Scalar($"SELECT COUNT(*) FROM {table}"), System.Globalization.CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task WithPostgres_TheLimitsAreTheSharedOnes()
    {
        TestApp app = await NodeAsync();
        Assert.IsType<SharedVerificationLimiter>(app.Service<IVerificationLimiter>());
        Assert.IsType<SharedOneTimeCodeSendLimiter>(app.Service<IOneTimeCodeSendLimiter>());
    }

    [SkippableFact]
    public async Task AnAttemptItsNodeNeverSettled_CountsAsOneFailureAfterItsLifetime_EvenIfItsSettlementComesLate()
    {
        TestApp a = await NodeAsync(), b = await NodeAsync();
        IVerificationLimiter onA = a.Service<IVerificationLimiter>(), onB = b.Service<IVerificationLimiter>();
        DateTimeOffset t0 = a.Time.GetUtcNow();
        VerificationAttempt lost = (await onA.TryReserveAsync("alice", t0, default)).Attempt!;   // node A stops here
        DateTimeOffset later = t0 + SharedVerificationLimiter.ReservationLifetime;

        for (int i = 0; i < 3; i++) await FailAsync(onB, "alice", later);
        Assert.False((await onB.IsBlockedAsync("alice", later, default)).Blocked);   // the lost attempt and three: four
        await lost.DisposeAsync();   // its failure reaches the database after all: already counted, not counted twice
        Assert.False((await onB.IsBlockedAsync("alice", later, default)).Blocked);
        await FailAsync(onB, "alice", later);

        Assert.Equal((true, t0 + Window), await onB.IsBlockedAsync("alice", later, default));   // the window began with the lost attempt
        Assert.Equal(0, Count("flows_verification_reservations"));
    }

    [SkippableFact]
    public async Task ANodeThatDiedHoldingTheLastAttempts_HoldsTheAccountOnlyUntilTheirLifetimeEnds_ThenTheyAreFailures()
    {
        TestApp a = await NodeAsync(), b = await NodeAsync();
        IVerificationLimiter onA = a.Service<IVerificationLimiter>(), onB = b.Service<IVerificationLimiter>();
        DateTimeOffset t0 = a.Time.GetUtcNow();
        for (int i = 0; i < 5; i++) Assert.NotNull((await onA.TryReserveAsync("alice", t0, default)).Attempt);   // never settled: A died
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ((SharedVerificationLimiter)onB).WaitStarted += () => waiting.TrySetResult();

        Task<(VerificationAttempt? Attempt, DateTimeOffset RetryAt)> onBNow = onB.TryReserveAsync("alice", t0, default);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(onBNow.IsCompleted);
        Advance(SharedVerificationLimiter.ReservationLifetime, a, b);
        (VerificationAttempt? refused, DateTimeOffset retryAt) = await onBNow.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(refused);   // five attempts that may have been checked are five failures: a crash gives no free guesses
        Assert.Equal(t0 + Window, retryAt);
        Assert.NotNull((await onB.TryReserveAsync("alice", t0 + Window, default)).Attempt);
    }

    [SkippableFact]
    public async Task FiftyParallelWrongCodesSplitAcrossTwoNodes_OnlyTheLimitIsReserved()
    {
        TestApp a = await NodeAsync(), b = await NodeAsync();
        DateTimeOffset now = a.Time.GetUtcNow();

        Task<bool>[] all = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            (VerificationAttempt? attempt, _) = await (i % 2 == 0 ? a : b).Service<IVerificationLimiter>().TryReserveAsync("victim", now, default);
            if (attempt is null) return false;
            await attempt.DisposeAsync();   // every code is wrong
            return true;
        })).ToArray();
        bool[] checkedCodes = await Polls.PumpAsync(all, a, b);

        Assert.Equal(5, checkedCodes.Count(c => c));
    }

    [SkippableFact]
    public async Task ExpiredFailuresReservationsAndSends_AreSweptAway()
    {
        TestApp a = await NodeAsync();
        var limiter = a.Service<IVerificationLimiter>();
        var sends = a.Service<IOneTimeCodeSendLimiter>();
        DateTimeOffset t0 = a.Time.GetUtcNow();
        await FailAsync(limiter, "alice", t0);
        Assert.True((await sends.TryAcquireAsync("alice", t0, default)).Acquired);
        Assert.NotNull((await limiter.TryReserveAsync("bob", t0, default)).Attempt);   // never settled
        Assert.Equal((1, 1, 1), (Count("flows_verification_failures"), Count("flows_verification_reservations"), Count("flows_code_sends")));

        DateTimeOffset t1 = t0.AddHours(2);
        await FailAsync(limiter, "carol", t1);
        Assert.True((await sends.TryAcquireAsync("carol", t1, default)).Acquired);

        Assert.Equal((1, 0, 1), (Count("flows_verification_failures"), Count("flows_verification_reservations"), Count("flows_code_sends")));
        Assert.Equal("carol", Schema.Scalar("SELECT account FROM flows_verification_failures"));
        Assert.Equal("carol", Schema.Scalar("SELECT account FROM flows_code_sends"));
    }
}
