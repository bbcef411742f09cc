using System.Diagnostics;

namespace Mamori.Simulation;

/// <summary>What a policy did to one login attempt, as the scorer counts it.</summary>
/// <remarks>The engine's step_up maps to <see cref="Challenge"/>, as in the replay decisions file.</remarks>
public enum Intervention : byte
{
    /// <summary>Let through.</summary>
    Allow,
    /// <summary>Asked for more (MFA, CAPTCHA, step-up): a real user passes, an attacker usually does not.</summary>
    Challenge,
    /// <summary>Refused.</summary>
    Deny,
}

/// <summary>Wire names of <see cref="Intervention"/> (the <c>decision</c> column of the replay decisions file).</summary>
public static class InterventionNames
{
    public static string ToWireName(this Intervention intervention) => intervention switch
    {
        Intervention.Allow => "allow",
        Intervention.Challenge => "challenge",
        Intervention.Deny => "deny",
        _ => throw new UnreachableException($"Intervention {intervention} has no wire name."),
    };
}
