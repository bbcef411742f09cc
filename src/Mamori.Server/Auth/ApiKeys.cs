using System.Security.Cryptography;
using System.Text;
using Mamori.Storage;

namespace Mamori.Server.Auth;

/// <summary>Generates and hashes API keys. Keys are <c>mamori_</c> + 43 base64url characters (256 random bits).</summary>
public static class ApiKeyFormat
{
    /// <summary>Prefix of generated keys (lets secret scanners find leaked ones).</summary>
    public const string Prefix = "mamori_";

    /// <summary>Shortest key accepted from <c>MAMORI_API_KEY</c>: anything shorter is guessable.</summary>
    public const int MinLength = 24;

    /// <summary>Longest key accepted in a header.</summary>
    public const int MaxLength = 256;

    /// <summary>A new random key.</summary>
    public static string NewKey() => Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new public key id.</summary>
    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>SHA-256 of the key's UTF-8 bytes: what is stored.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Creates a key record (and the key) for <paramref name="scope"/>.</summary>
    public static (ApiKeyRecord Record, string Key) Create(ApiKeyScope scope, string? name, DateTimeOffset now, string? key = null)
    {
        key ??= NewKey();
        return (new ApiKeyRecord(NewId(), name, scope, Hash(key), now, null), key);
    }
}

/// <summary>Who called: the key's public id and scope.</summary>
/// <param name="KeyId">Public id.</param>
/// <param name="Scope">Scope.</param>
public readonly record struct ApiKeyIdentity(string KeyId, ApiKeyScope Scope);

/// <summary>
/// The active keys, cached in memory and refreshed from storage every few seconds (so <c>mamori keys revoke</c> on a
/// running server takes effect without a restart).
/// </summary>
/// <remarks>
/// Thread-safe. A presented key is hashed once and compared with every active hash in constant time
/// (<see cref="CryptographicOperations.FixedTimeEquals"/>), never looked up by value, so response time says nothing
/// about how close a guess was. With a handful of active keys (rotation) that is a few hundred nanoseconds.
/// </remarks>
public sealed class ApiKeyRegistry
{
    private readonly IApiKeyStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refresh;
    private readonly Lock _gate = new();
    private volatile Entry[] _active = [];
    private Entry[] _pinned = [];
    private long _nextRefreshTicks;
    private int _refreshing;

    /// <summary>Creates the registry over <paramref name="store"/>.</summary>
    public ApiKeyRegistry(IApiKeyStore store, TimeProvider time, TimeSpan refresh)
    {
        _store = store;
        _time = time;
        _refresh = refresh;
    }

    /// <summary>Active keys in memory.</summary>
    public int Count => _active.Length;

    /// <summary>
    /// Keeps a key active in memory even when storage cannot hold it (the bootstrap key on an unwritable folder), so an
    /// operator can still reach /metrics and the API of a degraded node.
    /// </summary>
    public void Pin(ApiKeyRecord key)
    {
        lock (_gate)
        {
            _pinned = [.. _pinned, new Entry(key.Id, key.Scope, key.Hash)];
            _active = [.. _active.Where(e => e.Id != key.Id), new Entry(key.Id, key.Scope, key.Hash)];
        }
    }

    /// <summary>Reloads the active keys from storage now.</summary>
    /// <remarks>Once storage answers with any key, it alone decides: a pinned key stays only while storage holds none
    /// (a first start that could not write it). A node started while its database was unreachable pins
    /// <c>MAMORI_API_KEY</c> under a fresh id; had that key been revoked in the database, matching the pin by id would
    /// have kept it alive on that node for good.</remarks>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ApiKeyRecord> keys = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var active = keys.Where(k => k.Revoked is null).Select(k => new Entry(k.Id, k.Scope, k.Hash)).ToList();
            if (keys.Count == 0) active.AddRange(_pinned);
            _active = [.. active];
        }
        Interlocked.Exchange(ref _nextRefreshTicks, _time.GetUtcNow().UtcTicks + _refresh.Ticks);
        Refreshed?.Invoke();
    }

    /// <summary>Raised after each reload has replaced the active keys, whoever started it (the node's timer, a request,
    /// an admin call), so an observer waits for the reload itself rather than polling <see cref="Count"/>.</summary>
    public event Action? Refreshed;

    /// <summary>How often the keys are reloaded (<c>Mamori:Server:KeyRefreshInterval</c>).</summary>
    public TimeSpan RefreshInterval => _refresh;

    /// <summary>Finds the active key matching <paramref name="presented"/>.</summary>
    public bool TryAuthenticate(ReadOnlySpan<char> presented, out ApiKeyIdentity identity)
    {
        MaybeRefresh();
        identity = default;
        if (presented.IsEmpty || presented.Length > ApiKeyFormat.MaxLength) return false;
        Span<byte> utf8 = stackalloc byte[ApiKeyFormat.MaxLength * 3];
        int n = Encoding.UTF8.GetBytes(presented, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..n], hash);
        bool found = false;
        foreach (Entry entry in _active)
        {
            // No early exit: every active key is compared, in constant time each.
            if (CryptographicOperations.FixedTimeEquals(entry.Hash, hash) && !found)
            {
                identity = new ApiKeyIdentity(entry.Id, entry.Scope);
                found = true;
            }
        }
        return found;
    }

    private void MaybeRefresh()
    {
        if (_time.GetUtcNow().UtcTicks < Interlocked.Read(ref _nextRefreshTicks)) return;
        if (Interlocked.Exchange(ref _refreshing, 1) == 1) return;
        // In the background: a slow disk must not slow an authentication. Failures keep the cached keys.
        _ = Task.Run(async () =>
        {
            try { await RefreshAsync().ConfigureAwait(false); }
            catch (Exception) { Interlocked.Exchange(ref _nextRefreshTicks, _time.GetUtcNow().UtcTicks + _refresh.Ticks); }
            finally { Interlocked.Exchange(ref _refreshing, 0); }
        });
    }

    private sealed record Entry(string Id, ApiKeyScope Scope, byte[] Hash);
}
