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
            "A running server sees changes within seconds (Mamori:Server:KeyRefreshInterval).\n\n" +
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
    /// <returns>Null, after saying why on stderr, when the database text is malformed (never repeating it).</returns>
    private static IMamoriStorage? OpenStorage(System.CommandLine.ParseResult parse, Option<string> data, Option<string?> db)
    {
        if (parse.GetValue(db) is not { Length: > 0 } database) return new SqliteStorage(parse.GetValue(data)!);
        if (PostgresConnectionString.TryParse(database, out _, out string? error)) return new PostgresStorage(database);
        Console.Error.WriteLine($"--db: {error}");
        return null;
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
            if (OpenStorage(parse, data, db) is not IMamoriStorage opened) return 2;
            using IMamoriStorage storage = opened;
            (ApiKeyRecord record, string key) = ApiKeyFormat.Create(s, parse.GetValue(name), DateTimeOffset.UtcNow);
            await storage.AddAsync(record, ct);
            await storage.AuditAsync(new AdminAction(DateTimeOffset.UtcNow, "cli", "key.create", $"{record.Id} scope={s.ToWireName()}"), ct);
            Console.Error.WriteLine($"Created {record.Id} (scope {s.ToWireName()}). The key is shown once; store it now:");
            Console.Out.WriteLine(key);
            return 0;
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
            if (OpenStorage(parse, data, db) is not IMamoriStorage opened) return 2;
            using IMamoriStorage storage = opened;
            IReadOnlyList<ApiKeyRecord> keys = await ((IApiKeyStore)storage).ListAsync(ct);
            Console.Out.WriteLine($"{"ID",-18} {"SCOPE",-7} {"CREATED",-20} {"REVOKED",-20} NAME");
            foreach (ApiKeyRecord k in keys)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{k.Id,-18} {k.Scope.ToWireName(),-7} {k.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z {(k.Revoked is DateTimeOffset r ? r.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z" : "-"),-20} {k.Name}"));
            }
            return 0;
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
            if (OpenStorage(parse, data, db) is not IMamoriStorage opened) return 2;
            using IMamoriStorage storage = opened;
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
        return command;
    }
}
