using Mamori.Flows.Storage;

namespace Mamori.Flows.Factors;

/// <summary>What an operator does to an account's step-ups from outside the flows' own endpoints (the server's admin
/// API, the dashboard).</summary>
public sealed class FactorAdministration
{
    private readonly IVerificationLimiter _limiter;
    private readonly IAuditLog _audit;

    internal FactorAdministration(IVerificationLimiter limiter, IAuditLog audit)
    {
        _limiter = limiter;
        _audit = audit;
    }

    /// <summary>Until when the account's step-ups are blocked by wrong codes at <paramref name="now"/>; null when they are not.</summary>
    public async Task<DateTimeOffset?> GetVerificationBlockAsync(string account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        (bool blocked, DateTimeOffset retryAt) = await _limiter.IsBlockedAsync(account, now, cancellationToken).ConfigureAwait(false);
        return blocked ? retryAt : null;
    }

    /// <summary>Lifts the block that <see cref="FlowsOptions.MaxFailedVerifications"/> wrong codes put on the account's
    /// step-ups for <see cref="FlowsOptions.VerificationWindow"/>: for a support desk that confirmed the holder another
    /// way (anyone who knows an account id can set that block by guessing). Audited in the flows' log with the operator's
    /// key when there was a block or failures to clear.</summary>
    /// <returns>True when the account had failures in an open window; false when there was nothing to clear.</returns>
    /// <remarks>Attempts in flight still count when they settle. On PostgreSQL the failures every node counts are cleared.</remarks>
    public async Task<bool> ClearVerificationFailuresAsync(string account, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        bool cleared = await _limiter.ClearFailuresAsync(account, now, cancellationToken).ConfigureAwait(false);
        if (cleared)
        {
            await _audit.AppendAsync(new AuditEntry(now, account, "verification_failures_cleared", null, null, [], $"operator key {actor}"),
                cancellationToken).ConfigureAwait(false);
        }
        return cleared;
    }
}
