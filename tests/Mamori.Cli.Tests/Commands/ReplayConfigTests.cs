using System.CommandLine;
using System.Globalization;
using System.Text;
using Mamori.Cli.Commands;

namespace Mamori.Cli.Tests.Commands;

/// <summary><c>mamori replay --config</c>: the server's settings decide the replay; bad settings stop it before it reads a row.</summary>
public sealed class ReplayConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mamori-replay-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void TheMamoriSection_IsBoundAndValidated_AsTheServerDoes()
    {
        string config = Write("appsettings.json", """
            { "Logging": { "LogLevel": { "Default": "Warning" } },
              "Mamori": { "BruteForce": { "UnfamiliarThreshold": 15, "FamiliarThreshold": 40 },
                          "SharedAddress": { "KnownNetworks": [ "52.196.10.0/24", "2001:db8:40::/48" ] },
                          "Familiarity": { "HostingAsns": [ 64500 ], "NotHostingAsns": [ "AS8075", 16509 ] } } }
            """);

        MamoriOptions? options = ReplayCommand.LoadOptions(config, monitorOnly: true, out string? error);

        Assert.Null(error);
        Assert.Equal(15, options!.BruteForce.UnfamiliarThreshold);
        Assert.Equal(40, options.BruteForce.FamiliarThreshold);
        Assert.Equal(["52.196.10.0/24", "2001:db8:40::/48"], options.SharedAddress.KnownNetworks);
        Assert.Equal(["64500"], options.Familiarity.HostingAsns);
        Assert.Equal(["AS8075", "16509"], options.Familiarity.NotHostingAsns);
        Assert.True(options.MonitorOnly);
        Assert.Equal(12, options.Spraying.DistinctAccountThreshold);   // what the file does not set keeps its default
    }

    [Theory]
    [InlineData("{ \"Mamori\": { \"BruteForce\": ", "--config")]                                          // malformed JSON
    [InlineData("{ \"Mamori\": { \"BruteForce\": { \"UnfamiliarThreshold\": \"ten\" } } }", "--config")]     // wrong type
    [InlineData("{ \"Mamori\": { \"Spraying\": { \"DistinctAccountThreshold\": 1 } } }", "Mamori:Spraying:DistinctAccountThreshold")]
    [InlineData("{ \"Mamori\": { \"SharedAddress\": { \"KnownNetworks\": [ \"10.0.0.1/8\" ] } } }", "'10.0.0.1/8'")]
    [InlineData("{ \"Mamori\": { \"Familiarity\": { \"HostingAsns\": [ 0 ] } } }", "Mamori:Familiarity:HostingAsns")]
    [InlineData("{ \"Mamori\": { \"Familiarity\": { \"NotHostingAsns\": [ \"Azure\" ] } } }", "'Azure' is not an ASN")]
    public void BadSettings_AreRefusedWithTheirName(string json, string named)
    {
        Assert.Null(ReplayCommand.LoadOptions(Write("bad.json", json), monitorOnly: false, out string? error));
        Assert.Contains(named, error);
    }

    [Fact]
    public void BadSettings_StopTheReplayWithExitTwo_BeforeWritingAnything()
    {
        string log = Write("log.jsonl", Attempts(3));
        string decisions = Path.Combine(_dir, "decisions.csv");
        string config = Write("bad.json", "{ \"Mamori\": { \"BruteForce\": { \"UnfamiliarThreshold\": 1 } } }");

        int exit = Program.CreateRootCommand().Parse(["replay", log, "--config", config, "--decisions", decisions]).Invoke();

        Assert.Equal(2, exit);
        Assert.False(File.Exists(decisions));
        Assert.Equal(2, Program.CreateRootCommand().Parse(["replay", log, "--config", Path.Combine(_dir, "missing.json")]).Invoke());
    }

    [Fact]
    public void TheSettings_ChangeTheDecisions()
    {
        // Twelve different wrong secrets on one account from one stranger within minutes: locked at the tenth by default.
        string log = Write("log.jsonl", Attempts(12));
        string config = Write("appsettings.json", "{ \"Mamori\": { \"BruteForce\": { \"UnfamiliarThreshold\": 50, \"FamiliarThreshold\": 50 } } }");

        Assert.Contains("deny", Replay(log));
        Assert.DoesNotContain("deny", Replay(log, "--config", config));
    }

    [Fact]
    public void TheStoresBounds_AreAReplaysOwn_UnlessTheSettingsSayThem()
    {
        MamoriOptions? unsaid = ReplayCommand.LoadOptions(Write("empty.json", "{ \"Mamori\": { } }"), monitorOnly: false, out string? error);
        Assert.Null(error);
        Assert.Equal((10_000_000, 10_000_000, 5_000_000), (unsaid!.Signals.MaxAccounts, unsaid.Signals.MaxSources, unsaid.Signals.MaxSecrets));
        Assert.Equal(2_000_000, new MamoriOptions().Signals.MaxAccounts);   // the server's default is unchanged

        string config = Write("bounds.json", "{ \"Mamori\": { \"Signals\": { \"MaxAccounts\": 2000000, \"MaxSecrets\": 3000 } } }");
        MamoriOptions? said = ReplayCommand.LoadOptions(config, monitorOnly: false, out error);
        Assert.Null(error);
        Assert.Equal((2_000_000, 10_000_000, 3_000), (said!.Signals.MaxAccounts, said.Signals.MaxSources, said.Signals.MaxSecrets));
    }

    [Theory]
    [InlineData("MaxAccounts", 1_234_567, 0, 1_300_000)]        // two significant digits, rounded up
    [InlineData("MaxAccounts", 2_000_000, 66_534, 2_100_000)]   // held plus the evictions that lost history
    [InlineData("MaxAccounts", 90_000_000, 60_000_000, 100_000_000)]   // no more than the setting accepts
    [InlineData("MaxSources", 90_000_000, 60_000_000, 150_000_000)]    // the sources' range goes to 200M
    [InlineData("MaxSecrets", 90_000_000, 60_000_000, 100_000_000)]
    public void TheSuggestedBound_WouldHaveLostNothing_WithinTheSettingsRange(string setting, int held, long lost, long suggested)
    {
        var usage = new Mamori.State.SignalTableUsage("keys", setting, held, held, lost, lost);
        Assert.Equal(suggested, ReplayCommand.BoundFor(usage));
    }

    [Fact]
    public void BoundsTheLogStaysUnder_DoNotChangeADecision()
    {
        // 300 events, 40 accounts, 7 addresses, 11 secrets: under the smallest bounds the settings allow.
        string log = Write("log.jsonl", string.Concat(Enumerable.Range(0, 300).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{{\"ts\":\"2024-05-01T09:{i / 60:D2}:{i % 60:D2}Z\",\"account\":\"user{i % 40}\",\"ip\":\"203.0.113.{i % 7 + 1}\",\"outcome\":\"{(i % 3 == 0 ? "success" : "wrong_secret")}\",\"secret_fp\":\"{i % 11 + 1:x16}\"}}\n"))));
        string small = Write("small.json", "{ \"Mamori\": { \"Signals\": { \"MaxAccounts\": 1000, \"MaxSources\": 1000, \"MaxSecrets\": 1000 } } }");

        string replayBounds = Path.Combine(_dir, "replay-bounds.csv"), smallBounds = Path.Combine(_dir, "small-bounds.csv");
        Assert.Equal(0, Program.CreateRootCommand().Parse(["replay", log, "--decisions", replayBounds]).Invoke());
        Assert.Equal(0, Program.CreateRootCommand().Parse(["replay", log, "--decisions", smallBounds, "--config", small]).Invoke());

        Assert.Contains(",deny,", File.ReadAllText(replayBounds));   // a log the engine acts on, not one it lets through whole
        Assert.Equal(File.ReadAllBytes(replayBounds), File.ReadAllBytes(smallBounds));
    }

    private string[] Replay(string log, params string[] extra)
    {
        string decisions = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".csv");
        Assert.Equal(0, Program.CreateRootCommand().Parse(["replay", log, "--decisions", decisions, .. extra]).Invoke());
        return File.ReadAllLines(decisions).Skip(1).Select(line => line.Split(',')[1]).ToArray();
    }

    private static string Attempts(int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
            text.Append(CultureInfo.InvariantCulture, $"{{\"ts\":\"2024-05-01T09:{i:D2}:00Z\",\"account\":\"victim\",\"ip\":\"203.0.113.9\",\"outcome\":\"wrong_secret\",\"secret_fp\":\"{i + 1:x16}\"}}\n");
        return text.ToString();
    }
}
