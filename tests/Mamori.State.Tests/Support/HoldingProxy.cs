using System.Net;
using System.Net.Sockets;

namespace Mamori.State.Tests.Support;

/// <summary>
/// A loopback TCP proxy in front of a Redis-protocol server that can hold the server's replies back until the test
/// releases them. It counts commands forwarded and replies received (it reads RESP), so a test can wait, on a signal
/// and not on the clock, for the moment every command sent so far has been answered and its reply is held: the
/// client is waiting. Releasing once and seeing the client finish proves it needed one round trip.
/// </summary>
public sealed class HoldingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _write = new(1, 1);   // one writer to clients at a time, so held and new replies keep their order
    private readonly List<(Stream To, byte[] Data)> _held = [];
    private long _forwarded, _answered;
    private bool _holding;
    private TaskCompletionSource? _quiet;
    private long _quietAfter;

    public HoldingProxy(string target)
    {
        string[] parts = target.Split(':');
        _target = new IPEndPoint(IPAddress.Parse(parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary><c>127.0.0.1:port</c> of the proxy.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>From now on, replies wait in the proxy until <see cref="ReleaseAsync"/>.</summary>
    public void Hold()
    {
        lock (_gate) _holding = true;
    }

    /// <summary>Hands every held reply on, in order, and lets replies through from now on.</summary>
    public Task PassThroughAsync() => FlushAsync(holdAfter: false);

    /// <summary>The counts, for a failing test's message.</summary>
    public override string ToString()
    {
        lock (_gate) return $"commands forwarded {_forwarded}, replies received {_answered}, chunks held {_held.Count}";
    }

    /// <summary>Commands forwarded to the server so far.</summary>
    public long Forwarded
    {
        get { lock (_gate) return _forwarded; }
    }

    /// <summary>
    /// Completes once at least <paramref name="commands"/> commands have been forwarded in all, every one of them is
    /// answered, and at least one reply is held. The count matters: a client's pipelined commands may reach the proxy
    /// in several writes, and the first ones can be answered before the last arrive.
    /// </summary>
    public Task AllAnsweredAndHeldAsync(long commands)
    {
        lock (_gate)
        {
            _quiet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _quietAfter = commands;
            CheckQuiet();
            return _quiet.Task;
        }
    }

    /// <summary>Hands every held reply to its client, in order; replies keep being held afterwards.</summary>
    public Task ReleaseAsync() => FlushAsync(holdAfter: true);

    private async Task FlushAsync(bool holdAfter)
    {
        await _write.WaitAsync();
        try
        {
            List<(Stream To, byte[] Data)> held;
            lock (_gate)
            {
                held = [.. _held];
                _held.Clear();
                _holding = holdAfter;
            }
            foreach ((Stream to, byte[] data) in held) await to.WriteAsync(data);
        }
        finally
        {
            _write.Release();
        }
    }

    private void CheckQuiet()
    {
        if (_quiet is not null && _held.Count > 0 && _forwarded >= _quietAfter && _answered == _forwarded) _quiet.TrySetResult();
    }

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
                _ = PumpAsync(client.GetStream(), server.GetStream(), fromClient: true);
                _ = PumpAsync(server.GetStream(), client.GetStream(), fromClient: false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool fromClient)
    {
        var values = new RespCounter();
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                byte[] chunk = buffer[..read];
                int complete = values.Add(chunk);
                if (fromClient)
                {
                    lock (_gate) _forwarded += complete;   // counted before forwarding, so no reply can be counted first
                    await to.WriteAsync(chunk, _stop.Token);
                    continue;
                }
                await _write.WaitAsync(_stop.Token);
                try
                {
                    bool write;
                    lock (_gate)
                    {
                        _answered += complete;
                        write = !_holding;
                        if (!write) _held.Add((to, chunk));
                        CheckQuiet();
                    }
                    if (write) await to.WriteAsync(chunk, _stop.Token);
                }
                finally
                {
                    _write.Release();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets) foreach (TcpClient socket in _sockets) socket.Dispose();
        _stop.Dispose();
        _write.Dispose();
    }

    /// <summary>
    /// Counts complete top-level RESP2/RESP3 values in a byte stream: commands one way, replies the other. Pushes
    /// (<c>&gt;</c>) answer no command and are not counted; an attribute (<c>|</c>) belongs to the value after it.
    /// </summary>
    private sealed class RespCounter
    {
        private readonly List<byte> _pending = [];

        /// <summary>Appends <paramref name="chunk"/>; returns how many countable values it completed.</summary>
        public int Add(byte[] chunk)
        {
            _pending.AddRange(chunk);
            byte[] data = [.. _pending];
            int at = 0, complete = 0;
            while (at < data.Length)
            {
                bool push = data[at] == (byte)'>';
                if (!TrySkipValue(data, ref at)) break;
                if (!push) complete++;
            }
            _pending.RemoveRange(0, at);
            return complete;
        }

        private static bool TrySkipValue(byte[] data, ref int at)
        {
            int start = at;
            if (at >= data.Length) return false;
            byte type = data[at];
            bool sized = type is (byte)'$' or (byte)'=' or (byte)'!' or (byte)'*' or (byte)'%' or (byte)'~' or (byte)'>' or (byte)'|';
            if (!TryReadLine(data, ref at, out long number, sized))
            {
                at = start;
                return false;
            }
            bool complete = type switch
            {
                (byte)'$' or (byte)'=' or (byte)'!' when number >= 0 => SkipBytes(data, ref at, number + 2),
                (byte)'*' or (byte)'~' or (byte)'>' => SkipValues(data, ref at, number),
                (byte)'%' => SkipValues(data, ref at, 2 * number),
                (byte)'|' => SkipValues(data, ref at, 2 * number) && TrySkipValue(data, ref at),   // the attribute, then its value
                _ => true,   // simple string, error, integer, null, double, boolean, big number, or an absent bulk/array
            };
            if (!complete) at = start;
            return complete;
        }

        private static bool SkipBytes(byte[] data, ref int at, long count)
        {
            if (at + count > data.Length) return false;
            at += (int)count;
            return true;
        }

        private static bool SkipValues(byte[] data, ref int at, long count)
        {
            for (long i = 0; i < count; i++)
                if (!TrySkipValue(data, ref at)) return false;
            return true;
        }

        private static bool TryReadLine(byte[] data, ref int at, out long number, bool sized)
        {
            number = 0;
            int end = Array.IndexOf(data, (byte)'\n', at);
            if (end < 0) return false;
            if (sized) number = long.Parse(System.Text.Encoding.ASCII.GetString(data, at + 1, end - at - 2), System.Globalization.CultureInfo.InvariantCulture);
            at = end + 1;
            return true;
        }
    }
}
