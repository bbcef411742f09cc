using Mamori.Events;

namespace Mamori.Simulation.Baselines;

/// <summary>
/// Keycloak's default brute-force detector (temporary lockout), with the realm defaults when it is switched on:
/// failure factor 30, wait increment 60 s, max wait 900 s, quick-login check 1,000 ms with a 60 s minimum wait,
/// failure reset 12 h.
/// </summary>
/// <remarks>
/// Follows <c>DefaultBruteForceProtector.failure</c> (keycloak/keycloak, services/.../managers): per user, a
/// failure more than <c>maxDeltaTimeSeconds</c> after the previous one clears the count; then
/// <c>wait = waitIncrement × (failures / failureFactor)</c> (integer division); if that is zero and the previous
/// failure was under <c>quickLoginCheckMilliSeconds</c> ago, <c>wait = minimumQuickLoginWait</c>; capped at
/// <c>maxFailureWait</c>; the user is disabled until <c>now + wait</c> (whole seconds). A successful login clears
/// the failures. Unknown usernames have no user and are not tracked. Brute-force detection is off in a new
/// realm; these are the values the admin console fills in when it is enabled.
/// </remarks>
internal sealed class KeycloakBruteForceBaseline : IBaselinePolicy
{
    public const int FailureFactor = 30;
    public const int WaitIncrementSeconds = 60;
    public const int MaxFailureWaitSeconds = 900;
    public const long QuickLoginCheckMilliseconds = 1_000;
    public const int MinimumQuickLoginWaitSeconds = 60;
    public const int MaxDeltaTimeSeconds = 12 * 3600;

    private readonly Dictionary<string, State> _users = new(StringComparer.Ordinal);

    public string Name => "Keycloak brute-force detector";
    public string Source => "keycloak/keycloak DefaultBruteForceProtector; realm defaults failureFactor 30, waitIncrementSeconds 60, maxFailureWaitSeconds 900, quickLoginCheckMilliSeconds 1000, minimumQuickLoginWaitSeconds 60, maxDeltaTimeSeconds 43200";

    public Intervention Evaluate(in LoginEvent e)
    {
        if (e.Outcome is LoginOutcome.UnknownAccount or LoginOutcome.Locked) return Intervention.Allow;
        long nowMs = e.Attempt.Timestamp.ToUnixTimeMilliseconds();
        ref State state = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_users, e.Attempt.Account, out _);
        if (nowMs / 1000 < state.NotBeforeSeconds) return Intervention.Deny;   // isTemporarilyDisabled
        if (e.Outcome == LoginOutcome.Success)
        {
            state = default;   // clearFailures
            return Intervention.Allow;
        }
        long last = state.LastFailureMs;
        long delta = last > 0 ? nowMs - last : 0;
        state.LastFailureMs = nowMs;
        if (delta > 0 && delta > MaxDeltaTimeSeconds * 1000L) state.Failures = 0;
        state.Failures++;
        int wait = WaitIncrementSeconds * (state.Failures / FailureFactor);
        if (wait == 0 && last > 0 && delta < QuickLoginCheckMilliseconds) wait = MinimumQuickLoginWaitSeconds;
        if (wait > 0) state.NotBeforeSeconds = nowMs / 1000 + Math.Min(MaxFailureWaitSeconds, wait);
        return Intervention.Allow;
    }

    private struct State
    {
        public int Failures;
        public long LastFailureMs;
        public long NotBeforeSeconds;
    }
}
