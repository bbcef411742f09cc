using System.Net;
using Mamori.Cli.Replay.Readers;
using Mamori.Events;
using Mamori.Simulation;
using static Mamori.Cli.Tests.Readers.ReaderTestHelpers;

namespace Mamori.Cli.Tests.Readers;

/// <summary>Hand-written rows in the layout of the RBA dataset (Wiefling et al.).</summary>
public sealed class RbaReaderTests
{
    private const string Header =
        "index,Login Timestamp,User ID,Round-Trip Time [ms],IP Address,Country,Region,City,ASN,User Agent String," +
        "Browser Name and Version,OS Name and Version,Device Type,Login Successful,Is Attack IP,Is Account Takeover\n";

    [Fact]
    public void Rows_MapToEventsWithLabelsApart()
    {
        string csv = Header +
            "0,2020-02-03 12:43:30.772,-4324475583306591935,,10.0.65.171,NO,-,-,29695,\"Mozilla/5.0  (iPhone; CPU iPhone OS 13_4 like Mac OS X) AppleWebKit/537.36 (KHTML, like Gecko Chrome/70.0.3538.188.257 Mobile Safari/537.36\",Chrome Mobile 70.0.3538,iOS 13.4,mobile,False,False,False\n" +
            "1,2020-02-03 12:43:43.549,-4324475583306591935,463,194.87.207.6,AU,-,-,60117,Mozilla/5.0 (Linux; Android 4.1),Android 2.3.3.2672,Android 4.1,mobile,True,True,False\n" +
            "2,2020-02-03 12:44:00.000,7654321,,5.6.7.8,US,Virginia,Ashburn,14618,curl/7.0,Other,Other,bot,True,False,True\n";
        List<ReadResult> results = ReadAll(csv, LoginLogFormat.Rba);
        Assert.All(results, r => Assert.True(r.IsValid, r.Error));
        Assert.Equal([2, 3, 4], results.Select(r => r.Line));

        LoginAttempt first = results[0].Event.Attempt;
        Assert.Equal(new DateTimeOffset(2020, 2, 3, 12, 43, 30, 772, TimeSpan.Zero), first.Timestamp);   // no offset: UTC
        Assert.Equal("-4324475583306591935", first.Account);
        Assert.Equal(IPAddress.Parse("10.0.65.171"), first.Ip);
        Assert.Equal("NO", first.Country);
        Assert.Equal(29695, first.Asn);
        Assert.StartsWith("Mozilla/5.0  (iPhone; CPU iPhone OS 13_4", first.UserAgent, StringComparison.Ordinal);
        Assert.Null(first.Secret);
        Assert.Null(first.Device);
        Assert.Equal(LoginOutcome.WrongSecret, results[0].Event.Outcome);
        Assert.Equal(new GroundTruth(TruthLabel.Legit, "rba", false), results[0].Truth);

        Assert.Equal(LoginOutcome.Success, results[1].Event.Outcome);
        Assert.Equal(new GroundTruth(TruthLabel.Attack, "rba", false), results[1].Truth);

        // A takeover is an attacker's login even when its IP is not flagged.
        Assert.Equal(new GroundTruth(TruthLabel.Attack, "rba", true), results[2].Truth);
    }

    [Fact]
    public void BadRows_AreReportedAndTheRestFlow()
    {
        string csv = Header +
            "0,2020-02-03 12:43:30.772,1,,10.0.65.171,NO,-,-,29695,ua,b,o,mobile,Maybe,False,False\n" +
            "1,yesterday,1,,10.0.65.171,NO,-,-,29695,ua,b,o,mobile,True,False,False\n" +
            "2,2020-02-03 12:43:31.000,1,,10.0.65.171,-,-,-,-,ua,b,o,mobile,True,False,False\n";
        List<ReadResult> results = ReadAll(csv, LoginLogFormat.Rba);
        Assert.Contains("Login Successful", results[0].Error, StringComparison.Ordinal);
        Assert.Contains("ts", results[1].Error, StringComparison.Ordinal);
        Assert.True(results[2].IsValid, results[2].Error);
        Assert.Null(results[2].Event.Attempt.Country);   // "-" is unknown, not an error
    }

    [Fact]
    public void TheRbaLayoutReadAsAPlainCsv_FailsAtOpen_NamingTheFormatToUse()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ReadAll(Header, LoginLogFormat.Csv));
        Assert.Contains("--format rba", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--map", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotTheRbaLayout_FailsAtOpen()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ReadAll("ts,account,ip,outcome\n", LoginLogFormat.Rba));
        Assert.Contains("RBA", ex.Message, StringComparison.Ordinal);
    }
}
