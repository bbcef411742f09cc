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
/// 76 bytes, so that with its key and index entry a tracked address stays near 100 bytes (10M in 1 GiB). Counters
/// are 16-bit: when one would overflow, all counters of its window halve together, which keeps the failure and
/// unknown-account shares exact and the counts within a factor of two, which is all a busy ASN's judgement needs.
/// </remarks>
internal struct SourceState
{
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

    public void CountAttempt()
    {
        if (AttemptsCurrent == ushort.MaxValue) HalveShort();
        AttemptsCurrent++;
        if (LongAttempts == ushort.MaxValue) { LongAttempts >>= 1; LongFailures >>= 1; }
        LongAttempts++;
    }

    public void CountFailure(bool unknown)
    {
        if (FailuresCurrent == ushort.MaxValue) HalveShort();
        FailuresCurrent++;
        if (unknown) UnknownCurrent++;
        if (LongFailures == ushort.MaxValue) { LongAttempts >>= 1; LongFailures >>= 1; }
        LongFailures++;
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
            LongAttempts >>= 1; LongFailures >>= 1;   // the baseline forgets half each generation
        }
        else if (passed > 1)
        {
            SuccessPrevious = SuccessCurrent = UnfamiliarPrevious = UnfamiliarCurrent = 0;
            LongAttempts = LongFailures = 0;
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
        BaselineAttempts = LongAttempts,
        BaselineFailureRatio = LongAttempts == 0 ? 0 : (double)LongFailures / LongAttempts,
    };
}

/// <summary>Counters of one secret fingerprint (per scope: all tenants, or one).</summary>
internal struct SecretState
{
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
}

/// <summary>Slot of the account table: the record plus what eviction reads.</summary>
internal struct AccountSlot
{
    public uint LastSeen;
    public AccountRecord? Record;
}

/// <summary>
/// One account's history: the feature counts of the familiarity model, recent wrong secrets, lockout counters,
/// trusted devices. A few hundred bytes, allocated once per account, never per attempt.
/// </summary>
internal sealed class AccountRecord
{
    // Capacities per feature: enough for a user's devices and networks; the least used entry makes room.
    public readonly FeatureCounts Ips = new(10);
    public readonly FeatureCounts Asns = new(6);
    public readonly FeatureCounts Countries = new(4);
    public readonly FeatureCounts Agents = new(6);
    public readonly FeatureCounts Browsers = new(4);
    public readonly FeatureCounts Systems = new(4);
    public readonly FeatureCounts Devices = new(8);
    public int History;
    public int DeviceHistory;

    /// <summary>Every feature bag, in a fixed order (snapshots rely on it).</summary>
    public FeatureCounts[] Features => [Ips, Asns, Countries, Agents, Browsers, Systems, Devices];

    public readonly uint[] RecentWrongSecrets = new uint[8];
    public int RecentWrongNext;
    public uint FailureGeneration;
    public ushort UnfamiliarFailuresCurrent, UnfamiliarFailuresPrevious, FamiliarFailuresCurrent, FamiliarFailuresPrevious;

    public uint[] TrustedDevices = [];
    public bool StepUpRequested;

    public ulong PendingEnvironment;
    public uint PendingLastDay;
    public byte PendingDays;

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
            Array.Clear(RecentWrongSecrets);   // a wrong secret from long ago may count again
        }
    }

    public bool HasRecentWrong(uint secret) => secret != 0 && Array.IndexOf(RecentWrongSecrets, secret) >= 0;

    public void AddRecentWrong(uint secret)
    {
        RecentWrongSecrets[RecentWrongNext] = secret;
        RecentWrongNext = (RecentWrongNext + 1) % RecentWrongSecrets.Length;
    }

    public bool IsTrusted(uint device) => device != 0 && Array.IndexOf(TrustedDevices, device) >= 0;

    /// <summary>Counts one successful login's features; halves all counts past 255 so recent habits weigh more.</summary>
    public void Learn(in SignalKeys keys)
    {
        Ips.Add(Short(keys.Ip)); Asns.Add(Short(keys.Asn)); Countries.Add(Short(keys.Country));
        Agents.Add(Short(keys.Agent)); Browsers.Add(Short(keys.Browser)); Systems.Add(Short(keys.Os));
        if (keys.Device != 0) { Devices.Add(Short(keys.Device)); DeviceHistory++; }
        if (++History > 255)
        {
            History >>= 1; DeviceHistory >>= 1;
            Ips.Halve(); Asns.Halve(); Countries.Halve(); Agents.Halve(); Browsers.Halve(); Systems.Halve(); Devices.Halve();
        }
    }

    /// <summary>32 bits of a key: enough to tell one account's few values apart.</summary>
    public static uint Short(ulong key) => key == 0 ? 0 : (uint)(key >> 32) | 1;
}

/// <summary>A small bag of (value, count) pairs; when full the least used value gives way.</summary>
internal sealed class FeatureCounts(int capacity)
{
    private readonly uint[] _values = new uint[capacity];
    private readonly ushort[] _counts = new ushort[capacity];

    public int CountOf(uint value)
    {
        if (value == 0) return 0;
        int i = Array.IndexOf(_values, value);
        return i < 0 ? 0 : _counts[i];
    }

    public void Add(uint value)
    {
        if (value == 0) return;
        int i = Array.IndexOf(_values, value);
        if (i >= 0) { if (_counts[i] < ushort.MaxValue) _counts[i]++; return; }
        int smallest = 0;
        for (int j = 1; j < _counts.Length; j++)
            if (_counts[j] < _counts[smallest]) smallest = j;
        _values[smallest] = value;
        _counts[smallest] = 1;
    }

    public void Halve()
    {
        for (int i = 0; i < _counts.Length; i++) _counts[i] = (ushort)((_counts[i] + 1) >> 1);
    }

    internal uint[] Values => _values;
    internal ushort[] Counts => _counts;
}
