using System.Globalization;
using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Mamori;
using Mamori.Events;
using Mamori.State;

namespace Mamori.Benchmarks;

/// <summary>
/// One login through the in-process engine (pre-auth + outcome), the budget's unit: p99 ≤ 50 µs, ≥ 200k/s on 2 cores.
/// An ordinary home login is the baseline; the others show what an attack costs. Allocation is measured too: an
/// ordinary login should allocate little beyond the attempt itself.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Percentiles))]
public class AssessmentBenchmarks
{
    private LoginAssessor _engine = null!;
    private LoginAttempt[] _home = null!;
    private LoginAttempt[] _spray = null!;
    private LoginAttempt[] _newPhone = null!;
    private int _next;

    private sealed class Percentiles : ManualConfig
    {
        public Percentiles()
        {
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10));
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var options = new MamoriOptions();
        _engine = new LoginAssessor(options, new InMemorySignalStore(options));
        var start = new DateTimeOffset(2020, 9, 1, 0, 0, 0, TimeSpan.Zero);
        const int users = 50_000;
        _home = new LoginAttempt[users];
        _spray = new LoginAttempt[users];
        _newPhone = new LoginAttempt[users];
        for (int u = 0; u < users; u++)
        {
            string account = "user" + u.ToString(CultureInfo.InvariantCulture);
            _home[u] = new LoginAttempt
            {
                Timestamp = start.AddSeconds(u), Account = account, Ip = new IPAddress([(byte)(100 + u % 50), (byte)(u >> 8), (byte)u, 1]),
                Asn = 4713, Country = "JP", Device = "dev" + u.ToString(CultureInfo.InvariantCulture),
                UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
                Secret = new SecretFingerprint((ulong)u * 0x9E3779B97F4A7C15UL),
            };
            _spray[u] = _home[u] with { Ip = new IPAddress([45, 77, (byte)(u >> 8), (byte)u]), Device = null, Asn = 20473, Country = "US", Secret = new SecretFingerprint(0x1234) };
            _newPhone[u] = _home[u] with { Device = "new" + u.ToString(CultureInfo.InvariantCulture), UserAgent = "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36" };
            for (int day = 0; day < 3; day++)
                _engine.AssessEventAsync(new LoginEvent(_home[u] with { Timestamp = start.AddDays(day).AddSeconds(u) }, LoginOutcome.Success)).AsTask().GetAwaiter().GetResult();
        }
    }

    private LoginAttempt Next(LoginAttempt[] set)
    {
        int i = _next++ % set.Length;
        return set[i] with { Timestamp = set[i].Timestamp.AddDays(3 + _next / set.Length) };
    }

    [Benchmark(Baseline = true, Description = "ordinary login from home")]
    public EventAssessment Home() => _engine.AssessEventAsync(new LoginEvent(Next(_home), LoginOutcome.Success)).AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "sprayed PIN, wrong")]
    public EventAssessment Spray() => _engine.AssessEventAsync(new LoginEvent(Next(_spray), LoginOutcome.WrongSecret)).AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "new phone, right secret")]
    public EventAssessment NewPhone() => _engine.AssessEventAsync(new LoginEvent(Next(_newPhone), LoginOutcome.Success)).AsTask().GetAwaiter().GetResult();
}
