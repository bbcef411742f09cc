namespace Mamori.Policy;

/// <summary>One reason of a decision: a stable code and a sentence a person understands.</summary>
/// <param name="Code">Machine-readable reason.</param>
/// <param name="Message">Explanation with the evidence (counts, windows); never a secret or fingerprint.</param>
public readonly record struct Reason(ReasonCode Code, string Message);

/// <summary>The engine's answer to one assessment.</summary>
public sealed record Decision
{
    /// <summary>What the caller should do (after monitor-only mode: always allow then).</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>What the policy would have done; differs from <see cref="Verdict"/> only in monitor-only mode.</summary>
    public required Verdict PolicyVerdict { get; init; }

    /// <summary>Risk in [0, 1]: 0 is an ordinary login, 1 an attack beyond doubt.</summary>
    public required double Score { get; init; }

    private readonly Reason[] _reasons = [];

    /// <summary>Why, strongest first; empty for an ordinary login.</summary>
    /// <remarks>Held as an array whatever list it is given (another list is copied), so one type stands behind the
    /// interface and <see cref="ReasonSpan"/> reads it without a call per item: with three list types behind it, every
    /// read went through the runtime's slowest dispatch stub, 5 % of replay's parsing thread on its own.</remarks>
    public required IReadOnlyList<Reason> Reasons
    {
        get => _reasons;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _reasons = value as Reason[] ?? [.. value];
        }
    }

    /// <summary><see cref="Reasons"/> as a span.</summary>
    public ReadOnlySpan<Reason> ReasonSpan => _reasons;

    /// <summary>Campaigns this attempt was counted in.</summary>
    public IReadOnlyList<string> CampaignIds { get; init; } = [];

    /// <summary>True when the account's environment was familiar (a known device or the usual network and browser).</summary>
    public bool Familiar { get; init; }

    /// <summary>Whether the reasons contain <paramref name="code"/>.</summary>
    public bool Has(ReasonCode code)
    {
        foreach (Reason reason in _reasons)
            if (reason.Code == code) return true;
        return false;
    }
}
