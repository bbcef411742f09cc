using System.Buffers.Binary;

namespace Mamori.State.Redis;

/// <summary>The scripts' state format: fixed-size little-endian records of uint32 fields (doubles for the global
/// state), written and read in Lua by the struct library.</summary>
internal static class PackedState
{
    /// <summary>Fills <paramref name="into"/> from a record of uint32 fields; an absent record is all zeros.</summary>
    /// <exception cref="FormatException">The record is not exactly as long as <paramref name="into"/> needs.</exception>
    public static void ReadUInt32(ReadOnlySpan<byte> record, Span<long> into)
    {
        into.Clear();
        if (record.IsEmpty) return;
        if (record.Length != into.Length * sizeof(uint))
            throw new FormatException($"Stored signal state has {record.Length} bytes, expected {into.Length * sizeof(uint)}.");
        for (int i = 0; i < into.Length; i++) into[i] = BinaryPrimitives.ReadUInt32LittleEndian(record[(i * sizeof(uint))..]);
    }

    /// <summary>Fills <paramref name="into"/> from a record of doubles.</summary>
    /// <exception cref="FormatException">The record is not exactly as long as <paramref name="into"/> needs.</exception>
    public static void ReadDouble(ReadOnlySpan<byte> record, Span<double> into)
    {
        if (record.Length != into.Length * sizeof(double))
            throw new FormatException($"Stored global state has {record.Length} bytes, expected {into.Length * sizeof(double)}.");
        for (int i = 0; i < into.Length; i++) into[i] = BinaryPrimitives.ReadDoubleLittleEndian(record[(i * sizeof(double))..]);
    }
}

/// <summary>Where observe.lua keeps an account's fields (0-based here, 1-based in Lua).</summary>
internal static class AccountLayout
{
    /// <summary>(first value index, capacity) of each feature bag: values, then as many counts.</summary>
    public static readonly (int First, int Capacity) Ips = (30, 10), Asns = (50, 6), Countries = (62, 4), Agents = (70, 6),
        Browsers = (82, 4), Systems = (90, 4), Devices = (98, 8);

    private const int TrustedCount = 21, TrustedFirst = 22;

    /// <summary>FeatureCounts.CountOf: the count of the first slot holding <paramref name="value"/>.</summary>
    public static int CountOf(ReadOnlySpan<long> account, (int First, int Capacity) bag, uint value)
    {
        if (value == 0) return 0;
        for (int i = bag.First; i < bag.First + bag.Capacity; i++)
            if (account[i] == value) return (int)account[i + bag.Capacity];
        return 0;
    }

    /// <summary>
    /// The record's pending slots, words 17–20 (observe.lua's eHi, eLo, pDay, pDays): two slots under the marker bit, or
    /// one 64-bit key written before there were two, read as slot A as the script reads it.
    /// </summary>
    public static PendingSlots PendingOf(ReadOnlySpan<long> account)
    {
        long eHi = account[17], eLo = account[18], pDay = account[19], pDays = account[20];
        if (pDays >= 2147483648)
        {
            return new PendingSlots
            {
                EnvironmentA = (uint)eHi, EnvironmentB = (uint)eLo, LastDayA = (ushort)(pDay % 65536), LastDayB = (ushort)(pDay / 65536),
                DaysA = (byte)(pDays % 256), DaysB = (byte)(pDays / 256 % 256),
            };
        }
        if (eHi == 0 && eLo == 0) return default;
        return new PendingSlots { EnvironmentA = eLo == 0 ? 1u : (uint)eLo, LastDayA = (ushort)Math.Min(pDay, 65535), DaysA = (byte)(pDays % 256) };
    }

    /// <summary>AccountRecord.IsTrusted.</summary>
    public static bool IsTrusted(ReadOnlySpan<long> account, uint device)
    {
        if (device == 0) return false;
        int count = (int)Math.Min(8, account[TrustedCount]);
        for (int i = TrustedFirst; i < TrustedFirst + count; i++)
            if (account[i] == device) return true;
        return false;
    }
}
