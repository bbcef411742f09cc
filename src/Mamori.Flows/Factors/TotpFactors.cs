using System.Security.Cryptography;
using Mamori.Flows.Security;
using Mamori.Flows.Storage;
using OtpNet;

namespace Mamori.Flows.Factors;

/// <summary>Outcome of a verification.</summary>
internal enum VerifyOutcome : byte { Verified, Rejected, Reused, RateLimited, NoFactor }

/// <summary>TOTP factors (RFC 6238) through Otp.NET: SHA-1, 6 digits, 30 s steps — what every authenticator app reads.</summary>
/// <remarks>
/// Otp.NET computes and compares codes (±1 step, RFC 6238 §5.2); this class adds what it leaves to the caller:
/// the seed sealed at rest, single use (the last used step per factor, advanced atomically in the store) and the
/// per-account failure limit.
/// </remarks>
internal sealed class TotpFactors(IFactorStore store, FlowKeys keys, VerificationLimiter limiter, string issuer)
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

    public async Task<(VerifyOutcome Outcome, string? FactorId, DateTimeOffset RetryAt)> VerifyAsync(string account, string code, DateTimeOffset now, CancellationToken ct)
    {
        (VerificationLimiter.Attempt? attempt, DateTimeOffset retryAt) = await limiter.TryReserveAsync(account, now, ct);
        if (attempt is null) return (VerifyOutcome.RateLimited, null, retryAt);
        using (attempt)   // unsettled on return: the attempt counts as a failure
        {
            IReadOnlyList<TotpFactorRecord> factors = await store.GetTotpFactorsAsync(account, ct);
            if (factors.Count == 0)
            {
                attempt.Refund();   // nothing to guess against
                return (VerifyOutcome.NoFactor, null, default);
            }
            foreach (TotpFactorRecord factor in factors)
            {
                if (!Matches(factor, account, code, now, out long step)) continue;
                if (await store.TryAdvanceTotpStepAsync(factor.Id, step, ct))
                {
                    attempt.Succeeded();
                    return (VerifyOutcome.Verified, factor.Id, default);
                }
                // A replayed code is an attack signal as much as a wrong one, but the code of the step just accepted, sent
                // again (a double submit, or its parallel twin that lost), is the holder's: it must not lock them out.
                if (await LastUsedStepAsync(account, factor.Id, ct) == step) attempt.Refund();
                return (VerifyOutcome.Reused, factor.Id, default);
            }
            return (VerifyOutcome.Rejected, null, default);
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

    /// <summary>The factor's last used step as stored now (a parallel request may have advanced it since it was read).</summary>
    private async Task<long?> LastUsedStepAsync(string account, string factorId, CancellationToken ct) =>
        (await store.GetTotpFactorsAsync(account, ct)).FirstOrDefault(f => f.Id == factorId)?.LastUsedStep;

    public async Task<bool> HasConfirmedAsync(string account, CancellationToken ct) =>
        (await store.GetTotpFactorsAsync(account, ct)).Any(f => f.Confirmed);

    private static string Context(string factorId, string account) => $"totp\n{factorId}\n{account}";
}
