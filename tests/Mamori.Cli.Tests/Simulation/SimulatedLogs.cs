using System.Collections.Concurrent;
using System.Text.Json;
using Mamori.Simulation;
using Mamori.Simulation.Output;

namespace Mamori.Cli.Tests.Simulation;

/// <summary>Generated logs shared by the tests (each is generated once per test run), as JSONL bytes and parsed lines.</summary>
internal static class SimulatedLogs
{
    private static readonly ConcurrentDictionary<(SimulationScenario, int, int, int), Lazy<Log>> s_cache = new();

    public static Log Get(SimulationScenario scenario, int users, int days, int seed = 1) =>
        s_cache.GetOrAdd((scenario, users, days, seed), key => new Lazy<Log>(() => Generate(key.Item1, key.Item2, key.Item3, key.Item4))).Value;

    public static byte[] Bytes(SimulationScenario scenario, int users, int days, int seed)
    {
        var events = Simulator.Run(new SimulationOptions { Scenario = scenario, Users = users, Days = days, Seed = seed });
        using var stream = new MemoryStream();
        JsonlLogWriter.Write(events, stream);
        return stream.ToArray();
    }

    private static Log Generate(SimulationScenario scenario, int users, int days, int seed)
    {
        byte[] bytes = Bytes(scenario, users, days, seed);
        var lines = new List<Line>();
        foreach (string text in System.Text.Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            JsonElement r = doc.RootElement;
            lines.Add(new Line(
                DateTimeOffset.Parse(r.GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                r.GetProperty("account").GetString()!,
                r.GetProperty("ip").GetString()!,
                r.GetProperty("outcome").GetString()!,
                r.TryGetProperty("device", out JsonElement d) ? d.GetString() : null,
                r.TryGetProperty("secret_fp", out JsonElement f) ? f.GetString() : null,
                r.GetProperty("asn").GetInt32(),
                r.GetProperty("country").GetString()!,
                r.GetProperty("label").GetString()!,
                r.GetProperty("scenario").GetString()!,
                r.GetProperty("takeover").GetBoolean()));
        }
        return new Log(bytes, lines);
    }

    internal sealed record Log(byte[] Bytes, List<Line> Lines)
    {
        public IEnumerable<Line> Attack(string scenario) => Lines.Where(l => l.Label == "attack" && l.Scenario == scenario);
        public IEnumerable<Line> Legit => Lines.Where(l => l.Label == "legit");
    }

    internal sealed record Line(DateTimeOffset Ts, string Account, string Ip, string Outcome, string? Device, string? SecretFp,
        int Asn, string Country, string Label, string Scenario, bool Takeover);
}
