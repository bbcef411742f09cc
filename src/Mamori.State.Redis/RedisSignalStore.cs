using System.Buffers.Binary;
using System.Globalization;
using System.Reflection;
using Mamori.Events;
using Mamori.Signals;
using StackExchange.Redis;

namespace Mamori.State.Redis;

/// <summary>
/// The signal store on a Redis-protocol server (Redis, Valkey, Garnet), so many stateless nodes share one view of
/// every attack. Each observation is one Lua script (EVALSHA, one round trip) doing exactly what
/// <see cref="InMemorySignalStore.Observe"/> does, so the same requests give the same snapshots and decisions.
/// </summary>
/// <remarks>
/// <para>Division of work: C# computes every hash, bit position and sketch cell (the same code as the embedded
/// store) and every estimate from the raw state the script returns; the script only rolls generations and
/// counts. Lua numbers are doubles in Redis, so no 64-bit value crosses into Lua: bitmaps are 32-bit words.</para>
/// <para>Keys: <c>{prefix}:a:&lt;account&gt;</c>, <c>{prefix}:s:&lt;source&gt;</c>, <c>{prefix}:x:&lt;secret&gt;</c>,
/// <c>{prefix}:g</c> (global rates and population size) and <c>{prefix}:p</c> (the 4 MiB count-min sketch).
/// All share the hash tag <c>{prefix}</c> so one script may touch them in cluster mode; the price is that a
/// cluster holds the whole store on one shard (see docs/scale-out.md).</para>
/// <para>Bounds: instead of the embedded store's eviction, every per-key state carries a TTL. Sources and secrets
/// live twice their longest half-window after their last touch — by then any roll would zero them, so expiry
/// changes no answer; accounts live <see cref="RedisSignalStoreOptions.AccountRetention"/>.</para>
/// </remarks>
public sealed class RedisSignalStore : ISignalStore, IDisposable
{
    // Must equal InMemorySignalStore's private constants (the equivalence tests fail if they drift).
    private const ulong IpDomain = 1, SubnetDomain = 2, AsnDomain = 3, AgentDomain = 4, DeviceDomain = 5;
    private const int SketchWidthBits = 18, SketchDepth = 4;
    private const long PopulationDecayAt = 50_000_000;

    private const int ParameterFields = 46;
    /// <summary>Cells read per observation: six features, one per sketch row.</summary>
    private const int ReadCells = 6 * SketchDepth;
    /// <summary>observe.lua's "no such source" bit (real bits are 0..63).</summary>
    private const uint AbsentSource = 64;
    /// <summary>observe.lua's reply header: repeated, five source lengths, two secret lengths, cells read.</summary>
    private const int ReplyHeaderFields = 9, ReplyHeaderBytes = ReplyHeaderFields * sizeof(uint);
    private const int ClientTimeoutMs = 2_000;
    private const int DefaultPort = 6379;
    private const int AccountFields = 114, SourceFields = 22, SecretFields = 20, GlobalFields = 11;

    private static readonly string s_observeScript = ReadScript("observe.lua");
    /// <summary>SHA-1 of observe.lua, as EVALSHA names it. Calls send it directly: the string overload of
    /// ScriptEvaluateAsync looks the script's hash up by the whole 15 KB text on every call.</summary>
    private static readonly byte[] s_observeHash = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(s_observeScript));
    private static readonly string s_accountScript = ReadScript("account.lua");
    private static readonly RedisValue s_overflow = "OVERFLOW", s_saturate = "SAT", s_incrementBy = "INCRBY", s_get = "GET", s_u32 = "u32";

    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly IDatabase _database;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly InMemorySignalStore? _fallback;
    private readonly string _prefix;
    private readonly RedisKey _globalKey, _sketchKey;

    private readonly uint _sourceShortMinutes, _sourceLongMinutes, _secretShortMinutes, _secretLongMinutes, _failureMinutes;
    private readonly uint _sourceTtlSeconds, _secretTtlSeconds, _accountTtlSeconds;
    private readonly int _unconfirmedLearnDays;
    private readonly long _bucketTicks;
    private readonly int _minimumAttempts;
    private readonly double _baselineWeight, _factor;

    private volatile bool _available = true;

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
        _prefix = "{" + redis.KeyPrefix + "}:";
        _globalKey = _prefix + "g";
        _sketchKey = _prefix + "p";

        _sourceShortMinutes = HalfMinutes(options.Stuffing.Window);
        _sourceLongMinutes = HalfMinutes(options.SharedAddress.Window);
        _secretShortMinutes = HalfMinutes(options.Spraying.ShortWindow);
        _secretLongMinutes = HalfMinutes(options.Spraying.LongWindow);
        _failureMinutes = HalfMinutes(options.BruteForce.Window);
        // Two generations after the last touch every counter would roll to zero, so expiry then changes nothing.
        _sourceTtlSeconds = TtlSeconds((2L * Math.Max(_sourceShortMinutes, _sourceLongMinutes) + 1) * 60);
        _secretTtlSeconds = TtlSeconds((2L * Math.Max(_secretShortMinutes, _secretLongMinutes) + 1) * 60);
        _accountTtlSeconds = TtlSeconds(Math.Max((long)redis.AccountRetention.TotalSeconds, (2L * _failureMinutes + 1) * 60));
        _unconfirmedLearnDays = options.Familiarity.UnconfirmedLearnDays;
        _bucketTicks = options.GlobalAnomaly.Bucket.Ticks;
        _minimumAttempts = options.GlobalAnomaly.MinimumAttempts;
        _baselineWeight = options.GlobalAnomaly.BaselineWeight;
        _factor = options.GlobalAnomaly.Factor;

        connection.ConnectionRestored += OnConnectionRestored;
    }

    /// <inheritdoc />
    /// <remarks>False from a failed call until a call succeeds or the connection is restored.</remarks>
    public bool IsAvailable => _available && _connection.IsConnected;

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

    /// <inheritdoc />
    public async ValueTask<SignalSnapshot> ObserveAsync(SignalRequest request, CancellationToken cancellationToken = default)
    {
        SignalKeys keys = request.Keys;
        bool preAuth = request.Phase == ObservationPhase.PreAuth;
        bool success = !preAuth && request.Outcome == LoginOutcome.Success;
        var redisKeys = new RedisKey[]
        {
            AccountKey(keys.Account), _globalKey, _sketchKey,
            SourceKey(keys.Ip, IpDomain), SourceKey(keys.Subnet, SubnetDomain), SourceKey(keys.Asn, AsnDomain),
            SourceKey(keys.Agent, AgentDomain), SourceKey(keys.Device, DeviceDomain),
            SecretKey(keys.Secret), SecretKey(keys.TenantSecret),
        };
        RedisValue[] arguments = Arguments(in request, addToPopulation: success && request.Learn != LearnMode.None);

        RedisResult result;
        try
        {
            result = await EvaluateObserveAsync(redisKeys, arguments).WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _available = false;
            if (_fallback is not null) return _fallback.Observe(in request);
            throw Unavailable(ex);
        }
        _available = true;
        return ToSnapshot((byte[]?)result, in keys, preAuth);
    }

    /// <summary>EVALSHA by the precomputed hash; a server that does not know the script (restarted, flushed) gets the
    /// text once (EVAL), which also makes it known again.</summary>
    private async Task<RedisResult> EvaluateObserveAsync(RedisKey[] keys, RedisValue[] arguments)
    {
        try
        {
            return await _database.ScriptEvaluateAsync(s_observeHash, keys, arguments).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.OrdinalIgnoreCase))
        {
            return await _database.ScriptEvaluateAsync(s_observeScript, keys, arguments).ConfigureAwait(false);
        }
    }

    /// <summary>Loads the scripts on every reachable primary, so the first logins do not pay for sending and
    /// compiling them (which can exceed <see cref="RedisSignalStoreOptions.Timeout"/>). Call once at start; the
    /// store calls it again when a connection is restored (a restarted server has forgotten its scripts).</summary>
    /// <returns>Whether every reachable primary took the scripts; false when none is reachable (not an error:
    /// the store connects, and loads them, when the server appears).</returns>
    public async Task<bool> PrepareAsync(CancellationToken cancellationToken = default)
    {
        bool loaded = false;
        try
        {
            foreach (System.Net.EndPoint endpoint in _connection.GetEndPoints())
            {
                IServer server = _connection.GetServer(endpoint);
                if (!server.IsConnected || server.IsReplica) continue;
                await server.ScriptLoadAsync(s_observeScript).WaitAsync(cancellationToken).ConfigureAwait(false);
                await server.ScriptLoadAsync(s_accountScript).WaitAsync(cancellationToken).ConfigureAwait(false);
                loaded = true;
            }
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return false;
        }
        return loaded;
    }

    /// <inheritdoc />
    public ValueTask SetDeviceTrustAsync(ulong account, ulong device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync(account, "trust", trusted, ShortOf(device), cancellationToken);

    /// <inheritdoc />
    public ValueTask SetStepUpRequestedAsync(ulong account, bool requested, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync(account, "stepup", requested, 0, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.ConnectionRestored -= OnConnectionRestored;
        if (_ownsConnection) _connection.Dispose();
    }

    private async ValueTask ChangeAccountAsync(ulong account, string action, bool value, uint device, CancellationToken cancellationToken)
    {
        try
        {
            await _database.ScriptEvaluateAsync(s_accountScript, [AccountKey(account)], [action, value ? 1 : 0, device, _accountTtlSeconds])
                .WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _available = false;
            throw Unavailable(ex);
        }
        _available = true;
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

    private static bool IsStoreFailure(Exception ex) => ex is RedisException or TimeoutException or System.Net.Sockets.SocketException or ObjectDisposedException;

    /// <summary>ARGV of observe.lua: the packed parameters, then the population's BITFIELD operations.</summary>
    /// <remarks>The parameters travel as one binary record (<see cref="ParameterFields"/> uint32 then three doubles)
    /// that the script reads with one <c>struct.unpack</c>: 49 separate arguments cost the server more in
    /// conversions and <c>tonumber</c> calls than all of the script's counting. The BITFIELD operations are sent ready
    /// made (plain bit offsets) so the script passes them through without building strings.</remarks>
    private RedisValue[] Arguments(in SignalRequest request, bool addToPopulation)
    {
        SignalKeys keys = request.Keys;
        int adds = addToPopulation ? SketchDepth * (3 + (keys.Asn != 0 ? 1 : 0) + (keys.Country != 0 ? 1 : 0) + (keys.Agent != 0 ? 1 : 0)) : 0;
        var a = new RedisValue[1 + (adds > 0 ? 2 + 4 * adds : 0) + 3 * ReadCells];
        a[0] = Parameters(in request, adds);
        int next = 1;
        if (adds > 0)
        {
            a[next++] = s_overflow;
            a[next++] = s_saturate;
            // The order of InMemorySignalStore.Learn: the same cells get the same increments.
            next = Cells(a, next, Hashing.Combine(keys.Ip, IpDomain), s_incrementBy);
            if (keys.Asn != 0) next = Cells(a, next, Hashing.Combine(keys.Asn, AsnDomain), s_incrementBy);
            if (keys.Country != 0) next = Cells(a, next, keys.Country, s_incrementBy);
            if (keys.Agent != 0) next = Cells(a, next, Hashing.Combine(keys.Agent, AgentDomain), s_incrementBy);
            next = Cells(a, next, keys.Browser, s_incrementBy);
            next = Cells(a, next, keys.Os, s_incrementBy);
        }
        next = Cells(a, next, Hashing.Combine(keys.Ip, IpDomain), s_get);
        next = Cells(a, next, Hashing.Combine(keys.Asn, AsnDomain), s_get);
        next = Cells(a, next, keys.Country, s_get);
        next = Cells(a, next, Hashing.Combine(keys.Agent, AgentDomain), s_get);
        next = Cells(a, next, keys.Browser, s_get);
        Cells(a, next, keys.Os, s_get);
        return a;
    }

    /// <summary>observe.lua's PARAMS_FMT record: fields 1..46 uint32, 47..49 doubles (1-based, as the script names them).</summary>
    private byte[] Parameters(in SignalRequest request, int adds)
    {
        SignalKeys keys = request.Keys;
        uint minute = ToMinute(request.At);
        bool preAuth = request.Phase == ObservationPhase.PreAuth;
        LoginOutcome outcome = request.Outcome;
        bool failed = !preAuth && outcome != LoginOutcome.Success;
        uint sourceBit = (uint)(Hashing.Mix(keys.Account) >> 58);   // LinearCounter.Add, 64-bit map
        uint secretBit = (uint)(Hashing.Mix(keys.Account) >> 57);   // LinearCounter.Add, 128-bit map
        ulong environment = keys.Device != 0 ? keys.Device : Hashing.Combine(keys.Agent, keys.Asn);
        bool hasSecret = keys.Secret != 0;
        bool hasTenantSecret = hasSecret && keys.TenantSecret != 0 && keys.TenantSecret != keys.Secret;

        Span<uint> f = stackalloc uint[ParameterFields];
        f[0] = minute;
        f[1] = Flag(preAuth);
        f[2] = Flag(failed);
        f[3] = Flag(!preAuth && outcome == LoginOutcome.UnknownAccount);
        f[4] = Flag(!preAuth && outcome == LoginOutcome.Success);
        f[5] = Flag(outcome == LoginOutcome.WrongSecret);
        f[6] = Flag(request.FamiliarContext);
        f[7] = request.Learn switch { LearnMode.None => 0u, LearnMode.Learn => 1u, LearnMode.Pending => 2u, _ => throw new ArgumentOutOfRangeException(nameof(request), request.Learn, "Unknown learn mode.") };
        f[8] = Flag(request.UnfamiliarSuccess);
        f[9] = minute / _failureMinutes;
        f[10] = ShortOf(keys.Secret);
        f[11] = ShortOf(keys.Ip); f[12] = ShortOf(keys.Asn); f[13] = ShortOf(keys.Country); f[14] = ShortOf(keys.Agent);
        f[15] = ShortOf(keys.Browser); f[16] = ShortOf(keys.Os); f[17] = ShortOf(keys.Device);
        f[18] = (uint)(environment >> 32); f[19] = (uint)environment;
        f[20] = minute / 1440;
        f[21] = (uint)_unconfirmedLearnDays;
        f[22] = _accountTtlSeconds;
        f[23] = minute / _sourceShortMinutes; f[24] = minute / _sourceLongMinutes; f[25] = _sourceTtlSeconds;
        f[26] = sourceBit; f[27] = sourceBit;
        f[28] = keys.Asn == 0 ? AbsentSource : sourceBit; f[29] = keys.Agent == 0 ? AbsentSource : sourceBit; f[30] = keys.Device == 0 ? AbsentSource : sourceBit;
        f[31] = Flag(request.UnfamiliarSuccess); f[32] = 0; f[33] = 0; f[34] = 0; f[35] = Flag(request.UnfamiliarDeviceSuccess);
        f[36] = minute / _secretShortMinutes; f[37] = minute / _secretLongMinutes; f[38] = _secretTtlSeconds; f[39] = secretBit;
        f[40] = (uint)_minimumAttempts;
        f[41] = (uint)PopulationDecayAt;
        f[42] = SketchDepth << SketchWidthBits;
        f[43] = Flag(hasSecret); f[44] = Flag(hasTenantSecret);
        f[45] = (uint)adds;

        byte[] record = new byte[ParameterFields * sizeof(uint) + 3 * sizeof(double)];
        for (int i = 0; i < ParameterFields; i++) BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(i * sizeof(uint)), f[i]);
        int at = ParameterFields * sizeof(uint);
        // The bucket is a double: exact below 2^53, and a short bucket (seconds) over unix time overflows 32 bits.
        BinaryPrimitives.WriteDoubleLittleEndian(record.AsSpan(at), request.At.UtcTicks / _bucketTicks);
        BinaryPrimitives.WriteDoubleLittleEndian(record.AsSpan(at + sizeof(double)), _baselineWeight);
        BinaryPrimitives.WriteDoubleLittleEndian(record.AsSpan(at + 2 * sizeof(double)), _factor);
        return record;
    }

    /// <summary>BITFIELD operations on the cells of <see cref="CountMinSketch"/> that <paramref name="hash"/> maps to,
    /// one per row: <c>GET u32 &lt;bit offset&gt;</c> or <c>INCRBY u32 &lt;bit offset&gt; 1</c>.</summary>
    private static int Cells(RedisValue[] into, int at, ulong hash, RedisValue operation)
    {
        bool increment = operation == s_incrementBy;
        ulong h = hash;
        for (int row = 0; row < SketchDepth; row++)
        {
            h = Hashing.Mix(h + (ulong)row);
            long cell = (row << SketchWidthBits) + (long)(h >> (64 - SketchWidthBits));
            into[at++] = operation;
            into[at++] = s_u32;
            into[at++] = cell * 32;
            if (increment) into[at++] = 1;
        }
        return at;
    }

    /// <summary>Reads observe.lua's reply: one string (see the end of the script) of a nine-uint32 header, the account,
    /// the sources and secrets that exist, the global state, and the 24 sketch cells read.</summary>
    private SignalSnapshot ToSnapshot(byte[]? reply, in SignalKeys keys, bool preAuth)
    {
        if (reply is null || reply.Length < ReplyHeaderBytes) throw new FormatException("The signal store's reply is missing or truncated.");
        ReadOnlySpan<byte> r = reply;
        Span<int> lengths = stackalloc int[ReplyHeaderFields];
        for (int i = 0; i < ReplyHeaderFields; i++) lengths[i] = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(r[(i * sizeof(uint))..]));
        if (lengths[8] != ReadCells) throw new FormatException($"Expected {ReadCells} sketch cells, got {lengths[8]}.");
        int at = ReplyHeaderBytes;
        ReadOnlySpan<byte> Next(ReadOnlySpan<byte> from, int length)
        {
            if (length < 0 || at + length > from.Length) throw new FormatException("The signal store's reply is truncated.");
            ReadOnlySpan<byte> part = from.Slice(at, length);
            at += length;
            return part;
        }

        Span<long> account = stackalloc long[AccountFields];
        Span<long> fields = stackalloc long[SourceFields];
        PackedState.ReadUInt32(Next(r, AccountFields * sizeof(uint)), account);
        bool repeated = lengths[0] == 1;
        SourceSignals ip = Source(Next(r, lengths[1]), fields), subnet = Source(Next(r, lengths[2]), fields), asn = Source(Next(r, lengths[3]), fields),
            agent = Source(Next(r, lengths[4]), fields), device = Source(Next(r, lengths[5]), fields);
        ReadOnlySpan<byte> secretRecord = Next(r, lengths[6]), tenantRecord = Next(r, lengths[7]);
        GlobalState global = GlobalState.Parse(Next(r, GlobalFields * sizeof(double)));
        ReadOnlySpan<byte> cellBytes = Next(r, ReadCells * sizeof(uint));
        if (at != r.Length) throw new FormatException("The signal store's reply is longer than its header says.");
        Span<long> cells = stackalloc long[ReadCells];
        for (int i = 0; i < ReadCells; i++) cells[i] = BinaryPrimitives.ReadUInt32LittleEndian(cellBytes[(i * sizeof(uint))..]);

        var snapshot = new SignalSnapshot
        {
            Ip = ip,
            Subnet = subnet,
            Asn = asn,
            Agent = agent,
            Device = device,
            AccountUnfamiliarFailures = (int)(account[1] + account[2]),
            AccountFamiliarFailures = (int)(account[3] + account[4]),
            RepeatedWrongSecret = repeated,
            StepUpRequested = account[16] != 0,
            Familiarity = !preAuth ? default : new FamiliaritySignals   // read at pre-auth only (see SignalSnapshot.Familiarity)
            {
                History = (int)account[14],
                UserIp = AccountLayout.CountOf(account, AccountLayout.Ips, ShortOf(keys.Ip)),
                UserAsn = AccountLayout.CountOf(account, AccountLayout.Asns, ShortOf(keys.Asn)),
                UserCountry = AccountLayout.CountOf(account, AccountLayout.Countries, ShortOf(keys.Country)),
                UserAgent = AccountLayout.CountOf(account, AccountLayout.Agents, ShortOf(keys.Agent)),
                UserBrowser = AccountLayout.CountOf(account, AccountLayout.Browsers, ShortOf(keys.Browser)),
                UserOs = AccountLayout.CountOf(account, AccountLayout.Systems, ShortOf(keys.Os)),
                UserDevice = AccountLayout.CountOf(account, AccountLayout.Devices, ShortOf(keys.Device)),
                UserDeviceHistory = (int)account[15],
                TrustedDevice = AccountLayout.IsTrusted(account, ShortOf(keys.Device)),
                Population = global.PopulationLogins,
                GlobalIp = Minimum(cells, 0),
                GlobalAsn = keys.Asn == 0 ? 0 : Minimum(cells, 1),
                GlobalCountry = keys.Country == 0 ? 0 : Minimum(cells, 2),
                GlobalAgent = keys.Agent == 0 ? 0 : Minimum(cells, 3),
                GlobalBrowser = Minimum(cells, 4),
                GlobalOs = Minimum(cells, 5),
            },
            Global = global.ToSignals(),
        };
        if (keys.Secret != 0)
        {
            (int shortAll, int longAll, int unknownAll) = Secret(secretRecord);
            (int shortTenant, int longTenant, _) = keys.TenantSecret == 0 || keys.TenantSecret == keys.Secret
                ? (shortAll, longAll, unknownAll)
                : Secret(tenantRecord);
            snapshot = snapshot with
            {
                SecretFailedAccounts = shortAll, SecretFailedAccountsLong = longAll, SecretUnknownAccounts = unknownAll,
                TenantSecretFailedAccounts = shortTenant, TenantSecretFailedAccountsLong = longTenant,
            };
        }
        return snapshot;
    }

    /// <summary>Source signals from observe.lua's state, through <see cref="SourceState.ToSignals"/> itself.</summary>
    private static SourceSignals Source(ReadOnlySpan<byte> record, Span<long> f)
    {
        if (record.IsEmpty) return default;
        PackedState.ReadUInt32(record, f);
        // Redis keeps 32-bit counters; the in-memory store keeps 16-bit ones that halve together at 65,535. Below that
        // (every window the tests and nearly every address see) the two agree exactly; above it both keep the shares,
        // and these are scaled down the same way so the counts stay comparable.
        ScaleDown(f, 5, 10);
        ScaleDown(f, 20, 21);
        var state = new SourceState
        {
            ShortGeneration = (uint)f[0],
            AccountsCurrent = Word(f[1], f[2]), AccountsPrevious = Word(f[3], f[4]),
            AttemptsCurrent = (ushort)f[5], AttemptsPrevious = (ushort)f[6],
            FailuresCurrent = (ushort)f[7], FailuresPrevious = (ushort)f[8],
            UnknownCurrent = (ushort)f[9], UnknownPrevious = (ushort)f[10],
            LongGeneration = (uint)f[11],
            SuccessCurrent = Word(f[12], f[13]), SuccessPrevious = Word(f[14], f[15]),
            UnfamiliarCurrent = Word(f[16], f[17]), UnfamiliarPrevious = Word(f[18], f[19]),
            LongAttempts = (ushort)f[20], LongFailures = (ushort)f[21],
        };
        return state.ToSignals();
    }

    /// <summary>Halves fields <paramref name="from"/>..<paramref name="to"/> together until each fits 16 bits.</summary>
    private static void ScaleDown(Span<long> f, int from, int to)
    {
        while (true)
        {
            bool fits = true;
            for (int i = from; i <= to; i++) fits &= f[i] <= ushort.MaxValue;
            if (fits) return;
            for (int i = from; i <= to; i++) f[i] >>= 1;
        }
    }

    /// <summary>Secret counts from observe.lua's state, through <see cref="SecretState"/>'s own estimates.</summary>
    private static (int Short, int Long, int Unknown) Secret(ReadOnlySpan<byte> record)
    {
        if (record.IsEmpty) return (0, 0, 0);
        Span<long> f = stackalloc long[SecretFields];
        PackedState.ReadUInt32(record, f);
        var state = new SecretState
        {
            ShortGeneration = (uint)f[0], LongGeneration = (uint)f[1],
            ShortCurrentLow = Word(f[2], f[3]), ShortCurrentHigh = Word(f[4], f[5]),
            ShortPreviousLow = Word(f[6], f[7]), ShortPreviousHigh = Word(f[8], f[9]),
            LongCurrentLow = Word(f[10], f[11]), LongCurrentHigh = Word(f[12], f[13]),
            LongPreviousLow = Word(f[14], f[15]), LongPreviousHigh = Word(f[16], f[17]),
            UnknownCurrent = (uint)f[18], UnknownPrevious = (uint)f[19],
        };
        return (state.ShortAccounts, state.LongAccounts, (int)(state.UnknownCurrent + state.UnknownPrevious));
    }

    private static long Minimum(ReadOnlySpan<long> cells, int feature)
    {
        long min = uint.MaxValue;
        for (int row = 0; row < SketchDepth; row++) min = Math.Min(min, cells[feature * SketchDepth + row]);
        return min;
    }

    private static ulong Word(long low, long high) => (uint)low | ((ulong)(uint)high << 32);

    private static uint Flag(bool value) => value ? 1u : 0u;

    /// <summary>A time to live as the scripts' uint32 field; windows of decades are clamped (and expire just the same).</summary>
    private static uint TtlSeconds(long seconds) => (uint)Math.Clamp(seconds, 1, uint.MaxValue);

    /// <summary>AccountRecord.Short: 32 bits of a key, enough to tell one account's few values apart.</summary>
    private static uint ShortOf(ulong key) => AccountRecord.Short(key);

    private RedisKey AccountKey(ulong account) => _prefix + "a:" + account.ToString("x16", CultureInfo.InvariantCulture);

    private RedisKey SourceKey(ulong key, ulong domain) => _prefix + "s:" + Hashing.Combine(key, domain).ToString("x16", CultureInfo.InvariantCulture);

    private RedisKey SecretKey(ulong key) => _prefix + "x:" + key.ToString("x16", CultureInfo.InvariantCulture);

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

    /// <summary>Global rates as observe.lua stores them: a record of doubles (exact for the counts).</summary>
    private readonly record struct GlobalState(long Attempts, long Failures, long Unknown, long PreviousAttempts, long PreviousFailures,
        long PreviousUnknown, double FailureBaseline, double UnknownBaseline, int Learned, long PopulationLogins)
    {
        public static GlobalState Parse(ReadOnlySpan<byte> record)
        {
            Span<double> f = stackalloc double[GlobalFields];
            PackedState.ReadDouble(record, f);
            return new GlobalState((long)f[1], (long)f[2], (long)f[3], (long)f[4], (long)f[5], (long)f[6], f[7], f[8], (int)f[9], (long)f[10]);
        }

        public GlobalSignals ToSignals() => new()
        {
            Attempts = (int)Attempts,
            FailureRate = Rate(Failures, Attempts),
            UnknownRate = Rate(Unknown, Attempts),
            PreviousAttempts = (int)PreviousAttempts,
            PreviousFailureRate = Rate(PreviousFailures, PreviousAttempts),
            PreviousUnknownRate = Rate(PreviousUnknown, PreviousAttempts),
            FailureBaseline = FailureBaseline,
            UnknownBaseline = UnknownBaseline,
            BaselineBuckets = Learned,
        };

        // InMemorySignalStore.GlobalRates.Rate over ints.
        private static double Rate(long part, long whole) => whole == 0 ? 0 : Math.Min(1.0, (double)(int)part / (int)whole);
    }
}
