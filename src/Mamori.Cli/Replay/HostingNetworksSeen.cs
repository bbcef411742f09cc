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
/// <remarks>Kept on the replay's bookkeeping thread. Distinct accounts are counted exactly up to
/// <see cref="MaxAccountsPerNetwork"/> per ASN, then no longer grow (said in the report).</remarks>
internal sealed class HostingNetworksSeen(FrozenDictionary<int, string> networks)
{
    /// <summary>Accounts remembered per ASN for the distinct count and the join with the likely takeovers.</summary>
    public const int MaxAccountsPerNetwork = 100_000;

    private readonly Dictionary<int, Network> _seen = [];

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
    }

    /// <summary>Counts a successful login (the caller passes only successes).</summary>
    public void Add(Events.LoginAttempt attempt, in EventAssessment assessment)
    {
        if (attempt.Asn is not int asn || !networks.TryGetValue(asn, out string? company)) return;
        if (!_seen.TryGetValue(asn, out Network? network)) _seen[asn] = network = new Network(asn, company);
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

    /// <summary>The networks with a held-up login, most held up first.</summary>
    public IReadOnlyList<Network> HeldUp() =>
        _seen.Values.Where(n => n.HeldUp > 0).OrderByDescending(n => n.HeldUp).ThenBy(n => n.Asn).ToArray();

    /// <summary>Of <paramref name="network"/>'s held-up accounts, those the report lists as likely takeovers.</summary>
    public static int ListedAsTaken(Network network, IReadOnlyDictionary<string, TakeoverAccount> triaged) =>
        network.HeldUpAccounts.Count(a => triaged.TryGetValue(a, out TakeoverAccount? t) && t.Confidence >= TakeoverConfidence.Medium);
}
