using System.CommandLine;
using Mamori.Server.Hosting;
using Mamori.Storage.Postgres;
using Microsoft.AspNetCore.Builder;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori serve</c>: the HTTP service on the embedded default (SQLite + in-memory signals).</summary>
internal static class ServeCommand
{
    public const string DefaultData = "./mamori-data";

    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (semicolon-separated). Loopback by default; put a TLS proxy in front before exposing it.",
            DefaultValueFactory = _ => MamoriServerHost.DefaultUrls,
        };
        var data = new Option<string>("--data")
        {
            Description = "Data folder: SQLite database, API key file, device-token key, signal snapshot. Created if missing.",
            DefaultValueFactory = _ => DefaultData,
        };
        var store = new Option<string?>("--store")
        {
            Description = "Where signals and open campaigns live: 'memory' (default: this process, snapshotted to --data) or a " +
                "Redis-protocol server shared by every node — redis://host:port, host:port or a StackExchange.Redis string " +
                "(host:port,password=…,ssl=true). Config key Mamori:Server:Store (env Mamori__Server__Store); Redis options " +
                "(Timeout, KeyPrefix, LocalFallback) in section Mamori:Redis.",
        };
        var db = new Option<string?>("--db")
        {
            Description = "PostgreSQL for the durable records instead of SQLite in --data (scale-out: every node names the same database): " +
                "postgres://user:password@host:port/database[?sslmode=require] or an Npgsql connection string. Migrations apply at start. " +
                "Also Mamori__Server__Database, which keeps the password off the command line.",
        };
        var command = new Command("serve",
            "Run the HTTP API (POST /v1/login/assess, /v1/login/outcome, /v1/login/events, …) on an embedded store,\n" +
            "or as one of several nodes on a shared Redis and PostgreSQL (--store, --db; see README \"Running several nodes\").\n" +
            "First start: MAMORI_API_KEY becomes the first admin key; without it a key is generated into <data>/api-key (mode 0600).\n" +
            "Engine options come from appsettings.json / environment (section Mamori, e.g. Mamori__FailMode=FailOpen).\n\n" +
            "Examples:\n" +
            "  mamori serve\n" +
            "  mamori serve --urls http://127.0.0.1:8080 --data /var/lib/mamori\n" +
            "  mamori serve --store redis://10.0.0.7:6379 --db postgres://mamori:secret@10.0.0.5:5432/mamori\n" +
            "  curl -H \"X-Api-Key: $(cat mamori-data/api-key)\" -H 'Content-Type: application/json' \\\n" +
            "       -d '{\"account\":\"alice\",\"ip\":\"203.0.113.7\"}' http://127.0.0.1:5080/v1/login/assess")
        {
            urls, data, store, db,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string[] args = ["--urls", parse.GetValue(urls)!, $"--{Server.ServerSettings.Section}:DataPath", parse.GetValue(data)!];
            if (parse.GetValue(db) is string database)
            {
                if (!PostgresConnectionString.TryParse(database, out _, out string? error))
                {
                    await Console.Error.WriteLineAsync($"mamori serve: --db: {error}");
                    return 2;
                }
                args = [.. args, $"--{Server.ServerSettings.Section}:Database", database];
            }
            // Only an explicit --store overrides configuration (Mamori__Server__Store).
            if (parse.GetValue(store) is { } storeValue) args = [.. args, $"--{Server.ServerSettings.Section}:Store", storeValue];
            WebApplication app;
            try
            {
                app = MamoriServerHost.Build(MamoriServerHost.CreateBuilder(args));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidDataException)
            {
                // A malformed --store (or Mamori:Redis option), or an IP-geo file that is no MaxMind DB: say which,
                // without a stack trace.
                await Console.Error.WriteLineAsync($"mamori serve: {ex.Message}");
                return 2;
            }
            // Ctrl+C / SIGTERM cancel the token: the host stops accepting, drains requests in flight, commits queued
            // decisions and writes the signal snapshot before this returns.
            using CancellationTokenRegistration stop = cancellationToken.Register(app.Lifetime.StopApplication);
            await app.RunAsync();
            return 0;
        });
        return command;
    }
}
