using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Mamori.Cli.Replay.Readers;

namespace Mamori.Cli.Tests.Replay;

/// <summary>Compressed logs, as operators export them and as the RBA dataset is published: the same decisions as the plain file.</summary>
public sealed class ReplayInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mamori-replay-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string Log = string.Concat(Enumerable.Range(0, 300).Select(i => string.Create(CultureInfo.InvariantCulture,
        $"{{\"ts\":\"2024-05-01T09:{i / 60:D2}:{i % 60:D2}Z\",\"account\":\"user{i % 40}\",\"ip\":\"203.0.113.{i % 7 + 1}\",\"outcome\":\"{(i % 3 == 0 ? "success" : "wrong_secret")}\",\"secret_fp\":\"{i % 11 + 1:x16}\"}}\n")));

    private string Path_(string name) => Path.Combine(_dir, name);

    private (int Exit, string[] Decisions) Replay(string log, params string[] extra)
    {
        string decisions = Path_(Guid.NewGuid().ToString("N") + ".csv");
        int exit = Program.CreateRootCommand().Parse(["replay", log, "--decisions", decisions, .. extra]).Invoke();
        return (exit, File.Exists(decisions) ? File.ReadAllLines(decisions) : []);
    }

    private void Gzip(string path, byte[] bytes)
    {
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(bytes);
    }

    private void Zip(string path, params (string Name, string Text)[] entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach ((string name, string text) in entries)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write(text);
        }
    }

    [Fact]
    public void JsonlWithItsOwnKeys_MappedWithMap_GivesTheDecisionsOfMamorisLog()
    {
        File.WriteAllText(Path_("logins.jsonl"), Log);
        string renamed = Log.Replace("\"ts\":", "\"time\":", StringComparison.Ordinal).Replace("\"account\":", "\"user\":", StringComparison.Ordinal)
            .Replace("\"ip\":", "\"remote_addr\":", StringComparison.Ordinal);
        File.WriteAllText(Path_("export.jsonl"), renamed);

        (int exit, string[] native) = Replay(Path_("logins.jsonl"));
        (int mappedExit, string[] mapped) = Replay(Path_("export.jsonl"), "--map", "ts=time,account=user,ip=remote_addr");
        (int unmappedExit, string[] unmapped) = Replay(Path_("export.jsonl"));

        Assert.Equal(0, exit);
        Assert.Equal(0, mappedExit);
        Assert.Equal(native, mapped);
        Assert.Equal(2, unmappedExit);   // every row bad: nothing decided, and the exit code says so
        Assert.Equal(["line,decision,score,reasons"], unmapped);
    }

    [Fact]
    public void LocalTimesWithoutAnOffset_FailTheRun_UntilTimezoneNamesTheirZone()
    {
        string local = Log.Replace("Z\"", "\"", StringComparison.Ordinal).Replace("T09:", " 18:", StringComparison.Ordinal);   // 09:00Z as JST wall time
        File.WriteAllText(Path_("utc.jsonl"), Log);
        File.WriteAllText(Path_("local.jsonl"), local);

        (int unreadExit, string[] unread) = Replay(Path_("local.jsonl"));
        (int exit, string[] zoned) = Replay(Path_("local.jsonl"), "--timezone", "+09:00");
        (_, string[] utc) = Replay(Path_("utc.jsonl"));

        Assert.Equal(2, unreadExit);
        Assert.Equal(["line,decision,score,reasons"], unread);
        Assert.Equal(0, exit);
        Assert.Equal(301, zoned.Length);
        Assert.Equal(utc, zoned);   // the same instants: the same decisions
    }

    [Fact]
    public void ADirectoryForTheLog_IsRefused_WithoutWritingDecisions()
    {
        (int exit, string[] decisions) = Replay(_dir);
        Assert.Equal(2, exit);
        Assert.Empty(decisions);
    }

    [Fact]
    public void MapWithTheRbaFormat_IsRefused_WithoutWritingDecisions()
    {
        File.WriteAllText(Path_("logins.jsonl"), Log);
        (int exit, string[] decisions) = Replay(Path_("logins.jsonl"), "--format", "rba", "--map", "ts=Time");
        Assert.Equal(2, exit);
        Assert.Empty(decisions);
    }

    [Fact]
    public void GzipAndZip_GiveTheDecisionsOfThePlainLog()
    {
        File.WriteAllText(Path_("logins.jsonl"), Log);
        Gzip(Path_("logins.jsonl.gz"), Encoding.UTF8.GetBytes(Log));
        Gzip(Path_("exported.jsonl"), Encoding.UTF8.GetBytes(Log));   // gzip told by its bytes, whatever its name
        Zip(Path_("logins.zip"), ("export/logins.jsonl", Log));

        (int exit, string[] plain) = Replay(Path_("logins.jsonl"));
        Assert.Equal(0, exit);
        Assert.Equal(301, plain.Length);
        Assert.Contains(plain, line => line.Contains(",deny,", StringComparison.Ordinal) || line.Contains(",challenge,", StringComparison.Ordinal));
        foreach (string compressed in new[] { "logins.jsonl.gz", "exported.jsonl", "logins.zip" })
        {
            (int e, string[] decisions) = Replay(Path_(compressed));
            Assert.Equal(0, e);
            Assert.Equal(plain, decisions);
        }
    }

    [Fact]
    public void TheFormat_IsGuessedFromTheLogsOwnName_InsideTheArchive()
    {
        string csv = "ts,account,ip,outcome\n2024-05-01T09:00:00Z,alice,203.0.113.9,success\n2024-05-01T09:00:05Z,bob,203.0.113.9,wrong_secret\n";
        Zip(Path_("export.zip"), ("logins.csv", csv));
        Gzip(Path_("logins.csv.gz"), Encoding.UTF8.GetBytes(csv));

        Assert.Equal(3, Replay(Path_("export.zip")).Decisions.Length);
        Assert.Equal(3, Replay(Path_("logins.csv.gz")).Decisions.Length);
    }

    [Fact]
    public void TheRbaDatasetAsPublished_IsReadAsRba_WithoutFormat_ButAnExplicitCsvIsNotSecondGuessed()
    {
        const string rba = "index,Login Timestamp,User ID,Round-Trip Time [ms],IP Address,Country,Region,City,ASN,User Agent String," +
            "Browser Name and Version,OS Name and Version,Device Type,Login Successful,Is Attack IP,Is Account Takeover\n" +
            "0,2020-02-03 12:43:30.772,-4324475583306591935,,10.0.65.171,NO,-,-,29695,Mozilla/5.0 (iPhone),Mobile Safari 13.0,iOS 13.4,mobile,False,False,False\n" +
            "1,2020-02-03 12:43:43.549,-4324475583306591935,463,10.0.65.171,NO,-,-,29695,Mozilla/5.0 (iPhone),Mobile Safari 13.0,iOS 13.4,mobile,True,False,False\n" +
            "2,2020-02-03 12:44:00.000,7654321,,5.6.7.8,US,Virginia,Ashburn,14618,curl/7.0,Other,Other,bot,True,True,True\n";
        Zip(Path_("rba-dataset.zip"), ("rba-dataset.csv", rba));

        (int exit, string[] guessed) = Replay(Path_("rba-dataset.zip"));
        (int namedExit, string[] named) = Replay(Path_("rba-dataset.zip"), "--format", "rba");
        (int csvExit, string[] csv) = Replay(Path_("rba-dataset.zip"), "--format", "csv");
        (int mappedExit, string[] mapped) = Replay(Path_("rba-dataset.zip"), "--map", "device=Device Type");

        Assert.Equal(0, exit);
        Assert.Equal(0, namedExit);
        Assert.Equal(4, guessed.Length);
        Assert.Equal(named, guessed);
        Assert.Equal(2, csvExit);   // said to be a plain CSV: the header lacks ts, account, ip, outcome
        Assert.Empty(csv);
        Assert.Equal(2, mappedExit);   // a --map means the operator maps the columns: nothing is guessed
        Assert.Empty(mapped);
    }

    [Fact]
    public void AnArchiveOfSeveralFiles_IsRefusedNamingThem_AndTheReplayExitsTwo()
    {
        Zip(Path_("two.zip"), ("a.jsonl", Log), ("b.jsonl", Log));

        var error = Assert.Throws<InvalidDataException>(() => LogInput.Open(Path_("two.zip")));
        Assert.Contains("a.jsonl, b.jsonl", error.Message);
        Assert.Equal(2, Replay(Path_("two.zip")).Exit);
    }

    [Fact]
    public void ATruncatedGzip_IsToldApartFromAWholeOne()
    {
        var bytes = new MemoryStream();
        using (var gz = new GZipStream(bytes, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(Log + Log + Log));
        File.WriteAllBytes(Path_("whole.jsonl.gz"), bytes.ToArray());
        File.WriteAllBytes(Path_("cut.jsonl.gz"), bytes.ToArray()[..(int)(bytes.Length / 2)]);

        Assert.Null(ReadToEnd("whole.jsonl.gz"));
        Assert.Contains("the gzip stream ends early (truncated?)", ReadToEnd("cut.jsonl.gz"));
        (int exit, string[] decisions) = Replay(Path_("cut.jsonl.gz"));   // replayed as far as it goes, with the warning
        Assert.Equal(0, exit);
        Assert.InRange(decisions.Length, 2, 900);
    }

    private string? ReadToEnd(string name)
    {
        using LogInput input = LogInput.Open(Path_(name));
        input.Stream.CopyTo(Stream.Null);
        return input.IncompleteReason();
    }
}
