using Mamori.Events;

namespace Mamori.Signals;

/// <summary>
/// Where counters, sketches and account histories live. One call per assessment reads every signal the detectors
/// need and applies every update of the event, so a networked store (Redis) serves it in one round trip.
/// </summary>
/// <remarks>Implementations must be safe for concurrent calls and give the same answers for the same calls in the same order.</remarks>
public interface ISignalStore
{
    /// <summary>Applies <paramref name="request"/>'s updates and returns the signals as they stand for it.</summary>
    /// <remarks>Pre-auth: counts the attempt and reads; outcome: counts the result, learns the environment on success, reads.</remarks>
    ValueTask<SignalSnapshot> ObserveAsync(SignalRequest request, CancellationToken cancellationToken = default);

    /// <summary>Marks a device trusted (after a passed step-up or an operator's action) or no longer trusted.</summary>
    ValueTask SetDeviceTrustAsync(ulong account, ulong device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Asks for (or clears) a step-up at the account's next successful login. Clearing it (a passed step-up,
    /// an operator's cancel) also clears the account's exposed secret (<see cref="MarkSecretExposedAsync"/>).</summary>
    ValueTask SetStepUpRequestedAsync(ulong account, bool requested, CancellationToken cancellationToken = default);

    /// <summary>Records that the account's secret succeeded in an attack on the day of <paramref name="at"/> (a success
    /// the engine held up for attack evidence): <see cref="SignalSnapshot.SecretExposedDay"/> from then on.</summary>
    ValueTask MarkSecretExposedAsync(ulong account, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Whether the store answered its last call (a networked store reports its connection here).</summary>
    bool IsAvailable { get; }

    /// <summary>Sends what this node still holds for a shared store (a networked store's attempts waiting for their
    /// outcomes, its share of the population) and waits for the store to take it. A node calls it once as it stops,
    /// after its last request; a store that keeps nothing back completes at once.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}

/// <summary>
/// A store that answers in the caller's thread without I/O (the in-process one). The engine calls it directly
/// instead of through <see cref="ISignalStore.ObserveAsync"/>: no task and no copies of the snapshot through
/// async machinery, which is most of what a login costs beyond the table lookups themselves.
/// </summary>
public interface ISynchronousSignalStore : ISignalStore
{
    /// <summary>The same as <see cref="ISignalStore.ObserveAsync"/>, completed before it returns.</summary>
    void Observe(in SignalRequest request, out SignalSnapshot snapshot);
}

/// <summary>Whole days since 1970-01-01 UTC, as the stores keep an exposed secret's day (fits 16 bits until 2149).</summary>
public static class SignalDays
{
    /// <summary>The day of <paramref name="at"/>, 1 to 65,535.</summary>
    public static ushort Of(DateTimeOffset at) => (ushort)Math.Clamp(at.ToUnixTimeSeconds() / 86_400, 1, ushort.MaxValue);
}

/// <summary>Which half of a login the request records.</summary>
public enum ObservationPhase : byte
{
    /// <summary>Before the caller checks the secret: count the attempt, read.</summary>
    PreAuth,
    /// <summary>After: count the outcome, read.</summary>
    Outcome,
}

/// <summary>How a successful login's environment joins the account's history.</summary>
public enum LearnMode : byte
{
    /// <summary>Not at all (denied, or part of an attack).</summary>
    None,
    /// <summary>At once: the login was allowed, or its step-up was confirmed.</summary>
    Learn,
    /// <summary>After it succeeds on enough separate days (stepped up, never confirmed); from then on at each success.</summary>
    Pending,
}

/// <summary>The stable keys of one attempt (hashes; nothing reversible to an account name or secret is kept in them).</summary>
public readonly record struct SignalKeys
{
    /// <summary>Account (tenant-qualified).</summary>
    public ulong Account { get; init; }
    /// <summary>Source address.</summary>
    public ulong Ip { get; init; }
    /// <summary>/24 or /48.</summary>
    public ulong Subnet { get; init; }
    /// <summary>Autonomous system; 0 when unknown.</summary>
    public ulong Asn { get; init; }
    /// <summary>Country; 0 when unknown.</summary>
    public ulong Country { get; init; }
    /// <summary>Full user agent; 0 when absent.</summary>
    public ulong Agent { get; init; }
    /// <summary>Browser family.</summary>
    public ulong Browser { get; init; }
    /// <summary>Operating system.</summary>
    public ulong Os { get; init; }
    /// <summary>Device token; 0 when the client keeps none.</summary>
    public ulong Device { get; init; }
    /// <summary>Secret fingerprint across tenants; 0 when absent.</summary>
    public ulong Secret { get; init; }
    /// <summary>Secret fingerprint within the tenant; 0 when absent.</summary>
    public ulong TenantSecret { get; init; }
}

/// <summary>One call to <see cref="ISignalStore.ObserveAsync"/>.</summary>
public readonly record struct SignalRequest
{
    /// <summary>The attempt's keys.</summary>
    public required SignalKeys Keys { get; init; }
    /// <summary>Event time (replay) or the edge's clock (server).</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>Which half of the login.</summary>
    public required ObservationPhase Phase { get; init; }
    /// <summary>The outcome (only for <see cref="ObservationPhase.Outcome"/>).</summary>
    public LoginOutcome Outcome { get; init; }
    /// <summary>Whether the engine judged the context familiar (failures are counted apart: smart lockout).</summary>
    public bool FamiliarContext { get; init; }
    /// <summary>How a success teaches the account's history.</summary>
    public LearnMode Learn { get; init; }
    /// <summary>Whether the success was new to the account (counts towards a takeover ring on its address).</summary>
    public bool UnfamiliarSuccess { get; init; }
    /// <summary>
    /// Whether the success came on a device the account had not used: an unfamiliar success, or any success of an
    /// account with no history yet from a device it neither knows nor trusts (counts towards a ring on the device).
    /// </summary>
    /// <remarks>Wider than <see cref="UnfamiliarSuccess"/> on purpose: a phisher's first login to a young account is
    /// not unfamiliar (there is no history to differ from), but one device token holding several such accounts is a
    /// ring. An address is not counted so, since a household or an office is several first logins from one address.</remarks>
    public bool UnfamiliarDeviceSuccess { get; init; }
    /// <summary>The attempt's country as <see cref="Network.CountryLocations.Pack"/> makes it (0 when unknown): a learned
    /// success keeps it, with its time, as the account's last known country (impossible travel).</summary>
    public ushort Country { get; init; }
    /// <summary>A pending success (<see cref="LearnMode.Pending"/>) whose country joins the service's population at once,
    /// though nothing else of it does yet: where logins succeed from is what makes a country common for the service.</summary>
    /// <remarks>Without it, a country whose customers wake up after a cold population has grown (a replay's first
    /// day) looks rare, its first logins are stepped up, so never learned, and it stays rare until they are. A party
    /// abroad would need 1 % of all the service's logins to make its country common.</remarks>
    public bool CountCountry { get; init; }
}

/// <summary>Counters of one source (address, /24, ASN, user agent or device) in the stuffing window.</summary>
public readonly record struct SourceSignals
{
    /// <summary>Attempts in the window.</summary>
    public int Attempts { get; init; }
    /// <summary>Failed attempts (wrong secret, unknown account, locked) in the window.</summary>
    public int Failures { get; init; }
    /// <summary>Attempts on accounts that do not exist, in the window.</summary>
    public int UnknownAccounts { get; init; }
    /// <summary>Distinct accounts tried in the window (estimate).</summary>
    public int DistinctAccounts { get; init; }
    /// <summary>Distinct accounts that succeeded here over the shared-address window (estimate).</summary>
    public int SuccessfulAccounts { get; init; }
    /// <summary>Distinct accounts that succeeded here while the environment was new to them (estimate).</summary>
    public int UnfamiliarSuccessAccounts { get; init; }
    /// <summary>Failure share over the long window: the source's own baseline.</summary>
    public double BaselineFailureRatio { get; init; }
    /// <summary>Attempts over the long window (how much the baseline is worth).</summary>
    public int BaselineAttempts { get; init; }
}

/// <summary>What the familiarity model needs: the account's counts and the population's, per feature.</summary>
public readonly record struct FamiliaritySignals
{
    /// <summary>This login's environment (its device token, or without one its user agent and network) waits to be learned
    /// by the account and would be with a success today: it was stepped up on another day, never confirmed (ADR 0047).</summary>
    public bool PendingDue { get; init; }
    /// <summary>Successful logins in the account's history (decayed).</summary>
    public int History { get; init; }
    /// <summary>Account's count of this IP, ASN, country.</summary>
    public int UserIp { get; init; }
    /// <summary>Account's count of this ASN.</summary>
    public int UserAsn { get; init; }
    /// <summary>Account's count of this country.</summary>
    public int UserCountry { get; init; }
    /// <summary>Account's count of this user agent.</summary>
    public int UserAgent { get; init; }
    /// <summary>Account's count of this browser.</summary>
    public int UserBrowser { get; init; }
    /// <summary>Account's count of this OS.</summary>
    public int UserOs { get; init; }
    /// <summary>Account's count of this device token.</summary>
    public int UserDevice { get; init; }
    /// <summary>Successful logins of the account that carried a device token.</summary>
    public int UserDeviceHistory { get; init; }
    /// <summary>Population size (decayed count of successful logins).</summary>
    public long Population { get; init; }
    /// <summary>Population's count of this IP.</summary>
    public long GlobalIp { get; init; }
    /// <summary>Population's count of this ASN.</summary>
    public long GlobalAsn { get; init; }
    /// <summary>Population's count of this country.</summary>
    public long GlobalCountry { get; init; }
    /// <summary>Population's count of this user agent.</summary>
    public long GlobalAgent { get; init; }
    /// <summary>Population's count of this browser.</summary>
    public long GlobalBrowser { get; init; }
    /// <summary>Population's count of this OS.</summary>
    public long GlobalOs { get; init; }
    /// <summary>Whether the device is trusted for the account.</summary>
    public bool TrustedDevice { get; init; }
    /// <summary>The country of the account's last learned success (<see cref="Network.CountryLocations.Pack"/>; 0 when none is known).</summary>
    public ushort LastCountry { get; init; }
    /// <summary>Minutes from that success to this attempt (0 when <see cref="LastCountry"/> is 0).</summary>
    public long MinutesSinceLastCountry { get; init; }
}

/// <summary>Service-wide rates against their baseline.</summary>
public readonly record struct GlobalSignals
{
    /// <summary>Share of a normal bucket's weight with which a spike bucket still teaches the baseline.</summary>
    /// <remarks>Never learning a spike would leave a service under attack for weeks flagged for weeks, stepping up
    /// every unfamiliar success; learning it fully would let a campaign of hours teach that it is normal.</remarks>
    public const double SpikeLearningShare = 0.01;

    /// <summary>Floor under the failure share's baseline: a bucket is a spike only above a multiple of it.</summary>
    /// <remarks>Users mistype and forget: a service's failure share rarely sits below 5 %.</remarks>
    public const double FailureFloor = 0.05;

    /// <summary>Floor under the unknown-account share's baseline.</summary>
    /// <remarks>Users rarely name an account that does not exist (0.2–0.5 % of logins), while a stuffing list from
    /// another site is mostly such accounts: at a service of a million users, 150 stuffing attempts in a bucket of
    /// 3,000 logins lift the share from 0.4 % to 2.3 % and the failure share only from 5.5 % to 10 %. A 2 % floor
    /// hid that; the spike test's z-score and minimum count keep a quiet night's single typo from being one.</remarks>
    public const double UnknownFloor = 0.005;

    /// <summary>Attempts in the current bucket.</summary>
    public int Attempts { get; init; }
    /// <summary>Failure share in the current bucket.</summary>
    public double FailureRate { get; init; }
    /// <summary>Unknown-account share in the current bucket.</summary>
    public double UnknownRate { get; init; }
    /// <summary>Attempts in the last complete bucket.</summary>
    public int PreviousAttempts { get; init; }
    /// <summary>Failure share in the last complete bucket.</summary>
    public double PreviousFailureRate { get; init; }
    /// <summary>Unknown-account share in the last complete bucket.</summary>
    public double PreviousUnknownRate { get; init; }
    /// <summary>Moving baseline of the failure share.</summary>
    public double FailureBaseline { get; init; }
    /// <summary>Moving baseline of the unknown-account share.</summary>
    public double UnknownBaseline { get; init; }
    /// <summary>Buckets the baseline has learned from (it is not trusted before a dozen).</summary>
    public int BaselineBuckets { get; init; }
}

/// <summary>Every signal for one attempt, as one immutable value the detectors read.</summary>
public readonly record struct SignalSnapshot
{
    /// <summary>Distinct accounts the secret failed on, short window, all tenants.</summary>
    public int SecretFailedAccounts { get; init; }
    /// <summary>Same, long window.</summary>
    public int SecretFailedAccountsLong { get; init; }
    /// <summary>Distinct accounts the secret failed on, short window, this tenant.</summary>
    public int TenantSecretFailedAccounts { get; init; }
    /// <summary>Same, long window.</summary>
    public int TenantSecretFailedAccountsLong { get; init; }
    /// <summary>Attempts with the secret on accounts that do not exist, short window.</summary>
    public int SecretUnknownAccounts { get; init; }
    /// <summary>Distinct accounts the secret succeeded on, short window, all tenants: counted only while it has failures
    /// in the long window (a popular secret's owners; a unique password never fails across accounts, so never counts),
    /// and reported only while any of the four failure counts above is not zero (what is compared with them).</summary>
    public int SecretSucceededAccounts { get; init; }
    /// <summary>Same, long window.</summary>
    public int SecretSucceededAccountsLong { get; init; }
    /// <summary>The address.</summary>
    public SourceSignals Ip { get; init; }
    /// <summary>The /24 or /48.</summary>
    public SourceSignals Subnet { get; init; }
    /// <summary>The ASN (zero when unknown).</summary>
    public SourceSignals Asn { get; init; }
    /// <summary>The user agent (zero when absent).</summary>
    public SourceSignals Agent { get; init; }
    /// <summary>The device token (zero when absent).</summary>
    public SourceSignals Device { get; init; }
    /// <summary>Distinct wrong secrets on this account from unfamiliar contexts, brute-force window.</summary>
    public int AccountUnfamiliarFailures { get; init; }
    /// <summary>Distinct wrong secrets on this account from familiar contexts.</summary>
    public int AccountFamiliarFailures { get; init; }
    /// <summary>
    /// Distinct wrong secrets on this account from unfamiliar contexts since it last logged in with nothing wrong (a
    /// success learned into its history), however long ago: slow guessing that no hourly window sees.
    /// </summary>
    public int AccountUnfamiliarFailuresSinceSuccess { get; init; }
    /// <summary>
    /// Whether any of the account's wrong secrets since its last learned success came from this address (a bit per
    /// address hash, so now and then true for another address; never false for this one).
    /// </summary>
    public bool AccountFailedFromThisAddress { get; init; }
    /// <summary>Whether this exact wrong secret already failed on this account recently.</summary>
    public bool RepeatedWrongSecret { get; init; }
    /// <summary>Whether an operator asked for a step-up at the next login.</summary>
    public bool StepUpRequested { get; init; }
    /// <summary>The day (Unix days, <see cref="SignalDays.Of"/>) the account's secret last succeeded in an attack; 0 when
    /// it never did, or a step-up passed since.</summary>
    public ushort SecretExposedDay { get; init; }
    /// <summary>The account's history and the population; read at pre-auth only.</summary>
    /// <remarks>
    /// The engine scores familiarity once per login, before the secret is checked, and the outcome half reuses that
    /// score; so an outcome's snapshot leaves this default, and a store spends nothing reading the account's feature
    /// bags or the population for it (for Redis, 24 sketch cells a call).
    /// </remarks>
    public FamiliaritySignals Familiarity { get; init; }
    /// <summary>Service-wide rates.</summary>
    public GlobalSignals Global { get; init; }
}
