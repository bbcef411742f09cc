using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Mamori.Events;
using Mamori.Signals;

namespace Mamori.State;

/// <summary>
/// The embedded default: every signal in this process's memory, bounded by <see cref="SignalStoreOptions"/>.
/// One lock serialises calls; an observation is a handful of table lookups (about a microsecond), so one lock
/// carries hundreds of thousands of assessments a second. Replay, the only caller on its thread, takes none
/// (<see cref="SingleCaller"/>).
/// </summary>
public sealed partial class InMemorySignalStore : ISynchronousSignalStore
{
    private readonly Lock _gate = new();
    private readonly KeyedTable<SourceState> _sources;
    private readonly KeyedTable<SecretState> _secrets;
    private readonly KeyedTable<AccountRecord> _accounts;
    // 4 MiB read at random on every login: on huge pages where Linux gives them (ADR 0034).
    private readonly CountMinSketch _population = new(PopulationWidthBits, HugePages.NewMapped<uint>(CountMinSketch.CellCount(PopulationWidthBits)));
    private const int PopulationWidthBits = 18;
    private readonly GlobalRates _global;

    private readonly uint _sourceShortMinutes, _sourceLongMinutes, _secretShortMinutes, _secretLongMinutes, _failureMinutes;
    private uint _liveMinute;   // the minute MarkLive last ran for
    private readonly int _unconfirmedLearnDays;

    /// <summary>Keep one environment waiting to be learned per account, as the store did before two
    /// (<see cref="PendingSlots"/>): what the snapshots of versions 1 to 7 were written with, for the tests that
    /// compare a loaded one with the store that wrote it. Never set in service.</summary>
    internal bool OnePendingSlot { get; init; }
    private long _populationLogins;

    /// <summary>Logins after which the population halves: old popularity fades, and no counter saturates.</summary>
    private const long PopulationDecayAt = 50_000_000;

    // Domains keep one table's keys of different kinds apart (an ASN number and a device hash never collide).
    private const ulong IpDomain = 1, SubnetDomain = 2, AsnDomain = 3, AgentDomain = 4, DeviceDomain = 5;
    /// <summary>A secret's successes are kept as a secret state of their own, under its key combined with this.</summary>
    internal const ulong SecretSuccessDomain = 6;   // RedisSignalStore's too

    /// <summary>Creates a store with the windows and bounds of <paramref name="options"/> (copied now).</summary>
    public InMemorySignalStore(MamoriOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SignalStoreOptions bounds = options.Signals;
        _sources = new KeyedTable<SourceState>(bounds.MaxSources);
        _secrets = new KeyedTable<SecretState>(bounds.MaxSecrets);
        _accounts = new KeyedTable<AccountRecord>(bounds.MaxAccounts);
        _sourceShortMinutes = HalfMinutes(options.Stuffing.Window);
        _sourceLongMinutes = HalfMinutes(options.SharedAddress.Window);
        _secretShortMinutes = HalfMinutes(options.Spraying.ShortWindow);
        _secretLongMinutes = HalfMinutes(options.Spraying.LongWindow);
        _failureMinutes = HalfMinutes(options.BruteForce.Window);
        _global = new GlobalRates(options.GlobalAnomaly);
        _unconfirmedLearnDays = options.Familiarity.UnconfirmedLearnDays;
    }

    /// <inheritdoc />
    public bool IsAvailable => true;

    /// <summary>Each table's keys, bound and evictions so far: the accounts, sources and secrets whose history was
    /// forgotten because a bound was reached (replay and /metrics say so, and which setting raises it).</summary>
    public IReadOnlyList<SignalTableUsage> Tables
    {
        get
        {
            lock (_gate)
                return
                [
                    new SignalTableUsage("accounts", nameof(SignalStoreOptions.MaxAccounts), _accounts.Count, _accounts.Capacity, _accounts.Evictions, _accounts.LiveEvictions),
                    new SignalTableUsage("sources", nameof(SignalStoreOptions.MaxSources), _sources.Count, _sources.Capacity, _sources.Evictions, _sources.LiveEvictions),
                    new SignalTableUsage("secrets", nameof(SignalStoreOptions.MaxSecrets), _secrets.Count, _secrets.Capacity, _secrets.Evictions, _secrets.LiveEvictions),
                ];
        }
    }

    /// <inheritdoc />
    public ValueTask<SignalSnapshot> ObserveAsync(SignalRequest request, CancellationToken cancellationToken = default)
    {
        Observe(in request, out SignalSnapshot snapshot);   // takes the lock (once)
        return new ValueTask<SignalSnapshot>(snapshot);
    }

    /// <summary>Synchronous form of <see cref="ObserveAsync"/> for in-process callers (replay, benchmarks).</summary>
    public SignalSnapshot Observe(in SignalRequest request)
    {
        Observe(in request, out SignalSnapshot snapshot);
        return snapshot;
    }

    /// <summary>
    /// The caller makes every call from one thread, one at a time (replay's engine thread), so observations take no
    /// lock. An uncontended lock is two atomic operations and a thread-id read a call: 3 % of replay's engine thread.
    /// </summary>
    public bool SingleCaller { get; init; }

    /// <inheritdoc />
    public void Observe(in SignalRequest request, out SignalSnapshot result)
    {
        if (SingleCaller)
        {
            ObserveCore(in request, out result);
            return;
        }
        lock (_gate) ObserveCore(in request, out result);
    }

    private void ObserveCore(in SignalRequest request, out SignalSnapshot result)
    {
        SignalKeys keys = request.Keys;
        uint minute = ToMinute(request.At);
        if (minute != _liveMinute) MarkLive(minute);
        bool preAuth = request.Phase == ObservationPhase.PreAuth;
        LoginOutcome outcome = request.Outcome;
        bool failed = !preAuth && outcome != LoginOutcome.Success;
        bool unknown = !preAuth && outcome == LoginOutcome.UnknownAccount;
        bool success = !preAuth && outcome == LoginOutcome.Success;

        // Account first: whether this wrong secret repeats decides whether anything counts it again.
        ref AccountRecord account = ref _accounts.GetOrAdd(keys.Account, out _, ref _hints.Account);
        account.LastSeen = minute;
        account.RollFailures(minute / _failureMinutes);
        uint shortSecret = AccountRecord.Short(keys.Secret);
        bool repeated = account.HasRecentWrong(shortSecret);

        if (!preAuth)
        {
            if (outcome == LoginOutcome.WrongSecret && !repeated)
            {
                if (request.FamiliarContext) account.FamiliarFailuresCurrent = Saturating(account.FamiliarFailuresCurrent);
                else
                {
                    account.UnfamiliarFailuresCurrent = Saturating(account.UnfamiliarFailuresCurrent);
                    account.UnfamiliarFailuresSinceSuccess = Saturating(account.UnfamiliarFailuresSinceSuccess);
                }
                if (shortSecret != 0) account.AddRecentWrong(shortSecret);
                account.FailureAddresses |= AccountRecord.AddressBit(keys.Ip);
            }
            else if (success)
            {
                // A pending success's country counts in the population at once (SignalRequest.CountCountry); nothing
                // else of it, and not the count of logins.
                if (request.CountCountry && request.Learn == LearnMode.Pending && keys.Country != 0) _population.Add(keys.Country);
                Learn(ref account, keys, request.Learn, minute, request.Country);
            }
        }

        (int shortAll, int longAll, int unknownAll, int shortTenant, int longTenant) = default((int, int, int, int, int));
        (int succeededShort, int succeededLong) = default((int, int));
        if (keys.Secret != 0)
        {
            // A wrong secret from the account's own device or network is its user trying the passwords they use
            // (a popular one among them, at a large service hundreds of times a week): not evidence of a spray.
            bool spraying = failed && !request.FamiliarContext;
            (shortAll, longAll, unknownAll) = Secret(keys.Secret, keys.Account, minute, spraying, unknown, repeated, ref _hints.Secret);
            (shortTenant, longTenant, _) = keys.TenantSecret == 0 || keys.TenantSecret == keys.Secret
                ? (shortAll, longAll, unknownAll)
                : Secret(keys.TenantSecret, keys.Account, minute, spraying, unknown, repeated, ref _hints.TenantSecret);
            // The accounts it succeeds on, while it fails on others: what tells a popular secret from a sprayed one.
            // Read only beside failures: a lookup fewer, a cache miss in tables of millions, for most logins.
            if (SecretState.SuccessesRead(shortAll, longAll, shortTenant, longTenant))
            {
                bool countSuccess = success && longAll > 0;
                (succeededShort, succeededLong, _) = Secret(Hashing.Combine(keys.Secret, SecretSuccessDomain), keys.Account, minute, countSuccess, false, false, ref _hints.SecretSuccess);
            }
        }

        // Built once, in place: the snapshot is about 400 bytes.
        result = new SignalSnapshot
        {
            Ip = Source(IpDomain, keys.Ip, keys.Account, minute, preAuth, failed, unknown, success, request.UnfamiliarSuccess, ref _hints.Ip),
            Subnet = Source(SubnetDomain, keys.Subnet, keys.Account, minute, preAuth, failed, unknown, success, false, ref _hints.Subnet),
            Asn = keys.Asn == 0 ? default : Source(AsnDomain, keys.Asn, keys.Account, minute, preAuth, failed, unknown, success, false, ref _hints.Asn),
            Agent = keys.Agent == 0 ? default : Source(AgentDomain, keys.Agent, keys.Account, minute, preAuth, failed, unknown, success, false, ref _hints.Agent),
            Device = keys.Device == 0 ? default : Source(DeviceDomain, keys.Device, keys.Account, minute, preAuth, failed, unknown, success, request.UnfamiliarDeviceSuccess, ref _hints.Device),
            AccountUnfamiliarFailures = account.UnfamiliarFailuresCurrent + account.UnfamiliarFailuresPrevious,
            AccountFamiliarFailures = account.FamiliarFailuresCurrent + account.FamiliarFailuresPrevious,
            AccountUnfamiliarFailuresSinceSuccess = account.UnfamiliarFailuresSinceSuccess,
            AccountFailedFromThisAddress = (account.FailureAddresses & AccountRecord.AddressBit(keys.Ip)) != 0,
            RepeatedWrongSecret = repeated,
            StepUpRequested = account.StepUpRequested,
            SecretExposedDay = account.SecretExposedDay,
            Familiarity = preAuth ? Familiarity(in account, keys, minute) : default,   // the outcome half reuses the pre-auth score
            Global = _global.Observe(request.At, preAuth, failed, unknown),
            SecretFailedAccounts = shortAll, SecretFailedAccountsLong = longAll, SecretUnknownAccounts = unknownAll,
            TenantSecretFailedAccounts = shortTenant, TenantSecretFailedAccountsLong = longTenant,
            SecretSucceededAccounts = succeededShort, SecretSucceededAccountsLong = succeededLong,
        };
    }

    /// <summary>
    /// Where each kind of key was found last (see <see cref="KeyedTable{T}.GetOrAdd(ulong, out bool, ref int)"/>): a
    /// login's outcome looks up the very keys its pre-auth just did, and finds them without probing.
    /// </summary>
    private struct SlotHints
    {
        public int Account, Ip, Subnet, Asn, Agent, Device, Secret, TenantSecret, SecretSuccess;
    }

    private SlotHints _hints;

    /// <summary>
    /// A hint that an attempt with <paramref name="keys"/> will be observed soon: starts loading the index words of
    /// its account, sources and secrets. Call <see cref="PrefetchEntries"/> for the same keys a little later, then
    /// observe. Changes no state and takes no lock; a caller that knows its next attempts (replay: the parsed batch)
    /// overlaps their cache misses with the work in between instead of waiting for each.
    /// </summary>
    /// <remarks>At a few hundred thousand accounts the tables are far larger than the CPU's caches and a lookup is
    /// two misses (index word, entry); an attempt has up to eight keys. Measured in docs/BENCHMARKS.md ("Replay speed").</remarks>
    public void PrefetchIndex(in SignalKeys keys) => Prefetch(in keys, entries: false);

    /// <summary>The second step of <see cref="PrefetchIndex"/>: starts loading the entries the index words point to.</summary>
    public void PrefetchEntries(in SignalKeys keys) => Prefetch(in keys, entries: true);

    private void Prefetch(in SignalKeys keys, bool entries)
    {
        _accounts.Prefetch(keys.Account, entries);
        ulong ip = Hashing.Combine(keys.Ip, IpDomain);
        _sources.Prefetch(ip, entries);
        _sources.Prefetch(Hashing.Combine(keys.Subnet, SubnetDomain), entries);
        // An ASN or a user agent is shared by thousands of logins and stays in cache; an address or a device does not.
        if (keys.Device != 0) _sources.Prefetch(Hashing.Combine(keys.Device, DeviceDomain), entries);
        if (!entries) PrefetchPopulation(ip);   // the pre-auth reads the address's popularity
        if (keys.Secret != 0)
        {
            _secrets.Prefetch(keys.Secret, entries);
            if (keys.TenantSecret != keys.Secret && keys.TenantSecret != 0) _secrets.Prefetch(keys.TenantSecret, entries);
        }
    }

    /// <summary>
    /// Lets another thread allocate and touch the tables' next chunks before the observing thread needs them (see
    /// <see cref="KeyedTable{T}.PrepareGrowth"/>). Changes no state an observation reads; takes no lock.
    /// </summary>
    public void PrepareGrowth()
    {
        _accounts.PrepareGrowth();
        _sources.PrepareGrowth();
        _secrets.PrepareGrowth();
    }

    private unsafe void PrefetchPopulation(ulong hash)
    {
        if (!Sse.IsSupported) return;
        Span<int> cells = stackalloc int[CountMinSketch.Depth];
        _population.CellsOf(hash, cells);
        uint[] all = _population.Cells;
        foreach (int cell in cells) Sse.Prefetch0(Unsafe.AsPointer(ref all[cell]));
    }

    /// <inheritdoc />
    public ValueTask SetDeviceTrustAsync(ulong account, ulong device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ref AccountRecord record = ref _accounts.GetOrAdd(account, out _);
            record.LastSeen = ToMinute(at);
            uint shortDevice = AccountRecord.Short(device);
            bool present = record.IsTrusted(shortDevice);
            if (trusted && !present)
            {
                record.Trust(shortDevice);
                record.Add(AccountFeature.Device, shortDevice);
            }
            else if (!trusted && present)
            {
                record.Distrust(shortDevice);
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SetStepUpRequestedAsync(ulong account, bool requested, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ref AccountRecord record = ref _accounts.GetOrAdd(account, out _);
            record.StepUpRequested = requested;
            if (!requested) record.SecretExposedDay = 0;
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask MarkSecretExposedAsync(ulong account, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _accounts.GetOrAdd(account, out _).SecretExposedDay = SignalDays.Of(at);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>A source or secret last seen before its longest window began holds nothing a detector reads any more:
    /// evicting it forgets nothing (an account's history has no such end).</summary>
    private void MarkLive(uint minute)
    {
        _liveMinute = minute;
        _sources.LiveSince = minute - Math.Min(minute, 2 * _sourceLongMinutes);
        _secrets.LiveSince = minute - Math.Min(minute, 2 * _secretLongMinutes);
    }

    private void Learn(ref AccountRecord account, in SignalKeys keys, LearnMode mode, uint minute, ushort country)
    {
        if (mode == LearnMode.None) return;
        if (mode == LearnMode.Pending)
        {
            // An environment stepped up but never confirmed is learned only once it has succeeded on enough days.
            if (!account.Pending.Succeeded(PendingEnvironment(keys), PendingSlots.Day(minute), _unconfirmedLearnDays, OnePendingSlot)) return;
        }
        account.Learn(keys, country, minute);
        _populationLogins++;
        _population.Add(Hashing.Combine(keys.Ip, IpDomain));
        if (keys.Asn != 0) _population.Add(Hashing.Combine(keys.Asn, AsnDomain));
        if (keys.Country != 0) _population.Add(keys.Country);
        if (keys.Agent != 0) _population.Add(Hashing.Combine(keys.Agent, AgentDomain));
        _population.Add(keys.Browser);
        _population.Add(keys.Os);
        // Halve the population now and then so it follows today's traffic (and counters never saturate).
        if (_populationLogins >= PopulationDecayAt)
        {
            _population.Decay();
            _populationLogins >>= 1;
        }
    }

    /// <summary>What a pending slot keys an environment by: its device token, or without one its user agent and network.</summary>
    internal static ulong PendingEnvironment(in SignalKeys keys) => keys.Device != 0 ? keys.Device : Hashing.Combine(keys.Agent, keys.Asn);

    private FamiliaritySignals Familiarity(in AccountRecord account, in SignalKeys keys, uint minute) => new()
    {
        LastCountry = account.LastCountry,
        MinutesSinceLastCountry = account.LastCountry == 0 ? 0 : (long)minute - account.LastCountryMinute,
        History = account.History,
        UserIp = account.CountOf(AccountFeature.Ip, AccountRecord.Short(keys.Ip)),
        UserAsn = account.CountOf(AccountFeature.Asn, AccountRecord.Short(keys.Asn)),
        UserCountry = account.CountOf(AccountFeature.Country, AccountRecord.Short(keys.Country)),
        UserAgent = account.CountOf(AccountFeature.Agent, AccountRecord.Short(keys.Agent)),
        UserBrowser = account.CountOf(AccountFeature.Browser, AccountRecord.Short(keys.Browser)),
        UserOs = account.CountOf(AccountFeature.Os, AccountRecord.Short(keys.Os)),
        UserDevice = account.CountOf(AccountFeature.Device, AccountRecord.Short(keys.Device)),
        UserDeviceHistory = account.DeviceHistory,
        TrustedDevice = account.IsTrusted(AccountRecord.Short(keys.Device)),
        PendingDue = account.Pending.DueOn(PendingEnvironment(keys), PendingSlots.Day(minute), _unconfirmedLearnDays),
        Population = _populationLogins,
        GlobalIp = _population.Estimate(Hashing.Combine(keys.Ip, IpDomain)),
        GlobalAsn = keys.Asn == 0 ? 0 : _population.Estimate(Hashing.Combine(keys.Asn, AsnDomain)),
        GlobalCountry = keys.Country == 0 ? 0 : _population.Estimate(keys.Country),
        GlobalAgent = keys.Agent == 0 ? 0 : _population.Estimate(Hashing.Combine(keys.Agent, AgentDomain)),
        GlobalBrowser = _population.Estimate(keys.Browser),
        GlobalOs = _population.Estimate(keys.Os),
    };

    private SourceSignals Source(ulong domain, ulong key, ulong account, uint minute, bool preAuth, bool failed, bool unknown, bool success, bool unfamiliarSuccess,
        ref int hint)
    {
        ref SourceState state = ref _sources.GetOrAdd(Hashing.Combine(key, domain), out _, ref hint);
        state.LastSeen = minute;
        state.Roll(minute / _sourceShortMinutes, minute / _sourceLongMinutes);
        if (preAuth)
        {
            state.AccountsCurrent = LinearCounter.Add(state.AccountsCurrent, account);
            state.CountAttempt();
        }
        else if (failed)
        {
            state.CountFailure(unknown);
        }
        else if (success)
        {
            state.SuccessCurrent = LinearCounter.Add(state.SuccessCurrent, account);
            if (unfamiliarSuccess) state.UnfamiliarCurrent = LinearCounter.Add(state.UnfamiliarCurrent, account);
        }
        return state.ToSignals();
    }

    private (int Short, int Long, int Unknown) Secret(ulong key, ulong account, uint minute, bool failed, bool unknown, bool repeated, ref int hint)
    {
        // Read-only for attempts that change nothing: a pre-auth with an unseen secret leaves no trace.
        ref SecretState state = ref failed
            ? ref _secrets.GetOrAdd(key, out _, ref hint)
            : ref _secrets.Find(key, ref hint);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref state)) return (0, 0, 0);
        state.LastSeen = minute;
        state.Roll(minute / _secretShortMinutes, minute / _secretLongMinutes);
        if (failed && !repeated)
        {
            state.AddFailure(account);
            if (unknown) state.UnknownCurrent++;
        }
        return (state.ShortAccounts, state.LongAccounts, (int)(state.UnknownCurrent + state.UnknownPrevious));
    }

    private static ushort Saturating(ushort value) => value == ushort.MaxValue ? value : (ushort)(value + 1);

    private static uint HalfMinutes(TimeSpan window) => (uint)Math.Max(1, window.TotalMinutes / 2);

    private static uint ToMinute(DateTimeOffset at) => (uint)Math.Clamp(at.ToUnixTimeSeconds() / 60, 0, uint.MaxValue);

    /// <summary>Service-wide failure and unknown-account shares per bucket, with an exponentially weighted baseline.</summary>
    private sealed class GlobalRates(GlobalAnomalyOptions options)
    {
        private readonly long _bucketTicks = options.Bucket.Ticks;
        private readonly int _minimum = options.MinimumAttempts;
        private readonly double _weight = options.BaselineWeight;
        private readonly double _factor = options.Factor;
        private long _bucket = long.MinValue;
        private int _attempts, _failures, _unknown;
        private int _previousAttempts;
        private double _previousFailureRate, _previousUnknownRate;
        private double _failureBaseline, _unknownBaseline;
        private int _learned;

        public GlobalSignals Observe(DateTimeOffset at, bool preAuth, bool failed, bool unknown)
        {
            long bucket = at.UtcTicks / _bucketTicks;
            if (bucket > _bucket) Close(bucket);
            if (preAuth) _attempts++;
            else if (failed) { _failures++; if (unknown) _unknown++; }
            return new GlobalSignals
            {
                Attempts = _attempts,
                FailureRate = Rate(_failures, _attempts),
                UnknownRate = Rate(_unknown, _attempts),
                PreviousAttempts = _previousAttempts,
                PreviousFailureRate = _previousFailureRate,
                PreviousUnknownRate = _previousUnknownRate,
                FailureBaseline = _failureBaseline,
                UnknownBaseline = _unknownBaseline,
                BaselineBuckets = _learned,
            };
        }

        private void Close(long next)
        {
            if (_bucket != long.MinValue && next == _bucket + 1 && _attempts > 0)
            {
                _previousAttempts = _attempts;
                _previousFailureRate = Rate(_failures, _attempts);
                _previousUnknownRate = Rate(_unknown, _attempts);
            }
            else
            {
                _previousAttempts = 0;
                _previousFailureRate = _previousUnknownRate = 0;
            }
            if (_attempts >= _minimum)
            {
                double failureRate = Rate(_failures, _attempts), unknownRate = Rate(_unknown, _attempts);
                bool spike = _learned >= 12 &&
                    (failureRate > _factor * Math.Max(_failureBaseline, GlobalSignals.FailureFloor) || unknownRate > _factor * Math.Max(_unknownBaseline, GlobalSignals.UnknownFloor));
                // An attack must not teach the baseline that attacks are normal, but a level that lasts for days is the
                // service's new normal: a spike bucket teaches at a hundredth of the weight (a fourfold failure share
                // stops being a spike after about a day, a tenfold after two; a campaign of hours stays one throughout).
                double w = spike ? _weight * GlobalSignals.SpikeLearningShare
                    : _learned == 0 ? 1 : Math.Max(_weight, 1.0 / (_learned + 1));
                _failureBaseline += w * (failureRate - _failureBaseline);
                _unknownBaseline += w * (unknownRate - _unknownBaseline);
                if (!spike) _learned++;
            }
            _bucket = next;
            _attempts = _failures = _unknown = 0;
        }

        private static double Rate(int part, int whole) => whole == 0 ? 0 : Math.Min(1.0, (double)part / whole);

        public void Save(BinaryWriter w)
        {
            w.Write(_bucket); w.Write(_attempts); w.Write(_failures); w.Write(_unknown); w.Write(_previousAttempts);
            w.Write(_previousFailureRate); w.Write(_previousUnknownRate); w.Write(_failureBaseline); w.Write(_unknownBaseline); w.Write(_learned);
        }

        public void Load(BinaryReader r)
        {
            _bucket = r.ReadInt64(); _attempts = r.ReadInt32(); _failures = r.ReadInt32(); _unknown = r.ReadInt32(); _previousAttempts = r.ReadInt32();
            _previousFailureRate = r.ReadDouble(); _previousUnknownRate = r.ReadDouble(); _failureBaseline = r.ReadDouble(); _unknownBaseline = r.ReadDouble(); _learned = r.ReadInt32();
        }
    }
}
