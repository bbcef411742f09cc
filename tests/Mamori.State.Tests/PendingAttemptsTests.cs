using Mamori.Signals;
using Mamori.State.Redis;

namespace Mamori.State.Tests;

/// <summary>The waiting pre-auth attempts of a node on the Redis store (docs/adr/0021), without a server.</summary>
public sealed class PendingAttemptsTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly (long, long, long) Epoch = (1, 1, 1);

    [Fact]
    public void AWaitingAttempt_AddsToItsCountersUntilClaimed_AndIsClaimedOnce()
    {
        var pending = new PendingAttempts(10, waitTicks: 100, OnePart);
        SignalKeys keys = new() { Account = 1, Ip = 7 };
        Span<PendingAttempts.Addition> into = stackalloc PendingAttempts.Addition[4];

        Assert.True(pending.TryAdd(keys, T0, timestamp: 0, Epoch));
        Assert.True(pending.TryAdd(keys, T0.AddSeconds(1), timestamp: 1, Epoch));   // the same keys again, in flight at once
        Assert.Equal(1, pending.Waiting(7, into, out _));
        Assert.Equal((2, 1UL << 3), (into[0].Count, into[0].Bits));

        Assert.True(pending.TryClaim(keys));
        Assert.True(pending.TryClaim(keys));
        Assert.False(pending.TryClaim(keys));   // two waited, two were claimed
        Assert.Equal(0, pending.Waiting(7, into, out _));
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void Attempts_AreDueAfterTheirWait_OrAllAtOnceWhenTheEpochChanges()
    {
        var pending = new PendingAttempts(10, waitTicks: 100, PartPerAccount);
        pending.TryAdd(new SignalKeys { Account = 1, Ip = 7 }, T0, timestamp: 0, Epoch);
        pending.TryAdd(new SignalKeys { Account = 2, Ip = 7 }, T0, timestamp: 50, Epoch);

        Assert.Null(pending.TakeDue(99, Epoch));
        Assert.Equal([1UL], pending.TakeDue(100, Epoch)!.Select(d => d.Key));   // the first has waited its time
        Assert.Null(pending.TakeDue(105, Epoch));   // the next look comes a tenth of the wait later at the soonest
        Assert.Null(pending.TakeDue(111, (0, 1, 1)));   // an edge's clock behind the others': nothing
        Assert.Equal([2UL], pending.TakeDue(111, (2, 1, 1))!.Select(d => d.Key));   // a later bucket: every one
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void DueAttempts_AreSummedPerCounterAndGeneration_WithTheirAccountsBits()
    {
        var pending = new PendingAttempts(10, waitTicks: 100, (in SignalKeys keys, DateTimeOffset at, Span<PendingAttempts.Part> into) =>
        {
            into[0] = new PendingAttempts.Part(keys.Ip, (long)(at - T0).TotalMinutes, 0, (int)keys.Account);
            into[1] = new PendingAttempts.Part(PendingAttempts.GlobalKey, 0, 0, -1);
            return 2;
        });
        pending.TryAdd(new SignalKeys { Account = 1, Ip = 7 }, T0, 0, Epoch);
        pending.TryAdd(new SignalKeys { Account = 2, Ip = 7 }, T0, 0, Epoch);
        pending.TryAdd(new SignalKeys { Account = 3, Ip = 7 }, T0.AddMinutes(1), 0, Epoch);
        pending.TryAdd(new SignalKeys { Account = 4, Ip = 8 }, T0, 0, Epoch);

        List<PendingAttempts.Due> due = pending.TakeDue(0, Epoch, all: true)!;

        Assert.Contains(new PendingAttempts.Due(7, 0, 0, 2, 0b110), due);
        Assert.Contains(new PendingAttempts.Due(7, 1, 0, 1, 0b1000), due);
        Assert.Contains(new PendingAttempts.Due(8, 0, 0, 1, 0b10000), due);
        Assert.Contains(new PendingAttempts.Due(PendingAttempts.GlobalKey, 0, 0, 4, 0), due);
        Assert.Equal(4, due.Count);
        Assert.Equal(1, due[^1].First);   // oldest generation first: Redis rolls its windows in order
    }

    [Fact]
    public void AFullTable_RefusesOneMore_SoThatPreAuthCountsItsOwnAttempt()
    {
        var pending = new PendingAttempts(2, waitTicks: 100, OnePart);
        Assert.True(pending.TryAdd(new SignalKeys { Account = 1 }, T0, 0, Epoch));
        Assert.True(pending.TryAdd(new SignalKeys { Account = 2 }, T0, 0, Epoch));

        Assert.False(pending.HasRoom);
        Assert.False(pending.TryAdd(new SignalKeys { Account = 3 }, T0, 0, Epoch));
        Assert.Equal(2, pending.Count);
    }

    [Fact]
    public void ManyGenerationsWaiting_AreAllReturned_OldestFirst()
    {
        var pending = new PendingAttempts(100, waitTicks: 100, (in SignalKeys keys, DateTimeOffset at, Span<PendingAttempts.Part> into) =>
        {
            into[0] = new PendingAttempts.Part(7, (long)(at - T0).TotalMinutes, 0, -1);
            return 1;
        });
        for (int minute = 9; minute >= 0; minute--) pending.TryAdd(new SignalKeys { Account = (ulong)minute }, T0.AddMinutes(minute), 0, Epoch);

        int n = pending.Waiting(7, stackalloc PendingAttempts.Addition[4], out PendingAttempts.Addition[]? more);

        Assert.Equal(10, n);
        Assert.NotNull(more);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), more.Select(a => a.First));
    }

    private static int PartPerAccount(in SignalKeys keys, DateTimeOffset at, Span<PendingAttempts.Part> into)
    {
        into[0] = new PendingAttempts.Part(keys.Account, 1, 1, 3);
        return 1;
    }

    private static int OnePart(in SignalKeys keys, DateTimeOffset at, Span<PendingAttempts.Part> into)
    {
        into[0] = new PendingAttempts.Part(keys.Ip, 1, 1, 3);
        return 1;
    }
}
