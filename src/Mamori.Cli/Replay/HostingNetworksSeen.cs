using System.Collections.Frozen;
using Mamori.Policy;

namespace Mamori.Cli.Replay;

/// <summary>
/// Successful logins from the hosting networks' ASNs (<see cref="Network.HostingNetworks"/>), per ASN: how many were held
/// up for an environment new to their account, on how many accounts, and how many were let through (the account
/// already knew the network, or the rule is off). What an operator reads to decide whether a cloud on the list is one
/// their customers use (a company's gateway on Azure: many accounts, most later allowed, none listed as taken) and
/// belongs in <c>Familiarity:NotHostingAsns</c>, or a phishing kit's (held up, listed as likely takeovers).
/// </summary>
/// <remarks>
/// <para>Per address too: an account aggregator's or a company gateway's server logs into the same accounts day after
/// day, a phishing kit's or a proxy's into each account once or twice (on the brokerage log 76–88 % of an aggregator
/// address's successes were an account it had logged into on an earlier day; every kit's 1.0–1.4 successes an
/// account: docs/BENCHMARKS.md). Those addresses are what the operator lists in <c>SharedAddress:PartnerNetworks</c>,
/// rather than opening the whole cloud with <c>Familiarity:NotHostingAsns</c> (<see cref="Network.ReturningAddresses"/>).
/// An aggregator whose connector takes another address of its pool for each refresh comes back by its client string
/// instead (<see cref="Network.ReturningClients"/>, ADR 0043).</para>
/// <para>Kept on the replay's bookkeeping thread. Distinct accounts are counted exactly up to
/// <see cref="MaxAccountsPerNetwork"/> per ASN, then no longer grow (said in the report); address and account pairs up
/// to <see cref="MaxAddressAccounts"/> over all networks, then new pairs are not counted.</para>
/// </remarks>
/// <param name="networks">The hosting list's ASNs and their companies.</param>
/// <param name="known">The operator's known shared and partner networks (<c>SharedAddress:KnownNetworks</c>,
/// <c>SharedAddress:PartnerNetworks</c>): their addresses are
/// not suggested again. Null when none.</param>
internal sealed class HostingNetworksSeen(FrozenDictionary<int, string> networks, global::Mamori.Network.NetworkSet? known = null)
{
    /// <summary>Accounts remembered per ASN for the distinct count and the join with the likely takeovers.</summary>
    public const int MaxAccountsPerNetwork = 100_000;

    /// <summary>Address and account pairs remembered over all networks, for the addresses that come back.</summary>
    public const int MaxAddressAccounts = 500_000;

    /// <summary>Accounts an address must have logged into before it can be one that comes back.</summary>
    public const int ReturningMinimumAccounts = 10;

    private readonly Dictionary<int, Network> _seen = [];
    private int _pairs;
    private int _clientPairs;

    /// <summary>Whether address and account pairs stopped being counted (<see cref="MaxAddressAccounts"/>).</summary>
    public bool PairsCapped { get; private set; }

    /// <summary>Accounts that succeeded through an address or a client, and those of them that did again on a later day.</summary>
    public sealed class ReturningAccounts
    {
        /// <summary>Per account, the UTC day of its first success; -1 once it has succeeded on a later day too.</summary>
        private readonly Dictionary<string, int> _firstDay = new(StringComparer.Ordinal);

        /// <summary>Distinct accounts.</summary>
        public int Accounts => _firstDay.Count;

        /// <summary>Of those, the accounts that succeeded again on a later day.</summary>
        public int Returning { get; private set; }

        /// <summary>Counts a success of <paramref name="account"/> on <paramref name="day"/>. An account not seen
        /// before is remembered only while <paramref name="pairs"/> is under <see cref="MaxAddressAccounts"/> (and adds to
        /// it); otherwise <paramref name="capped"/> is set.</summary>
        public void See(string account, int day, ref int pairs, ref bool capped)
        {
            if (_firstDay.TryGetValue(account, out int first))
            {
                if (first >= 0 && first != day)
                {
                    Returning++;
                    _firstDay[account] = -1;
                }
                return;
            }
            if (pairs >= MaxAddressAccounts)
            {
                capped = true;
                return;
            }
            _firstDay[account] = day;
            pairs++;
        }
    }

    /// <summary>One address's successes on one hosting network.</summary>
    public sealed class Address(string text)
    {
        public string Text { get; } = text;
        /// <summary>The accounts that succeeded from here.</summary>
        internal ReturningAccounts Days { get; } = new();
        /// <summary>Distinct accounts that succeeded from here.</summary>
        public int Accounts => Days.Accounts;
        /// <summary>Of those, the accounts that succeeded from here again on a later day.</summary>
        public int Returning => Days.Returning;

        private string? _agent;
        private bool _agentsMixed;

        /// <summary>The one user agent string every success from here sent, or null once two differ (or none was sent).</summary>
        public string? SoleAgent => _agentsMixed ? null : _agent;

        internal void NoteAgent(string? agent)
        {
            if (_agentsMixed || agent is null) return;
            if (_agent is null) _agent = agent;
            else if (!string.Equals(agent, _agent, StringComparison.Ordinal)) _agentsMixed = true;
        }
    }

    /// <summary>
    /// One client on one hosting network: a user agent string and its successes over all the network's addresses. An
    /// aggregator's connector spreads its logins over a pool of addresses (a different one for each refresh), so no
    /// single address comes back to the same accounts, while its client, one string the whole pool sends, does.
    /// </summary>
    public sealed class Client(string userAgent)
    {
        public string UserAgent { get; } = userAgent;
        /// <summary>The accounts that succeeded through it.</summary>
        internal ReturningAccounts Days { get; } = new();
        /// <summary>The addresses it came from, up to <see cref="MaxClientAddresses"/>.</summary>
        internal HashSet<string> AddressSet { get; } = new(StringComparer.Ordinal);
        /// <summary>Distinct accounts that succeeded through it.</summary>
        public int Accounts => Days.Accounts;
        /// <summary>Of those, the accounts it logged into again on a later day.</summary>
        public int Returning => Days.Returning;
        /// <summary>Distinct addresses it came from (at most <see cref="MaxClientAddresses"/> counted).</summary>
        public int Addresses => AddressSet.Count;
        /// <summary>Whether it logged into at least <see cref="ReturningMinimumAccounts"/> accounts and came back to half of
        /// them or more on a later day.</summary>
        public bool IsReturning => Accounts >= ReturningMinimumAccounts && 2 * Returning >= Accounts;
        /// <summary>Its addresses in order, the first <paramref name="count"/>.</summary>
        public IEnumerable<string> SomeAddresses(int count) => AddressSet.Order(StringComparer.Ordinal).Take(count);
    }

    /// <summary>Addresses remembered per client.</summary>
    public const int MaxClientAddresses = 256;

    /// <summary>One ASN's tallies.</summary>
    public sealed class Network(int asn, string company)
    {
        public int Asn { get; } = asn;
        public string Company { get; } = company;
        /// <summary>Successes held up (step-up or deny) with an environment new to the account among the reasons.</summary>
        public long HeldUp { get; internal set; }
        /// <summary>Successes allowed.</summary>
        public long Allowed { get; internal set; }
        /// <summary>Accounts with a held-up success, up to <see cref="MaxAccountsPerNetwork"/>.</summary>
        public HashSet<string> HeldUpAccounts { get; } = new(StringComparer.Ordinal);
        /// <summary>Whether <see cref="HeldUpAccounts"/> stopped growing.</summary>
        public bool AccountsCapped { get; internal set; }
        internal Dictionary<string, Address> Addresses { get; } = new(StringComparer.Ordinal);
        internal Dictionary<string, Client> Clients { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// The clients that came back to half of their accounts or more on a later day from more than one address, most
        /// accounts first: an aggregator's connector over its pool of servers, which <see cref="ReturningAddresses"/>
        /// misses when each refresh takes another address.
        /// </summary>
        public IReadOnlyList<Client> ReturningClients() =>
            Clients.Values.Where(c => IsServiceClient(c) && c.Addresses > 1)
                .OrderByDescending(c => c.Accounts).ThenBy(c => c.UserAgent, StringComparer.Ordinal).ToArray();

        /// <summary>
        /// Whether <paramref name="client"/> is a service's: it came back to half of its accounts or more
        /// (<see cref="Client.IsReturning"/>), and half of its addresses or more sent nothing but its string. A connector's
        /// pool is its own; a company's remote desktops or secure web gateway on the same cloud carry many people's
        /// browsers, each version one "client" that comes back too, and a phishing relay sends each victim's own string.
        /// Naming such a browser string would put the relay's addresses in the list an operator is told to trust.
        /// </summary>
        public bool IsServiceClient(Client client)
        {
            if (!client.IsReturning) return false;
            int own = 0;
            foreach (string text in client.AddressSet)
                if (Addresses.TryGetValue(text, out Address? address) && string.Equals(address.SoleAgent, client.UserAgent, StringComparison.Ordinal)) own++;
            return 2 * own >= client.AddressSet.Count;
        }

        /// <summary>
        /// The addresses that logged into at least <see cref="ReturningMinimumAccounts"/> accounts and came back to half of
        /// them or more on a later day: a service's servers (an aggregator's, a gateway's), most accounts first.
        /// </summary>
        public IReadOnlyList<Address> ReturningAddresses() =>
            Addresses.Values.Where(a => a.Accounts >= ReturningMinimumAccounts && 2 * a.Returning >= a.Accounts)
                .OrderByDescending(a => a.Accounts).ThenBy(a => a.Text, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Counts a successful login (the caller passes only successes).</summary>
    public void Add(Events.LoginAttempt attempt, in EventAssessment assessment)
    {
        if (attempt.Asn is not int asn || !networks.TryGetValue(asn, out string? company)) return;
        if (!_seen.TryGetValue(asn, out Network? network)) _seen[asn] = network = new Network(asn, company);
        CountAddress(network, attempt);
        if (assessment.Combined == Verdict.Allow)
        {
            network.Allowed++;
            return;
        }
        if (!assessment.Outcome.Has(ReasonCode.UnfamiliarEnvironment)) return;
        network.HeldUp++;
        if (network.HeldUpAccounts.Count < MaxAccountsPerNetwork) network.HeldUpAccounts.Add(attempt.Account);
        else if (!network.HeldUpAccounts.Contains(attempt.Account)) network.AccountsCapped = true;
    }

    private void CountAddress(Network network, Events.LoginAttempt attempt)
    {
        if (known?.Contains(attempt.Ip) == true) return;   // listed already
        string text = global::Mamori.Network.NetworkKeys.Normalise(attempt.Ip).ToString();
        int day = (int)(attempt.Timestamp.UtcTicks / TimeSpan.TicksPerDay);
        bool capped = PairsCapped;
        // A new address or client only while there is room for its first pair: past the cap nothing more is remembered.
        if (network.Addresses.TryGetValue(text, out Address? address) || _pairs < MaxAddressAccounts)
        {
            if (address is null) network.Addresses[text] = address = new Address(text);
            address.Days.See(attempt.Account, day, ref _pairs, ref capped);
            address.NoteAgent(attempt.UserAgent);
        }
        else capped = true;
        if (attempt.UserAgent is { } agent)   // a client is known by its string; without one there is none
        {
            if (network.Clients.TryGetValue(agent, out Client? client) || _clientPairs < MaxAddressAccounts)
            {
                if (client is null) network.Clients[agent] = client = new Client(agent);
                if (client.AddressSet.Count < MaxClientAddresses) client.AddressSet.Add(text);
                client.Days.See(attempt.Account, day, ref _clientPairs, ref capped);
            }
            else capped = true;
        }
        PairsCapped = capped;
    }

    /// <summary>
    /// Whether <paramref name="agent"/> on <paramref name="asn"/> is a service's client that came back to half of its
    /// accounts or more on a later day (<see cref="Network.IsServiceClient"/>, from one address or many): a service
    /// logging in for its customers, not a party that took their accounts.
    /// </summary>
    public bool IsReturningClient(int asn, string agent) =>
        _seen.TryGetValue(asn, out Network? network) && network.Clients.TryGetValue(agent, out Client? client) && network.IsServiceClient(client);

    /// <summary>The networks with a held-up login, most held up first.</summary>
    public IReadOnlyList<Network> HeldUp() =>
        _seen.Values.Where(n => n.HeldUp > 0).OrderByDescending(n => n.HeldUp).ThenBy(n => n.Asn).ToArray();

    /// <summary>Of <paramref name="network"/>'s held-up accounts, those the report lists as likely takeovers.</summary>
    /// <remarks>Not counting accounts listed only through a returning client (<see cref="TakeoverAccount.ThroughReturningClient"/>):
    /// an aggregator's refreshes on the list are not a kit's takeovers, and would make the network look like one.</remarks>
    public static int ListedAsTaken(Network network, ReplayResult result)
    {
        result.LikelyTakeovers();   // sets ThroughReturningClient
        return network.HeldUpAccounts.Count(a => result.Triaged.TryGetValue(a, out TakeoverAccount? t) && t.Confidence >= TakeoverConfidence.Medium
            && !t.ThroughReturningClient);
    }
}
