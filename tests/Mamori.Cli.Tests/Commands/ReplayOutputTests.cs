using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Mamori.Cli.Tests.Commands;

/// <summary>
/// <c>mamori replay</c>'s outputs: a file under its final name is always a whole run's; a path that cannot be written,
/// or that names the log, is refused before the log is read; what went wrong is one sentence, with its exit code.
/// </summary>
[Collection(CommandConsoleCollection.Name)]
public sealed class ReplayOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mamori-replay-output-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string Log = string.Concat(Enumerable.Range(0, 300).Select(i => string.Create(CultureInfo.InvariantCulture,
        $"{{\"ts\":\"2024-05-01T09:{i / 60:D2}:{i % 60:D2}Z\",\"account\":\"user{i % 40}\",\"ip\":\"203.0.113.{i % 7 + 1}\",\"outcome\":\"{(i % 3 == 0 ? "success" : "wrong_secret")}\",\"secret_fp\":\"{i % 11 + 1:x16}\"}}\n")));

    private string PathOf(string name) => Path.Combine(_dir, name);

    private string Write(string name, string text)
    {
        File.WriteAllText(PathOf(name), text);
        return PathOf(name);
    }

    private string[] LeftInTheDirectory() => [.. Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public async Task ALogWithMoreAccountsThanTheBound_SaysSo_WithTheSettingThatHoldsThemAll()
    {
        // 1,500 accounts against a bound of 1,000: 500 times an account's history is forgotten.
        string log = Write("many.jsonl", string.Concat(Enumerable.Range(0, 1_500).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{{\"ts\":\"2024-05-01T09:{i / 60 % 60:D2}:{i % 60:D2}Z\",\"account\":\"user{i}\",\"ip\":\"203.0.113.7\",\"outcome\":\"success\"}}\n"))));
        string config = Write("bounds.json", "{ \"Mamori\": { \"Signals\": { \"MaxAccounts\": 1000 } } }");

        (int exit, string error) = await CommandConsole.RunAsync(["replay", log, "--config", config, "--report", PathOf("r.json")]);

        Assert.Equal(0, exit);
        Assert.Contains("warning: the log has more accounts in use than replay holds at once (Mamori:Signals:MaxAccounts = 1,000): " +
            "the history of one was forgotten 500 times", error);
        Assert.Contains("Mamori__Signals__MaxAccounts=1500 ", error);   // 1,000 held + 500 forgotten
        Assert.DoesNotContain("more sources", error);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(PathOf("r.json")));
        JsonElement accounts = report.RootElement.GetProperty("store_tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "accounts");
        Assert.Equal(("Mamori:Signals:MaxAccounts", 1_000, 1_000, 500, 500),
            (accounts.GetProperty("setting").GetString(), accounts.GetProperty("held").GetInt32(), accounts.GetProperty("bound").GetInt32(),
             accounts.GetProperty("evicted").GetInt32(), accounts.GetProperty("evicted_in_use").GetInt32()));

        // Within the replay's own bound (no setting), nothing is forgotten and nothing said.
        (exit, error) = await CommandConsole.RunAsync(["replay", log, "--report", PathOf("r2.json")]);
        Assert.Equal(0, exit);
        Assert.DoesNotContain("warning", error);
    }

    [Theory]
    [InlineData("--decisions")]
    [InlineData("--report")]
    [InlineData("--html")]
    public async Task AnOutputNamingTheLog_IsRefused_AndTheLogIsKept(string option)
    {
        string log = Write("same.jsonl", Log);

        (int exit, string error) = await CommandConsole.RunAsync(["replay", log, option, log]);

        Assert.Equal(2, exit);
        Assert.Equal($"mamori replay: {option} {log} is the log being read: writing it would destroy the log; give another file name", error.TrimEnd());
        Assert.Equal(Log, File.ReadAllText(log));
        Assert.Equal(["same.jsonl"], LeftInTheDirectory());
    }

    [Fact]
    public async Task AnOutputNamingAGzipLog_OrTheLogThroughALinkOrAnotherSpelling_IsRefused()
    {
        string gzipped = PathOf("logins.jsonl.gz");
        using (var gz = new GZipStream(File.Create(gzipped), CompressionLevel.Fastest)) gz.Write(Encoding.UTF8.GetBytes(Log));
        byte[] bytes = File.ReadAllBytes(gzipped);
        Directory.CreateDirectory(PathOf("sub"));
        File.CreateSymbolicLink(PathOf("link.jsonl.gz"), gzipped);

        foreach (string output in new[] { gzipped, PathOf("link.jsonl.gz"), Path.Combine(_dir, "sub", "..", "logins.jsonl.gz") })
        {
            (int exit, string error) = await CommandConsole.RunAsync(["replay", gzipped, "--report", output]);
            Assert.Equal(2, exit);
            Assert.Contains("is the log being read", error, StringComparison.Ordinal);
        }
        Assert.Equal(bytes, File.ReadAllBytes(gzipped));
    }

    [Fact]
    public async Task TwoOutputsNamingOneFile_AreRefused()
    {
        string log = Write("logins.jsonl", Log);
        string both = PathOf("out.json");

        (int exit, string error) = await CommandConsole.RunAsync(["replay", log, "--report", both, "--html", both]);

        Assert.Equal(2, exit);
        Assert.Equal($"mamori replay: --report and --html both name {both}: each output needs a file of its own", error.TrimEnd());
        Assert.Equal(["logins.jsonl"], LeftInTheDirectory());
    }

    [Theory]
    [InlineData("--decisions")]
    [InlineData("--report")]
    [InlineData("--html")]
    public async Task AnOutputThatIsADirectory_IsRefusedBeforeTheReplay_WithoutAStackTrace(string option)
    {
        string log = Write("logins.jsonl", Log);
        string directory = Directory.CreateDirectory(PathOf("adir")).FullName;

        (int exit, string error) = await CommandConsole.RunAsync(["replay", log, option, directory]);

        Assert.Equal(2, exit);
        Assert.Equal($"mamori replay: {option} {directory} is a directory: give a file name", error.TrimEnd());
        Assert.Empty(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public async Task AnOutputInAMissingDirectory_OrWhereNoFileCanBeCreated_IsRefusedBeforeTheReplay()
    {
        string log = Write("logins.jsonl", Log);
        string missing = Path.Combine(_dir, "no-such-dir", "d.csv");

        (int exit, string error) = await CommandConsole.RunAsync(["replay", log, "--decisions", missing]);

        Assert.Equal(2, exit);
        Assert.Equal($"mamori replay: --decisions {missing}: the directory {Path.Combine(_dir, "no-such-dir")} does not exist", error.TrimEnd());

        if (File.Exists("/proc/version"))   // a file that exists in a directory where none can be created (Linux)
        {
            (int procExit, string procError) = await CommandConsole.RunAsync(["replay", log, "--decisions", "/proc/version"]);
            Assert.Equal(2, procExit);
            Assert.StartsWith("mamori replay: --decisions /proc/version cannot be written: ", procError, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", procError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnInterruptedReplay_WritesNothing_AndKeepsTheEarlierRunsFiles()
    {
        string log = Write("logins.jsonl", Log);
        string decisions = Write("d.csv", "an earlier run's decisions\n");
        string report = Write("r.json", "{}");
        string html = PathOf("r.html");

        (int exit, string error) = await CommandConsole.RunAsync(["replay", log, "--decisions", decisions, "--report", report, "--html", html], CommandConsole.Interrupted);

        Assert.Equal(130, exit);
        Assert.Equal("mamori replay: interrupted at event 0: nothing written", error.TrimEnd());
        Assert.Equal("an earlier run's decisions\n", File.ReadAllText(decisions));
        Assert.Equal("{}", File.ReadAllText(report));
        Assert.Equal(["d.csv", "logins.jsonl", "r.json"], LeftInTheDirectory());   // no temporary file left behind either
    }

    [Fact]
    public async Task ACompleteReplay_ReplacesTheEarlierRunsFiles_AndLeavesNoTemporaryFile()
    {
        string log = Write("logins.jsonl", Log);
        string decisions = Write("d.csv", "an earlier run's decisions\n");

        (int exit, _) = await CommandConsole.RunAsync(["replay", log, "--decisions", decisions, "--report", PathOf("r.json")]);

        Assert.Equal(0, exit);
        Assert.Equal(301, File.ReadAllLines(decisions).Length);
        Assert.Equal(300, JsonDocument.Parse(File.ReadAllText(PathOf("r.json"))).RootElement.GetProperty("events").GetInt64());
        Assert.Equal(["d.csv", "logins.jsonl", "r.json"], LeftInTheDirectory());
    }

    [Fact]
    public async Task StrictStoppingAtABadRow_WritesNothing_AndSaysWhereAndWhy()
    {
        string[] lines = Log.Split('\n');
        lines[4] = """{"ts":"2024-05-01T09:00:04Z","account":"user4","ip":"not-an-address","outcome":"success"}""";
        string log = Write("logins.jsonl", string.Join('\n', lines));

        (int exit, string error) = await CommandConsole.RunAsync(
            ["replay", log, "--strict", "--decisions", PathOf("d.csv"), "--report", PathOf("r.json"), "--html", PathOf("r.html")]);

        Assert.Equal(2, exit);
        Assert.Equal("mamori replay: stopped at line 5 (--strict): ip is not an IPv4 or IPv6 address: 'not-an-address'; nothing written", error.TrimEnd());
        Assert.Equal(["logins.jsonl"], LeftInTheDirectory());
    }

    [Theory]
    [InlineData("empty.jsonl", "")]
    [InlineData("header.csv", "ts,account,ip,outcome\n")]
    public async Task ALogWithNoEvents_ExitsTwo_SayingSo(string name, string text)
    {
        string log = Write(name, text);

        (int exit, string error) = await CommandConsole.RunAsync(["replay", log]);

        Assert.Equal(2, exit);
        Assert.Equal($"mamori replay: no events in {log}", error.TrimEnd());
    }

    [Fact]
    public async Task AGzipCutBeforeItsFirstRow_ExitsTwo_SayingItEndsEarly()
    {
        string whole = PathOf("whole.jsonl.gz");
        using (var gz = new GZipStream(File.Create(whole), CompressionLevel.Fastest)) gz.Write(Encoding.UTF8.GetBytes(Log));
        string cut = PathOf("cut.jsonl.gz");
        File.WriteAllBytes(cut, File.ReadAllBytes(whole)[..10]);

        (int exit, string error) = await CommandConsole.RunAsync(["replay", cut]);

        Assert.Equal(2, exit);
        Assert.Equal($"mamori replay: {cut}: the gzip stream ends early (truncated?): no events in it", error.TrimEnd());
    }

    [Fact]
    public async Task AGzipCutMidLog_IsReplayedWithAWarningOfOnlyWhatIsKnown_AndTheReportSaysSo()
    {
        var bytes = new MemoryStream();
        using (var gz = new GZipStream(bytes, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(Log + Log + Log));
        string cut = PathOf("cut.jsonl.gz");
        File.WriteAllBytes(cut, bytes.ToArray()[..(int)(bytes.Length / 2)]);

        (int exit, string error) = await CommandConsole.RunAsync(["replay", cut, "--report", PathOf("r.json")]);

        Assert.Equal(0, exit);
        string warning = Assert.Single(error.Split('\n'), l => l.StartsWith("mamori replay: warning:", StringComparison.Ordinal));
        Assert.StartsWith($"mamori replay: warning: {cut}: the gzip stream ends early (truncated?): ", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("trailer records", warning, StringComparison.Ordinal);   // the last bytes of a cut file record nothing
        string incomplete = JsonDocument.Parse(File.ReadAllText(PathOf("r.json"))).RootElement.GetProperty("input_incomplete").GetString()!;
        Assert.StartsWith($"{cut}: the gzip stream ends early (truncated?)", incomplete, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullDiskUnderTheDecisions_IsReportedAsWritingThem_AndLeavesNoFile()
    {
        if (!File.Exists("/dev/full")) return;   // Linux's always-full device stands in for a full disk
        string log = Write("logins.jsonl", Log);
        string decisions = PathOf("d.csv");
        // The decisions go to their temporary file first: make that one the full device.
        File.CreateSymbolicLink(OutputFiles.TempPathOf(decisions), "/dev/full");

        (int exit, string error) = await CommandConsole.RunAsync(["replay", log, "--decisions", decisions]);

        Assert.Equal(2, exit);
        Assert.Equal($"mamori replay: writing {decisions}: No space left on device", error.TrimEnd());
        Assert.Equal(["logins.jsonl"], LeftInTheDirectory());
    }

    [Fact]
    public async Task LogValuesWithTerminalEscapes_ArePrintedVisibly_AndTheReportKeepsThemAsTheyAre()
    {
        const string evil = "\u001b[31mEVIL\u001b[0m\r\u001b[2K\u202e";
        string badRow = JsonSerializer.Serialize(new { ts = "2024-05-01T10:00:00Z", account = "x", ip = evil, outcome = "success" });
        string log = Write("logins.jsonl", Log + badRow + "\n");

        (int exit, string error) = await CommandConsole.RunAsync(["replay", log, "--report", PathOf("r.json")]);

        Assert.Equal(0, exit);
        Assert.DoesNotContain('\u001b', error);
        Assert.DoesNotContain('\r', error);
        Assert.DoesNotContain('\u202e', error);
        Assert.Contains(@"  line 301: ip is not an IPv4 or IPv6 address: '\u001B[31mEVIL\u001B[0m\u000D\u001B[2K\u202E'", error, StringComparison.Ordinal);
        string sample = JsonDocument.Parse(File.ReadAllText(PathOf("r.json"))).RootElement.GetProperty("bad_row_samples")[0].GetProperty("error").GetString()!;
        Assert.Contains(evil, sample, StringComparison.Ordinal);   // the report is JSON: escaped by its writer, read back as it was
    }

    [Fact]
    public void AProgressLine_GivesTheEventsAndTheirRate_OnceHalfASecondHasPassed()
    {
        Assert.Equal("1,048,576 events, 524,288 events/s", Mamori.Cli.Commands.ReplayCommand.ProgressLine(1_048_576, TimeSpan.FromSeconds(2)));
        Assert.Equal("2,000,000 events, 500,000 events/s", Mamori.Cli.Commands.ReplayCommand.ProgressLine(2_000_000, TimeSpan.FromSeconds(4)));
        // A start's first batch is no rate to quote: too short to mean anything.
        Assert.Equal("65,536 events", Mamori.Cli.Commands.ReplayCommand.ProgressLine(65_536, TimeSpan.FromMilliseconds(100)));
        Assert.Equal("", Mamori.Cli.Commands.ReplayCommand.EventRate(65_536, TimeSpan.FromMilliseconds(499)));
    }
}
