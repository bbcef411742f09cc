using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Mamori.Mail;
using Mamori.Mail.Milter;
using Mamori.Mail.Policy;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori mail scan</c> and <c>mamori mail milter</c>: the mail-screening module's front doors.</summary>
internal static class MailCommand
{
    /// <summary>Messages between two progress lines when stderr is not a terminal.</summary>
    private const int PlainProgressEvery = 10_000;

    public static Command Create()
    {
        var mail = new Command("mail",
            "Screen e-mail for Emotet-style reply-chain mail and phishing: macro documents, password zips with the " +
            "password in the body, forged sender names, fake replies, lookalike domains.\n" +
            "Examples:\n  mamori mail scan suspicious.eml\n  mamori mail scan ~/Maildir/new --json > verdicts.jsonl\n" +
            "  mamori mail milter --listen 127.0.0.1:8891 --own-domain example.co.jp");
        mail.Subcommands.Add(CreateScan());
        mail.Subcommands.Add(CreateMilter());
        return mail;
    }

    private sealed record CommonOptions(Option<string[]> Own, Option<string[]> Partner, Option<string[]> Trusted);

    private static CommonOptions AddCommon(Command command)
    {
        var own = new Option<string[]>("--own-domain")
        {
            Description = "Your organisation's domain (repeatable), e.g. example.co.jp: senders and links one edit away or confusable with it are flagged (lookalike_domain).",
            AllowMultipleArgumentsPerToken = true,
        };
        var partner = new Option<string[]>("--partner-domain")
        {
            Description = "A partner domain you correspond with (repeatable); protected from lookalikes like your own.",
            AllowMultipleArgumentsPerToken = true,
        };
        var trusted = new Option<string[]>("--trusted-authserv-id")
        {
            Description = "authserv-id of your own MTA's Authentication-Results headers (repeatable); only those SPF/DKIM/DMARC results are believed.",
            AllowMultipleArgumentsPerToken = true,
        };
        command.Options.Add(own);
        command.Options.Add(partner);
        command.Options.Add(trusted);
        return new CommonOptions(own, partner, trusted);
    }

    private static MailScanner? BuildScanner(ParseResult parse, CommonOptions common)
    {
        var options = new MailScannerOptions();
        foreach (string d in parse.GetValue(common.Own) ?? []) options.OwnDomains.Add(d);
        foreach (string d in parse.GetValue(common.Partner) ?? []) options.PartnerDomains.Add(d);
        foreach (string d in parse.GetValue(common.Trusted) ?? []) options.TrustedAuthServIds.Add(d);
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count == 0) return new MailScanner(options);
        foreach (string error in errors) Console.Error.WriteLine(error);
        return null;
    }

    private static Command CreateScan()
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "A .eml file, a folder of them (searched recursively), a Maildir folder, or an mbox file.",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per message: {file, verdict, score, findings: [{code, message}]}." };
        // No DefaultValueFactory: "not given" must stay visible, because a Maildir folder then reads every file.
        var pattern = new Option<string?>("--pattern")
        {
            Description = $"Which files of a folder are messages (wildcards). Default: {MailBatch.DefaultPattern}, and every file in a " +
                "Maildir (a folder named new/ or cur/, or one holding cur/, new/ and tmp/: its cur/ and new/ files; tmp/ is skipped).",
        };
        var scan = new Command("scan",
            "Scan messages and print a verdict per message: accept, tag, quarantine or reject, with the findings that led to it.\n" +
            "Examples:\n  mamori mail scan invoice.eml\n  mamori mail scan ~/Maildir/new --json\n  mamori mail scan ./inbox --pattern '*.txt' --json\n" +
            "  mamori mail scan archive.mbox --own-domain example.co.jp\n" +
            "Exit codes: 0 every message scanned; 2 bad options, or some input could not be read (a path that does not exist, " +
            "a folder with no matching file, an unreadable file: each is named on stderr, the rest is still scanned).");
        scan.Arguments.Add(paths);
        scan.Options.Add(json);
        scan.Options.Add(pattern);
        CommonOptions common = AddCommon(scan);
        scan.SetAction(parse =>
        {
            MailScanner? scanner = BuildScanner(parse, common);
            if (scanner is null) return 2;
            return RunScan(scanner, parse.GetValue(paths) ?? [], parse.GetValue(pattern), parse.GetValue(json));
        });
        return scan;
    }

    /// <summary>Exit code when some input could not be read (the rest was scanned), as for bad options.</summary>
    public const int ExitInputUnreadable = 2;

    private static int RunScan(MailScanner scanner, string[] paths, string? pattern, bool json)
    {
        var counts = new int[Enum.GetValues<MailVerdict>().Length];
        int unreadable = 0, total = 0;
        var clock = Stopwatch.StartNew();
        using Stream stdout = Console.OpenStandardOutput();
        using var buffered = new BufferedStream(stdout, 64 * 1024);
        using var writer = new Utf8JsonWriter(buffered, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        using var text = new StreamWriter(buffered, leaveOpen: true) { AutoFlush = false };

        // Messages are independent: scan on every core, print in input order.
        IEnumerable<(MailBatchItem Item, MailScanResult? Result)> results = MailBatch
            .Enumerate(paths, pattern, scanner.Options.MaxMessageBytes)
            .AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount)
            .Select(item => (item, item.Raw is null ? null : scanner.Scan(item.Raw)));

        void Consume(Action<int>? progress)
        {
            foreach ((MailBatchItem item, MailScanResult? result) in results)
            {
                total++;
                if (result is null)
                {
                    unreadable++;
                    Console.Error.WriteLine($"mail scan: {item.Error}");
                    continue;
                }
                counts[(int)result.Verdict]++;
                if (json)
                {
                    MailScanResultJson.Write(writer, item.Label, result);
                    writer.Flush();
                    writer.Reset();
                    buffered.WriteByte((byte)'\n');
                }
                else
                {
                    string codes = string.Join(", ", result.Findings.Select(f => f.Code.ToWireName()));
                    text.WriteLine($"{result.Verdict.ToWireName(),-10} {result.Score.ToString("0.0", CultureInfo.InvariantCulture),6}  {item.Label}{(codes.Length > 0 ? "  " + codes : "")}");
                    text.Flush();
                }
                progress?.Invoke(total);
            }
        }

        if (!Console.IsErrorRedirected && Console.IsOutputRedirected)
        {
            IAnsiConsole err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            err.Status().Start("Scanning mail…", status => Consume(n => { if (n % 500 == 0) status.Status($"Scanned {n:N0} messages…"); }));
        }
        else
        {
            Consume(n => { if (n % PlainProgressEvery == 0) Console.Error.WriteLine($"scanned {n:N0} messages"); });
        }
        buffered.Flush();

        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mail scan: {total} message(s) in {seconds:0.00} s ({(total - unreadable) / seconds:0} msg/s on {Environment.ProcessorCount} cores): " +
            $"accept {counts[(int)MailVerdict.Accept]}, tag {counts[(int)MailVerdict.Tag]}, quarantine {counts[(int)MailVerdict.Quarantine]}, " +
            $"reject {counts[(int)MailVerdict.Reject]}, unreadable {unreadable}"));
        // A typo in one of several paths must not pass for "all clean": any input not read fails the run.
        return unreadable > 0 ? ExitInputUnreadable : 0;
    }

    private static Command CreateMilter()
    {
        var listen = new Option<string>("--listen")
        {
            Description = "Loopback address and port to serve the milter protocol on, e.g. 127.0.0.1:8891. " +
                          "Postfix: smtpd_milters = inet:127.0.0.1:8891 and milter_default_action = accept.",
            DefaultValueFactory = _ => "127.0.0.1:8891",
        };
        var milter = new Command("milter",
            "Run a Sendmail/Postfix milter (protocol 6): every message gets X-Mamori-Verdict; quarantine verdicts are " +
            "held by the MTA, reject verdicts are refused with 550 5.7.1.\n" +
            "Example:\n  mamori mail milter --listen 127.0.0.1:8891 --own-domain example.co.jp");
        milter.Options.Add(listen);
        CommonOptions common = AddCommon(milter);
        milter.SetAction(async (parse, ct) =>
        {
            string value = parse.GetValue(listen) ?? "";
            if (!IPEndPoint.TryParse(value, out IPEndPoint? endpoint) || endpoint.Port == 0)
            {
                Console.Error.WriteLine($"--listen: '{value}' is not an address:port such as 127.0.0.1:8891.");
                return 2;
            }
            if (!IPAddress.IsLoopback(endpoint.Address))
            {
                Console.Error.WriteLine($"--listen: {endpoint.Address} is not a loopback address; the milter protocol has no authentication, so Mamori serves it on loopback only.");
                return 2;
            }
            MailScanner? scanner = BuildScanner(parse, common);
            if (scanner is null) return 2;
            using ILoggerFactory logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            await using var server = new MilterServer(scanner, endpoint, logging.CreateLogger("Mamori.Mail.Milter"));
            try
            {
                server.Start();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                Console.Error.WriteLine($"--listen {endpoint}: {ex.Message}");
                return 2;
            }
            Console.Error.WriteLine($"mamori mail milter listening on {server.LocalEndPoint}; Ctrl+C stops it.");
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { /* Ctrl+C */ }
            return 0;
        });
        return milter;
    }
}
