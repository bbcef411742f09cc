using System.CommandLine;
using System.Globalization;
using Mamori.Server.Auth;
using Mamori.Storage;
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
            "  mamori keys revoke key_0123456789ab");
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

    private static Command CreateKey()
    {
        var scope = new Option<string>("--scope")
        {
            Description = "assess: the login endpoints only (for the login service). admin: everything.",
            Required = true,
        };
        scope.AcceptOnlyFromAmong("assess", "admin");
        var name = new Option<string?>("--name") { Description = "A label to recognise the key by (e.g. the service using it)." };
        Option<string> data = DataOption();
        var command = new Command("create", "Create a key and print it once (only its hash is stored).") { scope, name, data };
        command.SetAction(async (parse, ct) =>
        {
            ApiKeyScopeNames.TryParse(parse.GetValue(scope), out ApiKeyScope s);
            using var storage = new SqliteStorage(parse.GetValue(data)!);
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
        var command = new Command("list", "List keys: id, scope, name, created, revoked (never the keys).") { data };
        command.SetAction(async (parse, ct) =>
        {
            using var storage = new SqliteStorage(parse.GetValue(data)!);
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
        var command = new Command("revoke", "Revoke a key; requests with it fail with 401 from the next key refresh on.") { id, data };
        command.SetAction(async (parse, ct) =>
        {
            using var storage = new SqliteStorage(parse.GetValue(data)!);
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
