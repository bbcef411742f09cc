using Mamori.Cli.Replay.Readers;

namespace Mamori.Cli.Tests.Readers;

public sealed class Rfc3339Tests
{
    [Theory]
    [InlineData("2020-09-14T23:56:45.792Z", "2020-09-14T23:56:45.7920000+00:00")]
    [InlineData("2020-09-14t23:56:45z", "2020-09-14T23:56:45.0000000+00:00")]
    [InlineData("2020-09-15T08:56:45+09:00", "2020-09-14T23:56:45.0000000+00:00")]
    [InlineData("2020-09-14T18:26:45.5-05:30", "2020-09-14T23:56:45.5000000+00:00")]
    [InlineData("2020-09-14 23:56:45.123456789Z", "2020-09-14T23:56:45.1234567+00:00")]
    [InlineData("2016-12-31T23:59:60Z", "2016-12-31T23:59:59.9999999+00:00")]
    public void ValidTimestamps_ConvertToUtc(string text, string expectedRoundTrip)
    {
        Assert.True(Rfc3339.TryParse(text, localZone: null, out DateTimeOffset value));
        Assert.Equal(expectedRoundTrip, value.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Theory]
    [InlineData("2020-09-14T23:56:45")]          // no offset
    [InlineData("2020-09-14")]
    [InlineData("2020-13-14T23:56:45Z")]
    [InlineData("2021-02-29T23:56:45Z")]
    [InlineData("2020-09-14T24:00:00Z")]
    [InlineData("2020-09-14T23:56:45.Z")]
    [InlineData("2020-09-14T23:56:45+0900")]
    [InlineData("2020-09-14T23:56:45Z ")]
    [InlineData("9/14/2020 11:56:45 PM")]
    [InlineData("")]
    public void InvalidTimestamps_AreRejected(string text) =>
        Assert.False(Rfc3339.TryParse(text, localZone: null, out _));

    [Theory]
    [InlineData("2024-07-01 09:00:00", "+09:00", "2024-07-01T00:00:00.0000000+00:00")]
    [InlineData("2024-01-15 09:00:00", "America/New_York", "2024-01-15T14:00:00.0000000+00:00")]   // standard time, -5
    [InlineData("2024-07-15 09:00:00", "America/New_York", "2024-07-15T13:00:00.0000000+00:00")]   // summer time, -4
    [InlineData("2024-07-15T09:00:00+02:00", "America/New_York", "2024-07-15T07:00:00.0000000+00:00")]   // its own offset wins
    public void NoOffset_IsTheGivenZonesLocalTime(string text, string zone, string expectedRoundTrip)
    {
        Assert.True(Mamori.Cli.Commands.ReplayCommand.TryParseZone(zone, out TimeZoneInfo? info, out string? error), error);
        Assert.True(Rfc3339.TryParse(text, info, out DateTimeOffset value));
        Assert.Equal(expectedRoundTrip, value.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("UTC", 0)]
    [InlineData("z", 0)]
    [InlineData("+09:00", 540)]
    [InlineData("+9", 540)]
    [InlineData("-0530", -330)]
    [InlineData("Asia/Tokyo", 540)]
    public void Zones_AreUtcOffsetsOrTzNames(string text, int minutes)
    {
        Assert.True(Mamori.Cli.Commands.ReplayCommand.TryParseZone(text, out TimeZoneInfo? zone, out _));
        Assert.Equal(TimeSpan.FromMinutes(minutes), zone!.GetUtcOffset(new DateTime(2024, 1, 15, 12, 0, 0, DateTimeKind.Unspecified)));
    }

    [Theory]
    [InlineData("+25:00", "offset")]
    [InlineData("+09:0x", "offset")]
    [InlineData("Mars/Olympus_Mons", "no time zone named")]
    public void BadZones_AreRefusedWithAReason(string text, string reason)
    {
        Assert.False(Mamori.Cli.Commands.ReplayCommand.TryParseZone(text, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoOffset_IsUtcOnlyWhenAssumed()
    {
        Assert.True(Rfc3339.TryParse("2020-02-03 12:43:30.772", TimeZoneInfo.Utc, out DateTimeOffset value));
        Assert.Equal(new DateTimeOffset(2020, 2, 3, 12, 43, 30, 772, TimeSpan.Zero), value);
    }
}
