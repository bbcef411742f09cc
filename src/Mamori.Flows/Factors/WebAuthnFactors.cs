using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Factors;

/// <summary>Passkeys through the Fido2 library: registration and assertion ceremonies, user verification required.</summary>
/// <remarks>
/// User verification (biometric or PIN on the device, as LINE Pay's device-bound keys did) is required in both
/// ceremonies, so every passkey step-up is money-grade. Pending ceremony options live in memory for
/// <see cref="CeremonyLifetime"/>, one per account and ceremony (a new one replaces the old); bounded by
/// <see cref="MaxPendingCeremonies"/>. Thread-safe.
/// </remarks>
internal sealed class WebAuthnFactors(IFido2 fido2, IFactorStore store, VerificationLimiter limiter)
{
    public static readonly TimeSpan CeremonyLifetime = TimeSpan.FromMinutes(5);
    public const int MaxPendingCeremonies = 100_000;
    private readonly ConcurrentDictionary<string, (CredentialCreateOptions Options, DateTimeOffset Expires)> _registrations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (AssertionOptions Options, DateTimeOffset Expires)> _assertions = new(StringComparer.Ordinal);

    /// <summary>User handle: a keyed hash of the account, so the authenticator never stores the account id itself.</summary>
    private static byte[] UserHandle(string account) => SHA256.HashData(Encoding.UTF8.GetBytes("mamori-user\n" + account));

    public async Task<string?> BeginRegistrationAsync(string account, string? displayName, DateTimeOffset now, CancellationToken ct)
    {
        IReadOnlyList<WebAuthnCredentialRecord> existing = await store.GetWebAuthnCredentialsAsync(account, ct);
        CredentialCreateOptions options = fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = UserHandle(account), Name = account, DisplayName = displayName ?? account },
            ExcludeCredentials = existing.Select(c => new PublicKeyCredentialDescriptor(c.CredentialId)).ToList(),
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Preferred,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        if (!TryPut(_registrations, account, (options, now + CeremonyLifetime), now)) return null;
        return options.ToJson();
    }

    public async Task<(bool Ok, string? Error)> CompleteRegistrationAsync(string account, AuthenticatorAttestationRawResponse response, DateTimeOffset now, CancellationToken ct)
    {
        if (!_registrations.TryRemove(account, out var pending) || now >= pending.Expires) return (false, "no_pending_registration");
        try
        {
            RegisteredPublicKeyCredential credential = await fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = pending.Options,
                IsCredentialIdUniqueToUserCallback = async (args, token) => await store.FindWebAuthnCredentialAsync(args.CredentialId, token) is null,
            }, ct);
            await store.AddWebAuthnCredentialAsync(new WebAuthnCredentialRecord(credential.Id, account, credential.PublicKey,
                UserHandle(account), credential.SignCount, now), ct);
            return (true, null);
        }
        catch (Fido2VerificationException ex) { return (false, ex.Message); }
    }

    /// <summary>Assertion options for the account's passkeys; null when it has none (or too many ceremonies are pending).</summary>
    public async Task<string?> BeginAssertionAsync(string account, DateTimeOffset now, CancellationToken ct)
    {
        IReadOnlyList<WebAuthnCredentialRecord> existing = await store.GetWebAuthnCredentialsAsync(account, ct);
        if (existing.Count == 0) return null;
        AssertionOptions options = fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = existing.Select(c => new PublicKeyCredentialDescriptor(c.CredentialId)).ToList(),
            UserVerification = UserVerificationRequirement.Required,
        });
        if (!TryPut(_assertions, account, (options, now + CeremonyLifetime), now)) return null;
        return options.ToJson();
    }

    public async Task<(VerifyOutcome Outcome, string? Error, DateTimeOffset RetryAt)> CompleteAssertionAsync(string account, AuthenticatorAssertionRawResponse response, DateTimeOffset now, CancellationToken ct)
    {
        (VerificationLimiter.Attempt? attempt, DateTimeOffset retryAt) = await limiter.TryReserveAsync(account, now, ct);
        if (attempt is null) return (VerifyOutcome.RateLimited, null, retryAt);
        using (attempt)   // unsettled on return: the attempt counts as a failure
        {
            if (!_assertions.TryRemove(account, out var pending) || now >= pending.Expires)
            {
                attempt.Refund();   // no ceremony to answer: nothing was checked
                return (VerifyOutcome.Rejected, "no_pending_assertion", default);
            }
            WebAuthnCredentialRecord? stored = await store.FindWebAuthnCredentialAsync(response.RawId, ct);
            if (stored is null || stored.Account != account) return (VerifyOutcome.Rejected, "unknown_credential", default);
            try
            {
                VerifyAssertionResult result = await fido2.MakeAssertionAsync(new MakeAssertionParams
                {
                    AssertionResponse = response,
                    OriginalOptions = pending.Options,
                    StoredPublicKey = stored.PublicKey,
                    StoredSignatureCounter = stored.SignCount,
                    IsUserHandleOwnerOfCredentialIdCallback = (args, _) => Task.FromResult(args.UserHandle.AsSpan().SequenceEqual(stored.UserHandle)),
                }, ct);
                await store.UpdateSignCountAsync(stored.CredentialId, result.SignCount, ct);
                attempt.Succeeded();
                return (VerifyOutcome.Verified, null, default);
            }
            catch (Fido2VerificationException ex)
            {
                return (VerifyOutcome.Rejected, ex.Message, default);
            }
        }
    }

    public async Task<bool> HasAnyAsync(string account, CancellationToken ct) => (await store.GetWebAuthnCredentialsAsync(account, ct)).Count > 0;

    private static bool TryPut<T>(ConcurrentDictionary<string, (T, DateTimeOffset Expires)> map, string account, (T, DateTimeOffset) value, DateTimeOffset now)
    {
        if (map.Count >= MaxPendingCeremonies)
        {
            foreach (var pair in map) if (now >= pair.Value.Expires) map.TryRemove(pair.Key, out _);
            if (map.Count >= MaxPendingCeremonies && !map.ContainsKey(account)) return false;
        }
        map[account] = value;
        return true;
    }
}
