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
        Assert.True(Rfc3339.TryParse(text, assumeUtc: false, out DateTimeOffset value));
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
        Assert.False(Rfc3339.TryParse(text, assumeUtc: false, out _));

    [Fact]
    public void NoOffset_IsUtcOnlyWhenAssumed()
    {
        Assert.True(Rfc3339.TryParse("2020-02-03 12:43:30.772", assumeUtc: true, out DateTimeOffset value));
        Assert.Equal(new DateTimeOffset(2020, 2, 3, 12, 43, 30, 772, TimeSpan.Zero), value);
    }
}
