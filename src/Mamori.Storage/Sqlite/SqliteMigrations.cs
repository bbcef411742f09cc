namespace Mamori.Storage.Sqlite;

/// <summary>The schema, as numbered steps applied once each, in order, and recorded in <c>schema_migrations</c>.</summary>
/// <remarks>Never edit a step that has shipped: add the next one. A newer database than this code knows is refused.</remarks>
internal static class SqliteMigrations
{
    public static readonly (int Version, string Sql)[] Steps =
    [
        (1, """
            CREATE TABLE decisions (
                id INTEGER PRIMARY KEY,
                time TEXT NOT NULL,
                request_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                account TEXT NOT NULL,
                tenant TEXT NOT NULL DEFAULT '',
                ip TEXT,
                device TEXT,
                outcome TEXT,
                decision TEXT NOT NULL,
                score REAL NOT NULL,
                reasons TEXT NOT NULL,
                campaign_ids TEXT NOT NULL);
            CREATE INDEX decisions_by_account ON decisions (account, tenant, id);
            CREATE INDEX decisions_by_request ON decisions (request_id);
            CREATE TABLE devices (
                account TEXT NOT NULL,
                tenant TEXT NOT NULL DEFAULT '',
                device TEXT NOT NULL,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                trusted INTEGER NOT NULL DEFAULT 0,
                trusted_at TEXT,
                PRIMARY KEY (account, tenant, device));
            CREATE TABLE campaigns (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                tenant TEXT,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                open INTEGER NOT NULL,
                body TEXT NOT NULL);
            CREATE INDEX campaigns_by_first_seen ON campaigns (first_seen);
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                name TEXT,
                scope TEXT NOT NULL,
                hash BLOB NOT NULL,
                created TEXT NOT NULL,
                revoked TEXT);
            CREATE TABLE admin_audit (
                id INTEGER PRIMARY KEY,
                time TEXT NOT NULL,
                key_id TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL);
            """),
        (2, """
            CREATE TABLE account_flags (
                account TEXT NOT NULL,
                tenant TEXT NOT NULL DEFAULT '',
                password_change_required INTEGER NOT NULL,
                password_change_since TEXT,
                PRIMARY KEY (account, tenant));
            """),
    ];

    public static int Latest => Steps[^1].Version;
}
