using System.Runtime.CompilerServices;
using Mamori.Signals;

namespace Mamori.State;

/// <summary>
/// A window of two generations, each half the window long: counts are the current plus the previous generation,
/// so they cover between half and the whole window. Two words instead of a ring of buckets is what keeps a
/// source near 100 bytes.
/// </summary>
internal static class Generations
{
    /// <summary>Rolls a pair forward to generation <paramref name="now"/>; returns how many generations passed.</summary>
    public static long Advance(ref uint generation, uint now)
    {
        long passed = (long)now - generation;
        if (passed > 0) generation = now;
        return passed;
    }
}

/// <summary>Counters of one source key. See <see cref="SourceSignals"/>.</summary>
/// <remarks>
/// 80 bytes (the last four were the struct's padding), so that with its key and index entry a tracked address stays
/// near 100 bytes (10M in 1 GiB). Counters are 16-bit: when one would overflow, all counters of its window halve
/// together, which keeps the failure and unknown-account shares exact and the counts within a factor of two, which is
/// all a busy ASN's judgement needs. The long window's attempts and failures are two generations like every other
/// count (until snapshot version 5 they were one count halved at each generation, so two failures three days ago
/// read as one, and one as none: a slow bot's visits lost their evidence whenever a generation began between them).
/// </remarks>
internal struct SourceState : ILastSeen
{
    readonly uint ILastSeen.LastSeen => LastSeen;

    public uint LastSeen;
    public uint ShortGeneration;
    public ulong AccountsCurrent, AccountsPrevious;
    public ushort AttemptsCurrent, AttemptsPrevious;
    public ushort FailuresCurrent, FailuresPrevious;
    public ushort UnknownCurrent, UnknownPrevious;
    public uint LongGeneration;
    public ulong SuccessCurrent, SuccessPrevious;
    public ulong UnfamiliarCurrent, UnfamiliarPrevious;
    public ushort LongAttempts, LongFailures;
    public ushort LongAttemptsPrevious, LongFailuresPrevious;

    public void CountAttempt()
    {
        if (AttemptsCurrent == ushort.MaxValue) HalveShort();
        AttemptsCurrent++;
        if (LongAttempts == ushort.MaxValue) HalveLong();
        LongAttempts++;
    }

    public void CountFailure(bool unknown)
    {
        if (FailuresCurrent == ushort.MaxValue) HalveShort();
        FailuresCurrent++;
        if (unknown) UnknownCurrent++;
        if (LongFailures == ushort.MaxValue) HalveLong();
        LongFailures++;
    }

    private void HalveLong()
    {
        LongAttempts >>= 1; LongFailures >>= 1; LongAttemptsPrevious >>= 1; LongFailuresPrevious >>= 1;
    }

    private void HalveShort()
    {
        AttemptsCurrent >>= 1; AttemptsPrevious >>= 1; FailuresCurrent >>= 1; FailuresPrevious >>= 1; UnknownCurrent >>= 1; UnknownPrevious >>= 1;
    }

    public void Roll(uint shortGeneration, uint longGeneration)
    {
        long passed = Generations.Advance(ref ShortGeneration, shortGeneration);
        if (passed == 1)
        {
            AccountsPrevious = AccountsCurrent; AttemptsPrevious = AttemptsCurrent; FailuresPrevious = FailuresCurrent; UnknownPrevious = UnknownCurrent;
            AccountsCurrent = 0; AttemptsCurrent = FailuresCurrent = UnknownCurrent = 0;
        }
        else if (passed > 1)
        {
            AccountsPrevious = AccountsCurrent = 0;
            AttemptsPrevious = AttemptsCurrent = FailuresPrevious = FailuresCurrent = UnknownPrevious = UnknownCurrent = 0;
        }
        passed = Generations.Advance(ref LongGeneration, longGeneration);
        if (passed == 1)
        {
            SuccessPrevious = SuccessCurrent; UnfamiliarPrevious = UnfamiliarCurrent;
            SuccessCurrent = UnfamiliarCurrent = 0;
            LongAttemptsPrevious = LongAttempts; LongFailuresPrevious = LongFailures;
            LongAttempts = LongFailures = 0;
        }
        else if (passed > 1)
        {
            SuccessPrevious = SuccessCurrent = UnfamiliarPrevious = UnfamiliarCurrent = 0;
            LongAttempts = LongFailures = LongAttemptsPrevious = LongFailuresPrevious = 0;
        }
    }

    public readonly SourceSignals ToSignals() => new()
    {
        Attempts = AttemptsCurrent + AttemptsPrevious,
        Failures = FailuresCurrent + FailuresPrevious,
        UnknownAccounts = UnknownCurrent + UnknownPrevious,
        DistinctAccounts = LinearCounter.Estimate(AccountsCurrent | AccountsPrevious),
        SuccessfulAccounts = LinearCounter.Estimate(SuccessCurrent | SuccessPrevious),
        UnfamiliarSuccessAccounts = LinearCounter.Estimate(UnfamiliarCurrent | UnfamiliarPrevious),
        BaselineAttempts = LongAttempts + LongAttemptsPrevious,
        BaselineFailureRatio = LongAttempts + LongAttemptsPrevious == 0 ? 0
            : (double)(LongFailures + LongFailuresPrevious) / (LongAttempts + LongAttemptsPrevious),
    };
}

/// <summary>Counters of one secret fingerprint (per scope: all tenants, or one).</summary>
internal struct SecretState : ILastSeen
{
    readonly uint ILastSeen.LastSeen => LastSeen;

    public uint LastSeen;
    public uint ShortGeneration, LongGeneration;
    public ulong ShortCurrentLow, ShortCurrentHigh, ShortPreviousLow, ShortPreviousHigh;
    public ulong LongCurrentLow, LongCurrentHigh, LongPreviousLow, LongPreviousHigh;
    public uint UnknownCurrent, UnknownPrevious;

    public void Roll(uint shortGeneration, uint longGeneration)
    {
        long passed = Generations.Advance(ref ShortGeneration, shortGeneration);
        if (passed == 1)
        {
            ShortPreviousLow = ShortCurrentLow; ShortPreviousHigh = ShortCurrentHigh; UnknownPrevious = UnknownCurrent;
            ShortCurrentLow = ShortCurrentHigh = 0; UnknownCurrent = 0;
        }
        else if (passed > 1)
        {
            ShortPreviousLow = ShortPreviousHigh = ShortCurrentLow = ShortCurrentHigh = 0;
            UnknownPrevious = UnknownCurrent = 0;
        }
        passed = Generations.Advance(ref LongGeneration, longGeneration);
        if (passed == 1)
        {
            LongPreviousLow = LongCurrentLow; LongPreviousHigh = LongCurrentHigh;
            LongCurrentLow = LongCurrentHigh = 0;
        }
        else if (passed > 1)
        {
            LongPreviousLow = LongPreviousHigh = LongCurrentLow = LongCurrentHigh = 0;
        }
    }

    public void AddFailure(ulong account)
    {
        LinearCounter.Add(ref ShortCurrentLow, ref ShortCurrentHigh, account);
        LinearCounter.Add(ref LongCurrentLow, ref LongCurrentHigh, account);
    }

    public readonly int ShortAccounts => LinearCounter.Estimate(ShortCurrentLow | ShortPreviousLow, ShortCurrentHigh | ShortPreviousHigh);
    public readonly int LongAccounts => LinearCounter.Estimate(LongCurrentLow | LongPreviousLow, LongCurrentHigh | LongPreviousHigh);

    /// <summary>Whether a secret's successes are read, given its failure counts (all tenants and this one, both
    /// windows): only beside failures, which is all they are compared with (<c>SignalSnapshot.SecretSucceededAccounts</c>).
    /// Every store asks this, so their snapshots stay equal; most logins' secrets fail nowhere and cost no lookup.</summary>
    public static bool SuccessesRead(int shortAll, int longAll, int shortTenant, int longTenant) =>
        (shortAll | longAll | shortTenant | longTenant) != 0;
}

/// <summary>
/// An account's environments stepped up but never confirmed, waiting to be learned: two slots, each the environment's
/// 32-bit key (0 = empty), the day it last succeeded and on how many days it has.
/// </summary>
/// <remarks>
/// One slot was not enough: a second unconfirmed environment (the office PC beside a new phone, an account aggregator's
/// nightly login beside the owner's own app) replaced the first and restarted its count, so while both kept coming
/// neither was ever learned and the owner was stepped up every day (docs/BENCHMARKS.md, the brokerage log). A third one
/// takes the slot that succeeded longest ago. The key is the low half of the environment's 64-bit hash: two
/// environments of one account sharing it (one in four billion) count as one, which only learns one sooner.
/// <para>An environment learned this way keeps its slot, and every later success of it is learned too (ADR 0037): an
/// aggregator that is stepped up on each visit was otherwise learned once every other day and, beside an owner who logs
/// in more often, never became a part of the account's history the model would call familiar. It gives its slot up
/// first to a newer environment still waiting (a traveller's networks abroad each need their own count), and else
/// to the one that has succeeded longest ago.</para>
/// </remarks>
internal struct PendingSlots
{
    public uint EnvironmentA, EnvironmentB;
    public ushort LastDayA, LastDayB;
    public byte DaysA, DaysB;

    /// <summary>The day a slot counts a success on: the minute's UTC day, held to 16 bits (as observe.lua holds it).</summary>
    public static ushort Day(long minute) => (ushort)Math.Min(minute / 1440, ushort.MaxValue);

    /// <summary>The slot key of an environment hash; never 0, which marks an empty slot.</summary>
    public static uint Key(ulong environment) => (uint)environment is 0 ? 1u : (uint)environment;

    /// <summary>Counts a success of the environment on <paramref name="day"/>.</summary>
    /// <returns>True when it has now succeeded on <paramref name="learnDays"/> days, or had before: learn it. A new
    /// environment takes a slot and is not learned on its first success.</returns>
    /// <param name="oneSlot">Only slot A, as the store before two slots (what its snapshots were written with).</param>
    public bool Succeeded(ulong environment, ushort day, int learnDays, bool oneSlot = false)
    {
        uint key = Key(environment);
        if (EnvironmentA == key) return Count(ref EnvironmentA, ref LastDayA, ref DaysA, day, learnDays);
        if (EnvironmentB == key) return Count(ref EnvironmentB, ref LastDayB, ref DaysB, day, learnDays);
        // A new one: a free slot, else one already learned (it has taught the history; a traveller's next network must
        // not lose its count to it), else the one that succeeded longest ago (A on a tie).
        bool learnedA = DaysA >= learnDays, learnedB = DaysB >= learnDays;
        bool takeA = oneSlot || EnvironmentA == 0
            || (EnvironmentB != 0 && (learnedA != learnedB ? learnedA : LastDayA <= LastDayB));
        if (takeA) (EnvironmentA, LastDayA, DaysA) = (key, day, 1);
        else (EnvironmentB, LastDayB, DaysB) = (key, day, 1);
        return false;
    }

    /// <summary>Whether a success of the environment on <paramref name="day"/> would have it learned: it waits in a slot
    /// and has succeeded on <paramref name="learnDays"/> days counting that one (ADR 0047).</summary>
    public readonly bool DueOn(ulong environment, ushort day, int learnDays)
    {
        uint key = Key(environment);
        if (EnvironmentA == key) return DaysA + (day != LastDayA ? 1 : 0) >= learnDays;
        if (EnvironmentB == key) return DaysB + (day != LastDayB ? 1 : 0) >= learnDays;
        return false;
    }

    private static bool Count(ref uint environment, ref ushort lastDay, ref byte days, ushort day, int learnDays)
    {
        if (day != lastDay)
        {
            lastDay = day;
            days++;
        }
        if (days < learnDays) return false;
        days = (byte)learnDays;   // confirmed by coming back: it keeps its slot, and its later successes teach too
        return true;
    }
}

/// <summary>
/// One account's history: the feature counts of the familiarity model, recent wrong secrets, lockout counters,
/// trusted devices. 376 bytes (RecordLayoutTests) in the account table's own array: no object, no pointer to follow.
/// </summary>
/// <remarks>
/// Flat on purpose. As a class with a bag object and two arrays per feature it was 24 objects (about 1 KB) per
/// account, and reading one login's familiarity followed a pointer into each: at a few hundred thousand accounts,
/// a cache miss apiece. Fields read by every call come first, in the first cache line.
/// </remarks>
internal struct AccountRecord : ILastSeen
{
    /// <summary>Where each <see cref="AccountFeature"/>'s bag starts in <see cref="Values"/>/<see cref="Counts"/>.</summary>
    public static ReadOnlySpan<byte> BagStarts => [0, 10, 16, 20, 26, 30, 34];
    /// <summary>Capacity of each <see cref="AccountFeature"/>'s bag.</summary>
    /// <remarks>Enough for a user's devices and networks; the least used entry makes room.</remarks>
    public static ReadOnlySpan<byte> BagCapacities => [10, 6, 4, 6, 4, 4, 8];
    public const int FeatureSlots = 42;
    public const int MaxTrustedDevices = 8;
    public const int RecentWrongCapacity = 8;

    public uint LastSeen;
    public uint FailureGeneration;
    public ushort UnfamiliarFailuresCurrent, UnfamiliarFailuresPrevious, FamiliarFailuresCurrent, FamiliarFailuresPrevious;
    /// <summary>Distinct unfamiliar wrong secrets since the last learned success (saturating; no window).</summary>
    public ushort UnfamiliarFailuresSinceSuccess;
    /// <summary>The day the account's secret last succeeded in an attack (<see cref="Signals.SignalDays"/>; 0 = none;
    /// in what was the struct's padding).</summary>
    public ushort SecretExposedDay;
    public int History;
    public int DeviceHistory;
    public byte RecentWrongNext;
    public byte TrustedCount;
    public bool StepUpRequested;
    /// <summary>Two environments stepped up but not confirmed, each learned once it has succeeded on enough days
    /// (<see cref="Pending"/>), and from then on at each success: a new phone and an aggregator's nightly login no longer
    /// restart each other's count.</summary>
    public PendingSlots Pending;
    /// <summary>The addresses the wrong secrets since the last learned success came from, one bit each
    /// (<see cref="AddressBit"/>; in what was the struct's padding): whose failures an address saw.</summary>
    public uint FailureAddresses;
    /// <summary>Country of the last learned success (CountryLocations.Pack; 0 = none known) and its minute: impossible travel.</summary>
    public ushort LastCountry;
    public uint LastCountryMinute;
    public Words8 RecentWrongSecrets;
    public Words8 TrustedDevices;
    public FeatureValues Values;
    public FeatureCounts Counts;

    readonly uint ILastSeen.LastSeen => LastSeen;

    public void RollFailures(uint generation)
    {
        long passed = Generations.Advance(ref FailureGeneration, generation);
        if (passed == 1)
        {
            UnfamiliarFailuresPrevious = UnfamiliarFailuresCurrent; FamiliarFailuresPrevious = FamiliarFailuresCurrent;
            UnfamiliarFailuresCurrent = FamiliarFailuresCurrent = 0;
        }
        else if (passed > 1)
        {
            UnfamiliarFailuresPrevious = UnfamiliarFailuresCurrent = FamiliarFailuresPrevious = FamiliarFailuresCurrent = 0;
            ((Span<uint>)RecentWrongSecrets).Clear();   // a wrong secret from long ago may count again
        }
    }

    /// <summary>An address's bit in <see cref="FailureAddresses"/>: the top five bits of its key times the golden
    /// ratio (keys are hashes already; the multiply spreads those that are not, as in tests).</summary>
    public static uint AddressBit(ulong ip) => 1u << (int)((ip * 0x9E37_79B9_7F4A_7C15UL) >> 59);

    public readonly bool HasRecentWrong(uint secret) => secret != 0 && ((ReadOnlySpan<uint>)RecentWrongSecrets).Contains(secret);

    public void AddRecentWrong(uint secret)
    {
        RecentWrongSecrets[RecentWrongNext] = secret;
        RecentWrongNext = (byte)((RecentWrongNext + 1) % RecentWrongCapacity);
    }

    /// <summary>The trusted devices, oldest first.</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public readonly ReadOnlySpan<uint> Trusted => ((ReadOnlySpan<uint>)TrustedDevices)[..TrustedCount];

    public readonly bool IsTrusted(uint device) => device != 0 && Trusted.Contains(device);

    /// <summary>Trusts <paramref name="device"/>: a handful per account, the oldest gives way.</summary>
    public void Trust(uint device)
    {
        Span<uint> trusted = TrustedDevices;
        if (TrustedCount == MaxTrustedDevices)
        {
            trusted[1..].CopyTo(trusted);
            trusted[MaxTrustedDevices - 1] = device;
        }
        else
        {
            trusted[TrustedCount++] = device;
        }
    }

    /// <summary>Stops trusting <paramref name="device"/> (every copy of it), keeping the others in order.</summary>
    public void Distrust(uint device)
    {
        Span<uint> trusted = TrustedDevices;
        int kept = 0;
        for (int i = 0; i < TrustedCount; i++)
            if (trusted[i] != device) trusted[kept++] = trusted[i];
        trusted[kept..TrustedCount].Clear();
        TrustedCount = (byte)kept;
    }

    /// <summary>The count of <paramref name="value"/> in <paramref name="feature"/>'s bag.</summary>
    public readonly int CountOf(AccountFeature feature, uint value)
    {
        if (value == 0) return 0;
        int slot = Find(feature, value);
        return slot < 0 ? 0 : Counts[slot];
    }

    /// <summary>Counts one more <paramref name="value"/> in <paramref name="feature"/>'s bag; when the bag is full the
    /// least used value gives way.</summary>
    public void Add(AccountFeature feature, uint value)
    {
        if (value == 0) return;
        int slot = Find(feature, value);
        if (slot >= 0) { if (Counts[slot] < ushort.MaxValue) Counts[slot]++; return; }
        int start = BagStarts[(int)feature];
        ReadOnlySpan<ushort> counts = ((ReadOnlySpan<ushort>)Counts).Slice(start, BagCapacities[(int)feature]);
        int smallest = 0;
        for (int j = 1; j < counts.Length; j++)
            if (counts[j] < counts[smallest]) smallest = j;
        Values[start + smallest] = value;
        Counts[start + smallest] = 1;
    }

    /// <summary>Where <paramref name="value"/> sits in <see cref="Values"/> within <paramref name="feature"/>'s bag, or -1.</summary>
    private readonly int Find(AccountFeature feature, uint value)
    {
        int start = BagStarts[(int)feature];
        // A plain loop: for a bag of four to ten values it beats a vectorised search's set-up.
        ReadOnlySpan<uint> values = ((ReadOnlySpan<uint>)Values).Slice(start, BagCapacities[(int)feature]);
        for (int i = 0; i < values.Length; i++)
            if (values[i] == value) return start + i;
        return -1;
    }

    /// <summary>Counts one successful login's features, at <paramref name="minute"/> from <paramref name="country"/> (packed; 0
    /// when unknown, which keeps the last one known); halves all counts past 255 so recent habits weigh more.</summary>
    public void Learn(in SignalKeys keys, ushort country, uint minute)
    {
        UnfamiliarFailuresSinceSuccess = 0;   // the account's own user got in: the guessing count starts again
        FailureAddresses = 0;
        if (country != 0)
        {
            LastCountry = country;
            LastCountryMinute = minute;
        }
        Add(AccountFeature.Ip, Short(keys.Ip)); Add(AccountFeature.Asn, Short(keys.Asn)); Add(AccountFeature.Country, Short(keys.Country));
        Add(AccountFeature.Agent, Short(keys.Agent)); Add(AccountFeature.Browser, Short(keys.Browser)); Add(AccountFeature.Os, Short(keys.Os));
        if (keys.Device != 0) { Add(AccountFeature.Device, Short(keys.Device)); DeviceHistory++; }
        if (++History > 255)
        {
            History >>= 1; DeviceHistory >>= 1;
            Span<ushort> counts = Counts;
            for (int i = 0; i < counts.Length; i++) counts[i] = (ushort)((counts[i] + 1) >> 1);
        }
    }

    /// <summary>32 bits of a key: enough to tell one account's few values apart.</summary>
    public static uint Short(ulong key) => key == 0 ? 0 : (uint)(key >> 32) | 1;
}

/// <summary>The features an account's history counts, each in a bag of its own (snapshot order).</summary>
internal enum AccountFeature : byte { Ip, Asn, Country, Agent, Browser, Os, Device }

/// <summary>Eight 32-bit words inline (recent wrong secrets, trusted devices).</summary>
[InlineArray(8)]
internal struct Words8
{
    private uint _element;
}

/// <summary>The values of an account's feature bags, inline (<see cref="AccountRecord.FeatureSlots"/>).</summary>
[InlineArray(AccountRecord.FeatureSlots)]
internal struct FeatureValues
{
    private uint _element;
}

/// <summary>The counts beside <see cref="FeatureValues"/>.</summary>
[InlineArray(AccountRecord.FeatureSlots)]
internal struct FeatureCounts
{
    private ushort _element;
}
