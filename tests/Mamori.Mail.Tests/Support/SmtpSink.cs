using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Mamori.Mail.Tests.Support;

/// <summary>A minimal SMTP server on loopback that accepts every message and hands it to the test.</summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly Task _loop;

    public SmtpSink()
    {
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The next delivered message, or null when none arrives within <paramref name="wait"/>.</summary>
    public async Task<string?> NextMessageAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try { return await _messages.Reader.ReadAsync(timeout.Token); }
        catch (OperationCanceledException) { return null; }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.Latin1);
                await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 sink.test ESMTP");
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    string verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO" or "HELO": await writer.WriteLineAsync("250 sink.test"); break;
                        case "DATA":
                            await writer.WriteLineAsync("354 go ahead");
                            var message = new StringBuilder();
                            while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                                message.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                            await _messages.Writer.WriteAsync(message.ToString());
                            await writer.WriteLineAsync("250 queued");
                            break;
                        case "QUIT": await writer.WriteLineAsync("221 bye"); return;
                        default: await writer.WriteLineAsync("250 ok"); break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException) { /* peer left */ }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
