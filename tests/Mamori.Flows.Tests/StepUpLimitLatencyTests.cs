using System.Diagnostics;
using System.Globalization;
using System.Net;
using Mamori.Flows.Factors;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Mamori.Flows.Tests;

/// <summary>What the shared limit adds to one verification: 50 sequential TOTP verifications through the test server on
/// SQLite (in-memory limit), on PostgreSQL with the in-memory limit (the flows before ADR 0028) and on PostgreSQL with the
/// shared limit. A measurement, so opt-in: <c>MAMORI_MEASURE_LATENCY=1</c> and <c>MAMORI_TEST_POSTGRES</c> (docs/BENCHMARKS.md).</summary>
public sealed class StepUpLimitLatencyTests(ITestOutputHelper output)
{
    private const int Warmup = 20, Measured = 50;

    [SkippableFact]
    public async Task OneVerification_OnEachStore_P50AndP90()
    {
        Skip.If(Environment.GetEnvironmentVariable("MAMORI_MEASURE_LATENCY") != "1", "MAMORI_MEASURE_LATENCY is not 1 (a measurement, not a check).");
        Skip.If(PostgresSchema.SkipReason is not null, PostgresSchema.SkipReason);
        using var schema = new PostgresSchema();
        string db = schema.ConnectionString;
        var runs = new (string Name, Action<IServiceCollection>? Services)[]
        {
            ("SQLite, in-memory limit", null),
            ("PostgreSQL, in-memory limit (before)", s =>
            {
                s.AddMamoriFlowsPostgres(db);
                s.AddSingleton<IVerificationLimiter>(sp => new VerificationLimiter(100, TimeSpan.FromMinutes(15)));
            }),
            ("PostgreSQL, shared limit", s => s.AddMamoriFlowsPostgres(db)),
        };
        output.WriteLine("| Store and limit | p50 | p90 | max |");
        output.WriteLine("|---|---|---|---|");
        int round = 0;
        foreach ((string name, Action<IServiceCollection>? services) in runs)
        {
            await using TestApp app = await TestApp.StartAsync(o => o.MaxFailedVerifications = 100, services: services);
            string account = "latency-" + round++.ToString(CultureInfo.InvariantCulture);
            await app.PostAsync($"/v1/accounts/{account}/factors/totp", new { }, 201);
            var times = new List<double>();
            for (int i = 0; i < Warmup + Measured; i++)
            {
                long start = Stopwatch.GetTimestamp();
                using HttpResponseMessage r = await app.Client.PostAsync($"/v1/accounts/{account}/factors/totp/verify", FactorTests.JsonContent(new { code = "000000" }));
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);   // answered factor_rejected, not 429: every run measures a checked code
                if (i >= Warmup) times.Add(ms);
            }
            times.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {times[times.Count / 2]:0.00} ms | {times[(int)(times.Count * 0.9)]:0.00} ms | {times[^1]:0.00} ms |"));
        }
    }
}
