using System.CommandLine;
using System.Globalization;
using System.Text;
using Mamori.Tracing.Generation;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori trace-sample</c>: writes data to try <c>mamori trace</c> on, or to benchmark it.</summary>
internal static class TraceSampleCommand
{
    public static Command Create()
    {
        var command = new Command("trace-sample",
            "Write sample transfer data for `mamori trace`: a Coincheck-like laundering in NIS1 JSON, or a large CSV for benchmarks.");

        var outDir = new Option<string>("--out") { Description = "Folder to write into.", Required = true, HelpName = "DIR" };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes the same data.", DefaultValueFactory = _ => 2018 };
        var coincheck = new Command("coincheck",
            "Thief accounts, dust to bystanders, a dark-web exchange, ~4,800 mule accounts and three exchanges with tagged deposits.\n"
            + "Example: mamori trace-sample coincheck --out /tmp/cc");
        coincheck.Options.Add(outDir);
        coincheck.Options.Add(seed);
        coincheck.SetAction(parse =>
        {
            string dir = parse.GetValue(outDir)!;
            CoincheckScenario s = CoincheckScenarioGenerator.Write(dir, new CoincheckScenarioOptions { Seed = parse.GetValue(seed) });
            Console.WriteLine($"Wrote {string.Join(", ", s.TransferFiles)} and {s.ExchangesFile}.");
            Console.WriteLine($"{s.LaunderingCustomers.Count} laundering customers and {s.CleanCustomers.Count} clean ones are hidden in it. Trace with:");
            Console.WriteLine($"  mamori trace --transfers {string.Join(' ', s.TransferFiles)} --source {string.Join(' ', s.ThiefAddresses)} "
                + $"--exchanges {s.ExchangesFile} --report {Path.Combine(dir, "trace.json")} --html {Path.Combine(dir, "trace.html")} --stix {Path.Combine(dir, "stix.json")}");
            return 0;
        });

        var file = new Option<string>("--out")
        {
            Description = "CSV file to write (put it in /tmp, not in a repository), or - for standard output (pipe it into mamori trace --transfers -).",
            Required = true,
            HelpName = "FILE",
        };
        var exchangesOut = new Option<string?>("--exchanges-out")
        {
            Description = "Where to write the exchanges CSV. Default: beside --out with its extension replaced (/tmp/t.csv → /tmp/t.exchanges.csv); required with --out -.",
            HelpName = "FILE",
        };
        var transfers = new Option<long>("--transfers") { Description = "Rows to write.", DefaultValueFactory = _ => 10_000_000 };
        var accounts = new Option<int>("--accounts") { Description = "Distinct accounts.", DefaultValueFactory = _ => 1_000_000 };
        var scale = new Command("scale", "A large time-ordered CSV with NEM addresses and three exchanges, for the scale benchmark.\n"
            + "Example: mamori trace-sample scale --out /tmp/t10m.csv --transfers 10000000\n"
            + "Without a file: the same seed gives the same accounts, so a tiny run first prints the sources and writes\n"
            + "/tmp/t.exchanges.csv, which the trace in the pipe then reads (trace reads --exchanges when it starts, before a row arrives):\n"
            + "  mamori trace-sample scale --out /tmp/t.csv --transfers 10\n"
            + "  mamori trace-sample scale --out - --exchanges-out /tmp/t.exchanges.csv --transfers 100000000 | mamori trace --transfers - --source … --exchanges /tmp/t.exchanges.csv --report r.json");
        scale.Options.Add(file);
        scale.Options.Add(transfers);
        scale.Options.Add(accounts);
        scale.Options.Add(exchangesOut);
        scale.Options.Add(seed);
        scale.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            bool toStdout = path == "-";
            string? exchangesFile = parse.GetValue(exchangesOut) ?? (toStdout ? null : Path.ChangeExtension(path, ".exchanges.csv"));
            if (exchangesFile is null)
            {
                Console.Error.WriteLine("trace-sample: --out - needs --exchanges-out FILE (standard output carries the transfers).");
                return 1;
            }
            foreach ((string name, string checkedPath) in toStdout ? new[] { ("--exchanges-out", exchangesFile) } : [("--out", path), ("--exchanges-out", exchangesFile)])
            {
                if (!OutputPath.TryCheck(name, checkedPath, out string outputError))
                {
                    Console.Error.WriteLine($"trace-sample: {outputError}");
                    return 1;
                }
            }
            // With the data on standard output, everything said to a person goes to standard error.
            TextWriter say = toStdout ? Console.Error : Console.Out;
            var sizes = new ScaleCsvOptions { Transfers = parse.GetValue(transfers), Accounts = parse.GetValue(accounts), Seed = parse.GetValue(seed) };
            Action<long> progress = n => say.WriteLine($"trace-sample: {n.ToString("N0", CultureInfo.InvariantCulture)} rows");
            // Written before the first row, and whole (temporary file, then rename): a trace reading the rows from a
            // pipe may open it at any moment.
            void WriteExchanges(string[] _, string[] exchanges)
            {
                string temporary = exchangesFile + ".tmp";
                File.WriteAllLines(temporary, ["exchange,address", .. exchanges.Select((e, i) => $"Exchange {(char)('A' + i)},{e}")]);
                File.Move(temporary, exchangesFile, overwrite: true);
            }
            string[] thieves;
            if (toStdout)
            {
                using var writer = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 20);
                (thieves, _) = ScaleCsvGenerator.Write(writer, sizes, progress, WriteExchanges);
            }
            else (thieves, _) = ScaleCsvGenerator.Write(path, sizes, progress, WriteExchanges);
            say.WriteLine($"Wrote {(toStdout ? "standard output" : path)} and {exchangesFile}. Sources: {string.Join(' ', thieves)}");
            return 0;
        });

        command.Subcommands.Add(coincheck);
        command.Subcommands.Add(scale);
        return command;
    }
}
