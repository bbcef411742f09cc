using Mamori.Events;

namespace Mamori.Simulation;

/// <summary>One generated login event with its ground truth: a line of the simulated log.</summary>
/// <remarks>A struct in one big list: a week of 100k users is about a million of these, sorted once by time.</remarks>
internal readonly struct SimulatedLogin
{
    public required long UtcTicks { get; init; }
    /// <summary>Tie-breaker that keeps generation order for equal timestamps, so sorting is deterministic.</summary>
    public required long Sequence { get; init; }
    public required string Account { get; init; }
    public required SimAddress Address { get; init; }
    public required LoginOutcome Outcome { get; init; }
    public string? UserAgent { get; init; }
    public string? Device { get; init; }
    public SecretFingerprint? Secret { get; init; }
    public required TruthLabel Label { get; init; }
    public required string Scenario { get; init; }
    public bool Takeover { get; init; }
    public string? Tenant { get; init; }

    public DateTimeOffset Timestamp => new(UtcTicks, TimeSpan.Zero);

    public GroundTruth Truth => new(Label, Scenario, Takeover);

    /// <summary>The event as the engine sees it: no ground truth.</summary>
    public LoginEvent ToLoginEvent() => new(
        new LoginAttempt
        {
            Timestamp = Timestamp,
            Account = Account,
            Ip = Address.Address,
            UserAgent = UserAgent,
            Device = Device,
            Secret = Secret,
            Tenant = Tenant,
            Asn = Address.Asn,
            Country = Address.Country,
        },
        Outcome);
}
