using Mamori.Events;
using Mamori.Signals;

namespace Mamori.State.Tests;

/// <summary><see cref="InMemorySignalStore.Tables"/>: what each bound held and forgot, so replay can say when a log
/// outgrew it.</summary>
public sealed class StoreBoundsTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AccountsPastTheBound_AreEvictions_AndAllOfThemLoseHistory()
    {
        var options = new MamoriOptions();
        options.Signals.MaxAccounts = 1_000;
        var store = new InMemorySignalStore(options);

        for (int i = 0; i < 1_200; i++) Observe(store, account: (ulong)(1 + i), ip: 1, T0.AddSeconds(i));

        SignalTableUsage accounts = store.Tables.Single(t => t.Table == "accounts");
        Assert.Equal(("MaxAccounts", 1_000, 1_000, 200L, 200L), (accounts.Setting, accounts.Count, accounts.Capacity, accounts.Evictions, accounts.LiveEvictions));
        Assert.Equal(0, store.Tables.Single(t => t.Table == "sources").Evictions);   // one address, its /24, ASN and agent
    }

    [Fact]
    public void SourcesEvictedAfterTheirWindowsEnded_AreNotCountedAsLost()
    {
        var options = new MamoriOptions();
        options.Signals.MaxSources = 1_000;
        var store = new InMemorySignalStore(options);

        // Day 0: 1,200 addresses (and the /24s they fall in) within the hour: past the bound while all are in use.
        for (int i = 0; i < 1_200; i++) Observe(store, account: 7, ip: (ulong)(1 + i), T0.AddSeconds(i));
        SignalTableUsage first = store.Tables.Single(t => t.Table == "sources");
        Assert.True(first.Evictions > 0);
        Assert.Equal(first.Evictions, first.LiveEvictions);

        // A month later, past the 7-day window: making room for 100 new addresses forgets only addresses whose counts ended.
        for (int i = 0; i < 100; i++) Observe(store, account: 7, ip: (ulong)(100_000 + i), T0.AddDays(30).AddSeconds(i));
        SignalTableUsage later = store.Tables.Single(t => t.Table == "sources");
        Assert.True(later.Evictions >= first.Evictions + 100, $"{later.Evictions} after {first.Evictions}");
        Assert.Equal(first.LiveEvictions, later.LiveEvictions);
    }

    private static void Observe(InMemorySignalStore store, ulong account, ulong ip, DateTimeOffset at)
    {
        var keys = new SignalKeys
        {
            Account = account, Ip = 0x0A00_0000_0000_0000 | ip, Subnet = 0x0A00_0000_0000_0000 | (ip >> 8), Asn = 64500, Country = 81,
            Agent = 0x7777_0000_0000_0001, Browser = 0x1111_0000_0000_0001, Os = 0x2222_0000_0000_0001,
        };
        store.ObserveAsync(new SignalRequest { Keys = keys, At = at, Phase = ObservationPhase.PreAuth }).AsTask().GetAwaiter().GetResult();
        store.ObserveAsync(new SignalRequest { Keys = keys, At = at, Phase = ObservationPhase.Outcome, Outcome = LoginOutcome.WrongSecret })
            .AsTask().GetAwaiter().GetResult();
    }
}
