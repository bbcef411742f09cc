using Mamori.Flows.Factors;

namespace Mamori.Flows.Storage;

/// <summary>What a reservation found.</summary>
internal enum ReservationOutcome : byte
{
    /// <summary>Reserved: the attempt may check its code.</summary>
    Granted,
    /// <summary>The account has used up its failures; retry at <see cref="VerificationReservation.RetryAt"/>.</summary>
    Blocked,
    /// <summary>Failures and attempts in flight fill the limit; ask again when one settles (at the latest, the in-flight
    /// attempt that expires first expires at <see cref="VerificationReservation.RetryAt"/>).</summary>
    Full,
}

/// <summary>A reservation's answer.</summary>
internal readonly record struct VerificationReservation(ReservationOutcome Outcome, DateTimeOffset RetryAt);

/// <summary>The step-up limits' counters kept where every node sees them (the flows' PostgreSQL database).</summary>
/// <remarks>
/// Internal: only <see cref="PostgresFlowStore"/> implements it, and a single node keeps the counters in memory
/// (<see cref="VerificationLimiter"/>, <see cref="OneTimeCodeSendLimiter"/>). Each method decides and writes in one
/// transaction serialised per account, so calls through different nodes cannot pass a limit together. Times are the
/// callers' (the nodes' clocks), as for every other flow record.
/// </remarks>
internal interface ISharedLimitStore
{
    /// <summary>Reserves a verification attempt under <paramref name="reservationId"/> unless the account's failures, or its
    /// failures and attempts in flight, fill <paramref name="maxFailures"/>.</summary>
    /// <remarks>An attempt reserved before <c>now - reservationLifetime</c> and never settled (its node died, or lost the
    /// database) counts as a failure at the time it was reserved, as an attempt disposed unsettled does.</remarks>
    Task<VerificationReservation> TryReserveVerificationAsync(string account, string reservationId, int maxFailures, TimeSpan window,
        TimeSpan reservationLifetime, DateTimeOffset now, CancellationToken ct);

    /// <summary>Settles a reservation: a failure at <paramref name="at"/> counts (unless the reservation had already expired
    /// and been counted), a success forgives the account's failures, a refund gives the attempt back.</summary>
    Task SettleVerificationAsync(string account, string reservationId, VerificationSettlement how, TimeSpan window, DateTimeOffset at,
        CancellationToken ct);

    /// <summary>Deletes the account's failures; true when they were in a window still open at <paramref name="now"/>.
    /// Reservations in flight are kept (they settle as usual).</summary>
    Task<bool> ClearVerificationFailuresAsync(string account, DateTimeOffset now, CancellationToken ct);

    /// <summary>When the account's failures fill <paramref name="maxFailures"/> at <paramref name="now"/>: the end of their window; otherwise null.</summary>
    Task<DateTimeOffset?> GetVerificationBlockAsync(string account, int maxFailures, DateTimeOffset now, CancellationToken ct);

    /// <summary>Records a one-time code send for the account if the last one is at least <paramref name="interval"/> old and
    /// fewer than <paramref name="perHour"/> were recorded in the hour before <paramref name="now"/>; otherwise false, with the
    /// time it will be allowed.</summary>
    Task<(bool Acquired, DateTimeOffset RetryAt)> TryRecordOneTimeCodeSendAsync(string account, TimeSpan interval, int perHour,
        DateTimeOffset now, CancellationToken ct);
}
