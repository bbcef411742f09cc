using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mamori.Flows;

/// <summary>Settings of the step-up factors and money-movement flows (docs/flows.md).</summary>
/// <remarks>Copied into the services when they are built, so a later edit cannot change a running flow.</remarks>
public sealed class FlowsOptions
{
    /// <summary>Folder holding the SQLite file, the key file and the outbox.</summary>
    /// <value>The default is <c>data</c> (relative to the working directory).</value>
    [Required] public string DataDirectory { get; set; } = "data";

    /// <summary>SQLite file for factors, links, destinations and the audit log; relative paths are under <see cref="DataDirectory"/>.</summary>
    /// <value>The default is <c>flows.db</c>.</value>
    [Required] public string DatabasePath { get; set; } = "flows.db";

    /// <summary>How recent a step-up must be for a link, a withdrawal destination or a contact/factor change.</summary>
    /// <remarks>A step-up from yesterday proves nothing about who holds the session now; too short and users repeat it.</remarks>
    /// <value>The default is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:30", "1.00:00:00")] public TimeSpan StepUpFreshness { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Failed verification attempts (TOTP, one-time code, recovery code, passkey) allowed per account per window.</summary>
    /// <remarks>A 6-digit TOTP with ±1 step accepts 3 of 10^6 codes: 5 guesses per 15 minutes keeps a year of guessing
    /// under a 1 % success chance (NIST SP 800-63B §5.2.2 asks for at most 100 consecutive failures).</remarks>
    /// <value>The default is 5.</value>
    [Range(1, 100)] public int MaxFailedVerifications { get; set; } = 5;

    /// <summary>Window over which failed verifications count.</summary> <value>The default is 15 minutes.</value>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")] public TimeSpan VerificationWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a TOTP enrolment may wait for its first code; an unconfirmed enrolment verifies only to confirm itself.</summary>
    /// <remarks>An enrolment nobody confirms may be an attacker's, made while the account had no factor: left valid, its seed
    /// would still pass money-grade step-ups after the holder set up their own. Long enough to scan a QR code and type a
    /// code; the holder's confirmation also drops every other unconfirmed enrolment of the account.</remarks>
    /// <value>The default is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")] public TimeSpan TotpEnrollmentWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Issuer shown in authenticator apps (the otpauth URI).</summary> <value>The default is <c>Mamori</c>.</value>
    [Required, StringLength(64, MinimumLength = 1)] public string TotpIssuer { get; set; } = "Mamori";

    /// <summary>How long a one-time code sent through a channel stays valid.</summary> <value>The default is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:30", "00:30:00")] public TimeSpan OneTimeCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Shortest time between two one-time codes sent to one account.</summary>
    /// <remarks>Every code is an SMS or e-mail the operator pays for and the holder receives: unlimited, the endpoint serves SMS
    /// pumping (toll fraud) and harassment. A holder waiting for a slow SMS retries after about this long.</remarks>
    /// <value>The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")] public TimeSpan OneTimeCodeSendInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One-time codes sent to one account per rolling hour.</summary>
    /// <remarks>Bounds what a slow, steady caller gets past <see cref="OneTimeCodeSendInterval"/> (120 an hour at 30 s).</remarks>
    /// <value>The default is 10.</value>
    [Range(1, 100)] public int MaxOneTimeCodesPerHour { get; set; } = 10;

    /// <summary>Recovery codes issued at a time.</summary> <value>The default is 10.</value>
    [Range(4, 20)] public int RecoveryCodeCount { get; set; } = 10;

    /// <summary>Lifetime of a trusted-device token issued after a step-up.</summary> <value>The default is 30 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "400.00:00:00")] public TimeSpan DeviceTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Distinct wallets one bank account may feed.</summary>
    /// <remarks>The Docomo-account fraud linked victims' accounts to attacker wallets; a holder rarely needs more than two.</remarks>
    /// <value>The default is 2.</value>
    [Range(1, 100)] public int MaxWalletsPerBankAccount { get; set; } = 2;

    /// <summary>Cool-off after a new link, during which <see cref="CoolOffChargeLimit"/> applies.</summary>
    /// <remarks>Gives the holder's "not me" time to arrive before real money moves (Docomo frauds charged ¥300k per link at once).</remarks>
    /// <value>The default is 72 hours.</value>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")] public TimeSpan LinkCoolOff { get; set; } = TimeSpan.FromHours(72);

    /// <summary>Total charges allowed during a link's cool-off (minor currency units, e.g. yen), counted over every link to the
    /// same bank account since the new link was made.</summary> <value>The default is 10,000.</value>
    [Range(0, long.MaxValue)] public long CoolOffChargeLimit { get; set; } = 10_000;

    /// <summary>Charges allowed from one bank account per rolling 24 hours after the cool-off, through all its links.</summary>
    /// <value>The default is 300,000.</value>
    [Range(1, long.MaxValue)] public long DailyChargeLimit { get; set; } = 300_000;

    /// <summary>How long after its holder's "this was not me" a bank account cannot be linked to any wallet.</summary>
    /// <remarks>The holder has said someone else is using the account's details; whoever it is may hold several wallets.
    /// The holder's own links made before stay as they were. Zero turns the block off.</remarks>
    /// <value>The default is 90 days.</value>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")] public TimeSpan HolderReportBlock { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Hold before the first withdrawal to a new destination.</summary>
    /// <remarks>SBI's attackers changed the destination and withdrew the same day; the hold lets the notification reach the holder first.</remarks>
    /// <value>The default is 72 hours.</value>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")] public TimeSpan WithdrawalHold { get; set; } = TimeSpan.FromHours(72);

    /// <summary>How long after an unfamiliar login or a password reset money-movement changes are refused.</summary>
    /// <value>The default is 7 days.</value>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")] public TimeSpan RecentRiskWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Tell the registered contact when a login the engine held up (a device or network the account had not used)
    /// succeeds (<see cref="UnfamiliarLoginNotices"/>).</summary>
    /// <value>The default is <c>true</c>.</value>
    public bool NotifyUnfamiliarLogins { get; set; } = true;

    /// <summary>At most one such notice per account within this interval.</summary>
    /// <value>The default is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")] public TimeSpan UnfamiliarLoginNoticeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Base URL put in the holder's "this was not me" link.</summary> <value>The default is <c>http://localhost:8080</c>.</value>
    [Required] public string PublicBaseUrl { get; set; } = "http://localhost:8080";

    /// <summary>WebAuthn relying-party id (the site's domain).</summary> <value>The default is <c>localhost</c>.</value>
    [Required] public string WebAuthnRelyingPartyId { get; set; } = "localhost";

    /// <summary>WebAuthn relying-party name shown by the authenticator.</summary> <value>The default is <c>Mamori</c>.</value>
    [Required] public string WebAuthnRelyingPartyName { get; set; } = "Mamori";

    /// <summary>Origins allowed to run WebAuthn ceremonies.</summary> <value>The default is <c>http://localhost:8080</c>.</value>
    public IList<string> WebAuthnOrigins { get; set; } = ["http://localhost:8080"];

    /// <summary>Largest amount one charge or withdrawal may name.</summary> <value>The default is 100,000,000.</value>
    [Range(1, long.MaxValue)] public long MaxAmount { get; set; } = 100_000_000;
}

/// <summary>Checks <see cref="FlowsOptions"/> and reports every bad value at once.</summary>
internal sealed class FlowsOptionsValidator : IValidateOptions<FlowsOptions>
{
    public ValidateOptionsResult Validate(string? name, FlowsOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            foreach (ValidationResult r in results) builder.AddError($"Mamori:Flows: {r.ErrorMessage}");
        if (options.WebAuthnOrigins.Count == 0)
            builder.AddError("Mamori:Flows: WebAuthnOrigins is empty; passkeys need at least one origin.");
        foreach (string origin in options.WebAuthnOrigins)
            if (!Uri.TryCreate(origin, UriKind.Absolute, out _))
                builder.AddError($"Mamori:Flows: WebAuthnOrigins contains '{origin}', which is not an absolute URL.");
        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out _))
            builder.AddError($"Mamori:Flows: PublicBaseUrl '{options.PublicBaseUrl}' is not an absolute URL.");
        if (options.CoolOffChargeLimit > options.DailyChargeLimit)
            builder.AddError("Mamori:Flows: CoolOffChargeLimit exceeds DailyChargeLimit; the cool-off would raise the limit.");
        return builder.Build();
    }
}
