using System.Diagnostics;
using Mamori.Policy;

namespace Mamori.Cli.Replay;

/// <summary>How strongly a successful login in an old log looks like a takeover.</summary>
internal enum TakeoverConfidence : byte
{
    /// <summary>Not a takeover by what the engine saw.</summary>
    None,
    /// <summary>
    /// The owner's environment, but the password it used was being sprayed: the account is not taken, its password
    /// is in the attackers' list. Force a change.
    /// </summary>
    ExposedPassword,
    /// <summary>Not the owner's environment, and the engine would have held it up with attack evidence: review.</summary>
    Medium,
    /// <summary>
    /// A ring's device or address, or an environment new to the account together with evidence of an attack on this
    /// very login (its secret sprayed, its source stuffing, brute force): treat as taken until the owner confirms.
    /// </summary>
    High,
}

internal static class TakeoverConfidenceNames
{
    /// <summary>Wire names in the report. Never rename one: analysts' scripts filter on them.</summary>
    public static string ToWireName(this TakeoverConfidence confidence) => confidence switch
    {
        TakeoverConfidence.High => "high",
        TakeoverConfidence.Medium => "medium",
        TakeoverConfidence.ExposedPassword => "exposed_password",
        TakeoverConfidence.None => "none",
        _ => throw new UnreachableException($"TakeoverConfidence {confidence} has no wire name."),
    };
}

/// <summary>
/// Sorts the successful logins of a replayed log into the analyst's lists: likely takeovers (high, then medium) and
/// accounts whose password is exposed.
/// </summary>
/// <remarks>
/// <para>The question differs from the live one. Live, the engine asks "may this login go on?" and a spike or a
/// sprayed password is reason enough to ask for a second factor. In the morning the analyst asks "which accounts did
/// the attacker get?", and a list that names every customer whose password happens to be "Password1" buries the
/// few real ones. So the triage weighs what the engine found about the login itself:</para>
/// <list type="bullet">
/// <item>A familiar context (the account's own device, or its usual network and browser) is the owner, whatever the
/// password: not a takeover; if the password was being sprayed, it is exposed.</item>
/// <item>A service-wide failure spike says nothing about one login: it counts only beside an unfamiliar environment,
/// or for a login without a device token that the engine held up, and then only as medium.</item>
/// </list>
/// Measured (docs/replay.md): on the simulator's attack-dense log 97 % of "high" accounts were taken, on its log of
/// 300,000 mostly quiet users 35 % (and "medium" about one in twenty-five); on logs written by others, 80–99 %.
/// </remarks>
internal static class TakeoverTriage
{
    /// <summary>Evidence that this login's secret was under attack (a ring is about where it came from, not its secret).</summary>
    internal static readonly ReasonCode[] AttackOnTheSecret =
    [
        ReasonCode.CampaignSecret, ReasonCode.SprayedSecret, ReasonCode.StuffingSource,
        ReasonCode.BruteForce, ReasonCode.UnfamiliarPathLocked, ReasonCode.BreachedPassword,
    ];

    /// <summary>The confidence for one successful login's assessment.</summary>
    /// <param name="a">The engine's two halves.</param>
    /// <param name="withDevice">Whether the login carried a device token.</param>
    public static TakeoverConfidence Classify(in EventAssessment a, bool withDevice = true)
    {
        bool secretAttack = Has(a, AttackOnTheSecret);
        if (a.Outcome.Familiar)
            return secretAttack && (Has(a, ReasonCode.SprayedSecret) || Has(a, ReasonCode.CampaignSecret)) ? TakeoverConfidence.ExposedPassword : TakeoverConfidence.None;
        bool unfamiliar = TakeoverTriage.Unfamiliar(a.Outcome);
        Verdict combined = a.Combined;
        // A ring alone (an address or a device that several accounts' first or new logins came through) is medium
        // unless the engine denied it (a device in twice the ring's accounts): on logs not written here, a VPN's or
        // a cloud gateway's exit at the start of a replay, when no account has history yet, looked the same, and
        // nearly every such "high" account was its owner (docs/adr/0025).
        bool ring = Has(a, ReasonCode.TakeoverRing);
        bool attack = secretAttack || ring;
        if ((secretAttack && unfamiliar) || (attack && combined == Verdict.Deny)) return TakeoverConfidence.High;
        // During a spike, a login without a device token that the engine held up (nothing vouched for it: no history
        // it fits, an address nobody succeeds from) is what stuffing's takeovers of dormant accounts look like.
        bool spike = Has(a, ReasonCode.GlobalFailureSpike);
        // An account whose secret an attack got lately, reached from an environment not its own: the buyer of the hit,
        // or the owner on a new phone (only the owner can tell).
        bool exposed = Has(a, ReasonCode.ExposedSecret);
        if (combined != Verdict.Allow && (attack || exposed || (spike && (unfamiliar || !withDevice)))) return TakeoverConfidence.Medium;
        return TakeoverConfidence.None;
    }

    /// <summary>Whether the engine found the login's environment new to the account, or the journey to it impossible.</summary>
    internal static bool Unfamiliar(Decision outcome) => outcome.Has(ReasonCode.UnfamiliarEnvironment) || outcome.Has(ReasonCode.ImpossibleTravel);

    private static bool Has(in EventAssessment a, ReadOnlySpan<ReasonCode> codes)
    {
        foreach (ReasonCode code in codes)
            if (Has(a, code)) return true;
        return false;
    }

    private static bool Has(in EventAssessment a, ReasonCode code) => a.PreAuth.Has(code) || a.Outcome.Has(code);
}

/// <summary>One account on the analyst's list: its flagged successful logins, summed up.</summary>
internal sealed class TakeoverAccount(string account)
{
    /// <summary>Distinct source addresses kept per account.</summary>
    public const int MaxIps = 5;
    /// <summary>Line numbers of flagged logins kept per account.</summary>
    public const int MaxLines = 10;

    public string Account { get; } = account;
    public TakeoverConfidence Confidence { get; private set; }
    public int FirstLine { get; private set; } = int.MaxValue;
    public DateTimeOffset FirstAt { get; private set; } = DateTimeOffset.MaxValue;
    public DateTimeOffset LastAt { get; private set; } = DateTimeOffset.MinValue;
    /// <summary>Successful logins flagged as a likely takeover (medium or high).</summary>
    public int Logins { get; private set; }
    /// <summary>The owner's successful logins with a password being sprayed.</summary>
    public int ExposedLogins { get; private set; }
    public double MaxScore { get; private set; }
    /// <summary>Whether a flagged login came from an address that is not shared (not a carrier's CGNAT, not an office).</summary>
    public bool FromOwnAddress { get; private set; }
    /// <summary>Whether a flagged login came from an environment new to the account.</summary>
    public bool Unfamiliar { get; private set; }
    public Verdict Strictest { get; private set; }
    public List<string> Ips { get; } = [];
    public List<int> Lines { get; } = [];
    public SortedSet<string> Evidence { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Campaigns { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Later days (UTC) on which the environment of the account's first flagged login succeeded again: its device
    /// token, or without one its address. See <see cref="CameBack"/>.
    /// </summary>
    public int DaysBack { get; private set; }

    /// <summary>
    /// The first flagged login's environment succeeded on <see cref="CameBackDays"/> later days or more: it became one
    /// of the account's own, as an owner's new phone or laptop does. Most thieves' hits are a login or a day's logins.
    /// Such accounts go after the others of their confidence (docs/replay.md): on every log measured they were taken
    /// far less often.
    /// </summary>
    public bool CameBack => DaysBack >= CameBackDays;

    /// <summary>Later days of the first flagged environment that make it the account's own (<see cref="CameBack"/>).</summary>
    public const int CameBackDays = 2;

    // The first flagged login's environment and the last day it was counted on.
    private string? _device;
    private System.Net.IPAddress? _address;
    private long _day;

    /// <summary>Another successful login of the account, flagged or not, in file order: counts a later day of the
    /// first flagged login's environment.</summary>
    public void Succeeded(Events.LoginAttempt attempt)
    {
        if (_device is null && _address is null) return;
        bool same = _device is not null ? string.Equals(attempt.Device, _device, StringComparison.Ordinal)
            : attempt.Device is null && attempt.Ip.Equals(_address);
        long day = attempt.Timestamp.UtcTicks / TimeSpan.TicksPerDay;
        if (!same || day <= _day) return;
        DaysBack++;
        _day = day;
    }

    /// <summary>
    /// Every flagged login came through one client on a hosting network that went on to log into the same accounts day
    /// after day (<see cref="HostingNetworksSeen.IsReturningClient"/>): an aggregator's connector, not a thief. Set by
    /// <see cref="ReplayResult.LikelyTakeovers"/> before it sorts; such accounts go last among their confidence.
    /// </summary>
    public bool ThroughReturningClient { get; internal set; }

    // The client (ASN and user agent) every flagged login came through; none once two differ or one lacks either.
    private int _clientAsn;
    private string? _clientAgent;
    private bool _clientMixed;

    /// <summary>The one client every flagged login came through, if any.</summary>
    public (int Asn, string Agent)? OneClient => _clientMixed || _clientAgent is null ? null : (_clientAsn, _clientAgent);

    private void NoteClient(int? asn, string? agent)
    {
        if (_clientMixed) return;
        if (asn is not int a || agent is null) _clientMixed = true;
        else if (_clientAgent is null) (_clientAsn, _clientAgent) = (a, agent);
        else if (a != _clientAsn || !string.Equals(agent, _clientAgent, StringComparison.Ordinal)) _clientMixed = true;
    }

    public void Add(TakeoverConfidence confidence, int line, DateTimeOffset at, System.Net.IPAddress ip, in EventAssessment a, string? device = null,
        int? asn = null, string? agent = null)
    {
        if (confidence == TakeoverConfidence.ExposedPassword) ExposedLogins++;
        else Logins++;
        if (confidence != TakeoverConfidence.ExposedPassword)
        {
            FromOwnAddress |= !a.PreAuth.Has(ReasonCode.SharedAddress) && !a.Outcome.Has(ReasonCode.SharedAddress);
            Unfamiliar |= TakeoverTriage.Unfamiliar(a.Outcome);
            NoteClient(asn, agent);
            if (_device is null && _address is null)
            {
                if (device is not null) _device = device;
                else _address = ip;
                _day = at.UtcTicks / TimeSpan.TicksPerDay;
            }
        }
        Note(confidence, line, at, ip, a.Score, a.Combined);
        Collect(a.PreAuth);
        Collect(a.Outcome);
    }

    /// <summary>
    /// A login the engine held up for its environment alone, listed at the end of the log because its address went on
    /// to fail on other accounts (<see cref="AddressHindsight"/>): medium confidence, from an address of its own.
    /// </summary>
    public void AddInHindsight(int line, DateTimeOffset at, System.Net.IPAddress ip, double score, Verdict combined, string[] evidence)
    {
        Logins++;
        _clientMixed = true;   // its address tried other accounts' passwords: no service's client
        FromOwnAddress = true;   // a shared address never waits (AddressHindsight.Waits)
        Unfamiliar = true;
        Note(TakeoverConfidence.Medium, line, at, ip, score, combined);
        foreach (string code in evidence) Evidence.Add(code);
    }

    /// <summary>What every flagged login adds: the confidence, its line, time, score, verdict and address.</summary>
    private void Note(TakeoverConfidence confidence, int line, DateTimeOffset at, System.Net.IPAddress ip, double score, Verdict combined)
    {
        if (confidence > Confidence) Confidence = confidence;
        if (line < FirstLine) FirstLine = line;
        if (at < FirstAt) FirstAt = at;
        if (at > LastAt) LastAt = at;
        MaxScore = Math.Max(MaxScore, score);
        if (combined > Strictest) Strictest = combined;
        if (Ips.Count < MaxIps)   // the text only while there is room for it
        {
            string text = Network.NetworkKeys.Normalise(ip).ToString();
            if (!Ips.Contains(text)) Ips.Add(text);
        }
        if (Lines.Count < MaxLines) Lines.Add(line);
    }

    /// <summary>Whether a takeover ring is all that flagged the account: no evidence against its secret, no exposure,
    /// no spike, nothing its addresses did later.</summary>
    public bool RingAlone => !Evidence.Overlaps(s_beyondRing);

    private static readonly string[] s_beyondRing =
    [
        .. TakeoverTriage.AttackOnTheSecret.Append(ReasonCode.ExposedSecret).Append(ReasonCode.GlobalFailureSpike).Select(code => code.ToWireName()),
        AddressHindsight.Evidence,
    ];

    /// <summary>
    /// Whether all the attack evidence is about the secret itself: it is being sprayed, a campaign tries it, a breach
    /// holds it, or an attack got it lately (with at most a new environment or a shared address beside it), and nothing
    /// about where the login came from: no stuffing source, no ring, no brute force on the account, no failure spike,
    /// no address that failed on others. That is an owner with a popular password on a new phone, seen from the engine;
    /// a sprayer's hit nearly always brings its source's evidence with it (docs/adr/0046).
    /// </summary>
    public bool SecretAlone => Evidence.Overlaps(s_secretUnderAttack) && Evidence.IsSubsetOf(s_secretAndEnvironment);

    private static readonly string[] s_secretUnderAttack =
    [
        ReasonCode.SprayedSecret.ToWireName(), ReasonCode.CampaignSecret.ToWireName(), ReasonCode.BreachedPassword.ToWireName(),
    ];

    private static readonly string[] s_secretAndEnvironment =
    [
        .. s_secretUnderAttack, ReasonCode.ExposedSecret.ToWireName(), ReasonCode.UnfamiliarEnvironment.ToWireName(), ReasonCode.SharedAddress.ToWireName(),
    ];

    /// <summary>
    /// For the order among medium accounts: 0 when the evidence is only the account's own failures before the success
    /// (brute force, with at most a new environment or a shared address: an owner who tried a few passwords looks the
    /// same), else 1.
    /// </summary>
    public int EvidenceTier => Evidence.IsSubsetOf(s_ownFailures) ? 0 : 1;

    private static readonly string[] s_ownFailures =
    [
        ReasonCode.BruteForce.ToWireName(), ReasonCode.UnfamiliarEnvironment.ToWireName(), ReasonCode.SharedAddress.ToWireName(),
    ];

    private void Collect(Decision decision)
    {
        foreach (Reason reason in decision.ReasonSpan) Evidence.Add(reason.Code.ToWireName());
        for (int i = 0; i < decision.CampaignIds.Count; i++) Campaigns.Add(decision.CampaignIds[i]);
    }

    /// <summary>More than one of the account's successful logins was flagged.</summary>
    public bool FlaggedAgain => Logins > 1;

    /// <summary>
    /// The report's order: most confident first; within a confidence, accounts flagged only through a service's
    /// returning client last, a ring alone just before them, and before each of those the accounts whose flagged
    /// environment came back on later days after the rest; among medium accounts, those flagged only for their own
    /// failures after the others; then the accounts whose only evidence is on their secret after the rest; among
    /// medium accounts, one flagged login before several; then accounts with a flagged login from an
    /// address of their own before those flagged only on shared ones, then those with a new environment, then higher
    /// score, earlier.
    /// </summary>
    /// <remarks>
    /// <para>A service's returning client last (<see cref="ThroughReturningClient"/>, ADR 0043): over twelve logs 9 of
    /// the 9,044 accounts its logins alone had listed were taken. A flagged environment that came back on later days
    /// after the rest (<see cref="CameBack"/>, ADR 0042): an owner's new phone, more often than a thief's.</para>
    /// <para>The secret alone after the rest (<see cref="SecretAlone"/>, ADR 0046): over 32 labelled logs 94 of 265
    /// such high accounts were taken (35 %) against 89 % of the other high ones, and 4.3 % of 4,704 such medium ones
    /// against 34 %.</para>
    /// <para>Never more flagged logins first: an owner who logs in daily with a sprayed or exposed password, or from a
    /// new phone not yet learned, is flagged again and again, and a thief's hit is often one login. Among medium accounts
    /// a single flagged login comes first (<see cref="FlaggedAgain"/>): on seven logs of nine that put more taken accounts
    /// in the first 100 (docs/replay.md). Not among high ones, where a thief who comes back after the hit (a phishing
    /// relay's later sessions) is as common as an owner flagged again.</para>
    /// <para>A ring alone after the rest (<see cref="RingAlone"/>): on logs written by others such accounts were
    /// nearly all owners who came through one VPN exit (docs/adr/0025). Just before them, accounts flagged only for their
    /// own failures (<see cref="EvidenceTier"/>): none of 682 such medium accounts on eight logs was taken (docs/replay.md).</para>
    /// <para>Shared addresses last: a customer whose popular password is being sprayed logs in from their carrier's
    /// CGNAT address, a stuffing or spraying tool from proxies. Measured on the simulator's 300,000-user log: of 4,825
    /// medium accounts flagged only on shared addresses 12 were taken; of 3,015 flagged elsewhere, 236.</para>
    /// </remarks>
    public static int Compare(TakeoverAccount x, TakeoverAccount y)
    {
        int c = ((byte)y.Confidence).CompareTo((byte)x.Confidence);
        if (c == 0) c = x.ThroughReturningClient.CompareTo(y.ThroughReturningClient);
        if (c == 0) c = x.RingAlone.CompareTo(y.RingAlone);
        if (c == 0) c = x.CameBack.CompareTo(y.CameBack);
        if (c == 0 && x.Confidence == TakeoverConfidence.Medium) c = y.EvidenceTier.CompareTo(x.EvidenceTier);
        if (c == 0) c = x.SecretAlone.CompareTo(y.SecretAlone);
        if (c == 0 && x.Confidence == TakeoverConfidence.Medium) c = x.FlaggedAgain.CompareTo(y.FlaggedAgain);
        if (c == 0) c = y.FromOwnAddress.CompareTo(x.FromOwnAddress);
        if (c == 0) c = y.Unfamiliar.CompareTo(x.Unfamiliar);
        if (c == 0) c = y.MaxScore.CompareTo(x.MaxScore);
        if (c == 0) c = x.FirstLine.CompareTo(y.FirstLine);
        return c;
    }
}
