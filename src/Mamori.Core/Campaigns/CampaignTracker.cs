using System.Globalization;
using Mamori.Events;
using Mamori.Signals;

namespace Mamori.Campaigns;

/// <summary>
/// Opens, feeds and closes campaigns. A campaign is keyed by kind and scope, so a spray that rotates through
/// three passwords is one campaign, not three; it closes after <see cref="CampaignOptions.QuietPeriod"/> without attempts.
/// </summary>
/// <remarks>Thread-safe (one lock). Ids come from an <see cref="ICampaignDirectory"/>: by default sequential per tracker
/// with the first-seen minute, so a replay gives the same ids; with a shared directory, the same on every node.</remarks>
public sealed class CampaignTracker
{
    private readonly Lock _gate = new();
    private readonly Dictionary<CampaignKey, Campaign> _open = [];
    private readonly Dictionary<ulong, Campaign> _bySecret = [];

    /// <summary>
    /// One bit per slot of a secret key's top <see cref="SecretFilterBits"/> bits, set for every key in
    /// <see cref="_bySecret"/>: nearly every success asks about a secret that is in no campaign, and the table of
    /// sprayed secrets outgrows the CPU's caches (a miss there was 3 % of replay's engine thread). A clear bit answers
    /// at once, without the lock; a set bit may be another key's, and the table decides. Rebuilt when a sweep removes
    /// secrets; swapped whole, so a reader sees the old filter or the new.
    /// </summary>
    /// <remarks>Read without the lock: a request that races with the attempt adding its secret may miss the campaign, as
    /// it would have by arriving a moment earlier.</remarks>
    private ulong[] _secretFilter = new ulong[SecretFilterWords];
    private const int SecretFilterBits = 20;   // 128 KiB
    private const int SecretFilterWords = 1 << (SecretFilterBits - 6);
    private readonly LinkedList<CampaignView> _closed = new();
    private readonly TimeSpan _quiet;
    private readonly int _closedKept;
    private readonly ICampaignDirectory _directory;
    /// <summary>UTC ticks of the last sweep; read without the lock, so most calls of <see cref="Sweep"/> take none.</summary>
    private long _lastSweepTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>Creates a tracker with <paramref name="options"/> (copied now).</summary>
    public CampaignTracker(CampaignOptions options) : this(options, null)
    {
    }

    /// <summary>Creates a tracker with <paramref name="options"/> (copied now) whose ids come from <paramref name="directory"/>
    /// (null: <see cref="LocalCampaignDirectory"/>).</summary>
    public CampaignTracker(CampaignOptions options, ICampaignDirectory? directory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _quiet = options.QuietPeriod;
        _closedKept = options.ClosedKept;
        _directory = directory ?? new LocalCampaignDirectory();
    }

    /// <summary>Where ids (and, when shared, counters) come from.</summary>
    public ICampaignDirectory Directory => _directory;

    /// <summary>The id a shared directory opens a campaign with: first-seen minute and 8 hex digits of the key, so
    /// two nodes opening the same attack at once propose the same id.</summary>
    public static string ProposedId(CampaignKind kind, ulong scope, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"cmp-{at.UtcDateTime:yyyyMMdd'T'HHmm}-{(uint)(Hashing.Combine(scope, (ulong)kind + 1) >> 32):x8}");

    /// <summary>Raised (under no lock) when a campaign opens; the server records and publishes it.</summary>
    public event Action<CampaignView>? Opened;

    /// <summary>Raised when a campaign closes, with its final state (the server archives it).</summary>
    public event Action<CampaignView>? Closed;

    /// <summary>Open campaigns.</summary>
    public IReadOnlyList<CampaignView> OpenCampaigns()
    {
        lock (_gate) return _open.Values.OrderBy(c => c.FirstSeen).ThenBy(c => c.Id, StringComparer.Ordinal).Select(c => c.ToView()).ToArray();
    }

    /// <summary>Recently closed campaigns, newest first.</summary>
    public IReadOnlyList<CampaignView> ClosedCampaigns()
    {
        lock (_gate) return _closed.ToArray();
    }

    /// <summary>Finds an open or recently closed campaign by id.</summary>
    public bool TryGet(string id, out CampaignView view)
    {
        lock (_gate)
        {
            foreach (Campaign c in _open.Values)
                if (c.Id == id) { view = c.ToView(); return true; }
            foreach (CampaignView c in _closed)
                if (c.Id == id) { view = c; return true; }
        }
        view = null!;
        return false;
    }

    /// <summary>Number of open campaigns.</summary>
    public int OpenCount { get { lock (_gate) return _open.Count; } }

    /// <summary>Whether the secret belongs to an open campaign.</summary>
    internal bool TryGetBySecret(ulong secretKey, out string id, out CampaignKind kind)
    {
        (int word, ulong bit) = Hashing.FilterSlot(secretKey, SecretFilterBits);
        if (secretKey == 0 || (Volatile.Read(ref _secretFilter)[word] & bit) == 0)
        {
            id = ""; kind = default;
            return false;
        }
        lock (_gate)
        {
            if (_bySecret.TryGetValue(secretKey, out Campaign? c) && c.Open)
            {
                id = c.Id; kind = c.Kind;
                return true;
            }
        }
        id = ""; kind = default;
        return false;
    }

    /// <summary>Counts an attempt in the campaign of <paramref name="key"/>, opening it if needed. Returns its id.</summary>
    internal string Count(CampaignKey key, LoginAttempt attempt, in SignalKeys keys, bool success, string decision, CampaignKind? refinedKind = null,
        IReadOnlyList<string>? countedAtPreAuth = null) =>
        Count(key, attempt, in keys, success, decision, refinedKind, countedAtPreAuth, open: true)!;

    /// <summary>Counts an attempt in the campaign of <paramref name="key"/> when this tracker has it open; returns its
    /// id, or null (nothing opened).</summary>
    /// <remarks>Only the campaigns this tracker holds: on a node that has not counted the campaign yet, the attempt is
    /// left out of it (its decision is the same).</remarks>
    internal string? CountIfOpen(CampaignKey key, LoginAttempt attempt, in SignalKeys keys, bool success, string decision,
        IReadOnlyList<string>? countedAtPreAuth = null) =>
        Count(key, attempt, in keys, success, decision, null, countedAtPreAuth, open: false);

    private string? Count(CampaignKey key, LoginAttempt attempt, in SignalKeys keys, bool success, string decision, CampaignKind? refinedKind,
        IReadOnlyList<string>? countedAtPreAuth, bool open)
    {
        string? sharedId = null;
        if (_directory.IsShared && open)
        {
            // Asked outside the lock (a network call, bounded by the store's timeout) and only when this node has no
            // open campaign for the key: once per node per campaign.
            bool known;
            lock (_gate) known = _open.ContainsKey(key);
            if (!known) sharedId = _directory.OpenOrGet(key.Kind, key.Scope, ProposedId(key.Kind, key.Scope, attempt.Timestamp), attempt.Timestamp);
        }
        CampaignView? opened = null;
        string id;
        bool counted;
        lock (_gate)
        {
            if (!_open.TryGetValue(key, out Campaign? campaign))
            {
                if (!open) return null;
                // The local directory is asked under the lock, so one sequence of attempts always gives the same ids.
                id = sharedId ?? _directory.OpenOrGet(key.Kind, key.Scope, ProposedId(key.Kind, key.Scope, attempt.Timestamp), attempt.Timestamp);
                campaign = new Campaign(id, key, attempt.Tenant, attempt.Timestamp);
                _open.Add(key, campaign);
                opened = campaign.ToView();
            }
            if (refinedKind is CampaignKind k) campaign.Kind = k;
            // The outcome of an attempt its pre-auth counted here adds its success or secret, not a second attempt.
            counted = countedAtPreAuth is { Count: > 0 } && countedAtPreAuth.Contains(campaign.Id);
            if (!counted) campaign.Count(attempt, keys);
            if (attempt.Secret is SecretFingerprint secret && keys.Secret != 0 &&
                key.Kind is CampaignKind.PasswordSpray or CampaignKind.ReverseBruteForce &&
                !success)
            {
                campaign.AddSecret(secret, keys.Secret);
                _bySecret[keys.Secret] = campaign;
                (int word, ulong bit) = Hashing.FilterSlot(keys.Secret, SecretFilterBits);
                _secretFilter[word] |= bit;
            }
            if (success) campaign.AddSuccess(attempt, decision);
            id = campaign.Id;
        }
        if (_directory.IsShared && !counted) _directory.Counted(id, key.Kind, key.Scope, attempt.Tenant, keys.Account, attempt.Timestamp);
        if (opened is not null) Opened?.Invoke(opened);
        return id;
    }

    /// <summary>Closes campaigns quiet for longer than the quiet period. Cheap to call per event: it sweeps at most once a minute.</summary>
    public void Sweep(DateTimeOffset now)
    {
        List<CampaignView>? closed = null;
        if (now.UtcTicks - Volatile.Read(ref _lastSweepTicks) < TimeSpan.TicksPerMinute) return;
        lock (_gate)
        {
            if (now.UtcTicks - _lastSweepTicks < TimeSpan.TicksPerMinute) return;
            Volatile.Write(ref _lastSweepTicks, now.UtcTicks);
            bool secretsRemoved = false;
            foreach ((CampaignKey key, Campaign campaign) in _open.ToArray())
            {
                if (now - campaign.LastSeen <= _quiet) continue;
                campaign.Open = false;
                _open.Remove(key);
                foreach (ulong secret in campaign.Secrets)
                {
                    if (_bySecret.TryGetValue(secret, out Campaign? c) && ReferenceEquals(c, campaign))
                    {
                        _bySecret.Remove(secret);
                        secretsRemoved = true;
                    }
                }
                CampaignView view = campaign.ToView();
                _closed.AddFirst(view);
                while (_closed.Count > _closedKept) _closed.RemoveLast();
                (closed ??= []).Add(view);
            }
            if (secretsRemoved)
            {
                var filter = new ulong[SecretFilterWords];
                foreach (ulong secret in _bySecret.Keys)
                {
                    (int word, ulong bit) = Hashing.FilterSlot(secret, SecretFilterBits);
                    filter[word] |= bit;
                }
                Volatile.Write(ref _secretFilter, filter);
            }
        }
        if (closed is null) return;
        foreach (CampaignView view in closed)
        {
            // Shared: the campaign may still be open on another node, and exactly one node archives it.
            if (!_directory.IsShared || _directory.TryClaimArchive(view.Id, now)) Closed?.Invoke(view);
        }
    }
}
