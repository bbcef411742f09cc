using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mamori.Mail.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mamori.Mail.Milter;

/// <summary>A milter (protocol version 6) that scans each message at end-of-body and answers with
/// add-header (every message), quarantine, or reject (550 5.7.1).</summary>
/// <remarks>Listens on loopback only: the milter protocol has no authentication, so anyone who can reach
/// the port could ask for verdicts or tie up scans. One task per MTA connection, at most
/// <see cref="MaxConnections"/> at once; an idle connection is closed after <see cref="IdleTimeout"/>.</remarks>
public sealed partial class MilterServer : IAsyncDisposable
{
    /// <summary>Concurrent MTA connections served; Postfix opens one per SMTP session.</summary>
    public const int MaxConnections = 256;

    /// <summary>How long a connection may stay silent between commands.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Header carrying the verdict and score, added to every message.</summary>
    public const string VerdictHeader = "X-Mamori-Verdict";

    /// <summary>Header carrying the finding codes, added when there are any.</summary>
    public const string FindingsHeader = "X-Mamori-Findings";

    private readonly MailScanner _scanner;
    private readonly TcpListener _listener;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots = new(MaxConnections);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _acceptLoop;

    /// <summary>Creates a server for <paramref name="endpoint"/>; nothing listens until <see cref="Start"/>.</summary>
    /// <exception cref="ArgumentException">The address is not a loopback address.</exception>
    public MilterServer(MailScanner scanner, IPEndPoint endpoint, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!IPAddress.IsLoopback(endpoint.Address))
            throw new ArgumentException($"The milter listens on loopback only (127.0.0.1 or ::1), not {endpoint.Address}: the protocol has no authentication.", nameof(endpoint));
        _scanner = scanner;
        _listener = new TcpListener(endpoint);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The bound endpoint (useful with port 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Starts listening and accepting connections.</summary>
    public void Start()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                await _slots.WaitAsync(ct).ConfigureAwait(false);
                client = await _listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { break; }
            catch (SocketException ex) { Log.AcceptFailed(_logger, ex); _slots.Release(); continue; }
            _ = Task.Run(async () =>
            {
                try { await ServeAsync(client, ct).ConfigureAwait(false); }
                finally { client.Dispose(); _slots.Release(); }
            }, CancellationToken.None);
        }
    }

    /// <summary>Runs one milter conversation on <paramref name="stream"/> until the MTA quits or closes.</summary>
    internal async Task ServeStreamAsync(Stream stream, CancellationToken ct)
    {
        var session = new Session();
        byte[] lengthBuffer = new byte[4];
        while (!ct.IsCancellationRequested)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
            idle.CancelAfter(IdleTimeout);
            int got = await stream.ReadAtLeastAsync(lengthBuffer, 4, throwOnEndOfStream: false, idle.Token).ConfigureAwait(false);
            if (got < 4) return;
            uint length = BinaryPrimitives.ReadUInt32BigEndian(lengthBuffer);
            if (length is 0 or > MilterProtocol.MaxPacketBytes) { Log.BadPacket(_logger, length); return; }
            byte[] packet = new byte[length];
            await stream.ReadExactlyAsync(packet, idle.Token).ConfigureAwait(false);
            byte command = packet[0];
            ReadOnlyMemory<byte> data = packet.AsMemory(1);
            switch (command)
            {
                case MilterProtocol.OptionNegotiation:
                    await NegotiateAsync(stream, data, ct).ConfigureAwait(false);
                    break;
                case MilterProtocol.Macro:
                    break;   // no reply expected
                case MilterProtocol.Header:
                    session.AddHeader(data.Span, _scanner.Options.MaxMessageBytes);
                    await ReplyAsync(stream, MilterProtocol.Continue, default, ct).ConfigureAwait(false);
                    break;
                case MilterProtocol.EndOfHeaders:
                    session.EndHeaders(_scanner.Options.MaxMessageBytes);
                    await ReplyAsync(stream, MilterProtocol.Continue, default, ct).ConfigureAwait(false);
                    break;
                case MilterProtocol.Body:
                    session.AddBody(data.Span, _scanner.Options.MaxMessageBytes);
                    await ReplyAsync(stream, MilterProtocol.Continue, default, ct).ConfigureAwait(false);
                    break;
                case MilterProtocol.EndOfMessage:
                    if (!data.IsEmpty) session.AddBody(data.Span, _scanner.Options.MaxMessageBytes);
                    await FinishMessageAsync(stream, session, ct).ConfigureAwait(false);
                    session = new Session();
                    break;
                case MilterProtocol.Abort:
                    session = new Session();   // no reply expected
                    break;
                case MilterProtocol.QuitNewConnection:
                    session = new Session();   // the MTA reuses the connection for a new SMTP session
                    break;
                case MilterProtocol.Quit:
                    return;
                case MilterProtocol.Connect or MilterProtocol.Helo or MilterProtocol.MailFrom or MilterProtocol.RcptTo
                    or MilterProtocol.Data or MilterProtocol.Unknown:
                    if (command == MilterProtocol.MailFrom) session = new Session();
                    await ReplyAsync(stream, MilterProtocol.Continue, default, ct).ConfigureAwait(false);
                    break;
                default:
                    Log.UnknownCommand(_logger, (char)command);
                    await ReplyAsync(stream, MilterProtocol.Continue, default, ct).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        try
        {
            client.NoDelay = true;
            await ServeStreamAsync(client.GetStream(), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or EndOfStreamException)
        {
            Log.ConnectionClosed(_logger, ex.Message);
        }
    }

    private static async Task NegotiateAsync(Stream stream, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        uint mtaActions = data.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(data.Span[4..]) : uint.MaxValue;
        uint mtaProtocol = data.Length >= 12 ? BinaryPrimitives.ReadUInt32BigEndian(data.Span[8..]) : 0;
        uint actions = (MilterProtocol.ActionAddHeaders | MilterProtocol.ActionQuarantine) & mtaActions;
        uint skip = (MilterProtocol.SkipConnect | MilterProtocol.SkipHelo | MilterProtocol.SkipRcpt
                     | MilterProtocol.SkipUnknown | MilterProtocol.SkipData) & mtaProtocol;
        byte[] reply = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(reply, MilterProtocol.Version);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(4), actions);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(8), skip);
        await ReplyAsync(stream, MilterProtocol.OptionNegotiation, reply, ct).ConfigureAwait(false);
    }

    private async Task FinishMessageAsync(Stream stream, Session session, CancellationToken ct)
    {
        MailScanResult result;
        try
        {
            result = _scanner.Scan(session.ToMessage());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A scanner fault must not lose mail: the MTA retries a temporary failure later.
            Log.ScanFailed(_logger, ex);
            await ReplyAsync(stream, MilterProtocol.TempFail, default, ct).ConfigureAwait(false);
            return;
        }
        string score = result.Score.ToString("0.##", CultureInfo.InvariantCulture);
        string codes = string.Join(", ", result.Findings.Select(f => f.Code.ToWireName()));
        await ReplyAsync(stream, MilterProtocol.AddHeader, NulTerminated(VerdictHeader, $"{result.Verdict.ToWireName()} score={score}"), ct).ConfigureAwait(false);
        if (codes.Length > 0)
            await ReplyAsync(stream, MilterProtocol.AddHeader, NulTerminated(FindingsHeader, codes), ct).ConfigureAwait(false);
        switch (result.Verdict)
        {
            case MailVerdict.Reject:
                await ReplyAsync(stream, MilterProtocol.ReplyCode, NulTerminated($"550 5.7.1 Message rejected by mail screening ({Truncate(codes, 200)})"), ct).ConfigureAwait(false);
                break;
            case MailVerdict.Quarantine:
                await ReplyAsync(stream, MilterProtocol.Quarantine, NulTerminated($"Mamori: {Truncate(codes, 200)}"), ct).ConfigureAwait(false);
                await ReplyAsync(stream, MilterProtocol.Accept, default, ct).ConfigureAwait(false);
                break;
            default:
                await ReplyAsync(stream, MilterProtocol.Accept, default, ct).ConfigureAwait(false);
                break;
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static byte[] NulTerminated(params string[] parts)
    {
        var output = new MemoryStream();
        foreach (string part in parts)
        {
            // Header values must stay on one line: a CR or LF from a finding would let it forge headers.
            output.Write(Encoding.UTF8.GetBytes(part.Replace('\r', ' ').Replace('\n', ' ').Replace('\0', ' ')));
            output.WriteByte(0);
        }
        return output.ToArray();
    }

    private static async Task ReplyAsync(Stream stream, byte command, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        byte[] packet = new byte[5 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(1 + data.Length));
        packet[4] = command;
        data.CopyTo(packet.AsMemory(5));
        await stream.WriteAsync(packet, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stops accepting; running conversations end with their connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_acceptLoop is not null)
        {
            try { await _acceptLoop.ConfigureAwait(false); }
            catch (OperationCanceledException) { /* stopping */ }
        }
        _stopping.Dispose();
        _slots.Dispose();
    }

    /// <summary>One message being reassembled from header and body packets, bounded by the message limit.</summary>
    private sealed class Session
    {
        private readonly MemoryStream _message = new();

        public void AddHeader(ReadOnlySpan<byte> data, int limit)
        {
            int nameEnd = data.IndexOf((byte)0);
            if (nameEnd < 0) return;
            ReadOnlySpan<byte> name = data[..nameEnd];
            ReadOnlySpan<byte> value = data[(nameEnd + 1)..];
            int valueEnd = value.IndexOf((byte)0);
            if (valueEnd >= 0) value = value[..valueEnd];
            Append(name, limit);
            Append(": "u8, limit);
            // Postfix sends folded values with bare LF; MIME wants CRLF.
            foreach (byte b in value)
            {
                if (b == '\n') Append("\r\n"u8, limit);
                else if (b != '\r') Append([b], limit);
            }
            Append("\r\n"u8, limit);
        }

        public void EndHeaders(int limit) => Append("\r\n"u8, limit);

        public void AddBody(ReadOnlySpan<byte> chunk, int limit) => Append(chunk, limit);

        private void Append(ReadOnlySpan<byte> bytes, int limit)
        {
            // Keep one byte past the limit so the scanner sees the message was larger and says so.
            long room = limit + 1L - _message.Length;
            if (room <= 0) return;
            _message.Write(bytes[..(int)Math.Min(bytes.Length, room)]);
        }

        public ReadOnlyMemory<byte> ToMessage() => _message.GetBuffer().AsMemory(0, (int)_message.Length);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Milter accept failed")]
        public static partial void AcceptFailed(ILogger logger, Exception ex);

        [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Milter packet of {Length} bytes refused; closing the connection")]
        public static partial void BadPacket(ILogger logger, uint length);

        [LoggerMessage(EventId = 903, Level = LogLevel.Debug, Message = "Milter command '{Command}' not known; answered continue")]
        public static partial void UnknownCommand(ILogger logger, char command);

        [LoggerMessage(EventId = 904, Level = LogLevel.Debug, Message = "Milter connection closed: {Reason}")]
        public static partial void ConnectionClosed(ILogger logger, string reason);

        [LoggerMessage(EventId = 905, Level = LogLevel.Error, Message = "Mail scan failed; answered tempfail")]
        public static partial void ScanFailed(ILogger logger, Exception ex);
    }
}
