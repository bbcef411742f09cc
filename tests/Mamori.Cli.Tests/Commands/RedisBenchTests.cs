using System.Text.RegularExpressions;
using Mamori.Cli.Bench;
using Mamori.State.Redis;
using StackExchange.Redis;

namespace Mamori.Cli.Tests.Commands;

/// <summary><c>mamori bench redis</c> runs against an operator's Redis: it must take its keys away with it.</summary>
public sealed class RedisBenchTests
{
    [SkippableTheory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task BenchRedis_MeasuresEveryLogin_AndLeavesNoneOfItsKeysBehind(RedisKeyLayout layout)
    {
        string? endpoint = Environment.GetEnvironmentVariable("MAMORI_TEST_REDIS");
        Skip.If(string.IsNullOrEmpty(endpoint), "MAMORI_TEST_REDIS is not set (.ci/services.sh starts a redis-server and sets it)");
        var messages = new List<string>();

        (IReadOnlyList<RedisBench.Step> steps, RedisKeyLayout used, _) = await RedisBench.RunAsync(endpoint!, logins: 300, [8], users: 200, layout,
            warmUpLogins: 200, messages.Add, CancellationToken.None, untilJitSettles: false);

        string prefix = Regex.Match(string.Join('\n', messages), @"key prefix (bench[0-9a-f]+)").Groups[1].Value;
        Assert.NotEmpty(prefix);
        Assert.Equal(layout, used);
        RedisBench.Step step = Assert.Single(steps);
        Assert.Equal(300, step.Logins);
        Assert.True(step.PerSecond > 0);
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(endpoint + ",allowAdmin=true");
        IServer server = connection.GetServer(connection.GetEndPoints()[0]);
        // Before the store was stopped ahead of the clean-up, its last population sync wrote a 4 MB sketch back after it.
        Assert.Empty(server.Keys(pattern: "*" + prefix + "*", pageSize: 1_000_000));
    }
}
