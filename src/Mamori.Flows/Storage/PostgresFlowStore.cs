using System.Diagnostics;
using System.Globalization;
using Mamori.Flows.Factors;
using Mamori.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Mamori.Flows.Storage;

/// <summary>
/// The scale-out store: the same flow records as <see cref="SqliteFlowStore"/>, in the PostgreSQL database the server's
/// nodes share (<c>mamori serve --db postgres://…</c>), so a factor enrolled, a link made or a hold set through one node
/// holds on every node.
/// </summary>
/// <remarks>
/// Thread-safe: each call takes its own pooled connection from one <see cref="NpgsqlDataSource"/>. Every query mirrors
/// SqliteFlowStore's; single-use guarantees come from the same conditional UPDATEs, which PostgreSQL runs atomically
/// (a concurrent update of the row waits, then re-checks the WHERE). Where SQLite's one writer serialised a
/// transaction of several statements, an advisory transaction lock on the account does it here. The bank-account lock
/// is a session advisory lock, so it holds across nodes. Nothing connects in the constructor; the schema is migrated
/// by <see cref="OpenAsync"/> or by the first call, so a database down at start fails flow calls, not the node.
/// Times are held to the millisecond, as SQLite's Unix milliseconds are, so both engines compare them alike.
/// </remarks>
internal sealed class PostgresFlowStore : IFactorStore, IAccountRecordStore, ILinkStore, IWithdrawalDestinationStore, IAuditLog,
    IWebAuthnCeremonyStore, ISharedLimitStore, IDisposable
{
    /// <summary>First key of the migration advisory lock ("MAFL"); the second is the hash of the target schema.</summary>
    /// <remarks>Apart from the server's own migration lock, so the two modules migrate independently.</remarks>
    private const int MigrationLockClass = 0x4D41464C;

    /// <summary>How long a decision waits for the bank-account lock before it fails, unless the constructor says otherwise.</summary>
    /// <remarks>A node that died holding it releases it with its session; a live one holds it for a few milliseconds.
    /// Waiting longer would only pile requests up behind a stuck one.</remarks>
    public static readonly TimeSpan DefaultBankAccountLockWait = TimeSpan.FromSeconds(10);

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private readonly OneAtATimePerKey _bankAccountsHere = new();
    private volatile bool _migrated;

    /// <summary>Creates a store over a database; nothing is opened yet.</summary>
    /// <param name="connection">A <c>postgres://user:password@host:port/database</c> URL or an Npgsql connection string.</param>
    /// <exception cref="FormatException">The text is neither (the message says why, never the password).</exception>
    /// <param name="bankAccountLockWait">The bound on <see cref="LockBankAccountAsync"/>'s wait; <see cref="DefaultBankAccountLockWait"/> when null.</param>
    public PostgresFlowStore(string connection, TimeSpan? bankAccountLockWait = null)
    {
        BankAccountLockWait = bankAccountLockWait ?? DefaultBankAccountLockWait;
        NpgsqlConnectionStringBuilder builder = PostgresConnectionString.Parse(connection);
        builder.ApplicationName ??= "mamori-flows";
        Location = PostgresConnectionString.Describe(builder);
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>How long a decision waits for the bank-account lock before it fails.</summary>
    public TimeSpan BankAccountLockWait { get; }

    /// <summary>Where the database is: <c>postgres://host:port/database</c>, no user, no password.</summary>
    public string Location { get; }

    /// <summary>Applies the missing migrations (once per store; nodes starting together queue on an advisory lock).</summary>
    /// <exception cref="InvalidOperationException">The database's flows schema is newer than this build knows.</exception>
    public Task OpenAsync(CancellationToken cancellationToken = default) => MigrateAsync(cancellationToken);

    public void Dispose()
    {
        _dataSource.Dispose();
        _migrationGate.Dispose();
    }

    private async Task MigrateAsync(CancellationToken ct)
    {
        if (_migrated) return;
        await _migrationGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_migrated) return;
            await PostgresMigrator.ApplyAsync(_dataSource, "flows_schema_migrations", MigrationLockClass, PostgresFlowMigrations.Steps, current =>
                $"The flows schema in the PostgreSQL database at {Location} is at version {current}, newer than this build knows " +
                $"({PostgresFlowMigrations.Latest}); run a newer mamori.", ct).ConfigureAwait(false);
            _migrated = true;
        }
        finally { _migrationGate.Release(); }
    }

    /// <summary>A pooled connection on a migrated schema.</summary>
    private async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct)
    {
        if (!_migrated) await MigrateAsync(ct).ConfigureAwait(false);
        return await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Exception filter (always false, so the exception flows on untouched): a broken connection means every idle pooled
    /// one is as dead, so the pool is emptied; an error the server reported leaves it alone. As PostgresStorage does.
    /// </summary>
    private bool ForgetPoolIfBroken(NpgsqlException error)
    {
        if (error is not PostgresException) _dataSource.Clear();
        return false;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params NpgsqlParameter[] args)
    {
        try
        {
            await using NpgsqlConnection c = await OpenConnectionAsync(ct).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, sql, args);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction tx, string sql, CancellationToken ct, params NpgsqlParameter[] args)
    {
        await using NpgsqlCommand cmd = Command(c, sql, args);
        cmd.Transaction = tx;
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct, params NpgsqlParameter[] args)
    {
        try
        {
            await using NpgsqlConnection c = await OpenConnectionAsync(ct).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, sql, args);
            await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<T>();
            while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(map(r));
            return list;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <summary>Runs <paramref name="body"/> in one transaction, after taking the transaction-scoped advisory lock on <paramref name="lockKey"/>.</summary>
    /// <remarks>Stands in for SQLite's single writer where a transaction reads rows another transaction may be changing.</remarks>
    private async Task<T> InLockedTransactionAsync<T>(string lockKey, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> body, CancellationToken ct)
    {
        try
        {
            await using NpgsqlConnection c = await OpenConnectionAsync(ct).ConfigureAwait(false);
            await using NpgsqlTransaction tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(c, tx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", ct, Text(lockKey)).ConfigureAwait(false);
            T result = await body(c, tx).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return result;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.AddRange(parameters);
        return cmd;
    }

    // Typed positional parameters ($1, $2…): the server never guesses a type, even for a null.
    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };
    private static NpgsqlParameter Bool(bool value) => new() { NpgsqlDbType = NpgsqlDbType.Boolean, Value = value };
    private static NpgsqlParameter Int(int value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = value };
    private static NpgsqlParameter Small(int value) => new() { NpgsqlDbType = NpgsqlDbType.Smallint, Value = (short)value };
    private static NpgsqlParameter Long(long? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value };
    private static NpgsqlParameter Bytes(byte[] value) => new() { NpgsqlDbType = NpgsqlDbType.Bytea, Value = value };
    private static NpgsqlParameter Time(DateTimeOffset value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = Utc(value) };

    // Whole milliseconds, as SqliteFlowStore keeps them (ToUnixTimeMilliseconds rounds toward the past too); Npgsql writes only UTC DateTimes.
    private static DateTime Utc(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    private static DateTimeOffset At(NpgsqlDataReader r, int i) => new(r.GetFieldValue<DateTime>(i), TimeSpan.Zero);
    private static DateTimeOffset? AtOrNull(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : At(r, i);
    private static string? TextOrNull(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static byte[] Blob(NpgsqlDataReader r, int i) => r.GetFieldValue<byte[]>(i);

    /// <summary>Advisory-lock key of one account's factors of a kind (the hash may collide: that only serialises two accounts).</summary>
    private static string AccountLockKey(string kind, string account) => "mamori-flows:" + kind + "\n" + account;

    // ---- factors ----
    public Task AddTotpAsync(TotpFactorRecord f, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO flows_totp_factors VALUES ($1, $2, $3, $4, $5, $6)", ct,
        Text(f.Id), Text(f.Account), Bytes(f.SealedSecret), Long(f.LastUsedStep), Bool(f.Confirmed), Time(f.CreatedAt));

    public async Task<IReadOnlyList<TotpFactorRecord>> GetTotpFactorsAsync(string account, CancellationToken ct) => await QueryAsync(
        "SELECT id, account, sealed, last_step, confirmed, created_at FROM flows_totp_factors WHERE account = $1 ORDER BY created_at", r =>
            new TotpFactorRecord(r.GetString(0), r.GetString(1), Blob(r, 2), r.IsDBNull(3) ? null : r.GetInt64(3), r.GetBoolean(4), At(r, 5)),
        ct, Text(account)).ConfigureAwait(false);

    public async Task<bool> TryAdvanceTotpStepAsync(string factorId, long step, CancellationToken ct) => await ExecuteAsync(
        "UPDATE flows_totp_factors SET last_step = $2 WHERE id = $1 AND confirmed AND (last_step IS NULL OR last_step < $2)", ct,
        Text(factorId), Long(step)).ConfigureAwait(false) == 1;

    public async Task<int?> TryConfirmTotpAsync(string factorId, long step, CancellationToken ct)
    {
        // SQLite's BEGIN IMMEDIATE serialises two confirmations of one account; here the account's advisory lock does, so
        // the second finds itself deleted (and the two transactions cannot deadlock deleting each other's row).
        if (await QueryAsync("SELECT account FROM flows_totp_factors WHERE id = $1", r => r.GetString(0), ct, Text(factorId)).ConfigureAwait(false)
            is not [string account])
            return null;
        return await InLockedTransactionAsync<int?>(AccountLockKey("totp", account), async (c, tx) =>
        {
            if (await ExecuteAsync(c, tx, "UPDATE flows_totp_factors SET last_step = $2, confirmed = true WHERE id = $1 AND NOT confirmed", ct,
                Text(factorId), Long(step)).ConfigureAwait(false) != 1)
                return null;
            return await ExecuteAsync(c, tx, "DELETE FROM flows_totp_factors WHERE NOT confirmed AND account = $1", ct, Text(account)).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    public Task AddWebAuthnCredentialAsync(WebAuthnCredentialRecord w, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO flows_webauthn_credentials VALUES ($1, $2, $3, $4, $5, $6)", ct,
        Bytes(w.CredentialId), Text(w.Account), Bytes(w.PublicKey), Bytes(w.UserHandle), Long(w.SignCount), Time(w.CreatedAt));

    private static WebAuthnCredentialRecord MapCredential(NpgsqlDataReader r) =>
        new(Blob(r, 0), r.GetString(1), Blob(r, 2), Blob(r, 3), (uint)r.GetInt64(4), At(r, 5));

    public async Task<IReadOnlyList<WebAuthnCredentialRecord>> GetWebAuthnCredentialsAsync(string account, CancellationToken ct) => await QueryAsync(
        "SELECT credential_id, account, public_key, user_handle, sign_count, created_at FROM flows_webauthn_credentials WHERE account = $1",
        MapCredential, ct, Text(account)).ConfigureAwait(false);

    public async Task<WebAuthnCredentialRecord?> FindWebAuthnCredentialAsync(byte[] credentialId, CancellationToken ct) => (await QueryAsync(
        "SELECT credential_id, account, public_key, user_handle, sign_count, created_at FROM flows_webauthn_credentials WHERE credential_id = $1",
        MapCredential, ct, Bytes(credentialId)).ConfigureAwait(false)).FirstOrDefault();

    public Task UpdateSignCountAsync(byte[] credentialId, uint signCount, CancellationToken ct) => ExecuteAsync(
        "UPDATE flows_webauthn_credentials SET sign_count = $2 WHERE credential_id = $1", ct, Bytes(credentialId), Long(signCount));

    public Task ReplaceRecoveryCodesAsync(string account, IReadOnlyList<RecoveryCodeRecord> codes, CancellationToken ct) =>
        // Locked per account: two replacements at once would each delete only the rows they saw, and both sets would stay.
        InLockedTransactionAsync(AccountLockKey("recovery", account), async (c, tx) =>
        {
            await ExecuteAsync(c, tx, "DELETE FROM flows_recovery_codes WHERE account = $1", ct, Text(account)).ConfigureAwait(false);
            foreach (RecoveryCodeRecord code in codes)
            {
                await ExecuteAsync(c, tx, "INSERT INTO flows_recovery_codes VALUES ($1, $2, $3, $4, NULL)", ct,
                    Text(code.Id), Text(account), Bytes(code.Salt), Bytes(code.Hash)).ConfigureAwait(false);
            }
            return true;
        }, ct);

    public async Task<IReadOnlyList<RecoveryCodeRecord>> GetUnusedRecoveryCodesAsync(string account, CancellationToken ct) => await QueryAsync(
        "SELECT id, account, salt, hash FROM flows_recovery_codes WHERE account = $1 AND used_at IS NULL",
        r => new RecoveryCodeRecord(r.GetString(0), r.GetString(1), Blob(r, 2), Blob(r, 3), null), ct, Text(account)).ConfigureAwait(false);

    public async Task<bool> TryUseRecoveryCodeAsync(string codeId, DateTimeOffset at, CancellationToken ct) => await ExecuteAsync(
        "UPDATE flows_recovery_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL", ct, Text(codeId), Time(at)).ConfigureAwait(false) == 1;

    public Task AddOneTimeCodeAsync(OneTimeCodeRecord o, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO flows_one_time_codes VALUES ($1, $2, $3, $4, $5, $6, 0, NULL)", ct,
        Text(o.Id), Text(o.Account), Text(o.Channel), Bytes(o.Salt), Bytes(o.Hash), Time(o.ExpiresAt));

    public async Task<OneTimeCodeRecord?> GetOneTimeCodeAsync(string id, CancellationToken ct) => (await QueryAsync(
        "SELECT id, account, channel, salt, hash, expires_at, attempts, used_at FROM flows_one_time_codes WHERE id = $1",
        r => new OneTimeCodeRecord(r.GetString(0), r.GetString(1), r.GetString(2), Blob(r, 3), Blob(r, 4), At(r, 5), r.GetInt32(6), AtOrNull(r, 7)),
        ct, Text(id)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<bool> TryCountOneTimeCodeAttemptAsync(string id, int maxAttempts, CancellationToken ct) => await ExecuteAsync(
        "UPDATE flows_one_time_codes SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2", ct, Text(id), Int(maxAttempts)).ConfigureAwait(false) == 1;

    public async Task<bool> TryUseOneTimeCodeAsync(string id, DateTimeOffset at, CancellationToken ct) => await ExecuteAsync(
        "UPDATE flows_one_time_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL", ct, Text(id), Time(at)).ConfigureAwait(false) == 1;

    // ---- passkey ceremonies ----
    /// <remarks>Clears up to 100 expired ceremonies on the way, skipping rows another call holds (two registrations at
    /// once deleting the same expired rows waited on each other's transaction).</remarks>
    public Task PutWebAuthnCeremonyAsync(string account, string ceremony, string optionsJson, DateTimeOffset expiresAt, DateTimeOffset now,
        CancellationToken ct) => ExecuteAsync("""
            WITH expired AS (DELETE FROM flows_webauthn_ceremonies WHERE ctid IN (
                SELECT ctid FROM flows_webauthn_ceremonies WHERE expires_at <= $5 AND NOT (account = $1 AND ceremony = $2)
                LIMIT 100 FOR UPDATE SKIP LOCKED))
            INSERT INTO flows_webauthn_ceremonies VALUES ($1, $2, $3, $4)
            ON CONFLICT (account, ceremony) DO UPDATE SET options = excluded.options, expires_at = excluded.expires_at
            """, ct, Text(account), Text(ceremony), Text(optionsJson), Time(expiresAt), Time(now));

    public async Task<string?> TryTakeWebAuthnCeremonyAsync(string account, string ceremony, DateTimeOffset now, CancellationToken ct) => (await QueryAsync(
        "DELETE FROM flows_webauthn_ceremonies WHERE account = $1 AND ceremony = $2 RETURNING options, expires_at",
        r => At(r, 1) > now ? r.GetString(0) : null, ct, Text(account), Text(ceremony)).ConfigureAwait(false)).FirstOrDefault();

    // ---- account records ----
    public Task RecordEventAsync(string account, AccountEventType type, DateTimeOffset at, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO flows_account_events VALUES ($1, $2, $3)", ct, Text(account), Small((int)type), Time(at));

    public async Task<DateTimeOffset?> GetLatestEventAsync(string account, AccountEventType type, DateTimeOffset notAfter, CancellationToken ct) => (await QueryAsync(
        "SELECT MAX(at) FROM flows_account_events WHERE account = $1 AND type = $2 AND at <= $3", r => AtOrNull(r, 0), ct,
        Text(account), Small((int)type), Time(notAfter)).ConfigureAwait(false)).FirstOrDefault();

    public Task RecordStepUpAsync(string account, string method, bool moneyGrade, DateTimeOffset at, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO flows_step_ups VALUES ($1, $2, $3, $4)", ct, Text(account), Text(method), Bool(moneyGrade), Time(at));

    public async Task<DateTimeOffset?> GetLatestStepUpAsync(string account, CancellationToken ct) => (await QueryAsync(
        "SELECT MAX(at) FROM flows_step_ups WHERE account = $1 AND money_grade", r => AtOrNull(r, 0), ct, Text(account)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<DateTimeOffset?> GetLatestStepUpOfAnyGradeAsync(string account, CancellationToken ct) => (await QueryAsync(
        "SELECT MAX(at) FROM flows_step_ups WHERE account = $1", r => AtOrNull(r, 0), ct, Text(account)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<ContactRecord?> GetContactAsync(string account, CancellationToken ct) => (await QueryAsync(
        "SELECT channel, address FROM flows_contacts WHERE account = $1", r => new ContactRecord(r.GetString(0), r.GetString(1)), ct,
        Text(account)).ConfigureAwait(false)).FirstOrDefault();

    public Task SetContactAsync(string account, ContactRecord contact, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO flows_contacts VALUES ($1, $2, $3) ON CONFLICT (account) DO UPDATE SET channel = excluded.channel, address = excluded.address", ct,
        Text(account), Text(contact.Channel), Text(contact.Address));

    // ---- links ----
    private const string LinkColumns = "id, wallet, bank, bank_account, holder_name, state, created_at, cool_off_until, not_me_hash, frozen_at";

    public async Task<IReadOnlyList<LinkRecord>> ListLinksToBankAccountAsync(string bank, string bankAccount, int limit, CancellationToken ct) => await QueryAsync(
        $"SELECT {LinkColumns} FROM flows_links WHERE bank = $1 AND bank_account = $2 ORDER BY created_at, id LIMIT $3",
        MapLink, ct, Text(bank), Text(bankAccount), Int(limit)).ConfigureAwait(false);

    public Task RecordHolderReportAsync(string bank, string bankAccount, DateTimeOffset at, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO flows_holder_reports VALUES ($1, $2, $3)", ct, Text(bank), Text(bankAccount), Time(at));

    public async Task<DateTimeOffset?> GetLatestHolderReportAsync(string bank, string bankAccount, CancellationToken ct) => (await QueryAsync(
        "SELECT MAX(at) FROM flows_holder_reports WHERE bank = $1 AND bank_account = $2", r => AtOrNull(r, 0), ct,
        Text(bank), Text(bankAccount)).ConfigureAwait(false)).FirstOrDefault();

    public Task AddLinkAsync(LinkRecord l, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO flows_links VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)", ct,
        Text(l.Id), Text(l.Wallet), Text(l.Bank), Text(l.BankAccount), Text(l.HolderName), Small((int)l.State),
        Time(l.CreatedAt), Time(l.CoolOffUntil), Bytes(l.NotMeTokenHash));

    public async Task<LinkRecord?> GetLinkAsync(string id, CancellationToken ct) => (await QueryAsync(
        $"SELECT {LinkColumns} FROM flows_links WHERE id = $1", MapLink, ct, Text(id)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<IReadOnlyList<LinkRecord>> ListLinksAsync(string wallet, int limit, CancellationToken ct) => await QueryAsync(
        $"SELECT {LinkColumns} FROM flows_links WHERE wallet = $1 ORDER BY created_at, id LIMIT $2", MapLink, ct, Text(wallet), Int(limit)).ConfigureAwait(false);

    private static LinkRecord MapLink(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        (LinkState)r.GetInt16(5), At(r, 6), At(r, 7), Blob(r, 8), AtOrNull(r, 9));

    public Task FreezeLinkAsync(string id, DateTimeOffset at, CancellationToken ct) => ExecuteAsync(
        "UPDATE flows_links SET state = 1, frozen_at = COALESCE(frozen_at, $2) WHERE id = $1", ct, Text(id), Time(at));

    public async Task<bool> UnfreezeLinkAsync(string id, CancellationToken ct) => await ExecuteAsync(
        "UPDATE flows_links SET state = 0, frozen_at = NULL WHERE id = $1 AND state = 1", ct, Text(id)).ConfigureAwait(false) == 1;

    public Task AddChargeAsync(string linkId, long amount, DateTimeOffset at, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO flows_charges VALUES ($1, $2, $3)", ct, Text(linkId), Long(amount), Time(at));

    public async Task<long> SumBankAccountChargesAsync(string bank, string bankAccount, DateTimeOffset since, CancellationToken ct) => (await QueryAsync(
        "SELECT COALESCE(SUM(c.amount), 0)::bigint FROM flows_charges c JOIN flows_links l ON l.id = c.link_id WHERE l.bank = $1 AND l.bank_account = $2 AND c.at >= $3",
        r => r.GetInt64(0), ct, Text(bank), Text(bankAccount), Time(since)).ConfigureAwait(false))[0];

    /// <remarks>
    /// A session advisory lock on a connection of its own, held until the handle is disposed: every node sharing the
    /// database queues on it. Requests of this node for the same bank account queue in memory first
    /// (<see cref="OneAtATimePerKey"/>), so a flood of link requests for one bank account holds one pooled connection, not
    /// one each (which emptied the pool and failed every other flow call). <c>lock_timeout</c> bounds the database wait
    /// to what is left of <see cref="BankAccountLockWait"/>; a node that dies holding the lock loses its session, and
    /// PostgreSQL releases the lock with it. The key is a 64-bit hash of the bank account (a collision only makes two
    /// bank accounts queue on each other).
    /// </remarks>
    public async Task<IAsyncDisposable> LockBankAccountAsync(string bank, string bankAccount, CancellationToken ct)
    {
        string key = "mamori-flows:bank-account\n" + bank + "\n" + bankAccount;
        long started = Stopwatch.GetTimestamp();
        OneAtATimePerKey.Lease local = await _bankAccountsHere.TryAcquireAsync(key, BankAccountLockWait, ct).ConfigureAwait(false)
            ?? throw LockTimeout(null);
        NpgsqlConnection? c = null;
        try
        {
            TimeSpan left = BankAccountLockWait - Stopwatch.GetElapsedTime(started);
            if (left < TimeSpan.FromMilliseconds(1)) throw LockTimeout(null);
            c = await OpenConnectionAsync(ct).ConfigureAwait(false);
            // One round trip: the bound on the wait, then the wait. Both end with the session's reset when the pool reuses it.
            await using var batch = new NpgsqlBatch(c);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(string.Create(CultureInfo.InvariantCulture, $"SET lock_timeout = {(long)left.TotalMilliseconds}")));
            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))");
            lockCommand.Parameters.Add(Text(key));
            batch.BatchCommands.Add(lockCommand);
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return new AdvisoryLock(c, key, local);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            local.Dispose();
            await c!.DisposeAsync().ConfigureAwait(false);
            throw LockTimeout(ex);
        }
        catch (Exception ex)
        {
            local.Dispose();
            if (c is not null)
            {
                // Cancelled while waiting, or the connection broke: close it rather than pool it, so no lock it may hold survives.
                NpgsqlConnection.ClearPool(c);
                await c.DisposeAsync().ConfigureAwait(false);
            }
            if (ex is NpgsqlException npgsql) ForgetPoolIfBroken(npgsql);
            throw;
        }
    }

    private TimeoutException LockTimeout(Exception? inner) => new(string.Create(CultureInfo.InvariantCulture,
        $"The bank-account lock was not free within {BankAccountLockWait.TotalMilliseconds:0} ms."), inner);

    /// <summary>Releases a session advisory lock, returns its connection to the pool, then lets this node's next request
    /// for the bank account in.</summary>
    private sealed class AdvisoryLock(NpgsqlConnection connection, string key, OneAtATimePerKey.Lease local) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            try
            {
                // Not cancellable: a lock left held would block every node's decisions on this bank account.
                await using NpgsqlCommand unlock = Command(connection, "SELECT pg_advisory_unlock(hashtextextended($1, 0))", Text(key));
                await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The session may still hold the lock: close the connection instead of pooling it, and PostgreSQL releases
                // the lock with the session. The decision itself is already written, so the caller need not fail.
                NpgsqlConnection.ClearPool(connection);
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                local.Dispose();
            }
        }
    }

    // ---- destinations ----
    private const string DestinationColumns = "id, account, bank, bank_account, holder_name, state, created_at, hold_until, not_me_hash";

    public Task AddDestinationAsync(DestinationRecord d, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO flows_destinations VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", ct,
        Text(d.Id), Text(d.Account), Text(d.Bank), Text(d.BankAccount), Text(d.HolderName), Small((int)d.State),
        Time(d.CreatedAt), Time(d.HoldUntil), Bytes(d.NotMeTokenHash));

    public async Task<DestinationRecord?> GetDestinationAsync(string account, string id, CancellationToken ct) => (await QueryAsync(
        $"SELECT {DestinationColumns} FROM flows_destinations WHERE id = $1 AND account = $2", MapDestination, ct, Text(id), Text(account))
        .ConfigureAwait(false)).FirstOrDefault();

    public async Task<IReadOnlyList<DestinationRecord>> ListDestinationsAsync(string account, int limit, CancellationToken ct) => await QueryAsync(
        $"SELECT {DestinationColumns} FROM flows_destinations WHERE account = $1 ORDER BY created_at, id LIMIT $2", MapDestination, ct,
        Text(account), Int(limit)).ConfigureAwait(false);

    private static DestinationRecord MapDestination(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), (LinkState)r.GetInt16(5), At(r, 6), At(r, 7), Blob(r, 8));

    public Task FreezeDestinationAsync(string account, string id, CancellationToken ct) => ExecuteAsync(
        "UPDATE flows_destinations SET state = 1 WHERE id = $1 AND account = $2", ct, Text(id), Text(account));

    public async Task<bool> UnfreezeDestinationAsync(string account, string id, CancellationToken ct) => await ExecuteAsync(
        "UPDATE flows_destinations SET state = 0 WHERE id = $1 AND account = $2 AND state = 1", ct, Text(id), Text(account)).ConfigureAwait(false) == 1;

    // ---- audit ----
    public async Task<long> AppendAsync(AuditEntry e, CancellationToken ct) => (await QueryAsync(
        "INSERT INTO flows_audit (at, account, kind, subject, verdict, reasons, detail) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq",
        r => r.GetInt64(0), ct, Time(e.At), Text(e.Account), Text(e.Kind), Text(e.Subject), Text(e.Verdict), Text(string.Join(',', e.Reasons)),
        Text(e.Detail)).ConfigureAwait(false))[0];

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(string? account, int limit, CancellationToken ct) => await QueryAsync(
        "SELECT seq, at, account, kind, subject, verdict, reasons, detail FROM flows_audit WHERE ($1::text IS NULL OR account = $1) ORDER BY seq DESC LIMIT $2",
        r => new AuditEntry(At(r, 1), r.GetString(2), r.GetString(3), TextOrNull(r, 4), TextOrNull(r, 5),
            r.GetString(6).Length == 0 ? [] : r.GetString(6).Split(','), TextOrNull(r, 7)) { Sequence = r.GetInt64(0) },
        ct, Text(account), Int(limit)).ConfigureAwait(false);

    // ---- shared step-up limits (ADR 0028) ----

    /// <summary>How often one store deletes the limits' expired rows (by the callers' clock).</summary>
    public static readonly TimeSpan LimitSweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>Most expired rows of one table deleted by one sweep: a sweep is a short statement, never a long purge.</summary>
    /// <remarks>At one sweep a minute per node, 10,000 rows a minute is more than a node's step-ups can expire.</remarks>
    public const int LimitSweepBatch = 10_000;

    private static readonly TimeSpan s_sendHour = TimeSpan.FromHours(1);
    private long _nextVerificationSweep, _nextSendSweep;   // UtcTicks; 0: never swept

    private static DateTimeOffset Ms(DateTimeOffset at) => new(Utc(at));

    /// <summary>One batch in one round trip; without an explicit transaction PostgreSQL runs it as one implicit transaction
    /// (Npgsql sends a single Sync), so a transaction advisory lock taken by its first statement holds to its end.</summary>
    private static NpgsqlBatch Batch(NpgsqlConnection c, NpgsqlTransaction? tx, params (string Sql, NpgsqlParameter[] Args)[] statements)
    {
        var batch = new NpgsqlBatch(c, tx);
        foreach ((string sql, NpgsqlParameter[] args) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddRange(args);
            batch.BatchCommands.Add(command);
        }
        return batch;
    }

    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

    /// <remarks>
    /// Why a transaction advisory lock and not one conditional statement: the decision counts rows of two tables (the
    /// account's failures and its reservations, each with its own expiry) and may write three things (stale reservations
    /// turned into failures, the failures row, the new reservation). Without the lock, two nodes' inserts that each count
    /// "4 failures, 0 in flight" would both reserve the fifth attempt (READ COMMITTED: neither sees the other's row). Under
    /// it, each statement's fresh snapshot sees every earlier holder's commit. The lock is per account (a 64-bit hash: a
    /// collision only makes two accounts queue on each other) and held for one round trip in the common case, three when a
    /// stale reservation must first become a failure; never while a code is checked.
    /// </remarks>
    public async Task<VerificationReservation> TryReserveVerificationAsync(string account, string reservationId, int maxFailures, TimeSpan window,
        TimeSpan reservationLifetime, DateTimeOffset now, CancellationToken ct)
    {
        DateTimeOffset at = Ms(now);
        await SweepIfDueAsync(ref _nextVerificationSweep, at, ct, (
            "DELETE FROM flows_verification_failures WHERE ctid = ANY(ARRAY(" +
            "SELECT ctid FROM flows_verification_failures WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED))",
            [Time(at), Int(LimitSweepBatch)]), (
            // An expired reservation counts as a failure at its reservation, which itself expires a window later: only then
            // may a sweep that does not hold the account's lock delete it.
            "DELETE FROM flows_verification_reservations WHERE ctid = ANY(ARRAY(" +
            "SELECT ctid FROM flows_verification_reservations WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED))",
            [Time(at - window), Int(LimitSweepBatch)])).ConfigureAwait(false);
        try
        {
            await using NpgsqlConnection c = await OpenConnectionAsync(ct).ConfigureAwait(false);
            // The common case in one round trip: the lock, the reads and an insert that reserves only if no reservation is
            // stale and the failures of the window plus those in flight leave room, all in one batch (one transaction).
            ReservationRows rows;
            bool inserted;
            await using (NpgsqlBatch batch = Batch(c, null,
                (LockSql, [Text(AccountLockKey("verification", account))]), SelectFailures(account), SelectReservations(account), ("""
                    INSERT INTO flows_verification_reservations SELECT $1, $2, $3, $4
                    WHERE NOT EXISTS (SELECT 1 FROM flows_verification_reservations WHERE account = $2 AND expires_at <= $3)
                      AND COALESCE((SELECT failures FROM flows_verification_failures WHERE account = $2 AND expires_at > $3), 0)
                        + (SELECT COUNT(*) FROM flows_verification_reservations WHERE account = $2) < $5
                    RETURNING 1
                    """, [Text(reservationId), Text(account), Time(at), Time(at + reservationLifetime), Int(maxFailures)])))
            await using (NpgsqlDataReader r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                rows = await ReadReservationRowsAsync(r, at, ct).ConfigureAwait(false);
                await r.NextResultAsync(ct).ConfigureAwait(false);
                inserted = await r.ReadAsync(ct).ConfigureAwait(false);
            }
            if (inserted) return new(ReservationOutcome.Granted, default);
            if (rows.Stale.Count == 0)
            {
                // Read under the same lock as the insert: the counts that refused it. (Were they to allow it, only an
                // unlocked sweep can have moved in between: "full" then makes the caller look again.)
                int counted = rows.Failures > 0 && at - rows.Start >= window ? 0 : rows.Failures;
                return counted >= maxFailures ? new(ReservationOutcome.Blocked, rows.Start + window)
                    : new(ReservationOutcome.Full, rows.Live > 0 ? rows.FirstExpiry : at);
            }
            return await ReserveAfterStaleAsync(c, account, reservationId, maxFailures, window, reservationLifetime, at, ct).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    private static (string, NpgsqlParameter[]) SelectFailures(string account) =>
        ("SELECT window_start, failures FROM flows_verification_failures WHERE account = $1", [Text(account)]);

    private static (string, NpgsqlParameter[]) SelectReservations(string account) =>
        ("SELECT reserved_at, expires_at FROM flows_verification_reservations WHERE account = $1 ORDER BY reserved_at", [Text(account)]);

    /// <summary>An account's failures row and reservations, as read under its lock.</summary>
    private sealed record ReservationRows(DateTimeOffset Start, int Failures, List<DateTimeOffset> Stale, int Live, DateTimeOffset FirstExpiry);

    /// <summary>Reads the lock's, <see cref="SelectFailures"/>' and <see cref="SelectReservations"/>' results.</summary>
    private static async Task<ReservationRows> ReadReservationRowsAsync(NpgsqlDataReader r, DateTimeOffset at, CancellationToken ct)
    {
        DateTimeOffset start = default, firstExpiry = DateTimeOffset.MaxValue;
        int failures = 0, live = 0;
        var stale = new List<DateTimeOffset>();
        await r.NextResultAsync(ct).ConfigureAwait(false);   // past the lock's row
        if (await r.ReadAsync(ct).ConfigureAwait(false)) (start, failures) = (At(r, 0), r.GetInt32(1));
        await r.NextResultAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            DateTimeOffset expires = At(r, 1);
            if (expires <= at) stale.Add(At(r, 0));
            else { live++; if (expires < firstExpiry) firstExpiry = expires; }
        }
        return new ReservationRows(start, failures, stale, live, firstExpiry);
    }

    /// <summary>The rare case: a reservation was never settled. One transaction (the lock, the reads again, the writes)
    /// turns the stale reservations into failures, then decides.</summary>
    private static async Task<VerificationReservation> ReserveAfterStaleAsync(NpgsqlConnection c, string account, string reservationId, int maxFailures,
        TimeSpan window, TimeSpan reservationLifetime, DateTimeOffset at, CancellationToken ct)
    {
        await using NpgsqlTransaction tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        ReservationRows rows;
        await using (NpgsqlBatch read = Batch(c, tx, (LockSql, [Text(AccountLockKey("verification", account))]), SelectFailures(account),
            SelectReservations(account)))
        await using (NpgsqlDataReader r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
            rows = await ReadReservationRowsAsync(r, at, ct).ConfigureAwait(false);
        (DateTimeOffset start, int failures) = (rows.Start, rows.Failures);
        // A reservation never settled (its node died or lost the database) is a failure when it was reserved, as an
        // attempt disposed unsettled is: a crash must not hand out a free guess. Folded in as VerificationLimiter settles one.
        foreach (DateTimeOffset reservedAt in rows.Stale)
        {
            if (failures == 0 || reservedAt - start >= window) (start, failures) = (reservedAt, 0);
            failures++;
        }
        int counted = failures > 0 && at - start >= window ? 0 : failures;   // the window passed: its failures are forgiven
        VerificationReservation result =
            counted >= maxFailures ? new(ReservationOutcome.Blocked, start + window)
            : counted + rows.Live < maxFailures ? new(ReservationOutcome.Granted, default)
            : new(ReservationOutcome.Full, rows.FirstExpiry);
        var writes = new List<(string, NpgsqlParameter[])>(3);
        if (rows.Stale.Count > 0)
        {
            writes.Add(("DELETE FROM flows_verification_reservations WHERE account = $1 AND expires_at <= $2", [Text(account), Time(at)]));
            writes.Add(counted == 0
                ? ("DELETE FROM flows_verification_failures WHERE account = $1", [Text(account)])
                : ("""
                   INSERT INTO flows_verification_failures VALUES ($1, $2, $3, $4)
                   ON CONFLICT (account) DO UPDATE SET window_start = excluded.window_start, failures = excluded.failures, expires_at = excluded.expires_at
                   """, [Text(account), Time(start), Int(failures), Time(start + window)]));
        }
        if (result.Outcome == ReservationOutcome.Granted)
            writes.Add(("INSERT INTO flows_verification_reservations VALUES ($1, $2, $3, $4)",
                [Text(reservationId), Text(account), Time(at), Time(at + reservationLifetime)]));
        if (writes.Count > 0)
        {
            await using NpgsqlBatch write = Batch(c, tx, [.. writes]);
            await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    /// <remarks>One round trip: the account's lock, then one statement. The lock keeps a settlement from landing between a
    /// reservation's read and its write of the failures row (which it rewrites when it turns stale reservations into failures).
    /// A failure counts only if its reservation was still there: one that expired was counted when it was found.</remarks>
    public async Task SettleVerificationAsync(string account, string reservationId, VerificationSettlement how, TimeSpan window, DateTimeOffset at,
        CancellationToken ct)
    {
        (string, NpgsqlParameter[]) settle = how switch
        {
            // The window restarts at this failure when it is the first, or when the last window has passed (expires_at <= at).
            VerificationSettlement.Failure => ("""
                WITH settled AS (DELETE FROM flows_verification_reservations WHERE id = $1 RETURNING account)
                INSERT INTO flows_verification_failures AS f SELECT account, $2, 1, $3 FROM settled
                ON CONFLICT (account) DO UPDATE SET
                    failures = CASE WHEN f.expires_at <= excluded.window_start THEN 1 ELSE f.failures + 1 END,
                    window_start = CASE WHEN f.expires_at <= excluded.window_start THEN excluded.window_start ELSE f.window_start END,
                    expires_at = CASE WHEN f.expires_at <= excluded.window_start THEN excluded.expires_at ELSE f.expires_at END
                """, [Text(reservationId), Time(at), Time(at + window)]),
            VerificationSettlement.Success => ("""
                WITH settled AS (DELETE FROM flows_verification_reservations WHERE id = $1)
                DELETE FROM flows_verification_failures WHERE account = $2
                """, [Text(reservationId), Text(account)]),
            VerificationSettlement.Refund => ("DELETE FROM flows_verification_reservations WHERE id = $1", [Text(reservationId)]),
            _ => throw new System.Diagnostics.UnreachableException($"VerificationSettlement {how} has no statement."),
        };
        try
        {
            await using NpgsqlConnection c = await OpenConnectionAsync(ct).ConfigureAwait(false);
            await using NpgsqlBatch batch = Batch(c, null, (LockSql, [Text(AccountLockKey("verification", account))]), settle);
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <remarks>One round trip, under the account's lock as every other write of its failures: the lock, then one
    /// statement that deletes them and counts those of an open window.</remarks>
    public async Task<bool> ClearVerificationFailuresAsync(string account, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await using NpgsqlConnection c = await OpenConnectionAsync(ct).ConfigureAwait(false);
            await using NpgsqlBatch batch = Batch(c, null, (LockSql, [Text(AccountLockKey("verification", account))]), (
                "WITH cleared AS (DELETE FROM flows_verification_failures WHERE account = $1 RETURNING expires_at) SELECT COUNT(*) FROM cleared WHERE expires_at > $2",
                [Text(account), Time(now)]));
            await using NpgsqlDataReader r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await r.NextResultAsync(ct).ConfigureAwait(false);   // past the lock's row
            await r.ReadAsync(ct).ConfigureAwait(false);
            return r.GetInt64(0) > 0;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    public async Task<DateTimeOffset?> GetVerificationBlockAsync(string account, int maxFailures, DateTimeOffset now, CancellationToken ct) => (await QueryAsync(
        "SELECT window_start, failures, expires_at FROM flows_verification_failures WHERE account = $1 AND expires_at > $2",
        r => r.GetInt32(1) >= maxFailures ? At(r, 2) : (DateTimeOffset?)null, ct, Text(account), Time(now)).ConfigureAwait(false)).FirstOrDefault();

    /// <remarks>One round trip: the account's lock, then one statement that reads the account's last sends of the hour and
    /// inserts this one only if they allow it. Under the lock, no two nodes can both see room for one more.</remarks>
    public async Task<(bool Acquired, DateTimeOffset RetryAt)> TryRecordOneTimeCodeSendAsync(string account, TimeSpan interval, int perHour,
        DateTimeOffset now, CancellationToken ct)
    {
        DateTimeOffset at = Ms(now);
        // A send older than an hour limits nothing (the interval is at most 10 minutes).
        await SweepIfDueAsync(ref _nextSendSweep, at, ct, (
            "DELETE FROM flows_code_sends WHERE ctid = ANY(ARRAY(SELECT ctid FROM flows_code_sends WHERE at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED))",
            [Time(at - s_sendHour), Int(LimitSweepBatch)])).ConfigureAwait(false);
        try
        {
            await using NpgsqlConnection c = await OpenConnectionAsync(ct).ConfigureAwait(false);
            await using NpgsqlBatch batch = Batch(c, null, (LockSql, [Text(AccountLockKey("sends", account))]), ("""
                WITH recent AS (SELECT at FROM flows_code_sends WHERE account = $1 AND at > $2 ORDER BY at DESC LIMIT $3),
                     seen AS (SELECT MAX(at) AS last, MIN(at) AS oldest, COUNT(*) AS sends FROM recent),
                     sent AS (INSERT INTO flows_code_sends SELECT $1, $4 FROM seen WHERE (last IS NULL OR last <= $5) AND sends < $3 RETURNING 1)
                SELECT last, oldest, sends, EXISTS (SELECT 1 FROM sent) FROM seen
                """, [Text(account), Time(at - s_sendHour), Int(perHour), Time(at), Time(at - interval)]));
            await using NpgsqlDataReader r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await r.NextResultAsync(ct).ConfigureAwait(false);   // past the lock's row
            await r.ReadAsync(ct).ConfigureAwait(false);
            if (r.GetBoolean(3)) return (true, default);
            // The later of the two limits decides when: the interval after the last send, the hour after the oldest of a full hour.
            DateTimeOffset retryAt = default;
            if (AtOrNull(r, 0) is { } last && last + interval > at) retryAt = last + interval;
            if (r.GetInt64(2) >= perHour && At(r, 1) + s_sendHour > retryAt) retryAt = At(r, 1) + s_sendHour;
            return (false, retryAt);
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <summary>Deletes the limits' expired rows, at most once per <see cref="LimitSweepInterval"/> per store and kind.</summary>
    /// <remarks>Without the accounts' locks: <c>SKIP LOCKED</c> passes over rows another transaction holds, so a sweep never
    /// waits behind a decision, nor two sweeps on each other (deleting the same rows in different orders could deadlock).</remarks>
    private Task SweepIfDueAsync(ref long nextSweep, DateTimeOffset now, CancellationToken ct, params (string Sql, NpgsqlParameter[] Args)[] sweeps)
    {
        long due = Volatile.Read(ref nextSweep);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref nextSweep, (now + LimitSweepInterval).UtcTicks, due) != due) return Task.CompletedTask;
        return SweepAsync(sweeps, ct);
    }

    private async Task SweepAsync((string Sql, NpgsqlParameter[] Args)[] sweeps, CancellationToken ct)
    {
        try
        {
            await using NpgsqlConnection c = await OpenConnectionAsync(ct).ConfigureAwait(false);
            await using NpgsqlBatch batch = Batch(c, null, sweeps);
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }
}
