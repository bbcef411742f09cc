using Mamori.Dashboard.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Dashboard.Tests;

/// <summary>An open dashboard tab must not hold the server's stop.</summary>
public sealed class StreamStopTests
{
    [Fact]
    public async Task AnOpenStream_EndsWhenTheServerStops()
    {
        // Before, the stream ended only when the browser went away: `mamori serve` with a dashboard tab open waited
        // out the host's whole shutdown timeout, and the stop's snapshot ran out of time behind it.
        await using TestHost host = await TestHost.StartAsync(new FakeTimeProvider(new DateTimeOffset(2020, 9, 14, 23, 0, 0, TimeSpan.Zero)));
        using HttpClient client = host.CreateClient();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));   // a hang guard, not a speed assertion
        using StreamReader reader = await TestHost.OpenStreamAsync(client, "/v1/decisions/stream", guard.Token);
        Assert.Equal(1, host.World.Feed.SubscriberCount);

        host.App.Lifetime.StopApplication();

        string? line;
        do line = await reader.ReadLineAsync(guard.Token);
        while (line is not null);
        Assert.False(guard.IsCancellationRequested);
        Assert.Equal(0, host.World.Feed.SubscriberCount);
    }
}
