using System.Security.Cryptography;
using Mamori.Flows.Security;
using Mamori.Flows.Storage;
using OtpNet;

namespace Mamori.Flows.Factors;

/// <summary>Outcome of a verification.</summary>
internal enum VerifyOutcome : byte { Verified, Rejected, Reused, RateLimited, NoFactor }

/// <summary>What a TOTP verification found.</summary>
/// <param name="FactorId">The factor the code matched; null when it matched none.</param>
/// <param name="Dropped">When the code confirmed a new enrolment: how many other unconfirmed enrolments of the account were
/// deleted; otherwise null.</param>
internal readonly record struct TotpVerification(VerifyOutcome Outcome, string? FactorId, int? Dropped, DateTimeOffset RetryAt);

/// <summary>TOTP factors (RFC 6238) through Otp.NET: SHA-1, 6 digits, 30 s steps — what every authenticator app reads.</summary>
/// <remarks>
/// Otp.NET computes and compares codes (±1 step, RFC 6238 §5.2); this class adds what it leaves to the caller:
/// the seed sealed at rest, single use (the last used step per factor, advanced atomically in the store) and the
/// per-account failure limit. A new enrolment is unconfirmed: its first code, within <c>enrollmentWindow</c> of its
/// creation, confirms it (and drops the account's other unconfirmed enrolments); after that window it never verifies.
/// Otherwise an attacker could enrol a seed while the account had no factor, never confirm it, and keep passing
/// step-ups with it after the holder set up their own.
/// </remarks>
internal sealed class TotpFactors(IFactorStore store, FlowKeys keys, IVerificationLimiter limiter, string issuer, TimeSpan enrollmentWindow)
{
    public const int SecretBytes = 20;   // 160 bits, RFC 4226 §4 R6 recommends it
    public const int Digits = 6, StepSeconds = 30;

    public async Task<(string FactorId, string OtpAuthUri)> EnrollAsync(string account, DateTimeOffset now, CancellationToken ct)
    {
        byte[] secret = RandomNumberGenerator.GetBytes(SecretBytes);
        string id = "totp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await store.AddTotpAsync(new TotpFactorRecord(id, account, keys.Seal(secret, Context(id, account)), null, false, now), ct);
        string label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(account);
        string uri = $"otpauth://totp/{label}?secret={Base32Encoding.ToString(secret).TrimEnd('=')}&issuer={Uri.EscapeDataString(issuer)}" +
                     $"&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
        CryptographicOperations.ZeroMemory(secret);
        return (id, uri);
    }

    public async Task<TotpVerification> VerifyAsync(string account, string code, DateTimeOffset now, CancellationToken ct)
    {
        (VerificationAttempt? attempt, DateTimeOffset retryAt) = await limiter.TryReserveAsync(account, now, ct);
        if (attempt is null) return new(VerifyOutcome.RateLimited, null, null, retryAt);
        await using (attempt)   // unsettled on return: the attempt counts as a failure
        {
            // Confirmed factors first; an unconfirmed one only within its enrolment window, where a match confirms it.
            TotpFactorRecord[] usable = [.. (await store.GetTotpFactorsAsync(account, ct))
                .Where(f => f.Confirmed || now - f.CreatedAt < enrollmentWindow).OrderByDescending(f => f.Confirmed)];
            if (usable.Length == 0)
            {
                await attempt.RefundAsync();   // nothing to guess against
                return new(VerifyOutcome.NoFactor, null, null, default);
            }
            foreach (TotpFactorRecord factor in usable)
            {
                if (!Matches(factor, account, code, now, out long step)) continue;
                if (factor.Confirmed && await store.TryAdvanceTotpStepAsync(factor.Id, step, ct))
                {
                    await attempt.SucceededAsync();
                    return new(VerifyOutcome.Verified, factor.Id, null, default);
                }
                if (!factor.Confirmed && await store.TryConfirmTotpAsync(factor.Id, step, ct) is int dropped)
                {
                    await attempt.SucceededAsync();
                    return new(VerifyOutcome.Verified, factor.Id, dropped, default);
                }
                // Not accepted: the step (or a later one) was used, or the enrolment was confirmed or dropped meanwhile.
                // A replayed code is an attack signal as much as a wrong one, but the code of the step just accepted, sent
                // again (a double submit, or its parallel twin that lost), is the holder's: it must not lock them out.
                TotpFactorRecord? current = (await store.GetTotpFactorsAsync(account, ct)).FirstOrDefault(f => f.Id == factor.Id);
                if (current is null) return new(VerifyOutcome.Rejected, null, null, default);   // dropped: another enrolment won
                if (current.LastUsedStep == step) await attempt.RefundAsync();
                return new(VerifyOutcome.Reused, factor.Id, null, default);
            }
            return new(VerifyOutcome.Rejected, null, null, default);
        }
    }

    private bool Matches(TotpFactorRecord factor, string account, string code, DateTimeOffset now, out long step)
    {
        byte[] secret = keys.Unseal(factor.SealedSecret, Context(factor.Id, account));
        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        bool match = totp.VerifyTotp(now.UtcDateTime, code, out step, VerificationWindow.RfcSpecifiedNetworkDelay);
        CryptographicOperations.ZeroMemory(secret);
        return match;
    }

    public async Task<bool> HasConfirmedAsync(string account, CancellationToken ct) =>
        (await store.GetTotpFactorsAsync(account, ct)).Any(f => f.Confirmed);

    private static string Context(string factorId, string account) => $"totp\n{factorId}\n{account}";
}
