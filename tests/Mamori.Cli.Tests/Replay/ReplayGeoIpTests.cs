using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Mamori.Cli.Tests.Replay;

/// <summary><c>mamori replay --geoip</c>: a log of addresses only, given its countries by the operator's IP-geo database.</summary>
public sealed class ReplayGeoIpTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mamori-replay-geoip-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string CountryFile()
    {
        string? path = Environment.GetEnvironmentVariable("MAMORI_GEOIP_COUNTRY");
        Skip.If(string.IsNullOrEmpty(path) || !File.Exists(path),
            "MAMORI_GEOIP_COUNTRY is not set to geo-whois-asn-country.mmdb of @ip-location-db/geo-whois-asn-country-mmdb (.ci/services.sh installs it)");
        return path!;
    }

    /// <summary>Four days of logins from a Japanese carrier's addresses, then one from a US address: no asn, no country.</summary>
    private string Log()
    {
        var text = new StringBuilder();
        for (int day = 0; day < 4; day++)
            text.Append(CultureInfo.InvariantCulture, $"{{\"ts\":\"2024-05-0{day + 1}T09:00:00Z\",\"account\":\"alice\",\"ip\":\"1.66.0.{day + 1}\",\"outcome\":\"success\",\"user_agent\":\"Mozilla/5.0 (Windows NT 10.0)\"}}\n");
        text.Append("{\"ts\":\"2024-05-05T09:00:00Z\",\"account\":\"alice\",\"ip\":\"8.8.8.8\",\"outcome\":\"success\",\"user_agent\":\"Mozilla/5.0 (Windows NT 10.0)\"}\n");
        string path = Path.Combine(_dir, "log.jsonl");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private (int Exit, string? Last) Replay(params string[] args)
    {
        string decisions = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".csv");
        int exit = Program.CreateRootCommand().Parse(["replay", .. args, "--decisions", decisions]).Invoke();
        return (exit, File.Exists(decisions) ? File.ReadAllLines(decisions)[^1].Split(',')[1] : null);
    }

    [SkippableFact]
    public void TheCountryFile_MakesTheLoginAbroadStepUp_FromTheFlagOrTheServersSettings()
    {
        string file = CountryFile();
        string log = Log();
        string config = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(config, $$"""{ "Mamori": { "Server": { "GeoIpDatabases": [ {{System.Text.Json.JsonSerializer.Serialize(file)}} ] } } }""");

        Assert.Equal((0, "allow"), Replay(log));
        Assert.Equal((0, "challenge"), Replay(log, "--geoip", file));      // step-up, written as challenge
        Assert.Equal((0, "challenge"), Replay(log, "--config", config));
    }

    [Fact]
    public void AMissingDatabase_StopsTheReplayWithExitTwo() =>
        Assert.Equal((2, null), Replay(Log(), "--geoip", Path.Combine(_dir, "missing.mmdb")));
}
