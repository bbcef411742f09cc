namespace Mamori.Storage.Postgres;

/// <summary>The PostgreSQL schema, as numbered steps applied once each, in order, and recorded in <c>schema_migrations</c>.</summary>
/// <remarks>
/// Never edit a step that has shipped: add the next one. A newer database than this code knows is refused. Numbered
/// apart from SQLite's steps: the two schemas hold the same data in each engine's own types (timestamptz, boolean,
/// bytea, identity columns), and step 1 here is where SQLite's steps 1 and 2 ended.
/// Tables are created unqualified, so they land in the first schema of the connection's search path.
/// </remarks>
internal static class PostgresMigrations
{
    public static readonly (int Version, string Sql)[] Steps =
    [
        (1, """
            CREATE TABLE decisions (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                time timestamptz NOT NULL,
                request_id text NOT NULL,
                kind text NOT NULL,
                account text NOT NULL,
                tenant text NOT NULL DEFAULT '',
                ip text,
                device text,
                outcome text,
                decision text NOT NULL,
                score double precision NOT NULL,
                reasons text NOT NULL,
                campaign_ids text NOT NULL);
            CREATE INDEX decisions_by_account ON decisions (account, tenant, id);
            CREATE INDEX decisions_by_request ON decisions (request_id);
            CREATE TABLE devices (
                account text NOT NULL,
                tenant text NOT NULL DEFAULT '',
                device text NOT NULL,
                first_seen timestamptz NOT NULL,
                last_seen timestamptz NOT NULL,
                trusted boolean NOT NULL DEFAULT false,
                trusted_at timestamptz,
                PRIMARY KEY (account, tenant, device));
            CREATE INDEX devices_trusted ON devices (trusted_at) WHERE trusted;
            CREATE TABLE account_flags (
                account text NOT NULL,
                tenant text NOT NULL DEFAULT '',
                password_change_required boolean NOT NULL,
                password_change_since timestamptz,
                PRIMARY KEY (account, tenant));
            CREATE TABLE campaigns (
                id text PRIMARY KEY,
                kind text NOT NULL,
                tenant text,
                first_seen timestamptz NOT NULL,
                last_seen timestamptz NOT NULL,
                open boolean NOT NULL,
                body text NOT NULL);
            CREATE INDEX campaigns_by_first_seen ON campaigns (first_seen);
            CREATE TABLE api_keys (
                id text PRIMARY KEY,
                name text,
                scope text NOT NULL,
                hash bytea NOT NULL,
                created timestamptz NOT NULL,
                revoked timestamptz);
            CREATE TABLE admin_audit (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                time timestamptz NOT NULL,
                key_id text NOT NULL,
                action text NOT NULL,
                target text NOT NULL);
            """),
    ];

    public static int Latest => Steps[^1].Version;
}
