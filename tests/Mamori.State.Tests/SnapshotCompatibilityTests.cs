using System.IO.Compression;
using Mamori.Events;
using Mamori.Signals;
using Mamori.State;

namespace Mamori.State.Tests;

/// <summary>
/// A signal snapshot is what a restarted server resumes from, so its bytes are a contract across versions.
/// Fixtures/v1-class-layout.snapshot.gz was written by the store as it was before accounts became flat records
/// (commit efa6a6d), after <see cref="Workload"/> (rewritten by that same commit's store when the workload's failures
/// became unfamiliar only; see the workload). Fixtures/v2.snapshot.gz was written after the same workload by the store
/// that added each account's unfamiliar failures since its last success (version 2), Fixtures/v3.snapshot.gz by the
/// store that added each account's last learned country and its minute (version 3), Fixtures/v4.snapshot.gz by the
/// store that counts the accounts a secret succeeds on (version 4), Fixtures/v5.snapshot.gz by the store whose
/// sources keep their long window's previous generation instead of halving one count (version 5), and
/// Fixtures/v6.snapshot.gz by the store whose accounts keep the addresses their failures came from (version 6), and
/// Fixtures/v7.snapshot.gz by the store whose accounts keep the day their secret was exposed (version 7; its workload
/// also marks a few exposed, which the earlier stores could not), and Fixtures/v8.snapshot.gz by the store whose
/// accounts keep two environments waiting to be learned (version 8): the current store must write exactly those
/// bytes, and still load versions 1 to 7, each compared with a store that keeps one waiting environment as they did.
/// </summary>
public sealed class SnapshotCompatibilityTests
{
    private static readonly string s_v1 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v1-class-layout.snapshot.gz");
    private static readonly string s_v2 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v2.snapshot.gz");
    private static readonly string s_v3 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v3.snapshot.gz");
    private static readonly string s_v4 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v4.snapshot.gz");
    private static readonly string s_v5 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v5.snapshot.gz");
    private static readonly string s_v6 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v6.snapshot.gz");
    private static readonly string s_v7 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v7.snapshot.gz");
    private static readonly string s_v8 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v8.snapshot.gz");

    /// <summary>The settings the fixtures were written with: a stepped-up environment learned on its third day, the
    /// default until 2026-12-02 (the workload's pending environments are in their bytes).</summary>
    private static MamoriOptions FixtureOptions()
    {
        var options = new MamoriOptions();
        options.Familiarity.UnconfirmedLearnDays = 3;
        return options;
    }

    [Fact]
    public void SameWorkload_WritesTheSameBytesAsVersionEight()
    {
        var store = new InMemorySignalStore(FixtureOptions());
        Workload(store);

        Assert.Equal(ReadFixture(s_v8), Save(store));
    }

    [Fact]
    public void SnapshotOfVersionEight_LoadsAndAnswersAsTheStoreThatWroteIt_AndItsPendingEnvironmentsCountOn()
    {
        var restored = new InMemorySignalStore(FixtureOptions());
        restored.Load(new MemoryStream(ReadFixture(s_v8)));
        var kept = new InMemorySignalStore(FixtureOptions());
        Workload(kept);

        Assert.Equal(Save(kept), Save(restored));
        // Both slots came back: the same further logins learn the same environments in both.
        Workload(kept, exposure: false, start: 3000);
        Workload(restored, exposure: false, start: 3000);
        Assert.Equal(Save(kept), Save(restored));
        foreach (SignalRequest request in Probes())
            Assert.Equal(kept.Observe(in request), restored.Observe(in request));
    }

    [Fact]
    public void SnapshotOfVersionSeven_LoadsAndAnswersAsTheStoreThatWroteIt()
    {
        (InMemorySignalStore restored, InMemorySignalStore kept) = RestoredAndKept(s_v7, exposure: true);

        Assert.Equal(Save(kept), Save(restored));
        int exposed = 0;
        foreach (SignalRequest request in Probes())
        {
            SignalSnapshot expected = kept.Observe(in request);
            Assert.Equal(expected, restored.Observe(in request));
            if (expected.SecretExposedDay != 0) exposed++;
        }
        Assert.True(exposed > 2, $"only {exposed} probed accounts had an exposed secret");
    }

    [Fact]
    public void SnapshotOfVersionSix_LoadsAndAnswersAsTheStoreThatWroteIt()
    {
        (InMemorySignalStore restored, InMemorySignalStore kept) = RestoredAndKept(s_v6, exposure: false);

        Assert.Equal(Save(kept), Save(restored));
        int guessed = 0, located = 0, popular = 0, here = 0, elsewhere = 0;
        foreach (SignalRequest request in Probes())
        {
            SignalSnapshot expected = kept.Observe(in request);
            Assert.Equal(expected, restored.Observe(in request));
            if (expected.AccountUnfamiliarFailuresSinceSuccess > 0) guessed++;
            if (expected.Familiarity.LastCountry != 0) located++;
            if (expected.SecretSucceededAccountsLong > 0) popular++;
            if (expected.AccountUnfamiliarFailuresSinceSuccess > 0) _ = expected.AccountFailedFromThisAddress ? here++ : elsewhere++;
        }
        Assert.True(guessed > 10, $"only {guessed} probed accounts had unfamiliar failures since their last success");
        Assert.True(located > 10, $"only {located} probed accounts had a last country");
        Assert.True(popular > 10, $"only {popular} probed secrets had succeeded on an account");
        Assert.True(here > 0 && elsewhere > 0, $"of the probed accounts with failures, {here} had one from the probe's address and {elsewhere} none");
    }

    [Fact]
    public void SnapshotOfVersionFive_LoadsAndAnswersAsTheStoreThatWroteIt_ItsFailuresAsFromEveryAddress()
    {
        (InMemorySignalStore restored, InMemorySignalStore kept) = RestoredAndKept(s_v5);

        int widened = 0;
        foreach (SignalRequest request in Probes())
        {
            SignalSnapshot expected = kept.Observe(in request), loaded = restored.Observe(in request);
            Assert.Equal(WithoutFailureAddresses(expected), WithoutFailureAddresses(loaded));
            // Nobody knew where an account's failures came from: as from every address, so none is overlooked.
            Assert.Equal(loaded.AccountUnfamiliarFailuresSinceSuccess + loaded.AccountFamiliarFailures > 0, loaded.AccountFailedFromThisAddress);
            if (loaded.AccountFailedFromThisAddress && !expected.AccountFailedFromThisAddress) widened++;
        }
        Assert.True(widened > 0, "no probed account's failures were widened to every address");
    }

    [Fact]
    public void SnapshotOfVersionFour_LoadsAndAnswersAsTheStoreThatWroteIt_ItsHalvedLongCountsAsTheCurrentGeneration()
    {
        (InMemorySignalStore restored, InMemorySignalStore kept) = RestoredAndKept(s_v4);

        int carried = 0;
        foreach (SignalRequest request in Probes())
        {
            SignalSnapshot loaded = restored.Observe(in request);
            Assert.Equal(WithoutFailureAddresses(WithoutLongCounts(kept.Observe(in request))), WithoutFailureAddresses(WithoutLongCounts(loaded)));
            // The halved count came back (as the current generation's): a loaded address still has its days of history.
            if (loaded.Ip.BaselineAttempts > 1) carried++;
        }
        Assert.True(carried > 10, $"only {carried} probed addresses kept their long-window attempts");
        var again = new InMemorySignalStore(FixtureOptions());
        again.Load(new MemoryStream(Save(restored)));
        Assert.Equal(Save(restored), Save(again));
    }

    [Fact]
    public void SnapshotOfVersionThree_LoadsAndAnswersAsTheStoreThatWroteIt_WithoutTheSuccessesItDidNotCount()
    {
        (InMemorySignalStore restored, InMemorySignalStore kept) = RestoredAndKept(s_v3);

        foreach (SignalRequest request in Probes())
            Assert.Equal(WithoutFailureAddresses(WithoutLongCounts(WithoutSuccesses(kept.Observe(in request)))),
                WithoutFailureAddresses(WithoutLongCounts(restored.Observe(in request))));
    }

    [Fact]
    public void SnapshotOfVersionTwo_LoadsAndAnswersAsTheStoreThatWroteIt_WithoutTheLastCountryItDidNotKeep()
    {
        (InMemorySignalStore restored, InMemorySignalStore kept) = RestoredAndKept(s_v2);

        foreach (SignalRequest request in Probes())
            Assert.Equal(WithoutFailureAddresses(WithoutLongCounts(WithoutSuccesses(WithoutLastCountry(kept.Observe(in request))))),
                WithoutFailureAddresses(WithoutLongCounts(restored.Observe(in request))));
    }

    /// <summary>A store loaded from <paramref name="fixture"/>, and one that ran the workload the fixture was written after.</summary>
    /// <param name="exposure">Whether the fixture's store kept exposed secrets (version 7 on); before, the store kept
    /// to compare with runs the workload without marking any.</param>
    private static (InMemorySignalStore Restored, InMemorySignalStore Kept) RestoredAndKept(string fixture, bool exposure = false)
    {
        var restored = new InMemorySignalStore(FixtureOptions());
        restored.Load(new MemoryStream(ReadFixture(fixture)));
        var kept = new InMemorySignalStore(FixtureOptions()) { OnePendingSlot = true };   // as every store before version 8
        Workload(kept, exposure);
        return (restored, kept);
    }

    private static SignalSnapshot WithoutLastCountry(SignalSnapshot s) =>
        s with { Familiarity = s.Familiarity with { LastCountry = 0, MinutesSinceLastCountry = 0 } };

    /// <summary>Before version 6 an account did not keep the addresses its failures came from (loaded as every address).</summary>
    private static SignalSnapshot WithoutFailureAddresses(SignalSnapshot s) => s with { AccountFailedFromThisAddress = false };

    private static SignalSnapshot WithoutSuccesses(SignalSnapshot s) => s with { SecretSucceededAccounts = 0, SecretSucceededAccountsLong = 0 };

    /// <summary>Before version 5 a source's long-window attempts and failures were one count halved at each generation;
    /// loaded, it is the current generation's, so the days-long counts answer otherwise than the store that kept both.</summary>
    private static SignalSnapshot WithoutLongCounts(SignalSnapshot s)
    {
        static SourceSignals Strip(SourceSignals source) => source with { BaselineAttempts = 0, BaselineFailureRatio = 0 };
        return s with { Ip = Strip(s.Ip), Subnet = Strip(s.Subnet), Asn = Strip(s.Asn), Agent = Strip(s.Agent), Device = Strip(s.Device) };
    }

    [Fact]
    public void SnapshotFromTheEarlierLayout_LoadsAndAnswersAsTheStoreThatWroteIt_WithoutTheCountItDidNotKeep()
    {
        (InMemorySignalStore restored, InMemorySignalStore kept) = RestoredAndKept(s_v1);

        foreach (SignalRequest request in Probes())
            Assert.Equal(WithoutFailureAddresses(WithoutLongCounts(WithoutSuccesses(WithoutLastCountry(kept.Observe(in request))) with { AccountUnfamiliarFailuresSinceSuccess = 0 })),
                WithoutFailureAddresses(WithoutLongCounts(restored.Observe(in request))));
        // What it loaded is saved as the current version, and loads back the same.
        var again = new InMemorySignalStore(FixtureOptions());
        again.Load(new MemoryStream(Save(restored)));
        Assert.Equal(Save(restored), Save(again));
    }

    [Fact]
    public void SnapshotOfAnUnknownVersion_IsRefusedWithItsNumber()
    {
        byte[] bytes = ReadFixture(s_v8);
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 4), 9);
        var store = new InMemorySignalStore(FixtureOptions());
        var error = Assert.Throws<InvalidDataException>(() => store.Load(new MemoryStream(bytes)));
        Assert.Contains("version 9", error.Message);
    }

    private static IEnumerable<SignalRequest> Probes()
    {
        for (int i = 0; i < 97; i++)
            yield return new SignalRequest { Keys = KeysFor(i, (ulong)i * 0x9E37_79B9UL + 1), At = T0.AddMinutes(3000 * 7 + 5), Phase = ObservationPhase.PreAuth };
    }

    private static readonly DateTimeOffset T0 = new(2020, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private static byte[] ReadFixture(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gz.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static byte[] Save(InMemorySignalStore store)
    {
        using var bytes = new MemoryStream();
        store.Save(bytes);
        return bytes.ToArray();
    }

    private static SignalKeys KeysFor(int i, ulong r)
    {
        var keys = new SignalKeys
        {
            Account = (ulong)(i % 97) * 0x1000_0000_0001UL + 1, Ip = (r % 50) * 0x10_0000_0001UL + 1, Subnet = (r % 20) * 0x100_0000_0001UL + 1,
            Asn = r % 3 == 0 ? 0 : (r % 5) * 0x1000_0001UL + 1, Country = (r % 4) * 0x7000_0000_0001UL + 1, Agent = (r % 9) * 0x3000_0000_0001UL + 1,
            Browser = (r % 3) * 0x5000_0000_0001UL + 1, Os = (r % 2) * 0x6000_0000_0001UL + 1, Device = r % 7 == 0 ? 0 : (r % 300) * 0x2000_0000_0001UL + 1,
            Secret = (r >> 20) % 11 == 0 ? 0 : ((r >> 24) % 40) * 0x4000_0000_0001UL + 1,
        };
        return keys with { TenantSecret = keys.Secret };
    }

    /// <summary>The workload the fixture was written after: every kind of update, trust and step-up changes, evictions none.</summary>
    private static void Workload(InMemorySignalStore store, bool exposure = true, int start = 0)
    {
        ulong state = 0x9E3779B97F4A7C15UL;
        ulong Next() { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state | 1; }
        for (int i = 0; i < start; i++) Next();
        for (int i = start; i < start + 3000; i++)
        {
            ulong r = Next();
            SignalKeys keys = KeysFor(i, r);
            DateTimeOffset at = T0.AddMinutes(i * 7);
            var outcome = ((r >> 30) % 4) switch { 0 => LoginOutcome.WrongSecret, 1 => LoginOutcome.UnknownAccount, _ => LoginOutcome.Success };
            store.Observe(new SignalRequest { Keys = keys, At = at, Phase = ObservationPhase.PreAuth }, out _);
            store.Observe(new SignalRequest
            {
                Keys = keys, At = at, Phase = ObservationPhase.Outcome, Outcome = outcome,
                // Failures are never familiar here: since a familiar failure stopped counting on its secret (a user's
                // own tries are no spray), the earlier store would count what this one does not.
                FamiliarContext = outcome == LoginOutcome.Success && (r >> 40) % 2 == 0, Learn = (LearnMode)((r >> 44) % 3), UnfamiliarSuccess = (r >> 48) % 2 == 0,
                UnfamiliarDeviceSuccess = (r >> 48) % 2 == 0,   // one flag for both when the fixture was written
                Country = (ushort)((r >> 52) % 5),   // version 3 keeps a learned one; earlier stores ignore it
            }, out _);
            if (i % 500 == 0) store.SetDeviceTrustAsync(keys.Account, keys.Device == 0 ? 77 : keys.Device, true, at).AsTask().Wait();
            if (i % 700 == 0) store.SetStepUpRequestedAsync(keys.Account, true).AsTask().Wait();
            if (exposure && i % 300 == 150) store.MarkSecretExposedAsync(keys.Account, at).AsTask().Wait();
            if (i % 900 == 0) store.SetDeviceTrustAsync(keys.Account, keys.Device == 0 ? 77 : keys.Device, false, at).AsTask().Wait();
        }
    }
}
