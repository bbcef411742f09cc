using System.Security.Cryptography;
using System.Text;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Factors;

/// <summary>Passkeys through the Fido2 library: registration and assertion ceremonies, user verification required.</summary>
/// <remarks>
/// User verification (biometric or PIN on the device, as LINE Pay's device-bound keys did) is required in both
/// ceremonies, so every passkey step-up is money-grade. Pending ceremony options are kept in the store for
/// <see cref="CeremonyLifetime"/>, one per account and ceremony (a new one replaces the old), and taken once: the
/// browser may post its answer to any node that shares the store. Expired ones are deleted as new ones are stored, so
/// the table holds at most two rows per account that began a ceremony in the last five minutes. Thread-safe.
/// </remarks>
internal sealed class WebAuthnFactors(IFido2 fido2, IFactorStore store, IWebAuthnCeremonyStore ceremonies, IVerificationLimiter limiter)
{
    public static readonly TimeSpan CeremonyLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Ceremony names in the store (wire-stable: rows written by one version are read by the next).</summary>
    internal const string Registration = "registration", Assertion = "assertion";

    /// <summary>User handle: a keyed hash of the account, so the authenticator never stores the account id itself.</summary>
    private static byte[] UserHandle(string account) => SHA256.HashData(Encoding.UTF8.GetBytes("mamori-user\n" + account));

    public async Task<string> BeginRegistrationAsync(string account, string? displayName, DateTimeOffset now, CancellationToken ct)
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
        string json = options.ToJson();
        await ceremonies.PutWebAuthnCeremonyAsync(account, Registration, json, now + CeremonyLifetime, now, ct);
        return json;
    }

    public async Task<(bool Ok, string? Error)> CompleteRegistrationAsync(string account, AuthenticatorAttestationRawResponse response, DateTimeOffset now, CancellationToken ct)
    {
        if (await ceremonies.TryTakeWebAuthnCeremonyAsync(account, Registration, now, ct) is not { } pending) return (false, "no_pending_registration");
        try
        {
            RegisteredPublicKeyCredential credential = await fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = CredentialCreateOptions.FromJson(pending),
                IsCredentialIdUniqueToUserCallback = async (args, token) => await store.FindWebAuthnCredentialAsync(args.CredentialId, token) is null,
            }, ct);
            await store.AddWebAuthnCredentialAsync(new WebAuthnCredentialRecord(credential.Id, account, credential.PublicKey,
                UserHandle(account), credential.SignCount, now), ct);
            return (true, null);
        }
        catch (Fido2VerificationException ex) { return (false, ex.Message); }
    }

    /// <summary>Assertion options for the account's passkeys; null when it has none.</summary>
    public async Task<string?> BeginAssertionAsync(string account, DateTimeOffset now, CancellationToken ct)
    {
        IReadOnlyList<WebAuthnCredentialRecord> existing = await store.GetWebAuthnCredentialsAsync(account, ct);
        if (existing.Count == 0) return null;
        AssertionOptions options = fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = existing.Select(c => new PublicKeyCredentialDescriptor(c.CredentialId)).ToList(),
            UserVerification = UserVerificationRequirement.Required,
        });
        string json = options.ToJson();
        await ceremonies.PutWebAuthnCeremonyAsync(account, Assertion, json, now + CeremonyLifetime, now, ct);
        return json;
    }

    public async Task<(VerifyOutcome Outcome, string? Error, DateTimeOffset RetryAt)> CompleteAssertionAsync(string account, AuthenticatorAssertionRawResponse response, DateTimeOffset now, CancellationToken ct)
    {
        (VerificationAttempt? attempt, DateTimeOffset retryAt) = await limiter.TryReserveAsync(account, now, ct);
        if (attempt is null) return (VerifyOutcome.RateLimited, null, retryAt);
        await using (attempt)   // unsettled on return: the attempt counts as a failure
        {
            if (await ceremonies.TryTakeWebAuthnCeremonyAsync(account, Assertion, now, ct) is not { } pending)
            {
                await attempt.RefundAsync();   // no ceremony to answer: nothing was checked
                return (VerifyOutcome.Rejected, "no_pending_assertion", default);
            }
            WebAuthnCredentialRecord? stored = await store.FindWebAuthnCredentialAsync(response.RawId, ct);
            if (stored is null || stored.Account != account) return (VerifyOutcome.Rejected, "unknown_credential", default);
            try
            {
                VerifyAssertionResult result = await fido2.MakeAssertionAsync(new MakeAssertionParams
                {
                    AssertionResponse = response,
                    OriginalOptions = AssertionOptions.FromJson(pending),
                    StoredPublicKey = stored.PublicKey,
                    StoredSignatureCounter = stored.SignCount,
                    IsUserHandleOwnerOfCredentialIdCallback = (args, _) => Task.FromResult(args.UserHandle.AsSpan().SequenceEqual(stored.UserHandle)),
                }, ct);
                await store.UpdateSignCountAsync(stored.CredentialId, result.SignCount, ct);
                await attempt.SucceededAsync();
                return (VerifyOutcome.Verified, null, default);
            }
            catch (Fido2VerificationException ex)
            {
                return (VerifyOutcome.Rejected, ex.Message, default);
            }
        }
    }

    public async Task<bool> HasAnyAsync(string account, CancellationToken ct) => (await store.GetWebAuthnCredentialsAsync(account, ct)).Count > 0;
}
