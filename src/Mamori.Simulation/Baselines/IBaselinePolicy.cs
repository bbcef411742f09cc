using Mamori.Events;

namespace Mamori.Simulation.Baselines;

/// <summary>
/// A published lockout/throttling default, replayed on a login log: for each event in order, would this policy
/// have refused the attempt before the secret was checked?
/// </summary>
/// <remarks>
/// Contract for every baseline: <see cref="Evaluate"/> first decides from the state built by earlier events,
/// then, only if the attempt was let through, updates that state with the event's logged outcome (a refused
/// attempt never reached the password check, so it neither fails nor succeeds). Time is the event's timestamp.
/// The log is replayed as recorded: attackers do not adapt to the baseline's blocks. Not thread-safe.
/// </remarks>
internal interface IBaselinePolicy
{
    /// <summary>Short name for tables (e.g. "ASP.NET Core Identity lockout").</summary>
    string Name { get; }

    /// <summary>Where the defaults come from (documentation or source), for the benchmark's footnotes.</summary>
    string Source { get; }

    /// <summary>Decides on one event, then records it. Events must come in time order.</summary>
    Intervention Evaluate(in LoginEvent e);
}

/// <summary>The baselines <c>mamori bench detection</c> runs beside Mamori, each with its published defaults.</summary>
internal static class BaselinePolicies
{
    /// <summary>Fresh instances (baselines hold state; use one set per replay).</summary>
    public static IReadOnlyList<IBaselinePolicy> CreateAll() =>
    [
        new IdentityLockoutBaseline(),
        new Auth0BruteForceBaseline(),
        new Auth0SuspiciousIpThrottlingBaseline(),
        new Auth0AttackProtectionBaseline(),
        new KeycloakBruteForceBaseline(),
    ];

    internal static bool IsFailure(LoginOutcome outcome) => outcome is LoginOutcome.WrongSecret or LoginOutcome.UnknownAccount;
}
