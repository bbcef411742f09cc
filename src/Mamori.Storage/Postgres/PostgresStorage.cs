using Npgsql;
using NpgsqlTypes;

namespace Mamori.Storage.Postgres;

/// <summary>
/// The scale-out store: the same records as <see cref="Sqlite.SqliteStorage"/>, in a PostgreSQL database that many
/// stateless nodes share. A committed transaction is durable as the server's <c>synchronous_commit</c> makes it (on by
/// default: flushed to the WAL, and to a synchronous standby when one is configured) before a batch is acknowledged.
/// </summary>
/// <remarks>
/// Thread-safe: every call takes its own pooled connection from one <see cref="NpgsqlDataSource"/>, so nodes and calls
/// run concurrently and the database serialises what must be. Nothing connects in the constructor; the schema is
/// migrated by <see cref="OpenAsync"/> or by the first call that finds it not yet done, so a database that is down at
/// start makes the node degraded, not dead, and it recovers when the database comes back. A broken pooled connection
/// is dropped by Npgsql; the next call opens a fresh one.
/// Plain Npgsql commands, no ORM: the statements are few, fixed and written once for both engines (ADR 0004).
/// </remarks>
public sealed class PostgresStorage : IMamoriStorage
{
    /// <summary>Two-part advisory lock key for migrations: a constant, and the hash of the target schema.</summary>
    /// <remarks>Nodes starting together queue on it, so exactly one applies each step and the others see it applied.</remarks>
    private const int MigrationLockClass = 0x4D414D4F;   // "MAMO"

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private volatile bool _migrated;

    /// <summary>Creates a store over a database; nothing is opened yet.</summary>
    /// <param name="connection">A <c>postgres://user:password@host:port/database</c> URL or an Npgsql connection string.</param>
    /// <exception cref="FormatException">The text is neither (the message says why, never the password).</exception>
    public PostgresStorage(string connection)
    {
        NpgsqlConnectionStringBuilder builder = PostgresConnectionString.Parse(connection);
        builder.ApplicationName ??= "mamori";
        Location = PostgresConnectionString.Describe(builder);
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <inheritdoc />
    /// <value><c>postgres://host:port/database</c>: no user, no password.</value>
    public string Location { get; }

    /// <inheritdoc />
    public Task OpenAsync(CancellationToken cancellationToken = default) => MigrateAsync(cancellationToken);

    /// <summary>The schema version of the database (0 before the first migration).</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", c);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction in one round trip: the decisions go in as one multi-row insert (arrays unnested), followed by
    /// each record's device-seen and flag upserts in record order (the order matters when a batch both raises and
    /// clears one account's flag). The commands travel as one <see cref="NpgsqlBatch"/> ending in a single Sync, which
    /// PostgreSQL runs as one implicit transaction: all of it commits, or none of it.
    /// <para>
    /// The I/O is synchronous, on the caller's thread, on purpose: the server calls this from the decision writer's
    /// own thread, and with async I/O each commit waited for a thread-pool thread that busy requests held — on 2 cores
    /// under 120 concurrent logins, 83 of 120 decisions missed the 250 ms storage budget. Npgsql's synchronous path is
    /// real blocking I/O, not a wrapper over the asynchronous one.
    /// </para>
    /// </remarks>
    public Task AppendAsync(IReadOnlyList<DecisionRecord> batch, CancellationToken cancellationToken = default)
    {
        try
        {
            Append(batch, cancellationToken);
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    private void Append(IReadOnlyList<DecisionRecord> batch, CancellationToken cancellationToken)
    {
        try { AppendCore(batch, cancellationToken); }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    private void AppendCore(IReadOnlyList<DecisionRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        if (batch.Count == 0) return;
        // Only the first call of a store that could not migrate at start waits here; OpenAsync normally did it.
        if (!_migrated) MigrateAsync(cancellationToken).GetAwaiter().GetResult();
        using NpgsqlConnection c = _dataSource.OpenConnection();
        using var commands = new NpgsqlBatch(c);

        int n = batch.Count;
        var time = new DateTime[n]; var request = new string[n]; var kind = new string[n]; var account = new string[n];
        var tenant = new string[n]; var ip = new string?[n]; var device = new string?[n]; var outcome = new string?[n];
        var decision = new string[n]; var score = new double[n]; var reasons = new string[n]; var campaigns = new string[n];
        for (int i = 0; i < n; i++)
        {
            DecisionRecord r = batch[i];
            time[i] = Utc(r.Time); request[i] = r.RequestId; kind[i] = r.Kind; account[i] = r.Account; tenant[i] = r.Tenant ?? "";
            ip[i] = r.Ip; device[i] = r.Device; outcome[i] = r.Outcome; decision[i] = r.Decision; score[i] = r.Score;
            reasons[i] = r.ReasonsJson; campaigns[i] = r.CampaignIdsJson;
        }
        commands.BatchCommands.Add(Command("""
            INSERT INTO decisions (time, request_id, kind, account, tenant, ip, device, outcome, decision, score, reasons, campaign_ids)
            SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                                 $9::text[], $10::float8[], $11::text[], $12::text[])
            """,
            Array(time, NpgsqlDbType.TimestampTz), Array(request, NpgsqlDbType.Text), Array(kind, NpgsqlDbType.Text), Array(account, NpgsqlDbType.Text),
            Array(tenant, NpgsqlDbType.Text), Array(ip, NpgsqlDbType.Text), Array(device, NpgsqlDbType.Text), Array(outcome, NpgsqlDbType.Text),
            Array(decision, NpgsqlDbType.Text), Array(score, NpgsqlDbType.Double), Array(reasons, NpgsqlDbType.Text), Array(campaigns, NpgsqlDbType.Text)));

        foreach (DecisionRecord r in batch)
        {
            if (r.Device is not null && r.Outcome == "success" && r.Decision != "deny")
            {
                commands.BatchCommands.Add(Command("""
                    INSERT INTO devices (account, tenant, device, first_seen, last_seen) VALUES ($1, $2, $3, $4, $4)
                    ON CONFLICT (account, tenant, device) DO UPDATE SET last_seen = GREATEST(devices.last_seen, excluded.last_seen)
                    """, Text(r.Account), Text(r.Tenant ?? ""), Text(r.Device), Time(r.Time)));
            }
            if (r.PasswordChangeRequired is bool required)
            {
                // Raising keeps the first time it was raised; clearing forgets it.
                commands.BatchCommands.Add(Command("""
                    INSERT INTO account_flags (account, tenant, password_change_required, password_change_since)
                    VALUES ($1, $2, $3, CASE WHEN $3 THEN $4 END)
                    ON CONFLICT (account, tenant) DO UPDATE SET
                        password_change_since = CASE WHEN NOT excluded.password_change_required THEN NULL
                            WHEN account_flags.password_change_required THEN account_flags.password_change_since
                            ELSE excluded.password_change_since END,
                        password_change_required = excluded.password_change_required
                    """, Text(r.Account), Text(r.Tenant ?? ""), Bool(required), Time(r.Time)));
            }
        }
        // Returns after ReadyForQuery, which PostgreSQL sends once the implicit transaction has committed.
        commands.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public async Task<AccountFlags> AccountFlagsAsync(string account, string? tenant, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, "SELECT password_change_required, password_change_since FROM account_flags WHERE account = $1 AND tenant = $2",
                Text(account), Text(tenant ?? ""));
            await using NpgsqlDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return AccountFlags.None;
            return new AccountFlags(reader.GetBoolean(0), NullableTime(reader, 1));
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DecisionRecord>> RecentForAccountAsync(string account, string? tenant, int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, """
                SELECT time, request_id, kind, account, tenant, ip, device, outcome, decision, score, reasons, campaign_ids
                FROM decisions WHERE account = $1 AND tenant = $2 ORDER BY id DESC LIMIT $3
                """, Text(account), Text(tenant ?? ""), Int(limit));
            await using NpgsqlDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var list = new List<DecisionRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                string t = reader.GetString(4);
                list.Add(new DecisionRecord
                {
                    Time = TimeAt(reader, 0), RequestId = reader.GetString(1), Kind = reader.GetString(2), Account = reader.GetString(3),
                    Tenant = t.Length == 0 ? null : t, Ip = NullableString(reader, 5), Device = NullableString(reader, 6),
                    Outcome = NullableString(reader, 7), Decision = reader.GetString(8), Score = reader.GetDouble(9),
                    ReasonsJson = reader.GetString(10), CampaignIdsJson = reader.GetString(11),
                });
            }
            return list;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task SetDeviceTrustAsync(string account, string? tenant, string device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, """
                INSERT INTO devices (account, tenant, device, first_seen, last_seen, trusted, trusted_at)
                VALUES ($1, $2, $3, $4, $4, $5, CASE WHEN $5 THEN $4 END)
                ON CONFLICT (account, tenant, device) DO UPDATE SET trusted = excluded.trusted, trusted_at = excluded.trusted_at
                """, Text(account), Text(tenant ?? ""), Text(device), Time(at), Bool(trusted));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeviceRecord>> DevicesAsync(string account, string? tenant, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c,
                "SELECT device, first_seen, last_seen, trusted, trusted_at FROM devices WHERE account = $1 AND tenant = $2 ORDER BY last_seen DESC",
                Text(account), Text(tenant ?? ""));
            await using NpgsqlDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var list = new List<DeviceRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                list.Add(new DeviceRecord(reader.GetString(0), TimeAt(reader, 1), TimeAt(reader, 2), reader.GetBoolean(3), NullableTime(reader, 4)));
            return list;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TrustedDevice>> TrustedDevicesAsync(int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, "SELECT account, tenant, device, trusted_at FROM devices WHERE trusted ORDER BY trusted_at LIMIT $1", Int(limit));
            await using NpgsqlDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var list = new List<TrustedDevice>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                string t = reader.GetString(1);
                list.Add(new TrustedDevice(reader.GetString(0), t.Length == 0 ? null : t, reader.GetString(2), TimeAt(reader, 3)));
            }
            return list;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task UpsertAsync(CampaignRecord campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, """
                INSERT INTO campaigns (id, kind, tenant, first_seen, last_seen, open, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, last_seen = excluded.last_seen, open = excluded.open, body = excluded.body
                """, Text(campaign.Id), Text(campaign.Kind), Text(campaign.Tenant), Time(campaign.FirstSeen), Time(campaign.LastSeen), Bool(campaign.Open),
                Text(campaign.Json));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task<CampaignRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, "SELECT id, kind, tenant, first_seen, last_seen, open, body FROM campaigns WHERE id = $1", Text(id));
            await using NpgsqlDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadCampaign(reader) : null;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CampaignRecord>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            // COLLATE "C": ties break by bytes, as SQLite's do, whatever the database's locale.
            await using NpgsqlCommand cmd = Command(c,
                "SELECT id, kind, tenant, first_seen, last_seen, open, body FROM campaigns ORDER BY first_seen DESC, id COLLATE \"C\" DESC LIMIT $1", Int(limit));
            await using NpgsqlDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var list = new List<CampaignRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(ReadCampaign(reader));
            return list;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task<int> HighestCampaignSequenceAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c,
                "SELECT COALESCE(MAX(CAST(substr(id, 19) AS integer)), 0) FROM campaigns WHERE id ~ '^cmp-[0-9]{8}T[0-9]{4}-[0-9]{4,7}$'");
            return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, "INSERT INTO api_keys (id, name, scope, hash, created, revoked) VALUES ($1, $2, $3, $4, $5, $6)",
                Text(key.Id), Text(key.Name), Text(key.Scope.ToWireName()), new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = key.Hash },
                Time(key.Created), Time(key.Revoked));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    async Task<IReadOnlyList<ApiKeyRecord>> IApiKeyStore.ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, "SELECT id, name, scope, hash, created, revoked FROM api_keys ORDER BY created, id COLLATE \"C\"");
            await using NpgsqlDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var list = new List<ApiKeyRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!ApiKeyScopeNames.TryParse(reader.GetString(2), out ApiKeyScope scope)) continue;   // an unknown scope grants nothing
                list.Add(new ApiKeyRecord(reader.GetString(0), NullableString(reader, 1), scope, reader.GetFieldValue<byte[]>(3), TimeAt(reader, 4),
                    NullableTime(reader, 5)));
            }
            return list;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, "UPDATE api_keys SET revoked = $2 WHERE id = $1 AND revoked IS NULL", Text(id), Time(at));
            return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task AuditAsync(AdminAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, "INSERT INTO admin_audit (time, key_id, action, target) VALUES ($1, $2, $3, $4)",
                Time(action.Time), Text(action.KeyId), Text(action.Action), Text(action.Target));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AdminAction>> AuditLogAsync(int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection c = await OpenAsyncCore(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand cmd = Command(c, "SELECT time, key_id, action, target FROM admin_audit ORDER BY id DESC LIMIT $1", Int(limit));
            await using NpgsqlDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var list = new List<AdminAction>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                list.Add(new AdminAction(TimeAt(reader, 0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            return list;
        }
        catch (NpgsqlException ex) when (ForgetPoolIfBroken(ex)) { throw; }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _dataSource.Dispose();
        _migrationGate.Dispose();
    }

    /// <summary>
    /// Exception filter (always false, so the exception flows on untouched): when the connection itself broke — the
    /// server restarted, the network dropped — every idle pooled connection is as dead, so the pool is emptied and the
    /// next call connects afresh instead of failing once per stale connection. An error the server reported
    /// (<see cref="PostgresException"/>: a constraint, a bad statement) leaves the pool alone.
    /// </summary>
    private bool ForgetPoolIfBroken(NpgsqlException error)
    {
        if (error is not PostgresException) _dataSource.Clear();
        return false;
    }

    /// <summary>A pooled connection on a migrated schema.</summary>
    private async Task<NpgsqlConnection> OpenAsyncCore(CancellationToken cancellationToken)
    {
        if (!_migrated) await MigrateAsync(cancellationToken).ConfigureAwait(false);
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies the missing steps in one transaction under an advisory lock (held until commit), so nodes starting
    /// together queue and each step runs once; a schema newer than this build is refused.
    /// </summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (_migrated) return;
        await _migrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_migrated) return;
            await PostgresMigrator.ApplyAsync(_dataSource, "schema_migrations", MigrationLockClass, PostgresMigrations.Steps, current =>
                $"The PostgreSQL database at {Location} is at schema version {current}, newer than this build knows ({PostgresMigrations.Latest}); run a newer mamori.",
                cancellationToken).ConfigureAwait(false);
            _migrated = true;
        }
        finally { _migrationGate.Release(); }
    }

    private static CampaignRecord ReadCampaign(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0), Kind = reader.GetString(1), Tenant = NullableString(reader, 2), FirstSeen = TimeAt(reader, 3),
        LastSeen = TimeAt(reader, 4), Open = reader.GetBoolean(5), Json = reader.GetString(6),
    };

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.AddRange(parameters);
        return cmd;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        return cmd;
    }

    // Typed positional parameters ($1, $2…): the server never has to guess a type, even for a null or a CASE branch.
    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };
    private static NpgsqlParameter Bool(bool value) => new() { NpgsqlDbType = NpgsqlDbType.Boolean, Value = value };
    private static NpgsqlParameter Int(int value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = value };
    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is DateTimeOffset at ? Utc(at) : DBNull.Value };
    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType element) => new() { NpgsqlDbType = NpgsqlDbType.Array | element, Value = values };

    // timestamptz keeps microseconds; Npgsql writes only UTC DateTimes to it.
    private static DateTime Utc(DateTimeOffset at) => at.UtcDateTime;

    private static DateTimeOffset TimeAt(NpgsqlDataReader reader, int ordinal) => new(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : TimeAt(reader, ordinal);

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
