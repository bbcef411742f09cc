using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mamori.Cli.Tests.Commands;

/// <summary><c>mamori trace</c> and <c>trace-sample</c>: an empty answer says why, and output mistakes are found before the work.</summary>
public sealed class TraceCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mamori-trace-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly InvocationConfiguration s_noExceptionHandler = new() { EnableDefaultExceptionHandler = false };

    private static string Address(string label) => "0x" + Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(label)));

    /// <summary>A thief sends to a mule, the mule to an exchange deposit address: three xem transfers.</summary>
    private string WriteTransfers()
    {
        string path = Path.Combine(_dir, "transfers.csv");
        File.WriteAllLines(path,
        [
            "time,from,to,amount,asset,tx_id",
            $"1516900000,{Address("X")},{Address("S")},100,xem,t0",
            $"1516900100,{Address("S")},{Address("A")},60,xem,t1",
            $"1516900200,{Address("A")},{Address("E")},50,xem,t2",
        ]);
        return path;
    }

    private static string[] Warnings(string report)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(report));
        return [.. doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)];
    }

    [Fact]
    public void WithoutExchanges_TheReportWarnsThatNoCustomerCanBeFound()
    {
        string report = Path.Combine(_dir, "r.json");

        int exit = Program.CreateRootCommand().Parse(["trace", "--transfers", WriteTransfers(), "--source", Address("S"), "--report", report]).Invoke(s_noExceptionHandler);

        Assert.Equal(0, exit);
        Assert.Contains(Warnings(report), w => w.StartsWith("No exchange deposit addresses were given (--exchanges)", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAssetTheDataDoesNotHold_ExitsTwoAndTheReportSaysNothingWasTraced()
    {
        string report = Path.Combine(_dir, "r.json");
        string exchanges = Path.Combine(_dir, "exchanges.csv");
        File.WriteAllLines(exchanges, ["exchange,address", $"Exchange E,{Address("E")}"]);

        int exit = Program.CreateRootCommand().Parse(["trace", "--transfers", WriteTransfers(), "--source", Address("S"),
            "--exchanges", exchanges, "--asset", "eth", "--report", report]).Invoke(s_noExceptionHandler);

        Assert.Equal(2, exit);
        Assert.Equal(["No transfer of eth was read (3 transfers read, 3 of other assets): nothing was traced; check --asset and the input files."], Warnings(report));
    }

    [Theory]
    [InlineData("--report")]
    [InlineData("--html")]
    [InlineData("--stix")]
    public void AnOutputInAFolderThatDoesNotExist_ExitsOneBeforeTracing(string option)
    {
        string report = Path.Combine(_dir, "r.json");
        string[] args = ["trace", "--transfers", WriteTransfers(), "--source", Address("S"), "--report", report];
        if (option == "--report") args[^1] = Path.Combine(_dir, "nodir", "r.json");
        else args = [.. args, option, Path.Combine(_dir, "nodir", "out")];

        int exit = Program.CreateRootCommand().Parse(args).Invoke(s_noExceptionHandler);

        Assert.Equal(1, exit);
        Assert.False(File.Exists(report));
    }

    [Fact]
    public void AJsonFileGivenAsTheExchangesCsv_ExitsOneWithoutThrowing()
    {
        string json = Path.Combine(_dir, "thieves.json");
        // A NIS1 export: split at commas, its first line repeats names such as "innerHash":{}}, which the CSV reader refuses.
        string entry = "{\"meta\":{\"id\":1,\"hash\":{\"data\":\"96\"},\"innerHash\":{}},\"transaction\":{\"timeStamp\":1,\"amount\":2,\"message\":{},\"type\":257}}";
        File.WriteAllText(json, "{\"data\":[" + entry + "," + entry + "]}\n");

        int exit = Program.CreateRootCommand().Parse(["trace", "--transfers", WriteTransfers(), "--source", Address("S"),
            "--exchanges", json, "--report", Path.Combine(_dir, "r.json")]).Invoke(s_noExceptionHandler);

        Assert.Equal(1, exit);
    }

    [Fact]
    public void TraceSampleScale_WritesTheExchangesFileItsHelpNames_AndRefusesAMissingFolder()
    {
        Command scale = TraceSampleCommand().Subcommands.Single(c => c.Name == "scale");
        Assert.Contains("/tmp/t.csv → /tmp/t.exchanges.csv", scale.Options.Single(o => o.Name == "--exchanges-out").Description, StringComparison.Ordinal);

        string csv = Path.Combine(_dir, "t.csv");
        Assert.Equal(0, Program.CreateRootCommand().Parse(["trace-sample", "scale", "--out", csv, "--transfers", "10", "--accounts", "1000"]).Invoke(s_noExceptionHandler));
        Assert.True(File.Exists(Path.Combine(_dir, "t.exchanges.csv")));

        string missing = Path.Combine(_dir, "nodir", "x.csv");
        Assert.Equal(1, Program.CreateRootCommand().Parse(["trace-sample", "scale", "--out", missing, "--transfers", "10", "--accounts", "1000"]).Invoke(s_noExceptionHandler));
    }

    private static Command TraceSampleCommand() => Program.CreateRootCommand().Subcommands.Single(c => c.Name == "trace-sample");
}
