using System.Text.Json;
using Mamori.Flows.MoneyMovement;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Http;

/// <summary>Bounds on request fields, each named for what it limits.</summary>
internal static class Limits
{
    public const int MaxIdLength = 128, MaxNameLength = 200, MaxDeviceLength = 256, MaxAddressLength = 320, MaxMethodLength = 64;
    public const int TotpCodeLength = 6, OneTimeCodeLength = 6, MaxRecoveryCodeLength = 32, MaxTokenLength = 1024;
    public const int MaxAuditLimit = 500;
    /// <summary>How far in the future a reported event time may lie (clock skew between caller and Mamori).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
}

/// <summary>Collects field errors for one request.</summary>
internal sealed class Errors
{
    public Dictionary<string, string[]> Map { get; } = [];
    public bool Any => Map.Count > 0;
    public void Add(string field, string message) => Map.TryAdd(field, [message]);

    /// <summary>Required text: present, within length, no control characters.</summary>
    public string Text(string field, string? value, int maxLength, bool required = true)
    {
        if (value is null) { if (required) Add(field, "Required."); return ""; }
        if (value.Length == 0 || value.Length > maxLength) Add(field, $"Must be 1 to {maxLength} characters.");
        else if (value.Any(char.IsControl)) Add(field, "Must not contain control characters.");
        else if (string.IsNullOrWhiteSpace(value)) Add(field, "Must not be blank.");
        return value;
    }

    public string Digits(string field, string? value, int length)
    {
        if (value is null) Add(field, "Required.");
        else if (value.Length != length || !value.All(char.IsAsciiDigit)) Add(field, $"Must be exactly {length} digits.");
        return value ?? "";
    }

    public long Amount(string field, long? value, long max)
    {
        if (value is null) Add(field, "Required.");
        else if (value <= 0 || value > max) Add(field, $"Must be between 1 and {max}.");
        return value ?? 0;
    }
}

/// <summary>Body of the verification endpoints' optional device-trust request.</summary>
internal interface ITrustRequest { string? TrustDevice { get; } }

internal sealed record EmptyRequest;

internal sealed record TotpVerifyRequest(string? Code, string? TrustDevice) : ITrustRequest;

internal sealed record RecoveryVerifyRequest(string? Code, string? TrustDevice) : ITrustRequest;

internal sealed record OneTimeCodeVerifyRequest(string? ChallengeId, string? Code, string? TrustDevice) : ITrustRequest;

internal sealed record WebAuthnRegistrationOptionsRequest(string? DisplayName);

internal sealed record WebAuthnCredentialRequest(JsonElement? Credential, string? TrustDevice) : ITrustRequest;

internal sealed record DeviceTokenVerifyRequest(string? Account, string? Device, string? Token);

internal sealed record AccountEventRequest(string? Type, DateTimeOffset? At);

internal sealed record ContactBody(string? Channel, string? Address);

internal sealed record ChangeRequest(string? Kind, ContactBody? Contact);

internal sealed record IdentityBody(string? VerifiedName, DateOnly? BirthDate, string? Method, DateTimeOffset? VerifiedAt);

internal sealed record LinkRequest(string? WalletAccount, string? Bank, string? BankAccount, string? HolderName, IdentityBody? Identity);

internal sealed record ChargeRequest(long? Amount);

internal sealed record DestinationRequest(string? Bank, string? BankAccount, string? HolderName, IdentityBody? Identity);

internal sealed record WithdrawalRequest(string? DestinationId, long? Amount);

internal static class RequestValidation
{
    public static readonly string[] ContactChannels = ["sms", "email", "webhook"];

    public static IdentityProof? Identity(Errors errors, IdentityBody? body, DateTimeOffset now)
    {
        if (body is null) return null;   // absent means "not proofed": a decision, not a bad request
        string name = errors.Text("identity.verified_name", body.VerifiedName, Limits.MaxNameLength);
        string method = errors.Text("identity.method", body.Method, Limits.MaxMethodLength);
        if (body.BirthDate is null) errors.Add("identity.birth_date", "Required.");
        else if (body.BirthDate < new DateOnly(1900, 1, 1) || body.BirthDate > DateOnly.FromDateTime(now.UtcDateTime)) errors.Add("identity.birth_date", "Out of range.");
        if (body.VerifiedAt is null) errors.Add("identity.verified_at", "Required.");
        else if (body.VerifiedAt > now + Limits.MaxClockSkew) errors.Add("identity.verified_at", "Must not be in the future.");
        return errors.Any ? null : new IdentityProof(name, body.BirthDate!.Value, method, body.VerifiedAt!.Value);
    }

    public static ContactRecord? Contact(Errors errors, ContactBody? body, string field)
    {
        if (body is null) { errors.Add(field, "Required."); return null; }
        string channel = errors.Text(field + ".channel", body.Channel, 16);
        if (body.Channel is not null && !ContactChannels.Contains(channel)) errors.Add(field + ".channel", "Must be sms, email or webhook.");
        string address = errors.Text(field + ".address", body.Address, Limits.MaxAddressLength);
        return errors.Any ? null : new ContactRecord(channel, address);
    }
}
