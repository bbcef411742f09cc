namespace Mamori.Flows.Storage;

/// <summary>A TOTP factor; the seed is stored only encrypted (<see cref="SealedSecret"/>).</summary>
public sealed record TotpFactorRecord(string Id, string Account, byte[] SealedSecret, long? LastUsedStep, bool Confirmed, DateTimeOffset CreatedAt);

/// <summary>A registered passkey.</summary>
public sealed record WebAuthnCredentialRecord(byte[] CredentialId, string Account, byte[] PublicKey, byte[] UserHandle, uint SignCount, DateTimeOffset CreatedAt);

/// <summary>One recovery code, as a salted keyed hash (the code itself is never stored).</summary>
public sealed record RecoveryCodeRecord(string Id, string Account, byte[] Salt, byte[] Hash, DateTimeOffset? UsedAt);

/// <summary>A one-time code sent through a channel, stored hashed.</summary>
public sealed record OneTimeCodeRecord(string Id, string Account, string Channel, byte[] Salt, byte[] Hash, DateTimeOffset ExpiresAt, int Attempts, DateTimeOffset? UsedAt);

/// <summary>Where the account's notifications go: a channel name and an address.</summary>
public sealed record ContactRecord(string Channel, string Address);

/// <summary>Event types the caller reports for an account (the login engine's decisions live elsewhere).</summary>
public enum AccountEventType : byte
{
    /// <summary>A login from an unfamiliar environment succeeded.</summary>
    UnfamiliarLogin,
    /// <summary>The password was reset through a recovery flow.</summary>
    PasswordReset,
}

/// <summary>State of a funding-source link or withdrawal destination.</summary>
public enum LinkState : byte
{
    /// <summary>Usable (within its limits).</summary>
    Active,
    /// <summary>Frozen by the holder's "not me" or the operator.</summary>
    Frozen,
}

/// <summary>A wallet ← bank-account link.</summary>
public sealed record LinkRecord(string Id, string Wallet, string Bank, string BankAccount, string HolderName, LinkState State,
    DateTimeOffset CreatedAt, DateTimeOffset CoolOffUntil, byte[] NotMeTokenHash, DateTimeOffset? FrozenAt);

/// <summary>A withdrawal destination of an account.</summary>
public sealed record DestinationRecord(string Id, string Account, string Bank, string BankAccount, string HolderName, LinkState State,
    DateTimeOffset CreatedAt, DateTimeOffset HoldUntil, byte[] NotMeTokenHash);

/// <summary>One audit entry: a decision or a notification with its reasons.</summary>
/// <param name="Kind">What happened, snake_case (e.g. <c>link_decision</c>, <c>notification</c>).</param>
/// <param name="Subject">The link, destination, factor or recipient it concerns.</param>
/// <param name="Verdict">The verdict wire name, when it is a decision.</param>
/// <param name="Reasons">Reason wire names.</param>
/// <param name="Detail">Free text for analysts (never a secret or a code).</param>
public sealed record AuditEntry(DateTimeOffset At, string Account, string Kind, string? Subject, string? Verdict, IReadOnlyList<string> Reasons, string? Detail)
{
    /// <summary>Sequence number assigned by the log (0 before it is appended).</summary>
    public long Sequence { get; init; }
}
