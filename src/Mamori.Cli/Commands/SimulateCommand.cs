using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Mamori.Events;
using Mamori.Simulation;
using Mamori.Simulation.Output;
using Spectre.Console;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori simulate</c>: writes a labelled synthetic login log (JSONL) for replay and benchmarks.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        string scenarios = string.Join(", ", ScenarioNames.All.Select(s => s.ToWireName()));
        var scenario = new Option<string>("--scenario")
        {
            Description = $"What to generate: {scenarios}. Every scenario includes the users' legitimate traffic; " +
                "`mixed` adds every attack, staggered over the period.",
            DefaultValueFactory = _ => "mixed",
        };
        scenario.AcceptOnlyFromAmong(ScenarioNames.All.Select(s => s.ToWireName()).ToArray());
        var users = new Option<int>("--users")
        {
            Description = $"Real users (accounts that exist), 1–{SimulationOptions.MaxUsers:N0}.",
            DefaultValueFactory = _ => 10_000,
        };
        var days = new Option<int>("--days")
        {
            Description = $"Length of the period in days, 1–{SimulationOptions.MaxDays}; it starts 2020-09-07 00:00 JST.",
            DefaultValueFactory = _ => 7,
        };
        var warmup = new Option<int>("--warmup-days")
        {
            Description = "Days of legitimate-only traffic before the period (users' history); attacks come only after it.",
            DefaultValueFactory = _ => 0,
        };
        var tenants = new Option<int>("--tenants")
        {
            Description = $"Organisations sharing the deployment, 1–{SimulationOptions.MaxTenants}; above 1 every event has a `tenant` and sprays cross tenants.",
            DefaultValueFactory = _ => 1,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Random seed: the same arguments give byte-identical output.",
            DefaultValueFactory = _ => 1,
        };
        var omit = new Option<string?>("--omit")
        {
            Description = $"Optional fields to leave out of every line, comma-separated ({string.Join(", ", OptionalAttemptFields.Names)}): " +
                "an operator's thinner export, to see what detection loses without them (`mamori replay` says so too).",
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Output file (JSONL, one event a line, in time order; gzip-compressed when it ends in .gz, which `mamori replay` reads as is); `-` writes to standard output.",
            Required = true,
        };

        var command = new Command("simulate",
            "Generate a labelled login log: realistic legitimate traffic of Japanese users (CGNAT, offices, typos, " +
            "travel, new phones, popular passwords) plus attacks, each line with ground truth in `label`, " +
            "`scenario` and `takeover` (the engine never reads them).\n\n" +
            "Examples:\n" +
            "  mamori simulate --scenario mixed --users 100000 --days 7 --seed 1 --out mixed.jsonl\n" +
            "  mamori simulate --scenario reverse-brute-force --users 20000 --days 2 --out rbf.jsonl\n" +
            "  mamori simulate --scenario legit --users 1000 --days 1 --out - | head\n" +
            "  mamori simulate --scenario mixed --seed 1 --omit user_agent,device,secret_fp,asn,country --out addresses-only.jsonl")
        {
            scenario, users, days, warmup, tenants, seed, omit, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // System.CommandLine turns Ctrl-C into the cancelled token only once the action has returned its task: run on
            // a pool thread, so that the simulation is still running (and stops at its next step or write) when one comes.
            await Task.Yield();
            return Run(parse.GetValue(scenario)!, parse.GetValue(users), parse.GetValue(days),
                parse.GetValue(warmup), parse.GetValue(tenants), parse.GetValue(seed), parse.GetValue(output)!, parse.GetValue(omit), cancellationToken);
        });
        return command;
    }

    private static int Run(string scenarioName, int users, int days, int warmupDays, int tenants, int seed, string outPath, string? omitText = null,
        CancellationToken cancel = default)
    {
        if (!ScenarioNames.TryParse(scenarioName, out SimulationScenario scenario))
            return Fail($"unknown scenario '{scenarioName}'.");
        if (!OmittedFieldNames.TryParse(omitText, out OmittedFields omit, out string? unknownField))
            return Fail($"--omit: '{unknownField}' is not an optional field; choose from {string.Join(", ", OptionalAttemptFields.Names)}.");
        var options = new SimulationOptions { Scenario = scenario, Users = users, Days = days, WarmupDays = warmupDays, Tenants = tenants, Seed = seed };
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0) return Fail(string.Join(Environment.NewLine, errors));

        bool toStdout = outPath == "-";
        // The file is written to a temporary name beside it and moved over --out only once whole (see OutputFiles):
        // Ctrl-C or a full disk never leaves a cut log that replays as if it were all of it.
        OutputFiles? outputs = null;
        if (!toStdout && !OutputFiles.TryCreate(null, [("--out", outPath)], out outputs, out string? outputError))
            return Fail(outputError!);
        using OutputFiles? pending = outputs;

        var clock = Stopwatch.StartNew();
        List<SimulatedLogin> events;
        // Progress goes to stderr so `--out -` stays a clean log; a bar on a terminal, plain lines otherwise.
        bool interactive = !Console.IsErrorRedirected && !toStdout;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        try
        {
            if (interactive)
            {
                events = null!;
                console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        ProgressTask generate = ctx.AddTask("simulating", maxValue: 1.0);
                        ProgressTask write = ctx.AddTask("writing", maxValue: 1.0);
                        events = Simulator.Run(options, new SyncProgress<SimulationProgress>(p =>
                        {
                            cancel.ThrowIfCancellationRequested();   // the simulator reports every step: it stops at the next one
                            generate.Description = "simulating: " + p.Step;
                            generate.Value = p.Fraction;
                        }));
                        WriteOut(events, outPath, outputs, new SyncProgress<double>(f => write.Value = f), omit, cancel);
                    });
            }
            else
            {
                events = Simulator.Run(options, new SyncProgress<SimulationProgress>(p =>
                {
                    cancel.ThrowIfCancellationRequested();
                    Console.Error.WriteLine($"simulate: {p.Step} ({p.Fraction:P0}, {clock.Elapsed.TotalSeconds:F1} s)");
                }));
                Console.Error.WriteLine($"simulate: writing {events.Count:N0} events");
                WriteOut(events, outPath, outputs, progress: null, omit, cancel);
            }
            outputs?.Commit();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return Fail(toStdout ? "interrupted: the log on standard output is cut short" : "interrupted: nothing written", ReplayCommand.ExitInterrupted);
        }
        catch (OutputWriteException ex)
        {
            return Fail(ex.Message);
        }
        catch (IOException ex)
        {
            return Fail($"could not write {outPath}: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return Fail($"could not write {outPath}: {ex.Message}");
        }

        int attacks = 0, takeovers = 0;
        foreach (SimulatedLogin e in events)
        {
            if (e.Label == TruthLabel.Attack) attacks++;
            if (e.Takeover) takeovers++;
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulate: {events.Count:N0} events ({events.Count - attacks:N0} legitimate, {attacks:N0} attack, {takeovers:N0} takeovers) " +
            $"in {clock.Elapsed.TotalSeconds:F1} s -> {(toStdout ? "stdout" : outPath)}"));
        return 0;
    }

    private static void WriteOut(List<SimulatedLogin> events, string outPath, OutputFiles? outputs, IProgress<double>? progress, OmittedFields omit,
        CancellationToken cancel)
    {
        if (outputs is null)
        {
            using Stream stdout = Console.OpenStandardOutput();
            JsonlLogWriter.Write(events, stdout, progress, omit);
            return;
        }
        // The writer has no token of its own: the file's stream stops it at the next write after Ctrl-C.
        using Stream file = outputs.Open(outPath, cancel);
        if (!outPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            JsonlLogWriter.Write(events, file, progress, omit);
            return;
        }
        // A million users' ten days is 2 GB of JSONL and about a tenth of that compressed.
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
        JsonlLogWriter.Write(events, gzip, progress, omit);
    }

    private static int Fail(string message, int exitCode = 2)
    {
        Console.Error.WriteLine("mamori simulate: " + TerminalText.Safe(message));
        return exitCode;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
