using System.Runtime.CompilerServices;
using Mamori.Signals;

namespace Mamori.Detectors;

/// <summary>How new an attempt's environment is for its account.</summary>
/// <param name="LogRatio">log10 of the likelihood ratio population / account history; above 0 the population explains it better.</param>
/// <param name="HasHistory">Whether the account has any learned history (without one, nothing is unfamiliar).</param>
/// <param name="TrustedDevice">The device passed a step-up or was trusted by an operator.</param>
/// <param name="KnownDevice">The account has logged in from this device token before.</param>
/// <param name="Novelties">What is new, for the reason's message ("device", "network", "country", "browser").</param>
/// <param name="DeviceExpected">The account usually presents a device token, and this attempt brings none it knows.</param>
/// <param name="NewCountry">The account never logged in from this country, and either its history is long enough to say so or the service's users rarely log in from there.</param>
/// <param name="NewNetwork">The attempt brings no device token, neither its address nor its ASN is in the account's history (an account without history has neither), and the service's users almost never come from that ASN.</param>
/// <param name="TokenlessFromNewIsp">The account nearly always brings its device token, and this attempt brings none, from an ASN the account never logged in from; with fewer than three logins of history, also from a country it never used or an ASN rare for the service (<paramref name="NewNetwork"/>).</param>
/// <param name="Travel">Impossible travel from the account's last learned country (<see cref="ImpossibleTravel"/>); null when none.</param>
/// <param name="KnownAddress">The account has logged in from this very address before (its home line, its office).</param>
/// <param name="KnownNetworkAbroad">The account has used this ASN, but never from this country: a commercial VPN's or a cloud's exit in another country (a consumer ISP's addresses stay in its country).</param>
/// <param name="AutomationClient">A script's user agent (an HTTP library's default or a headless browser) in a context the
/// account does not know: set by the engine after scoring (<c>Familiarity:StepUpAutomationClients</c>).</param>
/// <param name="HostingAsn">The attempt's ASN is on the hosting list (<see cref="Network.HostingNetworks"/>, with the
/// operator's additions and removals), whatever the account knows: set by the engine after scoring, looked up once for
/// both halves of the login (stuffing judges such an ASN's failures without a baseline of its own).</param>
/// <param name="HostingNetwork">A compute cloud's or server host's network (<see cref="Network.HostingNetworks"/>) the account
/// never logged in from, in a context it does not know: set by the engine after scoring (<c>Familiarity:StepUpHostingNetworks</c>).</param>
/// <param name="HostingNetworkWithoutToken"><paramref name="HostingNetwork"/>, and the attempt brings no device token: only then
/// does it count towards a ring on its address (colleagues behind a company's cloud gateway bring their browsers' cookies,
/// a phishing kit's relay keeps none).</param>
/// <param name="DeviceOnServer">A device the account knows (or trusts), on a compute cloud's or server host's network the
/// account never logged in from: its token was carried off to a server (an infostealer's, an adversary-in-the-middle
/// kit's session replay), which a person's browser is not moved to. Steps up as impossible travel does, even on a
/// trusted device (<c>Familiarity:StepUpHostingNetworks</c>).</param>
/// <param name="RareCountry">A first login (no history) from a country under 1 % of the service's logins, however many
/// tenths of a percent it carries: new to the account for the takeover ring and the exposed secret. With a device token
/// (or in a log where nobody brings one) it steps up (<paramref name="NewCountry"/>) only while the country may carry
/// under a tenth of a percent (ADR 0041).</param>
/// <param name="RareNetworkForRegular"><paramref name="NewNetwork"/> for an account with at least three logins of history: its ISPs are known, and this is none of them but one the service's users almost never come from.</param>
internal readonly record struct FamiliarityScore(double LogRatio, bool HasHistory, bool TrustedDevice, bool KnownDevice, string Novelties,
    bool DeviceExpected = false, bool NewCountry = false, bool NewNetwork = false, bool TokenlessFromNewIsp = false, TravelLeg? Travel = null,
    bool KnownAddress = false, bool RareNetworkForRegular = false, bool KnownNetworkAbroad = false, bool AutomationClient = false,
    bool HostingAsn = false, bool HostingNetwork = false, bool HostingNetworkWithoutToken = false, bool DeviceOnServer = false,
    bool RareCountry = false, bool PendingDue = false)
{
    /// <summary>
    /// A success that counts towards a takeover ring on its address: the environment needs a step-up, or the network is
    /// new to the account and rare for the service and the attempt brings no device token. Customers behind a carrier's
    /// NAT or in an office come from common ISPs, or with the operator's device cookie; a party holding phished
    /// credentials often comes from its own server at a hosting provider, with a script that keeps no cookies.
    /// </summary>
    /// <remarks>A rented server's network counts only without a device token (<see cref="HostingNetworkWithoutToken"/>), as a
    /// rare network does.</remarks>
    public bool NewToAccount(double threshold) => Travel is not null || DeviceOnServer || EnvironmentNeedsStepUp(threshold, HostingNetworkWithoutToken)
        || (NewNetwork && !KnownDevice && !TrustedDevice) || FirstLoginFromRareCountry;

    /// <summary>
    /// An account's first login from a country under 1 % of the service's logins, on a device it does not trust (see
    /// <see cref="RareCountry"/>): as new to the account as an environment that steps up, whether or not it does.
    /// </summary>
    public bool FirstLoginFromRareCountry => RareCountry && !TrustedDevice && !KnownDevice;

    /// <summary>log10 ratio below which the network and browser alone vouch for the user (same address and browser as usual).</summary>
    private const double StronglyFamiliar = -2.0;

    /// <summary>
    /// A context that is the account's own user beyond reasonable doubt: a known or trusted device, or the usual
    /// network and browser. An account that always brings its device token and now brings none (a bot keeps no
    /// cookies) needs the stronger evidence. Familiar contexts are never held up by attack signals and count on the
    /// familiar side of smart lockout.
    /// </summary>
    /// <remarks>Not after impossible travel: the device token itself may be what was stolen. Not from a rented server's
    /// network the account never used (<see cref="HostingNetwork"/>): the browser string is the victim's own in a
    /// phishing kit's relay, and a young account's ratio leans on it. Inlined: a dozen detectors and the policy ask it
    /// in every half of a login (4 % of replay's engine thread went to calling it).</remarks>
    public bool FamiliarContext
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Travel is null && !HostingNetwork && !DeviceOnServer && (TrustedDevice || KnownDevice
            || (HasHistory && LogRatio < (DeviceExpected ? StronglyFamiliar : 0)));
    }

    /// <summary>
    /// Whether the context is the account's own user when its secret is in an attacker's hands (sprayed at it, or already
    /// used in an attack): a familiar context (<see cref="FamiliarContext"/>), but not a device token the account never
    /// used at an address it never used (ADR 0038).
    /// </summary>
    /// <remarks>With a login or two of history the likelihood ratio leans on the user agent: the operator's app on the
    /// same phone model, versions aside, or the victim's browser string copied onto a fresh profile, is "familiar" from
    /// a new line of the account's own ISP. A reverse brute force played with the wallet's app (Docomo's), and the buyer
    /// of a stuffing run's hits, got in that way on young accounts. The account's own device anywhere, or its own
    /// address, still vouches.</remarks>
    /// <param name="device">Whether the attempt brings a device token.</param>
    public bool VouchesForSecret(bool device) => FamiliarContext && !(device && !KnownDevice && !TrustedDevice && !KnownAddress);

    /// <summary>Whether a success from here needs a step-up (per the configured threshold): after impossible travel,
    /// even on a trusted device, or when the environment needs it (<see cref="EnvironmentNeedsStepUp"/>).</summary>
    public bool NeedsStepUp(double threshold) => Travel is not null || DeviceOnServer || EnvironmentNeedsStepUp(threshold);

    /// <summary>Whether the environment alone needs a step-up (what <c>unfamiliar_environment</c> says).</summary>
    /// <remarks>
    /// <para>A country the account never logged in from always steps up: for a short history the likelihood ratio
    /// alone is mild (a user with five logins is not yet "known"), but a phisher abroad is the case RBA exists for.
    /// A first login (no history) from a country almost none of the service's users log in from steps up too.</para>
    /// <para>So does a success without a device token, for an account that nearly always brings one, from an ISP it never
    /// logged in from: a new browser on a new network (for an account with one or two logins, only from a country it
    /// never used either, or a network the service's users almost never come from). The user's own new browser at
    /// home, or their app on another carrier address, stays below; a validated credential list played through
    /// residential proxies with each victim's browser string does not (the likelihood ratio alone let it pass).</para>
    /// <para>And so does a success without a device token, for an account with a few logins of history, from a network
    /// new to it that the service's users almost never come from (<see cref="RareNetworkForRegular"/>): a phishing kit's
    /// server at a hosting provider. The likelihood ratio's back-off charges a new ISP the same however rare it is, and in
    /// a log without tokens nothing else tells that server from the victim's own new ISP.</para>
    /// </remarks>
    public bool EnvironmentNeedsStepUp(double threshold) => EnvironmentNeedsStepUp(threshold, HostingNetwork);

    private bool EnvironmentNeedsStepUp(double threshold, bool hosting) => !TrustedDevice && !KnownDevice &&
        (AutomationClient || hosting || (HasHistory ? LogRatio >= threshold || NewCountry || TokenlessFromNewIsp || RareNetworkForRegular : NewCountry));
}

/// <summary>
/// The risk-based-authentication model of Freeman et al., "Who Are You? A Statistical Approach to Measuring User
/// Authenticity" (NDSS 2016): the likelihood ratio of an attempt's features under the whole population versus the
/// account's history, each feature smoothed by backing off along its hierarchy (IP → ASN → country;
/// user agent → browser → OS), so a new IP in the usual ISP is a little surprising and a new country very.
/// </summary>
/// <remarks>Pure; p_u(x) = (c_u(x) + α·p_u(parent)·p_g(x | parent)) / (n_u + α), ratio = p_g(x) / p_u(x).</remarks>
internal static class FamiliarityModel
{
    /// <summary>Share of population logins assumed to carry no device token (clients without cookies).</summary>
    private const double NoDeviceShare = 0.3;

    /// <summary>Share of an account's logins that must have brought a device token before one without is a new device.</summary>
    private const double DeviceHabit = 0.9;

    /// <summary>Logins an account needs before a missing device token from a new ISP steps up.</summary>
    private const int MinimumHistoryForDeviceHabit = 3;

    /// <summary>Logins an account needs before a new country alone steps up.</summary>
    private const int MinimumHistoryForCountry = 3;

    /// <summary>Logins an account needs before a tokenless success from a rare network new to it steps up (its own ISPs are known by then).</summary>
    private const int MinimumHistoryForRareNetwork = 3;

    /// <summary>Share of the population's logins below which a country is rare for the service.</summary>
    private const double RareCountryShare = 0.01;

    /// <summary>
    /// For an account's first login that brings the operator's device token, a country rare by
    /// <see cref="RareCountryShare"/> is only stepped up while the population cannot tell it carries this share of its
    /// logins: its count less <see cref="RareCountryMargin"/> (the optimistic reading, where rarity takes the
    /// pessimistic one) is still below it (ADR 0041). A customer's holiday destination carries a few tenths of a percent
    /// of a service's logins in season, and a replay that starts in the holidays meets many customers abroad before it
    /// meets them at home; the countries a phisher or a buyer of a list logs in from, far from the service's customers,
    /// carry a few hundredths, and a country seen a handful of times in a young population proves nothing. A first
    /// login without a token, where customers bring one (a script keeps no cookies), is judged by
    /// <see cref="RareCountryShare"/> alone; where none do (a log of addresses alone), every first login is judged as
    /// one with a token.
    /// </summary>
    private const double FirstLoginWithTokenRareCountryShare = 0.001;

    /// <summary>
    /// A country is rare only when even the pessimistic reading of the population says so: its count plus this
    /// margin (the "rule of three", an upper 95 % bound on a count seen zero times) still falls below
    /// <see cref="RareCountryShare"/>. So a young population (a replay's first minutes) calls nothing rare before it
    /// has seen about 300 logins, and from then on judges with what it has, instead of waiting for a fixed size.
    /// </summary>
    private const double RareCountryMargin = 3.0;

    /// <summary>
    /// Share of the population's logins below which an ASN is rare for the service: a hosting provider, not an ISP
    /// customers use. Lower than for countries: an office's business ISP or a VPN's exit carries a few tenths of a
    /// percent of a service's logins, and must not count as rare.
    /// </summary>
    private const double RareAsnShare = 0.001;

    /// <summary>Whether <paramref name="count"/> logins (of a country or an ASN) are rare among the population's <paramref name="population"/>.</summary>
    private static bool IsRare(long count, long population, double share = RareCountryShare) =>
        (count + RareCountryMargin) / (population + 1.0) < share;

    /// <summary>Whether <paramref name="count"/> logins may still be under <paramref name="share"/> of the population's
    /// <paramref name="population"/>: the optimistic reading, the count less <see cref="RareCountryMargin"/>, where
    /// <see cref="IsRare"/> takes the pessimistic one.</summary>
    private static bool MayBeRare(long count, long population, double share) =>
        count - RareCountryMargin < share * (population + 1.0);

    /// <summary>Whether the attempt's ASN is one the service's users almost never come from (under 0.1 % of its logins).</summary>
    internal static bool IsRareNetwork(in FamiliaritySignals f) => IsRare(f.GlobalAsn, f.Population, RareAsnShare);

    /// <param name="customersBringTokens">Whether most of the service's successes bring a device token: where none do, a
    /// missing token says nothing about the client.</param>
    public static FamiliarityScore Score(in FamiliaritySignals f, bool hasNetworkAsn, bool hasCountry, bool hasDevice, double alpha, bool describe = true,
        bool stepUpRareNetwork = true, bool customersBringTokens = true)
    {
        // An ASN the service's users almost never come from (a hosting provider, a foreign ISP), reached without a device
        // token: a script keeps no cookies, while an office's PCs and a traveller's hotel carry the operator's device
        // cookie (and a replay's first morning, before offices open, can make a business ISP look rare). The model's
        // back-off charges any new ASN the same, however rare, so this is said apart.
        bool rareNetwork = !hasDevice && hasNetworkAsn && IsRareNetwork(in f);
        if (f.History == 0)
        {
            // Without history the account explains nothing and the population everything, except a country the
            // population almost never logs in from. A first login from a rare network is nothing to step up alone (a
            // new customer may use a cloud VPN), but a party logging into several young accounts from one such server
            // is a ring.
            bool rare = hasCountry && IsRare(f.GlobalCountry, f.Population);
            bool stepUp = rare && (!hasDevice && customersBringTokens || MayBeRare(f.GlobalCountry, f.Population, FirstLoginWithTokenRareCountryShare));
            return new FamiliarityScore(0, HasHistory: false, f.TrustedDevice, KnownDevice: false, stepUp ? "country" : "", NewCountry: stepUp, NewNetwork: rareNetwork,
                RareCountry: rare, PendingDue: f.PendingDue);
        }

        double n = f.History;
        double population = Math.Max(1, f.Population);
        double Pg(long count) => (count + 1.0) / (population + 1.0);

        // Network: country → ASN → IP.
        double pgCountry = hasCountry ? Pg(f.GlobalCountry) : 1.0;
        double puCountry = hasCountry ? (f.UserCountry + alpha * pgCountry) / (n + alpha) : 1.0;
        double pgAsn = hasNetworkAsn ? Pg(f.GlobalAsn) : pgCountry;
        double puAsn = hasNetworkAsn ? (f.UserAsn + alpha * puCountry * Conditional(pgAsn, pgCountry)) / (n + alpha) : puCountry;
        double pgIp = Pg(f.GlobalIp);
        double puIp = (f.UserIp + alpha * puAsn * Conditional(pgIp, pgAsn)) / (n + alpha);
        double network = Math.Log10(pgIp / puIp);

        // Agent: OS → browser → user agent.
        double pgOs = Pg(f.GlobalOs);
        double puOs = (f.UserOs + alpha * pgOs) / (n + alpha);
        double pgBrowser = Pg(f.GlobalBrowser);
        double puBrowser = (f.UserBrowser + alpha * puOs * Conditional(pgBrowser, pgOs)) / (n + alpha);
        double pgAgent = Pg(f.GlobalAgent);
        double puAgent = (f.UserAgent + alpha * puBrowser * Conditional(pgAgent, pgBrowser)) / (n + alpha);
        double agent = Math.Log10(pgAgent / puAgent);

        // Device token: a value of its own; "no token" is a value too, suspicious for an account that always sends one.
        double device = 0;
        bool knownDevice = hasDevice && f.UserDevice > 0;
        if (hasDevice && f.UserDeviceHistory > 0)
        {
            double pgDevice = 1.0 / (population + 1.0);
            double puDevice = (f.UserDevice + alpha * pgDevice) / (f.UserDeviceHistory + alpha);
            device = Math.Log10(pgDevice / puDevice);
        }
        else if (!hasDevice && f.UserDeviceHistory > 0)
        {
            double withoutDevice = n - f.UserDeviceHistory;
            double puNone = (Math.Max(0, withoutDevice) + alpha * NoDeviceShare) / (n + alpha);
            device = Math.Log10(NoDeviceShare / puNone);
        }

        double total = network + agent + device;
        // The sentence is built only for logins that may need it; an ordinary login allocates nothing here.
        string novelties = describe && (total > 0 || (hasCountry && f.UserCountry == 0)) ? Describe(f, hasDevice, hasCountry) : "";
        bool deviceExpected = !knownDevice && f.History >= 2 && 2 * f.UserDeviceHistory >= f.History;
        // A country the account never used: with a few logins of history that alone steps up; with fewer (one or two
        // logins say little about where a user lives), only when the service's users rarely log in from it either —
        // the rule an account without history gets. A phisher's first visit to a young account is the case.
        bool newCountry = hasCountry && f.UserCountry == 0
            && (f.History >= MinimumHistoryForCountry || IsRare(f.GlobalCountry, f.Population));
        bool newNetwork = rareNetwork && f.UserAsn == 0 && f.UserIp == 0;   // and new to the account
        // Without a token, from an ISP it never used, for an account that nearly always brought its token, and either
        // a few logins of history, a country it never used (a bot abroad on a young account; its owner travelling
        // brings their phone's token) or a network the service's users almost never come from (a phishing kit's server
        // at a hosting provider, the victim's own browser string copied). Never in a log without tokens: there a
        // small ISP's customers and travellers look the same.
        bool tokenlessFromNewIsp = !hasDevice && hasNetworkAsn && f.UserAsn == 0 && f.UserIp == 0 && f.UserDeviceHistory >= DeviceHabit * f.History
            && (f.History >= MinimumHistoryForDeviceHabit || (hasCountry && f.UserCountry == 0) || newNetwork);
        // A regular's ISPs are known; a network new to it that the service's users almost never come from, without a
        // token, is a server (the phishing kit's, a bot's), whatever the log's token habit. With one or two logins the
        // account's own ISP may be the small one (LogWithoutDeviceTokens_YoungAccountsOnASmallIspTheyNeverUsed_…).
        bool rareNetworkForRegular = stepUpRareNetwork && newNetwork && f.History >= MinimumHistoryForRareNetwork;
        return new FamiliarityScore(total, HasHistory: true, f.TrustedDevice, knownDevice, novelties, deviceExpected, newCountry, newNetwork, tokenlessFromNewIsp,
            KnownAddress: f.UserIp > 0, RareNetworkForRegular: rareNetworkForRegular, KnownNetworkAbroad: hasNetworkAsn && f.UserAsn > 0 && hasCountry && f.UserCountry == 0,
            PendingDue: f.PendingDue);
    }

    private static double Conditional(double child, double parent) => parent <= 0 ? child : Math.Min(1.0, child / parent);

    private static string Describe(in FamiliaritySignals f, bool hasDevice, bool hasCountry)
    {
        var parts = new List<string>(4);
        if (hasDevice && f.UserDevice == 0) parts.Add("device");
        if (hasCountry && f.UserCountry == 0) parts.Add("country");
        else if (f.UserAsn == 0 && f.UserIp == 0) parts.Add("network");
        if (f.UserBrowser == 0 || f.UserOs == 0) parts.Add("browser");
        return string.Join(", ", parts);
    }
}
