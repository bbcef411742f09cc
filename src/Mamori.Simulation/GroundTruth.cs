using System.Diagnostics;

namespace Mamori.Simulation;

/// <summary>Whether an event came from the account's real user or from an attacker.</summary>
public enum TruthLabel : byte
{
    /// <summary>The account's own user (or a person mistyping their own account id).</summary>
    Legit,
    /// <summary>An attacker's attempt.</summary>
    Attack,
}

/// <summary>
/// The ground truth of one logged event: carried by simulated logs (and the RBA dataset) beside the event,
/// read by scorers, and never shown to the engine.
/// </summary>
/// <param name="Label">Legit or attack.</param>
/// <param name="Scenario">The attack scenario (e.g. <c>password-spray</c>), or the kind of legitimate behaviour
/// (e.g. <c>typo</c>); never null, <see cref="GroundTruthNames.Unspecified"/> when the log gives none.</param>
/// <param name="Takeover">True on an attacker's successful login.</param>
public readonly record struct GroundTruth(TruthLabel Label, string Scenario, bool Takeover)
{
    /// <summary>True for attacker events.</summary>
    public bool IsAttack => Label == TruthLabel.Attack;
}

/// <summary>Wire names of <see cref="TruthLabel"/> and the scenario used when a log has none.</summary>
public static class GroundTruthNames
{
    /// <summary>Scenario of a labelled event whose log gives no scenario.</summary>
    public const string Unspecified = "unspecified";

    /// <summary>The wire name of a label.</summary>
    public static string ToWireName(this TruthLabel label) => label switch
    {
        TruthLabel.Legit => "legit",
        TruthLabel.Attack => "attack",
        _ => throw new UnreachableException($"TruthLabel {label} has no wire name."),
    };

    /// <summary>Parses <c>legit</c> or <c>attack</c> (exact, lower case).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out TruthLabel label)
    {
        switch (text)
        {
            case "legit": label = TruthLabel.Legit; return true;
            case "attack": label = TruthLabel.Attack; return true;
            default: label = default; return false;
        }
    }
}
