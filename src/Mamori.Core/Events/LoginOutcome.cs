namespace Mamori.Events;

/// <summary>What the caller found when it checked the submitted secret.</summary>
public enum LoginOutcome : byte
{
    /// <summary>The secret was right; the caller is about to open a session.</summary>
    Success,
    /// <summary>The account exists and the secret was wrong.</summary>
    WrongSecret,
    /// <summary>No such account: stuffing lists and guessed account numbers hit many of these.</summary>
    UnknownAccount,
    /// <summary>The caller's own lockout refused the attempt before checking the secret.</summary>
    Locked,
}
