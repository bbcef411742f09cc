using Mamori.Events;
using Mamori.Signals;
using Mamori.State.Redis;
using Mamori.State.Tests.Support;

namespace Mamori.State.Tests;

/// <summary>
/// What every <see cref="ISignalStore"/> must do, run against each implementation: the embedded store, the Redis
/// store on in-process Garnet, and on a real Redis when CI provides one.
/// </summary>
public abstract class SignalStoreContractTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly List<IDisposable> _owned = [];

    /// <summary>A reason to skip (the store's server is absent), or null.</summary>
    protected virtual string? SkipReason => null;

    protected abstract ISignalStore CreateStore(MamoriOptions options);

    private ISignalStore NewStore(Action<MamoriOptions>? configure = null)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var options = new MamoriOptions();
        configure?.Invoke(options);
        ISignalStore store = CreateStore(options);
        if (store is IDisposable disposable) _owned.Add(disposable);
        return store;
    }

    [SkippableFact]
    public async Task PreAuthFromOneAddress_CountsAttemptsAndDistinctAccounts()
    {
        ISignalStore store = NewStore();
        SignalSnapshot last = default;
        for (int i = 0; i < 30; i++)
            last = await store.ObserveAsync(PreAuth(Keys(account: (ulong)(1000 + i % 10)), T0.AddSeconds(i)));

        Assert.Equal(30, last.Ip.Attempts);
        Assert.Equal(30, last.Subnet.Attempts);
        Assert.InRange(last.Ip.DistinctAccounts, 8, 12);   // linear counting over 64 bits: close to 10
        Assert.Equal(30, last.Ip.BaselineAttempts);
        Assert.Equal(30, last.Global.Attempts);
    }

    [SkippableFact]
    public async Task OneSecretFailingOnManyAccounts_CountsDistinctAccounts()
    {
        ISignalStore store = NewStore();
        SignalSnapshot last = default;
        for (int i = 0; i < 25; i++)
        {
            SignalKeys keys = Keys(account: (ulong)(5000 + i)) with { Secret = 77, TenantSecret = 78 };
            await store.ObserveAsync(PreAuth(keys, T0.AddSeconds(i)));
            last = await store.ObserveAsync(Outcome(keys, T0.AddSeconds(i), i % 5 == 0 ? LoginOutcome.UnknownAccount : LoginOutcome.WrongSecret));
        }

        Assert.InRange(last.SecretFailedAccounts, 20, 30);
        Assert.Equal(last.SecretFailedAccounts, last.SecretFailedAccountsLong);
        Assert.Equal(last.SecretFailedAccounts, last.TenantSecretFailedAccounts);
        Assert.Equal(5, last.SecretUnknownAccounts);
        Assert.Equal(25, last.Ip.Failures);
        Assert.Equal(5, last.Ip.UnknownAccounts);
    }

    [SkippableFact]
    public async Task SuccessesWithASecret_CountDistinctAccounts_OnlyWhileItFailsElsewhere()
    {
        // A popular PIN: its owners succeed with it on many accounts, which is what tells it from a sprayed one.
        ISignalStore store = NewStore();
        SignalKeys Owner(int i) => Keys(account: (ulong)(7000 + i)) with { Secret = 1234, TenantSecret = 1234 };
        SignalSnapshot unseen = await store.ObserveAsync(Outcome(Owner(0), T0, LoginOutcome.Success));
        Assert.Equal(0, unseen.SecretSucceededAccounts);   // a secret that never failed keeps nothing of its successes

        await store.ObserveAsync(Outcome(Keys(account: 6999) with { Secret = 1234, TenantSecret = 1234 }, T0.AddSeconds(1), LoginOutcome.WrongSecret));
        SignalSnapshot last = default;
        for (int i = 1; i <= 20; i++)
        {
            await store.ObserveAsync(PreAuth(Owner(i), T0.AddSeconds(1 + i)));
            last = await store.ObserveAsync(Outcome(Owner(i), T0.AddSeconds(1 + i), LoginOutcome.Success));
        }
        await store.ObserveAsync(Outcome(Owner(20), T0.AddSeconds(30), LoginOutcome.Success));   // the same account again: counted once

        SignalSnapshot read = await store.ObserveAsync(PreAuth(Owner(21), T0.AddSeconds(31)));
        Assert.InRange(last.SecretSucceededAccounts, 17, 23);   // linear counting over 128 bits: close to 20
        Assert.Equal(last.SecretSucceededAccounts, read.SecretSucceededAccounts);
        Assert.Equal(read.SecretSucceededAccounts, read.SecretSucceededAccountsLong);
        Assert.Equal(1, read.SecretFailedAccounts);
    }

    [SkippableFact]
    public async Task ASecretsSuccesses_AreReportedOnlyWhileItHasFailures()
    {
        // Counted while the secret failed elsewhere, but read only beside failures: once those have left both windows the
        // successes are not reported (nor looked up), though newer than the failures and still within the window.
        ISignalStore store = NewStore();
        long half = (long)new MamoriOptions().Spraying.LongWindow.TotalMinutes / 2;   // the long window's generation
        DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds((T0.ToUnixTimeSeconds() / 60 / half + 1) * half * 60);
        SignalKeys Owner(int i) => Keys(account: (ulong)(8000 + i)) with { Secret = 4321, TenantSecret = 4321 };

        await store.ObserveAsync(Outcome(Keys(account: 7999) with { Secret = 4321, TenantSecret = 4321 }, start, LoginOutcome.WrongSecret));
        DateTimeOffset later = start.AddMinutes(half * 1.5);   // the next generation: the failure is still in the window
        SignalSnapshot counted = default;
        for (int i = 0; i < 5; i++)
            counted = await store.ObserveAsync(Outcome(Owner(i), later.AddSeconds(i), LoginOutcome.Success));
        SignalSnapshot afterFailures = await store.ObserveAsync(PreAuth(Owner(9), start.AddMinutes(half * 2.5)));

        Assert.Equal(1, counted.SecretFailedAccountsLong);
        Assert.InRange(counted.SecretSucceededAccountsLong, 4, 6);
        Assert.Equal(0, afterFailures.SecretFailedAccountsLong);
        Assert.Equal(0, afterFailures.SecretSucceededAccountsLong);
        Assert.Equal(0, afterFailures.SecretSucceededAccounts);
    }

    [SkippableFact]
    public async Task WrongSecretsFromTheAccountsOwnContext_AreNotCountedOnTheSecret()
    {
        // Users who forgot their password try the popular ones at home; strangers' failures with it are what a spray is.
        ISignalStore store = NewStore();
        SignalSnapshot last = default;
        for (int i = 0; i < 10; i++)
        {
            SignalKeys keys = Keys(account: (ulong)(6000 + i)) with { Secret = 123456, TenantSecret = 123457 };
            await store.ObserveAsync(PreAuth(keys, T0.AddSeconds(i)));
            last = await store.ObserveAsync(Outcome(keys, T0.AddSeconds(i), LoginOutcome.WrongSecret) with { FamiliarContext = true });
        }
        Assert.Equal(0, last.SecretFailedAccounts);
        Assert.Equal(0, last.TenantSecretFailedAccountsLong);
        Assert.Equal(1, last.AccountFamiliarFailures);   // still the account's own (smart lockout) count
        Assert.Equal(10, last.Ip.Failures);               // and the address's

        for (int i = 0; i < 3; i++)
        {
            SignalKeys keys = Keys(account: (ulong)(7000 + i)) with { Secret = 123456, TenantSecret = 123457 };
            last = await store.ObserveAsync(Outcome(keys, T0.AddSeconds(20 + i), LoginOutcome.WrongSecret));
        }
        Assert.Equal(3, last.SecretFailedAccounts);
        Assert.Equal(3, last.TenantSecretFailedAccounts);
    }

    [SkippableFact]
    public async Task SameWrongSecretTwice_IsRepeatedAndCountedOnce()
    {
        ISignalStore store = NewStore();
        SignalKeys keys = Keys(account: 42) with { Secret = 0xABCDEF0123456789, TenantSecret = 0xABCDEF0123456789 };

        SignalSnapshot first = await store.ObserveAsync(Outcome(keys, T0, LoginOutcome.WrongSecret));
        SignalSnapshot second = await store.ObserveAsync(Outcome(keys, T0.AddSeconds(5), LoginOutcome.WrongSecret));

        Assert.False(first.RepeatedWrongSecret);
        Assert.Equal(1, first.AccountUnfamiliarFailures);
        Assert.True(second.RepeatedWrongSecret);
        Assert.Equal(1, second.AccountUnfamiliarFailures);
        Assert.Equal(1, second.SecretFailedAccounts);
    }

    [SkippableFact]
    public async Task UnfamiliarWrongSecretsSinceTheLastSuccess_OutliveTheHour_AndStartAgainOnlyWhenASuccessIsLearned()
    {
        ISignalStore store = NewStore();
        SignalKeys keys = Keys(account: 9100);
        static SignalKeys Guess(SignalKeys keys, int n) => keys with { Secret = (ulong)(1001 + 2 * n) << 32, TenantSecret = (ulong)(1001 + 2 * n) << 32 };
        SignalSnapshot last = default;
        for (int i = 0; i < 12; i++)   // one guess every 20 minutes: four hours, three an hour
            last = await store.ObserveAsync(Outcome(Guess(keys, i), T0.AddMinutes(20 * i), LoginOutcome.WrongSecret));
        Assert.Equal(12, last.AccountUnfamiliarFailuresSinceSuccess);
        Assert.InRange(last.AccountUnfamiliarFailures, 1, 6);   // the hourly count has let most of them go

        // A repeat and a failure from the account's own context do not count; a pre-auth reads the count.
        last = await store.ObserveAsync(Outcome(Guess(keys, 11), T0.AddMinutes(225), LoginOutcome.WrongSecret));
        Assert.True(last.RepeatedWrongSecret);
        last = await store.ObserveAsync(Outcome(Guess(keys, 50), T0.AddMinutes(226), LoginOutcome.WrongSecret) with { FamiliarContext = true });
        Assert.Equal(12, last.AccountUnfamiliarFailuresSinceSuccess);
        Assert.Equal(12, (await store.ObserveAsync(PreAuth(keys, T0.AddDays(3)))).AccountUnfamiliarFailuresSinceSuccess);

        // A success that is not learned (it was stepped up) keeps the count; a learned one starts it again.
        last = await store.ObserveAsync(Outcome(keys, T0.AddDays(3), LoginOutcome.Success));
        Assert.Equal(12, last.AccountUnfamiliarFailuresSinceSuccess);
        last = await store.ObserveAsync(Outcome(keys, T0.AddDays(3).AddMinutes(1), LoginOutcome.Success, LearnMode.Learn));
        Assert.Equal(0, last.AccountUnfamiliarFailuresSinceSuccess);
        last = await store.ObserveAsync(Outcome(Guess(keys, 60), T0.AddDays(3).AddMinutes(2), LoginOutcome.WrongSecret));
        Assert.Equal(1, last.AccountUnfamiliarFailuresSinceSuccess);
    }

    [SkippableFact]
    public async Task PreAuthWithUnseenSecret_LeavesNoTrace()
    {
        ISignalStore store = NewStore();
        SignalKeys keys = Keys(account: 7) with { Secret = 999, TenantSecret = 999 };

        await store.ObserveAsync(PreAuth(keys, T0));
        SignalSnapshot failed = await store.ObserveAsync(Outcome(keys with { Account = 8 }, T0.AddSeconds(1), LoginOutcome.WrongSecret));

        Assert.Equal(1, failed.SecretFailedAccounts);   // only the failure counted; the pre-auth created nothing
    }

    [SkippableFact]
    public async Task SuccessfulLogins_LearnTheAccountsHabitsAndThePopulation()
    {
        ISignalStore store = NewStore();
        SignalKeys keys = Keys(account: 11) with { Device = 0x1234_5678_0000_0001 };
        for (int i = 0; i < 3; i++)
            await store.ObserveAsync(Outcome(keys, T0.AddMinutes(i), LoginOutcome.Success, LearnMode.Learn));

        SignalSnapshot read = await store.ObserveAsync(PreAuth(keys, T0.AddMinutes(5)));

        Assert.Equal(3, read.Familiarity.History);
        Assert.Equal(3, read.Familiarity.UserIp);
        Assert.Equal(3, read.Familiarity.UserDevice);
        Assert.Equal(3, read.Familiarity.UserDeviceHistory);
        Assert.Equal(3, read.Familiarity.Population);
        Assert.Equal(3, read.Familiarity.GlobalIp);
        Assert.Equal(3, read.Familiarity.GlobalBrowser);
        Assert.False(read.Familiarity.TrustedDevice);
    }

    [SkippableFact]
    public async Task PendingSuccess_IsLearnedOnlyAfterEnoughDays()
    {
        ISignalStore store = NewStore(o => o.Familiarity.UnconfirmedLearnDays = 2);
        SignalKeys keys = Keys(account: 12) with { Device = 0x4444_0000_0000_0001 };

        await PendingSuccess(store, keys, T0);
        await PendingSuccess(store, keys, T0.AddHours(1));
        SignalSnapshot sameDay = await store.ObserveAsync(PreAuth(keys, T0.AddHours(2)));
        await PendingSuccess(store, keys, T0.AddDays(1));
        SignalSnapshot nextDay = await store.ObserveAsync(PreAuth(keys, T0.AddDays(1).AddMinutes(1)));

        Assert.Equal(0, sameDay.Familiarity.History);
        Assert.Equal(1, nextDay.Familiarity.History);
    }

    [SkippableFact]
    public async Task APendingEnvironment_IsDueAtItsFirstSuccessOnALaterDay_NotOnItsFirstDay_NorAnotherOne()
    {
        // What the pre-auth reads (ADR 0047): a success today would have the device learned.
        ISignalStore store = NewStore(o => o.Familiarity.UnconfirmedLearnDays = 2);
        SignalKeys phone = Keys(account: 14) with { Device = 0x4444_0000_0000_0002 };
        SignalKeys tablet = phone with { Device = 0x4444_0000_0000_0003 };
        SignalKeys agentOnly = phone with { Device = 0 };

        SignalSnapshot before = await store.ObserveAsync(PreAuth(phone, T0));
        await PendingSuccess(store, phone, T0.AddMinutes(1));
        SignalSnapshot sameDay = await store.ObserveAsync(PreAuth(phone, T0.AddHours(3)));
        SignalSnapshot nextDay = await store.ObserveAsync(PreAuth(phone, T0.AddDays(1)));
        SignalSnapshot other = await store.ObserveAsync(PreAuth(tablet, T0.AddDays(1)));
        SignalSnapshot noToken = await store.ObserveAsync(PreAuth(agentOnly, T0.AddDays(1)));

        Assert.Equal((false, false, true, false, false), (before.Familiarity.PendingDue, sameDay.Familiarity.PendingDue,
            nextDay.Familiarity.PendingDue, other.Familiarity.PendingDue, noToken.Familiarity.PendingDue));
        Assert.Equal(0, nextDay.Familiarity.UserDevice);   // not learned yet: only due

        // Without a device token the environment is the user agent on its network: another network is another one.
        await PendingSuccess(store, agentOnly, T0.AddDays(1).AddMinutes(5));
        SignalSnapshot tokenlessNextDay = await store.ObserveAsync(PreAuth(agentOnly, T0.AddDays(2)));
        SignalSnapshot otherNetwork = await store.ObserveAsync(PreAuth(agentOnly with { Asn = agentOnly.Asn + 1 }, T0.AddDays(2)));
        Assert.Equal((true, false), (tokenlessNextDay.Familiarity.PendingDue, otherNetwork.Familiarity.PendingDue));
    }

    [SkippableFact]
    public async Task PendingEnvironment_OnceLearned_TeachesOnEveryLaterSuccess_NotOnceEveryFewDays()
    {
        // An aggregator's tokenless login, stepped up every time: learned on its second day, and from then on each of its
        // successes counts, so its share of the account's history follows how often it comes (with the slot emptied, it
        // was learned once every two days and stayed a stranger beside an owner who logs in twenty times a day).
        ISignalStore store = NewStore(o => o.Familiarity.UnconfirmedLearnDays = 2);
        SignalKeys aggregator = Keys(account: 15) with { Agent = 0x5555_0000_0000_0001, Asn = 0xA000_0000_0000_0001 };

        await PendingSuccess(store, aggregator, T0);
        await PendingSuccess(store, aggregator, T0.AddDays(1));
        await PendingSuccess(store, aggregator, T0.AddDays(1).AddHours(8));
        SignalSnapshot sameDay = await store.ObserveAsync(PreAuth(aggregator, T0.AddDays(1).AddHours(9)));
        await PendingSuccess(store, aggregator, T0.AddDays(2));
        SignalSnapshot nextDay = await store.ObserveAsync(PreAuth(aggregator, T0.AddDays(2).AddMinutes(1)));

        Assert.Equal((2, 2), (sameDay.Familiarity.History, sameDay.Familiarity.UserAsn));
        Assert.Equal((3, 3), (nextDay.Familiarity.History, nextDay.Familiarity.UserAsn));
    }

    [SkippableFact]
    public async Task NewPendingEnvironment_TakesTheSlotOfOneAlreadyLearned_BeforeOneStillWaiting()
    {
        // A traveller on a carrier abroad (learned on its second day, still used) moves between two more networks there:
        // the third takes the learned one's slot, so the second keeps its count and is learned on its own second day.
        ISignalStore store = NewStore(o => o.Familiarity.UnconfirmedLearnDays = 2);
        SignalKeys first = Keys(account: 16) with { Agent = 0x5555_0000_0000_0001, Asn = 0xA000_0000_0000_0001 };
        SignalKeys second = Keys(account: 16) with { Agent = 0x5555_0000_0000_0001, Asn = 0xB000_0000_0000_0002 };
        SignalKeys third = Keys(account: 16) with { Agent = 0x5555_0000_0000_0001, Asn = 0xC000_0000_0000_0003 };

        await PendingSuccess(store, first, T0);
        await PendingSuccess(store, first, T0.AddDays(1));   // learned
        await PendingSuccess(store, second, T0.AddDays(3));
        await PendingSuccess(store, first, T0.AddDays(4));   // learned, latest
        await PendingSuccess(store, third, T0.AddDays(5));
        await PendingSuccess(store, second, T0.AddDays(6));
        SignalSnapshot secondLearned = await store.ObserveAsync(PreAuth(second, T0.AddDays(6).AddMinutes(1)));
        await PendingSuccess(store, first, T0.AddDays(7));   // waits again
        SignalSnapshot firstWaits = await store.ObserveAsync(PreAuth(first, T0.AddDays(7).AddMinutes(1)));

        Assert.Equal((3, 1), (secondLearned.Familiarity.History, secondLearned.Familiarity.UserAsn));
        Assert.Equal((3, 2), (firstWaits.Familiarity.History, firstWaits.Familiarity.UserAsn));
    }

    [SkippableFact]
    public async Task TwoPendingEnvironmentsAlternating_AreBothLearnedOnTheirSecondDay_AndAThirdTakesTheOlderSlot()
    {
        // The owner's new phone and an aggregator's nightly login, both stepped up and never confirmed: with one slot
        // each replaced the other and neither was ever learned.
        ISignalStore store = NewStore(o => o.Familiarity.UnconfirmedLearnDays = 2);
        SignalKeys phone = Keys(account: 13) with { Device = 0x4444_0000_0000_0001 };
        SignalKeys aggregator = Keys(account: 13) with { Agent = 0x5555_0000_0000_0001, Asn = 16509 };
        SignalKeys laptop = Keys(account: 13) with { Device = 0x6666_0000_0000_0004 };   // slot keys are the low halves: not the phone's

        await PendingSuccess(store, phone, T0);
        await PendingSuccess(store, aggregator, T0.AddHours(12));
        await PendingSuccess(store, phone, T0.AddDays(1));
        SignalSnapshot phoneLearned = await store.ObserveAsync(PreAuth(phone, T0.AddDays(1).AddMinutes(1)));
        await PendingSuccess(store, aggregator, T0.AddDays(1).AddHours(12));
        SignalSnapshot bothLearned = await store.ObserveAsync(PreAuth(aggregator, T0.AddDays(1).AddHours(13)));
        // Two more wait (days 3 and 4), then a third arrives on day 5: it takes the slot that succeeded longest ago (the
        // laptop's, day 3), so the tablet of day 4 keeps its count and is learned on day 6.
        SignalKeys tablet = Keys(account: 13) with { Device = 0x7777_0000_0000_0002 };
        SignalKeys office = Keys(account: 13) with { Device = 0x8888_0000_0000_0003 };
        await PendingSuccess(store, laptop, T0.AddDays(3));
        await PendingSuccess(store, tablet, T0.AddDays(4));
        await PendingSuccess(store, office, T0.AddDays(5));
        await PendingSuccess(store, tablet, T0.AddDays(6));
        SignalSnapshot tabletLearned = await store.ObserveAsync(PreAuth(tablet, T0.AddDays(6).AddMinutes(1)));
        await PendingSuccess(store, laptop, T0.AddDays(7));   // its count restarted
        SignalSnapshot laptopNot = await store.ObserveAsync(PreAuth(laptop, T0.AddDays(7).AddMinutes(1)));

        Assert.Equal((1, 1), (phoneLearned.Familiarity.History, phoneLearned.Familiarity.UserDevice));
        Assert.Equal(2, bothLearned.Familiarity.History);
        Assert.Equal((3, 1), (tabletLearned.Familiarity.History, tabletLearned.Familiarity.UserDevice));
        Assert.Equal((3, 0), (laptopNot.Familiarity.History, laptopNot.Familiarity.UserDevice));
    }

    [SkippableFact]
    public async Task PendingSuccessThatCountsItsCountry_AddsTheCountryAloneToThePopulation()
    {
        ISignalStore store = NewStore();
        SignalKeys seed = Keys(account: 30);
        await store.ObserveAsync(Outcome(seed, T0, LoginOutcome.Success, LearnMode.Learn));   // one learned login: population 1
        SignalKeys abroad = Keys(account: 31) with { Ip = 0x0B00_0001_0000_0009, Subnet = 0x0B00_0000_0000_0009, Asn = 64999, Country = 82 };
        SignalSnapshot before = await store.ObserveAsync(PreAuth(abroad, T0.AddMinutes(1)));
        for (int i = 0; i < 3; i++)
            await store.ObserveAsync(Outcome(abroad, T0.AddMinutes(2 + i), LoginOutcome.Success, LearnMode.Pending) with { CountCountry = true });
        await PendingSuccess(store, abroad, T0.AddMinutes(6));   // not asked to: not counted
        SignalSnapshot after = await store.ObserveAsync(PreAuth(abroad, T0.AddMinutes(7)));

        Assert.Equal(0, before.Familiarity.GlobalCountry);
        Assert.Equal(3, after.Familiarity.GlobalCountry);
        Assert.Equal(before.Familiarity.GlobalAsn, after.Familiarity.GlobalAsn);   // nothing else of the login
        Assert.Equal(before.Familiarity.GlobalIp, after.Familiarity.GlobalIp);
        Assert.Equal(1, after.Familiarity.Population);                             // nor the count of logins
        Assert.Equal(0, after.Familiarity.History);                                // and the account learned nothing
    }

    [SkippableFact]
    public async Task OutcomeSnapshot_LeavesFamiliarityToThePreAuthHalf()
    {
        ISignalStore store = NewStore();
        SignalKeys keys = Keys(account: 15);
        await store.ObserveAsync(Outcome(keys, T0, LoginOutcome.Success, LearnMode.Learn));

        SignalSnapshot outcome = await store.ObserveAsync(Outcome(keys, T0.AddMinutes(1), LoginOutcome.Success, LearnMode.Learn));
        SignalSnapshot preAuth = await store.ObserveAsync(PreAuth(keys, T0.AddMinutes(2)));

        Assert.Equal(default, outcome.Familiarity);
        Assert.Equal(2, preAuth.Familiarity.History);   // the outcome still learned; only its reply skipped the read
    }

    [SkippableFact]
    public async Task DeviceTrust_IsSetAndCleared()
    {
        ISignalStore store = NewStore();
        SignalKeys keys = Keys(account: 13) with { Device = 0x9999_0000_0000_0001 };

        await store.SetDeviceTrustAsync(13, keys.Device, trusted: true, T0);
        SignalSnapshot trusted = await store.ObserveAsync(PreAuth(keys, T0));
        await store.SetDeviceTrustAsync(13, keys.Device, trusted: false, T0);
        SignalSnapshot cleared = await store.ObserveAsync(PreAuth(keys, T0));

        Assert.True(trusted.Familiarity.TrustedDevice);
        Assert.Equal(1, trusted.Familiarity.UserDevice);   // trusting a device also counts it once
        Assert.False(cleared.Familiarity.TrustedDevice);
    }

    [SkippableFact]
    public async Task StepUpRequest_IsReportedUntilCleared()
    {
        ISignalStore store = NewStore();
        await store.SetStepUpRequestedAsync(14, requested: true);
        SignalSnapshot requested = await store.ObserveAsync(PreAuth(Keys(account: 14), T0));
        await store.SetStepUpRequestedAsync(14, requested: false);
        SignalSnapshot cleared = await store.ObserveAsync(PreAuth(Keys(account: 14), T0));

        Assert.True(requested.StepUpRequested);
        Assert.False(cleared.StepUpRequested);
    }

    [SkippableFact]
    public async Task ExposedSecret_IsReportedWithItsDay_KeptByLoginsAndARequest_AndClearedWithTheRequest()
    {
        ISignalStore store = NewStore();
        SignalKeys keys = Keys(account: 15);
        await store.ObserveAsync(Outcome(keys, T0, LoginOutcome.Success, learn: LearnMode.Learn));
        await store.MarkSecretExposedAsync(15, T0.AddHours(1));
        // Logins of every kind rewrite the account's record; the exposure must survive them, and a step-up request.
        await store.ObserveAsync(PreAuth(keys, T0.AddHours(2)));
        await store.ObserveAsync(Outcome(keys, T0.AddHours(2), LoginOutcome.WrongSecret));
        await store.ObserveAsync(Outcome(keys, T0.AddHours(2), LoginOutcome.Success, learn: LearnMode.Learn));
        await store.SetStepUpRequestedAsync(15, requested: true);
        SignalSnapshot exposed = await store.ObserveAsync(PreAuth(keys, T0.AddDays(3)));
        await store.SetStepUpRequestedAsync(15, requested: false);   // a passed step-up
        SignalSnapshot cleared = await store.ObserveAsync(PreAuth(keys, T0.AddDays(3)));
        SignalSnapshot never = await store.ObserveAsync(PreAuth(Keys(account: 16), T0));

        Assert.Equal(SignalDays.Of(T0.AddHours(1)), exposed.SecretExposedDay);
        Assert.True(exposed.StepUpRequested);
        Assert.Equal(0, cleared.SecretExposedDay);
        Assert.False(cleared.StepUpRequested);
        Assert.Equal(0, never.SecretExposedDay);
    }

    [SkippableFact]
    public async Task WindowPassedTwice_CountsStartAgain()
    {
        ISignalStore store = NewStore();
        var options = new MamoriOptions();
        for (int i = 0; i < 5; i++) await store.ObserveAsync(PreAuth(Keys(account: (ulong)i), T0));

        SignalSnapshot later = await store.ObserveAsync(PreAuth(Keys(account: 100), T0 + options.Stuffing.Window * 2));

        Assert.Equal(1, later.Ip.Attempts);
        Assert.Equal(1, later.Ip.DistinctAccounts);
    }

    [SkippableFact]
    public async Task DaysLongCounts_KeepEveryFailureOfThePreviousHalfWindow_AndForgetThemAHalfWindowLater()
    {
        // A slow bot back on its address three days later: its earlier failures must still count in full (a count
        // halved at each generation read two failures as one, and one as none).
        ISignalStore store = NewStore();
        TimeSpan half = new MamoriOptions().SharedAddress.Window / 2;
        for (int i = 0; i < 3; i++)
        {
            SignalKeys keys = Keys(account: (ulong)(700 + i));
            await store.ObserveAsync(PreAuth(keys, T0.AddMinutes(i)));
            await store.ObserveAsync(Outcome(keys, T0.AddMinutes(i), LoginOutcome.WrongSecret));
        }

        SignalSnapshot back = await store.ObserveAsync(PreAuth(Keys(account: 800), T0 + half));
        SignalSnapshot later = await store.ObserveAsync(PreAuth(Keys(account: 801), T0 + 2 * half));

        Assert.Equal(4, back.Ip.BaselineAttempts);
        Assert.Equal(0.75, back.Ip.BaselineFailureRatio, 6);
        Assert.Equal(0, back.Ip.Failures);   // the hour's window has long passed
        Assert.Equal(2, later.Ip.BaselineAttempts);   // the last half window's attempt and this one
        Assert.Equal(0, later.Ip.BaselineFailureRatio);
    }

    [SkippableFact]
    public async Task AccountFailures_RememberTheAddressesTheyCameFrom_UntilItsUserGetsIn()
    {
        // A slow stuffing bot's success: the account's earlier failures (another list's bots, elsewhere) are not the
        // address's own, so they may not be taken off the address's failures (StuffingDetector).
        ISignalStore store = NewStore();
        SignalKeys here = Keys(account: 900);
        SignalKeys there = here with { Ip = AddressWithAnotherBit(here.Ip) };
        SignalKeys third = here with { Ip = AddressWithAnotherBit(here.Ip, there.Ip) };
        for (int i = 0; i < 2; i++)
        {
            SignalKeys failing = (i == 0 ? there : here) with { Secret = (ulong)(31 + i) << 40, TenantSecret = (ulong)(31 + i) << 40 };
            await store.ObserveAsync(PreAuth(failing, T0.AddMinutes(i)));
            await store.ObserveAsync(Outcome(failing, T0.AddMinutes(i), LoginOutcome.WrongSecret));
        }

        SignalSnapshot fromHere = await store.ObserveAsync(PreAuth(here, T0.AddMinutes(5)));
        SignalSnapshot fromThere = await store.ObserveAsync(PreAuth(there, T0.AddMinutes(5)));
        SignalSnapshot fromThird = await store.ObserveAsync(PreAuth(third, T0.AddMinutes(5)));
        await store.ObserveAsync(Outcome(third, T0.AddMinutes(5), LoginOutcome.Success, LearnMode.Learn));
        SignalSnapshot afterSuccess = await store.ObserveAsync(PreAuth(here, T0.AddMinutes(6)));

        Assert.True(fromHere.AccountFailedFromThisAddress);
        Assert.True(fromThere.AccountFailedFromThisAddress);
        Assert.False(fromThird.AccountFailedFromThisAddress);
        Assert.Equal(2, fromThird.AccountUnfamiliarFailuresSinceSuccess);
        Assert.False(afterSuccess.AccountFailedFromThisAddress);   // a learned success starts the account's count again
        Assert.Equal(0, afterSuccess.AccountUnfamiliarFailuresSinceSuccess);
    }

    /// <summary>An address whose bit among an account's failure addresses is none of <paramref name="taken"/>'s.</summary>
    private static ulong AddressWithAnotherBit(params ulong[] taken)
    {
        ulong ip = taken[0];
        while (taken.Any(t => AccountRecord.AddressBit(t) == AccountRecord.AddressBit(ip))) ip += 0x100;
        return ip;
    }

    [SkippableFact]
    public async Task GlobalBucketCloses_BecomesPreviousAndTeachesBaseline()
    {
        ISignalStore store = NewStore(o => o.GlobalAnomaly.MinimumAttempts = 10);
        for (int i = 0; i < 12; i++)
        {
            await store.ObserveAsync(PreAuth(Keys(account: (ulong)i), T0));
            if (i < 3) await store.ObserveAsync(Outcome(Keys(account: (ulong)i), T0, LoginOutcome.WrongSecret));
        }

        SignalSnapshot next = await store.ObserveAsync(PreAuth(Keys(account: 50), T0 + new MamoriOptions().GlobalAnomaly.Bucket));

        Assert.Equal(1, next.Global.Attempts);
        Assert.Equal(12, next.Global.PreviousAttempts);
        Assert.Equal(0.25, next.Global.PreviousFailureRate);
        Assert.Equal(0.25, next.Global.FailureBaseline);
        Assert.Equal(1, next.Global.BaselineBuckets);
    }

    [SkippableFact]
    public async Task UnknownAccountShareAboveThreeTimesItsFloor_IsBarelyLearnedIntoTheBaseline()
    {
        // A stuffing list at a large service lifts the unknown-account share a few points: no baseline may learn that.
        ISignalStore store = NewStore(o => o.GlobalAnomaly.MinimumAttempts = 10);
        TimeSpan bucket = new MamoriOptions().GlobalAnomaly.Bucket;
        for (int b = 0; b < 13; b++)
            for (int i = 0; i < 20; i++)
                await store.ObserveAsync(PreAuth(Keys(account: (ulong)(b * 100 + i)), T0 + b * bucket));
        // 1 in 20 (5 %) names an account that does not exist: above 3 × the 0.5 % floor, below 3 × the old 2 % one.
        for (int i = 0; i < 20; i++)
        {
            SignalKeys keys = Keys(account: (ulong)(5000 + i));
            await store.ObserveAsync(PreAuth(keys, T0 + 13 * bucket));
            if (i == 0) await store.ObserveAsync(Outcome(keys, T0 + 13 * bucket, LoginOutcome.UnknownAccount));
        }

        SignalSnapshot next = await store.ObserveAsync(PreAuth(Keys(account: 9000), T0 + 14 * bucket));

        Assert.Equal(0.05, next.Global.PreviousUnknownRate, 6);
        Assert.Equal(13, next.Global.BaselineBuckets);   // the wave's bucket was not learned as a normal one
        // only at a hundredth of a normal bucket's weight (a level lasting days becomes the service's normal)
        double weight = new MamoriOptions().GlobalAnomaly.BaselineWeight * GlobalSignals.SpikeLearningShare;
        Assert.Equal(weight * 0.05, next.Global.UnknownBaseline, 12);
    }

    [SkippableFact]
    public async Task PastTwoHundredFiftyFiveLearnedLogins_HistoryAndItsCountsHalve()
    {
        // An account's history is bounded: at its 256th learned login the count and every bag's counts halve
        // (256 → 128), and the next 44 logins count on from there.
        ISignalStore store = NewStore();
        SignalKeys keys = Keys(account: 7300);
        for (int i = 0; i < 300; i++)
        {
            await store.ObserveAsync(PreAuth(keys, T0));
            await store.ObserveAsync(Outcome(keys, T0, LoginOutcome.Success, LearnMode.Learn));
        }

        FamiliaritySignals now = (await store.ObserveAsync(PreAuth(keys, T0))).Familiarity;

        Assert.Equal((172, 172, 172), (now.History, now.UserIp, now.UserBrowser));
    }

    [SkippableFact]
    public async Task LearnedSuccess_KeepsItsCountryAndTime_ForImpossibleTravel_AndAnUnlearnedOneDoesNot()
    {
        ISignalStore store = NewStore();
        SignalKeys keys = Keys(account: 7100);
        ushort japan = Network.CountryLocations.Pack("JP"), netherlands = Network.CountryLocations.Pack("NL");

        SignalSnapshot before = await store.ObserveAsync(PreAuth(keys, T0));
        await store.ObserveAsync(Outcome(keys, T0, LoginOutcome.Success, LearnMode.Learn) with { Country = japan });
        // Someone else's success from abroad is not learned: the account's last place stays where its user was.
        await store.ObserveAsync(PreAuth(keys, T0.AddMinutes(20)));
        await store.ObserveAsync(Outcome(keys, T0.AddMinutes(20), LoginOutcome.Success, LearnMode.None) with { Country = netherlands });
        SignalSnapshot after = await store.ObserveAsync(PreAuth(keys, T0.AddMinutes(45)));

        Assert.Equal(0, before.Familiarity.LastCountry);
        Assert.Equal(0, before.Familiarity.MinutesSinceLastCountry);
        Assert.Equal(japan, after.Familiarity.LastCountry);
        Assert.Equal(45, after.Familiarity.MinutesSinceLastCountry);
    }

    [SkippableFact]
    public async Task ConcurrentObservations_AreAllCounted()
    {
        ISignalStore store = NewStore();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => store.ObserveAsync(PreAuth(Keys(account: (ulong)i), T0)).AsTask()));

        SignalSnapshot last = await store.ObserveAsync(PreAuth(Keys(account: 1), T0));

        Assert.Equal(201, last.Ip.Attempts);
        Assert.True(store.IsAvailable);
    }

    public void Dispose()
    {
        foreach (IDisposable owned in _owned) owned.Dispose();
        GC.SuppressFinalize(this);
    }

    private static SignalKeys Keys(ulong account) => new()
    {
        Account = account, Ip = 0x0A00_0001_0000_0001, Subnet = 0x0A00_0000_0000_0001, Asn = 64500, Country = 81,
        Agent = 0x7777_0000_0000_0001, Browser = 0x1111_0000_0000_0001, Os = 0x2222_0000_0000_0001,
    };

    /// <summary>A success stepped up and never confirmed: learned only once it has come back on enough days.</summary>
    private static ValueTask<SignalSnapshot> PendingSuccess(ISignalStore store, SignalKeys keys, DateTimeOffset at) =>
        store.ObserveAsync(Outcome(keys, at, LoginOutcome.Success, LearnMode.Pending));

    private static SignalRequest PreAuth(SignalKeys keys, DateTimeOffset at) => new() { Keys = keys, At = at, Phase = ObservationPhase.PreAuth };

    private static SignalRequest Outcome(SignalKeys keys, DateTimeOffset at, LoginOutcome outcome, LearnMode learn = LearnMode.None) =>
        new() { Keys = keys, At = at, Phase = ObservationPhase.Outcome, Outcome = outcome, Learn = learn };
}

public sealed class InMemorySignalStoreContractTests : SignalStoreContractTests
{
    protected override ISignalStore CreateStore(MamoriOptions options) => new InMemorySignalStore(options);
}

public sealed class GarnetSignalStoreContractTests(GarnetFixture garnet) : SignalStoreContractTests, IClassFixture<GarnetFixture>
{
    protected override ISignalStore CreateStore(MamoriOptions options) => StoreFactory.Create(options, garnet.Endpoint);
}

/// <summary>The spread key layout (a cluster's) on a single Garnet: the same contract from per-key scripts.</summary>
public sealed class GarnetSpreadSignalStoreContractTests(GarnetFixture garnet) : SignalStoreContractTests, IClassFixture<GarnetFixture>
{
    protected override ISignalStore CreateStore(MamoriOptions options) => StoreFactory.Create(options, garnet.Endpoint, RedisKeyLayout.Spread);
}

public sealed class RedisSignalStoreContractTests : SignalStoreContractTests
{
    protected override string? SkipReason => StoreFactory.RealRedis is null ? StoreFactory.NoRealRedis : null;

    protected override ISignalStore CreateStore(MamoriOptions options) => StoreFactory.Create(options, StoreFactory.RealRedis!);
}

/// <summary>A real three-primary Redis Cluster, layout chosen by the store (spread).</summary>
public sealed class RedisClusterSignalStoreContractTests : SignalStoreContractTests
{
    protected override string? SkipReason => StoreFactory.RealCluster is null ? StoreFactory.NoRealCluster : null;

    protected override ISignalStore CreateStore(MamoriOptions options) => StoreFactory.Create(options, StoreFactory.RealCluster!);
}
