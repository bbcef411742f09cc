using System.Security.Cryptography;
using Mamori.Flows.Security;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Factors;

/// <summary>Recovery codes: random, shown once, stored as HMAC(pepper, per-code salt ‖ code), each usable once.</summary>
internal sealed class RecoveryCodes(IFactorStore store, FlowKeys keys, IVerificationLimiter limiter, int count)
{
    // No 0/o/1/l/i: codes are read off paper. 31 symbols ^ 10 ≈ 2^49.5 per code.
    private const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
    public const int CodeLength = 10, SaltBytes = 16;

    public async Task<IReadOnlyList<string>> IssueAsync(string account, CancellationToken ct)
    {
        var codes = new List<string>(count);
        var records = new List<RecoveryCodeRecord>(count);
        for (int i = 0; i < count; i++)
        {
            string code = RandomNumberGenerator.GetString(Alphabet, CodeLength);
            byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
            records.Add(new RecoveryCodeRecord("rc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), account, salt, keys.HashCode(salt, code), null));
            codes.Add($"{code[..5]}-{code[5..]}");
        }
        await store.ReplaceRecoveryCodesAsync(account, records, ct);
        return codes;
    }

    public async Task<bool> HasUnusedAsync(string account, CancellationToken ct) => (await store.GetUnusedRecoveryCodesAsync(account, ct)).Count > 0;

    /// <summary>Normalises user input: hyphens and spaces dropped, lower case.</summary>
    public static string Normalise(string input) => new string(input.Where(c => c is not ('-' or ' ')).ToArray()).ToLowerInvariant();

    public async Task<(VerifyOutcome Outcome, int Remaining, string? CodeId, DateTimeOffset RetryAt)> VerifyAsync(string account, string input, DateTimeOffset now, CancellationToken ct)
    {
        (VerificationAttempt? attempt, DateTimeOffset retryAt) = await limiter.TryReserveAsync(account, now, ct);
        if (attempt is null) return (VerifyOutcome.RateLimited, 0, null, retryAt);
        await using (attempt)   // unsettled on return: the attempt counts as a failure
        {
            string code = Normalise(input);
            IReadOnlyList<RecoveryCodeRecord> unused = await store.GetUnusedRecoveryCodesAsync(account, ct);
            if (unused.Count == 0)
            {
                await attempt.RefundAsync();   // nothing to guess against
                return (VerifyOutcome.NoFactor, 0, null, default);
            }
            foreach (RecoveryCodeRecord record in unused)
            {
                if (!CryptographicOperations.FixedTimeEquals(keys.HashCode(record.Salt, code), record.Hash)) continue;
                if (!await store.TryUseRecoveryCodeAsync(record.Id, now, ct))
                {
                    await attempt.RefundAsync();   // the same right code, submitted twice at once: its twin was accepted
                    return (VerifyOutcome.Reused, unused.Count - 1, record.Id, default);
                }
                await attempt.SucceededAsync();
                return (VerifyOutcome.Verified, unused.Count - 1, record.Id, default);
            }
            return (VerifyOutcome.Rejected, unused.Count, null, default);
        }
    }
}
