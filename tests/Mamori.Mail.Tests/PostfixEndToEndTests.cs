using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mamori.Mail.Milter;
using Mamori.Mail.Tests.Support;
using Xunit.Abstractions;

namespace Mamori.Mail.Tests;

/// <summary>A real MTA path: a private Postfix instance (Debian's package, started from a temporary config
/// directory on loopback high ports) with Mamori as its milter, relaying to an SMTP sink in the test.</summary>
public sealed class PostfixEndToEndTests(ITestOutputHelper output)
{
    private const string PostfixBinary = "/usr/sbin/postfix";
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task PostfixWithMamoriMilter_TagsAcceptedMailRejectsEmotetAndHoldsQuarantinedMail()
    {
        Skip.IfNot(File.Exists(PostfixBinary), "Postfix is not installed (.ci/services.sh installs Debian's postfix package)");
        Skip.IfNot(Environment.IsPrivilegedProcess, "starting a private Postfix instance needs root");
        Skip.IfNot(OperatingSystem.IsLinux(), "Debian's Postfix runs on Linux only");

        string root = Directory.CreateTempSubdirectory("mamori-postfix-").FullName;
        // Postfix's daemons run as user postfix and must be able to reach the queue and data folders.
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using var milter = new MilterServer(new MailScanner(new MailScannerOptions()), new IPEndPoint(IPAddress.Loopback, 0));
        milter.Start();
        await using var sink = new SmtpSink();
        int smtpPort = FreePort();
        var postfix = new PrivatePostfix(root, smtpPort, milter.LocalEndPoint.Port, sink.Port);
        try
        {
            postfix.Start();

            byte[] ordinary = JapaneseMail.Build(new("鈴木 一郎", "suzuki@example.co.jp", "議事録", "本日の議事録を共有します。\r\n"));
            string accepted = await SendAsync(smtpPort, ordinary);
            Assert.StartsWith("250", accepted, StringComparison.Ordinal);
            string? delivered = await sink.NextMessageAsync(DeliveryWait);
            Assert.True(delivered is not null, $"nothing was relayed within {DeliveryWait}; maillog:\n{postfix.Log()}");
            Assert.Contains("X-Mamori-Verdict: accept score=0", delivered, StringComparison.Ordinal);

            byte[] emotet = JapaneseMail.Build(new("営業部 大久保さん", "okubo@mail.hacked-isp.example", "RE: 請求書の件", "パスワード: Xk3v9q\r\n")
            {
                Attachments = [("請求書.zip", "zip", TestDocuments.ZipCryptoZip("Xk3v9q", ("請求書.docm", TestDocuments.Docm(TestDocuments.AutoOpenShellMacro))))],
            });
            string rejected = await SendAsync(smtpPort, emotet);
            Assert.StartsWith("550 5.7.1", rejected, StringComparison.Ordinal);

            byte[] macro = JapaneseMail.Build(new("Tanaka", "tanaka@example.net", "資料", "資料を送ります。\r\n")
            {
                Attachments = [("資料.docm", "vnd.ms-word.document.macroEnabled.12", TestDocuments.Docm(TestDocuments.AutoOpenShellMacro))],
            });
            string held = await SendAsync(smtpPort, macro);
            Assert.StartsWith("250", held, StringComparison.Ordinal);
            // Postfix files a quarantined message straight into its hold queue before answering 250.
            Assert.True(Directory.EnumerateFiles(Path.Combine(root, "queue", "hold"), "*", SearchOption.AllDirectories).Any(),
                $"the quarantined message is not on hold; maillog:\n{postfix.Log()}");
        }
        finally
        {
            output.WriteLine(postfix.Log());
            postfix.Stop();
            Directory.Delete(root, recursive: true);
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Sends one message over SMTP and returns the server's reply to the end of DATA.</summary>
    private static async Task<string> SendAsync(int port, byte[] message)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1);
        async Task<string> ReplyAsync()
        {
            string line;
            do { line = await reader.ReadLineAsync() ?? throw new IOException("SMTP server closed the connection"); }
            while (line.Length > 3 && line[3] == '-');
            return line;
        }
        async Task<string> CommandAsync(string command)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            return await ReplyAsync();
        }
        Assert.StartsWith("220", await ReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await CommandAsync("EHLO client.test"), StringComparison.Ordinal);
        Assert.StartsWith("250", await CommandAsync("MAIL FROM:<sender@client.test>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await CommandAsync("RCPT TO:<yamada@example.co.jp>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await CommandAsync("DATA"), StringComparison.Ordinal);
        string text = Encoding.Latin1.GetString(message).Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        await stream.WriteAsync(Encoding.Latin1.GetBytes(text.EndsWith("\r\n", StringComparison.Ordinal) ? text : text + "\r\n"));
        string reply = await CommandAsync(".");
        await CommandAsync("QUIT");
        return reply;
    }

    /// <summary>A Postfix instance of its own: config, queue and log under a temporary folder, SMTP on a
    /// loopback high port, relaying everything to the sink; never the system instance on port 25.</summary>
    private sealed class PrivatePostfix(string root, int smtpPort, int milterPort, int sinkPort)
    {
        private string Etc => Path.Combine(root, "etc");
        private string LogFile => Path.Combine(root, "maillog");

        public void Start()
        {
            Directory.CreateDirectory(Etc);
            Directory.CreateDirectory(Path.Combine(root, "queue"));
            Directory.CreateDirectory(Path.Combine(root, "data"));
            File.WriteAllText(Path.Combine(Etc, "main.cf"), $"""
                compatibility_level = 3.6
                queue_directory = {root}/queue
                data_directory = {root}/data
                maillog_file = {LogFile}
                maillog_file_prefixes = {root}
                inet_interfaces = loopback-only
                inet_protocols = ipv4
                myhostname = mamori-test.localdomain
                mydestination =
                mynetworks = 127.0.0.0/8
                relayhost = [127.0.0.1]:{sinkPort}
                smtpd_milters = inet:127.0.0.1:{milterPort}
                milter_protocol = 6
                milter_default_action = tempfail
                smtpd_relay_restrictions = permit_mynetworks, reject
                smtp_dns_support_level = disabled
                smtp_tls_security_level = none
                smtpd_tls_security_level = none
                alias_maps =
                alias_database =
                local_recipient_maps =
                """);
            File.WriteAllText(Path.Combine(Etc, "master.cf"), $"""
                127.0.0.1:{smtpPort} inet n - n - - smtpd
                pickup    unix  n - n 60 1 pickup
                cleanup   unix  n - n -  0 cleanup
                qmgr      unix  n - n 300 1 qmgr
                rewrite   unix  - - n -  - trivial-rewrite
                bounce    unix  - - n -  0 bounce
                defer     unix  - - n -  0 bounce
                trace     unix  - - n -  0 bounce
                verify    unix  - - n -  1 verify
                flush     unix  n - n 1000? 0 flush
                proxymap  unix  - - n -  - proxymap
                smtp      unix  - - n -  - smtp
                relay     unix  - - n -  - smtp
                showq     unix  n - n -  - showq
                error     unix  - - n -  - error
                retry     unix  - - n -  - error
                discard   unix  - - n -  - discard
                anvil     unix  - - n -  1 anvil
                scache    unix  - - n -  1 scache
                postlog   unix-dgram n - n - 1 postlogd
                """);
            Run("chown", $"postfix {root}/data");
            (int code, string text) = Run(PostfixBinary, $"-c {Etc} start");
            Assert.True(code == 0, $"postfix start failed ({code}): {text}\n{Log()}");
        }

        public void Stop()
        {
            Run(PostfixBinary, $"-c {Etc} stop");
            // If stop did not end the master (e.g. start half-failed), end it by its own pid, nothing broader.
            string pidFile = Path.Combine(root, "queue", "pid", "master.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid))
            {
                try { using Process master = Process.GetProcessById(pid); master.Kill(entireProcessTree: true); master.WaitForExit(5_000); }
                catch (ArgumentException) { /* already gone */ }
                catch (InvalidOperationException) { /* already gone */ }
            }
        }

        public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no maillog)";

        private static (int Code, string Output) Run(string file, string arguments)
        {
            using Process process = Process.Start(new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            string text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit(30_000);
            return (process.ExitCode, text);
        }
    }
}
