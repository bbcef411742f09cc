using System.Buffers.Binary;
using System.Net;
using Mamori.Mail.Milter;
using Mamori.Mail.Tests.Support;

namespace Mamori.Mail.Tests;

public sealed class MilterServerTests : IAsyncLifetime
{
    private MilterServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new MilterServer(new MailScanner(new MailScannerOptions()), new IPEndPoint(IPAddress.Loopback, 0));
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static byte[] EmotetMail() => JapaneseMail.Build(new("営業部 大久保さん", "okubo@mail.hacked-isp.example", "RE: 請求書の件",
        "パスワード: Xk3v9q\r\n")
    {
        Attachments = [("請求書.zip", "zip", TestDocuments.ZipCryptoZip("Xk3v9q", ("請求書.docm", TestDocuments.Docm(TestDocuments.AutoOpenShellMacro))))],
    });

    private static byte[] OrdinaryMail() => JapaneseMail.Build(new("鈴木 一郎", "suzuki@example.co.jp", "議事録",
        "本日の議事録を共有します。\r\nよろしくお願いします。\r\n"));

    [Fact]
    public async Task Negotiation_OffersVersion6WithAddHeaderAndQuarantine()
    {
        await using MilterTestClient client = await MilterTestClient.ConnectAsync(_server.LocalEndPoint);

        (uint version, uint actions, uint protocol) = await client.NegotiateAsync();

        Assert.Equal(6u, version);
        Assert.Equal(0x01u | 0x20u, actions);
        Assert.Equal(0u, protocol & 0x10);   // the body is wanted
        Assert.Equal(0u, protocol & 0x20);   // and the headers
    }

    [Fact]
    public async Task EmotetMail_GetsVerdictHeaderAndIsRejectedWith550()
    {
        await using MilterTestClient client = await MilterTestClient.ConnectAsync(_server.LocalEndPoint);
        await client.NegotiateAsync();

        List<(char Command, string Text)> replies = await client.SendMessageAsync(EmotetMail());

        Assert.Contains(replies, r => r.Command == 'h' && r.Text.StartsWith("X-Mamori-Verdict|reject score=", StringComparison.Ordinal));
        Assert.Contains(replies, r => r.Command == 'h' && r.Text.StartsWith("X-Mamori-Findings|", StringComparison.Ordinal) && r.Text.Contains("macro_present", StringComparison.Ordinal));
        Assert.Equal('y', replies[^1].Command);
        Assert.StartsWith("550 5.7.1 ", replies[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoRunMacroDocument_IsQuarantinedAndAccepted()
    {
        byte[] raw = JapaneseMail.Build(new("Tanaka", "tanaka@example.net", "資料", "資料を送ります。\r\n")
        {
            Attachments = [("資料.docm", "vnd.ms-word.document.macroEnabled.12", TestDocuments.Docm(TestDocuments.AutoOpenShellMacro))],
        });
        await using MilterTestClient client = await MilterTestClient.ConnectAsync(_server.LocalEndPoint);
        await client.NegotiateAsync();

        List<(char Command, string Text)> replies = await client.SendMessageAsync(raw);

        Assert.Contains(replies, r => r.Command == 'h' && r.Text.StartsWith("X-Mamori-Verdict|quarantine", StringComparison.Ordinal));
        Assert.Contains(replies, r => r.Command == 'q' && r.Text.Contains("macro_autorun", StringComparison.Ordinal));
        Assert.Equal('a', replies[^1].Command);
    }

    [Fact]
    public async Task OrdinaryMail_GetsAcceptHeaderAndIsAccepted()
    {
        await using MilterTestClient client = await MilterTestClient.ConnectAsync(_server.LocalEndPoint);
        await client.NegotiateAsync();

        List<(char Command, string Text)> replies = await client.SendMessageAsync(OrdinaryMail());

        Assert.Equal([('h', "X-Mamori-Verdict|accept score=0|"), ('a', "")], replies);
    }

    [Fact]
    public async Task SecondMessageOnOneConnection_IsJudgedOnItsOwn()
    {
        await using MilterTestClient client = await MilterTestClient.ConnectAsync(_server.LocalEndPoint);
        await client.NegotiateAsync();
        List<(char Command, string Text)> first = await client.SendMessageAsync(EmotetMail());
        await client.SendAsync('A', []);   // abort: no reply expected

        List<(char Command, string Text)> second = await client.SendMessageAsync(OrdinaryMail());

        Assert.Equal('y', first[^1].Command);
        Assert.Equal('a', second[^1].Command);
    }

    [Fact]
    public async Task OversizedPacket_ClosesTheConnectionWithoutAnswer()
    {
        await using MilterTestClient client = await MilterTestClient.ConnectAsync(_server.LocalEndPoint);
        await client.NegotiateAsync();
        byte[] header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header, 64 * 1024 * 1024);
        header[4] = (byte)'B';

        await client.SendRawAsync(header);

        Assert.Null(await client.ReadAsync());
    }

    [Fact]
    public void NonLoopbackAddress_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new MilterServer(new MailScanner(new MailScannerOptions()), new IPEndPoint(IPAddress.Parse("192.0.2.10"), 8891)));
        Assert.Contains("loopback only", ex.Message, StringComparison.Ordinal);
    }
}
