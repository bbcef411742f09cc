using System.Globalization;
using System.Reflection;
using Mamori.Signals;
using StackExchange.Redis;

namespace Mamori.State.Redis;

/// <summary>
/// The signal store on a Redis-protocol server (Redis, Valkey, Garnet), so many stateless nodes share one view of
/// every attack. Each observation is one round trip doing exactly what <see cref="InMemorySignalStore.Observe"/> does,
/// so the same requests give the same snapshots and decisions.
/// </summary>
/// <remarks>
/// <para>Division of work: C# computes every hash, bit position and sketch cell (the same code as the embedded
/// store) and every estimate from the raw state the scripts return; the scripts (Scripts/observe.lua) only roll
/// generations and count. Lua numbers are doubles in Redis, so no 64-bit value crosses into Lua: bitmaps are 32-bit
/// words.</para>
/// <para>Two key layouts (<see cref="RedisSignalStoreOptions.KeyLayout"/>, docs/adr/0006): on a single server every key
/// shares the hash tag <c>{prefix}</c> and an observation is one atomic script; on a Redis Cluster each account,
/// source and secret has its own slot, and an observation is its per-key scripts sent to their shards at once — still
/// one round trip, with the writes that depend on the account's answer (a secret's count, a pending environment's
/// population cells) sent just after it without waiting.</para>
/// <para>Bounds: instead of the embedded store's eviction, every per-key state carries a TTL. Sources and secrets
/// live twice their longest half-window after the first write of their newest generation — by then any roll would
/// zero them, so expiry changes no answer; accounts live <see cref="RedisSignalStoreOptions.AccountRetention"/>
/// after their last outcome.</para>
/// </remarks>
public sealed partial class RedisSignalStore : ISignalStore, IDisposable
{
    private const int ClientTimeoutMs = 2_000;
    private const int DefaultPort = 6379;

    private static readonly string s_observeScript = ReadScript("observe.lua");
    /// <summary>SHA-1 of observe.lua, as EVALSHA names it. Calls send it directly: the string overload of
    /// ScriptEvaluateAsync looks the script's hash up by the whole script text on every call.</summary>
    private static readonly byte[] s_observeHash = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(s_observeScript));
    private static readonly string s_accountScript = ReadScript("account.lua");

    /// <summary>observe.lua's text (tests drive its rare paths directly).</summary>
    internal static string ObserveScript => s_observeScript;

    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly IDatabase _database;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly InMemorySignalStore? _fallback;
    private readonly string _keyPrefix;
    private readonly byte[] _keyPrefixBytes;
    private readonly RedisKeyLayout _configuredLayout;
    private readonly RedisKey _globalKey, _sketchKey;

    private readonly uint _sourceShortMinutes, _sourceLongMinutes, _secretShortMinutes, _secretLongMinutes, _failureMinutes;
    private readonly uint _sourceTtlSeconds, _secretTtlSeconds, _accountTtlSeconds;
    private readonly int _unconfirmedLearnDays;
    private readonly long _bucketTicks;
    private readonly int _minimumAttempts;
    private readonly double _baselineWeight, _factor;

    /// <summary>How often a node sends its population additions and reads the whole sketch back (<see cref="PopulationReplica"/>).</summary>
    internal static readonly TimeSpan PopulationSyncInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Most pre-auth attempts that wait for their outcomes at once (past it a pre-auth counts its own): at the
    /// default two seconds' wait, 50,000 logins a second on one node.</summary>
    internal const int MaxPendingAttempts = 100_000;

    private readonly PendingAttempts? _pending;
    private readonly PopulationReplica _population = new();
    private readonly long _populationSyncTicks;
    /// <summary>The latest population sync started (completed when none is in flight).</summary>
    private Task _populationSync = Task.CompletedTask;

    private volatile bool _available = true;
    /// <summary>The layout in use once known (0 while <see cref="RedisKeyLayout.Auto"/> waits for a connection).</summary>
    private volatile int _layout;
    private long _roundTrips;
    private long _commandsIssued;

    /// <summary>Connects to the store named by <paramref name="redis"/> (without waiting for it: the connection
    /// comes up, and comes back, by itself) with the windows and bounds of <paramref name="options"/>.</summary>
    public static RedisSignalStore Connect(MamoriOptions options, RedisSignalStoreOptions redis, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        redis.Validate();
        ConnectionMultiplexer connection = ConnectionMultiplexer.Connect(ToConfiguration(redis));
        return new RedisSignalStore(options, redis, connection, ownsConnection: true, time);
    }

    /// <summary>Connects as <see cref="Connect"/> does, then loads the scripts (<see cref="PrepareAsync"/>) when
    /// the server is reachable. Never fails for an unreachable server: the store reports itself unavailable.</summary>
    public static async Task<RedisSignalStore> ConnectAsync(MamoriOptions options, RedisSignalStoreOptions redis, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redis);
        redis.Validate();
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(ToConfiguration(redis)).ConfigureAwait(false);
        var store = new RedisSignalStore(options, redis, connection, ownsConnection: true, time);
        await store.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>Creates a store over an existing connection (shared with other users; not disposed here).</summary>
    public RedisSignalStore(MamoriOptions options, RedisSignalStoreOptions redis, IConnectionMultiplexer connection, TimeProvider? time = null)
        : this(options, redis, connection, ownsConnection: false, time)
    {
    }

    private RedisSignalStore(MamoriOptions options, RedisSignalStoreOptions redis, IConnectionMultiplexer connection, bool ownsConnection, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(connection);
        redis.Validate();
        _connection = connection;
        _ownsConnection = ownsConnection;
        _database = connection.GetDatabase();
        _timeout = redis.Timeout;
        _time = time ?? TimeProvider.System;
        _fallback = redis.LocalFallback ? new InMemorySignalStore(options) : null;
        _keyPrefix = redis.KeyPrefix;
        _keyPrefixBytes = System.Text.Encoding.ASCII.GetBytes(redis.KeyPrefix);   // [A-Za-z0-9_.-] by validation
        _configuredLayout = redis.KeyLayout;
        _layout = redis.KeyLayout == RedisKeyLayout.Auto ? 0 : (int)redis.KeyLayout;
        // Global rates and the population are one per deployment: under {prefix} in both layouts (one shard in a cluster).
        _globalKey = "{" + _keyPrefix + "}:g";
        _sketchKey = "{" + _keyPrefix + "}:p";

        _sourceShortMinutes = HalfMinutes(options.Stuffing.Window);
        _sourceLongMinutes = HalfMinutes(options.SharedAddress.Window);
        _secretShortMinutes = HalfMinutes(options.Spraying.ShortWindow);
        _secretLongMinutes = HalfMinutes(options.Spraying.LongWindow);
        _failureMinutes = HalfMinutes(options.BruteForce.Window);
        // Two generations after its newest one began every counter would roll to zero, so expiry then changes nothing.
        _sourceTtlSeconds = TtlSeconds((2L * Math.Max(_sourceShortMinutes, _sourceLongMinutes) + 1) * 60);
        _secretTtlSeconds = TtlSeconds((2L * Math.Max(_secretShortMinutes, _secretLongMinutes) + 1) * 60);
        _accountTtlSeconds = TtlSeconds(Math.Max((long)redis.AccountRetention.TotalSeconds, (2L * _failureMinutes + 1) * 60));
        _unconfirmedLearnDays = options.Familiarity.UnconfirmedLearnDays;
        _bucketTicks = options.GlobalAnomaly.Bucket.Ticks;
        _minimumAttempts = options.GlobalAnomaly.MinimumAttempts;
        _baselineWeight = options.GlobalAnomaly.BaselineWeight;
        _factor = options.GlobalAnomaly.Factor;

        _populationSyncTicks = (long)(PopulationSyncInterval.TotalSeconds * _time.TimestampFrequency);
        if (redis.CountAttemptsWithOutcome)
            _pending = new PendingAttempts(MaxPendingAttempts, (long)(redis.AttemptWait.TotalSeconds * _time.TimestampFrequency), AttemptParts);

        connection.ConnectionRestored += OnConnectionRestored;
    }

    /// <inheritdoc />
    /// <remarks>False from a failed call until a call succeeds or the connection is restored.</remarks>
    public bool IsAvailable => _available && _connection.IsConnected;

    /// <summary>The key layout in use: the configured one, or for <see cref="RedisKeyLayout.Auto"/> the one chosen at the
    /// first connection (<see cref="RedisKeyLayout.Auto"/> until then).</summary>
    public RedisKeyLayout Layout => (RedisKeyLayout)_layout;

    /// <summary>Sequential network waits so far: one per observation (the commands of one observation go out
    /// together, to one server or to several shards at once, and are awaited together).</summary>
    internal long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>
    /// Commands issued to the connection so far (scripts, GETs, BITFIELDs; counted as each is issued, before its
    /// write completes). A test that holds replies back reads it to know how many an observation sends at once.
    /// </summary>
    internal long CommandsIssued => Interlocked.Read(ref _commandsIssued);

    /// <summary>Pre-auth attempts this node has read and that wait for their outcomes to count them (docs/adr/0021).</summary>
    public int WaitingAttempts => _pending?.Count ?? 0;

    /// <summary>Pre-auth attempts sent to Redis without an outcome since start (denied, abandoned, or still being
    /// challenged after <see cref="RedisSignalStoreOptions.AttemptWait"/>). Most of them where callers report outcomes
    /// means the outcome calls are missing.</summary>
    public long AttemptsSentAlone => Interlocked.Read(ref _attemptsSentAlone);

    private long _attemptsSentAlone;

    /// <summary>Learned successes whose account tail the script took from this node (the account unchanged since the
    /// pre-auth read it) instead of computing it.</summary>
    internal long LearnedTailsUsed => Interlocked.Read(ref _learnedTailsUsed);

    private long _learnedTailsUsed;

    /// <summary>Sends every waiting attempt alone now, and waits for Redis to count them (tests; <see cref="Dispose"/>).</summary>
    internal Task SendWaitingAttemptsAsync() => SendDueAttempts(default, all: true) is { } sent ? Task.WhenAll(sent) : Task.CompletedTask;

    /// <summary>The configuration StackExchange.Redis gets: fail fast while disconnected (no backlog), never give
    /// up reconnecting, retry every 250 ms.</summary>
    internal static ConfigurationOptions ToConfiguration(RedisSignalStoreOptions redis)
    {
        string text = redis.Configuration.Trim();
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(text);
            text = $"{uri.Host}:{(uri.Port > 0 ? uri.Port : DefaultPort).ToString(CultureInfo.InvariantCulture)}";
        }
        ConfigurationOptions configuration = ConfigurationOptions.Parse(text);
        int timeoutMs = (int)Math.Ceiling(redis.Timeout.TotalMilliseconds);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // The login path's bound is enforced per call (WaitAsync); the client's own timeout is longer so one-off
        // work (loading scripts, a cold server's first compile) can finish, and a hung server's commands are
        // still abandoned after a while.
        configuration.SyncTimeout = Math.Max(timeoutMs, ClientTimeoutMs);
        configuration.AsyncTimeout = Math.Max(timeoutMs, ClientTimeoutMs);
        configuration.ConnectTimeout = Math.Max(timeoutMs, ClientTimeoutMs);
        configuration.ReconnectRetryPolicy = new LinearRetry(250);
        configuration.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
        return configuration;
    }

    /// <summary>Loads the scripts on every reachable primary, so the first logins do not pay for sending and
    /// compiling them (which can exceed <see cref="RedisSignalStoreOptions.Timeout"/>), and settles an
    /// <see cref="RedisKeyLayout.Auto"/> layout. Call once at start; the store calls it again when a connection is
    /// restored (a restarted server has forgotten its scripts).</summary>
    /// <returns>Whether every reachable primary took the scripts; false when none is reachable (not an error:
    /// the store connects, and loads them, when the server appears).</returns>
    public async Task<bool> PrepareAsync(CancellationToken cancellationToken = default)
    {
        bool loaded = false;
        try
        {
            TryResolveLayout();
            foreach (System.Net.EndPoint endpoint in _connection.GetEndPoints())
            {
                IServer server = _connection.GetServer(endpoint);
                if (!server.IsConnected || server.IsReplica) continue;
                await server.ScriptLoadAsync(s_observeScript).WaitAsync(cancellationToken).ConfigureAwait(false);
                await server.ScriptLoadAsync(s_accountScript).WaitAsync(cancellationToken).ConfigureAwait(false);
                loaded = true;
            }
            // The population as the other nodes left it, before the first login reads it.
            if (loaded && !_population.Loaded) await SynchronizePopulationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return false;
        }
        return loaded;
    }

    /// <inheritdoc />
    public ValueTask SetDeviceTrustAsync(ulong account, ulong device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync(account, "trust", trusted ? 1u : 0u, AccountRecord.Short(device), cancellationToken);

    /// <inheritdoc />
    public ValueTask SetStepUpRequestedAsync(ulong account, bool requested, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync(account, "stepup", requested ? 1u : 0u, 0, cancellationToken);

    /// <inheritdoc />
    public ValueTask MarkSecretExposedAsync(ulong account, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync(account, "exposed", SignalDays.Of(at), 0, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Counts the attempts still waiting for outcomes (at their last state, as if their wait had passed) and
    /// sends the population's last additions. Callers at the same time share one flush: each returns when it is done.
    /// A store failure is not thrown (these are counts, and the store reports itself unavailable).</remarks>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Task flush;
        lock (_flushLock)
        {
            if (_flush is not { IsCompleted: false }) _flush = FlushCoreAsync();
            flush = _flush;
        }
        return new ValueTask(flush.WaitAsync(cancellationToken));
    }

    private readonly Lock _flushLock = new();
    private Task? _flush;

    private async Task FlushCoreAsync()
    {
        if (!_connection.IsConnected) return;
        TimeSpan wait = _timeout > StopWait ? _timeout : StopWait;
        try
        {
            await SendWaitingAttemptsAsync().WaitAsync(wait, _time).ConfigureAwait(false);
            await SynchronizePopulationAsync().WaitAsync(wait, _time).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _available = false;
        }
    }

    /// <summary>The least a flush waits for the store to take what the node held back (<see cref="FlushAsync"/>): longer
    /// than a login's bound (<see cref="RedisSignalStoreOptions.Timeout"/>), since no login waits on it.</summary>
    internal static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    /// <remarks>Flushes first (<see cref="FlushAsync"/>) when nobody did: a node's host flushes as it stops, a program
    /// using the store directly may only dispose it.</remarks>
    public void Dispose()
    {
        _connection.ConnectionRestored -= OnConnectionRestored;
        try
        {
            if (Volatile.Read(ref _flush) is null) FlushAsync().AsTask().Wait();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(IsStoreFailure))
        {
            // Best effort: the store is going away, and these are counts, not records.
        }
        if (_ownsConnection) _connection.Dispose();
    }

    /// <summary>Starts a population sync in the background when one is due (every <see cref="PopulationSyncInterval"/>).</summary>
    private void SyncPopulationWhenDue()
    {
        if (_population.TryBeginSync(_time.GetTimestamp(), _populationSyncTicks, out List<(int Cell, uint Count)> additions))
            _populationSync = SyncPopulationAsync(additions);
    }

    /// <summary>Before this node's copy of the population has ever loaded (a login that came before <see cref="PrepareAsync"/>
    /// finished): waits for the sync in flight, or starts one, at most the store's timeout, so the first logins do not read
    /// an empty population. Not while the store is known to be down: the observation answers by the fail mode at once.</summary>
    private async ValueTask AwaitFirstPopulationAsync(CancellationToken cancellationToken)
    {
        if (!IsAvailable) return;
        Task sync = _populationSync;
        if (sync.IsCompleted && _population.TryBeginSync(_time.GetTimestamp(), _populationSyncTicks, out List<(int Cell, uint Count)> additions, force: true))
            sync = _populationSync = SyncPopulationAsync(additions);
        else
            sync = _populationSync;
        try
        {
            await sync.WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The observation's own call meets the same server next, and answers for it.
        }
    }

    /// <summary>Sends this node's population additions and reads the sketch back now, after any sync in flight
    /// (at start, at shutdown, and in tests that need another node's additions at once).</summary>
    internal async Task SynchronizePopulationAsync(CancellationToken cancellationToken = default)
    {
        List<(int Cell, uint Count)> additions;
        while (!_population.TryBeginSync(_time.GetTimestamp(), _populationSyncTicks, out additions, force: true))
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        Task sync = _populationSync = SyncPopulationAsync(additions);
        await sync.ConfigureAwait(false);
    }

    /// <summary>One sync: the additions as saturating <c>BITFIELD … INCRBY</c>s, then a <c>GET</c> of the whole sketch,
    /// pipelined on the sketch's connection (so the reply includes them). A failure keeps the additions for the next.</summary>
    private async Task SyncPopulationAsync(List<(int Cell, uint Count)> additions)
    {
        try
        {
            var sent = new List<Task<Lease<long?>>>(additions.Count / PopulationReplica.MaxOperationsPerCommand + 1);
            for (int at = 0; at < additions.Count; at += PopulationReplica.MaxOperationsPerCommand)
            {
                var operations = new BitFieldOperation[Math.Min(PopulationReplica.MaxOperationsPerCommand, additions.Count - at)];
                for (int i = 0; i < operations.Length; i++)
                {
                    (int cell, uint count) = additions[at + i];
                    operations[i] = BitFieldOperation.IncrementBy(BitFieldEncoding.UInt32, BitFieldOffset.Bit(cell * 32L), count, BitFieldOverflow.Saturate);
                }
                sent.Add(Issued(_database.StringBitFieldAsync(_sketchKey, operations)));
            }
            Task<Lease<byte>?> read = Issued(_database.StringGetLeaseAsync(_sketchKey));
            foreach (Task<Lease<long?>> command in sent) (await command.ConfigureAwait(false)).Dispose();
            using Lease<byte>? sketch = await read.ConfigureAwait(false);
            _population.EndSync(sketch is null ? default : sketch.Span);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _population.FailSync(additions);
        }
    }

    private async ValueTask ChangeAccountAsync(ulong account, string action, uint value, uint device, CancellationToken cancellationToken)
    {
        try
        {
            RedisKeyLayout layout = ResolveLayout();
            await _database.ScriptEvaluateAsync(s_accountScript, [AccountKey(layout, account)], [action, value, device, _accountTtlSeconds])
                .WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _available = false;
            throw Unavailable(ex);
        }
        _available = true;
    }

    /// <summary>The layout to name keys with; for <see cref="RedisKeyLayout.Auto"/> decided once, at the first
    /// connection, from the server: <see cref="RedisKeyLayout.Spread"/> on a cluster, <see cref="RedisKeyLayout.SingleSlot"/>
    /// otherwise. It never changes afterwards (a running store cannot rename its keys).</summary>
    /// <exception cref="SignalStoreUnavailableException">Not decided yet and no server is connected.</exception>
    private RedisKeyLayout ResolveLayout()
    {
        int layout = _layout;
        if (layout != 0) return (RedisKeyLayout)layout;
        return TryResolveLayout() ?? throw new SignalStoreUnavailableException(
            "The Redis signal store has not reached its server yet, so it cannot tell a cluster from a single server.");
    }

    private RedisKeyLayout? TryResolveLayout()
    {
        if (_layout != 0) return (RedisKeyLayout)_layout;
        if (_configuredLayout != RedisKeyLayout.Auto) return _configuredLayout;
        bool? cluster = null;
        foreach (IServer server in _connection.GetServers())
        {
            if (!server.IsConnected) continue;
            cluster = (cluster ?? false) || server.ServerType == ServerType.Cluster;
        }
        if (cluster is null) return null;
        RedisKeyLayout chosen = cluster.Value ? RedisKeyLayout.Spread : RedisKeyLayout.SingleSlot;
        Interlocked.CompareExchange(ref _layout, (int)chosen, 0);
        return (RedisKeyLayout)_layout;
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive) return;   // the subscription link carries no calls
        _available = true;
        _ = PrepareAsync();   // best effort: a call before it finishes sends the script itself
    }

    private SignalStoreUnavailableException Unavailable(Exception ex) => new(ex is TimeoutException
        ? $"The Redis signal store did not answer within {_timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms."
        : $"The Redis signal store failed: {ex.Message}", ex);

    private static bool IsStoreFailure(Exception ex) => ex is RedisException or SignalStoreUnavailableException or TimeoutException or System.Net.Sockets.SocketException or ObjectDisposedException;

    /// <summary>A time to live as the scripts' uint32 field; windows of decades are clamped (and expire just the same).</summary>
    /// <summary>The counters an attempt counts at pre-auth, for <see cref="PendingAttempts"/>: each source's attempts and
    /// accounts in the generations of <paramref name="at"/>, and the global attempts of its bucket.</summary>
    private int AttemptParts(in SignalKeys keys, DateTimeOffset at, Span<PendingAttempts.Part> into)
    {
        uint minute = ToMinute(at);
        long shortGeneration = minute / _sourceShortMinutes, longGeneration = minute / _sourceLongMinutes;
        int bit = SourceBit(keys.Account);
        int n = 0;
        into[n++] = new(Hashing.Combine(keys.Ip, IpDomain), shortGeneration, longGeneration, bit);
        into[n++] = new(Hashing.Combine(keys.Subnet, SubnetDomain), shortGeneration, longGeneration, bit);
        if (keys.Asn != 0) into[n++] = new(Hashing.Combine(keys.Asn, AsnDomain), shortGeneration, longGeneration, bit);
        if (keys.Agent != 0) into[n++] = new(Hashing.Combine(keys.Agent, AgentDomain), shortGeneration, longGeneration, bit);
        if (keys.Device != 0) into[n++] = new(Hashing.Combine(keys.Device, DeviceDomain), shortGeneration, longGeneration, bit);
        into[n++] = new(PendingAttempts.GlobalKey, at.UtcTicks / _bucketTicks, 0, -1);
        return n;
    }

    private static uint TtlSeconds(long seconds) => (uint)Math.Clamp(seconds, 1, uint.MaxValue);

    private static uint HalfMinutes(TimeSpan window) => (uint)Math.Max(1, window.TotalMinutes / 2);

    private static uint ToMinute(DateTimeOffset at) => (uint)Math.Clamp(at.ToUnixTimeSeconds() / 60, 0, uint.MaxValue);

    private static string ReadScript(string name)
    {
        Assembly assembly = typeof(RedisSignalStore).Assembly;
        string resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using Stream stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
