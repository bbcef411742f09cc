using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Mamori.Mail.Tests.Support;

/// <summary>The MTA side of the milter protocol (version 6), as Postfix speaks it, for tests.</summary>
internal sealed class MilterTestClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private MilterTestClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<MilterTestClient> ConnectAsync(System.Net.IPEndPoint endpoint)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint);
        return new MilterTestClient(tcp);
    }

    public async Task SendAsync(char command, byte[] data)
    {
        byte[] packet = new byte[5 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(1 + data.Length));
        packet[4] = (byte)command;
        data.CopyTo(packet, 5);
        await _stream.WriteAsync(packet);
    }

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>Reads one reply; null when the filter closed the connection.</summary>
    public async Task<(char Command, byte[] Data)?> ReadAsync()
    {
        byte[] length = new byte[4];
        if (await _stream.ReadAtLeastAsync(length, 4, throwOnEndOfStream: false) < 4) return null;
        byte[] packet = new byte[BinaryPrimitives.ReadUInt32BigEndian(length)];
        await _stream.ReadExactlyAsync(packet);
        return ((char)packet[0], packet[1..]);
    }

    public async Task<(uint Version, uint Actions, uint Protocol)> NegotiateAsync()
    {
        byte[] offer = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(offer, 6);
        BinaryPrimitives.WriteUInt32BigEndian(offer.AsSpan(4), 0x1FF);
        BinaryPrimitives.WriteUInt32BigEndian(offer.AsSpan(8), 0x1FFFFF);
        await SendAsync('O', offer);
        (char command, byte[] data) = (await ReadAsync())!.Value;
        if (command != 'O') throw new InvalidOperationException($"expected O, got {command}");
        return (BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)),
            BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(8)));
    }

    public async Task ExpectContinueAsync()
    {
        (char command, _) = (await ReadAsync())!.Value;
        if (command != 'c') throw new InvalidOperationException($"expected c, got {command}");
    }

    /// <summary>Sends one message the way Postfix does (macros, MAIL FROM, headers, EOH, body chunks, EOM) and
    /// returns every reply to end-of-message, the final one last.</summary>
    public async Task<List<(char Command, string Text)>> SendMessageAsync(byte[] raw)
    {
        await SendAsync('D', Encoding.ASCII.GetBytes("Mi\0ABC123\0"));
        await SendAsync('M', Encoding.ASCII.GetBytes("<sender@example.net>\0"));
        await ExpectContinueAsync();
        int split = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        string headerText = Encoding.Latin1.GetString(raw, 0, split);
        foreach ((string name, string value) in UnfoldHeaders(headerText))
        {
            await SendAsync('L', Encoding.Latin1.GetBytes($"{name}\0{value}\0"));
            await ExpectContinueAsync();
        }
        await SendAsync('N', []);
        await ExpectContinueAsync();
        byte[] body = raw[(split + 4)..];
        for (int offset = 0; offset < body.Length; offset += 65_535)
        {
            await SendAsync('B', body[offset..Math.Min(body.Length, offset + 65_535)]);
            await ExpectContinueAsync();
        }
        await SendAsync('E', []);
        var replies = new List<(char, string)>();
        while (true)
        {
            (char command, byte[] data) = (await ReadAsync())!.Value;
            replies.Add((command, Encoding.UTF8.GetString(data).Replace('\0', '|')));
            if (command is 'a' or 'c' or 'y' or 'r' or 't' or 'd') return replies;
        }
    }

    private static IEnumerable<(string Name, string Value)> UnfoldHeaders(string text)
    {
        string? name = null;
        var value = new StringBuilder();
        foreach (string line in text.Split("\r\n"))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && name is not null)
            {
                value.Append('\n').Append(line);   // Postfix passes folded lines with LF
                continue;
            }
            if (name is not null) yield return (name, value.ToString());
            int colon = line.IndexOf(':');
            name = line[..colon];
            value.Clear().Append(line[(colon + 1)..].TrimStart());
        }
        if (name is not null) yield return (name, value.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
