using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Mamori.Cli.Replay;
using Mamori.Cli.Replay.Readers;
using Spectre.Console;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori replay</c>: every event of a login log through the engine, on event time, in file order.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The login log, in time order (a warning says how many events are not): plain, gzip-compressed (logins.jsonl.gz) or a zip archive holding one log (as the RBA dataset is published); `-` reads standard input (plain or gzip)." };
        var format = new Option<string?>("--format")
        {
            Description = "jsonl (Mamori's log, docs/log-formats.md; keys named otherwise mapped with --map), csv (header row; columns named as the JSONL fields or mapped with --map), " +
                "or rba (the public RBA dataset of Wiefling et al.). Default: from the log's name (logins.csv.gz is CSV; in a zip, the name of the file inside), and a CSV with the RBA dataset's header is read as rba.",
        };
        format.AcceptOnlyFromAmong("jsonl", "csv", "rba");
        var map = new Option<string?>("--map") { Description = "The log's own names for Mamori's fields: CSV columns or JSONL keys, e.g. `ts=Time,account=User,ip=Address,outcome=Result` (fields not named keep their JSONL names; not for --format rba). A JSONL field nested in objects is named by its dotted path, as Elastic's ECS writes one: `ip=source.ip,account=user.name,outcome=event.outcome`; a field split over two keys takes the first present: `outcome=error|type` (Keycloak)." };
        var decisions = new Option<string?>("--decisions") { Description = "Write `line,decision,score,reasons` per event (line = 1-based event number)." };
        var report = new Option<string?>("--report") { Description = "Write the JSON report: campaigns; accounts likely taken over, most confident first (high, then medium); accounts whose password is exposed (the owner logged in with a sprayed one); attack sources. Fields: docs/replay.md." };
        var html = new Option<string?>("--html") { Description = "Write the report as one self-contained HTML page (no network needed)." };
        var score = new Option<bool>("--score") { Description = "When the log carries labels (label/scenario/takeover), print how many takeovers were stopped, and how many taken accounts the list of likely takeovers names and how deep in it." };
        var strict = new Option<bool>("--strict") { Description = "Stop at the first bad row (exit 2) instead of counting it and going on." };
        var monitor = new Option<bool>("--monitor-only") { Description = "Run the engine in monitor-only mode (decisions show what it would have done)." };
        var geoip = new Option<string[]>("--geoip")
        {
            Description = "An IP-geo database (MaxMind DB: GeoLite2/GeoIP2 ASN, Country or City, or ip-location-db's) that gives each " +
                "event the ASN and country its log lacks; repeat for several (e.g. an ASN file and a country file). The log's own values win. " +
                "Also read from `Mamori:Server:GeoIpDatabases` of --config or the environment, as the server reads it.",
            AllowMultipleArgumentsPerToken = false,
        };
        var config = new Option<string?>("--config")
        {
            Description = "Settings as `mamori serve` reads them (appsettings.json): the `Mamori` section's thresholds, windows, bounds, " +
                "tenants and known shared networks apply to the replay, so it decides as your server would. Environment variables " +
                "(`Mamori__SharedAddress__KnownNetworks__0=203.0.113.0/24`) apply on top, as for the server. Default: the built-in defaults and those variables, but for the memory " +
                "bounds: unless set, a replay holds up to " +
                $"{ReplayBounds.Accounts / 1_000_000}M accounts, {ReplayBounds.Sources / 1_000_000}M sources and {ReplayBounds.Secrets / 1_000_000}M secrets " +
                $"(the server {Defaults.MaxAccounts / 1_000_000}M, {Defaults.MaxSources / 1_000_000}M, {Defaults.MaxSecrets / 1_000_000}M), taken only as needed.",
        };

        var timezone = new Option<string?>("--timezone")
        {
            Description = "The zone of timestamps written without an offset (`2024-05-01 10:00:00`): UTC, an offset (+09:00) or a " +
                "tz database name (Asia/Tokyo, with its summer time). Without it such rows are bad rows, never guessed; " +
                "timestamps with an offset or in Unix time are read as they say. Default for --format rba: UTC.",
        };

        var command = new Command("replay",
            "Replay a login log through the same engine as the server, on event time, in file order: find the accounts " +
            "that were taken over and the campaigns behind them.\n\nExamples:\n" +
            "  mamori replay logins.jsonl --decisions decisions.csv --report report.json --html report.html\n" +
            "  mamori replay rba-dataset.zip --report rba.json --score\n" +
            "  mamori replay logins.jsonl.gz --config appsettings.json --geoip GeoLite2-ASN.mmdb --geoip GeoLite2-Country.mmdb --report r.json\n" +
            "  mamori replay export.csv --map ts=Time,account=User,ip=ClientIP,outcome=Result --timezone Asia/Tokyo --report r.json\n" +
            "  mamori simulate --scenario mixed --seed 1 --out mixed.jsonl && mamori replay mixed.jsonl --score")
        {
            file, format, map, decisions, report, html, score, strict, monitor, config, geoip, timezone,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // System.CommandLine turns Ctrl-C into the cancelled token only once the action has returned its task: run on
            // a pool thread, so that the replay is still running (and stops at its next batch of rows) when one comes.
            await Task.Yield();
            return Run(parse.GetValue(file)!, parse.GetValue(format), parse.GetValue(map), parse.GetValue(decisions),
                parse.GetValue(report), parse.GetValue(html), parse.GetValue(score), parse.GetValue(strict), parse.GetValue(monitor), parse.GetValue(config),
                parse.GetValue(geoip) ?? [], parse.GetValue(timezone), cancellationToken);
        });
        return command;
    }

    /// <summary>A <c>--timezone</c> value: UTC, a fixed offset (<c>+09:00</c>, <c>-0530</c>, <c>+9</c>) or a tz database name.</summary>
    internal static bool TryParseZone(string text, out TimeZoneInfo? zone, out string? error)
    {
        zone = null;
        error = null;
        string t = text.Trim();
        if (t.Equals("UTC", StringComparison.OrdinalIgnoreCase) || t is "Z" or "z" || t.Equals("GMT", StringComparison.OrdinalIgnoreCase))
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }
        if (t.Length > 1 && t[0] is '+' or '-')
        {
            string digits = t[1..].Replace(":", "", StringComparison.Ordinal);
            if (digits.Length is >= 1 and <= 4 && digits.All(char.IsAsciiDigit))
            {
                int hours = digits.Length <= 2 ? int.Parse(digits, CultureInfo.InvariantCulture) : int.Parse(digits[..^2], CultureInfo.InvariantCulture);
                int minutes = digits.Length <= 2 ? 0 : int.Parse(digits[^2..], CultureInfo.InvariantCulture);
                if (hours <= 14 && minutes < 60)
                {
                    var offset = new TimeSpan(hours, minutes, 0);
                    if (t[0] == '-') offset = -offset;
                    zone = TimeZoneInfo.CreateCustomTimeZone("UTC" + t, offset, "UTC" + t, "UTC" + t);
                    return true;
                }
            }
            error = $"--timezone: '{text}' is not an offset from -14:00 to +14:00 (e.g. +09:00)";
            return false;
        }
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(t);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"--timezone: no time zone named '{text}' on this machine; give UTC, an offset such as +09:00, or a tz database name such as Asia/Tokyo";
            return false;
        }
    }

    /// <summary>Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    internal const int ExitInterrupted = 130;

    private static int Run(string path, string? formatText, string? mapText, string? decisionsPath, string? reportPath, string? htmlPath, bool score, bool strict, bool monitorOnly,
        string? configPath, string[] geoipPaths, string? timezoneText = null, CancellationToken cancel = default)
    {
        if (path != "-" && Directory.Exists(path)) return Fail($"{path} is a directory: give the log file itself (a zip archive of one log is read as it is)");
        if (path != "-" && !File.Exists(path)) return Fail($"no such file: {path}");
        TimeZoneInfo? zone = null;
        if (timezoneText is not null && !TryParseZone(timezoneText, out zone, out string? zoneError)) return Fail(zoneError!);
        CsvColumnMap? columns = null;
        if (mapText is not null)
        {
            try { columns = CsvColumnMap.Parse(mapText); }
            catch (FormatException ex) { return Fail($"--map: {ex.Message}"); }
        }
        // Every output is checked, and its temporary file created, before the log is read: a bad path fails now, not
        // after the replay, and an output that names the log is refused before the log is opened.
        if (!OutputFiles.TryCreate(path == "-" ? null : path, [("--decisions", decisionsPath), ("--report", reportPath), ("--html", htmlPath)],
                out OutputFiles outputs, out string? outputError))
            return Fail(outputError!);
        using (outputs)
        {
            return Run(path, formatText, columns, zone, decisionsPath, reportPath, htmlPath, score, strict, monitorOnly, configPath, geoipPaths, outputs, cancel);
        }
    }

    /// <summary>The replay once its arguments are read and its outputs' temporary files exist; disposing
    /// <paramref name="outputs"/> without <see cref="OutputFiles.Commit"/> leaves nothing behind.</summary>
    private static int Run(string path, string? formatText, CsvColumnMap? columns, TimeZoneInfo? zone, string? decisionsPath, string? reportPath, string? htmlPath,
        bool score, bool strict, bool monitorOnly, string? configPath, string[] geoipPaths, OutputFiles outputs, CancellationToken cancel)
    {
        if (LoadOptions(configPath, monitorOnly, out IReadOnlyList<string> configuredGeo, out string? optionsError) is not MamoriOptions options) return Fail(optionsError!);
        Mamori.Server.Geo.IpGeoDatabase geo;
        try { geo = Mamori.Server.Geo.IpGeoDatabase.Open([.. geoipPaths, .. configuredGeo]); }
        catch (InvalidDataException ex) { return Fail("--geoip: " + ex.Message); }

        LogInput input;
        try { input = LogInput.Open(path); }
        catch (InvalidDataException ex) { geo.Dispose(); return Fail(ex.Message); }
        // The format from the log's own name: logins.jsonl.gz is JSONL, an archive's rba-dataset.csv is CSV.
        LoginLogFormat format = formatText is null ? LoginEventReaders.GuessFromPath(input.Name) : Enum.Parse<LoginLogFormat>(formatText, ignoreCase: true);
        if (format == LoginLogFormat.Rba && columns is not null)
        {
            input.Dispose(); geo.Dispose();
            return Fail("--map does not apply to --format rba: the RBA dataset's columns are fixed (for another CSV export, use --format csv with --map)");
        }
        ILoginEventReader reader;
        try { reader = LoginEventReaders.Open(input.Stream, format, columns, zone, guessed: formatText is null); }
        catch (InvalidDataException ex) { input.Dispose(); geo.Dispose(); return Fail(ex.Message); }
        if (reader is CsvLoginEventReader { ReadsRba: true })
            Console.Error.WriteLine($"mamori replay: {TerminalText.Safe(input.Name)} has the RBA dataset's columns: read as --format rba.");
        if (geo.IsConfigured) reader = new EnrichingReader(reader, geo);

        var clock = Stopwatch.StartNew();
        ReplayResult result;
        string? incomplete = null;
        try
        {
            using (input)
            using (reader)
            using (StreamWriter? decisions = decisionsPath is null ? null : new StreamWriter(outputs.Open(decisionsPath), new UTF8Encoding(false), 1 << 16))
            {
                result = RunWithProgress(reader, decisions, options, strict, input, score ? new Mamori.Simulation.Scoring.LabelScorer() : null, cancel: cancel);
                if (!result.Aborted && !result.Interrupted) incomplete = input.IncompleteReason();
            }
        }
        catch (OutputWriteException ex)
        {
            // A full disk under the decisions file: the log itself may be fine.
            return Fail(ex.Message);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // A damaged archive or a truncated gzip stream: what was decided so far is not the log's answer (and is not kept).
            return Fail($"reading {path}: {ex.Message}");
        }
        double seconds = clock.Elapsed.TotalSeconds;

        if (result.Interrupted)
            return Fail(string.Create(CultureInfo.InvariantCulture, $"interrupted at event {result.Events:N0}: nothing written"), ExitInterrupted);
        if (result.StoppedAt is (int stopLine, string stopError))
            return Fail(string.Create(CultureInfo.InvariantCulture, $"stopped at line {stopLine} (--strict): {stopError}; nothing written"));
        if (result.Events == 0 && result.BadRows == 0)
        {
            // An empty log, a CSV header alone, a gzip cut before its first row: a script must not take it for a clean run.
            return Fail(incomplete is not null ? $"{path}: the gzip stream ends early (truncated?): no events in it" : $"no events in {path}");
        }
        if (incomplete is not null) Console.Error.WriteLine($"mamori replay: warning: {TerminalText.Safe(incomplete)}");

        Mamori.Simulation.Scoring.ScoreReport? table = null;
        if (score)
        {
            if (result.LabelledEvents == 0) Console.Error.WriteLine("--score: the log carries no labels (label/scenario/takeover); nothing to score.");
            else table = result.Scorer!.Report();
        }
        try
        {
            if (reportPath is not null)
                ReplayReport.WriteJson(outputs.Open(reportPath), path, result, table, incomplete);
            if (htmlPath is not null)
            {
                using var writer = new StreamWriter(outputs.Open(htmlPath), new UTF8Encoding(false));
                ReplayReport.WriteHtml(writer, path, result, table, incomplete);
            }
            outputs.Commit();
        }
        catch (OutputWriteException ex)
        {
            return Fail(ex.Message);
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Events:N0} events in {seconds:0.0} s ({result.Events / Math.Max(seconds, 1e-9):N0}/s): allow {result.Allowed:N0}, challenge {result.Challenged:N0}, deny {result.Denied:N0}; " +
            $"{ReplayRunner.AllCampaigns(result).Count} campaigns, {result.CountTriaged(TakeoverConfidence.High) + result.CountTriaged(TakeoverConfidence.Medium):N0} likely takeovers ({result.CountTriaged(TakeoverConfidence.High):N0} high confidence, {result.ListedInHindsight:N0} logins listed in hindsight), {result.CountTriaged(TakeoverConfidence.ExposedPassword):N0} exposed passwords; {result.BadRows:N0} bad rows."));
        if (result.OutOfOrder > 0)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: {result.OutOfOrder:N0} events ({100.0 * result.OutOfOrder / Math.Max(1, result.Events):0.#} %) are more than {ReplayRunner.OrderTolerance.TotalMinutes:0} minutes earlier than an event before them (the first on line {result.FirstOutOfOrderLine}).")
                + " Replay runs in file order on event time, so its windows and campaigns assume a log in time order: sort the log by time and replay it again.");
        foreach (Mamori.State.SignalTableUsage bound in result.Tables.Where(t => t.LiveEvictions > 0))
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: the log has more {bound.Table} in use than replay holds at once (Mamori:Signals:{bound.Setting} = {bound.Capacity:N0}): the history of one " +
                $"was forgotten {bound.LiveEvictions:N0} times to make room, and logins after that were judged without it. Raise the bound with --config or " +
                $"Mamori__Signals__{bound.Setting}={BoundFor(bound)} (memory is taken only as the table fills) and replay again."));
        ReplayReport.WriteSummary(Console.Error, result);
        foreach ((string[] fields, string consequence) in result.Fields.Missing(result.Events))
            Console.Error.WriteLine($"note: the log has no {string.Join(" or ", fields)}: {consequence}.");
        if (result.Events > 0 && result.BadRows > result.Events)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: most rows are bad rows ({result.BadRows:N0} of {result.BadRows + result.Events:N0}): the decisions and the report are about the rest only."));
        foreach ((int line, string error) in result.BadRowSamples.Take(10))
            Console.Error.WriteLine($"  line {line}: {TerminalText.Safe(error)}");
        if (result.BadRows > 10) Console.Error.WriteLine($"  … {result.BadRows - 10:N0} more in the report.");
        if (result.Events == 0 && columns is null && result.BadRowSamples.Any(bad => bad.Error.StartsWith(EventBuilder.MissingFields, StringComparison.Ordinal)))
            Console.Error.WriteLine("note: no row had all of ts, account, ip and outcome. If the log names them otherwise, say which: " +
                "--map ts=timestamp,account=user_id,ip=client_ip,outcome=result (fields not named keep their names).");
        // Scenario names come from the log's own labels.
        if (table is not null)
        {
            Console.Out.Write(TerminalText.SafeLines(table.ToText()));
            if (result.ScoreTriage() is TriageScore triage) Console.Out.Write(triage.ToText());
        }
        if (result.Events == 0)
        {
            // Not a clean run that found nothing: a script that checks the exit code must not take it for one.
            return Fail(string.Create(CultureInfo.InvariantCulture, $"none of the {result.BadRows:N0} rows could be read (the lines above say why); nothing was replayed."));
        }
        return 0;
    }

    internal static ReplayResult RunWithProgress(ILoginEventReader reader, TextWriter? decisions, MamoriOptions options, bool strict, LogInput input,
        Mamori.Simulation.Scoring.LabelScorer? scorer = null, Action<LoginEventWithTruth>? alsoTo = null, CancellationToken cancel = default)
    {
        long length = input.Length;
        if (Console.IsErrorRedirected || length == 0)
        {
            long nextReport = 1_000_000;
            long start = Stopwatch.GetTimestamp();
            return ReplayRunner.Run(reader, decisions, options, strict, n =>
            {
                if (n < nextReport) return;
                nextReport += 1_000_000;
                Console.Error.WriteLine($"replay: {ProgressLine(n, Stopwatch.GetElapsedTime(start))}");
            }, scorer, alsoTo, cancel);
        }
        ReplayResult? result = null;
        long events = 0;
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new EventRateColumn(() => Volatile.Read(ref events)), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("replay", maxValue: length);
                result = ReplayRunner.Run(reader, decisions, options, strict, n =>
                {
                    Volatile.Write(ref events, n);
                    task.Value = Math.Min(length, input.Position);   // compressed bytes for gzip
                }, scorer, alsoTo, cancel);
                task.Value = length;
            });
        return result!;
    }

    /// <summary>
    /// A progress line's text: the events so far and their rate (<c>1,048,576 events, 524,288 events/s</c>), the figure
    /// replay's speed is judged by; the rate only once half a second has passed, so a start's burst is not quoted.
    /// </summary>
    internal static string ProgressLine(long events, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{events:N0} events{(EventRate(events, elapsed) is { Length: > 0 } rate ? ", " + rate : "")}");

    /// <summary>Events a second so far (<c>524,288 events/s</c>), or empty before half a second has passed.</summary>
    internal static string EventRate(long events, TimeSpan elapsed) => elapsed.TotalSeconds < 0.5
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $"{events / elapsed.TotalSeconds:N0} events/s");

    /// <summary>The progress bar's events a second, beside its bytes a second: Spectre.Console's columns count only the
    /// task's value, which here is bytes, so that the bar and its time left follow the file. The time is the task's own.</summary>
    private sealed class EventRateColumn(Func<long> events) : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(EventRate(events(), task.ElapsedTime ?? TimeSpan.Zero));
    }

    /// <summary>
    /// The engine's options as the server would bind them: the <c>Mamori</c> section of <paramref name="configPath"/>
    /// (when given), then <c>Mamori__…</c> environment variables, validated as at the server's start.
    /// </summary>
    internal static MamoriOptions? LoadOptions(string? configPath, bool monitorOnly, out string? error) =>
        LoadOptions(configPath, monitorOnly, out _, out error);

    /// <summary>As <see cref="LoadOptions(string?, bool, out string?)"/>, with the server's <c>Mamori:Server:GeoIpDatabases</c>
    /// from the same configuration (relative paths as the server takes them, from the working folder).</summary>
    internal static MamoriOptions? LoadOptions(string? configPath, bool monitorOnly, out IReadOnlyList<string> geoDatabases, out string? error)
    {
        error = null;
        geoDatabases = [];
        var options = new MamoriOptions();
        var server = new Mamori.Server.ServerSettings();
        try
        {
            var builder = new Microsoft.Extensions.Configuration.ConfigurationBuilder();
            if (configPath is not null)
            {
                if (!File.Exists(configPath)) { error = $"--config: no such file: {configPath}"; return null; }
                Microsoft.Extensions.Configuration.JsonConfigurationExtensions.AddJsonFile(builder, Path.GetFullPath(configPath), optional: false, reloadOnChange: false);
            }
            Microsoft.Extensions.Configuration.EnvironmentVariablesExtensions.AddEnvironmentVariables(builder);
            Microsoft.Extensions.Configuration.IConfigurationRoot configuration = builder.Build();
            Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection("Mamori"), options);
            ReplayBounds.Apply(options.Signals, configuration.GetSection("Mamori:Signals"));
            Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection(Mamori.Server.ServerSettings.Section), server);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or InvalidOperationException or IOException)
        {
            // Malformed JSON, a value of the wrong type ("ten" for a number), an unreadable file.
            error = $"--config: {(ex.InnerException is { } inner ? ex.Message + " " + inner.Message : ex.Message)}";
            return null;
        }
        if (monitorOnly) options.MonitorOnly = true;
        Microsoft.Extensions.Options.ValidateOptionsResult result = new MamoriOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            error = "invalid settings: " + string.Join("; ", result.Failures!);
            return null;
        }
        geoDatabases = [.. server.GeoIpDatabases];
        return options;
    }

    /// <summary>A bound that would have lost no history still in use: what the table holds plus the evictions that lost
    /// some, rounded up to two digits (a key evicted and seen again counts twice, so it may be more than needed; a source
    /// evicted after its windows ended counts not at all), within the setting's own range (its <see cref="RangeAttribute"/>).</summary>
    internal static long BoundFor(Mamori.State.SignalTableUsage table)
    {
        long seen = table.Count + table.LiveEvictions;
        long step = 1;
        while (seen / step >= 100) step *= 10;   // two significant digits
        long most = Convert.ToInt64(typeof(SignalStoreOptions).GetProperty(table.Setting)?.GetCustomAttribute<RangeAttribute>()?.Maximum ?? int.MaxValue, CultureInfo.InvariantCulture);
        return Math.Min(most, (seen + step - 1) / step * step);
    }

    /// <summary>The server's bounds, which the replay's raise.</summary>
    private static readonly SignalStoreOptions Defaults = new();

    /// <summary>Prints one sentence (made safe for the terminal: it may quote the log) and returns the exit code.</summary>
    private static int Fail(string message, int exitCode = 2)
    {
        Console.Error.WriteLine($"mamori replay: {TerminalText.Safe(message)}");
        return exitCode;
    }
}
