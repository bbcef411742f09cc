using Mamori.Events;

namespace Mamori.Simulation.Baselines;

/// <summary>
/// Auth0 brute-force protection, defaults: after 10 consecutive failed logins for one user identifier from one IP
/// address, that IP is blocked for that user. The block lasts until the user unblocks (e-mail link), changes the
/// password, an administrator lifts it, or 30 days pass from the last failed attempt. A success before the
/// threshold resets the count ("consecutive").
/// </summary>
/// <remarks>
/// Source: auth0.com/docs/secure/attack-protection/brute-force-protection ("Brute Force Threshold ... Default
/// ... 10"; "Thirty (30) days pass from the last failed login attempt") and the database-connection rate-limit
/// page ("more than 10 times consecutively from a single IP address"). Unblock links and password changes are
/// not in a login log, so only the 30-day expiry applies here. Failures on unknown identifiers count too.
/// </remarks>
internal sealed class Auth0BruteForceBaseline(int threshold = 10) : IBaselinePolicy
{
    private static readonly long s_blockTicks = TimeSpan.FromDays(30).Ticks;
    private readonly Dictionary<(string Account, System.Net.IPAddress Ip), State> _pairs = new();

    public string Name => "Auth0 brute-force protection";
    public string Source => "auth0.com/docs/secure/attack-protection/brute-force-protection (threshold 10 per user per IP; 30-day block)";

    public Intervention Evaluate(in LoginEvent e)
    {
        if (e.Outcome == LoginOutcome.Locked) return Intervention.Allow;
        long now = e.Attempt.Timestamp.UtcTicks;
        ref State state = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_pairs, (e.Attempt.Account, e.Attempt.Ip), out _);
        if (state.BlockedUntil > now) return Intervention.Deny;
        if (e.Outcome == LoginOutcome.Success)
        {
            state.Failures = 0;
            return Intervention.Allow;
        }
        if (++state.Failures >= threshold) state.BlockedUntil = now + s_blockTicks;
        return Intervention.Allow;
    }

    private struct State
    {
        public int Failures;
        public long BlockedUntil;
    }
}

/// <summary>
/// Auth0 suspicious IP throttling, pre-login stage, defaults: each IP has 100 failed-login attempts; each failed
/// login uses one; one attempt comes back every 864,000 ms (100 a day). With none left, every login attempt from
/// the IP is refused (HTTP 429) until one comes back.
/// </summary>
/// <remarks>
/// Source: the Management API's <c>attack-protection/suspicious-ip-throttling</c> settings
/// (<c>stage.pre-login.max_attempts = 100</c>, <c>rate = 864000</c>), Auth0's "Suspicious IP Throttling" page
/// ("100 failed login attempts originate from the same IP address within 24 hours") and its community note on
/// reset ("~15 minutes for the IP to become unblocked ... 24h to replenish all 100 attempts"). Successful logins
/// use no allowance. This is the control that locks out a carrier's CGNAT address.
/// </remarks>
internal sealed class Auth0SuspiciousIpThrottlingBaseline(int maxAttempts = 100, TimeSpan? refillInterval = null) : IBaselinePolicy
{
    private readonly long _refillTicks = (refillInterval ?? TimeSpan.FromMilliseconds(864_000)).Ticks;
    private readonly Dictionary<System.Net.IPAddress, Bucket> _ips = new();

    public string Name => "Auth0 suspicious IP throttling";
    public string Source => "auth0.com/docs/secure/attack-protection/suspicious-ip-throttling; Management API pre-login max_attempts 100, rate 864000 ms";

    public Intervention Evaluate(in LoginEvent e)
    {
        long now = e.Attempt.Timestamp.UtcTicks;
        ref Bucket bucket = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_ips, e.Attempt.Ip, out bool existed);
        if (!existed)
        {
            bucket.Used = 0;
            bucket.Since = now;
        }
        else if (bucket.Used > 0)
        {
            // Give back one attempt per refill interval since the last give-back, keeping the remainder.
            long refills = (now - bucket.Since) / _refillTicks;
            if (refills > 0)
            {
                bucket.Used = (int)Math.Max(0, bucket.Used - refills);
                bucket.Since += refills * _refillTicks;
            }
        }
        if (bucket.Used >= maxAttempts) return Intervention.Deny;
        if (BaselinePolicies.IsFailure(e.Outcome))
        {
            if (bucket.Used == 0) bucket.Since = now;   // a full bucket has nothing to refill; the clock starts now
            bucket.Used++;
        }
        return Intervention.Allow;
    }

    private struct Bucket
    {
        public int Used;
        public long Since;
    }
}

/// <summary>Both Auth0 protections, as a new tenant has them: refused when either refuses.</summary>
internal sealed class Auth0AttackProtectionBaseline : IBaselinePolicy
{
    private readonly Auth0BruteForceBaseline _bruteForce = new();
    private readonly Auth0SuspiciousIpThrottlingBaseline _throttling = new();

    public string Name => "Auth0 (brute-force + IP throttling)";
    public string Source => "Both Auth0 defaults above; both are on for a new tenant.";

    public Intervention Evaluate(in LoginEvent e)
    {
        // Throttling answers first (429 before credentials are checked); a throttled attempt reaches nothing else.
        if (_throttling.Evaluate(e) == Intervention.Deny) return Intervention.Deny;
        return _bruteForce.Evaluate(e);
    }
}
