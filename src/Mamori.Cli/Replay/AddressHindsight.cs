using System.Net;
using Mamori.Cli.Replay.Readers;
using Mamori.Events;
using Mamori.Policy;
using Mamori.Signals;

namespace Mamori.Cli.Replay;

/// <summary>
/// What a replay knows that the live engine did not: what an address did after a login. A successful login the engine
/// held up only because its environment was new to the account (no attack evidence on the login itself, so the
/// triage does not list it) is listed as a likely takeover, at medium confidence, when its address went on to try a
/// wrong password on another account within <see cref="Horizon"/> and nobody else got in from it ordinarily: a slow
/// stuffing bot's first visit to an address, the hit, then its failures.
/// </summary>
/// <remarks>
/// <para>Live, a bot's first visit to an address is a login like any other new device: nothing on the network says
/// otherwise, and the engine can only step it up for the environment, as it does a customer's new laptop. In the
/// morning, the analyst has the rest of the log.</para>
/// <para>Kept on the pipeline's thread, in file order. Bounded: at most <see cref="MaxWatched"/> logins wait on their
/// address (each a few dozen bytes); more are counted in <see cref="Unwatched"/>. An address is looked up once per
/// event, and only while some login waits on it.</para>
/// </remarks>
internal sealed class AddressHindsight
{
    /// <summary>Logins waiting on their address at once.</summary>
    public const int MaxWatched = 1_000_000;

    /// <summary>How long after a login its address's failures on other accounts count.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(7);

    /// <summary>The evidence the report gives such a login (beside the engine's own reason codes).</summary>
    public const string Evidence = "address_failed_on_others_later";

    private readonly Dictionary<ulong, Watch> _byAddress = [];
    /// <summary>One bit for each of <see cref="FilterBits"/> slices of the addresses' keys, set once a login waits on an
    /// address of its slice. Most events' addresses have no login waiting; their bit, in cache, says so, and the
    /// dictionary, a cache miss a look-up once it is large (1.3 % of a replay's samples), is read only when it is set.</summary>
    /// <remarks>32 KiB, so that it stays in the core's cache beside the parsing: at 256 KiB the filter's own load missed
    /// as often as the dictionary had. With many thousands of addresses waiting at once most bits are set, and the
    /// dictionary answers, as it did without the filter.</remarks>
    private readonly ulong[] _mayWait = new ulong[FilterBits / 64];
    private const int FilterShift = 18;
    private const int FilterBits = 1 << FilterShift;
    private readonly List<Candidate> _candidates = [];

    /// <summary>Logins that would have waited on their address, past <see cref="MaxWatched"/>.</summary>
    public long Unwatched { get; private set; }

    /// <summary>A successful login the engine held up for its environment alone.</summary>
    private sealed record Candidate(string Account, int Line, DateTimeOffset At, IPAddress Ip, Watch Watch, double Score, Verdict Combined, string[] Codes);

    /// <summary>One address's logins waiting on it, and what it did since the first.</summary>
    private sealed class Watch(DateTimeOffset until)
    {
        public DateTimeOffset Until { get; set; } = until;
        /// <summary>The waiting logins' accounts: their own failures and successes say nothing of the address.</summary>
        public List<string> Accounts { get; } = [];
        /// <summary>A wrong password on another account here after a waiting login.</summary>
        public bool FailedOnOthers { get; set; }
        /// <summary>Another account got in here, and the engine let it (not one of the waiting logins).</summary>
        public bool Vouched { get; set; }
    }

    /// <summary>Whether the triage's classification leaves <paramref name="a"/> to hindsight: a success held up for its
    /// environment alone, from an address that is not shared.</summary>
    public static bool Waits(TakeoverConfidence confidence, in EventAssessment a) =>
        confidence == TakeoverConfidence.None && a.Combined != Verdict.Allow && !a.Outcome.Familiar
        && TakeoverTriage.Unfamiliar(a.Outcome) && !a.PreAuth.Has(ReasonCode.SharedAddress) && !a.Outcome.Has(ReasonCode.SharedAddress);

    /// <summary>
    /// Every assessed event, in file order: counts what it says of an address a login waits on, then, when
    /// <paramref name="waits"/>, makes the login wait on its address.
    /// </summary>
    public void Observe(in ReadResult row, ulong address, in EventAssessment a, bool waits)
    {
        LoginEvent e = row.Event;
        (int word, ulong bit) = Hashing.FilterSlot(address, FilterShift);   // the address key is a hash
        if ((_mayWait[word] & bit) != 0 && _byAddress.TryGetValue(address, out Watch? watch) && e.Attempt.Timestamp <= watch.Until
            && !watch.Accounts.Contains(e.Attempt.Account, StringComparer.Ordinal))
        {
            // A wrong password on another customer's account: a household member who mistypes their own user name
            // (an unknown account) is not trying anyone's password.
            if (e.Outcome == LoginOutcome.WrongSecret) watch.FailedOnOthers = true;
            else if (e.Outcome == LoginOutcome.Success && !waits && a.Combined == Verdict.Allow) watch.Vouched = true;
        }
        if (!waits) return;
        if (_candidates.Count >= MaxWatched)
        {
            Unwatched++;
            return;
        }
        string account = e.Attempt.Account;
        DateTimeOffset until = e.Attempt.Timestamp + Horizon;
        if (!_byAddress.TryGetValue(address, out watch) || e.Attempt.Timestamp > watch.Until)
        {
            _byAddress[address] = watch = new Watch(until);   // a stale watch starts afresh
            _mayWait[word] |= bit;
        }
        else if (until > watch.Until) watch.Until = until;
        if (!watch.Accounts.Contains(account, StringComparer.Ordinal)) watch.Accounts.Add(account);
        _candidates.Add(new Candidate(account, row.Line, e.Attempt.Timestamp, e.Attempt.Ip, watch, a.Score, a.Combined, Codes(a)));
    }

    /// <summary>At the end of the log: the waiting logins whose address went on to fail on other accounts, added to
    /// <paramref name="triaged"/> at medium confidence. Returns how many logins were added.</summary>
    public int Conclude(Dictionary<string, TakeoverAccount> triaged, int maxAccounts, ref long untracked)
    {
        int added = 0;
        foreach (Candidate c in _candidates)
        {
            if (!c.Watch.FailedOnOthers || c.Watch.Vouched) continue;
            if (!triaged.TryGetValue(c.Account, out TakeoverAccount? account))
            {
                if (triaged.Count >= maxAccounts)
                {
                    untracked++;
                    continue;
                }
                triaged[c.Account] = account = new TakeoverAccount(c.Account);
            }
            account.AddInHindsight(c.Line, c.At, c.Ip, c.Score, c.Combined, c.Codes);
            added++;
        }
        _candidates.Clear();
        _byAddress.Clear();
        Array.Clear(_mayWait);
        return added;
    }

    private static string[] Codes(in EventAssessment a)
    {
        var codes = new List<string>(4);
        foreach (Reason reason in a.PreAuth.ReasonSpan) codes.Add(reason.Code.ToWireName());
        foreach (Reason reason in a.Outcome.ReasonSpan)
        {
            string code = reason.Code.ToWireName();
            if (!codes.Contains(code)) codes.Add(code);
        }
        codes.Add(Evidence);
        return [.. codes];
    }
}
