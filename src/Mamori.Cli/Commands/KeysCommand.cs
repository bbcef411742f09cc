using System.CommandLine;
using System.Globalization;
using Mamori.Server.Auth;
using Mamori.Storage;
using Mamori.Storage.Postgres;
using Mamori.Storage.Sqlite;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori keys create|list|revoke</c>: API keys in a data folder (works while the server runs).</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys",
            "Manage API keys of a data folder. Keys are stored as SHA-256 only; a new key is printed once.\n" +
            "A running server sees changes within seconds (Mamori:Server:KeyRefreshInterval).\n" +
            "list and revoke refuse a --data folder with no database (exit 2); create makes one there (first setup) and says which file.\n" +
            "Exit codes: 0 done; 1 no such active key, or the database failed or could not be reached; 2 bad options or no database.\n\n" +
            "Examples:\n" +
            "  mamori keys create --scope assess --name login-service\n" +
            "  mamori keys list\n" +
            "  mamori keys revoke key_0123456789ab\n" +
            "  mamori keys list --db postgres://mamori:secret@db.internal/mamori");
        command.Subcommands.Add(CreateKey());
        command.Subcommands.Add(ListKeys());
        command.Subcommands.Add(RevokeKey());
        return command;
    }

    private static Option<string> DataOption() => new("--data")
    {
        Description = "Data folder of the server.",
        DefaultValueFactory = _ => ServeCommand.DefaultData,
    };

    private static Option<string?> DbOption() => new("--db")
    {
        Description = "The server's PostgreSQL database (as `mamori serve --db`) instead of the SQLite file in --data. " +
            "Default: the Mamori__Server__Database environment variable, if set.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Mamori__Server__Database"),
    };

    /// <summary>The store the server uses: PostgreSQL when a database is named, else the data folder's SQLite file.</summary>
    /// <param name="mustExist">True for list and revoke: a data folder without a database is a wrong --data (a typo, the
    /// default ./mamori-data in the wrong directory), and creating one there would show an empty list as if all were fine.</param>
    /// <returns>Null, after saying why on stderr, when the database text is malformed (never repeating it) or the
    /// SQLite database is missing and <paramref name="mustExist"/> is set.</returns>
    private static IMamoriStorage? OpenStorage(System.CommandLine.ParseResult parse, Option<string> data, Option<string?> db, bool mustExist)
    {
        if (parse.GetValue(db) is not { Length: > 0 } database)
        {
            string folder = parse.GetValue(data)!;
            string file = Path.Combine(folder, SqliteStorage.FileName);
            if (File.Exists(file)) return new SqliteStorage(folder);
            if (mustExist)
            {
                Console.Error.WriteLine($"keys: no Mamori database in {folder}: start `mamori serve --data {folder}` first or pass the folder the server uses (--data).");
                return null;
            }
            // First setup before the first serve is legitimate, but a typo in --data would create a key no server reads: say where it went.
            Console.Error.WriteLine($"keys: no Mamori database in {folder} yet; creating {Path.GetFullPath(file)} (start the server with --data {folder}).");
            return new SqliteStorage(folder);
        }
        if (PostgresConnectionString.TryParse(database, out _, out string? error)) return new PostgresStorage(database);
        Console.Error.WriteLine($"--db: {error}");
        return null;
    }

    /// <summary>Runs a key command's work, turning an unreachable or failing database into one line and exit code 1.</summary>
    private static async Task<int> WithStorageErrorsAsync(IMamoriStorage storage, Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or System.Net.Sockets.SocketException)
        {
            // Npgsql's connection failures carry a stack trace no operator needs; the message names host and cause.
            Console.Error.WriteLine($"keys: cannot use the database {storage.Location}: {ex.Message}");
            return 1;
        }
    }

    private static Command CreateKey()
    {
        var scope = new Option<string>("--scope")
        {
            Description = "assess: what the operator's services call (login, password change, mail check, step-up factors and money flows). admin: everything, including campaigns, accounts, the flows' audit trail and /metrics.",
            Required = true,
        };
        scope.AcceptOnlyFromAmong("assess", "admin");
        var name = new Option<string?>("--name") { Description = "A label to recognise the key by (e.g. the service using it)." };
        Option<string> data = DataOption();
        Option<string?> db = DbOption();
        var command = new Command("create", "Create a key and print it once (only its hash is stored).") { scope, name, data, db };
        command.SetAction(async (parse, ct) =>
        {
            ApiKeyScopeNames.TryParse(parse.GetValue(scope), out ApiKeyScope s);
            if (OpenStorage(parse, data, db, mustExist: false) is not IMamoriStorage opened) return 2;
            using IMamoriStorage storage = opened;
            return await WithStorageErrorsAsync(storage, async () =>
            {
                (ApiKeyRecord record, string key) = ApiKeyFormat.Create(s, parse.GetValue(name), DateTimeOffset.UtcNow);
                await storage.AddAsync(record, ct);
                await storage.AuditAsync(new AdminAction(DateTimeOffset.UtcNow, "cli", "key.create", $"{record.Id} scope={s.ToWireName()}"), ct);
                Console.Error.WriteLine($"Created {record.Id} (scope {s.ToWireName()}). The key is shown once; store it now:");
                Console.Out.WriteLine(key);
                return 0;
            });
        });
        return command;
    }

    private static Command ListKeys()
    {
        Option<string> data = DataOption();
        Option<string?> db = DbOption();
        var command = new Command("list", "List keys: id, scope, name, created, revoked (never the keys).") { data, db };
        command.SetAction(async (parse, ct) =>
        {
            if (OpenStorage(parse, data, db, mustExist: true) is not IMamoriStorage opened) return 2;
            using IMamoriStorage storage = opened;
            return await WithStorageErrorsAsync(storage, async () =>
            {
                IReadOnlyList<ApiKeyRecord> keys = await ((IApiKeyStore)storage).ListAsync(ct);
                Console.Out.WriteLine($"{"ID",-18} {"SCOPE",-7} {"CREATED",-20} {"REVOKED",-20} NAME");
                foreach (ApiKeyRecord k in keys)
                {
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{k.Id,-18} {k.Scope.ToWireName(),-7} {k.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z {(k.Revoked is DateTimeOffset r ? r.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z" : "-"),-20} {k.Name}"));
                }
                return 0;
            });
        });
        return command;
    }

    private static Command RevokeKey()
    {
        var id = new Argument<string>("id") { Description = "The key id (key_…) as `mamori keys list` shows it." };
        Option<string> data = DataOption();
        Option<string?> db = DbOption();
        var command = new Command("revoke", "Revoke a key; requests with it fail with 401 from the next key refresh on.") { id, data, db };
        command.SetAction(async (parse, ct) =>
        {
            if (OpenStorage(parse, data, db, mustExist: true) is not IMamoriStorage opened) return 2;
            using IMamoriStorage storage = opened;
            return await WithStorageErrorsAsync(storage, async () =>
            {
                string keyId = parse.GetValue(id)!;
                if (!await storage.RevokeAsync(keyId, DateTimeOffset.UtcNow, ct))
                {
                    Console.Error.WriteLine($"No active key {keyId}.");
                    return 1;
                }
                await storage.AuditAsync(new AdminAction(DateTimeOffset.UtcNow, "cli", "key.revoke", keyId), ct);
                Console.Error.WriteLine($"Revoked {keyId}.");
                return 0;
            });
        });
        return command;
    }
}
