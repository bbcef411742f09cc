using System.Globalization;
using System.Security.Cryptography;
using Mamori.Flows.Channels;
using Mamori.Flows.Security;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Factors;

/// <summary>What a send request did.</summary>
internal enum SendOutcome : byte { Sent, NoContact, SendLimited }

/// <summary>A send request's result: the challenge when sent, the time to retry when limited.</summary>
internal readonly record struct SendResult(SendOutcome Outcome, string? ChallengeId, string? Channel, DateTimeOffset ExpiresAt, DateTimeOffset RetryAt);

/// <summary>Six-digit codes sent to the account's registered contact through its channel; stored hashed, single use.</summary>
/// <remarks>Only the registered contact receives codes: a caller-supplied address would let an attacker send the code to
/// themselves. Each code allows <see cref="MaxAttemptsPerCode"/> tries, on top of the per-account limit; sends are limited
/// per account (<see cref="IOneTimeCodeSendLimiter"/>).</remarks>
internal sealed class OneTimeCodes(IFactorStore store, IAccountRecordStore accounts, FlowKeys keys, IVerificationLimiter limiter,
    IOneTimeCodeSendLimiter sendLimiter, Notifier notifier, IAuditLog audit, TimeSpan lifetime)
{
    public const int MaxAttemptsPerCode = 5, SaltBytes = 16;

    /// <summary>True when the account's verification attempts are used up (no code is sent then either).</summary>
    public Task<(bool Blocked, DateTimeOffset RetryAt)> IsBlockedAsync(string account, DateTimeOffset now, CancellationToken ct) =>
        limiter.IsBlockedAsync(account, now, ct);

    /// <summary>Sends a code to the account's registered contact, unless it has none or its send limit is reached (audited).</summary>
    public async Task<SendResult> SendAsync(string account, DateTimeOffset now, CancellationToken ct)
    {
        if (await accounts.GetContactAsync(account, ct) is not { } contact) return new(SendOutcome.NoContact, null, null, default, default);
        (bool acquired, DateTimeOffset retryAt) = await sendLimiter.TryAcquireAsync(account, now, ct);
        if (!acquired)
        {
            await audit.AppendAsync(new AuditEntry(now, account, "one_time_code", contact.Channel, FlowVerdict.Deny.ToWireName(),
                [FlowReason.SendLimited.ToWireName()], "retry at: " + retryAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), ct);
            return new(SendOutcome.SendLimited, null, contact.Channel, default, retryAt);
        }
        string code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        string id = "otc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        DateTimeOffset expires = now + lifetime;
        await store.AddOneTimeCodeAsync(new OneTimeCodeRecord(id, account, contact.Channel, salt, keys.HashCode(salt, code), expires, 0, null), ct);
        await notifier.SendAsync(new OutboundMessage(contact.Channel, contact.Address, account, "Your verification code",
            $"Your verification code is {code}. It expires in {(int)lifetime.TotalMinutes} minutes. Nobody from the service will ask you for it.", now),
            FlowReason.OneTimeCodeSent, ct);
        return new(SendOutcome.Sent, id, contact.Channel, expires, default);
    }

    public async Task<(VerifyOutcome Outcome, DateTimeOffset RetryAt)> VerifyAsync(string account, string challengeId, string code, DateTimeOffset now, CancellationToken ct)
    {
        (VerificationAttempt? attempt, DateTimeOffset retryAt) = await limiter.TryReserveAsync(account, now, ct);
        if (attempt is null) return (VerifyOutcome.RateLimited, retryAt);
        await using (attempt)   // unsettled on return: the attempt counts as a failure
        {
            OneTimeCodeRecord? record = await store.GetOneTimeCodeAsync(challengeId, ct);
            if (record is null || record.Account != account) return (VerifyOutcome.Rejected, default);
            if (record.UsedAt is not null)
            {
                // The accepted code sent again (a double submit) is no guess; another code against a spent challenge is.
                if (Matches(record, code)) await attempt.RefundAsync();
                return (VerifyOutcome.Reused, default);
            }
            // The per-code count is taken before the check, in one conditional UPDATE, so parallel guesses cannot pass it.
            if (now >= record.ExpiresAt || !await store.TryCountOneTimeCodeAttemptAsync(challengeId, MaxAttemptsPerCode, ct))
                return (VerifyOutcome.Rejected, default);
            if (!Matches(record, code)) return (VerifyOutcome.Rejected, default);
            if (await store.TryUseOneTimeCodeAsync(challengeId, now, ct))
            {
                await attempt.SucceededAsync();
                return (VerifyOutcome.Verified, default);
            }
            await attempt.RefundAsync();   // the same right code, submitted twice at once: its twin was accepted
            return (VerifyOutcome.Reused, default);
        }
    }

    private bool Matches(OneTimeCodeRecord record, string code) => CryptographicOperations.FixedTimeEquals(keys.HashCode(record.Salt, code), record.Hash);
}
