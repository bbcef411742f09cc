using System.Buffers.Binary;
using System.Globalization;
using Mamori.Events;
using Mamori.Signals;
using StackExchange.Redis;

namespace Mamori.State.Redis;

/// <summary>One observation: what is sent (per key layout), and how the replies become a <see cref="SignalSnapshot"/>.</summary>
public sealed partial class RedisSignalStore
{
    // Must equal InMemorySignalStore's private constants (the equivalence tests fail if they drift).
    private const ulong IpDomain = 1, SubnetDomain = 2, AsnDomain = 3, AgentDomain = 4, DeviceDomain = 5, SecretSuccessDomain = 6;
    private const int SketchWidthBits = 18, SketchDepth = CountMinSketch.Depth;
    private const long PopulationDecayAt = 50_000_000;
    private const uint SketchCells = SketchDepth << SketchWidthBits;

    // An account is 116 uint32; one written before it kept its last country is 114 (read as none known).
    /// <summary>Where the account's failure addresses are (observe.lua: after the last country and its minute).</summary>
    private const int FailureAddressesField = 116;
    private const int AccountFields = 117, BeforeAddressesAccountFields = 116, EarlierAccountFields = 114, AccountHeadFields = 21, SourceFields = 24, EarlierSourceFields = 22, SecretFields = 20, GlobalFields = 11;
    /// <summary>Population features (ip, ASN, country, agent, browser, OS), one sketch cell each per row.</summary>
    private const int Features = 6, MaxCells = Features * SketchDepth;

    // observe.lua's modes (the first byte of its packed argument) and outcome codes.
    private const uint WholeMode = 0, AccountMode = 1, SourceMode = 2, SecretMode = 3, GlobalMode = 4, LearnedMode = 5, CountMode = 6;
    private const uint PreAuthCode = 0, WrongSecretCode = 1, UnknownAccountCode = 2, LockedCode = 3, SuccessCode = 4;
    /// <summary>Added to an outcome's code (modes 0, 2 and 4): the script also counts the attempt its pre-auth only read.</summary>
    private const uint WithAttempt = 8;
    /// <summary>Mode 0's packed argument: 37 uint32 and 3 doubles, then (pending environments only) a count and 24 cells.</summary>
    private const int WholeFields = 38, WholeBytes = WholeFields * sizeof(uint) + 3 * sizeof(double), CellsBytes = (1 + MaxCells) * sizeof(uint);
    /// <summary>Mode 0's reply header: repeated, learned, the lengths of the account, five sources, two secrets and the
    /// secret's success record.</summary>
    private const int WholeReplyHeaderFields = 11;
    /// <summary>An account's tail (trusted devices and feature bags) after its 21-field head.</summary>
    private const int AccountTailFields = 93;
    /// <summary>Mode 0's learned tail (a learned success whose pre-auth this node read): the history count, whether a
    /// record was stored, the tail then and the tail learned.</summary>
    private const int LearnedBytes = 2 * sizeof(uint) + 2 * AccountTailFields * sizeof(uint);

    /// <inheritdoc />
    /// <remarks>One round trip in either layout. Single slot: EVALSHA observe.lua (the whole observation, atomically).
    /// Spread: the account's, each source's and the global script plus GETs of the secrets, sent together to their
    /// shards; then, without waiting, what depended on the account's answer (a new failure on the secrets, a pending
    /// environment's count in the population). The population's cells are read from and added to this node's copy
    /// (<see cref="PopulationReplica"/>), synced with Redis in the background.</remarks>
    public async ValueTask<SignalSnapshot> ObserveAsync(SignalRequest request, CancellationToken cancellationToken = default)
    {
        SyncPopulationWhenDue();
        (long, long, long) epoch = Epoch(request.At);
        SendDueAttempts(epoch);
        if (!_population.Loaded) await AwaitFirstPopulationAsync(cancellationToken).ConfigureAwait(false);
        // A pre-auth reads (its attempt waits for the outcome to count it); an outcome whose pre-auth's attempt still
        // waits here counts both (docs/adr/0021).
        bool preAuth = request.Phase == ObservationPhase.PreAuth;
        bool readOnly = preAuth && _pending is { HasRoom: true };
        bool read = false;
        byte[]? account = null;
        bool withAttempt = !preAuth && _pending is not null && _pending.TryClaim(request.Keys, out read, out account);
        var call = new Observation(this, in request, readOnly, withAttempt) { AccountAtPreAuth = (read, account) };
        try
        {
            Task sent = ResolveLayout() == RedisKeyLayout.Spread ? call.SendSpread() : call.SendSingleSlot();
            await sent.WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
            if (readOnly) call.CheckRead();
            Interlocked.Increment(ref _roundTrips);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _available = false;
            if (_fallback is not null) return _fallback.Observe(in request);
            throw Unavailable(ex);
        }
        _available = true;
        SignalSnapshot snapshot = call.Finish();   // with this node's waiting attempts, and this one: then it waits too
        if (readOnly && !_pending!.TryAdd(request.Keys, request.At, _time.GetTimestamp(), epoch, call.AccountRead))
            _ = SendAttempt(request.Keys, request.At);
        return snapshot;
    }

    /// <summary>Sends the attempts that waited <see cref="RedisSignalStoreOptions.AttemptWait"/> for an outcome (every
    /// waiting one with <paramref name="all"/> or at a later <paramref name="epoch"/>), summed per source and generation
    /// and per global bucket, as observe.lua's mode 6 (single slot: up to <see cref="SourcesPerCount"/> sources a
    /// script; spread: a script per key, each on its shard); returns what was sent.</summary>
    private List<Task>? SendDueAttempts((long, long, long) epoch, bool all = false)
    {
        if (_pending?.TakeDue(_time.GetTimestamp(), epoch, all) is not { Count: > 0 } due) return null;
        RedisKeyLayout layout;
        try
        {
            layout = ResolveLayout();
        }
        catch (SignalStoreUnavailableException)
        {
            _available = false;   // lost: these are counts, and the store was never reached
            return null;
        }
        List<PendingAttempts.Due> sources = due.FindAll(d => d.Key != PendingAttempts.GlobalKey);
        List<PendingAttempts.Due> buckets = due.FindAll(d => d.Key == PendingAttempts.GlobalKey);
        foreach (PendingAttempts.Due bucket in buckets) Interlocked.Add(ref _attemptsSentAlone, bucket.Count);   // one global part per attempt
        var sent = new List<Task>();
        int perCall = layout == RedisKeyLayout.Spread ? 1 : SourcesPerCount;
        for (int at = 0; at < sources.Count; at += perCall)
            sent.Add(SendCounts(layout, sources.GetRange(at, Math.Min(perCall, sources.Count - at)), layout == RedisKeyLayout.SingleSlot && at == 0 ? buckets : []));
        if (buckets.Count > 0 && (layout == RedisKeyLayout.Spread || sources.Count == 0)) sent.Add(SendCounts(layout, [], buckets));
        return sent;
    }

    /// <summary>Most sources one mode-6 script counts (a script blocks Redis while it runs: 256 sources are ~1 ms).</summary>
    internal const int SourcesPerCount = 256;

    private Task SendCounts(RedisKeyLayout layout, List<PendingAttempts.Due> sources, List<PendingAttempts.Due> buckets)
    {
        var keys = new RedisKey[sources.Count + (buckets.Count > 0 ? 1 : 0)];
        for (int i = 0; i < sources.Count; i++) keys[i] = Key(layout, 's', sources[i].Key);
        if (buckets.Count > 0) keys[^1] = _globalKey;
        var parameters = new byte[7 * sizeof(uint) + 2 * sizeof(double) + sources.Count * 5 * sizeof(uint) + buckets.Count * (sizeof(double) + sizeof(uint))];
        var p = new Packer(parameters);
        p.Add(CountMode); p.Add((uint)sources.Count); p.Add((uint)buckets.Count); p.Add(_sourceTtlSeconds);
        p.Add((uint)_minimumAttempts); p.Add((uint)PopulationDecayAt); p.Add(SketchCells); p.Add(_baselineWeight); p.Add(_factor);
        foreach (PendingAttempts.Due d in sources)
        {
            p.Add((uint)d.First); p.Add((uint)d.Second); p.Add((uint)d.Count); p.Add((uint)d.Bits); p.Add((uint)(d.Bits >> 32));
        }
        foreach (PendingAttempts.Due d in buckets)
        {
            p.Add((double)d.First); p.Add((uint)d.Count);
        }
        return ObserveFollowUpAsync(EvaluateObserveAsync(keys, parameters));
    }

    /// <summary>The account's bit in a source's 64-bit maps of accounts (LinearCounter.Add).</summary>
    private static int SourceBit(ulong account) => (int)(Hashing.Mix(account) >> 58);

    /// <summary>What a pre-auth's attempt counts in: the global bucket and the sources' short and long generations.</summary>
    private (long, long, long) Epoch(DateTimeOffset at)
    {
        uint minute = ToMinute(at);
        return (at.UtcTicks / _bucketTicks, minute / _sourceShortMinutes, minute / _sourceLongMinutes);
    }

    /// <summary>One attempt counted alone (observe.lua's pre-auth), without waiting: a failure loses that one count and
    /// says the store is unavailable until a call succeeds.</summary>
    private Task SendAttempt(in SignalKeys keys, DateTimeOffset at)
    {
        Interlocked.Increment(ref _attemptsSentAlone);
        var request = new SignalRequest { Keys = keys, At = at, Phase = ObservationPhase.PreAuth };
        var call = new Observation(this, in request, readOnly: false, withAttempt: false);
        try
        {
            return ObserveFollowUpAsync(ResolveLayout() == RedisKeyLayout.Spread ? call.SendSpread() : call.SendSingleSlot());
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _available = false;
            return Task.CompletedTask;
        }
    }

    /// <summary>EVALSHA by the precomputed hash; a server that does not know the script (restarted, flushed) gets the
    /// text once (EVAL), which also makes it known again.</summary>
    private async Task<RedisResult> EvaluateObserveAsync(RedisKey[] keys, byte[] parameters)
    {
        Interlocked.Increment(ref _commandsIssued);
        RedisValue[] arguments = [parameters];
        try
        {
            return await _database.ScriptEvaluateAsync(s_observeHash, keys, arguments).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.OrdinalIgnoreCase))
        {
            return await _database.ScriptEvaluateAsync(s_observeScript, keys, arguments).ConfigureAwait(false);
        }
    }

    /// <summary>Counts a command just issued (<see cref="CommandsIssued"/>) and passes its task on.</summary>
    private Task<T> Issued<T>(Task<T> command)
    {
        Interlocked.Increment(ref _commandsIssued);
        return command;
    }

    /// <summary>A write that depended on another key's answer, sent now without waiting (spread layout): it reaches
    /// the server before anything this node sends later on the same connection. A failure loses that one count (and
    /// says the store is unavailable until a call succeeds).</summary>
    private void FollowUp(RedisKey[] keys, byte[] parameters)
    {
        Task script = EvaluateObserveAsync(keys, parameters);   // written to the connection before this returns
        _ = ObserveFollowUpAsync(script);
    }

    private async Task ObserveFollowUpAsync(Task script)
    {
        try
        {
            await script.ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _available = false;
        }
    }

    private RedisKey AccountKey(RedisKeyLayout layout, ulong account) => Key(layout, 'a', account);

    private RedisKey SourceKey(RedisKeyLayout layout, ulong key, ulong domain) => Key(layout, 's', Hashing.Combine(key, domain));

    private RedisKey SecretKey(RedisKeyLayout layout, ulong secret) => Key(layout, 'x', secret);

    /// <summary><c>{prefix}:k:hex</c> (single slot) or <c>prefix:k:{hex}</c> (spread: the 16 hex digits are the hash
    /// tag), built as UTF-8 bytes so the client does not transcode a string per key per call.</summary>
    private RedisKey Key(RedisKeyLayout layout, char kind, ulong value)
    {
        bool spread = layout == RedisKeyLayout.Spread;
        byte[] prefix = _keyPrefixBytes;
        var key = new byte[prefix.Length + 5 + 16];   // braces, two colons and the kind around the prefix and 16 hex digits
        int at = 0;
        if (!spread) key[at++] = (byte)'{';
        prefix.CopyTo(key, at);
        at += prefix.Length;
        if (!spread) key[at++] = (byte)'}';
        key[at++] = (byte)':';
        key[at++] = (byte)kind;
        key[at++] = (byte)':';
        if (spread) key[at++] = (byte)'{';
        value.TryFormat(key.AsSpan(at, 16), out _, "x16", CultureInfo.InvariantCulture);
        at += 16;
        if (spread) key[at] = (byte)'}';
        return key;
    }

    /// <summary>Appends little-endian fields to a buffer (observe.lua's packed argument).</summary>
    private ref struct Packer(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;
        private int _at;

        public void Add(uint value) { BinaryPrimitives.WriteUInt32LittleEndian(_buffer[_at..], value); _at += sizeof(uint); }

        public void Add(bool value) => Add(value ? 1u : 0u);

        public void Add(double value) { BinaryPrimitives.WriteDoubleLittleEndian(_buffer[_at..], value); _at += sizeof(double); }

        public void AddBytes(ReadOnlySpan<byte> bytes) { bytes.CopyTo(_buffer[_at..]); _at += bytes.Length; }

        public void AddZeros(int count) { _buffer.Slice(_at, count).Clear(); _at += count; }

        public readonly byte[] ToArray() => _buffer[.._at].ToArray();
    }

    /// <summary>
    /// Everything one observation computes client-side (times, bits, cells, the packed arguments), the commands it
    /// sends, and the replies turned into a snapshot with the embedded store's own state types and estimates.
    /// </summary>
    private sealed class Observation
    {
        private readonly RedisSignalStore _store;
        private readonly SignalRequest _request;
        private readonly SignalKeys _keys;
        private readonly uint _outcome, _minute;
        private readonly bool _preAuth, _failed, _unknown, _learnNow, _pendingSuccess, _pendingCountry;
        /// <summary>A pre-auth that only reads (its attempt waits for the outcome), and an outcome that also counts its pre-auth's attempt.</summary>
        private readonly bool _readOnly, _withAttempt;
        private readonly int _secrets;
        private readonly uint _secretWord, _secretPower;

        private Task<RedisResult>? _whole, _account, _global;
        private readonly Task<RedisResult>?[] _sources = new Task<RedisResult>?[5];
        private Task<RedisValue>? _secret, _tenantSecret, _success;
        private Task<RedisValue[]>? _read;
        private Task<RedisValue>? _accountRead, _globalRead;
        private readonly Task<RedisValue>?[] _sourceReads = new Task<RedisValue>?[5];
        private RedisKeyLayout _layout;

        public Observation(RedisSignalStore store, in SignalRequest request, bool readOnly, bool withAttempt)
        {
            _store = store;
            _request = request;
            _keys = request.Keys;
            _preAuth = request.Phase == ObservationPhase.PreAuth;
            _readOnly = readOnly && _preAuth;
            _withAttempt = withAttempt && !_preAuth;
            LoginOutcome outcome = request.Outcome;
            _outcome = _preAuth ? PreAuthCode : outcome switch
            {
                LoginOutcome.Success => SuccessCode,
                LoginOutcome.WrongSecret => WrongSecretCode,
                LoginOutcome.UnknownAccount => UnknownAccountCode,
                LoginOutcome.Locked => LockedCode,
                _ => throw new ArgumentOutOfRangeException(nameof(request), outcome, "Unknown login outcome."),
            };
            _failed = !_preAuth && outcome != LoginOutcome.Success;
            _unknown = !_preAuth && outcome == LoginOutcome.UnknownAccount;
            bool success = !_preAuth && outcome == LoginOutcome.Success;
            _learnNow = success && request.Learn == LearnMode.Learn;
            _pendingSuccess = success && request.Learn == LearnMode.Pending;
            _pendingCountry = _pendingSuccess && request.CountCountry && _keys.Country != 0;   // as InMemorySignalStore
            _minute = ToMinute(request.At);
            _secrets = _keys.Secret == 0 ? 0 : _keys.TenantSecret != 0 && _keys.TenantSecret != _keys.Secret ? 2 : 1;
            int secretBit = (int)(Hashing.Mix(_keys.Account) >> 57);   // LinearCounter.Add, 128-bit map
            _secretWord = (uint)(secretBit >> 5);
            _secretPower = 1u << (secretBit & 31);
        }

        /// <summary>Single slot: the whole observation in one script, with the population's BITFIELDs beside it.</summary>
        public Task SendSingleSlot()
        {
            _layout = RedisKeyLayout.SingleSlot;
            RedisSignalStore s = _store;
            var keys = new RedisKey[4 + Present(_keys.Asn) + Present(_keys.Agent) + Present(_keys.Device) + _secrets + (_secrets >= 1 ? 1 : 0)];
            int k = 0;
            keys[k++] = s.AccountKey(_layout, _keys.Account);
            keys[k++] = s._globalKey;
            keys[k++] = s.SourceKey(_layout, _keys.Ip, IpDomain);
            keys[k++] = s.SourceKey(_layout, _keys.Subnet, SubnetDomain);
            if (_keys.Asn != 0) keys[k++] = s.SourceKey(_layout, _keys.Asn, AsnDomain);
            if (_keys.Agent != 0) keys[k++] = s.SourceKey(_layout, _keys.Agent, AgentDomain);
            if (_keys.Device != 0) keys[k++] = s.SourceKey(_layout, _keys.Device, DeviceDomain);
            if (_secrets >= 1) keys[k++] = s.SecretKey(_layout, _keys.Secret);
            if (_secrets == 2) keys[k++] = s.SecretKey(_layout, _keys.TenantSecret);
            if (_secrets >= 1) keys[k] = s.SecretKey(_layout, SuccessKey);
            if (_readOnly) return _read = s.Issued(s._database.StringGetAsync(keys));   // MGET: the records as stored

            Span<byte> buffer = stackalloc byte[WholeBytes + LearnedBytes];
            var p = new Packer(buffer);
            p.Add(WholeMode); p.Add(_outcome | (_withAttempt ? WithAttempt : 0));
            p.Add(_keys.Asn != 0); p.Add(_keys.Agent != 0); p.Add(_keys.Device != 0); p.Add((uint)_secrets);
            AddAccountSection(ref p);
            AddSourceSection(ref p);
            p.Add(_request.UnfamiliarSuccess); p.Add(_request.UnfamiliarDeviceSuccess);   // the address's and the device's ring counts
            AddSecretSection(ref p);
            AddGlobalSection(ref p);
            // A pending environment's cells: none to add in the script (the script of nodes before the population copy
            // added them there); if the account says it is learned now, Finish adds them to this node's copy.
            if (_pendingSuccess) p.Add(0u);
            else if (_learnNow && _withAttempt && AccountAtPreAuth is (true, var then)) LearnedTail(then, ref p);
            return _whole = s.EvaluateObserveAsync(keys, p.ToArray());
        }

        /// <summary>Spread: each key's part sent at once to its own slot; awaited together.</summary>
        public Task SendSpread()
        {
            _layout = RedisKeyLayout.Spread;
            RedisSignalStore s = _store;
            var tasks = new List<Task>(11);
            if (_readOnly)
            {
                // Each key's record as stored, from its own shard.
                tasks.Add(_accountRead = s.Issued(s._database.StringGetAsync(s.AccountKey(_layout, _keys.Account))));
                tasks.Add(_sourceReads[0] = s.Issued(s._database.StringGetAsync(s.SourceKey(_layout, _keys.Ip, IpDomain))));
                tasks.Add(_sourceReads[1] = s.Issued(s._database.StringGetAsync(s.SourceKey(_layout, _keys.Subnet, SubnetDomain))));
                if (_keys.Asn != 0) tasks.Add(_sourceReads[2] = s.Issued(s._database.StringGetAsync(s.SourceKey(_layout, _keys.Asn, AsnDomain))));
                if (_keys.Agent != 0) tasks.Add(_sourceReads[3] = s.Issued(s._database.StringGetAsync(s.SourceKey(_layout, _keys.Agent, AgentDomain))));
                if (_keys.Device != 0) tasks.Add(_sourceReads[4] = s.Issued(s._database.StringGetAsync(s.SourceKey(_layout, _keys.Device, DeviceDomain))));
                if (_secrets >= 1) tasks.Add(_secret = s.Issued(s._database.StringGetAsync(s.SecretKey(_layout, _keys.Secret))));
                if (_secrets == 2) tasks.Add(_tenantSecret = s.Issued(s._database.StringGetAsync(s.SecretKey(_layout, _keys.TenantSecret))));
                if (_secrets >= 1) tasks.Add(_success = s.Issued(s._database.StringGetAsync(s.SecretKey(_layout, SuccessKey))));
                tasks.Add(_globalRead = s.Issued(s._database.StringGetAsync(s._globalKey)));
                return Task.WhenAll(tasks);
            }
            Span<byte> buffer = stackalloc byte[WholeBytes + LearnedBytes];

            var p = new Packer(buffer);
            p.Add(AccountMode); p.Add(_outcome);
            AddAccountSection(ref p);
            if (_learnNow && _withAttempt && AccountAtPreAuth is (true, var then)) LearnedTail(then, ref p);
            tasks.Add(_account = s.EvaluateObserveAsync([s.AccountKey(_layout, _keys.Account)], p.ToArray()));

            tasks.Add(_sources[0] = SpreadSource(_keys.Ip, IpDomain, _request.UnfamiliarSuccess));
            tasks.Add(_sources[1] = SpreadSource(_keys.Subnet, SubnetDomain, false));
            if (_keys.Asn != 0) tasks.Add(_sources[2] = SpreadSource(_keys.Asn, AsnDomain, false));
            if (_keys.Agent != 0) tasks.Add(_sources[3] = SpreadSource(_keys.Agent, AgentDomain, false));
            if (_keys.Device != 0) tasks.Add(_sources[4] = SpreadSource(_keys.Device, DeviceDomain, _request.UnfamiliarDeviceSuccess));

            // Secrets are read here and counted (or not: a repeat) once the account has answered.
            if (_secrets >= 1) tasks.Add(_secret = s.Issued(s._database.StringGetAsync(s.SecretKey(_layout, _keys.Secret))));
            if (_secrets == 2) tasks.Add(_tenantSecret = s.Issued(s._database.StringGetAsync(s.SecretKey(_layout, _keys.TenantSecret))));
            if (_secrets >= 1) tasks.Add(_success = s.Issued(s._database.StringGetAsync(s.SecretKey(_layout, SuccessKey))));

            p = new Packer(buffer);
            p.Add(GlobalMode); p.Add(_outcome | (_withAttempt ? WithAttempt : 0)); p.Add(_learnNow);
            AddGlobalSection(ref p);
            tasks.Add(_global = s.EvaluateObserveAsync([s._globalKey, s._sketchKey], p.ToArray()));
            return Task.WhenAll(tasks);
        }

        private Task<RedisResult> SpreadSource(ulong key, ulong domain, bool unfamiliar)
        {
            Span<byte> buffer = stackalloc byte[8 * sizeof(uint)];
            var p = new Packer(buffer);
            p.Add(SourceMode); p.Add(_outcome | (_withAttempt ? WithAttempt : 0));
            AddSourceSection(ref p);
            p.Add(unfamiliar);
            return _store.EvaluateObserveAsync([_store.SourceKey(_layout, key, domain)], p.ToArray());
        }

        /// <summary>The snapshot from the replies (and, spread, the follow-up writes that needed the account's answer).</summary>
        public SignalSnapshot Finish()
        {
            // The population, on this node's copy: a learned login's cells (a pending success's country alone) are
            // added, and a pre-auth reads the cells familiarity needs.
            if (_learnNow) AddToPopulation();
            else if (_pendingCountry) AddToPopulation(countryOnly: true);
            Span<long> cells = stackalloc long[MaxCells];
            if (_preAuth) ReadPopulation(cells);
            if (_readOnly)
            {
                // The records as stored: Assemble rolls them to now and adds this attempt, as the script would have.
                byte[]?[] r = ReadRecords();
                return Assemble(r[0], repeated: false, r[2], r[3], r[4], r[5], r[6], r[7], r[8], countSecrets: false, r[9], countSuccess: false, r[1], cells);
            }
            if (_layout == RedisKeyLayout.SingleSlot)
            {
                byte[] reply = (byte[]?)_whole!.Result ?? throw new FormatException("The signal store's reply is missing.");
                ReadOnlySpan<byte> r = reply;
                if (r.Length < WholeReplyHeaderFields * sizeof(uint)) throw new FormatException("The signal store's reply is truncated.");
                Span<int> lengths = stackalloc int[WholeReplyHeaderFields];
                for (int i = 0; i < WholeReplyHeaderFields; i++) lengths[i] = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(r[(i * sizeof(uint))..]));
                var reader = new ReplyReader(r, WholeReplyHeaderFields * sizeof(uint));
                ReadOnlySpan<byte> account = reader.Next(lengths[2]);
                ReadOnlySpan<byte> ip = reader.Next(lengths[3]), subnet = reader.Next(lengths[4]), asn = reader.Next(lengths[5]),
                    agent = reader.Next(lengths[6]), device = reader.Next(lengths[7]);
                ReadOnlySpan<byte> secret = reader.Next(lengths[8]), tenant = reader.Next(lengths[9]), success = reader.Next(lengths[10]);
                ReadOnlySpan<byte> global = reader.Next(GlobalFields * sizeof(double));
                reader.End();
                if (lengths[1] == 1 && _pendingSuccess) AddToPopulation();   // a pending environment the account has just learned
                if (lengths[1] == 2) Interlocked.Increment(ref _store._learnedTailsUsed);   // learned with this node's tail
                // The script counted the failure on the secrets, and a success on the secret's success record, already.
                return Assemble(account, lengths[0] == 1, ip, subnet, asn, agent, device, secret, tenant, countSecrets: false, success, countSuccess: false, global, cells);
            }

            byte[] accountReply = (byte[]?)_account!.Result ?? throw new FormatException("The signal store's account reply is missing.");
            if (accountReply.Length < 2 * sizeof(uint)) throw new FormatException("The signal store's account reply is truncated.");
            bool repeated = BinaryPrimitives.ReadUInt32LittleEndian(accountReply) == 1;
            uint learnedCode = BinaryPrimitives.ReadUInt32LittleEndian(accountReply.AsSpan(sizeof(uint)));
            bool learned = learnedCode != 0;
            if (learnedCode == 2) Interlocked.Increment(ref _store._learnedTailsUsed);   // learned with this node's tail
            bool countSecrets = _failed && !repeated && !_request.FamiliarContext;   // as the embedded store: the user's own tries are no spray
            byte[]? secretRecord = _secret is null ? null : (byte[]?)_secret.Result;
            byte[]? tenantRecord = _tenantSecret is null ? null : (byte[]?)_tenantSecret.Result;
            byte[]? successRecord = _success is null ? null : (byte[]?)_success.Result;
            // A success counts on the secret's success record while the secret fails on other accounts (as the script does).
            bool countSuccess = _secrets >= 1 && _outcome == SuccessCode && Secret(secretRecord, count: false).Long > 0;
            if (countSecrets) CountSecretsLater();
            if (countSuccess) _store.FollowUp([_store.SecretKey(_layout, SuccessKey)], SecretCountParameters(SuccessCode));
            if (learned && _pendingSuccess) AddPendingCellsLater();
            return Assemble(accountReply.AsSpan(2 * sizeof(uint)), repeated, Record(_sources[0]), Record(_sources[1]), Record(_sources[2]),
                Record(_sources[3]), Record(_sources[4]), secretRecord, tenantRecord, countSecrets, successRecord, countSuccess, Record(_global), cells);
        }

        private static ReadOnlySpan<byte> Record(Task<RedisResult>? task) => task is null ? default : (byte[]?)task.Result;

        private byte[]?[]? _records;

        /// <summary>The account's record as this login's pre-auth read it (Read false: not known; null: none stored).</summary>
        public (bool Read, byte[]? Record) AccountAtPreAuth { get; init; }

        /// <summary>A read pre-auth's account record as stored (null: none), kept with its waiting attempt.</summary>
        public byte[]? AccountRead => _readOnly ? ReadRecords()[0] : null;

        /// <summary>
        /// observe.lua's learning of a success (FeatureCounts.Add on each bag, the halving past 255 logins), computed
        /// here from the record the pre-auth read, and packed after mode 0's numbers with the history count and tail it
        /// started from: the script uses it when the account is still as read, which saves it unpacking, changing and
        /// packing the 93 fields of the tail (a quarter of its work per login). The record passed <see cref="CheckRead"/>
        /// when the pre-auth read it.
        /// </summary>
        private void LearnedTail(byte[]? record, ref Packer p)
        {
            const int Head = AccountHeadFields, Tail = AccountTailFields;
            Span<long> t = stackalloc long[Tail];
            long history = 0;
            if (record is not null)
            {
                PackedState.ReadUInt32(record.AsSpan(Head * sizeof(uint), Tail * sizeof(uint)), t);
                history = BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(14 * sizeof(uint)));
            }
            p.Add((uint)history); p.Add(record is not null);
            if (record is null) p.AddZeros(Tail * sizeof(uint));
            else p.AddBytes(record.AsSpan(Head * sizeof(uint), Tail * sizeof(uint)));
            // Lua's 1-based t[10], t[30], … are 9, 29, … here.
            BagAdd(t, 9, 10, AccountRecord.Short(_keys.Ip)); BagAdd(t, 29, 6, AccountRecord.Short(_keys.Asn)); BagAdd(t, 41, 4, AccountRecord.Short(_keys.Country));
            BagAdd(t, 49, 6, AccountRecord.Short(_keys.Agent)); BagAdd(t, 61, 4, AccountRecord.Short(_keys.Browser)); BagAdd(t, 69, 4, AccountRecord.Short(_keys.Os));
            if (AccountRecord.Short(_keys.Device) != 0) BagAdd(t, 77, 8, AccountRecord.Short(_keys.Device));
            if (history + 1 > 255)
                foreach ((int first, int capacity) in (ReadOnlySpan<(int, int)>)[(9, 10), (29, 6), (41, 4), (49, 6), (61, 4), (69, 4), (77, 8)])
                    for (int i = first + capacity; i < first + 2 * capacity; i++) t[i] = (t[i] + 1) / 2;
            foreach (long field in t) p.Add((uint)field);
        }

        /// <summary>observe.lua's bagAdd (FeatureCounts.Add): the value's count up one (at most 65,535), or the value in
        /// the slot with the smallest count (the first such) with a count of one.</summary>
        private static void BagAdd(Span<long> t, int first, int capacity, uint value)
        {
            if (value == 0) return;
            for (int i = first; i < first + capacity; i++)
            {
                if (t[i] != value) continue;
                if (t[i + capacity] < 65535) t[i + capacity]++;
                return;
            }
            int smallest = first;
            for (int i = first + 1; i < first + capacity; i++)
                if (t[i + capacity] < t[smallest + capacity]) smallest = i;
            t[smallest] = value;
            t[smallest + capacity] = 1;
        }

        /// <summary>A read pre-auth's records: account, global, the five sources (ip, subnet, ASN, agent, device), the two
        /// secrets and the secret's success record; null where absent or not stored.</summary>
        private byte[]?[] ReadRecords()
        {
            if (_records is not null) return _records;
            var r = new byte[]?[10];
            if (_layout == RedisKeyLayout.SingleSlot)
            {
                RedisValue[] values = _read!.Result;   // in SendSingleSlot's key order
                int k = 0;
                r[0] = (byte[]?)values[k++];
                r[1] = (byte[]?)values[k++];
                r[2] = (byte[]?)values[k++];
                r[3] = (byte[]?)values[k++];
                if (_keys.Asn != 0) r[4] = (byte[]?)values[k++];
                if (_keys.Agent != 0) r[5] = (byte[]?)values[k++];
                if (_keys.Device != 0) r[6] = (byte[]?)values[k++];
                if (_secrets >= 1) r[7] = (byte[]?)values[k++];
                if (_secrets == 2) r[8] = (byte[]?)values[k++];
                if (_secrets >= 1) r[9] = (byte[]?)values[k];
            }
            else
            {
                r[0] = (byte[]?)_accountRead!.Result;
                r[1] = (byte[]?)_globalRead!.Result;
                for (int i = 0; i < _sourceReads.Length; i++) r[2 + i] = _sourceReads[i] is { } read ? (byte[]?)read.Result : null;
                r[7] = _secret is null ? null : (byte[]?)_secret.Result;
                r[8] = _tenantSecret is null ? null : (byte[]?)_tenantSecret.Result;
                r[9] = _success is null ? null : (byte[]?)_success.Result;
            }
            return _records = r;
        }

        /// <summary>A read pre-auth's records checked as the script checks them, before anything is used: a record of the
        /// wrong length fails the call (the store is unavailable to it), as it fails the script.</summary>
        public void CheckRead()
        {
            byte[]?[] r = ReadRecords();
            static void Check(byte[]? record, string what, int expected, int older = -1, int oldest = -1)
            {
                if (record is null || record.Length == expected || record.Length == older || record.Length == oldest) return;
                throw new SignalStoreUnavailableException(string.Create(CultureInfo.InvariantCulture,
                    $"Mamori: corrupt signal state in {what} ({record.Length} bytes, {expected} expected)."));
            }
            Check(r[0], "an account's record", AccountFields * sizeof(uint), BeforeAddressesAccountFields * sizeof(uint), EarlierAccountFields * sizeof(uint));
            Check(r[1], "the global record", GlobalFields * sizeof(double));
            for (int i = 2; i <= 6; i++) Check(r[i], "a source's record", SourceFields * sizeof(uint), EarlierSourceFields * sizeof(uint));
            for (int i = 7; i <= 9; i++) Check(r[i], "a secret's record", SecretFields * sizeof(uint));
        }

        /// <summary>Spread: the failure on each secret, now that the account said it is not a repeat.</summary>
        private void CountSecretsLater()
        {
            byte[] parameters = SecretCountParameters(_outcome);
            if (_secrets >= 1) _store.FollowUp([_store.SecretKey(_layout, _keys.Secret)], parameters);
            if (_secrets == 2) _store.FollowUp([_store.SecretKey(_layout, _keys.TenantSecret)], parameters);
        }

        /// <summary>Mode 3's argument: count this account on one secret record (an unknown account only for outcome 2).</summary>
        private byte[] SecretCountParameters(uint outcome)
        {
            Span<byte> buffer = stackalloc byte[7 * sizeof(uint)];
            var p = new Packer(buffer);
            p.Add(SecretMode); p.Add(outcome);
            AddSecretSection(ref p);
            return p.ToArray();
        }

        /// <summary>Where the secret's successes are kept: a secret record of their own (InMemorySignalStore's key).</summary>
        private ulong SuccessKey => Hashing.Combine(_keys.Secret, SecretSuccessDomain);

        /// <summary>Spread: a pending environment the account has just learned joins the population (its cells on this
        /// node's copy, the count in Redis).</summary>
        private void AddPendingCellsLater()
        {
            AddToPopulation();
            Span<byte> buffer = stackalloc byte[3 * sizeof(uint)];
            var p = new Packer(buffer);
            p.Add(LearnedMode); p.Add((uint)PopulationDecayAt); p.Add(SketchCells);
            _store.FollowUp([_store._globalKey, _store._sketchKey], p.ToArray());
        }

        // ------------------------------------------------------------------ packed sections (observe.lua names them)

        private void AddAccountSection(ref Packer p)
        {
            RedisSignalStore s = _store;
            ulong environment = InMemorySignalStore.PendingEnvironment(_keys);
            p.Add(_request.FamiliarContext);
            // The learn mode in the low two bits; above them the attempt's country, kept as the account's last if learned.
            p.Add(_request.Learn switch
            {
                LearnMode.None => 0u, LearnMode.Learn => 1u, LearnMode.Pending => 2u,
                _ => throw new ArgumentOutOfRangeException(nameof(_request), _request.Learn, "Unknown learn mode."),
            } | (uint)_request.Country << 2);
            p.Add(_minute / s._failureMinutes);
            p.Add(AccountRecord.Short(_keys.Secret));
            p.Add(AccountRecord.Short(_keys.Ip)); p.Add(AccountRecord.Short(_keys.Asn)); p.Add(AccountRecord.Short(_keys.Country));
            p.Add(AccountRecord.Short(_keys.Agent)); p.Add(AccountRecord.Short(_keys.Browser)); p.Add(AccountRecord.Short(_keys.Os));
            p.Add(AccountRecord.Short(_keys.Device));
            p.Add((uint)(environment >> 32)); p.Add((uint)environment);
            p.Add(_minute);   // the script takes the day from it, and keeps it with a learned country
            p.Add((uint)s._unconfirmedLearnDays);
            p.Add(s._accountTtlSeconds);
            p.Add(AccountRecord.AddressBit(_keys.Ip));
        }

        private void AddSourceSection(ref Packer p)
        {
            RedisSignalStore s = _store;
            int bit = SourceBit(_keys.Account);
            p.Add(_minute / s._sourceShortMinutes); p.Add(_minute / s._sourceLongMinutes); p.Add(s._sourceTtlSeconds);
            p.Add((uint)(bit >> 5)); p.Add(1u << (bit & 31));
        }

        private void AddSecretSection(ref Packer p)
        {
            RedisSignalStore s = _store;
            p.Add(_minute / s._secretShortMinutes); p.Add(_minute / s._secretLongMinutes); p.Add(s._secretTtlSeconds);
            p.Add(_secretWord); p.Add(_secretPower);
        }

        private void AddGlobalSection(ref Packer p)
        {
            RedisSignalStore s = _store;
            p.Add((uint)s._minimumAttempts); p.Add((uint)PopulationDecayAt); p.Add(SketchCells);
            // The bucket is a double: exact below 2^53, and a short bucket (seconds) over unix time overflows 32 bits.
            p.Add((double)(_request.At.UtcTicks / s._bucketTicks));
            p.Add(s._baselineWeight);
            p.Add(s._factor);
        }

        // ------------------------------------------------------------------ population (count-min sketch)

        /// <summary>The hashes of the features InMemorySignalStore adds and reads, in its order; absent ones are 0.</summary>
        private void FeatureHashes(Span<ulong> hashes)
        {
            hashes[0] = Hashing.Combine(_keys.Ip, IpDomain);
            hashes[1] = _keys.Asn == 0 ? 0 : Hashing.Combine(_keys.Asn, AsnDomain);
            hashes[2] = _keys.Country;
            hashes[3] = _keys.Agent == 0 ? 0 : Hashing.Combine(_keys.Agent, AgentDomain);
            hashes[4] = _keys.Browser;
            hashes[5] = _keys.Os;
        }

        /// <summary>Whether feature <paramref name="feature"/> takes part (ip, browser and OS always; ASN, country, agent when known).</summary>
        private bool Has(int feature) => feature switch { 1 => _keys.Asn != 0, 2 => _keys.Country != 0, 3 => _keys.Agent != 0, _ => true };

        /// <summary>Cells a learned login adds to, in InMemorySignalStore.Learn's order; returns how many.</summary>
        private int LearnCells(Span<int> cells)
        {
            Span<ulong> hashes = stackalloc ulong[Features];
            FeatureHashes(hashes);
            int n = 0;
            for (int f = 0; f < Features; f++)
                if (Has(f)) n = CellsOf(cells, n, hashes[f]);
            return n;
        }

        /// <summary>Adds a learned login's cells (with <paramref name="countryOnly"/>, a pending success's country alone:
        /// InMemorySignalStore.Learn) to this node's copy of the population, to be sent with its next sync.</summary>
        private void AddToPopulation(bool countryOnly = false)
        {
            Span<int> cells = stackalloc int[MaxCells];
            int count = countryOnly ? CellsOf(cells, 0, _keys.Country) : LearnCells(cells);
            _store._population.Add(cells[..count]);
        }

        /// <summary>Reads the cells familiarity needs (present features only) into feature × depth + row.</summary>
        private void ReadPopulation(Span<long> into)
        {
            Span<int> cells = stackalloc int[MaxCells];
            int count = LearnCells(cells);
            Span<long> values = stackalloc long[MaxCells];
            _store._population.Read(cells[..count], values);
            int v = 0;
            for (int f = 0; f < Features; f++)
            {
                if (!Has(f)) continue;
                for (int row = 0; row < SketchDepth; row++) into[f * SketchDepth + row] = values[v++];
            }
        }

        /// <summary>CountMinSketch's cells of <paramref name="hash"/>, one per row (the u32 at bit offset 32 × cell in Redis).</summary>
        private static int CellsOf(Span<int> into, int at, ulong hash)
        {
            ulong h = hash;
            for (int row = 0; row < SketchDepth; row++) into[at++] = (int)CountMinSketch.Cell(ref h, row, SketchWidthBits);
            return at;
        }

        // ------------------------------------------------------------------ replies to signals

        private SignalSnapshot Assemble(ReadOnlySpan<byte> accountRecord, bool repeated, ReadOnlySpan<byte> ip, ReadOnlySpan<byte> subnet,
            ReadOnlySpan<byte> asn, ReadOnlySpan<byte> agent, ReadOnlySpan<byte> device, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> tenant,
            bool countSecrets, ReadOnlySpan<byte> success, bool countSuccess, ReadOnlySpan<byte> globalRecord, ReadOnlySpan<long> cells)
        {
            Span<long> account = stackalloc long[AccountFields];
            ReadAccount(accountRecord, account, whole: _preAuth);
            if (_readOnly) repeated = RollAccount(account);
            Span<long> fields = stackalloc long[SourceFields];
            GlobalState global = GlobalView(globalRecord);
            var snapshot = new SignalSnapshot
            {
                Ip = Source(ip, fields, Hashing.Combine(_keys.Ip, IpDomain)),
                Subnet = Source(subnet, fields, Hashing.Combine(_keys.Subnet, SubnetDomain)),
                Asn = _keys.Asn == 0 ? default : Source(asn, fields, Hashing.Combine(_keys.Asn, AsnDomain)),
                Agent = _keys.Agent == 0 ? default : Source(agent, fields, Hashing.Combine(_keys.Agent, AgentDomain)),
                Device = _keys.Device == 0 ? default : Source(device, fields, Hashing.Combine(_keys.Device, DeviceDomain)),
                AccountUnfamiliarFailures = (int)(account[1] + account[2]),
                AccountFamiliarFailures = (int)(account[3] + account[4]),
                AccountUnfamiliarFailuresSinceSuccess = (int)(account[5] >> 8),   // above the ring position (observe.lua)
                AccountFailedFromThisAddress = (account[FailureAddressesField] & AccountRecord.AddressBit(_keys.Ip)) != 0,
                RepeatedWrongSecret = repeated,
                StepUpRequested = (account[16] & 1) != 0,
                SecretExposedDay = (ushort)(account[16] >> 16),   // account.lua: the request's bit, the exposure's day above
                Familiarity = _preAuth ? Familiarity(account, global.PopulationLogins, cells) : default,   // pre-auth only (SignalSnapshot.Familiarity)
                Global = global.ToSignals(),
            };
            if (_secrets > 0)
            {
                (int shortAll, int longAll, int unknownAll) = Secret(secret, countSecrets);
                (int shortTenant, int longTenant, _) = _secrets == 1 ? (shortAll, longAll, unknownAll) : Secret(tenant, countSecrets);
                (int succeededShort, int succeededLong, _) = SecretState.SuccessesRead(shortAll, longAll, shortTenant, longTenant)
                    ? Secret(success, countSuccess, unknown: false)
                    : default;
                snapshot = snapshot with
                {
                    SecretFailedAccounts = shortAll, SecretFailedAccountsLong = longAll, SecretUnknownAccounts = unknownAll,
                    TenantSecretFailedAccounts = shortTenant, TenantSecretFailedAccountsLong = longTenant,
                    SecretSucceededAccounts = succeededShort, SecretSucceededAccountsLong = succeededLong,
                };
            }
            return snapshot;
        }

        private FamiliaritySignals Familiarity(ReadOnlySpan<long> account, long population, ReadOnlySpan<long> cells) => new()
        {
            LastCountry = (ushort)account[114],
            MinutesSinceLastCountry = account[114] == 0 ? 0 : (long)_minute - account[115],
            History = (int)account[14],
            UserIp = AccountLayout.CountOf(account, AccountLayout.Ips, AccountRecord.Short(_keys.Ip)),
            UserAsn = AccountLayout.CountOf(account, AccountLayout.Asns, AccountRecord.Short(_keys.Asn)),
            UserCountry = AccountLayout.CountOf(account, AccountLayout.Countries, AccountRecord.Short(_keys.Country)),
            UserAgent = AccountLayout.CountOf(account, AccountLayout.Agents, AccountRecord.Short(_keys.Agent)),
            UserBrowser = AccountLayout.CountOf(account, AccountLayout.Browsers, AccountRecord.Short(_keys.Browser)),
            UserOs = AccountLayout.CountOf(account, AccountLayout.Systems, AccountRecord.Short(_keys.Os)),
            UserDevice = AccountLayout.CountOf(account, AccountLayout.Devices, AccountRecord.Short(_keys.Device)),
            UserDeviceHistory = (int)account[15],
            TrustedDevice = AccountLayout.IsTrusted(account, AccountRecord.Short(_keys.Device)),
            PendingDue = AccountLayout.PendingOf(account).DueOn(InMemorySignalStore.PendingEnvironment(_keys), PendingSlots.Day(_minute), _store._unconfirmedLearnDays),
            Population = population,
            GlobalIp = Minimum(cells, 0),
            GlobalAsn = _keys.Asn == 0 ? 0 : Minimum(cells, 1),
            GlobalCountry = _keys.Country == 0 ? 0 : Minimum(cells, 2),
            GlobalAgent = _keys.Agent == 0 ? 0 : Minimum(cells, 3),
            GlobalBrowser = Minimum(cells, 4),
            GlobalOs = Minimum(cells, 5),
        };

        /// <summary>An account record: empty (never written), its 84-byte head, or all 468 bytes (needed at pre-auth; 464 when
        /// written before the failure addresses were kept, 456 before the last country was).</summary>
        private static void ReadAccount(ReadOnlySpan<byte> record, Span<long> into, bool whole)
        {
            into.Clear();
            if (record.IsEmpty) return;
            int fields = record.Length / sizeof(uint);
            if (record.Length % sizeof(uint) != 0
                || (fields != AccountFields && fields != BeforeAddressesAccountFields && fields != EarlierAccountFields && (whole || fields != AccountHeadFields)))
                throw new FormatException($"Stored account state has {record.Length} bytes, expected {AccountFields * sizeof(uint)}.");
            for (int i = 0; i < fields; i++) into[i] = BinaryPrimitives.ReadUInt32LittleEndian(record[(i * sizeof(uint))..]);
            // Written before the failure addresses were kept (or only the head): the failures it has, as if from every address.
            if (fields < AccountFields && (into[5] >> 8) + into[3] + into[4] > 0) into[FailureAddressesField] = uint.MaxValue;
        }

        /// <summary>Source signals from observe.lua's state, through <see cref="SourceState.ToSignals"/> itself.</summary>
        private SourceSignals Source(ReadOnlySpan<byte> record, Span<long> f, ulong key)
        {
            ReadOnlySpan<PendingAttempts.Addition> waiting = Waiting(key, stackalloc PendingAttempts.Addition[4]);
            if (record.IsEmpty && !_readOnly && waiting.IsEmpty) return default;
            // A record written before the long window kept its previous generation (22 fields) reads as none kept.
            if (record.Length == EarlierSourceFields * sizeof(uint)) { f.Clear(); PackedState.ReadUInt32(record, f[..EarlierSourceFields]); }
            else PackedState.ReadUInt32(record, f);
            // This node's attempts Redis has not counted yet, each in its generation, then (a read pre-auth) this one.
            foreach (PendingAttempts.Addition a in waiting) AddToSource(f, a.First, a.Second, a.Count, a.Bits);
            if (_readOnly)
            {
                RedisSignalStore s = _store;
                AddToSource(f, _minute / s._sourceShortMinutes, _minute / s._sourceLongMinutes, 1, 1UL << SourceBit(_keys.Account));
            }
            // Redis keeps 32-bit counters; the in-memory store keeps 16-bit ones that halve together at 65,535. Below that
            // (every window the tests and nearly every address see) the two agree exactly; above it both keep the shares,
            // and these are scaled down the same way so the counts stay comparable.
            ScaleDown(f, 5, 10);
            ScaleDown(f, 20, 23);
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
                LongAttemptsPrevious = (ushort)f[22], LongFailuresPrevious = (ushort)f[23],
            };
            return state.ToSignals();
        }

        // ------------------------------------------------------------------ a read pre-auth: what the script would have made

        /// <summary>What this node's waiting attempts add to counter <paramref name="key"/>, per generation: in
        /// <paramref name="buffer"/> when it has room (nearly always), else in an array of their own.</summary>
        private ReadOnlySpan<PendingAttempts.Addition> Waiting(ulong key, Span<PendingAttempts.Addition> buffer)
        {
            if (_store._pending is not { } pending) return default;
            int n = pending.Waiting(key, buffer, out PendingAttempts.Addition[]? more);
            return more ?? buffer[..n];
        }

        /// <summary>observe.lua's account at pre-auth: the failure windows rolled to now (a skipped generation also clears
        /// the recent wrong secrets); returns whether this secret repeats one of them.</summary>
        private bool RollAccount(Span<long> a)
        {
            long generation = _minute / _store._failureMinutes;
            long passed = generation - a[0];
            if (passed > 0)
            {
                a[0] = generation;
                if (passed == 1) { a[2] = a[1]; a[4] = a[3]; }
                else { a[2] = 0; a[4] = 0; a[6..14].Clear(); }
                a[1] = 0; a[3] = 0;
            }
            long secret = AccountRecord.Short(_keys.Secret);
            return secret != 0 && a[6..14].Contains(secret);
        }

        /// <summary>observe.lua's source counting attempts of generations (<paramref name="shortGeneration"/>,
        /// <paramref name="longGeneration"/>): each window rolled forward to them if behind, then the attempts and their
        /// accounts' bits added to the window they fall in (the current, the previous, or none when older).</summary>
        private static void AddToSource(Span<long> f, long shortGeneration, long longGeneration, int count, ulong bits)
        {
            long passed = shortGeneration - f[0];
            if (passed > 0)
            {
                f[0] = shortGeneration;
                if (passed == 1) { f[3] = f[1]; f[4] = f[2]; f[6] = f[5]; f[8] = f[7]; f[10] = f[9]; }
                else { f[3] = 0; f[4] = 0; f[6] = 0; f[8] = 0; f[10] = 0; }
                f[1] = 0; f[2] = 0; f[5] = 0; f[7] = 0; f[9] = 0;
            }
            passed = longGeneration - f[11];
            if (passed > 0)
            {
                f[11] = longGeneration;
                if (passed == 1) { f[14] = f[12]; f[15] = f[13]; f[18] = f[16]; f[19] = f[17]; f[22] = f[20]; f[23] = f[21]; }
                else { f[14] = 0; f[15] = 0; f[18] = 0; f[19] = 0; f[22] = 0; f[23] = 0; }
                f[12] = 0; f[13] = 0; f[16] = 0; f[17] = 0; f[20] = 0; f[21] = 0;
            }
            long low = (long)(bits & uint.MaxValue), high = (long)(bits >> 32);
            if (shortGeneration == f[0]) { f[1] |= low; f[2] |= high; f[5] += count; }
            else if (shortGeneration == f[0] - 1) { f[3] |= low; f[4] |= high; f[6] += count; }
            if (longGeneration == f[11]) f[20] += count;
            else if (longGeneration == f[11] - 1) f[22] += count;
        }

        /// <summary>The global rates as Redis has them, plus this node's attempts it has not counted yet and (a read
        /// pre-auth) this one, each in its bucket as observe.lua counts them.</summary>
        private GlobalState GlobalView(ReadOnlySpan<byte> record)
        {
            ReadOnlySpan<PendingAttempts.Addition> waiting = Waiting(PendingAttempts.GlobalKey, stackalloc PendingAttempts.Addition[4]);
            if (!_readOnly && waiting.IsEmpty) return GlobalState.Parse(record);
            Span<double> f = stackalloc double[GlobalFields];
            bool has = !record.IsEmpty;
            if (has) PackedState.ReadDouble(record, f);
            else f.Clear();
            foreach (PendingAttempts.Addition a in waiting) AddToGlobal(f, ref has, a.First, a.Count);
            if (_readOnly) AddToGlobal(f, ref has, _request.At.UtcTicks / _store._bucketTicks, 1);
            return GlobalState.FromFields(f);
        }

        /// <summary>observe.lua's global counting <paramref name="count"/> attempts of <paramref name="bucket"/>: the
        /// stored bucket closed first when time moved on (its rates teach the baseline, a spike's at a hundredth of the
        /// weight). Doubles, in the script's order of operations.</summary>
        private void AddToGlobal(Span<double> f, ref bool has, double bucket, int count)
        {
            RedisSignalStore s = _store;
            if (!has || bucket > f[0])
            {
                if (has && bucket == f[0] + 1 && f[1] > 0) { f[4] = f[1]; f[5] = f[2]; f[6] = f[3]; }
                else { f[4] = 0; f[5] = 0; f[6] = 0; }
                if (f[1] >= s._minimumAttempts)
                {
                    double failureRate = 0, unknownRate = 0;
                    if (f[1] != 0) { failureRate = Math.Min(1.0, f[2] / f[1]); unknownRate = Math.Min(1.0, f[3] / f[1]); }
                    double w;
                    if (f[9] >= 12 && (failureRate > s._factor * Math.Max(f[7], 0.05) || unknownRate > s._factor * Math.Max(f[8], 0.005)))
                        w = s._baselineWeight * 0.01;
                    else
                    {
                        w = 1;
                        if (f[9] != 0) w = Math.Max(s._baselineWeight, 1.0 / (f[9] + 1));
                        f[9] = f[9] + 1;
                    }
                    f[7] = f[7] + w * (failureRate - f[7]);
                    f[8] = f[8] + w * (unknownRate - f[8]);
                }
                f[0] = bucket; f[1] = 0; f[2] = 0; f[3] = 0;
                has = true;
            }
            if (bucket == f[0]) f[1] += count;
            else if (bucket == f[0] - 1) f[4] += count;
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

        /// <summary>Secret counts through <see cref="SecretState"/> itself: the stored record rolled to now (a record only
        /// read is returned unrolled; rolling twice changes nothing) and, when <paramref name="count"/>, this failure
        /// added — what the script will write (spread layout) or has written (single slot counts it there, so never here).</summary>
        private (int Short, int Long, int Unknown) Secret(ReadOnlySpan<byte> record, bool count) => Secret(record, count, _unknown);

        private (int Short, int Long, int Unknown) Secret(ReadOnlySpan<byte> record, bool count, bool unknown)
        {
            if (record.IsEmpty && !count) return (0, 0, 0);
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
            RedisSignalStore s = _store;
            state.Roll(_minute / s._secretShortMinutes, _minute / s._secretLongMinutes);
            if (count)
            {
                state.AddFailure(_keys.Account);
                if (unknown) state.UnknownCurrent++;
            }
            return (state.ShortAccounts, state.LongAccounts, (int)(state.UnknownCurrent + state.UnknownPrevious));
        }

        private static long Minimum(ReadOnlySpan<long> cells, int feature)
        {
            long min = uint.MaxValue;
            for (int row = 0; row < SketchDepth; row++) min = Math.Min(min, cells[feature * SketchDepth + row]);
            return min;
        }

        private static ulong Word(long low, long high) => (uint)low | ((ulong)(uint)high << 32);

        private static int Present(ulong key) => key == 0 ? 0 : 1;
    }

    /// <summary>Reads consecutive records out of one reply string.</summary>
    private ref struct ReplyReader(ReadOnlySpan<byte> reply, int at)
    {
        private readonly ReadOnlySpan<byte> _reply = reply;
        private int _at = at;

        public ReadOnlySpan<byte> Next(int length)
        {
            if (length < 0 || _at + length > _reply.Length) throw new FormatException("The signal store's reply is truncated.");
            ReadOnlySpan<byte> part = _reply.Slice(_at, length);
            _at += length;
            return part;
        }

        public readonly void End()
        {
            if (_at != _reply.Length) throw new FormatException("The signal store's reply is longer than its header says.");
        }
    }

    /// <summary>Global rates as observe.lua stores them: a record of doubles (exact for the counts).</summary>
    private readonly record struct GlobalState(long Attempts, long Failures, long Unknown, long PreviousAttempts, long PreviousFailures,
        long PreviousUnknown, double FailureBaseline, double UnknownBaseline, int Learned, long PopulationLogins)
    {
        public static GlobalState Parse(ReadOnlySpan<byte> record)
        {
            Span<double> f = stackalloc double[GlobalFields];
            PackedState.ReadDouble(record, f);
            return FromFields(f);
        }

        /// <summary>The state from its 11 fields as observe.lua keeps them (bucket, attempts, failures, unknown, the
        /// previous three, the baselines, buckets learned, population logins).</summary>
        public static GlobalState FromFields(ReadOnlySpan<double> f) =>
            new((long)f[1], (long)f[2], (long)f[3], (long)f[4], (long)f[5], (long)f[6], f[7], f[8], (int)f[9], (long)f[10]);

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
