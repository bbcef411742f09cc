namespace Mamori.Cli.Replay.Readers;

/// <summary>Strict, allocation-free RFC 3339 timestamp parser: <c>YYYY-MM-DD(T|t| )hh:mm:ss[.fraction](Z|z|±hh:mm)</c>.</summary>
/// <remarks>
/// Written by hand because the BCL parsers are either lenient (DateTimeOffset.TryParse accepts "9/14/2020" and
/// silently uses the machine's zone when no offset is given) or need one exact format each; replay must reject
/// a timestamp without an offset rather than guess, and parse half a million a second.
/// </remarks>
internal static class Rfc3339
{
    /// <summary>Parses a timestamp and converts it to UTC.</summary>
    /// <param name="text">The timestamp.</param>
    /// <param name="localZone">The zone of a timestamp with no offset (the RBA dataset's times are UTC; an operator's
    /// export may be in local time, given with <c>replay --timezone</c>); null rejects such a timestamp.</param>
    /// <param name="value">The instant, offset zero.</param>
    public static bool TryParse(ReadOnlySpan<char> text, TimeZoneInfo? localZone, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 19 || text[4] != '-' || text[7] != '-' || text[10] is not ('T' or 't' or ' ') || text[13] != ':' || text[16] != ':')
            return false;
        if (!Digits(text, 0, 4, out int year) || !Digits(text, 5, 2, out int month) || !Digits(text, 8, 2, out int day) ||
            !Digits(text, 11, 2, out int hour) || !Digits(text, 14, 2, out int minute) || !Digits(text, 17, 2, out int second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
            return false;

        int i = 19;
        long fractionTicks = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            int start = i;
            long scale = TimeSpan.TicksPerSecond;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                scale /= 10;   // digits beyond 100 ns are read and dropped
                fractionTicks += (text[i] - '0') * scale;
                i++;
            }
            if (i == start) return false;
        }

        TimeSpan offset;
        bool local = false;
        if (i == text.Length)
        {
            if (localZone is null) return false;
            local = true;
            offset = TimeSpan.Zero;
        }
        else if (text[i] is 'Z' or 'z' && i + 1 == text.Length)
        {
            offset = TimeSpan.Zero;
        }
        else if (text[i] is '+' or '-' && i + 6 == text.Length && text[i + 3] == ':' &&
                 Digits(text, i + 1, 2, out int offsetHours) && Digits(text, i + 4, 2, out int offsetMinutes) &&
                 offsetHours <= 23 && offsetMinutes <= 59)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (text[i] == '-') offset = -offset;
        }
        else
        {
            return false;
        }

        // A leap second (:60) is read as the last instant of :59, as most systems log it.
        long ticks = new DateTime(year, month, day, hour, minute, Math.Min(second, 59)).Ticks + fractionTicks
            + (second == 60 ? TimeSpan.TicksPerSecond - 1 - fractionTicks : 0);
        // A local time's offset is the zone's at that time (summer time included); an hour skipped or repeated by a
        // change of offset is read with the zone's standard offset, as TimeZoneInfo does.
        if (local) offset = localZone == TimeZoneInfo.Utc ? TimeSpan.Zero : localZone!.GetUtcOffset(new DateTime(ticks, DateTimeKind.Unspecified));
        long utc = ticks - offset.Ticks;
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks) return false;
        value = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            char c = text[i];
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
