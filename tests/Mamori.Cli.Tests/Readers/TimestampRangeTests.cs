using Mamori.Cli.Replay.Readers;
using static Mamori.Cli.Tests.Readers.ReaderTestHelpers;

namespace Mamori.Cli.Tests.Readers;

/// <summary>Every reader holds written timestamps to the years Unix times are held to: 2000-01-01 up to 2100-01-01, UTC.</summary>
public sealed class TimestampRangeTests
{
    private const string RbaHeader =
        "index,Login Timestamp,User ID,Round-Trip Time [ms],IP Address,Country,Region,City,ASN,User Agent String," +
        "Browser Name and Version,OS Name and Version,Device Type,Login Successful,Is Attack IP,Is Account Takeover\n";

    private static ReadResult ReadOne(LoginLogFormat format, string ts) => Assert.Single(ReadAll(format switch
    {
        LoginLogFormat.Jsonl => $$"""{"ts":"{{ts}}","account":"a","ip":"192.0.2.1","outcome":"success"}""" + "\n",
        LoginLogFormat.Csv => $"ts,account,ip,outcome\n{ts},a,192.0.2.1,success\n",
        _ => RbaHeader + $"0,{ts},1,,192.0.2.1,JP,-,-,2516,ua,b,o,mobile,True,False,False\n",
    }, format));

    [Theory]
    [InlineData("jsonl", "9999-12-31T23:59:59Z")]
    [InlineData("jsonl", "0001-01-01T00:00:00Z")]
    [InlineData("jsonl", "1999-12-31T23:59:59.999Z")]
    [InlineData("jsonl", "2099-12-31T23:00:00-05:00")]   // 2100-01-01 04:00 UTC
    [InlineData("csv", "9999-12-31T23:59:59Z")]
    [InlineData("csv", "0001-01-01T00:00:00+09:00")]
    [InlineData("rba", "9999-12-31 23:59:59.000")]
    [InlineData("rba", "0001-01-01 00:00:00.000")]
    public void ATimestampOutsideTheYearsALogCanHold_IsABadRow_NamingTheRange(string format, string ts)
    {
        ReadResult row = ReadOne(Enum.Parse<LoginLogFormat>(format, ignoreCase: true), ts);
        Assert.False(row.IsValid);
        Assert.Equal($"ts is outside the years a login log can hold (from 2000-01-01 up to 2100-01-01, UTC): '{ts}'", row.Error);
    }

    [Theory]
    [InlineData("jsonl", "2000-01-01T00:00:00Z")]
    [InlineData("jsonl", "2099-12-31T23:59:59.999Z")]
    [InlineData("csv", "2000-01-01T09:00:00+09:00")]
    [InlineData("rba", "2099-12-31 23:59:59.000")]
    public void ATimestampAtTheEdgesOfTheRange_IsRead(string format, string ts)
    {
        ReadResult row = ReadOne(Enum.Parse<LoginLogFormat>(format, ignoreCase: true), ts);
        Assert.True(row.IsValid, row.Error);
    }
}
