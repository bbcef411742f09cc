using System.CommandLine;
using System.Globalization;
using Mamori.Breach;
using Mamori.Breach.Import;
using Spectre.Console;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori breach import|status</c>: load a Pwned Passwords corpus into the data folder's range index.</summary>
internal static class BreachCommand
{
    private const string DefaultDataFolder = "./mamori-data";
    private const int RejectedLinesShown = 20;

    public static Command Create()
    {
        var command = new Command("breach",
            "Breached-password corpus (Pwned Passwords) served at GET /range/{prefix} by `mamori serve`.\n" +
            "Examples:\n" +
            "  mamori breach import pwnedpasswords.txt\n" +
            "  mamori breach import pwnedpasswords_ntlm.txt --data /var/lib/mamori\n" +
            "  mamori breach status");
        command.Subcommands.Add(CreateImport());
        command.Subcommands.Add(CreateStatus());
        return command;
    }

    private static Option<string> DataOption() => new("--data")
    {
        Description = "Mamori data folder; the index goes to its breach/ sub-folder.",
        DefaultValueFactory = _ => DefaultDataFolder,
    };

    private static Command CreateImport()
    {
        var file = new Argument<FileInfo>("FILE")
        {
            Description = "Corpus as published: one HASH:COUNT line per hash (40-hex SHA-1 or 32-hex NTLM), sorted or not, any size.",
        };
        Option<string> data = DataOption();
        var mode = new Option<string>("--mode")
        {
            Description = "Hash type of the corpus: auto (from the first valid line), sha1 or ntlm.",
            DefaultValueFactory = _ => "auto",
        };
        mode.AcceptOnlyFromAmong("auto", "sha1", "ntlm");
        var memory = new Option<int>("--memory-mib")
        {
            Description = "Memory for sorting before runs spill to disk under the data folder (16-65536 MiB).",
            DefaultValueFactory = _ => 512,
        };
        var rejects = new Option<string?>("--rejected-lines")
        {
            Description = "Write every rejected line's number and reason to this file (the summary shows the first 20).",
        };
        var acceptBad = new Option<bool>("--accept-bad-lines")
        {
            Description = "Replace the index even when more than half of the lines are rejected (refused by default: such a file is " +
                "usually the wrong one, and its few good lines would replace a full index).",
        };
        var command = new Command("import",
            "Load a Pwned Passwords corpus into a compact on-disk range index (streaming; the file is never read whole).\n" +
            "The new index replaces the old one only when complete: an interrupted import leaves the old index in place,\n" +
            "and running the import again starts it over. Bad lines are skipped and listed with their line numbers;\n" +
            "a file with no valid line, or with more than half of its lines bad, is refused and changes nothing (--accept-bad-lines).\n" +
            "Exit codes: 0 imported; 1 the import failed (disk, lock, options); 2 the corpus was refused; 130 cancelled.\n" +
            "Examples:\n" +
            "  mamori breach import pwnedpasswords.txt\n" +
            "  mamori breach import pwnedpasswords_ntlm.txt --mode ntlm --data /var/lib/mamori --memory-mib 2048")
        {
            file, data, mode, memory, rejects, acceptBad,
        };
        command.SetAction((parse, ct) => ImportAsync(
            parse.GetValue(file)!, parse.GetValue(data)!, parse.GetValue(mode)!, parse.GetValue(memory), parse.GetValue(rejects), parse.GetValue(acceptBad), ct));
        return command;
    }

    private static Command CreateStatus()
    {
        Option<string> data = DataOption();
        var command = new Command("status", "Show which breach indexes are loaded from the data folder.\nExample:\n  mamori breach status --data /var/lib/mamori")
        {
            data,
        };
        command.SetAction(parse =>
        {
            using var index = new BreachIndex(new BreachIndexOptions { DataFolder = parse.GetValue(data)! }, TimeProvider.System);
            BreachIndexStatus status = index.Status;
            Console.WriteLine($"breach: {status.State.ToWireName()}");
            Print("sha1", status.Sha1);
            Print("ntlm", status.Ntlm);
            return 0;
        });
        return command;

        static void Print(string name, BreachCorpusStatus corpus)
        {
            string detail = corpus.State == BreachIndexState.Loaded
                ? string.Create(CultureInfo.InvariantCulture, $"{corpus.Hashes:N0} hashes, imported {corpus.ImportedAt:u}")
                : "no index imported";
            if (corpus.Error is not null) detail += $" (error: {corpus.Error})";
            Console.WriteLine($"  {name}: {corpus.State.ToWireName()}, {detail}");
        }
    }

    /// <summary>Exit code when the corpus itself was refused (no valid line, or mostly bad lines); the index is unchanged.</summary>
    public const int ExitCorpusRefused = 2;

    private static async Task<int> ImportAsync(FileInfo file, string dataFolder, string mode, int memoryMiB, string? rejectedLines, bool acceptBadLines, CancellationToken ct)
    {
        var options = new BreachImportOptions
        {
            Mode = mode switch { "sha1" => PwnedHashMode.Sha1, "ntlm" => PwnedHashMode.Ntlm, _ => null },
            MemoryLimitMiB = memoryMiB,
            RejectedLinesPath = rejectedLines,
            AcceptBadLines = acceptBadLines,
        };
        try
        {
            options.Validate();
            BreachImportResult result = Console.IsOutputRedirected
                ? await Task.Run(() => BreachImporter.Import(file.FullName, dataFolder, options, new PlainProgress(), cancellationToken: ct), ct)
                : await ImportWithProgressBarAsync(file.FullName, dataFolder, options, ct);
            PrintSummary(result);
            return 0;
        }
        catch (BreachImportException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            PrintRejected(ex.Rejected, ex.Rejected.Count);
            return ex.CorpusRefused ? ExitCorpusRefused : 1;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message} The previous index (if any) is unchanged.");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Import cancelled; the previous index (if any) is unchanged.");
            return 130;
        }
    }

    private static Task<BreachImportResult> ImportWithProgressBarAsync(string file, string dataFolder, BreachImportOptions options, CancellationToken ct) =>
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask reading = context.AddTask("Reading and sorting");
                ProgressTask merging = context.AddTask("Writing index", autoStart: false);
                var progress = new SyncProgress(p =>
                {
                    ProgressTask task = p.Phase == BreachImportPhase.Reading ? reading : merging;
                    if (p.Phase != BreachImportPhase.Reading && !merging.IsStarted)
                    {
                        reading.Value = reading.MaxValue;
                        merging.StartTask();
                    }
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                });
                return await Task.Run(() => BreachImporter.Import(file, dataFolder, options, progress, cancellationToken: ct), ct);
            });

    private static void PrintSummary(BreachImportResult r)
    {
        double seconds = Math.Max(r.Elapsed.TotalSeconds, 1e-6);
        CultureInfo c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"Imported {r.Mode.ToWireName()} corpus into {r.IndexPath}"));
        Console.WriteLine(string.Create(c, $"  lines read      {r.LinesRead:N0}"));
        Console.WriteLine(string.Create(c, $"  loaded          {r.LinesLoaded:N0}"));
        Console.WriteLine(string.Create(c, $"  rejected        {r.LinesRejected:N0}"));
        Console.WriteLine(string.Create(c, $"  duplicates      {r.DuplicatesMerged:N0} (counts added up)"));
        Console.WriteLine(string.Create(c, $"  hashes stored   {r.HashesStored:N0}"));
        Console.WriteLine(string.Create(c, $"  index size      {r.IndexBytes:N0} bytes ({(double)r.IndexBytes / Math.Max(1, r.HashesStored):F2} per hash)"));
        Console.WriteLine(string.Create(c, $"  sorted runs     {r.RunsSpilled:N0}"));
        Console.WriteLine(string.Create(c, $"  time            {seconds:F1} s ({r.LinesRead / seconds:N0} lines/s)"));
        PrintRejected(r.Rejected, r.LinesRejected);
    }

    private static void PrintRejected(IReadOnlyList<RejectedLine> rejected, long total)
    {
        if (rejected.Count == 0) return;
        int shown = Math.Min(RejectedLinesShown, rejected.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rejected lines (first {shown} of {total:N0}; --rejected-lines FILE lists all):"));
        for (int i = 0; i < shown; i++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  line {rejected[i].LineNumber}: {rejected[i].Reason}"));
    }

    /// <summary>Progress as plain lines every 10 %, for logs and pipes.</summary>
    private sealed class PlainProgress : IProgress<BreachImportProgress>
    {
        private BreachImportPhase _phase = BreachImportPhase.Reading;
        private int _lastTenth = -1;

        public void Report(BreachImportProgress value)
        {
            if (value.Phase == BreachImportPhase.Done) return;
            if (value.Phase != _phase)
            {
                _phase = value.Phase;
                _lastTenth = -1;
            }
            int tenth = value.Total <= 0 ? 10 : (int)(value.Done * 10 / value.Total);
            if (tenth == _lastTenth) return;
            _lastTenth = tenth;
            string what = value.Phase == BreachImportPhase.Reading ? "reading" : "writing index";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {tenth * 10}% ({value.LinesRead:N0} lines)"));
        }
    }

    /// <summary>Calls back on the reporting thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<BreachImportProgress> report) : IProgress<BreachImportProgress>
    {
        public void Report(BreachImportProgress value) => report(value);
    }
}
