using System.Diagnostics;

namespace Mamori.Policy;

/// <summary>What the caller should do. Pre-auth answers allow, challenge or deny; an outcome answers allow, step_up or deny.</summary>
public enum Verdict : byte
{
    /// <summary>Go on.</summary>
    Allow,
    /// <summary>Pre-auth: make the client prove it is a person (CAPTCHA, proof of work, delay) before checking the secret.</summary>
    Challenge,
    /// <summary>Outcome: the secret was right but the session needs a second factor before it opens.</summary>
    StepUp,
    /// <summary>Refuse: strong evidence of an attack on this request.</summary>
    Deny,
}

/// <summary>Wire names of <see cref="Verdict"/>: public, never renamed.</summary>
public static class VerdictNames
{
    /// <summary>The wire name of a verdict.</summary>
    public static string ToWireName(this Verdict verdict) => verdict switch
    {
        Verdict.Allow => "allow",
        Verdict.Challenge => "challenge",
        Verdict.StepUp => "step_up",
        Verdict.Deny => "deny",
        _ => throw new UnreachableException($"Verdict {verdict} has no wire name."),
    };
}
