using System.Globalization;
using System.Text.Json;
using Fido2NetLib;
using Mamori.Flows.Channels;
using Mamori.Flows.Factors;
using Mamori.Flows.MoneyMovement;
using Mamori.Flows.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Routing;

namespace Mamori.Flows.Http;

/// <summary>HTTP endpoints of the step-up factors and money-movement flows.</summary>
public static class FlowsEndpoints
{
    /// <summary>Maps the flow endpoints the operator's services call under <c>/v1</c> (factors, device tokens, account
    /// events and changes, withdrawals, links). Mount inside the server's authenticated group: they carry no auth of
    /// their own. The audit trail is mapped apart (<see cref="MapMamoriFlowsAudit"/>) so it can need more.</summary>
    public static IEndpointRouteBuilder MapMamoriFlows(this IEndpointRouteBuilder app)
    {
        // The key file is made now, not at the first enrolment: several nodes on one PostgreSQL store must share it,
        // and "copy flows.key to every node" must be possible as soon as the first node has started.
        try
        {
            _ = app.ServiceProvider.GetRequiredService<Security.FlowKeys>();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unusable data folder must not stop the login service from starting (it answers by its failure policy
            // and says degraded); the flows' calls fail until the folder is fixed, and the key is made then.
        }
        RouteGroupBuilder v1 = app.MapGroup("/v1");
        RouteGroupBuilder factors = v1.MapGroup("/accounts/{account}/factors");
        factors.MapPost("/totp", EnrollTotpAsync).WithName("EnrollTotp");
        factors.MapPost("/totp/verify", VerifyTotpAsync).WithName("VerifyTotp");
        factors.MapPost("/recovery-codes", IssueRecoveryCodesAsync).WithName("IssueRecoveryCodes");
        factors.MapPost("/recovery-codes/verify", VerifyRecoveryCodeAsync).WithName("VerifyRecoveryCode");
        factors.MapPost("/one-time-code", SendOneTimeCodeAsync).WithName("SendOneTimeCode");
        factors.MapPost("/one-time-code/verify", VerifyOneTimeCodeAsync).WithName("VerifyOneTimeCode");
        factors.MapPost("/webauthn/registration/options", WebAuthnRegistrationOptionsAsync).WithName("WebAuthnRegistrationOptions");
        factors.MapPost("/webauthn/registration", WebAuthnRegisterAsync).WithName("WebAuthnRegister");
        factors.MapPost("/webauthn/assertion/options", WebAuthnAssertionOptionsAsync).WithName("WebAuthnAssertionOptions");
        factors.MapPost("/webauthn/assertion", WebAuthnAssertAsync).WithName("WebAuthnAssert");
        v1.MapPost("/device-tokens/verify", VerifyDeviceTokenAsync).WithName("VerifyDeviceToken");
        v1.MapPost("/accounts/{account}/events", RecordEventAsync).WithName("RecordAccountEvent");
        v1.MapPost("/accounts/{account}/changes", AssessChangeAsync).WithName("AssessAccountChange");
        v1.MapPost("/accounts/{account}/withdrawal-destinations", AddDestinationAsync).WithName("AddWithdrawalDestination");
        v1.MapPost("/accounts/{account}/withdrawal-destinations/{id}/not-me", DestinationNotMeAsync).WithName("WithdrawalDestinationNotMe");
        v1.MapPost("/accounts/{account}/withdrawals", WithdrawAsync).WithName("AssessWithdrawal");
        v1.MapPost("/links", CreateLinkAsync).WithName("CreateLink");
        v1.MapPost("/links/{id}/charges", ChargeAsync).WithName("AssessCharge");
        v1.MapPost("/links/{id}/not-me", NotMeAsync).WithName("LinkNotMe");
        return app;
    }

    /// <summary>Maps <c>GET /v1/audit</c>: every account's flow history, so an analyst's read, not a login service's.
    /// Mount inside a group that only administrators reach.</summary>
    public static IEndpointRouteBuilder MapMamoriFlowsAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/audit", QueryAuditAsync).WithName("QueryFlowAudit");
        return app;
    }

    private static IResult Json(object value, int status = StatusCodes.Status200OK) => TypedResults.Json(value, JsonBody.Options, statusCode: status);

    private static object Decision(FlowDecision d) => new { Decision = d.Verdict.ToWireName(), Reasons = d.ReasonNames };

    /// <summary>Validates the route's account id; the account itself need not exist (the operator owns accounts). Reads
    /// <c>%2F</c> as a slash first: the server decodes every escape in a path but that one, so an id such as
    /// <c>tenant/user</c> arrives still escaped (a literal "%2F" in an id cannot be told from it).</summary>
    private static bool TryRoute(ref string value, string field, int max, out IResult? problem)
    {
        if (value.Contains('%', StringComparison.Ordinal)) value = value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var errors = new Errors();
        errors.Text(field, value, max);
        problem = errors.Any ? Problems.Fields(errors.Map) : null;
        return problem is null;
    }

    private static void SetRetryAfter(HttpContext http, DateTimeOffset retryAt, DateTimeOffset now) =>
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((retryAt - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static IResult RateLimited(HttpContext http, DateTimeOffset retryAt, DateTimeOffset now)
    {
        SetRetryAfter(http, retryAt, now);
        return Problems.Status(StatusCodes.Status429TooManyRequests, "Too many failed verifications",
            "The account has used up its verification attempts for now; retry later.", FlowReason.RateLimited.ToWireName());
    }

    /// <summary>Adding a factor to an account that already has one is a factor change: it needs a fresh step-up (7pay).</summary>
    /// <remarks>Every way the account can already step up counts: a confirmed TOTP factor, a passkey, a registered contact
    /// (it receives one-time codes) and unused recovery codes. Counting only TOTP and passkeys let an attacker add their own
    /// factor to an account protected by its contact, then pass money-grade step-ups, or reissue its recovery codes and so
    /// wipe the holder's. Only an account with none of them enrols freely (the first factor). The step-up must be
    /// money-grade when the account has a money-grade factor; an account with only recovery codes steps up with one of
    /// them, which is what they are for.</remarks>
    private static async Task<IResult?> RequireStepUpForFactorChangeAsync(FlowServices s, string account, DateTimeOffset now, CancellationToken ct)
    {
        bool moneyGradeFactor = await s.Totp.HasConfirmedAsync(account, ct) || await s.WebAuthn.HasAnyAsync(account, ct)
            || await s.Accounts.GetContactAsync(account, ct) is not null;
        if (!moneyGradeFactor && !await s.Recovery.HasUnusedAsync(account, ct)) return null;
        bool fresh = moneyGradeFactor
            ? await s.StepUps.IsFreshAsync(account, s.Options.StepUpFreshness, now, ct)
            : await s.StepUps.IsFreshOfAnyGradeAsync(account, s.Options.StepUpFreshness, now, ct);
        if (fresh) return null;
        await s.Audit.AppendAsync(new AuditEntry(now, account, "factor_change", null, FlowVerdict.StepUp.ToWireName(), [FlowReason.StepUpRequired.ToWireName()], null), ct);
        return Problems.Status(StatusCodes.Status403Forbidden, "Step-up required", moneyGradeFactor
            ? "The account already has a factor; verify it (a TOTP code, a passkey, or a one-time code sent to the registered contact) before adding or replacing one."
            : "The account has recovery codes; verify one before adding or replacing a factor.", FlowReason.StepUpRequired.ToWireName());
    }

    private static async Task FactorChangedAsync(FlowServices s, string account, string what, DateTimeOffset now, CancellationToken ct)
    {
        var reasons = new List<string> { FlowReason.FactorChanged.ToWireName() };
        if (await s.Accounts.GetContactAsync(account, ct) is { } contact)
        {
            await s.Notifier.SendAsync(new OutboundMessage(contact.Channel, contact.Address, account, "A sign-in factor was added",
                $"A {what} was added to your account. If this was not you, contact us now.", now), FlowReason.ContactNotified, ct);
            reasons.Add(FlowReason.ContactNotified.ToWireName());
        }
        await s.Audit.AppendAsync(new AuditEntry(now, account, "factor_change", what, FlowVerdict.Allow.ToWireName(), reasons, null), ct);
    }

    private static async Task<IResult> VerifiedAsync(FlowServices s, string account, string method, bool moneyGrade, string? trustDevice, DateTimeOffset now,
        object? extra, CancellationToken ct, string? factorId = null, int? droppedEnrollments = null)
    {
        StepUpResult r = await s.StepUps.RecordAsync(account, method, moneyGrade, trustDevice, factorId, droppedEnrollments, now, ct);
        return Json(new { Verified = true, DeviceToken = r.DeviceToken, DeviceTokenExpiresAt = r.DeviceTokenExpiresAt, Remaining = extra });
    }

    private static async Task<IResult> NotVerifiedAsync(FlowServices s, string account, string method, FlowReason reason, DateTimeOffset now, CancellationToken ct,
        string? factorId = null)
    {
        await s.StepUps.RecordFailureAsync(account, method, reason, factorId, now, ct);
        return Json(new { Verified = false, Reason = reason.ToWireName() });
    }

    private static string? TrustDevice(Errors errors, ITrustRequest request) =>
        request.TrustDevice is null ? null : errors.Text("trust_device", request.TrustDevice, Limits.MaxDeviceLength);

    // ---------------- TOTP ----------------

    private static async Task<IResult> EnrollTotpAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (EmptyRequest? _, IResult? problem) = await JsonBody.ReadAsync<EmptyRequest>(http.Request, ct);
        if (problem is not null) return problem;
        DateTimeOffset now = s.Time.GetUtcNow();
        if (await RequireStepUpForFactorChangeAsync(s, account, now, ct) is { } refused) return refused;
        (string id, string uri) = await s.Totp.EnrollAsync(account, now, ct);
        await FactorChangedAsync(s, account, "totp", now, ct);
        return Json(new { FactorId = id, OtpauthUri = uri }, StatusCodes.Status201Created);
    }

    private static async Task<IResult> VerifyTotpAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (TotpVerifyRequest? req, IResult? problem) = await JsonBody.ReadAsync<TotpVerifyRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        string code = errors.Digits("code", req!.Code, Limits.TotpCodeLength);
        string? device = TrustDevice(errors, req);
        if (errors.Any) return Problems.Fields(errors.Map);
        DateTimeOffset now = s.Time.GetUtcNow();
        TotpVerification v = await s.Totp.VerifyAsync(account, code, now, ct);
        return v.Outcome switch
        {
            VerifyOutcome.Verified => await VerifiedAsync(s, account, "totp", true, device, now, null, ct, v.FactorId, v.Dropped),
            VerifyOutcome.RateLimited => RateLimited(http, v.RetryAt, now),
            VerifyOutcome.NoFactor => Problems.Status(StatusCodes.Status404NotFound, "No TOTP factor", "The account has no TOTP factor.", "no_factor"),
            VerifyOutcome.Reused => await NotVerifiedAsync(s, account, "totp", FlowReason.CodeReused, now, ct, v.FactorId),
            _ => await NotVerifiedAsync(s, account, "totp", FlowReason.FactorRejected, now, ct),
        };
    }

    // ---------------- recovery codes ----------------

    private static async Task<IResult> IssueRecoveryCodesAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (EmptyRequest? _, IResult? problem) = await JsonBody.ReadAsync<EmptyRequest>(http.Request, ct);
        if (problem is not null) return problem;
        DateTimeOffset now = s.Time.GetUtcNow();
        if (await RequireStepUpForFactorChangeAsync(s, account, now, ct) is { } refused) return refused;
        IReadOnlyList<string> codes = await s.Recovery.IssueAsync(account, ct);
        await FactorChangedAsync(s, account, "recovery_codes", now, ct);
        return Json(new { Codes = codes }, StatusCodes.Status201Created);
    }

    private static async Task<IResult> VerifyRecoveryCodeAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (RecoveryVerifyRequest? req, IResult? problem) = await JsonBody.ReadAsync<RecoveryVerifyRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        string code = errors.Text("code", req!.Code, Limits.MaxRecoveryCodeLength);
        if (req.Code is not null && !errors.Any && RecoveryCodes.Normalise(code).Length != RecoveryCodes.CodeLength)
            errors.Add("code", $"Must be {RecoveryCodes.CodeLength} letters and digits (hyphens and spaces ignored).");
        string? device = TrustDevice(errors, req);
        if (errors.Any) return Problems.Fields(errors.Map);
        DateTimeOffset now = s.Time.GetUtcNow();
        var (outcome, remaining, codeId, retryAt) = await s.Recovery.VerifyAsync(account, code, now, ct);
        return outcome switch
        {
            // A recovery code regains access; it is not strong enough to move money (it is long-lived paper).
            VerifyOutcome.Verified => await VerifiedAsync(s, account, "recovery_code", false, device, now, remaining, ct, codeId),
            VerifyOutcome.RateLimited => RateLimited(http, retryAt, now),
            VerifyOutcome.NoFactor => Problems.Status(StatusCodes.Status404NotFound, "No recovery codes", "The account has no unused recovery codes.", "no_factor"),
            VerifyOutcome.Reused => await NotVerifiedAsync(s, account, "recovery_code", FlowReason.CodeReused, now, ct, codeId),
            _ => await NotVerifiedAsync(s, account, "recovery_code", FlowReason.FactorRejected, now, ct),
        };
    }

    // ---------------- one-time codes ----------------

    private static async Task<IResult> SendOneTimeCodeAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (EmptyRequest? _, IResult? problem) = await JsonBody.ReadAsync<EmptyRequest>(http.Request, ct);
        if (problem is not null) return problem;
        DateTimeOffset now = s.Time.GetUtcNow();
        (bool blocked, DateTimeOffset retryAt) = await s.OneTimeCodes.IsBlockedAsync(account, now, ct);
        if (blocked) return RateLimited(http, retryAt, now);
        SendResult sent = await s.OneTimeCodes.SendAsync(account, now, ct);
        switch (sent.Outcome)
        {
            case SendOutcome.NoContact:
                return Problems.Status(StatusCodes.Status409Conflict, "No registered contact", "Register a contact through /changes first.", FlowReason.NoContactRegistered.ToWireName());
            case SendOutcome.SendLimited:
                SetRetryAfter(http, sent.RetryAt, now);
                return Problems.Status(StatusCodes.Status429TooManyRequests, "Too many codes sent",
                    "A code was sent to this account's contact recently; use it, or ask for a new one after Retry-After seconds.", FlowReason.SendLimited.ToWireName());
            default:
                return Json(new { ChallengeId = sent.ChallengeId, Channel = sent.Channel, ExpiresAt = sent.ExpiresAt }, StatusCodes.Status201Created);
        }
    }

    private static async Task<IResult> VerifyOneTimeCodeAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (OneTimeCodeVerifyRequest? req, IResult? problem) = await JsonBody.ReadAsync<OneTimeCodeVerifyRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        string challenge = errors.Text("challenge_id", req!.ChallengeId, Limits.MaxIdLength);
        string code = errors.Digits("code", req.Code, Limits.OneTimeCodeLength);
        string? device = TrustDevice(errors, req);
        if (errors.Any) return Problems.Fields(errors.Map);
        DateTimeOffset now = s.Time.GetUtcNow();
        var (outcome, retryAt) = await s.OneTimeCodes.VerifyAsync(account, challenge, code, now, ct);
        return outcome switch
        {
            VerifyOutcome.Verified => await VerifiedAsync(s, account, "one_time_code", true, device, now, null, ct, challenge),
            VerifyOutcome.RateLimited => RateLimited(http, retryAt, now),
            VerifyOutcome.Reused => await NotVerifiedAsync(s, account, "one_time_code", FlowReason.CodeReused, now, ct, challenge),
            _ => await NotVerifiedAsync(s, account, "one_time_code", FlowReason.FactorRejected, now, ct),
        };
    }

    // ---------------- WebAuthn ----------------

    private static async Task<IResult> WebAuthnRegistrationOptionsAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (WebAuthnRegistrationOptionsRequest? req, IResult? problem) = await JsonBody.ReadAsync<WebAuthnRegistrationOptionsRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        string? displayName = req!.DisplayName is null ? null : errors.Text("display_name", req.DisplayName, Limits.MaxNameLength);
        if (errors.Any) return Problems.Fields(errors.Map);
        DateTimeOffset now = s.Time.GetUtcNow();
        if (await RequireStepUpForFactorChangeAsync(s, account, now, ct) is { } refused) return refused;
        string options = await s.WebAuthn.BeginRegistrationAsync(account, displayName, now, ct);
        return TypedResults.Text(options, "application/json");
    }

    private static async Task<IResult> WebAuthnRegisterAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (WebAuthnCredentialRequest? req, IResult? problem) = await JsonBody.ReadAsync<WebAuthnCredentialRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        AuthenticatorAttestationRawResponse? raw = ParseCredential<AuthenticatorAttestationRawResponse>(errors, req!.Credential);
        if (req.TrustDevice is not null) errors.Add("trust_device", "Not accepted on registration; verify an assertion to trust a device.");
        if (errors.Any) return Problems.Fields(errors.Map);
        DateTimeOffset now = s.Time.GetUtcNow();
        (bool ok, string? error) = await s.WebAuthn.CompleteRegistrationAsync(account, raw!, now, ct);
        if (!ok)
        {
            await s.Audit.AppendAsync(new AuditEntry(now, account, "factor_change", "webauthn", FlowVerdict.Deny.ToWireName(), [FlowReason.FactorRejected.ToWireName()], error), ct);
            return Problems.Status(StatusCodes.Status400BadRequest, "Registration failed", error ?? "The attestation did not verify.", FlowReason.FactorRejected.ToWireName());
        }
        await FactorChangedAsync(s, account, "passkey", now, ct);
        return Json(new { Registered = true }, StatusCodes.Status201Created);
    }

    private static async Task<IResult> WebAuthnAssertionOptionsAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (EmptyRequest? _, IResult? problem) = await JsonBody.ReadAsync<EmptyRequest>(http.Request, ct);
        if (problem is not null) return problem;
        string? options = await s.WebAuthn.BeginAssertionAsync(account, s.Time.GetUtcNow(), ct);
        return options is null
            ? Problems.Status(StatusCodes.Status404NotFound, "No passkey", "The account has no passkey.", "no_factor")
            : TypedResults.Text(options, "application/json");
    }

    private static async Task<IResult> WebAuthnAssertAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (WebAuthnCredentialRequest? req, IResult? problem) = await JsonBody.ReadAsync<WebAuthnCredentialRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        AuthenticatorAssertionRawResponse? raw = ParseCredential<AuthenticatorAssertionRawResponse>(errors, req!.Credential);
        string? device = TrustDevice(errors, req);
        if (errors.Any) return Problems.Fields(errors.Map);
        DateTimeOffset now = s.Time.GetUtcNow();
        var (outcome, error, retryAt) = await s.WebAuthn.CompleteAssertionAsync(account, raw!, now, ct);
        return outcome switch
        {
            // User verification is required by the ceremony, so a passkey step-up is money-grade.
            VerifyOutcome.Verified => await VerifiedAsync(s, account, "webauthn", true, device, now, null, ct),
            VerifyOutcome.RateLimited => RateLimited(http, retryAt, now),
            _ => await NotVerifiedAsync(s, account, "webauthn", error?.Contains("User Verified", StringComparison.OrdinalIgnoreCase) == true
                ? FlowReason.UserNotVerified : FlowReason.FactorRejected, now, ct),
        };
    }

    private static T? ParseCredential<T>(Errors errors, JsonElement? credential) where T : class
    {
        if (credential is not { ValueKind: JsonValueKind.Object } element) { errors.Add("credential", "Required: the PublicKeyCredential as JSON."); return null; }
        try
        {
            // Fido2's own model and converters; browsers add fields (authenticatorAttachment, …) that it ignores.
            T? value = element.Deserialize<T>();
            if (value is null) errors.Add("credential", "Required.");
            return value;
        }
        catch (JsonException ex) { errors.Add("credential" + (ex.Path is { Length: > 1 } p ? p[1..] : ""), "Malformed credential."); }
        catch (Exception ex) when (ex is FormatException or ArgumentException) { errors.Add("credential", "Malformed credential."); }
        return null;
    }

    // ---------------- device tokens ----------------

    private static async Task<IResult> VerifyDeviceTokenAsync(HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        (DeviceTokenVerifyRequest? req, IResult? problem) = await JsonBody.ReadAsync<DeviceTokenVerifyRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        string account = errors.Text("account", req!.Account, Limits.MaxIdLength);
        string device = errors.Text("device", req.Device, Limits.MaxDeviceLength);
        string token = errors.Text("token", req.Token, Limits.MaxTokenLength);
        if (errors.Any) return Problems.Fields(errors.Map);
        bool valid = s.DeviceTokens.TryValidate(token, account, device, s.Time.GetUtcNow(), out DateTimeOffset expires);
        return Json(new { Valid = valid, ExpiresAt = valid ? expires : (DateTimeOffset?)null });
    }

    // ---------------- account events and changes ----------------

    private static async Task<IResult> RecordEventAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (AccountEventRequest? req, IResult? problem) = await JsonBody.ReadAsync<AccountEventRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        DateTimeOffset now = s.Time.GetUtcNow();
        AccountEventType? type = req!.Type switch { "unfamiliar_login" => AccountEventType.UnfamiliarLogin, "password_reset" => AccountEventType.PasswordReset, _ => null };
        if (type is null) errors.Add("type", "Must be unfamiliar_login or password_reset.");
        if (req.At > now + Limits.MaxClockSkew) errors.Add("at", "Must not be in the future.");
        if (errors.Any) return Problems.Fields(errors.Map);
        DateTimeOffset at = req.At ?? now;
        await s.Accounts.RecordEventAsync(account, type!.Value, at, ct);
        await s.Audit.AppendAsync(new AuditEntry(now, account, "account_event", req.Type, null,
            [(type == AccountEventType.UnfamiliarLogin ? FlowReason.RecentUnfamiliarLogin : FlowReason.RecentPasswordReset).ToWireName()],
            "at: " + at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), ct);
        return Json(new { Recorded = true }, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> AssessChangeAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (ChangeRequest? req, IResult? problem) = await JsonBody.ReadAsync<ChangeRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        ChangeKind? kind = req!.Kind switch { "password" => ChangeKind.Password, "contact" => ChangeKind.Contact, "factor" => ChangeKind.Factor, _ => null };
        if (kind is null) errors.Add("kind", "Must be password, contact or factor.");
        ContactRecord? contact = null;
        if (kind == ChangeKind.Contact) contact = RequestValidation.Contact(errors, req.Contact, "contact");
        else if (req.Contact is not null) errors.Add("contact", "Only allowed when kind is contact.");
        if (errors.Any) return Problems.Fields(errors.Map);
        FlowDecision decision = await s.Changes.AssessAsync(account, kind!.Value, contact, s.Time.GetUtcNow(), ct);
        return Json(Decision(decision));
    }

    // ---------------- withdrawal destinations ----------------

    private static async Task<IResult> AddDestinationAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (DestinationRequest? req, IResult? problem) = await JsonBody.ReadAsync<DestinationRequest>(http.Request, ct);
        if (problem is not null) return problem;
        DateTimeOffset now = s.Time.GetUtcNow();
        var errors = new Errors();
        string bank = errors.Text("bank", req!.Bank, Limits.MaxIdLength);
        string bankAccount = errors.Text("bank_account", req.BankAccount, Limits.MaxIdLength);
        string holder = errors.Text("holder_name", req.HolderName, Limits.MaxNameLength);
        IdentityProof? identity = RequestValidation.Identity(errors, req.Identity, now);
        if (errors.Any) return Problems.Fields(errors.Map);
        var (decision, destination) = await s.Withdrawals.AddDestinationAsync(account, bank, bankAccount, holder, identity, now, ct);
        return Json(new
        {
            Decision = decision.Verdict.ToWireName(), Reasons = decision.ReasonNames,
            DestinationId = destination?.Id, HoldUntil = destination?.HoldUntil,
        });
    }

    private static async Task<IResult> DestinationNotMeAsync(string account, string id, [FromQuery] string? token, HttpContext http,
        [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad) || !TryRoute(ref id, "id", Limits.MaxIdLength, out bad)) return bad!;
        var errors = new Errors();
        string t = errors.Text("token", token, Limits.MaxTokenLength);
        if (http.Request.ContentLength > 0 || await http.Request.Body.ReadAsync(new byte[1], ct) > 0) errors.Add("$", "No body expected.");
        if (errors.Any) return Problems.Fields(errors.Map);
        return await s.Withdrawals.NotMeAsync(account, id, t, s.Time.GetUtcNow(), ct)
            ? Json(new { Frozen = true })
            : Problems.Status(StatusCodes.Status404NotFound, "Unknown destination or token", "No destination matches this id and token.");
    }

    private static async Task<IResult> WithdrawAsync(string account, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref account, "account", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (WithdrawalRequest? req, IResult? problem) = await JsonBody.ReadAsync<WithdrawalRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        string destinationId = errors.Text("destination_id", req!.DestinationId, Limits.MaxIdLength);
        long amount = errors.Amount("amount", req.Amount, s.Options.MaxAmount);
        if (errors.Any) return Problems.Fields(errors.Map);
        FlowDecision? decision = await s.Withdrawals.WithdrawAsync(account, destinationId, amount, s.Time.GetUtcNow(), ct);
        return decision is null
            ? Problems.Status(StatusCodes.Status404NotFound, "Unknown destination", "The account has no such withdrawal destination.")
            : Json(Decision(decision));
    }

    // ---------------- links ----------------

    private static async Task<IResult> CreateLinkAsync(HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        (LinkRequest? req, IResult? problem) = await JsonBody.ReadAsync<LinkRequest>(http.Request, ct);
        if (problem is not null) return problem;
        DateTimeOffset now = s.Time.GetUtcNow();
        var errors = new Errors();
        string wallet = errors.Text("wallet_account", req!.WalletAccount, Limits.MaxIdLength);
        string bank = errors.Text("bank", req.Bank, Limits.MaxIdLength);
        string bankAccount = errors.Text("bank_account", req.BankAccount, Limits.MaxIdLength);
        string holder = errors.Text("holder_name", req.HolderName, Limits.MaxNameLength);
        IdentityProof? identity = RequestValidation.Identity(errors, req.Identity, now);
        if (errors.Any) return Problems.Fields(errors.Map);
        var (decision, link) = await s.Links.CreateAsync(wallet, bank, bankAccount, holder, identity, now, ct);
        return Json(new
        {
            Decision = decision.Verdict.ToWireName(), Reasons = decision.ReasonNames,
            LinkId = link?.Id, CoolOffUntil = link?.CoolOffUntil,
            CoolOffChargeLimit = link is null ? (long?)null : s.Options.CoolOffChargeLimit,
        }, link is null ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> ChargeAsync(string id, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref id, "id", Limits.MaxIdLength, out IResult? bad)) return bad!;
        (ChargeRequest? req, IResult? problem) = await JsonBody.ReadAsync<ChargeRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Errors();
        long amount = errors.Amount("amount", req!.Amount, s.Options.MaxAmount);
        if (errors.Any) return Problems.Fields(errors.Map);
        var result = await s.Links.ChargeAsync(id, amount, s.Time.GetUtcNow(), ct);
        return result is not { } r
            ? Problems.Status(StatusCodes.Status404NotFound, "Unknown link", "No such link.")
            : Json(new { Decision = r.Decision.Verdict.ToWireName(), Reasons = r.Decision.ReasonNames, Remaining = r.Remaining });
    }

    private static async Task<IResult> NotMeAsync(string id, [FromQuery] string? token, HttpContext http, [FromServices] FlowServices s, CancellationToken ct)
    {
        if (!TryRoute(ref id, "id", Limits.MaxIdLength, out IResult? bad)) return bad!;
        var errors = new Errors();
        string t = errors.Text("token", token, Limits.MaxTokenLength);
        if (http.Request.ContentLength > 0 || await http.Request.Body.ReadAsync(new byte[1], ct) > 0) errors.Add("$", "No body expected.");
        if (errors.Any) return Problems.Fields(errors.Map);
        // One answer for an unknown link and a wrong token: the endpoint must not tell which links exist.
        return await s.Links.NotMeAsync(id, t, s.Time.GetUtcNow(), ct)
            ? Json(new { Frozen = true })
            : Problems.Status(StatusCodes.Status404NotFound, "Unknown link or token", "No link matches this id and token.");
    }

    // ---------------- audit ----------------

    private static async Task<IResult> QueryAuditAsync([FromQuery] string? account, [FromQuery] string? limit, [FromServices] FlowServices s, CancellationToken ct)
    {
        var errors = new Errors();
        if (account is not null) errors.Text("account", account, Limits.MaxIdLength);
        int count = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > Limits.MaxAuditLimit))
            errors.Add("limit", $"Must be between 1 and {Limits.MaxAuditLimit}.");
        if (errors.Any) return Problems.Fields(errors.Map);
        IReadOnlyList<AuditEntry> entries = await s.Audit.QueryAsync(account, count, ct);
        return Json(new { Entries = entries });
    }
}
