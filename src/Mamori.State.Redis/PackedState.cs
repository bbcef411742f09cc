namespace Mamori.State.Redis;

/// <summary>The scripts' state format: decimal integers separated by single spaces (cheap to split in Lua,
/// readable with redis-cli GET). Written by hand: no library parses this without allocating per field.</summary>
internal static class PackedState
{
    /// <summary>Fills <paramref name="into"/> from <paramref name="text"/>; missing fields stay zero.</summary>
    /// <exception cref="FormatException">A field is not an integer, or there are more fields than expected.</exception>
    public static void Parse(string? text, Span<long> into)
    {
        into.Clear();
        if (string.IsNullOrEmpty(text)) return;
        int field = 0;
        long value = 0;
        bool negative = false, inNumber = false;
        foreach (char c in text)
        {
            if (c == ' ')
            {
                if (inNumber) Store(into, ref field, negative ? -value : value);
                value = 0; negative = false; inNumber = false;
            }
            else if (c is >= '0' and <= '9') { value = checked(value * 10 + (c - '0')); inNumber = true; }
            else if (c == '-' && !inNumber) negative = true;
            else throw new FormatException($"Unexpected '{c}' in stored signal state.");
        }
        if (inNumber) Store(into, ref field, negative ? -value : value);
    }

    private static void Store(Span<long> into, ref int field, long value)
    {
        if (field >= into.Length) throw new FormatException($"Stored signal state has more than {into.Length} fields.");
        into[field++] = value;
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
