using Microsoft.Data.Sqlite;

namespace Mamori.Flows.Storage;

/// <summary>The embedded default store: one SQLite file in WAL mode holding every flow table.</summary>
/// <remarks>
/// Thread-safe: each call opens a pooled connection; SQLite serialises writers. Single-use guarantees come from
/// conditional UPDATEs (<c>WHERE used_at IS NULL</c>), which SQLite runs atomically. <c>synchronous=FULL</c>: money
/// records are few, and an acknowledged one must survive a power cut, not only a <c>kill -9</c>.
/// Times are stored as Unix milliseconds. The bank-account lock is one in-process semaphore: a SQLite file has one
/// process writing it, and every read-then-write decision of that process queues on it.
/// </remarks>
internal sealed class SqliteFlowStore : IFactorStore, IAccountRecordStore, ILinkStore, IWithdrawalDestinationStore, IAuditLog, IWebAuthnCeremonyStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _bankAccountGate = new(1, 1);

    public SqliteFlowStore(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using SqliteConnection c = Open();
        Exec(c, "PRAGMA journal_mode=WAL;");
        Exec(c, Schema);
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS totp_factors(id TEXT PRIMARY KEY, account TEXT NOT NULL, sealed BLOB NOT NULL, last_step INTEGER, confirmed INTEGER NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_totp_account ON totp_factors(account);
        CREATE TABLE IF NOT EXISTS webauthn_credentials(credential_id BLOB PRIMARY KEY, account TEXT NOT NULL, public_key BLOB NOT NULL, user_handle BLOB NOT NULL, sign_count INTEGER NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_webauthn_account ON webauthn_credentials(account);
        CREATE TABLE IF NOT EXISTS recovery_codes(id TEXT PRIMARY KEY, account TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL, used_at INTEGER);
        CREATE INDEX IF NOT EXISTS ix_recovery_account ON recovery_codes(account);
        CREATE TABLE IF NOT EXISTS one_time_codes(id TEXT PRIMARY KEY, account TEXT NOT NULL, channel TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL, expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL, used_at INTEGER);
        CREATE TABLE IF NOT EXISTS account_events(account TEXT NOT NULL, type INTEGER NOT NULL, at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_events_account ON account_events(account, type, at);
        CREATE TABLE IF NOT EXISTS step_ups(account TEXT NOT NULL, method TEXT NOT NULL, money_grade INTEGER NOT NULL, at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_stepups_account ON step_ups(account, money_grade, at);
        CREATE TABLE IF NOT EXISTS contacts(account TEXT PRIMARY KEY, channel TEXT NOT NULL, address TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS links(id TEXT PRIMARY KEY, wallet TEXT NOT NULL, bank TEXT NOT NULL, bank_account TEXT NOT NULL, holder_name TEXT NOT NULL, state INTEGER NOT NULL, created_at INTEGER NOT NULL, cool_off_until INTEGER NOT NULL, not_me_hash BLOB NOT NULL, frozen_at INTEGER);
        CREATE INDEX IF NOT EXISTS ix_links_bank ON links(bank, bank_account);
        CREATE INDEX IF NOT EXISTS ix_links_wallet ON links(wallet, created_at);
        CREATE TABLE IF NOT EXISTS charges(link_id TEXT NOT NULL, amount INTEGER NOT NULL, at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_charges_link ON charges(link_id, at);
        CREATE TABLE IF NOT EXISTS holder_reports(bank TEXT NOT NULL, bank_account TEXT NOT NULL, at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_holder_reports ON holder_reports(bank, bank_account, at);
        CREATE TABLE IF NOT EXISTS destinations(id TEXT PRIMARY KEY, account TEXT NOT NULL, bank TEXT NOT NULL, bank_account TEXT NOT NULL, holder_name TEXT NOT NULL, state INTEGER NOT NULL, created_at INTEGER NOT NULL, hold_until INTEGER NOT NULL, not_me_hash BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_destinations_account ON destinations(account, created_at);
        CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, account TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT, verdict TEXT, reasons TEXT NOT NULL, detail TEXT);
        CREATE INDEX IF NOT EXISTS ix_audit_account ON audit(account, seq);
        CREATE TABLE IF NOT EXISTS webauthn_ceremonies(account TEXT NOT NULL, ceremony TEXT NOT NULL, options TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY(account, ceremony));
        CREATE INDEX IF NOT EXISTS ix_webauthn_ceremonies_expiry ON webauthn_ceremonies(expires_at);
        """;

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        Exec(c, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
        return c;
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using SqliteConnection c = Open();
        await using SqliteCommand cmd = Command(c, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using SqliteConnection c = Open();
        await using SqliteCommand cmd = Command(c, sql, args);
        await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await r.ReadAsync(ct)) list.Add(map(r));
        return list;
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, (string Name, object? Value)[] args)
    {
        SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach ((string name, object? value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    private static DateTimeOffset At(SqliteDataReader r, int i) => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
    private static DateTimeOffset? AtOrNull(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : At(r, i);
    private static byte[] Blob(SqliteDataReader r, int i) => (byte[])r.GetValue(i);

    // ---- factors ----
    public Task AddTotpAsync(TotpFactorRecord f, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO totp_factors VALUES($id,$a,$s,$l,$c,$t)", ct,
        ("$id", f.Id), ("$a", f.Account), ("$s", f.SealedSecret), ("$l", f.LastUsedStep), ("$c", f.Confirmed ? 1 : 0), ("$t", Ms(f.CreatedAt)));

    public async Task<IReadOnlyList<TotpFactorRecord>> GetTotpFactorsAsync(string account, CancellationToken ct) => await QueryAsync(
        "SELECT id, account, sealed, last_step, confirmed, created_at FROM totp_factors WHERE account=$a ORDER BY created_at", r =>
            new TotpFactorRecord(r.GetString(0), r.GetString(1), Blob(r, 2), r.IsDBNull(3) ? null : r.GetInt64(3), r.GetInt64(4) != 0, At(r, 5)),
        ct, ("$a", account));

    public async Task<bool> TryAdvanceTotpStepAsync(string factorId, long step, CancellationToken ct) => await ExecuteAsync(
        "UPDATE totp_factors SET last_step=$s WHERE id=$id AND confirmed=1 AND (last_step IS NULL OR last_step < $s)", ct,
        ("$id", factorId), ("$s", step)) == 1;

    public async Task<int?> TryConfirmTotpAsync(string factorId, long step, CancellationToken ct)
    {
        await using SqliteConnection c = Open();
        // BEGIN IMMEDIATE (the default): two enrolments confirmed at once are serialised, and the second finds itself deleted.
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        await using (SqliteCommand confirm = Command(c, "UPDATE totp_factors SET last_step=$s, confirmed=1 WHERE id=$id AND confirmed=0",
            [("$id", factorId), ("$s", step)]))
        {
            confirm.Transaction = tx;
            if (await confirm.ExecuteNonQueryAsync(ct) != 1) return null;
        }
        await using SqliteCommand drop = Command(c,
            "DELETE FROM totp_factors WHERE confirmed=0 AND account=(SELECT account FROM totp_factors WHERE id=$id)", [("$id", factorId)]);
        drop.Transaction = tx;
        int dropped = await drop.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return dropped;
    }

    public Task AddWebAuthnCredentialAsync(WebAuthnCredentialRecord w, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO webauthn_credentials VALUES($id,$a,$k,$u,$n,$t)", ct,
        ("$id", w.CredentialId), ("$a", w.Account), ("$k", w.PublicKey), ("$u", w.UserHandle), ("$n", (long)w.SignCount), ("$t", Ms(w.CreatedAt)));

    private static WebAuthnCredentialRecord MapCredential(SqliteDataReader r) =>
        new(Blob(r, 0), r.GetString(1), Blob(r, 2), Blob(r, 3), (uint)r.GetInt64(4), At(r, 5));

    public async Task<IReadOnlyList<WebAuthnCredentialRecord>> GetWebAuthnCredentialsAsync(string account, CancellationToken ct) => await QueryAsync(
        "SELECT credential_id, account, public_key, user_handle, sign_count, created_at FROM webauthn_credentials WHERE account=$a", MapCredential, ct, ("$a", account));

    public async Task<WebAuthnCredentialRecord?> FindWebAuthnCredentialAsync(byte[] credentialId, CancellationToken ct) => (await QueryAsync(
        "SELECT credential_id, account, public_key, user_handle, sign_count, created_at FROM webauthn_credentials WHERE credential_id=$id", MapCredential, ct, ("$id", credentialId))).FirstOrDefault();

    public Task UpdateSignCountAsync(byte[] credentialId, uint signCount, CancellationToken ct) => ExecuteAsync(
        "UPDATE webauthn_credentials SET sign_count=$n WHERE credential_id=$id", ct, ("$id", credentialId), ("$n", (long)signCount));

    public async Task ReplaceRecoveryCodesAsync(string account, IReadOnlyList<RecoveryCodeRecord> codes, CancellationToken ct)
    {
        await using SqliteConnection c = Open();
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        await using (SqliteCommand del = Command(c, "DELETE FROM recovery_codes WHERE account=$a", [("$a", account)]))
        {
            del.Transaction = tx;
            await del.ExecuteNonQueryAsync(ct);
        }
        foreach (RecoveryCodeRecord code in codes)
        {
            await using SqliteCommand ins = Command(c, "INSERT INTO recovery_codes VALUES($id,$a,$s,$h,NULL)",
                [("$id", code.Id), ("$a", account), ("$s", code.Salt), ("$h", code.Hash)]);
            ins.Transaction = tx;
            await ins.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<RecoveryCodeRecord>> GetUnusedRecoveryCodesAsync(string account, CancellationToken ct) => await QueryAsync(
        "SELECT id, account, salt, hash FROM recovery_codes WHERE account=$a AND used_at IS NULL",
        r => new RecoveryCodeRecord(r.GetString(0), r.GetString(1), Blob(r, 2), Blob(r, 3), null), ct, ("$a", account));

    public async Task<bool> TryUseRecoveryCodeAsync(string codeId, DateTimeOffset at, CancellationToken ct) => await ExecuteAsync(
        "UPDATE recovery_codes SET used_at=$t WHERE id=$id AND used_at IS NULL", ct, ("$id", codeId), ("$t", Ms(at))) == 1;

    public Task AddOneTimeCodeAsync(OneTimeCodeRecord o, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO one_time_codes VALUES($id,$a,$c,$s,$h,$e,0,NULL)", ct,
        ("$id", o.Id), ("$a", o.Account), ("$c", o.Channel), ("$s", o.Salt), ("$h", o.Hash), ("$e", Ms(o.ExpiresAt)));

    public async Task<OneTimeCodeRecord?> GetOneTimeCodeAsync(string id, CancellationToken ct) => (await QueryAsync(
        "SELECT id, account, channel, salt, hash, expires_at, attempts, used_at FROM one_time_codes WHERE id=$id",
        r => new OneTimeCodeRecord(r.GetString(0), r.GetString(1), r.GetString(2), Blob(r, 3), Blob(r, 4), At(r, 5), r.GetInt32(6), AtOrNull(r, 7)),
        ct, ("$id", id))).FirstOrDefault();

    public async Task<bool> TryCountOneTimeCodeAttemptAsync(string id, int maxAttempts, CancellationToken ct) => await ExecuteAsync(
        "UPDATE one_time_codes SET attempts=attempts+1 WHERE id=$id AND attempts < $max", ct, ("$id", id), ("$max", maxAttempts)) == 1;

    public async Task<bool> TryUseOneTimeCodeAsync(string id, DateTimeOffset at, CancellationToken ct) => await ExecuteAsync(
        "UPDATE one_time_codes SET used_at=$t WHERE id=$id AND used_at IS NULL", ct, ("$id", id), ("$t", Ms(at))) == 1;

    // ---- account records ----
    public Task RecordEventAsync(string account, AccountEventType type, DateTimeOffset at, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO account_events VALUES($a,$y,$t)", ct, ("$a", account), ("$y", (int)type), ("$t", Ms(at)));

    public async Task<DateTimeOffset?> GetLatestEventAsync(string account, AccountEventType type, DateTimeOffset notAfter, CancellationToken ct) => (await QueryAsync(
        "SELECT MAX(at) FROM account_events WHERE account=$a AND type=$y AND at<=$t", r => AtOrNull(r, 0), ct,
        ("$a", account), ("$y", (int)type), ("$t", Ms(notAfter)))).FirstOrDefault();

    public Task RecordStepUpAsync(string account, string method, bool moneyGrade, DateTimeOffset at, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO step_ups VALUES($a,$m,$g,$t)", ct, ("$a", account), ("$m", method), ("$g", moneyGrade ? 1 : 0), ("$t", Ms(at)));

    public async Task<DateTimeOffset?> GetLatestStepUpAsync(string account, CancellationToken ct) => (await QueryAsync(
        "SELECT MAX(at) FROM step_ups WHERE account=$a AND money_grade=1", r => AtOrNull(r, 0), ct, ("$a", account))).FirstOrDefault();

    public async Task<DateTimeOffset?> GetLatestStepUpOfAnyGradeAsync(string account, CancellationToken ct) => (await QueryAsync(
        "SELECT MAX(at) FROM step_ups WHERE account=$a", r => AtOrNull(r, 0), ct, ("$a", account))).FirstOrDefault();

    public async Task<ContactRecord?> GetContactAsync(string account, CancellationToken ct) => (await QueryAsync(
        "SELECT channel, address FROM contacts WHERE account=$a", r => new ContactRecord(r.GetString(0), r.GetString(1)), ct, ("$a", account))).FirstOrDefault();

    public Task SetContactAsync(string account, ContactRecord contact, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO contacts VALUES($a,$c,$d) ON CONFLICT(account) DO UPDATE SET channel=$c, address=$d", ct,
        ("$a", account), ("$c", contact.Channel), ("$d", contact.Address));

    // ---- links ----
    public async Task<IReadOnlyList<LinkRecord>> ListLinksToBankAccountAsync(string bank, string bankAccount, int limit, CancellationToken ct) => await QueryAsync(
        "SELECT id, wallet, bank, bank_account, holder_name, state, created_at, cool_off_until, not_me_hash, frozen_at FROM links WHERE bank=$b AND bank_account=$n ORDER BY created_at, id LIMIT $l",
        MapLink, ct, ("$b", bank), ("$n", bankAccount), ("$l", limit));

    public Task RecordHolderReportAsync(string bank, string bankAccount, DateTimeOffset at, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO holder_reports VALUES($b,$n,$t)", ct, ("$b", bank), ("$n", bankAccount), ("$t", Ms(at)));

    public async Task<DateTimeOffset?> GetLatestHolderReportAsync(string bank, string bankAccount, CancellationToken ct) => (await QueryAsync(
        "SELECT MAX(at) FROM holder_reports WHERE bank=$b AND bank_account=$n", r => AtOrNull(r, 0), ct, ("$b", bank), ("$n", bankAccount))).FirstOrDefault();

    public Task AddLinkAsync(LinkRecord l, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO links VALUES($id,$w,$b,$n,$h,$s,$c,$u,$k,NULL)", ct,
        ("$id", l.Id), ("$w", l.Wallet), ("$b", l.Bank), ("$n", l.BankAccount), ("$h", l.HolderName), ("$s", (int)l.State),
        ("$c", Ms(l.CreatedAt)), ("$u", Ms(l.CoolOffUntil)), ("$k", l.NotMeTokenHash));

    public async Task<LinkRecord?> GetLinkAsync(string id, CancellationToken ct) => (await QueryAsync(
        "SELECT id, wallet, bank, bank_account, holder_name, state, created_at, cool_off_until, not_me_hash, frozen_at FROM links WHERE id=$id",
        MapLink, ct, ("$id", id))).FirstOrDefault();

    public async Task<IReadOnlyList<LinkRecord>> ListLinksAsync(string wallet, int limit, CancellationToken ct) => await QueryAsync(
        "SELECT id, wallet, bank, bank_account, holder_name, state, created_at, cool_off_until, not_me_hash, frozen_at FROM links WHERE wallet=$w ORDER BY created_at, id LIMIT $n",
        MapLink, ct, ("$w", wallet), ("$n", limit));

    private static LinkRecord MapLink(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        (LinkState)r.GetInt32(5), At(r, 6), At(r, 7), Blob(r, 8), AtOrNull(r, 9));

    public Task FreezeLinkAsync(string id, DateTimeOffset at, CancellationToken ct) => ExecuteAsync(
        "UPDATE links SET state=1, frozen_at=COALESCE(frozen_at,$t) WHERE id=$id", ct, ("$id", id), ("$t", Ms(at)));

    public async Task<bool> UnfreezeLinkAsync(string id, CancellationToken ct) => await ExecuteAsync(
        "UPDATE links SET state=0, frozen_at=NULL WHERE id=$id AND state=1", ct, ("$id", id)) == 1;

    public Task AddChargeAsync(string linkId, long amount, DateTimeOffset at, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO charges VALUES($l,$m,$t)", ct, ("$l", linkId), ("$m", amount), ("$t", Ms(at)));

    public async Task<long> SumBankAccountChargesAsync(string bank, string bankAccount, DateTimeOffset since, CancellationToken ct) => (await QueryAsync(
        "SELECT COALESCE(SUM(c.amount),0) FROM charges c JOIN links l ON l.id=c.link_id WHERE l.bank=$b AND l.bank_account=$n AND c.at>=$t",
        r => r.GetInt64(0), ct, ("$b", bank), ("$n", bankAccount), ("$t", Ms(since))))[0];

    public async Task<IAsyncDisposable> LockBankAccountAsync(string bank, string bankAccount, CancellationToken ct)
    {
        // One lock for every bank account, as before the store had one: decisions are a few milliseconds and few.
        if (!await _bankAccountGate.WaitAsync(BankAccountLockWait, ct))
            throw new TimeoutException($"The bank-account lock was not free within {BankAccountLockWait.TotalSeconds:0} s.");
        return new GateRelease(_bankAccountGate);
    }

    /// <summary>How long a decision waits for the bank-account lock before it fails (a stuck decision must not queue all others forever).</summary>
    public static readonly TimeSpan BankAccountLockWait = TimeSpan.FromSeconds(10);

    private sealed class GateRelease(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;
        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
            return ValueTask.CompletedTask;
        }
    }

    // ---- passkey ceremonies ----
    public async Task PutWebAuthnCeremonyAsync(string account, string ceremony, string optionsJson, DateTimeOffset expiresAt, DateTimeOffset now,
        CancellationToken ct)
    {
        await using SqliteConnection c = Open();
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        await using (SqliteCommand expired = Command(c, "DELETE FROM webauthn_ceremonies WHERE expires_at <= $n", [("$n", Ms(now))]))
        {
            expired.Transaction = tx;
            await expired.ExecuteNonQueryAsync(ct);
        }
        await using SqliteCommand put = Command(c,
            "INSERT INTO webauthn_ceremonies VALUES($a,$c,$o,$e) ON CONFLICT(account, ceremony) DO UPDATE SET options=$o, expires_at=$e",
            [("$a", account), ("$c", ceremony), ("$o", optionsJson), ("$e", Ms(expiresAt))]);
        put.Transaction = tx;
        await put.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<string?> TryTakeWebAuthnCeremonyAsync(string account, string ceremony, DateTimeOffset now, CancellationToken ct) => (await QueryAsync(
        "DELETE FROM webauthn_ceremonies WHERE account=$a AND ceremony=$c RETURNING options, expires_at",
        r => At(r, 1) > now ? r.GetString(0) : null, ct, ("$a", account), ("$c", ceremony))).FirstOrDefault();

    // ---- destinations ----
    public Task AddDestinationAsync(DestinationRecord d, CancellationToken ct) => ExecuteAsync(
        "INSERT INTO destinations VALUES($id,$a,$b,$n,$h,$s,$c,$u,$k)", ct,
        ("$id", d.Id), ("$a", d.Account), ("$b", d.Bank), ("$n", d.BankAccount), ("$h", d.HolderName), ("$s", (int)d.State),
        ("$c", Ms(d.CreatedAt)), ("$u", Ms(d.HoldUntil)), ("$k", d.NotMeTokenHash));

    public async Task<DestinationRecord?> GetDestinationAsync(string account, string id, CancellationToken ct) => (await QueryAsync(
        "SELECT id, account, bank, bank_account, holder_name, state, created_at, hold_until, not_me_hash FROM destinations WHERE id=$id AND account=$a",
        MapDestination, ct, ("$id", id), ("$a", account))).FirstOrDefault();

    public async Task<IReadOnlyList<DestinationRecord>> ListDestinationsAsync(string account, int limit, CancellationToken ct) => await QueryAsync(
        "SELECT id, account, bank, bank_account, holder_name, state, created_at, hold_until, not_me_hash FROM destinations WHERE account=$a ORDER BY created_at, id LIMIT $n",
        MapDestination, ct, ("$a", account), ("$n", limit));

    private static DestinationRecord MapDestination(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), (LinkState)r.GetInt32(5), At(r, 6), At(r, 7), Blob(r, 8));

    public Task FreezeDestinationAsync(string account, string id, CancellationToken ct) => ExecuteAsync(
        "UPDATE destinations SET state=1 WHERE id=$id AND account=$a", ct, ("$id", id), ("$a", account));

    public async Task<bool> UnfreezeDestinationAsync(string account, string id, CancellationToken ct) => await ExecuteAsync(
        "UPDATE destinations SET state=0 WHERE id=$id AND account=$a AND state=1", ct, ("$id", id), ("$a", account)) == 1;

    // ---- audit ----
    public async Task<long> AppendAsync(AuditEntry e, CancellationToken ct)
    {
        await using SqliteConnection c = Open();
        await using SqliteCommand cmd = Command(c, "INSERT INTO audit(at, account, kind, subject, verdict, reasons, detail) VALUES($t,$a,$k,$s,$v,$r,$d); SELECT last_insert_rowid();",
            [("$t", Ms(e.At)), ("$a", e.Account), ("$k", e.Kind), ("$s", e.Subject), ("$v", e.Verdict), ("$r", string.Join(',', e.Reasons)), ("$d", e.Detail)]);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(string? account, int limit, CancellationToken ct) => await QueryAsync(
        "SELECT seq, at, account, kind, subject, verdict, reasons, detail FROM audit WHERE ($a IS NULL OR account=$a) ORDER BY seq DESC LIMIT $n",
        r => new AuditEntry(At(r, 1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
            r.GetString(6).Length == 0 ? [] : r.GetString(6).Split(','), r.IsDBNull(7) ? null : r.GetString(7)) { Sequence = r.GetInt64(0) },
        ct, ("$a", account), ("$n", limit));
}
