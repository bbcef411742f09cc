using System.ComponentModel.DataAnnotations;

namespace Mamori;

/// <summary>What the engine does when a part of it (a detector, the signal store, storage) fails.</summary>
public enum FailMode : byte
{
    /// <summary>Allow the login, with a reason saying the check could not run. Availability first.</summary>
    FailOpen,
    /// <summary>Challenge (pre-auth) or step up (outcome). The default: no login hangs and none slips through unchecked.</summary>
    FailChallenge,
}

/// <summary>
/// Everything the engine can be told. Bound from configuration section <c>Mamori</c>; validated when the host starts
/// (<see cref="MamoriOptionsValidator"/>), never on the first login. Options are copied when the engine is built, so
/// later edits cannot change a running engine.
/// </summary>
public sealed class MamoriOptions
{
    /// <summary>Record what would have been done and allow everything. For a first week in production.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool MonitorOnly { get; set; }

    /// <summary>What a failing detector or store leads to.</summary>
    /// <value>The default is <see cref="FailMode.FailChallenge"/>.</value>
    public FailMode FailMode { get; set; } = FailMode.FailChallenge;

    /// <summary>Password spraying and reverse brute force: one secret against many accounts.</summary>
    public SprayingOptions Spraying { get; set; } = new();

    /// <summary>Credential stuffing: sources that touch many accounts and mostly fail.</summary>
    public StuffingOptions Stuffing { get; set; } = new();

    /// <summary>Vertical brute force and smart lockout.</summary>
    public BruteForceOptions BruteForce { get; set; } = new();

    /// <summary>Risk-based authentication: how new an environment is for the account.</summary>
    public FamiliarityOptions Familiarity { get; set; } = new();

    /// <summary>Failure and unknown-account rates of the whole service against their own baseline.</summary>
    public GlobalAnomalyOptions GlobalAnomaly { get; set; } = new();

    /// <summary>Shared addresses (carrier-grade NAT, offices) that must not be throttled as a whole.</summary>
    public SharedAddressOptions SharedAddress { get; set; } = new();

    /// <summary>Campaign lifetime.</summary>
    public CampaignOptions Campaigns { get; set; } = new();

    /// <summary>Memory bounds of the in-memory signal store.</summary>
    public SignalStoreOptions Signals { get; set; } = new();

    /// <summary>Per-tenant overrides, keyed by tenant id. Unset values inherit from the global options.</summary>
    public Dictionary<string, TenantOptions> Tenants { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Thresholds for one secret tried against many accounts (spraying, reverse brute force).</summary>
public sealed class SprayingOptions
{
    /// <summary>Distinct accounts one secret fingerprint may fail against within <see cref="ShortWindow"/> before it counts as sprayed.</summary>
    /// <remarks>A typo fails on one account; "1234" failing on 300 in an hour is an attack. Too high and a campaign
    /// runs longer before it is seen; too low and a family sharing a PIN, or a popular password forgotten by a few
    /// users at once, is flagged. Flagging only challenges unfamiliar contexts; familiar devices are never denied for it.</remarks>
    /// <value>The default is 12 accounts.</value>
    [Range(2, 1_000_000)] public int DistinctAccountThreshold { get; set; } = 12;

    /// <summary>How far back the short count reaches.</summary>
    /// <value>The default is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:02:00", "1.00:00:00")] public TimeSpan ShortWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Distinct accounts one fingerprint may fail against within <see cref="LongWindow"/>: low-and-slow spraying.</summary>
    /// <remarks>The Strontium campaign ran for weeks at rates no hourly counter sees.</remarks>
    /// <value>The default is 30 accounts.</value>
    [Range(2, 1_000_000)] public int LongDistinctAccountThreshold { get; set; } = 30;

    /// <summary>How far back the long count reaches.</summary>
    /// <value>The default is 7 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")] public TimeSpan LongWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Accounts a sprayed fingerprint must fail against before it weighs as near-certain evidence in the score (it still only challenges: a dormant real user may own the popular password).</summary>
    /// <value>The default is 50 accounts.</value>
    [Range(2, 1_000_000)] public int DenyThreshold { get; set; } = 50;
}

/// <summary>Thresholds for sources that touch many accounts (credential stuffing).</summary>
public sealed class StuffingOptions
{
    /// <summary>Distinct accounts one IP address may try within <see cref="Window"/> before its failure ratio is judged.</summary>
    /// <value>The default is 8 accounts.</value>
    [Range(2, 100_000)] public int IpDistinctAccountThreshold { get; set; } = 8;

    /// <summary>Distinct accounts one /24 (IPv6 /48) may try within the window before its failure ratio is judged.</summary>
    /// <value>The default is 20 accounts.</value>
    [Range(2, 100_000)] public int SubnetDistinctAccountThreshold { get; set; } = 20;

    /// <summary>Failed attempts of one ASN or user agent within the window before its failure ratio is compared with its own baseline.</summary>
    /// <value>The default is 40 failures.</value>
    [Range(5, 10_000_000)] public int AggregateFailureThreshold { get; set; } = 40;

    /// <summary>Share of failed attempts (wrong secret or unknown account) that marks a source as abusive.</summary>
    /// <remarks>Real users fail about one login in ten; stuffing fails 98 in 100.</remarks>
    /// <value>The default is 0.7.</value>
    [Range(0.1, 1.0)] public double FailureRatio { get; set; } = 0.7;

    /// <summary>
    /// Failures on other accounts an address must have had over the shared-address window (days), with nothing but
    /// failures from it and nobody getting in, for a success from it without a device token, in a context new to the
    /// account, to be stepped up as a slow stuffing bot, back on its address or on its next line of the list. Failures
    /// within the last <see cref="Window"/> count only when the address tried another account in it.
    /// </summary>
    /// <remarks>A residential-proxy pool of millions of addresses comes back to each one rarely: most of a slow run's
    /// hits come from an address that failed once before. A customer's own failures on the address are not counted
    /// (ADR 0017); an address anyone got in from is never judged.</remarks>
    /// <value>The default is 1 failure.</value>
    [Range(1, 1000)] public int FailingOnlyAddressFailures { get; set; } = 1;

    /// <summary>How far back source counts reach.</summary>
    /// <value>The default is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:02:00", "1.00:00:00")] public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Vertical brute force and smart lockout.</summary>
public sealed class BruteForceOptions
{
    /// <summary>Distinct wrong secrets from unfamiliar contexts after which the account's unfamiliar path is locked.</summary>
    /// <remarks>The same wrong secret twice counts once (a user retrying what they believe is right is not guessing).
    /// Familiar devices are counted apart and never locked out, so an attacker cannot lock the real user out.</remarks>
    /// <value>The default is 10.</value>
    [Range(2, 10_000)] public int UnfamiliarThreshold { get; set; } = 10;

    /// <summary>Distinct wrong secrets from the account's familiar devices after which those get a challenge (never a deny).</summary>
    /// <value>The default is 25.</value>
    [Range(2, 10_000)] public int FamiliarThreshold { get; set; } = 25;

    /// <summary>How far back wrong secrets count.</summary>
    /// <value>The default is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:02:00", "7.00:00:00")] public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Distinct wrong secrets from unfamiliar contexts since the account last logged in normally (no window) after
    /// which a success from an unfamiliar context steps up: the guess may have worked.
    /// </summary>
    /// <remarks>The hourly <see cref="UnfamiliarThreshold"/> does not see a guesser who stays under it: nine PINs an
    /// hour is over two hundred a day. These counts run until the account's own user gets in.</remarks>
    /// <value>The default is 10.</value>
    [Range(2, 60_000)] public int SinceSuccessStepUpThreshold { get; set; } = 10;

    /// <summary>As <see cref="SinceSuccessStepUpThreshold"/>, after which every attempt from an unfamiliar context gets a challenge first.</summary>
    /// <value>The default is 30.</value>
    [Range(2, 60_000)] public int SinceSuccessChallengeThreshold { get; set; } = 30;

    /// <summary>As <see cref="SinceSuccessStepUpThreshold"/>, after which the unfamiliar path is locked until the account's own user gets in.</summary>
    /// <remarks>NIST SP 800-63B §5.2.2: no more than 100 consecutive failed attempts on one account.</remarks>
    /// <value>The default is 100.</value>
    [Range(2, 60_000)] public int SinceSuccessLockThreshold { get; set; } = 100;
}

/// <summary>The likelihood-ratio model of Freeman et al. (NDSS 2016).</summary>
public sealed class FamiliarityOptions
{
    /// <summary>log10 of the likelihood ratio (attack vs this user) above which a successful login steps up.</summary>
    /// <remarks>3 means the environment is a thousand times likelier under the population than under the account's
    /// own history: a new device and network for a user with a steady history; a new IP in the usual ISP stays below.</remarks>
    /// <value>The default is 3.0.</value>
    [Range(0.0, 20.0)] public double StepUpLogRatio { get; set; } = 3.0;

    /// <summary>Smoothing weight of the back-off from a level of the hierarchy to the next (IP → ASN → country; UA → browser → OS).</summary>
    /// <value>The default is 1.0.</value>
    [Range(0.01, 100.0)] public double Smoothing { get; set; } = 1.0;

    /// <summary>Days on which an environment that was stepped up, but never confirmed, must succeed before it is learned
    /// (from then on, each of its successes is; ADR 0037).</summary>
    /// <remarks>A confirmed step-up (or an operator's trust) teaches at once. Without confirmation (replayed logs), a new
    /// phone that comes back on another day is the user's: a takeover's party rarely returns in the same environment,
    /// while a user's new phone is used daily. Three days (the default until 2026-12) held a replay's new phones up
    /// about twice as often for no takeover more stopped (ADR 0003).</remarks>
    /// <value>The default is 2 days.</value>
    [Range(1, 60)] public int UnconfirmedLearnDays { get; set; } = 2;

    /// <summary>Days after a success held up for attack evidence (a stuffing, spraying or guessing hit) during which the
    /// account's secret counts as exposed: a success from a context the account does not know steps up
    /// (<c>exposed_secret</c>) and is learned as any stepped-up success is (on its second day). 0 turns it off.</summary>
    /// <remarks>A checker validates a list and the buyer logs in later, from its own devices and often through proxies
    /// in the victim's country, with the victim's browser string: hours to days later, in another environment than the
    /// hit. The account's own devices and usual network still get in. A passed step-up (or an operator's cancel of a
    /// requested one) ends it.</remarks>
    /// <value>The default is 30 days.</value>
    [Range(0, 365)] public int ExposedSecretDays { get; set; } = 30;

    /// <summary>Whether a success without a device token, for an account with three or more logins, from a network new to
    /// it that carries under 0.1 % of the service's logins steps up.</summary>
    /// <remarks>A phishing kit's or a bot's server at a hosting provider, in the victim's own country and with the victim's
    /// own browser string, is otherwise allowed when the log has no device tokens. The cost is a customer's first visit,
    /// without the device cookie, to a small ISP (a hotel's, a café's): about 0.6 points more legitimate logins stepped
    /// up on a tokenless log where 3 % of logins come from such places (docs/BENCHMARKS.md). Turn it off for a
    /// population spread over many small ISPs that sends no device tokens.</remarks>
    /// <value>The default is true.</value>
    public bool StepUpRareNetwork { get; set; } = true;

    /// <summary>Whether a success from a script's user agent (an HTTP library's default, such as python-requests, curl
    /// or Go-http-client, or a headless browser's), in an environment the account does not know, steps up.</summary>
    /// <remarks>People log in with browsers and apps; credential-stuffing and spraying tools often keep their library's
    /// string. An account whose owner runs their own script learns it like any environment (the step-up passed, or it
    /// comes back on another day), and a device the account knows is never held up for its string. Not okhttp: many
    /// Android apps send its default. Turn it off for a service whose customers log in through scripts of their own.</remarks>
    /// <value>The default is true.</value>
    public bool StepUpAutomationClients { get; set; } = true;

    /// <summary>Whether a success from a compute cloud's or server host's network (AWS, Azure, Google Cloud,
    /// DigitalOcean, Hetzner, OVHcloud, SAKURA Internet…) the account never logged in from steps up, whatever its history
    /// (a first login too): in an environment the account does not know, and on a device it knows or trusts as well (its
    /// token carried off to a server: an infostealer's, a phishing kit's session replay; ADR 0024).</summary>
    /// <remarks>An adversary-in-the-middle phishing kit and a checker's bot run on rented servers in the victim's own
    /// country, with the victim's own browser string and no device cookie: on an account with little history nothing
    /// else tells them from its owner. People log in from ISPs and carriers; the few who log in from a cloud (a company
    /// whose traffic leaves through Azure, a trader's script on a server) are stepped up once and learned like any new
    /// environment. Commercial VPNs' and privacy relays' networks are not in the list. Needs the attempt's ASN (the
    /// caller's, or from an ASN database, <c>--geoip</c>).</remarks>
    /// <value>The default is true.</value>
    public bool StepUpHostingNetworks { get; set; } = true;

    /// <summary>ASNs to treat as hosting networks besides the built-in list (a local cloud, a bulletproof host seen in an
    /// incident), as numbers or <c>"AS64500"</c>.</summary>
    /// <value>The default is none.</value>
    public IList<string> HostingAsns { get; set; } = [];

    /// <summary>ASNs to take out of the built-in hosting list: a network the service's own customers log in from (a
    /// corporate customer whose traffic leaves through Azure), as numbers or <c>"AS8075"</c>.</summary>
    /// <value>The default is none.</value>
    public IList<string> NotHostingAsns { get; set; } = [];

    /// <summary>
    /// Speed above which a login is impossible travel: from the country of the account's last learned success to a
    /// country it never logged in from, faster than this. 0 turns the check off.
    /// </summary>
    /// <remarks>An airliner cruises at ~900 km/h, and a journey with its airports averages far less. Countries are
    /// placed at their centres (<see cref="Network.CountryLocations"/>) unless the operator's data says better.</remarks>
    /// <value>The default is 1,000 km/h.</value>
    [Range(0.0, 100_000.0)] public double ImpossibleTravelSpeedKmh { get; set; } = 1000;

    /// <summary>Distance below which no travel is impossible: neighbouring countries' centres are rough, and a border
    /// region's users cross it daily.</summary>
    /// <value>The default is 500 km.</value>
    [Range(0.0, 20_000.0)] public double ImpossibleTravelMinimumKm { get; set; } = 500;
}

/// <summary>The global failure and unknown-account rates.</summary>
public sealed class GlobalAnomalyOptions
{
    /// <summary>Length of one rate bucket.</summary>
    /// <value>The default is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")] public TimeSpan Bucket { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts a bucket needs before its rates are judged (small buckets are noise; a z-score guards the rest).</summary>
    /// <value>The default is 20.</value>
    [Range(10, 10_000_000)] public int MinimumAttempts { get; set; } = 20;

    /// <summary>How many times the baseline rate (at least) marks a spike.</summary>
    /// <value>The default is 3.</value>
    [Range(1.2, 100.0)] public double Factor { get; set; } = 3.0;

    /// <summary>Weight of the newest bucket in the moving baseline (exponentially weighted).</summary>
    /// <value>The default is 0.05 (about a 20-bucket memory).</value>
    [Range(0.001, 0.5)] public double BaselineWeight { get; set; } = 0.05;
}

/// <summary>Shared addresses.</summary>
public sealed class SharedAddressOptions
{
    /// <summary>Distinct accounts that succeeded from one address over <see cref="Window"/> that make it a shared address.</summary>
    /// <remarks>Japanese carriers put thousands of subscribers behind one CGNAT address; an attacker rarely owns 20
    /// accounts' right secrets from one address (one that does, failing as stuffing does or new to every account it
    /// logs into, is not counted shared).</remarks>
    /// <value>The default is 20.</value>
    [Range(3, 1_000_000)] public int DistinctSuccessfulAccounts { get; set; } = 20;

    /// <summary>How far back successes count.</summary>
    /// <value>The default is 7 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")] public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Distinct accounts one device or non-shared address may newly log into within the window before it is a takeover ring.</summary>
    /// <value>The default is 3.</value>
    [Range(2, 1000)] public int TakeoverRingAccounts { get; set; } = 3;

    /// <summary>
    /// Networks the operator knows are shared by many customers, as CIDR blocks or single addresses
    /// (<c>"203.0.113.0/24"</c>, <c>"2001:db8:40::/48"</c>, <c>"198.51.100.7"</c>): an account aggregator's servers, a
    /// corporate proxy, a carrier's NAT pool. An address in one is a shared address from its first login: never
    /// throttled as a whole and never a takeover ring. Each login from it is still judged on its account's history.
    /// </summary>
    /// <remarks>Only for parties the operator knows: an address listed here is trusted not to be an attack's source.</remarks>
    /// <value>The default is none.</value>
    public IList<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// Servers of third parties the operator lets log in with its customers' credentials on their behalf, as CIDR blocks
    /// or single addresses: an account aggregator, a PSD2 account-information or payment-initiation service, a
    /// portfolio tracker. A login from one is the partner acting for the customer, not the customer's own device: it is
    /// not stepped up for its environment (a server's network, a script's user agent, a network or country new to the
    /// account), never counts towards a takeover ring, and teaches the account's history nothing (so a phishing kit on
    /// the same cloud later is still new to the account). Evidence against the secret itself (a sprayed or stuffed
    /// secret, brute force, a secret already used in an attack) still holds it up: a partner fed stolen credentials is
    /// a stuffing oracle.
    /// </summary>
    /// <remarks>Only for parties the operator has an agreement with: whoever submits credentials from these addresses
    /// passes the environment checks, so a partner whose form a phisher feeds (or a compromised partner) is trusted too
    /// (ADR 0039).</remarks>
    /// <value>The default is none.</value>
    public IList<string> PartnerNetworks { get; set; } = [];
}

/// <summary>Campaign lifetime.</summary>
public sealed class CampaignOptions
{
    /// <summary>A campaign with no attempt for this long is closed.</summary>
    /// <value>The default is 6 hours.</value>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")] public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Closed campaigns kept in memory for the API (older ones live in storage).</summary>
    /// <value>The default is 1,000.</value>
    [Range(1, 1_000_000)] public int ClosedKept { get; set; } = 1_000;
}

/// <summary>Memory bounds of the in-memory signal store. Cold keys are evicted when a table is full.</summary>
public sealed class SignalStoreOptions
{
    /// <summary>Source keys (addresses, /24s, ASNs, user agents, devices) tracked at once; about 100 bytes each.</summary>
    /// <value>The default is 2,000,000 (about 200 MiB).</value>
    [Range(1_000, 200_000_000)] public int MaxSources { get; set; } = 2_000_000;

    /// <summary>Secret fingerprints tracked at once; about 110 bytes each.</summary>
    /// <value>The default is 1,000,000.</value>
    [Range(1_000, 100_000_000)] public int MaxSecrets { get; set; } = 1_000_000;

    /// <summary>Accounts whose history is held at once; a few hundred bytes each.</summary>
    /// <value>The default is 2,000,000.</value>
    [Range(1_000, 100_000_000)] public int MaxAccounts { get; set; } = 2_000_000;
}

/// <summary>Overrides for one tenant; null inherits.</summary>
public sealed class TenantOptions
{
    /// <summary>Monitor-only for this tenant.</summary>
    public bool? MonitorOnly { get; set; }

    /// <summary>Spraying threshold for this tenant.</summary>
    [Range(2, 1_000_000)] public int? SprayingDistinctAccountThreshold { get; set; }

    /// <summary>Smart-lockout threshold for this tenant.</summary>
    [Range(2, 10_000)] public int? BruteForceUnfamiliarThreshold { get; set; }

    /// <summary>Familiarity step-up threshold for this tenant.</summary>
    [Range(0.0, 20.0)] public double? FamiliarityStepUpLogRatio { get; set; }
}
