using System.Diagnostics;

namespace Mamori.Events;

/// <summary>Wire names of <see cref="LoginOutcome"/>: a public contract, never renamed.</summary>
public static class LoginOutcomeNames
{
    /// <summary>The wire name of an outcome.</summary>
    public static string ToWireName(this LoginOutcome outcome) => outcome switch
    {
        LoginOutcome.Success => "success",
        LoginOutcome.WrongSecret => "wrong_secret",
        LoginOutcome.UnknownAccount => "unknown_account",
        LoginOutcome.Locked => "locked",
        _ => throw new UnreachableException($"LoginOutcome {outcome} has no wire name."),
    };

    /// <summary>Parses a wire name (exact, lower case).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out LoginOutcome outcome)
    {
        switch (text)
        {
            case "success": outcome = LoginOutcome.Success; return true;
            case "wrong_secret": outcome = LoginOutcome.WrongSecret; return true;
            case "unknown_account": outcome = LoginOutcome.UnknownAccount; return true;
            case "locked": outcome = LoginOutcome.Locked; return true;
            default: outcome = default; return false;
        }
    }
}
