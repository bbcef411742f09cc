namespace Mamori.Events;

/// <summary>
/// The optional fields of a <see cref="LoginAttempt"/> the engine reads, by their wire names (the API's and the log
/// formats'), in one order: what the server's metrics and replay's report count when telling an operator which of
/// them their logins carry.
/// </summary>
public static class OptionalAttemptFields
{
    /// <summary>Indices into <see cref="Names"/>.</summary>
    public const int UserAgent = 0, Device = 1, SecretFp = 2, Asn = 3, Country = 4;

    /// <summary>The fields' wire names, by index.</summary>
    public static IReadOnlyList<string> Names { get; } = ["user_agent", "device", "secret_fp", "asn", "country"];

    /// <summary>Whether <paramref name="attempt"/> carries field <paramref name="field"/> (an index into <see cref="Names"/>).</summary>
    public static bool Carries(LoginAttempt attempt, int field)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return field switch
        {
            UserAgent => attempt.UserAgent is not null,
            Device => attempt.Device is not null,
            SecretFp => attempt.Secret is not null,
            Asn => attempt.Asn is not null,
            Country => attempt.Country is not null,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not an optional attempt field."),
        };
    }
}
