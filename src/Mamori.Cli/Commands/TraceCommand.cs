using System.CommandLine;
using System.Diagnostics;
using TraceOptions = Mamori.Tracing.TraceOptions;
using System.Globalization;
using Mamori.Tracing;
using Mamori.Tracing.Input;
using Mamori.Tracing.Policies;
using Mamori.Tracing.Reports;
using Spectre.Console;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori trace</c>: follow stolen coins to the exchange customers who cashed them out.</summary>
internal static class TraceCommand
{
    /// <summary>Exit code when the report was written but some input records were rejected.</summary>
    public const int ExitInputErrors = 2;

    public static Command Create()
    {
        var transfers = new Option<string[]>("--transfers")
        {
            Description = "Transfer files, merged in time order: NIS1 API JSON, generic CSV (time,from,to,amount,asset,tx_id[,fee][,message]) "
                + "or Ethereum JSON-RPC block exports. The same transaction in two files counts once. '-' reads CSV from standard input.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
            HelpName = "FILE",
        };
        var format = new Option<string>("--format")
        {
            Description = "Input format for all files: auto (by extension and content), nis1, csv or ethereum.",
            DefaultValueFactory = _ => "auto",
        };
        format.AcceptOnlyFromAmong("auto", "nis1", "csv", "ethereum");
        var sources = new Option<string[]>("--source")
        {
            Description = "The thief's addresses (NEM or 0x…). From --theft-time on, all they hold or receive is stolen.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
            HelpName = "ADDR",
        };
        var policies = new Option<string[]>("--policy")
        {
            Description = "Policies to run side by side: poison, haircut, fifo, lifo, tiho. Default: all five.",
            AllowMultipleArgumentsPerToken = true,
        };
        policies.AcceptOnlyFromAmong([.. TaintPolicyNames.All.Select(p => p.ToWireName())]);
        var primary = new Option<string?>("--primary")
        {
            Description = "Policy used for the STIX feed and the HTML flow graph. Default: fifo when run, else the first policy.",
        };
        primary.AcceptOnlyFromAmong([.. TaintPolicyNames.All.Select(p => p.ToWireName())]);
        var fees = new Option<string>("--fee-handling")
        {
            Description = "Which coins pay fees: policy (as any outflow), clean-first, tainted-first.",
            DefaultValueFactory = _ => "policy",
        };
        fees.AcceptOnlyFromAmong([.. Enum.GetValues<FeeHandling>().Select(f => f.ToWireName())]);
        var exchanges = new Option<string?>("--exchanges")
        {
            Description = "CSV with header exchange,address naming exchange deposit addresses. Deposits are grouped by "
                + "(address, message tag): the tag names the exchange's customer.",
            HelpName = "FILE",
        };
        var maxHops = new Option<int>("--max-hops")
        {
            Description = "Poison's hop limit: taint further than this from a source is written off.",
            DefaultValueFactory = _ => 16,
        };
        var cutOff = new Option<double>("--haircut-cut-off")
        {
            Description = "Haircut's cut-off: an account whose stolen share falls below it counts as clean (stops dusting from framing bystanders).",
            DefaultValueFactory = _ => 0.01,
        };
        var maxLotRuns = new Option<int>("--max-lot-runs")
        {
            Description = "FIFO/LIFO memory bound: runs of lots per account before the oldest are folded into one mixed lot "
                + "spent proportionally (haircut-style). Folds are counted in the report (lot_cap).",
            DefaultValueFactory = _ => 16,
        };
        var theftTime = new Option<string?>("--theft-time")
        {
            Description = "When the theft happened (ISO 8601 or Unix seconds). Default: the start of the data.",
        };
        var asset = new Option<string?>("--asset")
        {
            Description = "Asset to trace (nem:xem, eth, a CSV asset). Default: the first file's native asset.",
        };
        var report = new Option<string>("--report") { Description = "Where to write the JSON report.", Required = true, HelpName = "OUT.json" };
        var html = new Option<string?>("--html") { Description = "Also write an offline HTML page with the flow graph.", HelpName = "OUT.html" };
        var stix = new Option<string?>("--stix") { Description = "Also write STIX 2.1 indicators for tainted addresses (for partner exchanges).", HelpName = "OUT.json" };

        var command = new Command("trace",
            "Follow stolen coins to the exchange deposits where they were cashed out: which customers received stolen value, "
            + "how much, by which path, under which accounting rule (poison, haircut, FIFO, LIFO, TIHO).\n\n"
            + "Example (the Coincheck case, NIS1 exports of the thief accounts and the chain):\n"
            + "  mamori trace --transfers thieves.json network.json --source NC4C6P… NAJ2SZ… \\\n"
            + "    --exchanges exchanges.csv --policy fifo haircut --report trace.json --html trace.html --stix feed.json\n\n"
            + "Try it on generated data: mamori trace-sample coincheck --out /tmp/cc, then follow the printed command.\n"
            + "Without --exchanges no deposit can be attributed to an exchange customer: the report then lists none and says so.\n"
            + "Exit codes: 0 done; 1 bad options (including an output folder that does not exist or an --exchanges file that is not "
            + "the CSV); 2 the command line did not parse, or the report was written but some input records were rejected "
            + "(listed in the report) or no transfer of the traced asset was read.");
        foreach (Option option in new Option[] { transfers, format, sources, policies, primary, fees, exchanges, maxHops, cutOff, maxLotRuns, theftTime, asset, report, html, stix })
            command.Options.Add(option);

        command.SetAction((parse, cancellationToken) =>
        {
            var options = new TraceOptions
            {
                Sources = parse.GetValue(sources) ?? [],
                MaxHops = parse.GetValue(maxHops),
                HaircutCutOff = parse.GetValue(cutOff),
                MaxLotRuns = parse.GetValue(maxLotRuns),
                Asset = parse.GetValue(asset),
            };
            string[] chosen = parse.GetValue(policies) ?? [];
            if (chosen.Length > 0) options.Policies = [.. chosen.Select(ParsePolicy)];
            TaintPolicyNames.TryParseFeeHandling(parse.GetValue(fees)!, out FeeHandling feeHandling);
            options.FeeHandling = feeHandling;
            string? theft = parse.GetValue(theftTime);
            if (theft is not null)
            {
                if (!CsvTransferReader.TryParseTime(theft, out long unix))
                    return Task.FromResult(Fail($"--theft-time '{theft}' is neither ISO 8601 nor Unix seconds."));
                options.TheftTime = DateTimeOffset.FromUnixTimeSeconds(unix);
            }
            // Output paths first: a missing folder must not be found after the whole trace has run.
            foreach ((string name, string? path) in new[] { ("--report", parse.GetValue(report)), ("--html", parse.GetValue(html)), ("--stix", parse.GetValue(stix)) })
            {
                if (path is not null && !OutputPath.TryCheck(name, path, out string outputError)) return Task.FromResult(Fail(outputError));
            }
            string? exchangesFile = parse.GetValue(exchanges);
            try
            {
                if (exchangesFile is not null) options.Exchanges = ExchangeFile.Read(exchangesFile);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                return Task.FromResult(Fail($"--exchanges: {ex.Message}"));
            }
            TaintPolicy primaryPolicy = parse.GetValue(primary) is string p ? ParsePolicy(p)
                : options.Policies.Contains(TaintPolicy.Fifo) ? TaintPolicy.Fifo : options.Policies[0];
            if (!options.Policies.Contains(primaryPolicy))
                return Task.FromResult(Fail($"--primary {primaryPolicy.ToWireName()} is not among the policies run."));
            TransferFormat inputFormat = parse.GetValue(format) switch
            {
                "nis1" => TransferFormat.Nis1,
                "csv" => TransferFormat.Csv,
                "ethereum" => TransferFormat.Ethereum,
                _ => TransferFormat.Auto,
            };
            string[] files = parse.GetValue(transfers) ?? [];
            if (files.Count(f => f == CsvTransferReader.StandardInput) > 1) return Task.FromResult(Fail("--transfers: '-' (standard input) can be given once."));
            if (files.Contains(CsvTransferReader.StandardInput) && inputFormat is not (TransferFormat.Auto or TransferFormat.Csv))
                return Task.FromResult(Fail("--transfers: '-' (standard input) is read as CSV only."));
            string? missing = files.FirstOrDefault(f => f != CsvTransferReader.StandardInput && !File.Exists(f));
            if (missing is not null) return Task.FromResult(Fail($"--transfers: {missing} does not exist."));

            Tracer tracer;
            try
            {
                tracer = new Tracer(options);
            }
            catch (ArgumentException ex)
            {
                return Task.FromResult(Fail(ex.Message));
            }
            var stopwatch = Stopwatch.StartNew();
            TraceResult result = RunWithProgress(tracer, [.. files.Select(f => (f, inputFormat))], cancellationToken);
            stopwatch.Stop();

            JsonReportWriter.Write(parse.GetValue(report)!, result);
            if (parse.GetValue(html) is string htmlPath) HtmlReportWriter.Write(htmlPath, result, primaryPolicy);
            if (parse.GetValue(stix) is string stixPath) StixExporter.Write(stixPath, result, primaryPolicy);
            PrintSummary(result, stopwatch.Elapsed);
            foreach (string warning in result.Warnings) Console.Error.WriteLine($"trace: warning: {warning}");
            // Nothing of the asset read is bad input as much as a rejected record: the report is written, the answer is empty.
            return Task.FromResult(result.Context.Errors.Count > 0 || result.NothingTraced ? ExitInputErrors : 0);
        });
        return command;
    }

    private static TraceResult RunWithProgress(Tracer tracer, IReadOnlyList<(string, TransferFormat)> files, CancellationToken cancellationToken)
    {
        if (Console.IsOutputRedirected)
        {
            return tracer.Run(files, n => Console.WriteLine($"trace: {n.ToString("N0", CultureInfo.InvariantCulture)} transfers read"), cancellationToken);
        }
        TraceResult? result = null;
        AnsiConsole.Progress().Start(context =>
        {
            ProgressTask task = context.AddTask("Tracing");
            task.IsIndeterminate = true;
            result = tracer.Run(files, n => task.Description = $"Tracing: {n.ToString("N0", CultureInfo.InvariantCulture)} transfers", cancellationToken);
            task.StopTask();
        });
        return result!;
    }

    private static void PrintSummary(TraceResult result, TimeSpan elapsed)
    {
        var s = result.Statistics;
        Console.WriteLine($"Traced {s.TransfersTraced.ToString("N0", CultureInfo.InvariantCulture)} {result.Asset} transfers "
            + $"({s.Duplicates} duplicates dropped, {s.OtherAssetTransfers} of other assets) in {elapsed.TotalSeconds:F1} s.");
        foreach (TaintLedger ledger in result.Ledgers)
        {
            TaintBooks books = ledger.Books();
            int customers = ledger.Customers.Values.Count(c => c.TaintAmount > 0);
            Console.WriteLine($"  {ledger.Policy.ToWireName(),-8} {customers,6} tainted customers, {books.ToExchanges,22:N0} to exchanges, "
                + $"books {(books.IsConserved ? "balance" : "DO NOT BALANCE")}"
                + (ledger is LotLedger lotLedger ? $", {lotLedger.AccountsFolded:N0} accounts folded at {lotLedger.MaxRuns} runs ({lotLedger.Folds:N0} folds)" : ""));
        }
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        long steps = result.Ledgers.Sum(l => (long)l.Paths.StepCount);
        long lots = result.Ledgers.OfType<LotLedger>().Sum(l => l.LotCount);
        Console.WriteLine($"State: {result.Context.Addresses.Count:N0} accounts, {steps:N0} path entries, {lots:N0} FIFO/LIFO lots, "
            + $"{result.Deposits.Count:N0} exchange customers; managed heap {heap / (1024 * 1024):N0} MiB after the trace.");
        if (result.Context.Errors.Count > 0)
        {
            Console.Error.WriteLine($"{result.Context.Errors.Count} input records rejected; first ones:");
            foreach (var error in result.Context.Errors.Stored.Take(10))
                Console.Error.WriteLine($"  {error.File}: {error.Location}: {error.Message}");
        }
    }

    private static TaintPolicy ParsePolicy(string name) =>
        TaintPolicyNames.TryParsePolicy(name, out TaintPolicy policy) ? policy : throw new ArgumentException($"Unknown policy {name}.");

    private static int Fail(string message)
    {
        Console.Error.WriteLine("trace: " + message);
        return 1;
    }
}
