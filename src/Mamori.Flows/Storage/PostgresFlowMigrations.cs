namespace Mamori.Flows.Storage;

/// <summary>The flows' PostgreSQL schema, as numbered steps applied once each, in order, and recorded in <c>flows_schema_migrations</c>.</summary>
/// <remarks>
/// Never edit a step that has shipped: add the next one. A newer database than this code knows is refused. Apart from
/// the server's own <c>schema_migrations</c>, so the two modules version their tables independently in one database;
/// every table is prefixed <c>flows_</c> beside the server's. The same data as <see cref="SqliteFlowStore"/>'s tables,
/// in PostgreSQL's types: timestamptz (held to the millisecond, as SQLite's Unix milliseconds are), boolean, bytea,
/// an identity column for the audit sequence. Tables are created unqualified, in the first schema of the search path.
/// </remarks>
internal static class PostgresFlowMigrations
{
    public static readonly (int Version, string Sql)[] Steps =
    [
        (1, """
            CREATE TABLE flows_totp_factors (
                id text PRIMARY KEY, account text NOT NULL, sealed bytea NOT NULL, last_step bigint, confirmed boolean NOT NULL,
                created_at timestamptz NOT NULL);
            CREATE INDEX flows_totp_by_account ON flows_totp_factors (account);
            CREATE TABLE flows_webauthn_credentials (
                credential_id bytea PRIMARY KEY, account text NOT NULL, public_key bytea NOT NULL, user_handle bytea NOT NULL,
                sign_count bigint NOT NULL, created_at timestamptz NOT NULL);
            CREATE INDEX flows_webauthn_by_account ON flows_webauthn_credentials (account);
            CREATE TABLE flows_webauthn_ceremonies (
                account text NOT NULL, ceremony text NOT NULL, options text NOT NULL, expires_at timestamptz NOT NULL,
                PRIMARY KEY (account, ceremony));
            CREATE INDEX flows_webauthn_ceremonies_by_expiry ON flows_webauthn_ceremonies (expires_at);
            CREATE TABLE flows_recovery_codes (
                id text PRIMARY KEY, account text NOT NULL, salt bytea NOT NULL, hash bytea NOT NULL, used_at timestamptz);
            CREATE INDEX flows_recovery_by_account ON flows_recovery_codes (account);
            CREATE TABLE flows_one_time_codes (
                id text PRIMARY KEY, account text NOT NULL, channel text NOT NULL, salt bytea NOT NULL, hash bytea NOT NULL,
                expires_at timestamptz NOT NULL, attempts integer NOT NULL, used_at timestamptz);
            CREATE TABLE flows_account_events (account text NOT NULL, type smallint NOT NULL, at timestamptz NOT NULL);
            CREATE INDEX flows_events_by_account ON flows_account_events (account, type, at);
            CREATE TABLE flows_step_ups (account text NOT NULL, method text NOT NULL, money_grade boolean NOT NULL, at timestamptz NOT NULL);
            CREATE INDEX flows_step_ups_by_account ON flows_step_ups (account, money_grade, at);
            CREATE TABLE flows_contacts (account text PRIMARY KEY, channel text NOT NULL, address text NOT NULL);
            CREATE TABLE flows_links (
                id text PRIMARY KEY, wallet text NOT NULL, bank text NOT NULL, bank_account text NOT NULL, holder_name text NOT NULL,
                state smallint NOT NULL, created_at timestamptz NOT NULL, cool_off_until timestamptz NOT NULL, not_me_hash bytea NOT NULL,
                frozen_at timestamptz);
            CREATE INDEX flows_links_by_bank_account ON flows_links (bank, bank_account);
            CREATE INDEX flows_links_by_wallet ON flows_links (wallet, created_at);
            CREATE TABLE flows_charges (link_id text NOT NULL, amount bigint NOT NULL, at timestamptz NOT NULL);
            CREATE INDEX flows_charges_by_link ON flows_charges (link_id, at);
            CREATE TABLE flows_holder_reports (bank text NOT NULL, bank_account text NOT NULL, at timestamptz NOT NULL);
            CREATE INDEX flows_holder_reports_by_bank_account ON flows_holder_reports (bank, bank_account, at);
            CREATE TABLE flows_destinations (
                id text PRIMARY KEY, account text NOT NULL, bank text NOT NULL, bank_account text NOT NULL, holder_name text NOT NULL,
                state smallint NOT NULL, created_at timestamptz NOT NULL, hold_until timestamptz NOT NULL, not_me_hash bytea NOT NULL);
            CREATE INDEX flows_destinations_by_account ON flows_destinations (account, created_at);
            CREATE TABLE flows_audit (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL, account text NOT NULL, kind text NOT NULL,
                subject text, verdict text, reasons text NOT NULL, detail text);
            CREATE INDEX flows_audit_by_account ON flows_audit (account, seq);
            """),
        // The step-up limits, shared by every node (ADR 0028). Each row carries the time after which it no longer counts,
        // indexed, so a sweep deletes what has expired and nothing grows without bound.
        (2, """
            CREATE TABLE flows_verification_failures (
                account text PRIMARY KEY, window_start timestamptz NOT NULL, failures integer NOT NULL, expires_at timestamptz NOT NULL);
            CREATE INDEX flows_verification_failures_by_expiry ON flows_verification_failures (expires_at);
            CREATE TABLE flows_verification_reservations (
                id text PRIMARY KEY, account text NOT NULL, reserved_at timestamptz NOT NULL, expires_at timestamptz NOT NULL);
            CREATE INDEX flows_verification_reservations_by_account ON flows_verification_reservations (account);
            CREATE INDEX flows_verification_reservations_by_expiry ON flows_verification_reservations (expires_at);
            CREATE TABLE flows_code_sends (account text NOT NULL, at timestamptz NOT NULL);
            CREATE INDEX flows_code_sends_by_account ON flows_code_sends (account, at);
            CREATE INDEX flows_code_sends_by_time ON flows_code_sends (at);
            """),
    ];

    public static int Latest => Steps[^1].Version;
}
