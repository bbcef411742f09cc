using System.Runtime.InteropServices;

namespace Mamori.State;

public sealed partial class InMemorySignalStore
{
    private const ulong SnapshotMagic = 0x31_47_53_49_52_4F_4D_41UL;   // "AMORISG1"
    /// <summary>2 added an account's unfamiliar failures since its last success, 3 its last learned country and when,
    /// 4 the accounts a secret succeeded on (entries of the secrets table under a derived key: the bytes are laid out as
    /// in 3, there are more of them), 5 a source's long-window attempts and failures of the previous generation (in
    /// bytes that were the source's padding; until 4 one count halved at each generation, loaded as the current one),
    /// 6 the addresses an account's failures since its last success came from (until 5 unknown: loaded as every
    /// address when there were such failures), 7 the day an account's secret last succeeded in an attack (until 6
    /// none); earlier versions still load (as zero: none known).</summary>
    private const int SnapshotVersion = 8;

    /// <summary>
    /// Writes every signal to <paramref name="output"/> (a binary snapshot the server takes periodically and at
    /// shutdown). Consistent: taken under the store's lock.
    /// </summary>
    /// <remarks>Holds the lock while writing; at ~100 bytes a key, 2M keys write in well under a second to a file.</remarks>
    public void Save(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        lock (_gate)
        {
            writer.Write(SnapshotMagic);
            writer.Write(SnapshotVersion);
            writer.Write(_sourceShortMinutes); writer.Write(_sourceLongMinutes); writer.Write(_secretShortMinutes);
            writer.Write(_secretLongMinutes); writer.Write(_failureMinutes);
            WriteTable(writer, _sources);
            WriteTable(writer, _secrets);
            writer.Write(_accounts.Count);
            foreach ((ulong key, AccountRecord account) in _accounts.Entries())
            {
                writer.Write(key);
                writer.Write(account.LastSeen);
                WriteAccount(writer, in account);
            }
            writer.Write(_populationLogins);
            writer.Write(_population.Total);
            writer.Write(MemoryMarshal.AsBytes(_population.Cells.AsSpan()));
            _global.Save(writer);
        }
    }

    /// <summary>Loads a snapshot written by <see cref="Save"/> into this (new, empty) store, at start-up.</summary>
    /// <exception cref="InvalidDataException">Not a snapshot, another version, or taken with other windows (it would mean other things).</exception>
    public void Load(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var reader = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        lock (_gate)
        {
            if (reader.ReadUInt64() != SnapshotMagic) throw new InvalidDataException("Not a Mamori signal snapshot.");
            int version = reader.ReadInt32();
            if (version is < 1 or > SnapshotVersion) throw new InvalidDataException($"Signal snapshot version {version} is not 1 to {SnapshotVersion}.");
            if (reader.ReadUInt32() != _sourceShortMinutes || reader.ReadUInt32() != _sourceLongMinutes || reader.ReadUInt32() != _secretShortMinutes
                || reader.ReadUInt32() != _secretLongMinutes || reader.ReadUInt32() != _failureMinutes)
                throw new InvalidDataException("The signal snapshot was taken with other window settings; it is ignored rather than misread.");
            ReadTable(reader, _sources, version < 5 ? static (ref SourceState source) =>
            {
                // Padding until version 5, whatever it held: the decayed count loaded as the current generation's.
                source.LongAttemptsPrevious = source.LongFailuresPrevious = 0;
            } : null);
            ReadTable(reader, _secrets);
            int accounts = reader.ReadInt32();
            for (int i = 0; i < accounts; i++)
            {
                ulong key = reader.ReadUInt64();
                uint lastSeen = reader.ReadUInt32();
                ref AccountRecord account = ref _accounts.GetOrAdd(key, out _);
                ReadAccount(reader, ref account, version);
                account.LastSeen = lastSeen;
            }
            _populationLogins = reader.ReadInt64();
            long total = reader.ReadInt64();
            uint[] cells = new uint[_population.Cells.Length];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(cells.AsSpan()));
            _population.Restore(cells, total);
            _global.Load(reader);
        }
    }

    private static void WriteTable<T>(BinaryWriter writer, KeyedTable<T> table) where T : unmanaged, ILastSeen
    {
        writer.Write(table.Count);
        foreach ((ulong key, T value) in table.Entries())
        {
            writer.Write(key);
            T copy = value;
            writer.Write(MemoryMarshal.AsBytes(new Span<T>(ref copy)));
        }
    }

    private delegate void Upgrade<T>(ref T value);

    private static void ReadTable<T>(BinaryReader reader, KeyedTable<T> table, Upgrade<T>? upgrade = null) where T : unmanaged, ILastSeen
    {
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            ulong key = reader.ReadUInt64();
            ref T value = ref table.GetOrAdd(key, out _);
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(new Span<T>(ref value)));
            upgrade?.Invoke(ref value);
        }
    }

    // An account's bytes are those the earlier class-based record wrote (version 1): feature bags (values, then
    // counts, bag by bag), then the counters, in this order. Snapshots taken before the flat layout still load.
    private static void WriteAccount(BinaryWriter w, in AccountRecord a)
    {
        for (int bag = 0; bag < AccountRecord.BagStarts.Length; bag++)
        {
            int start = AccountRecord.BagStarts[bag], capacity = AccountRecord.BagCapacities[bag];
            w.Write(MemoryMarshal.AsBytes(((ReadOnlySpan<uint>)a.Values).Slice(start, capacity)));
            w.Write(MemoryMarshal.AsBytes(((ReadOnlySpan<ushort>)a.Counts).Slice(start, capacity)));
        }
        w.Write(a.History); w.Write(a.DeviceHistory);
        w.Write(MemoryMarshal.AsBytes((ReadOnlySpan<uint>)a.RecentWrongSecrets)); w.Write((int)a.RecentWrongNext);
        w.Write(a.FailureGeneration);
        w.Write(a.UnfamiliarFailuresCurrent); w.Write(a.UnfamiliarFailuresPrevious); w.Write(a.FamiliarFailuresCurrent); w.Write(a.FamiliarFailuresPrevious);
        w.Write((int)a.TrustedCount); foreach (uint d in a.Trusted) w.Write(d);
        w.Write(a.StepUpRequested);
        w.Write(a.Pending.EnvironmentA); w.Write(a.Pending.EnvironmentB); w.Write(a.Pending.LastDayA); w.Write(a.Pending.LastDayB);   // version 8
        w.Write(a.Pending.DaysA); w.Write(a.Pending.DaysB);
        w.Write(a.UnfamiliarFailuresSinceSuccess);   // version 2
        w.Write(a.LastCountry); w.Write(a.LastCountryMinute);   // version 3
        w.Write(a.FailureAddresses);   // version 6
        w.Write(a.SecretExposedDay);   // version 7
    }

    private static void ReadAccount(BinaryReader r, ref AccountRecord a, int version)
    {
        a = default;
        for (int bag = 0; bag < AccountRecord.BagStarts.Length; bag++)
        {
            int start = AccountRecord.BagStarts[bag], capacity = AccountRecord.BagCapacities[bag];
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(((Span<uint>)a.Values).Slice(start, capacity)));
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(((Span<ushort>)a.Counts).Slice(start, capacity)));
        }
        a.History = r.ReadInt32(); a.DeviceHistory = r.ReadInt32();
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes((Span<uint>)a.RecentWrongSecrets));
        int next = r.ReadInt32();
        if (next is < 0 or >= AccountRecord.RecentWrongCapacity) throw new InvalidDataException("Corrupt signal snapshot (recent wrong secrets).");
        a.RecentWrongNext = (byte)next;
        a.FailureGeneration = r.ReadUInt32();
        a.UnfamiliarFailuresCurrent = r.ReadUInt16(); a.UnfamiliarFailuresPrevious = r.ReadUInt16(); a.FamiliarFailuresCurrent = r.ReadUInt16(); a.FamiliarFailuresPrevious = r.ReadUInt16();
        int trusted = r.ReadInt32();
        if (trusted is < 0 or > AccountRecord.MaxTrustedDevices) throw new InvalidDataException("Corrupt signal snapshot (trusted devices).");
        for (int i = 0; i < trusted; i++) a.Trust(r.ReadUInt32());
        a.StepUpRequested = r.ReadBoolean();
        if (version >= 8)
        {
            a.Pending.EnvironmentA = r.ReadUInt32(); a.Pending.EnvironmentB = r.ReadUInt32();
            a.Pending.LastDayA = r.ReadUInt16(); a.Pending.LastDayB = r.ReadUInt16();
            a.Pending.DaysA = r.ReadByte(); a.Pending.DaysB = r.ReadByte();
        }
        else
        {
            // One slot before: its environment keyed as now, so a count in flight goes on where it was.
            ulong environment = r.ReadUInt64();
            uint lastDay = r.ReadUInt32();
            byte days = r.ReadByte();
            if (environment != 0) (a.Pending.EnvironmentA, a.Pending.LastDayA, a.Pending.DaysA) = (PendingSlots.Key(environment), (ushort)Math.Min(lastDay, ushort.MaxValue), days);
        }
        if (version >= 2) a.UnfamiliarFailuresSinceSuccess = r.ReadUInt16();
        if (version >= 3)
        {
            a.LastCountry = r.ReadUInt16();
            a.LastCountryMinute = r.ReadUInt32();
            if (a.LastCountry > Network.CountryLocations.MaxPacked) throw new InvalidDataException("Corrupt signal snapshot (last country).");
        }
        // Before version 6 nobody knew where the failures came from: as if from every address, which takes them all off
        // any address's count (StuffingDetector), as those versions did.
        if (version >= 6) a.FailureAddresses = r.ReadUInt32();
        else if (a.UnfamiliarFailuresSinceSuccess + a.FamiliarFailuresCurrent + a.FamiliarFailuresPrevious > 0) a.FailureAddresses = uint.MaxValue;
        if (version >= 7) a.SecretExposedDay = r.ReadUInt16();
    }
}
