using System.Globalization;
using System.Net;
using BenchmarkDotNet.Attributes;
using Mamori.Events;

namespace Mamori.Benchmarks;

/// <summary>
/// A login's signal keys (<c>LoginAssessor.KeysOf</c>, on replay's parsing thread): most of the work is the user agent's
/// keys. Three shapes of log: one agent string (shared, as a reader's pool hands it out), the few thousand agents of a
/// service, and agents that differ in their build numbers on every account (the RBA dataset's synthesized strings), none seen
/// twice while cached.
/// <c>dotnet run -c Release --project benchmarks/Mamori.Benchmarks -- --filter '*AgentKey*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class AgentKeyBenchmarks
{
    private const int Attempts = 4_096;
    /// <summary>Build-numbered agents, each once: four times the caches' slots, so none is met again while cached.</summary>
    private const int BuildAttempts = 65_536;
    private LoginAttempt[] _one = null!, _service = null!, _builds = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] bases =
        [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
        ];
        string[] serviceAgents = [.. Enumerable.Range(0, 2_000).Select(i => bases[i % 3] + " Model/" + (i / 3).ToString(CultureInfo.InvariantCulture) + "X")];
        var random = new Random(5);
        _one = new LoginAttempt[Attempts];
        _service = new LoginAttempt[Attempts];
        _builds = new LoginAttempt[BuildAttempts];
        for (int i = 0; i < Attempts; i++)
        {
            var attempt = new LoginAttempt
            {
                Timestamp = DateTimeOffset.UnixEpoch, Account = "user" + i.ToString(CultureInfo.InvariantCulture),
                Ip = new IPAddress([100, (byte)(i >> 8), (byte)i, 1]), Asn = 4713, Country = "JP", UserAgent = bases[0],
            };
            _one[i] = attempt;
            _service[i] = attempt with { UserAgent = serviceAgents[random.Next(serviceAgents.Length)] };
        }
        for (int i = 0; i < BuildAttempts; i++)
            _builds[i] = _one[i % Attempts] with { UserAgent = bases[i % 3] + " variation/" + (100_000 + i).ToString(CultureInfo.InvariantCulture) };
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Attempts)]
    public ulong OneAgent() => KeysOf(_one);

    [Benchmark(OperationsPerInvoke = Attempts)]
    public ulong ServiceAgents() => KeysOf(_service);

    [Benchmark(OperationsPerInvoke = BuildAttempts)]
    public ulong BuildNumberedAgents() => KeysOf(_builds);

    private static ulong KeysOf(LoginAttempt[] attempts)
    {
        ulong sum = 0;
        foreach (LoginAttempt attempt in attempts) sum += LoginAssessor.KeysOf(attempt).Browser;
        return sum;
    }
}
