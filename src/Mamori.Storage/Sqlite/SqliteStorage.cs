using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mamori.Storage.Sqlite;

/// <summary>How far a commit is flushed before it returns.</summary>
public enum SqliteSynchronous : byte
{
    /// <summary>
    /// fsync at every commit: an acknowledged decision survives a crash of the process, the OS and the power. The
    /// default. Costs one fsync per batch (0.1 ms on NVMe, several ms on a busy or network disk).
    /// </summary>
    Full,
    /// <summary>
    /// WAL without fsync at commit: an acknowledged decision survives <c>kill -9</c> of the process (the OS holds
    /// the write), but the last commits may be lost if the machine itself crashes or loses power.
    /// </summary>
    Normal,
}

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a committed transaction
/// survives a power cut and <c>kill -9</c> (acknowledged = durable).
/// </summary>
/// <remarks>
/// Thread-safe: one connection, one gate. The server writes decisions in batches (one transaction per batch), so a
/// single connection is the throughput limit only at commit rate, not at decision rate. The file is opened lazily and
/// re-opened after a failure, so an unwritable folder at start makes the node degraded, not dead, and it recovers
/// when the folder is fixed.
/// </remarks>
public sealed class SqliteStorage : IMamoriStorage
{
    /// <summary>File name inside the data folder.</summary>
    public const string FileName = "mamori.db";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _path;
    private readonly SqliteSynchronous _synchronous;
    private SqliteConnection? _connection;

    /// <summary>Creates a store over <c>&lt;dataFolder&gt;/mamori.db</c>; nothing is opened yet.</summary>
    /// <param name="dataFolder">Folder of the database file (created when missing).</param>
    /// <param name="synchronous">How far a commit is flushed before it returns; see <see cref="SqliteSynchronous"/>.</param>
    public SqliteStorage(string dataFolder, SqliteSynchronous synchronous = SqliteSynchronous.Full)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataFolder);
        _synchronous = synchronous;
        _path = Path.GetFullPath(Path.Combine(dataFolder, FileName));
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath => _path;

    /// <inheritdoc />
    public string Location => _path;

    /// <inheritdoc />
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try { Connection(); }
        finally { _gate.Release(); }
    }

    /// <summary>The schema version of the open database.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default) =>
        await RunAsync(c => Convert.ToInt32(Scalar(c, "SELECT IFNULL(MAX(version), 0) FROM schema_migrations"), CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<DecisionRecord> batch, CancellationToken cancellationToken = default) =>
        RunAsync(c =>
        {
            using SqliteTransaction tx = c.BeginTransaction();
            using SqliteCommand insert = c.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO decisions (time, request_id, kind, account, tenant, ip, device, outcome, decision, score, reasons, campaign_ids)
                VALUES ($time, $request, $kind, $account, $tenant, $ip, $device, $outcome, $decision, $score, $reasons, $campaigns)
                """;
            SqliteParameter time = insert.Parameters.Add("$time", SqliteType.Text), request = insert.Parameters.Add("$request", SqliteType.Text),
                kind = insert.Parameters.Add("$kind", SqliteType.Text), account = insert.Parameters.Add("$account", SqliteType.Text),
                tenant = insert.Parameters.Add("$tenant", SqliteType.Text), ip = insert.Parameters.Add("$ip", SqliteType.Text),
                device = insert.Parameters.Add("$device", SqliteType.Text), outcome = insert.Parameters.Add("$outcome", SqliteType.Text),
                decision = insert.Parameters.Add("$decision", SqliteType.Text), score = insert.Parameters.Add("$score", SqliteType.Real),
                reasons = insert.Parameters.Add("$reasons", SqliteType.Text), campaigns = insert.Parameters.Add("$campaigns", SqliteType.Text);
            using SqliteCommand seen = c.CreateCommand();
            seen.Transaction = tx;
            seen.CommandText = """
                INSERT INTO devices (account, tenant, device, first_seen, last_seen) VALUES ($account, $tenant, $device, $time, $time)
                ON CONFLICT (account, tenant, device) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen)
                """;
            SqliteParameter seenAccount = seen.Parameters.Add("$account", SqliteType.Text), seenTenant = seen.Parameters.Add("$tenant", SqliteType.Text),
                seenDevice = seen.Parameters.Add("$device", SqliteType.Text), seenTime = seen.Parameters.Add("$time", SqliteType.Text);
            using SqliteCommand flag = c.CreateCommand();
            flag.Transaction = tx;
            // Raising keeps the first time it was raised; clearing forgets it.
            flag.CommandText = """
                INSERT INTO account_flags (account, tenant, password_change_required, password_change_since)
                VALUES ($account, $tenant, $required, CASE WHEN $required = 1 THEN $time END)
                ON CONFLICT (account, tenant) DO UPDATE SET
                    password_change_since = CASE WHEN excluded.password_change_required = 0 THEN NULL
                        WHEN password_change_required = 1 THEN password_change_since ELSE excluded.password_change_since END,
                    password_change_required = excluded.password_change_required
                """;
            SqliteParameter flagAccount = flag.Parameters.Add("$account", SqliteType.Text), flagTenant = flag.Parameters.Add("$tenant", SqliteType.Text),
                flagRequired = flag.Parameters.Add("$required", SqliteType.Integer), flagTime = flag.Parameters.Add("$time", SqliteType.Text);
            foreach (DecisionRecord r in batch)
            {
                time.Value = Text(r.Time); request.Value = r.RequestId; kind.Value = r.Kind; account.Value = r.Account;
                tenant.Value = r.Tenant ?? ""; ip.Value = (object?)r.Ip ?? DBNull.Value; device.Value = (object?)r.Device ?? DBNull.Value;
                outcome.Value = (object?)r.Outcome ?? DBNull.Value; decision.Value = r.Decision; score.Value = r.Score;
                reasons.Value = r.ReasonsJson; campaigns.Value = r.CampaignIdsJson;
                insert.ExecuteNonQuery();
                if (r.Device is not null && r.Outcome == "success" && r.Decision != "deny")
                {
                    seenAccount.Value = r.Account; seenTenant.Value = r.Tenant ?? ""; seenDevice.Value = r.Device; seenTime.Value = Text(r.Time);
                    seen.ExecuteNonQuery();
                }
                if (r.PasswordChangeRequired is bool required)
                {
                    flagAccount.Value = r.Account; flagTenant.Value = r.Tenant ?? ""; flagRequired.Value = required ? 1 : 0; flagTime.Value = Text(r.Time);
                    flag.ExecuteNonQuery();
                }
            }
            tx.Commit();
            return 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<AccountFlags> AccountFlagsAsync(string account, string? tenant, CancellationToken cancellationToken = default) =>
        RunAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "SELECT password_change_required, password_change_since FROM account_flags WHERE account = $account AND tenant = $tenant";
            cmd.Parameters.AddWithValue("$account", account);
            cmd.Parameters.AddWithValue("$tenant", tenant ?? "");
            using SqliteDataReader reader = cmd.ExecuteReader();
            if (!reader.Read()) return AccountFlags.None;
            return new AccountFlags(reader.GetInt64(0) == 1, reader.IsDBNull(1) ? null : Parse(reader.GetString(1)));
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DecisionRecord>> RecentForAccountAsync(string account, string? tenant, int limit, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<DecisionRecord>>(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT time, request_id, kind, account, tenant, ip, device, outcome, decision, score, reasons, campaign_ids
                FROM decisions WHERE account = $account AND tenant = $tenant ORDER BY id DESC LIMIT $limit
                """;
            cmd.Parameters.AddWithValue("$account", account);
            cmd.Parameters.AddWithValue("$tenant", tenant ?? "");
            cmd.Parameters.AddWithValue("$limit", limit);
            using SqliteDataReader reader = cmd.ExecuteReader();
            var list = new List<DecisionRecord>();
            while (reader.Read())
            {
                string t = reader.GetString(4);
                list.Add(new DecisionRecord
                {
                    Time = Parse(reader.GetString(0)), RequestId = reader.GetString(1), Kind = reader.GetString(2), Account = reader.GetString(3),
                    Tenant = t.Length == 0 ? null : t, Ip = NullableString(reader, 5), Device = NullableString(reader, 6),
                    Outcome = NullableString(reader, 7), Decision = reader.GetString(8), Score = reader.GetDouble(9),
                    ReasonsJson = reader.GetString(10), CampaignIdsJson = reader.GetString(11),
                });
            }
            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task SetDeviceTrustAsync(string account, string? tenant, string device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        RunAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = """
                INSERT INTO devices (account, tenant, device, first_seen, last_seen, trusted, trusted_at)
                VALUES ($account, $tenant, $device, $time, $time, $trusted, CASE WHEN $trusted = 1 THEN $time END)
                ON CONFLICT (account, tenant, device) DO UPDATE SET trusted = excluded.trusted, trusted_at = excluded.trusted_at
                """;
            cmd.Parameters.AddWithValue("$account", account);
            cmd.Parameters.AddWithValue("$tenant", tenant ?? "");
            cmd.Parameters.AddWithValue("$device", device);
            cmd.Parameters.AddWithValue("$time", Text(at));
            cmd.Parameters.AddWithValue("$trusted", trusted ? 1 : 0);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DeviceRecord>> DevicesAsync(string account, string? tenant, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<DeviceRecord>>(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "SELECT device, first_seen, last_seen, trusted, trusted_at FROM devices WHERE account = $account AND tenant = $tenant ORDER BY last_seen DESC";
            cmd.Parameters.AddWithValue("$account", account);
            cmd.Parameters.AddWithValue("$tenant", tenant ?? "");
            using SqliteDataReader reader = cmd.ExecuteReader();
            var list = new List<DeviceRecord>();
            while (reader.Read())
            {
                list.Add(new DeviceRecord(reader.GetString(0), Parse(reader.GetString(1)), Parse(reader.GetString(2)), reader.GetInt64(3) != 0,
                    reader.IsDBNull(4) ? null : Parse(reader.GetString(4))));
            }
            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TrustedDevice>> TrustedDevicesAsync(int limit, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<TrustedDevice>>(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "SELECT account, tenant, device, trusted_at FROM devices WHERE trusted = 1 ORDER BY trusted_at LIMIT $limit";
            cmd.Parameters.AddWithValue("$limit", limit);
            using SqliteDataReader reader = cmd.ExecuteReader();
            var list = new List<TrustedDevice>();
            while (reader.Read())
            {
                string t = reader.GetString(1);
                list.Add(new TrustedDevice(reader.GetString(0), t.Length == 0 ? null : t, reader.GetString(2), Parse(reader.GetString(3))));
            }
            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task UpsertAsync(CampaignRecord campaign, CancellationToken cancellationToken = default) =>
        RunAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = """
                INSERT INTO campaigns (id, kind, tenant, first_seen, last_seen, open, body) VALUES ($id, $kind, $tenant, $first, $last, $open, $body)
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, last_seen = excluded.last_seen, open = excluded.open, body = excluded.body
                """;
            cmd.Parameters.AddWithValue("$id", campaign.Id);
            cmd.Parameters.AddWithValue("$kind", campaign.Kind);
            cmd.Parameters.AddWithValue("$tenant", (object?)campaign.Tenant ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$first", Text(campaign.FirstSeen));
            cmd.Parameters.AddWithValue("$last", Text(campaign.LastSeen));
            cmd.Parameters.AddWithValue("$open", campaign.Open ? 1 : 0);
            cmd.Parameters.AddWithValue("$body", campaign.Json);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<CampaignRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, kind, tenant, first_seen, last_seen, open, body FROM campaigns WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            using SqliteDataReader reader = cmd.ExecuteReader();
            return reader.Read() ? ReadCampaign(reader) : null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CampaignRecord>> ListAsync(int limit, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<CampaignRecord>>(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, kind, tenant, first_seen, last_seen, open, body FROM campaigns ORDER BY first_seen DESC, id DESC LIMIT $limit";
            cmd.Parameters.AddWithValue("$limit", limit);
            using SqliteDataReader reader = cmd.ExecuteReader();
            var list = new List<CampaignRecord>();
            while (reader.Read()) list.Add(ReadCampaign(reader));
            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<int> HighestCampaignSequenceAsync(CancellationToken cancellationToken = default) =>
        RunAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            // "cmp-" + 13 characters of minute + "-" = 18, then the sequence's digits.
            cmd.CommandText = """
                SELECT COALESCE(MAX(CAST(substr(id, 19) AS INTEGER)), 0) FROM campaigns
                WHERE id GLOB 'cmp-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]*'
                  AND length(id) BETWEEN 22 AND 25 AND substr(id, 19) NOT GLOB '*[^0-9]*'
                """;
            return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    /// <inheritdoc />
    public Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default) =>
        RunAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO api_keys (id, name, scope, hash, created, revoked) VALUES ($id, $name, $scope, $hash, $created, $revoked)";
            cmd.Parameters.AddWithValue("$id", key.Id);
            cmd.Parameters.AddWithValue("$name", (object?)key.Name ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$scope", key.Scope.ToWireName());
            cmd.Parameters.AddWithValue("$hash", key.Hash);
            cmd.Parameters.AddWithValue("$created", Text(key.Created));
            cmd.Parameters.AddWithValue("$revoked", key.Revoked is DateTimeOffset r ? Text(r) : DBNull.Value);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    Task<IReadOnlyList<ApiKeyRecord>> IApiKeyStore.ListAsync(CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<ApiKeyRecord>>(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, name, scope, hash, created, revoked FROM api_keys ORDER BY created, id";
            using SqliteDataReader reader = cmd.ExecuteReader();
            var list = new List<ApiKeyRecord>();
            while (reader.Read())
            {
                if (!ApiKeyScopeNames.TryParse(reader.GetString(2), out ApiKeyScope scope)) continue;   // an unknown scope grants nothing
                list.Add(new ApiKeyRecord(reader.GetString(0), NullableString(reader, 1), scope, (byte[])reader.GetValue(3),
                    Parse(reader.GetString(4)), reader.IsDBNull(5) ? null : Parse(reader.GetString(5))));
            }
            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        RunAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE api_keys SET revoked = $at WHERE id = $id AND revoked IS NULL";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$at", Text(at));
            return cmd.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <inheritdoc />
    public Task AuditAsync(AdminAction action, CancellationToken cancellationToken = default) =>
        RunAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO admin_audit (time, key_id, action, target) VALUES ($time, $key, $action, $target)";
            cmd.Parameters.AddWithValue("$time", Text(action.Time));
            cmd.Parameters.AddWithValue("$key", action.KeyId);
            cmd.Parameters.AddWithValue("$action", action.Action);
            cmd.Parameters.AddWithValue("$target", action.Target);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AdminAction>> AuditLogAsync(int limit, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<AdminAction>>(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "SELECT time, key_id, action, target FROM admin_audit ORDER BY id DESC LIMIT $limit";
            cmd.Parameters.AddWithValue("$limit", limit);
            using SqliteDataReader reader = cmd.ExecuteReader();
            var list = new List<AdminAction>();
            while (reader.Read()) list.Add(new AdminAction(Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _connection?.Dispose();
            _connection = null;
        }
        finally { _gate.Release(); }
    }

    private async Task<T> RunAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SqliteConnection connection = Connection();
            try
            {
                return work(connection);
            }
            catch (SqliteException)
            {
                // Disk full, I/O error, file removed: start from a fresh connection next time.
                connection.Dispose();
                _connection = null;
                throw;
            }
        }
        finally { _gate.Release(); }
    }

    private SqliteConnection Connection()
    {
        if (_connection is not null) return _connection;
        PrivateFolder.Create(Path.GetDirectoryName(_path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 5,
        }.ToString());
        try
        {
            connection.Open();
            // WAL: readers never block the writer; FULL: a commit is fsynced before it returns (acknowledged = durable).
            // busy_timeout: `mamori keys` may write while the server runs.
            string mode = (string)Scalar(connection, "PRAGMA journal_mode=WAL;")!;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"SQLite refused WAL mode (got '{mode}') for {_path}.");
            Execute(connection, (_synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;") +
                " PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
            Migrate(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        _connection = connection;
        return connection;
    }

    private static void Migrate(SqliteConnection connection)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);");
        int current = Convert.ToInt32(Scalar(connection, "SELECT IFNULL(MAX(version), 0) FROM schema_migrations"), CultureInfo.InvariantCulture);
        if (current > SqliteMigrations.Latest)
            throw new InvalidOperationException($"The database is at schema version {current}, newer than this build knows ({SqliteMigrations.Latest}); run a newer mamori.");
        foreach ((int version, string sql) in SqliteMigrations.Steps)
        {
            if (version <= current) continue;
            using SqliteTransaction tx = connection.BeginTransaction();
            using (SqliteCommand step = connection.CreateCommand())
            {
                step.Transaction = tx;
                step.CommandText = sql;
                step.ExecuteNonQuery();
            }
            using (SqliteCommand mark = connection.CreateCommand())
            {
                mark.Transaction = tx;
                mark.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $at)";
                mark.Parameters.AddWithValue("$v", version);
                mark.Parameters.AddWithValue("$at", Text(DateTimeOffset.UtcNow));
                mark.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    private static CampaignRecord ReadCampaign(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0), Kind = reader.GetString(1), Tenant = NullableString(reader, 2), FirstSeen = Parse(reader.GetString(3)),
        LastSeen = Parse(reader.GetString(4)), Open = reader.GetInt64(5) != 0, Json = reader.GetString(6),
    };

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    // Fixed-width UTC text sorts as time does, so ORDER BY on these columns is chronological.
    private static string Text(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
