using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using Mamori.Campaigns;
using Mamori.Detectors;
using Mamori.Events;
using Mamori.Network;
using Mamori.Policy;
using Mamori.Signals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mamori;

/// <summary>What the caller reports with an outcome beyond the outcome itself.</summary>
public readonly record struct OutcomeDetails
{
    /// <summary>The caller's own breach check found the submitted password in a breach corpus.</summary>
    public bool? Breached { get; init; }
    /// <summary>How often the corpus saw it, when known.</summary>
    public long? BreachCount { get; init; }
}

/// <summary>The pre-auth half of a login: its decision, and what the outcome half needs to continue.</summary>
public sealed class PreAuthAssessment
{
    internal PreAuthAssessment(LoginAttempt attempt, SignalKeys keys, LoginAssessor.PreAuthHalf half)
    {
        Attempt = attempt; Keys = keys; Half = half;
    }

    /// <summary>The attempt as assessed.</summary>
    public LoginAttempt Attempt { get; }
    /// <summary>The pre-auth decision (allow, challenge or deny).</summary>
    public Decision Decision => Half.Decision;
    internal SignalKeys Keys { get; }
    /// <summary>What the outcome half continues from (the same value the synchronous path passes along).</summary>
    internal LoginAssessor.PreAuthHalf Half { get; }
}

/// <summary>Both halves of a login whose outcome was already known (log shipping, replay).</summary>
/// <param name="PreAuth">The pre-auth decision.</param>
/// <param name="Outcome">The outcome decision.</param>
public readonly record struct EventAssessment(Decision PreAuth, Decision Outcome)
{
    /// <summary>
    /// The one verdict of the event, as replay writes it: the stricter of the two halves, with step_up written as
    /// challenge (the caller would have asked for more before letting the client on).
    /// </summary>
    public Verdict Combined
    {
        get
        {
            Verdict worst = (Verdict)Math.Max((byte)PreAuth.Verdict, (byte)Outcome.Verdict);
            return worst == Verdict.StepUp ? Verdict.Challenge : worst;
        }
    }

    /// <summary>Score of the stricter half.</summary>
    public double Score => Math.Max(PreAuth.Score, Outcome.Score);
}

/// <summary>
/// The one entry point that the server, replay and embedded mode all call. A login flows one way: normalise →
/// update signals → detectors read signals → policy turns findings into a decision with reasons.
/// </summary>
/// <remarks>Thread-safe. Time is the attempt's own timestamp, never read from a clock here.</remarks>
public sealed partial class LoginAssessor
{
    private readonly ISignalStore _store;
    private readonly FamiliarityDetector _familiarity = new();
    private readonly SprayingDetector _spraying = new();
    private readonly StuffingDetector _stuffing = new();
    private readonly BruteForceDetector _bruteForce = new();
    private readonly GlobalAnomalyDetector _global = new();
    private readonly SharedAddressDetector _shared = new();
    private readonly TakeoverRingDetector _ring = new();
    private readonly EffectiveOptions _defaults;
    private readonly Dictionary<string, EffectiveOptions> _tenants;
    private readonly FailMode _failMode;
    private readonly double _smoothing;
    private readonly bool _stepUpRareNetwork;
    private readonly bool _stepUpAutomationClients;
    /// <summary>The hosting networks' ASNs and companies (<see cref="HostingNetworks"/>, with the operator's additions and removals).</summary>
    private readonly FrozenDictionary<int, string> _hostingNetworks;
    private readonly bool _stepUpHostingNetworks;
    private readonly double _travelSpeedKmh, _travelMinimumKm;
    private readonly ILogger _logger;

    /// <summary>Successful logins this engine has judged, and those of them that brought a device token: whether the
    /// service gives its customers one, and so whether a login without one says anything (ADR 0036).</summary>
    private long _successes, _successesWithToken;

    /// <summary>Successes seen before the engine judges the service's token habit.</summary>
    private const int TokenHabitMinimum = 100;

    /// <summary>Creates the engine over <paramref name="store"/>; options are validated and copied now.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range; the message names every bad setting.</exception>
    public LoginAssessor(MamoriOptions options, ISignalStore store, CampaignTracker? campaigns = null, ILogger<LoginAssessor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        MamoriOptionsValidator.ThrowIfInvalid(options);
        _store = store;
        Campaigns = campaigns ?? new CampaignTracker(options.Campaigns);
        _defaults = EffectiveOptions.From(options);
        _tenants = options.Tenants.ToDictionary(t => t.Key, t => EffectiveOptions.From(options, t.Value), StringComparer.Ordinal);
        _failMode = options.FailMode;
        _smoothing = options.Familiarity.Smoothing;
        _stepUpRareNetwork = options.Familiarity.StepUpRareNetwork;
        _stepUpAutomationClients = options.Familiarity.StepUpAutomationClients;
        _hostingNetworks = HostingNetworks.Effective(options.Familiarity.HostingAsns, options.Familiarity.NotHostingAsns);
        _stepUpHostingNetworks = options.Familiarity.StepUpHostingNetworks;
        _travelSpeedKmh = options.Familiarity.ImpossibleTravelSpeedKmh;
        _travelMinimumKm = options.Familiarity.ImpossibleTravelMinimumKm;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Open and recent campaigns.</summary>
    public CampaignTracker Campaigns { get; }

    /// <summary>
    /// Reasons carry their codes with empty messages. For callers that keep only codes (replay's decisions file): a
    /// sentence with counts and shares is formatted per finding otherwise, which on carrier-NAT traffic (every login
    /// says "shared address") was the largest allocation of an ordinary login. Verdicts and scores are unchanged.
    /// Default false: the server always explains.
    /// </summary>
    public bool Terse { get; init; }

    /// <summary>The hosting networks' ASNs and companies in effect (the built-in list with the operator's additions and
    /// removals): replay's report tallies against the same list.</summary>
    internal FrozenDictionary<int, string> HostingAsns => _hostingNetworks;

    /// <summary>The signal store (for health and metrics).</summary>
    public ISignalStore Store => _store;

    /// <summary>Pre-auth assessment, before the caller checks the secret.</summary>
    public async ValueTask<PreAuthAssessment> AssessAsync(LoginAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        SignalKeys keys = KeysOf(attempt);
        (SignalSnapshot signals, bool storeFailed) = await ObserveAsync(PreAuthRequest(attempt, keys), cancellationToken).ConfigureAwait(false);
        PreAuthHalf half = PreAuthCore(attempt, in keys, in signals, storeFailed);
        return new PreAuthAssessment(attempt, keys, half);
    }

    /// <summary>Outcome assessment, after the caller checked the secret.</summary>
    public async ValueTask<Decision> RecordOutcomeAsync(PreAuthAssessment preAuth, LoginOutcome outcome, OutcomeDetails details = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preAuth);
        PreAuthHalf half = preAuth.Half;
        SignalKeys keys = preAuth.Keys;
        (SignalSnapshot signals, bool storeFailed) = await ObserveAsync(OutcomeRequest(preAuth.Attempt, in keys, in half, outcome), cancellationToken).ConfigureAwait(false);
        Decision decision = OutcomeCore(preAuth.Attempt, in keys, in half, outcome, details, in signals, storeFailed, out bool exposes);
        if (exposes) await MarkSecretExposedAsync(keys.Account, preAuth.Attempt.Timestamp, cancellationToken).ConfigureAwait(false);
        return decision;
    }

    /// <summary>Both halves for an event whose outcome is known (the events endpoint, replay).</summary>
    public async ValueTask<EventAssessment> AssessEventAsync(LoginEvent loginEvent, OutcomeDetails details = default, CancellationToken cancellationToken = default)
    {
        if (_store is ISynchronousSignalStore) return AssessEvent(loginEvent, details);
        PreAuthAssessment preAuth = await AssessAsync(loginEvent.Attempt, cancellationToken).ConfigureAwait(false);
        Decision outcome = await RecordOutcomeAsync(preAuth, loginEvent.Outcome, details, cancellationToken).ConfigureAwait(false);
        return new EventAssessment(preAuth.Decision, outcome);
    }

    /// <summary>
    /// Both halves of an event, synchronously: the same answer as <see cref="AssessEventAsync"/>. With an in-process
    /// store (<see cref="ISynchronousSignalStore"/>) no task, state machine or pre-auth object is made, which is what
    /// lets replay run a log at hundreds of thousands of events a second; with a networked store it waits for it.
    /// </summary>
    public EventAssessment AssessEvent(LoginEvent loginEvent, OutcomeDetails details = default)
    {
        if (_store is not ISynchronousSignalStore store)
            return AssessEventAsync(loginEvent, details).AsTask().GetAwaiter().GetResult();
        ArgumentNullException.ThrowIfNull(loginEvent.Attempt, nameof(loginEvent));
        return AssessEvent(store, loginEvent, KeysOf(loginEvent.Attempt), details);
    }

    /// <summary>
    /// <see cref="AssessEvent(LoginEvent, OutcomeDetails)"/> with the event's keys already computed
    /// (<see cref="KeysOf"/> is pure, so replay computes them on its parsing thread, off the engine's).
    /// </summary>
    internal EventAssessment AssessEvent(LoginEvent loginEvent, in SignalKeys keys, OutcomeDetails details = default)
    {
        if (_store is not ISynchronousSignalStore store)
            return AssessEventAsync(loginEvent, details).AsTask().GetAwaiter().GetResult();
        return AssessEvent(store, loginEvent, keys, details);
    }

    private EventAssessment AssessEvent(ISynchronousSignalStore store, LoginEvent loginEvent, in SignalKeys keys, OutcomeDetails details)
    {
        LoginAttempt attempt = loginEvent.Attempt;
        bool storeFailed = !TryObserve(store, PreAuthRequest(attempt, keys), out SignalSnapshot signals);
        PreAuthHalf half = PreAuthCore(attempt, in keys, in signals, storeFailed);
        storeFailed = !TryObserve(store, OutcomeRequest(attempt, in keys, in half, loginEvent.Outcome), out signals);
        Decision outcome = OutcomeCore(attempt, in keys, in half, loginEvent.Outcome, details, in signals, storeFailed, out bool exposes);
        if (exposes) MarkSecretExposedAsync(keys.Account, attempt.Timestamp).GetAwaiter().GetResult();   // in process: already done
        return new EventAssessment(half.Decision, outcome);
    }

    /// <summary>Whether most successful logins so far brought a device token (after <see cref="TokenHabitMinimum"/> of them).</summary>
    private bool CustomersBringTokens()
    {
        // Volatile, not interlocked, reads: atomic for a long on every platform, and on 64-bit a plain load where an
        // interlocked read is a locked compare-exchange; asked in every login's pre-auth.
        long successes = Volatile.Read(ref _successes);
        return successes >= TokenHabitMinimum && 2 * Volatile.Read(ref _successesWithToken) >= successes;
    }

    /// <summary>What the engine found new for the account, with <paramref name="what"/> first.</summary>
    private static string WithNovelty(string novelties, string what) => novelties.Length == 0 ? what : $"{what}, {novelties}";

    /// <summary>Marks the account's secret exposed (a success held up for evidence against it); a store that fails loses
    /// this one mark, and the decision stands.</summary>
    private async ValueTask MarkSecretExposedAsync(ulong account, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        try
        {
            await _store.MarkSecretExposedAsync(account, at, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SignalStoreFailed(_logger, ex);
        }
    }

    /// <summary>What the outcome half needs of the pre-auth half (a value, so the synchronous path allocates no object for it).</summary>
    /// <param name="HeldForAttack">The pre-auth decision held the login up with attack evidence of its own.</param>
    /// <param name="SecretExposedDay">The day the account's secret last succeeded in an attack (0: never).</param>
    /// <param name="Partner">The address is a partner's server (<see cref="SharedAddressOptions.PartnerNetworks"/>).</param>
    /// <param name="KnownShared">The address is a known shared one (<see cref="SharedAddressOptions.KnownNetworks"/>, or a
    /// partner's): looked up once, for both halves.</param>
    /// <param name="DeviceRing">A success would bring the device to the ring the outcome denies
    /// (<see cref="Detectors.TakeoverRingDetector.CompletesDeviceRing"/>): it teaches the account nothing (ADR 0045).</param>
    internal readonly record struct PreAuthHalf(Decision Decision, FamiliarityScore Familiarity, bool AttackEvidence, bool HeldForAttack, ushort SecretExposedDay,
        bool Partner, bool KnownShared, bool DeviceRing = false);

    private static SignalRequest PreAuthRequest(LoginAttempt attempt, in SignalKeys keys) =>
        new() { Keys = keys, At = attempt.Timestamp, Phase = ObservationPhase.PreAuth };

    private PreAuthHalf PreAuthCore(LoginAttempt attempt, in SignalKeys keys, in SignalSnapshot signals, bool storeFailed)
    {
        EffectiveOptions options = OptionsFor(attempt.Tenant);
        bool partner = options.Partners?.Contains(attempt.Ip) == true;
        bool knownShared = partner || options.KnownShared?.Contains(attempt.Ip) == true;
        FamiliarityScore familiarity = FamiliarityModel.Score(signals.Familiarity, attempt.Asn is not null, attempt.Country is not null, attempt.Device is not null, _smoothing, !Terse, _stepUpRareNetwork,
            CustomersBringTokens());
        if (partner)
        {
            // A partner's server logging in for the customer: its environment says nothing about the customer's own
            // (ADR 0039), and nothing of it is learned (OutcomeRequest). Neither new nor familiar: evidence against the
            // secret still holds it up, and its failures count as any unfamiliar context's (a partner fed stolen
            // credentials is a stuffing oracle).
            familiarity = new FamiliarityScore(0, familiarity.HasHistory, TrustedDevice: false, KnownDevice: false, Novelties: "");
        }
        else if (ImpossibleTravel.Check(signals.Familiarity, attempt.Country, attempt.Asn is not null, _travelSpeedKmh, _travelMinimumKm) is { } leg)
            familiarity = familiarity with { Travel = leg };
        if (_stepUpAutomationClients && !partner && !familiarity.FamiliarContext && s_automationBrowsers.TryGetValue(keys.Browser, out string? script))
            familiarity = familiarity with
            {
                AutomationClient = true,
                Novelties = Terse ? "" : WithNovelty(familiarity.Novelties, $"a script's user agent ({script})"),
            };
        if (!partner && attempt.Asn is int asn && _hostingNetworks.TryGetValue(asn, out string? host))
        {
            familiarity = familiarity with { HostingAsn = true };
            if (_stepUpHostingNetworks && signals.Familiarity.UserAsn == 0)
            {
                string server = Terse ? "" : string.Create(CultureInfo.InvariantCulture, $"a server's network (AS{asn}, {host})");
                familiarity = familiarity.KnownDevice || familiarity.TrustedDevice
                    // The account's own device token there: a stolen session replayed from a server (ADR 0024).
                    ? familiarity with { DeviceOnServer = true, Novelties = server }
                    // A rented server's network the account never logged in from: a phishing kit's or a bot's, not a customer's line.
                    : familiarity with
                    {
                        HostingNetwork = true,
                        HostingNetworkWithoutToken = attempt.Device is null,
                        Novelties = Terse ? "" : WithNovelty(familiarity.Novelties, server),
                    };
            }
        }
        Campaigns.Sweep(attempt.Timestamp);
        List<Finding> findings = RentFindings();
        var context = new DetectionContext(in keys, in signals)
        {
            Attempt = attempt, Phase = ObservationPhase.PreAuth,
            Familiarity = familiarity, Options = options, Campaigns = Campaigns, Terse = Terse,
            KnownSharedAddress = knownShared, PartnerAddress = partner,
        };
        RunDetectors(in context, findings, storeFailed);
        Decision decision = Decide(in context, findings, success: false, countedAtPreAuth: []);
        // Evidence that keeps a success from being learned at once: the attack findings, a ring this login would
        // complete or may be joining, slow guessing it may end, or an address that has only ever failed.
        bool attack = HasAttackEvidence(findings) || TakeoverRingDetector.CompletesRing(in context) || TakeoverRingDetector.MayJoinRing(in context)
            || BruteForceDetector.MayBeGuessed(in context) || StuffingDetector.MayBeFailingOnlySource(in context);
        bool held = decision.PolicyVerdict != Verdict.Allow && HasAttackEvidence(findings, onTheSecret: true);
        ReturnFindings(findings);
        return new PreAuthHalf(decision, familiarity, attack, held, signals.SecretExposedDay, partner, knownShared,
            TakeoverRingDetector.CompletesDeviceRing(in context));
    }

    private SignalRequest OutcomeRequest(LoginAttempt attempt, in SignalKeys keys, in PreAuthHalf preAuth, LoginOutcome outcome)
    {
        EffectiveOptions options = OptionsFor(attempt.Tenant);
        FamiliarityScore familiarity = preAuth.Familiarity;
        bool success = outcome == LoginOutcome.Success;
        bool unfamiliar = familiarity.NeedsStepUp(options.StepUpLogRatio);
        bool newToAccount = familiarity.NewToAccount(options.StepUpLogRatio);
        // A success teaches the account's history at once only when nothing was wrong with it; one stepped up, or
        // seen during an attack, is learned only after it has succeeded on several days (an attacker rarely returns,
        // a user's new phone does); a denied one never.
        // A partner's server logging in for the customer teaches nothing of the customer's own environment (ADR 0039),
        // nor does a device logging into many accounts new to it (ADR 0045).
        LearnMode learn = !success || preAuth.Decision.PolicyVerdict == Verdict.Deny || preAuth.Partner || preAuth.DeviceRing ? LearnMode.None
            : unfamiliar || preAuth.AttackEvidence || SecretExposedHere(in preAuth, attempt, options) ? LearnMode.Pending
            : LearnMode.Learn;
        return new SignalRequest
        {
            Keys = keys, At = attempt.Timestamp, Phase = ObservationPhase.Outcome, Outcome = outcome,
            FamiliarContext = familiarity.FamiliarContext, Learn = learn,
            // A VPN customer on an exit in a country new to them is no party's server: its network is their own.
            UnfamiliarSuccess = success && newToAccount && !familiarity.KnownNetworkAbroad,
            // A device new to the account at an address the account knows is its household's (a shared tablet), not a ring's.
            UnfamiliarDeviceSuccess = success && !preAuth.Partner && !familiarity.KnownAddress
                && (unfamiliar || (!familiarity.KnownDevice && !familiarity.TrustedDevice)),
            Country = learn == LearnMode.None ? (ushort)0 : Network.CountryLocations.Pack(attempt.Country),
            CountCountry = learn == LearnMode.Pending,
        };
    }

    /// <summary>
    /// Whether the account's secret succeeded in an attack within <see cref="FamiliarityOptions.ExposedSecretDays"/> and
    /// this login comes from a context that does not vouch for the secret (<see cref="FamiliarityScore.VouchesForSecret"/>:
    /// a known or trusted device, or its usual network and browser, but not on a device the account never used at an
    /// address it never used; ADR 0038).
    /// </summary>
    private static bool SecretExposedHere(in PreAuthHalf preAuth, LoginAttempt attempt, EffectiveOptions options) =>
        preAuth.SecretExposedDay != 0 && SignalDays.Of(attempt.Timestamp) - preAuth.SecretExposedDay is var days && days >= 0 && days < options.ExposedSecretDays
        && !preAuth.Familiarity.VouchesForSecret(attempt.Device is not null);

    /// <param name="exposesSecret">Set when this success was held up for attack evidence: the secret works and an
    /// attacker has it, so the caller marks the account's secret exposed (<see cref="ISignalStore.MarkSecretExposedAsync"/>).</param>
    private Decision OutcomeCore(LoginAttempt attempt, in SignalKeys keys, in PreAuthHalf preAuth, LoginOutcome outcome, OutcomeDetails details,
        in SignalSnapshot signals, bool storeFailed, out bool exposesSecret)
    {
        EffectiveOptions options = OptionsFor(attempt.Tenant);
        FamiliarityScore familiarity = preAuth.Familiarity;
        bool success = outcome == LoginOutcome.Success;
        List<Finding> findings = RentFindings();
        var context = new DetectionContext(in keys, in signals)
        {
            Attempt = attempt, Phase = ObservationPhase.Outcome, Outcome = outcome,
            Familiarity = familiarity, Options = options, Campaigns = Campaigns, Terse = Terse,
            KnownSharedAddress = preAuth.KnownShared, PartnerAddress = preAuth.Partner,
        };
        RunDetectors(in context, findings, storeFailed);
        if (success && signals.StepUpRequested)
            findings.Add(new Finding(ReasonCode.StepUpRequested, 0.5, FindingAction.StepUp, "A step-up was asked for at this account's next login (by an operator, or after a second factor failed) and none has passed since."));
        if (success && SecretExposedHere(in preAuth, attempt, options))
            findings.Add(new Finding(ReasonCode.ExposedSecret, 0.5, FindingAction.StepUp, Terse ? "" : string.Create(CultureInfo.InvariantCulture,
                $"This account's password succeeded in an attack on {DateTime.UnixEpoch.AddDays(preAuth.SecretExposedDay):yyyy-MM-dd}, and this environment is not one it knew: step-up until one passes.")));
        if (success && details.Breached == true)
            AddBreachFinding(findings, familiarity, options, details);
        Decision decision = Decide(in context, findings, success, preAuth.Decision.CampaignIds);
        // Only from an environment new enough to step up by itself (or a first login from a country under 1 % of the
        // service's logins, which with a device token steps up only under a tenth of one, ADR 0041): a customer on
        // their own phone with a sprayed PIN, or on an address a stuffing run shares, is held up too, and their secret
        // is the attack's guess, not its hit. An account without history has no such environment otherwise: there, a
        // success without a device token (a bot keeps no cookie; the operator's app and site give one) held up for the
        // same evidence is the hit (ADR 0036), where customers do bring one: in a log without tokens every login lacks one.
        // A phishing relay's success is evidence enough by itself (ADR 0040).
        exposesSecret = success && (familiarity.NeedsStepUp(options.StepUpLogRatio) || familiarity.FirstLoginFromRareCountry
            || (!familiarity.HasHistory && attempt.Device is null && CustomersBringTokens()))
            && (preAuth.HeldForAttack || (decision.PolicyVerdict != Verdict.Allow && (HasAttackEvidence(findings, onTheSecret: true) || IsRelayedBrowser(familiarity, attempt, in keys))))
            && signals.SecretExposedDay != SignalDays.Of(attempt.Timestamp) && !storeFailed;
        if (success)
        {
            // Counted after the habit is read: this login is judged by the ones before it.
            Interlocked.Increment(ref _successes);
            if (attempt.Device is not null) Interlocked.Increment(ref _successesWithToken);
        }
        ReturnFindings(findings);
        return decision;
    }

    /// <summary>
    /// Whether a success looks like an adversary-in-the-middle kit relaying a victim's login: from a compute cloud's
    /// network the account never used, with a person's browser string (the victim's, forwarded) and no device token (the
    /// operator's cookie stays in the victim's browser), where customers do bring one (ADR 0040). Held up, it means the
    /// secret is in a third party's hands, as a stuffing hit does. An aggregator's or a bot's script, a headless browser
    /// or a client of its own, is not one; a partner's server is never a hosting network's (ADR 0039).
    /// </summary>
    private bool IsRelayedBrowser(in FamiliarityScore familiarity, LoginAttempt attempt, in SignalKeys keys) =>
        familiarity.HostingNetworkWithoutToken && !s_automationBrowsers.ContainsKey(keys.Browser)
        && attempt.UserAgent is { } agent && agent.StartsWith("Mozilla/5.0 (", StringComparison.Ordinal) && CustomersBringTokens();

    // One findings list per thread, reused: a list and its array per half were a third of an ordinary login's
    // garbage. Taken (not shared) while in use, so a re-entrant call on the same thread gets a fresh one.
    [ThreadStatic] private static List<Finding>? t_findings;

    private static List<Finding> RentFindings()
    {
        List<Finding>? findings = t_findings;
        if (findings is null) return new List<Finding>(8);
        t_findings = null;
        return findings;
    }

    private static void ReturnFindings(List<Finding> findings)
    {
        findings.Clear();
        t_findings = findings;
    }

    /// <summary>A password change: refused when the caller's breach check found the new password breached (NIST SP 800-63B §5.1.1.2).</summary>
    public static Decision AssessPasswordChange(bool breached, long? breachCount)
    {
        if (!breached) return AllowDecision;
        string count = breachCount is long n ? string.Create(CultureInfo.InvariantCulture, $" ({n:N0} times)") : "";
        Reason reason = new(ReasonCode.BreachedPassword, $"The new password appears in a breach corpus{count}; choose another (NIST SP 800-63B).");
        return new Decision { Verdict = Verdict.Deny, PolicyVerdict = Verdict.Deny, Score = 1, Reasons = new[] { reason } };
    }

    /// <summary>Trusts (or stops trusting) a device for an account.</summary>
    public ValueTask SetDeviceTrustAsync(string account, string? tenant, string device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _store.SetDeviceTrustAsync(AccountKey(account, tenant), Hashing.Of(device, DeviceDomain), trusted, at, cancellationToken);

    /// <summary>Asks for a step-up at the account's next successful login (or clears the request).</summary>
    public ValueTask SetStepUpRequestedAsync(string account, string? tenant, bool requested, CancellationToken cancellationToken = default) =>
        _store.SetStepUpRequestedAsync(AccountKey(account, tenant), requested, cancellationToken);

    // Cached: an ordinary login allocates no decision (SlidingWindowRateLimiter caches its leases the same way).
    private static readonly Decision AllowDecision = new() { Verdict = Verdict.Allow, PolicyVerdict = Verdict.Allow, Score = 0, Reasons = [] };
    private static readonly Decision AllowFamiliar = AllowDecision with { Familiar = true };

    private const ulong AccountDomain = 0xACC0, AgentDomain = 0x0A6E, BrowserDomain = 0xB0B0, OsDomain = 0x0505, DeviceDomain = 0xDE71,
        CountryDomain = 0xC0C0, AsnDomain = 0xA5A5, SecretDomain = 0x5EC7;

    /// <summary>The script families' browser keys (<see cref="SignalKeys.Browser"/>, hashed with the attempt's keys on the
    /// caller's or parsing thread), so the engine tells a script's user agent without reading the string again.</summary>
    private static readonly FrozenDictionary<ulong, string> s_automationBrowsers =
        UserAgentInfo.AutomationFamilies.ToFrozenDictionary(family => Hashing.Of(family, BrowserDomain));

    private static ulong AccountKey(string account, string? tenant) =>
        Hashing.Combine(Hashing.OfFolded(account, AccountDomain), tenant is null ? 0 : Hashing.Of(tenant, Hashing.TenantDomain));

    internal static SignalKeys KeysOf(LoginAttempt attempt)
    {
        AgentKeys agent = AgentKeys.Of(attempt.UserAgent);
        ulong secret = attempt.Secret is SecretFingerprint fp ? Hashing.Combine(fp.Value, SecretDomain) : 0;
        return new SignalKeys
        {
            Account = AccountKey(attempt.Account, attempt.Tenant),
            Ip = NetworkKeys.Address(attempt.Ip),
            Subnet = NetworkKeys.Subnet(attempt.Ip),
            Asn = attempt.Asn is int asn ? Hashing.Combine((ulong)(uint)asn, AsnDomain) : 0,
            Country = attempt.Country is null ? 0 : Hashing.OfFolded(attempt.Country, CountryDomain),
            Agent = agent.Agent,
            Browser = agent.Browser,
            Os = agent.Os,
            Device = attempt.Device is null ? 0 : Hashing.Of(attempt.Device, DeviceDomain),
            Secret = secret,
            TenantSecret = secret == 0 || attempt.Tenant is null ? secret : Hashing.Combine(secret, Hashing.Of(attempt.Tenant, Hashing.TenantDomain)),
        };
    }

    /// <summary>
    /// The three keys of a user agent: its text without digits (browsers update every few weeks, and a version bump must
    /// not make a user's own phone look new; what remains, engine, platform and model names, tells two devices apart),
    /// browser family and OS, both classified from that same text. Cached by the first: a service sees a few thousand
    /// agents, many more strings once their versions count, and classifying one is a few dozen substring searches.
    /// </summary>
    /// <remarks>
    /// A direct-mapped cache of <see cref="CacheSize"/> immutable entries keyed by the digit-free text's hash, the key the
    /// store knows the agent by; a slot is replaced whole (a reference write is atomic, so threads share it without a
    /// lock; a lost race only costs a recomputation). Keyed by the whole string, as it was, a log whose agents carry a
    /// build number of their own on every account (the RBA dataset's do) missed on nearly every row, and classifying
    /// them took a third of replay's parsing thread (docs/BENCHMARKS.md, "Replay speed"; <c>AgentKeyBenchmarks</c>).
    /// </remarks>
    private sealed class AgentKeys(ulong agent, ulong browser, ulong os)
    {
        private const int CacheSize = 1 << 14;
        private static readonly AgentKeys?[] s_cache = new AgentKeys?[CacheSize];
        private static readonly AgentKeys s_absent = new(0, Hashing.Of("none", BrowserDomain), Hashing.Of("none", OsDomain));
        [ThreadStatic] private static char[]? t_text;

        public ulong Agent { get; } = agent;
        public ulong Browser { get; } = browser;
        public ulong Os { get; } = os;

        public static AgentKeys Of(string? userAgent)
        {
            if (userAgent is null) return s_absent;
            char[] buffer = t_text is { } mine && mine.Length >= userAgent.Length ? mine : (t_text = new char[Math.Max(512, userAgent.Length)]);
            ReadOnlySpan<char> text = buffer.AsSpan(0, AgentText.WithoutDigits(userAgent, buffer));
            ulong agent = Hashing.Of(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text), AgentDomain);
            int slot = (int)((agent >> 1) & (CacheSize - 1));   // bit 0 is always set
            AgentKeys? cached = s_cache[slot];
            if (cached is not null && cached.Agent == agent) return cached;
            UserAgentInfo info = userAgent.Length == 0 ? UserAgentInfo.Parse(userAgent) : UserAgentInfo.Classify(text);
            var computed = new AgentKeys(agent, Hashing.Of(info.Browser, BrowserDomain), Hashing.Of(info.Os, OsDomain));
            s_cache[slot] = computed;
            return computed;
        }
    }

    private EffectiveOptions OptionsFor(string? tenant) =>
        tenant is not null && _tenants.TryGetValue(tenant, out EffectiveOptions? o) ? o : _defaults;

    private async ValueTask<(SignalSnapshot, bool Failed)> ObserveAsync(SignalRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return (await _store.ObserveAsync(request, cancellationToken).ConfigureAwait(false), false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SignalStoreFailed(_logger, ex);
            return (default, true);
        }
    }

    private bool TryObserve(ISynchronousSignalStore store, in SignalRequest request, out SignalSnapshot signals)
    {
        try
        {
            store.Observe(in request, out signals);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SignalStoreFailed(_logger, ex);
            signals = default;
            return false;
        }
    }

    private void RunDetectors(in DetectionContext context, List<Finding> findings, bool storeFailed)
    {
        if (storeFailed)
            findings.Add(FailureFinding(context, ReasonCode.SignalStoreUnavailable, "The signal store could not be reached; this answer comes from the failure policy."));
        // Each detector by its own sealed type: the JIT inlines Run at seven places and calls each detector directly.
        // One virtual call site for all seven held 4-5 % of replay's engine thread, on the call itself.
        Run(_familiarity, in context, findings);
        Run(_spraying, in context, findings);
        Run(_stuffing, in context, findings);
        Run(_bruteForce, in context, findings);
        Run(_global, in context, findings);
        Run(_shared, in context, findings);
        Run(_ring, in context, findings);
    }

    /// <summary>Runs one detector; one that throws is reported, and the others still run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Run(Detector detector, in DetectionContext context, List<Finding> findings)
    {
        try
        {
            detector.Detect(in context, findings);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.DetectorFailed(_logger, detector.Name, ex);
            findings.Add(FailureFinding(context, ReasonCode.DetectorFailed, $"The {detector.Name} check failed; this answer follows the failure policy."));
        }
    }

    private Finding FailureFinding(in DetectionContext context, ReasonCode code, string message)
    {
        FindingAction action = _failMode == FailMode.FailOpen ? FindingAction.None
            : context.IsPreAuth ? FindingAction.Challenge
            : context.IsSuccess ? FindingAction.StepUp
            : FindingAction.None;
        return new Finding(code, _failMode == FailMode.FailOpen ? 0 : 0.5, action, message);
    }

    private static void AddBreachFinding(List<Finding> findings, FamiliarityScore familiarity, EffectiveOptions options, OutcomeDetails details)
    {
        bool risky = familiarity.NeedsStepUp(options.StepUpLogRatio) || HasAttackEvidence(findings);
        string count = details.BreachCount is long n ? string.Create(CultureInfo.InvariantCulture, $" ({n:N0} times)") : "";
        string message = $"The password appears in a breach corpus{count}; the account must change it." +
            (risky ? " With an unfamiliar environment or an open attack, the login is a likely takeover." : "");
        FindingAction action = !risky ? FindingAction.None
            : HasAttackEvidence(findings) ? FindingAction.Deny
            : FindingAction.StepUp;
        findings.Add(new Finding(ReasonCode.BreachedPassword, risky ? 0.7 : 0.3, action, message));
    }

    /// <param name="onTheSecret">Only evidence that the secret itself was guessed or tried from a list (not a takeover
    /// ring, which is about the environment: a VPN's exit shared by customers can look like one).</param>
    private static bool HasAttackEvidence(List<Finding> findings, bool onTheSecret = false)
    {
        foreach (Finding f in findings)
        {
            if (f.Weight >= 0.5 && (f.Code is ReasonCode.SprayedSecret or ReasonCode.CampaignSecret or ReasonCode.StuffingSource
                or ReasonCode.BruteForce or ReasonCode.UnfamiliarPathLocked || (!onTheSecret && f.Code == ReasonCode.TakeoverRing)))
                return true;
        }
        return false;
    }

    /// <param name="countedAtPreAuth">The campaigns this attempt's pre-auth already counted it in: its outcome adds
    /// what the outcome tells (a success, a failing secret) but not the attempt again.</param>
    private Decision Decide(in DetectionContext context, List<Finding> findings, bool success, IReadOnlyList<string> countedAtPreAuth)
    {
        if (findings.Count == 0) return context.Familiarity.FamiliarContext ? AllowFamiliar : AllowDecision;
        double keep = 1;
        FindingAction strongest = FindingAction.None;
        foreach (Finding f in findings)
        {
            keep *= 1 - f.Weight;
            if (f.Action > strongest) strongest = f.Action;
        }
        double score = Math.Round(1 - keep, 4);
        Verdict verdict = (context.Phase, strongest) switch
        {
            (_, FindingAction.Deny) => Verdict.Deny,
            (ObservationPhase.PreAuth, FindingAction.Challenge or FindingAction.StepUp) => Verdict.Challenge,
            (ObservationPhase.Outcome, FindingAction.StepUp or FindingAction.Challenge) when success => Verdict.StepUp,
            _ => Verdict.Allow,
        };

        // Campaigns: each finding that names one counts the attempt once per campaign, and once per login: a login is
        // assessed twice (pre-auth, outcome), often with the same campaign's finding both times.
        List<string>? campaignIds = null;
        foreach (Finding f in findings)
        {
            if (f.Campaign is not CampaignKey key) continue;
            string? id = f.JoinsOnly
                ? Campaigns.CountIfOpen(key, context.Attempt, context.Keys, success, verdict.ToWireName(), countedAtPreAuth)
                : Campaigns.Count(key, context.Attempt, context.Keys, success, verdict.ToWireName(), f.CampaignKind, countedAtPreAuth);
            if (id is null) continue;
            campaignIds ??= [];
            if (!campaignIds.Contains(id)) campaignIds.Add(id);
        }

        if (Terse && campaignIds is null && findings.Count == 1 && !(context.Options.MonitorOnly && verdict != Verdict.Allow))
            return SingleReason(findings[0], verdict, score, context.Familiarity.FamiliarContext);

        bool monitored = context.Options.MonitorOnly && verdict != Verdict.Allow;
        // An array, as Decision keeps its reasons (a list would be copied into one).
        var reasons = new Reason[findings.Count + (monitored ? 1 : 0)];
        int count = 0;
        // Strongest first; a stable insertion sort, as there are rarely more than four findings.
        for (int i = 1; i < findings.Count; i++)
        {
            Finding item = findings[i];
            int j = i - 1;
            for (; j >= 0 && findings[j].Weight < item.Weight; j--) findings[j + 1] = findings[j];
            findings[j + 1] = item;
        }
        foreach (Finding f in findings)
        {
            if (!HasCode(reasons.AsSpan(0, count), f.Code)) reasons[count++] = new Reason(f.Code, f.Message);
        }
        Verdict enforced = verdict;
        if (monitored)
        {
            enforced = Verdict.Allow;
            reasons[count++] = new Reason(ReasonCode.MonitorOnly, $"Monitor-only mode: the policy would have answered {verdict.ToWireName()}.");
        }
        if (count < reasons.Length) Array.Resize(ref reasons, count);   // findings of one code, one reason
        return new Decision
        {
            Verdict = enforced, PolicyVerdict = verdict, Score = score, Reasons = reasons,
            CampaignIds = (IReadOnlyList<string>?)campaignIds ?? [], Familiar = context.Familiarity.FamiliarContext,
        };
    }

    // Terse decisions with one reason, shared: most logins behind a carrier NAT say only "shared_address" (an
    // allow with score 0), so a replay would otherwise allocate the same decision hundreds of thousands of times.
    // Indexed by reason, verdict and familiarity; an entry is used only for the same score and message (the
    // message is "" or a constant in terse mode). Slots are replaced whole, so threads share them without a lock.
    private static readonly int s_reasonCodes = Enum.GetValues<ReasonCode>().Max(c => (int)c) + 1;
    private readonly Decision?[] _singleReason = new Decision?[s_reasonCodes * 8];

    private Decision SingleReason(in Finding finding, Verdict verdict, double score, bool familiar)
    {
        int slot = ((int)finding.Code * 4 + (int)verdict) * 2 + (familiar ? 1 : 0);
        Decision? cached = _singleReason[slot];
        if (cached is not null && cached.Score == score && ReferenceEquals(cached.Reasons[0].Message, finding.Message))
            return cached;
        var decision = new Decision
        {
            Verdict = verdict, PolicyVerdict = verdict, Score = score, Reasons = new[] { new Reason(finding.Code, finding.Message) },
            CampaignIds = [], Familiar = familiar,
        };
        _singleReason[slot] = decision;
        return decision;
    }

    private static bool HasCode(ReadOnlySpan<Reason> reasons, ReasonCode code)
    {
        foreach (Reason r in reasons)
            if (r.Code == code) return true;
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Detector {Detector} failed; the failure policy decided.")]
        public static partial void DetectorFailed(ILogger logger, string detector, Exception exception);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "The signal store failed; the failure policy decided.")]
        public static partial void SignalStoreFailed(ILogger logger, Exception exception);
    }
}
