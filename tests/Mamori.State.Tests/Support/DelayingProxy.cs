using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Mamori.State.Tests.Support;

/// <summary>
/// A loopback TCP proxy that hands every chunk of the server's replies to the client a fixed delay after it arrived
/// (chunks keep their order and are not delayed one after another), so a test can count a client's sequential waits
/// by the clock: n round trips take at least n × the delay.
/// </summary>
public sealed class DelayingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];

    public DelayingProxy(string target, TimeSpan delay)
    {
        string[] parts = target.Split(':');
        _target = new IPEndPoint(IPAddress.Parse(parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        _delay = delay;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary><c>127.0.0.1:port</c> of the proxy.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(_target, _stop.Token);
                lock (_sockets) { _sockets.Add(client); _sockets.Add(server); }
                _ = PumpAsync(client.GetStream(), server.GetStream(), TimeSpan.Zero);
                _ = PumpAsync(server.GetStream(), client.GetStream(), _delay);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Stream from, Stream to, TimeSpan delay)
    {
        var chunks = Channel.CreateUnbounded<(byte[] Data, long Due)>();
        Task writer = Task.Run(async () =>
        {
            await foreach ((byte[] data, long due) in chunks.Reader.ReadAllAsync(_stop.Token))
            {
                TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _stop.Token);
                await to.WriteAsync(data, _stop.Token);
            }
        });
        try
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
                chunks.Writer.TryWrite((buffer[..read], Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency)));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        chunks.Writer.TryComplete();
        try { await writer; } catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets) foreach (TcpClient socket in _sockets) socket.Dispose();
        _stop.Dispose();
    }
}
