using System.Diagnostics;
using System.Globalization;
using Mamori.Events;
using Mamori.Signals;
using Mamori.State.Redis;
using Mamori.State.Tests.Support;
using StackExchange.Redis;

namespace Mamori.State.Tests;

/// <summary>
/// The store's server stops mid-run: calls fail fast (within the timeout, as an exception the engine turns into its
/// fail mode), <see cref="ISignalStore.IsAvailable"/> says so, and once the server is back the same store
/// instance answers again by itself.
/// </summary>
public sealed class RedisSignalStoreFaultTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GarnetStopsAndReturns_CallsFailFastThenRecover()
    {
        using var garnet = new GarnetFixture();
        await AssertFailsAndRecoversAsync(garnet.Endpoint, garnet.Stop, garnet.Start, localFallback: false);
    }

    [Fact]
    public async Task GarnetStopsWithLocalFallback_AnswersLocallyWhileDown()
    {
        using var garnet = new GarnetFixture();
        await AssertFailsAndRecoversAsync(garnet.Endpoint, garnet.Stop, garnet.Start, localFallback: true);
    }

    [SkippableFact]
    public async Task RedisServerProcessKilledAndRestarted_CallsFailFastThenRecover()
    {
        string? binary = FindRedisServer();
        Skip.If(binary is null, "redis-server is not installed (.ci/services.sh installs it in CI).");
        int port = GarnetFixture.FreePort();
        Process? server = StartRedis(binary!, port);
        try
        {
            await AssertFailsAndRecoversAsync($"127.0.0.1:{port}",
                stop: () => { server.Kill(entireProcessTree: true); server.WaitForExit(); server.Dispose(); },
                start: () => server = StartRedis(binary!, port),
                localFallback: false);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            server.Dispose();
        }
    }

    private static async Task AssertFailsAndRecoversAsync(string endpoint, Action stop, Action start, bool localFallback)
    {
        // Production uses 100 ms; a cold server's first script run on a loaded test machine can take longer, and
        // what this test checks is that calls fail instead of waiting for the server, not how fast the machine is.
        var redisOptions = new RedisSignalStoreOptions { Configuration = endpoint, KeyPrefix = "fault", Timeout = TimeSpan.FromSeconds(2), LocalFallback = localFallback };
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(RedisSignalStore.ToConfiguration(redisOptions));
        using var store = new RedisSignalStore(new MamoriOptions(), redisOptions, connection);
        Assert.True(await store.PrepareAsync());
        SignalSnapshot before = await store.ObserveAsync(Request(1));
        Assert.Equal(1, before.Ip.Attempts);
        // Its outcome counts the attempt in Redis (a pre-auth only reads): none waits on the node through the outage.
        await store.ObserveAsync(Request(1) with { Phase = ObservationPhase.Outcome, Outcome = LoginOutcome.WrongSecret });
        Assert.Equal(0, store.WaitingAttempts);
        Assert.True(store.IsAvailable);

        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionFailed += (_, e) => { if (e.ConnectionType == ConnectionType.Interactive) lost.TrySetResult(); };
        stop();
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30));

        if (localFallback)
        {
            SignalSnapshot local = await store.ObserveAsync(Request(2));
            Assert.Equal(1, local.Ip.Attempts);   // the node's own count while the shared one is unreachable
        }
        else
        {
            for (int i = 0; i < 3; i++)
                await Assert.ThrowsAsync<SignalStoreUnavailableException>(() => store.ObserveAsync(Request(2)).AsTask());
            await Assert.ThrowsAsync<SignalStoreUnavailableException>(() => store.SetStepUpRequestedAsync(1, true).AsTask());
        }
        Assert.False(store.IsAvailable);

        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionRestored += (_, e) => { if (e.ConnectionType == ConnectionType.Interactive) restored.TrySetResult(); };
        start();
        await restored.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await store.PrepareAsync());   // also done by the store on restore; here so the next call is not the one paying for it

        SignalSnapshot after = await store.ObserveAsync(Request(3));   // the new server has no script cached: reloaded
        Assert.Equal(1, after.Ip.Attempts);   // a fresh server starts empty
        Assert.True(store.IsAvailable);
    }

    private static SignalRequest Request(ulong account) => new()
    {
        Keys = new SignalKeys { Account = account, Ip = 0x0A00_0001_0000_0001, Subnet = 0x0A00_0000_0000_0001, Browser = 1, Os = 2 },
        At = T0,
        Phase = ObservationPhase.PreAuth,
    };

    private static string? FindRedisServer()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/sbin"))
        {
            string candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static Process StartRedis(string binary, int port)
    {
        var info = new ProcessStartInfo(binary)
        {
            ArgumentList = { "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        // Ready when it says so on stdout.
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal)) break;
        process.StandardOutput.Close();
        return process;
    }
}
