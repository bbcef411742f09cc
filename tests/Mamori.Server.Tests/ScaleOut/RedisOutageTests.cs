using System.Globalization;
using System.Text.Json;

namespace Mamori.Server.Tests.ScaleOut;

/// <summary>
/// Two `mamori serve` nodes on a real redis-server that is killed mid-run and started again: while it is down each
/// node answers at once by its fail mode (fail-challenge: <c>challenge</c>, reason <c>signal_store_unavailable</c>)
/// and says degraded; when it is back both recover by themselves; and every decision a node acknowledged is stored.
/// </summary>
public sealed class RedisOutageTests : IDisposable
{
    private readonly ServeNodes _nodes = new();

    public void Dispose() => _nodes.Dispose();

    [SkippableFact]
    public async Task RedisKilledAndRestarted_NodesChallengeWhileDownRecoverByThemselvesAndLoseNoAcknowledgedDecision()
    {
        string? dll = ServeNodes.MamoriDll();
        Skip.If(dll is null, "src/Mamori.Cli is not built (dotnet build Mamori.slnx builds it).");
        string? binary = RedisProcess.FindBinary();
        Skip.If(binary is null, "redis-server is not installed (.ci/services.sh installs it in CI).");
        using RedisProcess redis = RedisProcess.Start(binary!);
        string store = $"redis://127.0.0.1:{redis.Port}";
        string prefix = "outage-" + Guid.NewGuid().ToString("N")[..12];
        ServeNode[] nodes = [await _nodes.StartAsync(dll!, "node-a", store, prefix), await _nodes.StartAsync(dll!, "node-b", store, prefix)];
        var acknowledged = nodes.ToDictionary(n => n, _ => new List<string>());
        string run = Guid.NewGuid().ToString("N")[..8];
        string Account(ServeNode n) => $"steady-{run}-{n.Name}";

        // Healthy: ordinary logins are allowed.
        foreach (ServeNode node in nodes)
        {
            await _nodes.WaitForHealthAsync(node, "ok");
            for (int i = 0; i < 5; i++)
            {
                JsonElement answer = await EventAsync(node, Account(node));
                acknowledged[node].Add(answer.GetProperty("request_id").GetString()!);
                Assert.True(answer.GetProperty("decision").GetString() == "allow", $"{node.Name}, login {i}: {answer}\n{_nodes.Output}");
            }
        }

        redis.Kill();

        // Down: degraded, and every answer comes from the fail mode (the client's 20 s timeout bounds a hang; the
        // store fails each call at once while disconnected, or after Mamori:Redis:Timeout).
        foreach (ServeNode node in nodes)
        {
            await _nodes.WaitForHealthAsync(node, "degraded");
            JsonElement health = await node.Client.GetJsonAsync("/healthz");
            Assert.Contains(health.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("signals:", StringComparison.Ordinal));
            for (int i = 0; i < 5; i++)
            {
                JsonElement assess = await node.Client.PostJsonAsync("/v1/login/assess", $$"""{"account":"{{Account(node)}}","ip":"203.0.113.50"}""");
                acknowledged[node].Add(assess.GetProperty("request_id").GetString()!);
                Assert.Equal("challenge", assess.GetProperty("decision").GetString());
                Assert.Equal("signal_store_unavailable", assess.ReasonCodes()[0]);

                JsonElement answer = await EventAsync(node, Account(node));
                acknowledged[node].Add(answer.GetProperty("request_id").GetString()!);
                Assert.Equal("challenge", answer.GetProperty("pre_auth_decision").GetString());
                Assert.Contains("signal_store_unavailable", answer.ReasonCodes());
            }
        }

        redis.Start();   // same port, empty (no persistence)

        // Back: both recover without a restart, and an ordinary login is allowed again.
        foreach (ServeNode node in nodes)
        {
            await _nodes.WaitForHealthAsync(node, "ok");
            JsonElement answer = await EventAsync(node, Account(node));
            acknowledged[node].Add(answer.GetProperty("request_id").GetString()!);
            Assert.Equal("allow", answer.GetProperty("decision").GetString());
            Assert.DoesNotContain("signal_store_unavailable", answer.ReasonCodes());
        }

        // Durable: each node stored every decision it acknowledged, and nothing else for that account.
        foreach (ServeNode node in nodes)
        {
            JsonElement account = await node.Client.GetJsonAsync($"/v1/accounts/{Account(node)}?limit=500");
            string[] stored = account.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()!).ToArray();
            Assert.Equal(acknowledged[node].Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        }
    }

    private static Task<JsonElement> EventAsync(ServeNode node, string account) =>
        node.Client.PostJsonAsync("/v1/login/events",
            string.Create(CultureInfo.InvariantCulture, $$"""{"account":"{{account}}","ip":"203.0.113.50","device":"phone-1","outcome":"success"}"""));
}
