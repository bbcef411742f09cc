using System.Threading.Channels;
using Mamori.Storage;
using StackExchange.Redis;

namespace Mamori.Server.Hosting;

/// <summary>
/// Re-teaches trusted devices from the database into Redis whenever the connection comes back: a Redis that restarted
/// without persistence (or was down when this node started) has forgotten them, and a user's own trusted phone must
/// not look new.
/// </summary>
/// <remarks>Every node does it (the writes are idempotent); one pass reads at most <see cref="MaxTrustedDevices"/>
/// devices and costs one round trip each. Reconnections during a pass queue one more pass, not one per event. A pass
/// that fails (a Redis just back and still slow, the database briefly away) is tried again after
/// <see cref="FirstRetryDelay"/>, doubling to <see cref="MaxRetryDelay"/>, until one succeeds: waiting for the next
/// reconnection, as it did, left the devices forgotten for as long as Redis stayed up.</remarks>
internal sealed partial class TrustReteacher(IConnectionMultiplexer connection, IMamoriStorage storage, LoginAssessor assessor, TimeProvider time,
    ILogger<TrustReteacher> logger) : BackgroundService
{
    /// <summary>Wait before trying a failed pass again; doubled after each failure.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two tries.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>Trusted devices re-taught per pass at most (as at start).</summary>
    public const int MaxTrustedDevices = 1_000_000;

    private readonly Channel<bool> _restored = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        connection.ConnectionRestored += OnRestored;
        try
        {
            TimeSpan retryDelay = FirstRetryDelay;
            await foreach (bool _ in _restored.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    IReadOnlyList<TrustedDevice> trusted = await storage.TrustedDevicesAsync(MaxTrustedDevices, stoppingToken).ConfigureAwait(false);
                    foreach (TrustedDevice d in trusted)
                        await assessor.SetDeviceTrustAsync(d.Account, d.Tenant, d.Device, true, d.TrustedAt, stoppingToken).ConfigureAwait(false);
                    Log.Retaught(logger, trusted.Count);
                    retryDelay = FirstRetryDelay;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.ReteachFailed(logger, retryDelay.TotalSeconds, ex);
                    await Task.Delay(retryDelay, time, stoppingToken).ConfigureAwait(false);
                    retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
                    _restored.Writer.TryWrite(true);   // unless a reconnection already queued a pass
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            connection.ConnectionRestored -= OnRestored;
        }
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive) _restored.Writer.TryWrite(true);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 414, Level = LogLevel.Information, Message = "Redis is back; {Count} trusted devices re-taught from the database.")]
        public static partial void Retaught(ILogger logger, int count);

        [LoggerMessage(EventId = 415, Level = LogLevel.Warning, Message = "Re-teaching trusted devices into Redis failed; trying again in {Seconds} s.")]
        public static partial void ReteachFailed(ILogger logger, double seconds, Exception exception);
    }
}
