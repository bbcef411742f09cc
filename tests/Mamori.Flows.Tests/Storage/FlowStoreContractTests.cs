using Mamori.Flows.Storage;
using Microsoft.Data.Sqlite;

namespace Mamori.Flows.Tests.Storage;

/// <summary>
/// What every flow store must do, run against each engine (SQLite always; PostgreSQL when MAMORI_TEST_POSTGRES names a
/// server): the same operations, the same expected results. Each test gets its own fresh database (file or schema).
/// </summary>
public abstract class FlowStoreContractTests : IDisposable
{
    // 123.4567 ms past the second: both engines keep whole milliseconds, so every time below reads back as T0 + 123 ms.
    protected static readonly DateTimeOffset T0 = new DateTimeOffset(2020, 9, 7, 1, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
    protected static readonly DateTimeOffset T0Ms = T0.AddTicks(-(T0.UtcTicks % TimeSpan.TicksPerMillisecond));
    protected static readonly CancellationToken None = CancellationToken.None;
    private FlowStores? _stores;

    /// <summary>The five store interfaces (and the ceremony store) of one store object.</summary>
    protected sealed record FlowStores(IFactorStore Factors, IAccountRecordStore Accounts, ILinkStore Links, IWithdrawalDestinationStore Destinations,
        IAuditLog Audit, IWebAuthnCeremonyStore Ceremonies, object Owner);

    protected static FlowStores Of<T>(T s) where T : IFactorStore, IAccountRecordStore, ILinkStore, IWithdrawalDestinationStore, IAuditLog, IWebAuthnCeremonyStore =>
        new(s, s, s, s, s, s, s);

    /// <summary>A new store over this test's database (called again for a second node on the same database).</summary>
    protected abstract FlowStores Create();

    /// <summary>Skips the test when the engine's server is absent (SQLite never is).</summary>
    protected virtual void SkipUnlessAvailable() { }

    protected FlowStores Store
    {
        get
        {
            SkipUnlessAvailable();
            return _stores ??= Create();
        }
    }

    public virtual void Dispose()
    {
        (_stores?.Owner as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static LinkRecord Link(string id, string wallet, string bankAccount, DateTimeOffset at) =>
        new(id, wallet, "0005", bankAccount, "ﾀﾅｶ ﾊﾅｺ", LinkState.Active, at, at.AddDays(3), [1, 2, 3], null);

    [SkippableFact]
    public async Task Totp_AdvancedConcurrentlyWithOneStep_AdvancesExactlyOnce_AndNeverBackwards()
    {
        IFactorStore f = Store.Factors;
        await f.AddTotpAsync(new TotpFactorRecord("totp_1", "alice", [9, 8, 7], 100, Confirmed: true, T0), None);

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => f.TryAdvanceTotpStepAsync("totp_1", 101, None))));

        Assert.Equal(1, results.Count(r => r));
        Assert.False(await f.TryAdvanceTotpStepAsync("totp_1", 100, None));
        TotpFactorRecord stored = Assert.Single(await f.GetTotpFactorsAsync("alice", None));
        Assert.Equal(new TotpFactorRecord("totp_1", "alice", [9, 8, 7], 101, true, T0Ms) with { SealedSecret = stored.SealedSecret }, stored);
        Assert.Equal([9, 8, 7], stored.SealedSecret);
    }

    [SkippableFact]
    public async Task Totp_UnconfirmedIsNotAdvanced_TwoConfirmedAtOnce_OneWinsAndDeletesTheOther()
    {
        IFactorStore f = Store.Factors;
        await f.AddTotpAsync(new TotpFactorRecord("totp_a", "victim", [1], null, false, T0), None);
        await f.AddTotpAsync(new TotpFactorRecord("totp_b", "victim", [2], null, false, T0.AddSeconds(1)), None);
        await f.AddTotpAsync(new TotpFactorRecord("totp_c", "other", [3], null, false, T0), None);
        Assert.False(await f.TryAdvanceTotpStepAsync("totp_a", 5, None));

        int?[] confirmed = await Task.WhenAll(Task.Run(() => f.TryConfirmTotpAsync("totp_a", 7, None)), Task.Run(() => f.TryConfirmTotpAsync("totp_b", 7, None)));

        Assert.Equal(1, confirmed.Count(c => c == 1));
        Assert.Equal(1, confirmed.Count(c => c is null));
        TotpFactorRecord left = Assert.Single(await f.GetTotpFactorsAsync("victim", None));
        Assert.True(left.Confirmed);
        Assert.Equal(7, left.LastUsedStep);
        Assert.Null(await f.TryConfirmTotpAsync(left.Id, 8, None));
        Assert.Null(await f.TryConfirmTotpAsync("totp_missing", 8, None));
        Assert.False(Assert.Single(await f.GetTotpFactorsAsync("other", None)).Confirmed);   // another account's enrolment stays
    }

    [SkippableFact]
    public async Task RecoveryCodes_ReplacedAtOnce_OneSetStays_AndEachCodeIsUsedOnce()
    {
        IFactorStore f = Store.Factors;
        RecoveryCodeRecord[] Set(string prefix) => [.. Enumerable.Range(0, 5).Select(i => new RecoveryCodeRecord($"{prefix}{i}", "alice", [(byte)i], [(byte)(i + 1)], null))];
        await Task.WhenAll(Task.Run(() => f.ReplaceRecoveryCodesAsync("alice", Set("x"), None)), Task.Run(() => f.ReplaceRecoveryCodesAsync("alice", Set("y"), None)));

        IReadOnlyList<RecoveryCodeRecord> unused = await f.GetUnusedRecoveryCodesAsync("alice", None);
        Assert.Equal(5, unused.Count);
        Assert.Single(unused.Select(c => c.Id[0]).Distinct());
        string id = unused[0].Id;
        bool[] used = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => f.TryUseRecoveryCodeAsync(id, T0, None))));
        Assert.Equal(1, used.Count(u => u));
        Assert.Equal(4, (await f.GetUnusedRecoveryCodesAsync("alice", None)).Count);
        Assert.Equal([(byte)1], unused.Single(c => c.Id.EndsWith('0')).Hash);
    }

    [SkippableFact]
    public async Task OneTimeCode_AttemptsStopAtTheLimit_AndTheCodeIsUsedOnce_UnderConcurrency()
    {
        IFactorStore f = Store.Factors;
        await f.AddOneTimeCodeAsync(new OneTimeCodeRecord("otc_1", "alice", "sms", [1, 1], [2, 2], T0.AddMinutes(5), Attempts: 0, UsedAt: null), None);

        bool[] counted = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => f.TryCountOneTimeCodeAttemptAsync("otc_1", 3, None))));
        bool[] used = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => f.TryUseOneTimeCodeAsync("otc_1", T0.AddMinutes(1), None))));

        Assert.Equal(3, counted.Count(c => c));
        Assert.Equal(1, used.Count(u => u));
        OneTimeCodeRecord code = (await f.GetOneTimeCodeAsync("otc_1", None))!;
        Assert.Equal(("alice", "sms", T0Ms.AddMinutes(5), 3, T0Ms.AddMinutes(1)), (code.Account, code.Channel, code.ExpiresAt, code.Attempts, code.UsedAt));
        Assert.Equal([2, 2], code.Hash);
        Assert.Null(await f.GetOneTimeCodeAsync("otc_missing", None));
        Assert.False(await f.TryCountOneTimeCodeAttemptAsync("otc_missing", 3, None));
    }

    [SkippableFact]
    public async Task Passkeys_FoundByIdAndAccount_SignCountUpdated_AndAFullCounterFits()
    {
        IFactorStore f = Store.Factors;
        await f.AddWebAuthnCredentialAsync(new WebAuthnCredentialRecord([0xCA, 0xFE], "alice", [1, 2], [3, 4], uint.MaxValue - 1, T0), None);

        await f.UpdateSignCountAsync([0xCA, 0xFE], uint.MaxValue, None);

        WebAuthnCredentialRecord found = (await f.FindWebAuthnCredentialAsync([0xCA, 0xFE], None))!;
        Assert.Equal(("alice", uint.MaxValue, T0Ms), (found.Account, found.SignCount, found.CreatedAt));
        Assert.Equal([3, 4], found.UserHandle);
        Assert.Single(await f.GetWebAuthnCredentialsAsync("alice", None));
        Assert.Empty(await f.GetWebAuthnCredentialsAsync("bob", None));
        Assert.Null(await f.FindWebAuthnCredentialAsync([0xCA], None));
    }

    [SkippableFact]
    public async Task Ceremony_IsTakenOnce_ReplacedByANewOne_AndRefusedOnceExpired()
    {
        IWebAuthnCeremonyStore c = Store.Ceremonies;
        await c.PutWebAuthnCeremonyAsync("alice", "assertion", """{"challenge":"old"}""", T0.AddMinutes(5), T0, None);
        await c.PutWebAuthnCeremonyAsync("alice", "assertion", """{"challenge":"new"}""", T0.AddMinutes(5), T0, None);
        await c.PutWebAuthnCeremonyAsync("alice", "registration", """{"challenge":"reg"}""", T0.AddMinutes(5), T0, None);

        string?[] taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => c.TryTakeWebAuthnCeremonyAsync("alice", "assertion", T0.AddMinutes(1), None))));

        Assert.Equal(["""{"challenge":"new"}"""], taken.OfType<string>().ToArray());
        Assert.Null(await c.TryTakeWebAuthnCeremonyAsync("bob", "assertion", T0, None));
        Assert.Null(await c.TryTakeWebAuthnCeremonyAsync("alice", "registration", T0.AddMinutes(5), None));   // expired at its expiry
        Assert.Null(await c.TryTakeWebAuthnCeremonyAsync("alice", "registration", T0, None));                  // and gone
    }

    [SkippableFact]
    public async Task Ceremony_StoringOne_DeletesOthersThatExpired()
    {
        IWebAuthnCeremonyStore c = Store.Ceremonies;
        await c.PutWebAuthnCeremonyAsync("alice", "assertion", "{}", T0.AddMinutes(5), T0, None);

        await c.PutWebAuthnCeremonyAsync("bob", "assertion", "{}", T0.AddMinutes(15), T0.AddMinutes(10), None);

        Assert.Null(await c.TryTakeWebAuthnCeremonyAsync("alice", "assertion", T0, None));   // would still be valid at T0, but was swept
        Assert.NotNull(await c.TryTakeWebAuthnCeremonyAsync("bob", "assertion", T0.AddMinutes(10), None));
    }

    [SkippableFact]
    public async Task EventsAndStepUps_GiveTheLatestByTypeAndGrade()
    {
        IAccountRecordStore a = Store.Accounts;
        await a.RecordEventAsync("alice", AccountEventType.UnfamiliarLogin, T0, None);
        await a.RecordEventAsync("alice", AccountEventType.UnfamiliarLogin, T0.AddHours(2), None);
        await a.RecordEventAsync("alice", AccountEventType.PasswordReset, T0.AddHours(1), None);
        await a.RecordStepUpAsync("alice", "totp", moneyGrade: true, T0, None);
        await a.RecordStepUpAsync("alice", "recovery_code", moneyGrade: false, T0.AddMinutes(5), None);

        Assert.Equal(T0Ms, await a.GetLatestEventAsync("alice", AccountEventType.UnfamiliarLogin, T0.AddHours(1), None));
        Assert.Equal(T0Ms.AddHours(2), await a.GetLatestEventAsync("alice", AccountEventType.UnfamiliarLogin, T0.AddHours(3), None));
        Assert.Equal(T0Ms, await a.GetLatestEventAsync("alice", AccountEventType.UnfamiliarLogin, T0, None));   // at the instant counts
        Assert.Null(await a.GetLatestEventAsync("alice", AccountEventType.PasswordReset, T0, None));
        Assert.Null(await a.GetLatestEventAsync("bob", AccountEventType.PasswordReset, T0.AddDays(1), None));
        Assert.Equal(T0Ms, await a.GetLatestStepUpAsync("alice", None));
        Assert.Equal(T0Ms.AddMinutes(5), await a.GetLatestStepUpOfAnyGradeAsync("alice", None));
        Assert.Null(await a.GetLatestStepUpAsync("bob", None));
    }

    [SkippableFact]
    public async Task Contact_IsSetThenReplaced()
    {
        IAccountRecordStore a = Store.Accounts;
        Assert.Null(await a.GetContactAsync("alice", None));
        await a.SetContactAsync("alice", new ContactRecord("sms", "+81-90-0000-0001"), None);
        await a.SetContactAsync("alice", new ContactRecord("email", "alice@example.jp"), None);

        Assert.Equal(new ContactRecord("email", "alice@example.jp"), await a.GetContactAsync("alice", None));
    }

    [SkippableFact]
    public async Task Links_ListedOldestFirst_FrozenOnce_AndChargesSummedOverEveryWalletOfTheBankAccount()
    {
        ILinkStore l = Store.Links;
        await l.AddLinkAsync(Link("lnk_b", "wallet-2", "1234567", T0.AddMinutes(1)), None);
        await l.AddLinkAsync(Link("lnk_a", "wallet-1", "1234567", T0), None);
        await l.AddLinkAsync(Link("lnk_c", "wallet-1", "7654321", T0), None);
        await l.AddChargeAsync("lnk_a", 30_000, T0.AddMinutes(2), None);
        await l.AddChargeAsync("lnk_b", 20_000, T0.AddMinutes(3), None);
        await l.AddChargeAsync("lnk_c", 99_000, T0.AddMinutes(3), None);
        await l.FreezeLinkAsync("lnk_a", T0.AddHours(1), None);
        await l.FreezeLinkAsync("lnk_a", T0.AddHours(2), None);

        Assert.Equal(["lnk_a", "lnk_b"], (await l.ListLinksToBankAccountAsync("0005", "1234567", 10, None)).Select(x => x.Id).ToArray());
        Assert.Equal(["lnk_a"], (await l.ListLinksToBankAccountAsync("0005", "1234567", 1, None)).Select(x => x.Id).ToArray());
        Assert.Equal(["lnk_a", "lnk_c"], (await l.ListLinksAsync("wallet-1", 10, None)).Select(x => x.Id).ToArray());
        LinkRecord frozen = (await l.GetLinkAsync("lnk_a", None))!;
        Assert.Equal((LinkState.Frozen, T0Ms.AddHours(1), T0Ms.AddDays(3), "ﾀﾅｶ ﾊﾅｺ"), (frozen.State, frozen.FrozenAt, frozen.CoolOffUntil, frozen.HolderName));
        Assert.Equal([1, 2, 3], frozen.NotMeTokenHash);
        Assert.Null(await l.GetLinkAsync("lnk_missing", None));
        Assert.Equal(50_000, await l.SumBankAccountChargesAsync("0005", "1234567", T0, None));
        Assert.Equal(20_000, await l.SumBankAccountChargesAsync("0005", "1234567", T0.AddMinutes(3), None));   // at the instant counts
        Assert.Equal(0L, await l.SumBankAccountChargesAsync("0005", "0000000", T0, None));
    }

    [SkippableFact]
    public async Task Unfreeze_ChangesOnlyAFrozenLink_Once_AndClearsItsFreezeTime()
    {
        ILinkStore l = Store.Links;
        await l.AddLinkAsync(Link("lnk_a", "wallet-1", "1234567", T0), None);

        bool notFrozen = await l.UnfreezeLinkAsync("lnk_a", None);
        await l.FreezeLinkAsync("lnk_a", T0.AddHours(1), None);
        bool first = await l.UnfreezeLinkAsync("lnk_a", None);
        bool second = await l.UnfreezeLinkAsync("lnk_a", None);
        bool missing = await l.UnfreezeLinkAsync("lnk_missing", None);
        LinkRecord active = (await l.GetLinkAsync("lnk_a", None))!;
        await l.FreezeLinkAsync("lnk_a", T0.AddHours(5), None);   // a new freeze has its own time

        Assert.Equal((false, true, false, false), (notFrozen, first, second, missing));
        Assert.Equal((LinkState.Active, (DateTimeOffset?)null, T0Ms.AddDays(3)), (active.State, active.FrozenAt, active.CoolOffUntil));
        Assert.Equal(T0Ms.AddHours(5), (await l.GetLinkAsync("lnk_a", None))!.FrozenAt);
    }

    [SkippableFact]
    public async Task HolderReports_GiveTheLatestOfTheBankAccount()
    {
        ILinkStore l = Store.Links;
        Assert.Null(await l.GetLatestHolderReportAsync("0005", "1234567", None));
        await l.RecordHolderReportAsync("0005", "1234567", T0, None);
        await l.RecordHolderReportAsync("0005", "1234567", T0.AddDays(1), None);
        await l.RecordHolderReportAsync("0009", "1234567", T0.AddDays(2), None);

        Assert.Equal(T0Ms.AddDays(1), await l.GetLatestHolderReportAsync("0005", "1234567", None));
    }

    [SkippableFact]
    public async Task BankAccountLock_IsHeldByOneCallerAtATime()
    {
        ILinkStore l = Store.Links;
        int inside = 0, most = 0;

        await Task.WhenAll(Enumerable.Range(0, 12).Select(caller => Task.Run(async () =>
        {
            await using (await l.LockBankAccountAsync("0005", "1234567", None))
            {
                int now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                await Task.Yield();
                // A read in the lock, as a decision makes: the other callers are waiting, not reading alongside.
                _ = await l.SumBankAccountChargesAsync("0005", "1234567", T0, None);
                Interlocked.Decrement(ref inside);
            }
        })));

        Assert.Equal(1, most);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (int seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    [SkippableFact]
    public async Task Destinations_BelongToTheirAccount_AndFreeze()
    {
        IWithdrawalDestinationStore d = Store.Destinations;
        await d.AddDestinationAsync(new DestinationRecord("dst_2", "alice", "0005", "1111111", "ﾀﾅｶ ﾊﾅｺ", LinkState.Active, T0.AddMinutes(1), T0.AddDays(1), [7]), None);
        await d.AddDestinationAsync(new DestinationRecord("dst_1", "alice", "0005", "2222222", "ﾀﾅｶ ﾊﾅｺ", LinkState.Active, T0, T0.AddDays(1), [8]), None);

        await d.FreezeDestinationAsync("bob", "dst_1", None);     // another account's id: nothing
        await d.FreezeDestinationAsync("alice", "dst_2", None);

        Assert.Null(await d.GetDestinationAsync("bob", "dst_1", None));
        Assert.Equal(LinkState.Active, (await d.GetDestinationAsync("alice", "dst_1", None))!.State);
        DestinationRecord frozen = (await d.GetDestinationAsync("alice", "dst_2", None))!;
        Assert.Equal((LinkState.Frozen, T0Ms.AddMinutes(1), T0Ms.AddDays(1)), (frozen.State, frozen.CreatedAt, frozen.HoldUntil));
        Assert.Equal(["dst_1", "dst_2"], (await d.ListDestinationsAsync("alice", 10, None)).Select(x => x.Id).ToArray());
        Assert.Single(await d.ListDestinationsAsync("alice", 1, None));
    }

    [SkippableFact]
    public async Task Destinations_UnfreezeOnlyTheirAccountsFrozenOne()
    {
        IWithdrawalDestinationStore d = Store.Destinations;
        await d.AddDestinationAsync(new DestinationRecord("dst_1", "alice", "0005", "2222222", "ﾀﾅｶ ﾊﾅｺ", LinkState.Active, T0, T0.AddDays(1), [8]), None);
        await d.FreezeDestinationAsync("alice", "dst_1", None);

        bool otherAccount = await d.UnfreezeDestinationAsync("bob", "dst_1", None);
        LinkState afterOther = (await d.GetDestinationAsync("alice", "dst_1", None))!.State;
        bool first = await d.UnfreezeDestinationAsync("alice", "dst_1", None);
        bool second = await d.UnfreezeDestinationAsync("alice", "dst_1", None);

        Assert.Equal((false, LinkState.Frozen, true, false), (otherAccount, afterOther, first, second));
        DestinationRecord active = (await d.GetDestinationAsync("alice", "dst_1", None))!;
        Assert.Equal((LinkState.Active, T0Ms.AddDays(1)), (active.State, active.HoldUntil));
    }

    [SkippableFact]
    public async Task Audit_NumbersEntriesInOrder_AndReadsNewestFirst()
    {
        IAuditLog a = Store.Audit;
        long first = await a.AppendAsync(new AuditEntry(T0, "alice", "link_decision", "lnk_1", "allow", ["cool_off", "holder_notified"], "identity: ic_chip"), None);
        long second = await a.AppendAsync(new AuditEntry(T0.AddSeconds(1), "bob", "notification", null, null, [], null), None);
        long third = await a.AppendAsync(new AuditEntry(T0.AddSeconds(2), "alice", "charge_decision", "lnk_1", "deny", ["daily_limit_exceeded"], null), None);

        Assert.True(first < second && second < third);
        IReadOnlyList<AuditEntry> all = await a.QueryAsync(null, 10, None);
        Assert.Equal([third, second, first], all.Select(e => e.Sequence).ToArray());
        AuditEntry bob = all[1];
        Assert.Equal((T0Ms.AddSeconds(1), "bob", "notification", (string?)null, (string?)null, 0, (string?)null),
            (bob.At, bob.Account, bob.Kind, bob.Subject, bob.Verdict, bob.Reasons.Count, bob.Detail));
        IReadOnlyList<AuditEntry> alice = await a.QueryAsync("alice", 1, None);
        Assert.Equal(third, Assert.Single(alice).Sequence);
        Assert.Equal(["cool_off", "holder_notified"], (await a.QueryAsync("alice", 10, None))[1].Reasons);
    }
}

public sealed class SqliteFlowStoreContractTests : FlowStoreContractTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mamori-flowstore-" + Guid.NewGuid().ToString("N"));

    protected override FlowStores Create() => Of(new SqliteFlowStore(Path.Combine(_dir, "flows.db")));

    public override void Dispose()
    {
        base.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

public sealed class PostgresFlowStoreContractTests : FlowStoreContractTests
{
    private PostgresSchema? _schema;
    private readonly List<PostgresFlowStore> _more = [];

    protected override void SkipUnlessAvailable() => Skip.If(PostgresSchema.SkipReason is not null, PostgresSchema.SkipReason);

    private PostgresSchema Schema
    {
        get
        {
            SkipUnlessAvailable();
            return _schema ??= new PostgresSchema();
        }
    }

    protected override FlowStores Create() => Of(new PostgresFlowStore(Schema.ConnectionString));

    /// <summary>Another store on the same schema: another node.</summary>
    private PostgresFlowStore AnotherNode(TimeSpan? lockWait = null, string connectionOptions = "")
    {
        var store = new PostgresFlowStore(Schema.ConnectionString + connectionOptions, lockWait);
        _more.Add(store);
        return store;
    }

    public override void Dispose()
    {
        base.Dispose();
        foreach (PostgresFlowStore store in _more) store.Dispose();
        _schema?.Dispose();
    }

    [SkippableFact]
    public async Task Open_Twice_AppliesEachMigrationOnce()
    {
        await ((PostgresFlowStore)Store.Owner).OpenAsync();
        await AnotherNode().OpenAsync();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => AnotherNode().OpenAsync()));

        Assert.Equal((long)PostgresFlowMigrations.Steps.Length, Convert.ToInt64(Schema.Scalar("SELECT COUNT(*) FROM flows_schema_migrations"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(PostgresFlowMigrations.Latest, Convert.ToInt32(Schema.Scalar("SELECT MAX(version) FROM flows_schema_migrations"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public async Task Open_ANewerSchema_IsRefusedWithAClearMessage()
    {
        await ((PostgresFlowStore)Store.Owner).OpenAsync();
        Schema.Scalar("INSERT INTO flows_schema_migrations (version, applied_at) VALUES (999, '2030-01-01')");

        PostgresFlowStore newer = AnotherNode();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.GetContactAsync("alice", CancellationToken.None));
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Contains("flows", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task BankAccountLock_HeldByOneNode_MakesAnotherWait_ThenFailWithinItsBound()
    {
        ILinkStore nodeA = Store.Links;
        ILinkStore nodeB = AnotherNode(lockWait: TimeSpan.FromMilliseconds(200));

        await using (await nodeA.LockBankAccountAsync("0005", "1234567", CancellationToken.None))
        {
            await Assert.ThrowsAsync<TimeoutException>(() => nodeB.LockBankAccountAsync("0005", "1234567", CancellationToken.None));
            // Another bank account is not held up.
            await using (await nodeB.LockBankAccountAsync("0005", "7654321", CancellationToken.None)) { }
        }

        await using (await nodeB.LockBankAccountAsync("0005", "1234567", CancellationToken.None)) { }   // released on dispose
    }

    [SkippableFact]
    public async Task BankAccountLock_ManyRequestsWaiting_HoldNoPooledConnection_SoOtherCallsGoOn()
    {
        // A pool of 3: before the requests queued in memory, each waiting one held a connection, and the flood below
        // took the pool, so another bank account's decision waited for a connection until the pool's timeout failed it.
        PostgresFlowStore node = AnotherNode(connectionOptions: ";Maximum Pool Size=3;Timeout=5");
        await node.OpenAsync();

        Task[] waiting;
        await using (await node.LockBankAccountAsync("0005", "1234567", CancellationToken.None))
        {
            waiting = [.. Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
            {
                await using (await node.LockBankAccountAsync("0005", "1234567", CancellationToken.None)) { }
            }))];

            await using (await node.LockBankAccountAsync("0005", "7654321", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30))) { }
            Assert.Null(await node.GetLinkAsync("lnk_none", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.DoesNotContain(waiting, t => t.IsCompleted);
        }

        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(30));   // then each in turn
    }

    [SkippableFact]
    public async Task Ceremony_Put_DoesNotWaitForAnExpiredRowAnotherCallHolds_AndStillClearsTheRest()
    {
        IWebAuthnCeremonyStore c = Store.Ceremonies;
        await c.PutWebAuthnCeremonyAsync("old1", "assertion", "{}", T0.AddMinutes(5), T0, None);
        await c.PutWebAuthnCeremonyAsync("old2", "assertion", "{}", T0.AddMinutes(5), T0, None);
        using var other = new Npgsql.NpgsqlConnection(Schema.ConnectionString);
        await other.OpenAsync();
        await using Npgsql.NpgsqlTransaction tx = await other.BeginTransactionAsync();
        await using (var hold = new Npgsql.NpgsqlCommand("SELECT 1 FROM flows_webauthn_ceremonies WHERE account = 'old1' FOR UPDATE", other, tx))
            await hold.ExecuteScalarAsync();

        // An hour later both are expired; old1's row is held by the open transaction.
        await c.PutWebAuthnCeremonyAsync("alice", "assertion", """{"challenge":"a"}""", T0.AddHours(1).AddMinutes(5), T0.AddHours(1), None)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2L, Convert.ToInt64(Schema.Scalar("SELECT COUNT(*) FROM flows_webauthn_ceremonies"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("old1", Schema.Scalar("SELECT account FROM flows_webauthn_ceremonies WHERE account <> 'alice'"));
        await tx.RollbackAsync();
    }

    [SkippableFact]
    public async Task SingleUse_HoldsAcrossNodes()
    {
        IFactorStore nodeA = Store.Factors;
        IFactorStore nodeB = AnotherNode();
        await nodeA.AddOneTimeCodeAsync(new OneTimeCodeRecord("otc_1", "alice", "sms", [1], [2], T0.AddMinutes(5), 0, null), CancellationToken.None);

        bool[] used = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => (i % 2 == 0 ? nodeA : nodeB).TryUseOneTimeCodeAsync("otc_1", T0, CancellationToken.None))));

        Assert.Equal(1, used.Count(u => u));
    }
}
