using System.Globalization;
using System.Reflection;
using Mamori.Campaigns;
using StackExchange.Redis;

namespace Mamori.State.Redis;

/// <summary>
/// Open campaigns shared between nodes: every node that sees one attack gives it the same id, counts its attempts
/// and accounts in one place, and exactly one node archives it when it closes.
/// </summary>
/// <remarks>
/// <para>Keys (hash tag <c>{prefix}</c>, like the signal store): <c>{p}:c:k:&lt;kind&gt;:&lt;scope&gt;</c> the open
/// campaign's id, living for the quiet period after the last attempt (its expiry is the close);
/// <c>{p}:c:i:&lt;id&gt;</c> counters (attempts, first and last attempt, kind, tenant) and <c>{p}:c:i:&lt;id&gt;:a</c>
/// a HyperLogLog of the accounts, living twice the quiet period plus an hour so the archiving node still reads them;
/// <c>{p}:c:open</c> ids by last attempt; <c>{p}:c:closed:&lt;id&gt;</c> the archive claim.</para>
/// <para>Costs: opening is one round trip, once per node per campaign; counting is sent without waiting (no
/// latency on the login); archiving is one round trip per campaign per node. Every call is bounded by
/// <see cref="RedisSignalStoreOptions.Timeout"/>; when Redis does not answer the node answers locally (its proposed
/// id, which is the same on every node for the same minute; "archive it": the archive upserts by id).</para>
/// <para>Time: the counters are on event time (the attempts' timestamps); key expiry is on the server's clock. For a
/// live service the two agree; do not replay old logs into a shared directory.</para>
/// </remarks>
public sealed class RedisCampaignDirectory : ICampaignDirectory
{
    /// <summary>Campaigns read at most per call.</summary>
    public const int MaxRead = 1_000;

    private static readonly string s_openScript = ReadScript("campaign-open.lua");
    private static readonly string s_countScript = ReadScript("campaign-count.lua");
    private static readonly string s_archiveScript = ReadScript("campaign-archive.lua");

    private readonly IDatabase _database;
    private readonly TimeSpan _timeout;
    private readonly string _prefix;
    private readonly RedisKey _openKey;
    private readonly long _quietMs, _keepMs;

    /// <summary>Creates the directory over <paramref name="connection"/> (shared; not disposed here).</summary>
    public RedisCampaignDirectory(CampaignOptions campaigns, RedisSignalStoreOptions redis, IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(connection);
        redis.Validate();
        _database = connection.GetDatabase();
        _timeout = redis.Timeout;
        _prefix = "{" + redis.KeyPrefix + "}:c:";
        _openKey = _prefix + "open";
        _quietMs = (long)campaigns.QuietPeriod.TotalMilliseconds;
        _keepMs = 2 * _quietMs + (long)TimeSpan.FromHours(1).TotalMilliseconds;
    }

    /// <inheritdoc />
    public bool IsShared => true;

    /// <inheritdoc />
    public string OpenOrGet(CampaignKind kind, ulong scope, string proposedId, DateTimeOffset at)
    {
        try
        {
            RedisResult result = Wait(_database.ScriptEvaluateAsync(s_openScript, [IdKey(kind, scope)], [proposedId, _quietMs]));
            string? id = (string?)result;
            return string.IsNullOrEmpty(id) ? proposedId : id;
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return proposedId;
        }
    }

    /// <inheritdoc />
    public void Counted(string id, CampaignKind kind, ulong scope, string? tenant, ulong account, DateTimeOffset at)
    {
        try
        {
            // Fire and forget: the login does not wait for the count; a count lost while Redis is down is lost.
            _ = CountAsync(id, kind, scope, tenant, account, at, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            // Redis is down: the node's own campaign still counts; /healthz already says degraded.
        }
    }

    /// <summary>The count <see cref="Counted"/> sends, as a task that completes when Redis has run it (with
    /// <see cref="CommandFlags.None"/>; for tests, which must know the count landed before they read it).</summary>
    internal Task CountAsync(string id, CampaignKind kind, ulong scope, string? tenant, ulong account, DateTimeOffset at, CommandFlags flags) =>
        _database.ScriptEvaluateAsync(s_countScript,
            [CountersKey(id), AccountsKey(id), IdKey(kind, scope), _openKey],
            [id, kind.ToWireName(), tenant ?? "", account.ToString("x16", CultureInfo.InvariantCulture), at.ToUnixTimeMilliseconds(), _quietMs, _keepMs],
            flags);

    /// <inheritdoc />
    public bool TryClaimArchive(string id, DateTimeOffset now)
    {
        try
        {
            RedisResult result = Wait(_database.ScriptEvaluateAsync(s_archiveScript, [CountersKey(id), _prefix + "closed:" + id],
                [now.ToUnixTimeMilliseconds(), _quietMs, _keepMs]));
            return (long)result == 1;
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            // Better twice than never: the archive upserts by id.
            return true;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SharedCampaign>> ReadAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) return [];
        string[] take = ids.Take(MaxRead).ToArray();
        var counters = new Task<HashEntry[]>[take.Length];
        var accounts = new Task<long>[take.Length];
        IBatch batch = _database.CreateBatch();
        for (int i = 0; i < take.Length; i++)
        {
            counters[i] = batch.HashGetAllAsync(CountersKey(take[i]));
            accounts[i] = batch.HyperLogLogLengthAsync(AccountsKey(take[i]));
        }
        try
        {
            batch.Execute();   // throws at once while disconnected (fail fast)
            await Task.WhenAll(Task.WhenAll(counters), Task.WhenAll(accounts)).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new SignalStoreUnavailableException("The Redis campaign directory did not answer.", ex);
        }
        var list = new List<SharedCampaign>(take.Length);
        for (int i = 0; i < take.Length; i++)
            if (TryParse(take[i], counters[i].Result, accounts[i].Result, out SharedCampaign? campaign)) list.Add(campaign);
        return list;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SharedCampaign>> OpenAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        RedisValue[] ids;
        try
        {
            ids = await _database.SortedSetRangeByScoreAsync(_openKey, now.ToUnixTimeMilliseconds() - _quietMs, double.PositiveInfinity,
                    order: Order.Descending, take: Math.Clamp(max, 1, MaxRead))
                .WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new SignalStoreUnavailableException("The Redis campaign directory did not answer.", ex);
        }
        return await ReadAsync(ids.Select(v => v.ToString()).ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private static bool TryParse(string id, HashEntry[] entries, long accounts, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SharedCampaign? campaign)
    {
        campaign = null;
        long n = 0, first = 0, last = 0;
        CampaignKind? kind = null;
        string? tenant = null;
        foreach (HashEntry e in entries)
        {
            switch ((string?)e.Name)
            {
                case "n": n = (long)e.Value; break;
                case "first": first = (long)e.Value; break;
                case "last": last = (long)e.Value; break;
                case "kind": kind = KindOf((string?)e.Value); break;
                case "tenant": tenant = (string?)e.Value is { Length: > 0 } t ? t : null; break;
            }
        }
        if (n == 0 || kind is null) return false;   // expired, or written by an unknown version
        campaign = new SharedCampaign(id, kind.Value, tenant, DateTimeOffset.FromUnixTimeMilliseconds(first), DateTimeOffset.FromUnixTimeMilliseconds(last), n, accounts);
        return true;
    }

    private static CampaignKind? KindOf(string? wire)
    {
        foreach (CampaignKind k in Enum.GetValues<CampaignKind>())
            if (k.ToWireName() == wire) return k;
        return null;
    }

    private T Wait<T>(Task<T> task) => task.WaitAsync(_timeout).GetAwaiter().GetResult();

    private RedisKey IdKey(CampaignKind kind, ulong scope) =>
        _prefix + "k:" + kind.ToWireName() + ":" + scope.ToString("x16", CultureInfo.InvariantCulture);

    private RedisKey CountersKey(string id) => _prefix + "i:" + id;

    private RedisKey AccountsKey(string id) => _prefix + "i:" + id + ":a";

    private static bool IsStoreFailure(Exception ex) => ex is RedisException or TimeoutException or System.Net.Sockets.SocketException or ObjectDisposedException;

    private static string ReadScript(string name)
    {
        Assembly assembly = typeof(RedisCampaignDirectory).Assembly;
        string resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using Stream stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
