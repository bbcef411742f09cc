using System.Net;
using Mamori.Cli.Replay.Readers;
using Mamori.Events;
using Mamori.Simulation;
using static Mamori.Cli.Tests.Readers.ReaderTestHelpers;

namespace Mamori.Cli.Tests.Readers;

public sealed class CsvLoginEventReaderTests
{
    [Fact]
    public void HeaderWithJsonlNames_MapsByName_AndQuotedFieldsKeepCommas()
    {
        string csv = "ts,account,ip,outcome,user_agent,asn,country,label,scenario,takeover,extra\n" +
                     "2020-09-14T23:56:45.792Z,1234567,203.0.113.7,success,\"Mozilla/5.0 (X11, Linux)\",AS4713,JP,legit,normal,false,zzz\n";
        ReadResult r = Assert.Single(ReadAll(csv, LoginLogFormat.Csv));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal(2, r.Line);
        Assert.Equal("Mozilla/5.0 (X11, Linux)", r.Event.Attempt.UserAgent);
        Assert.Equal(4713, r.Event.Attempt.Asn);
        Assert.Equal(new GroundTruth(TruthLabel.Legit, "normal", false), r.Truth);
    }

    [Fact]
    public void HeaderInAnotherCase_IsReadByName_UnlessTwoColumnsDifferOnlyInCase()
    {
        string csv = "TS,Account,IP,Outcome,User_Agent\n2020-09-14T23:56:45Z,alice,203.0.113.7,Success,Mozilla/5.0\n";
        ReadResult r = Assert.Single(ReadAll(csv, LoginLogFormat.Csv));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal("alice", r.Event.Attempt.Account);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), r.Event.Attempt.Ip);
        Assert.Equal("Mozilla/5.0", r.Event.Attempt.UserAgent);

        string twoIps = "ts,account,IP,Ip,outcome\n2020-09-14T23:56:45Z,alice,203.0.113.7,10.0.0.1,success\n";
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(twoIps, LoginLogFormat.Csv));
        Assert.Contains("'ip'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnixTimeColumn_IsReadAsUtc()
    {
        string csv = "time,user,address,result\n1600127805792,alice,203.0.113.7,success\n";
        ReadResult r = Assert.Single(ReadAll(csv, LoginLogFormat.Csv, CsvColumnMap.Parse("ts=time,account=user,ip=address,outcome=result")));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal(new DateTimeOffset(2020, 9, 14, 23, 56, 45, 792, TimeSpan.Zero), r.Event.Attempt.Timestamp);
    }

    [Fact]
    public void Map_RenamesColumns()
    {
        string csv = "Time;User;ClientIP;Result\n2020-09-15T08:00:00+09:00;alice;2001:db8::5;wrong_secret\n";
        CsvColumnMap map = CsvColumnMap.Parse("ts=Time, account=User, ip=ClientIP, outcome=Result");
        ReadResult r = Assert.Single(ReadAll(csv, LoginLogFormat.Csv, map));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal(new DateTimeOffset(2020, 9, 14, 23, 0, 0, TimeSpan.Zero), r.Event.Attempt.Timestamp);
        Assert.Equal("alice", r.Event.Attempt.Account);
        Assert.Equal(IPAddress.Parse("2001:db8::5"), r.Event.Attempt.Ip);
        Assert.Equal(LoginOutcome.WrongSecret, r.Event.Outcome);
    }

    [Fact]
    public void MissingRequiredColumn_FailsAtOpen_NamingItAndTheFix()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ReadAll("ts,account,outcome\n", LoginLogFormat.Csv));
        Assert.Contains("'ip'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--map", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ReadAll("", LoginLogFormat.Csv));
    }

    [Theory]
    [InlineData("ts", "is not field=Column")]
    [InlineData("when=Time", "unknown field 'when'")]
    [InlineData("ts=A,ts=B", "maps 'ts' twice")]
    [InlineData("account=ip", "account and ip both reading 'ip'")]
    [InlineData("ts=when,outcome=when", "both reading 'when'")]
    [InlineData("outcome=error|type,ts=error", "both reading 'error'")]   // an alternative counts as the column it names
    [InlineData("outcome=a|b|c|d|e", "at most 4")]
    [InlineData("outcome=error||type", "empty name between its '|'")]
    public void BadMap_IsRejectedWithAClearMessage(string map, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => CsvColumnMap.Parse(map));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapWithAlternatives_ReadsTheFirstNonEmptyColumn()
    {
        // A Keycloak event export as CSV: the error says why a login failed; a success has none, and its type says LOGIN.
        string csv = "time,username,ipAddress,type,error\n" +
                     "2020-09-14T23:56:45Z,a,1.2.3.4,LOGIN,\n" +
                     "2020-09-14T23:56:46Z,b,1.2.3.5,LOGIN_ERROR,user_not_found\n" +
                     "2020-09-14T23:56:47Z,c,1.2.3.6,LOGIN_ERROR,invalid_user_credentials\n" +
                     "2020-09-14T23:56:48Z,d,1.2.3.7,,\n";
        List<ReadResult> results = ReadAll(csv, LoginLogFormat.Csv, CsvColumnMap.Parse("ts=time,account=username,ip=ipAddress,outcome=error|type"));

        Assert.Equal([LoginOutcome.Success, LoginOutcome.UnknownAccount, LoginOutcome.WrongSecret], results.Take(3).Select(r => r.Event.Outcome));
        Assert.Equal("missing required field(s): outcome", results[3].Error);
    }

    [Fact]
    public void MappedSuccessColumn_OfTrueAndFalse_IsTheOutcome()
    {
        // An export whose column says whether the login succeeded, mapped with --map outcome=LoginSucceeded.
        string csv = "Time,User,ClientIP,LoginSucceeded\n" +
                     "2020-09-14T23:56:45Z,a,1.2.3.4,True\n" +
                     "2020-09-14T23:56:46Z,b,1.2.3.5,False\n";
        List<ReadResult> results = ReadAll(csv, LoginLogFormat.Csv, CsvColumnMap.Parse("ts=Time,account=User,ip=ClientIP,outcome=LoginSucceeded"));
        Assert.All(results, r => Assert.True(r.IsValid, r.Error));
        Assert.Equal([LoginOutcome.Success, LoginOutcome.WrongSecret], results.Select(r => r.Event.Outcome));
    }

    [Fact]
    public void BadRows_AreReportedWithLineNumbers_AndGoodRowsStillFlow()
    {
        string csv = "ts,account,ip,outcome,secret_fp\n" +
                     "2020-09-14T23:56:45Z,a,1.2.3.4,success,0123456789abcdef\n" +   // 2 good
                     "2020-09-14T23:56:45Z,a,999.2.3.4,success,\n" +                // 3 bad ip
                     "2020-09-14T23:56:45Z,a\n" +                                    // 4 short row
                     "2020-09-14T23:56:45Z,a,1.2.3.4,perhaps,\n" +                  // 5 bad outcome
                     "2020-09-14T23:56:45Z,a,1.2.3.4,success,0123\n" +              // 6 bad fp
                     "2020-09-14T23:56:45Z,,1.2.3.4,success,\n" +                   // 7 empty account
                     "2020-09-14T23:56:46Z,b,1.2.3.5,wrong_secret,\n";              // 8 good
        List<ReadResult> results = ReadAll(csv, LoginLogFormat.Csv);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], results.Select(r => r.Line));
        Assert.Equal([2, 8], results.Where(r => r.IsValid).Select(r => r.Line));
        Assert.Contains("ip", results[1].Error, StringComparison.Ordinal);
        Assert.Contains("columns", results[2].Error, StringComparison.Ordinal);
        Assert.Contains("outcome", results[3].Error, StringComparison.Ordinal);
        Assert.Contains("secret_fp", results[4].Error, StringComparison.Ordinal);
        Assert.Contains("account", results[5].Error, StringComparison.Ordinal);
        Assert.Null(results[6].Event.Attempt.Secret);   // an empty optional cell is absent
    }
}
