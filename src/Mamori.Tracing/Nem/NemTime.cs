namespace Mamori.Tracing.Nem;

/// <summary>NEM NIS1 timestamps: seconds since the nemesis block, 2015-03-29T00:06:25Z.</summary>
internal static class NemTime
{
    /// <summary>The NEM epoch in Unix seconds.</summary>
    public static readonly long EpochUnixSeconds = new DateTimeOffset(2015, 3, 29, 0, 6, 25, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <summary>Unix seconds of a NEM timestamp.</summary>
    public static long ToUnixSeconds(long nemSeconds) => checked(EpochUnixSeconds + nemSeconds);

    /// <summary>NEM timestamp of Unix seconds.</summary>
    public static long FromUnixSeconds(long unixSeconds) => checked(unixSeconds - EpochUnixSeconds);
}
