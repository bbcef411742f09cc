using Mamori.Events;

namespace Mamori.Simulation.Baselines;

/// <summary>ASP.NET Core Identity's lockout with its defaults: 5 failed attempts lock the account for 5 minutes.</summary>
/// <remarks>
/// Follows <c>SignInManager.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true)</c> and
/// <c>UserManager.AccessFailedAsync</c>: a locked account is refused before the password is checked; a wrong
/// password increments the count, and reaching <c>MaxFailedAccessAttempts</c> sets the lockout end to
/// now + <c>DefaultLockoutTimeSpan</c> and resets the count; a right password resets the count. Unknown accounts
/// have no user, so nothing is counted. Reimplemented rather than driving <c>UserManager</c> because
/// <c>UserManager</c> reads the wall clock (<c>DateTimeOffset.UtcNow</c>), and replay runs on event time; a test
/// drives the real <c>UserManager</c> through the same sequence and checks the two agree.
/// Defaults: <c>LockoutOptions</c> (MaxFailedAccessAttempts = 5, DefaultLockoutTimeSpan = 5 min,
/// AllowedForNewUsers = true). Note the Identity UI templates pass <c>lockoutOnFailure: false</c>, so many real
/// deployments have no lockout at all; this baseline is the lockout when it is switched on.
/// </remarks>
internal sealed class IdentityLockoutBaseline(int maxFailedAccessAttempts = 5, TimeSpan? lockoutTimeSpan = null) : IBaselinePolicy
{
    private readonly long _lockoutTicks = (lockoutTimeSpan ?? TimeSpan.FromMinutes(5)).Ticks;
    private readonly Dictionary<string, State> _accounts = new(StringComparer.Ordinal);

    public string Name => "ASP.NET Core Identity lockout";
    public string Source => "Microsoft.Extensions.Identity.Core LockoutOptions defaults; UserManager.AccessFailedAsync, SignInManager.CheckPasswordSignInAsync";

    public Intervention Evaluate(in LoginEvent e)
    {
        if (e.Outcome is LoginOutcome.UnknownAccount or LoginOutcome.Locked) return Intervention.Allow;
        long now = e.Attempt.Timestamp.UtcTicks;
        ref State state = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_accounts, e.Attempt.Account, out _);
        if (state.LockoutEnd >= now && state.LockoutEnd != 0) return Intervention.Deny;   // IsLockedOutAsync: end >= now
        if (e.Outcome == LoginOutcome.Success)
        {
            state.Failures = 0;
            return Intervention.Allow;
        }
        if (++state.Failures >= maxFailedAccessAttempts)
        {
            state.LockoutEnd = now + _lockoutTicks;
            state.Failures = 0;
        }
        return Intervention.Allow;
    }

    private struct State
    {
        public int Failures;
        public long LockoutEnd;
    }
}
