using System.Net;
using Mamori.Events;
using Mamori.Network;
using Mamori.Server.Auth;

namespace Mamori.Server.Api;

/// <summary>Turns wire requests into engine inputs, or into the first problem found, naming its field.</summary>
/// <remarks>Every bound is a named constant from <see cref="LoginAttemptLimits"/> or here; nothing unbounded reaches the engine.</remarks>
internal static class RequestValidation
{
    /// <summary>Longest request id accepted (ours are 20 characters).</summary>
    public const int MaxRequestIdLength = 64;

    /// <summary>Events in one batch at most.</summary>
    public const int MaxBatch = 1_000;

    /// <summary>The earliest <c>ts</c> accepted, as replay accepts: <c>0001-01-01</c> or <c>1970-01-01</c> is a default
    /// value, and learning from it would age the account's history by decades.</summary>
    public static readonly DateTimeOffset EarliestTs = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far in the future a caller's <c>ts</c> may be (clock skew), before it is refused.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>Validates an attempt; <paramref name="prefix"/> is prepended to field names (e.g. <c>[3].</c> in a batch).</summary>
    public static bool TryAttempt(AssessRequest r, string prefix, DateTimeOffset now, DeviceTokens tokens, out LoginAttempt attempt, out IResult? problem)
    {
        attempt = null!;
        if (!Text(r.Account, prefix + "account", LoginAttemptLimits.MaxAccountLength, required: true, out problem)) return false;
        if (string.IsNullOrWhiteSpace(r.Ip)) { problem = Problems.Invalid(prefix + "ip", "Required: the client's IPv4 or IPv6 address."); return false; }
        if (!IpText.TryParseStrict(r.Ip, out IPAddress? ip))
        {
            problem = Problems.Invalid(prefix + "ip", "Not an IPv4 address (four decimal numbers 0–255, e.g. 203.0.113.7) or an IPv6 address (without a zone, brackets or port).");
            return false;
        }
        if (!Text(r.Tenant, prefix + "tenant", LoginAttemptLimits.MaxTenantLength, required: false, out problem)) return false;
        if (r.UserAgent is { Length: > UserAgentHardLimit })
        {
            problem = Problems.Invalid(prefix + "user_agent", $"Longer than {UserAgentHardLimit:N0} characters.");
            return false;
        }
        string? device = null;
        if (r.Device is not null)
        {
            if (DeviceTokens.LooksLikeToken(r.Device))
            {
                if (r.Device.Length > DeviceTokens.MaxTokenLength) { problem = Problems.Invalid(prefix + "device", "The device token is too long."); return false; }
                // A token that fails (expired, forged, another account's) counts as no device: the login is judged
                // as from an unknown device, which is what it is. It is not an error: tokens expire in the field.
                device = tokens.TryValidate(r.Device, r.Account!, r.Tenant, now, out string? bound) ? bound : null;
            }
            else
            {
                if (!Text(r.Device, prefix + "device", LoginAttemptLimits.MaxDeviceLength, required: false, out problem)) return false;
                device = r.Device;
            }
        }
        SecretFingerprint? secret = null;
        if (r.SecretFp is not null)
        {
            if (!SecretFingerprint.TryParse(r.SecretFp, out SecretFingerprint fp))
            {
                problem = Problems.Invalid(prefix + "secret_fp", "Must be 16 hex digits (HMAC-SHA256(pepper, secret) truncated to 8 bytes).");
                return false;
            }
            secret = fp;
        }
        if (r.Asn is < 0) { problem = Problems.Invalid(prefix + "asn", "Must be a non-negative AS number."); return false; }
        string? country = null;
        if (r.Country is not null)
        {
            if (r.Country.Length != 2 || !char.IsAsciiLetter(r.Country[0]) || !char.IsAsciiLetter(r.Country[1]))
            {
                problem = Problems.Invalid(prefix + "country", "Must be an ISO 3166-1 alpha-2 code, e.g. JP.");
                return false;
            }
            country = r.Country.ToUpperInvariant();
        }
        DateTimeOffset at = now;
        if (r.Ts is DateTimeOffset ts)
        {
            if (ts - now > MaxFutureSkew) { problem = Problems.Invalid(prefix + "ts", "Lies more than 5 minutes in the future."); return false; }
            if (ts < EarliestTs) { problem = Problems.Invalid(prefix + "ts", "Lies before 2000-01-01: not a login this service saw (a default date?)."); return false; }
            at = ts.ToUniversalTime();
        }
        string? agent = r.UserAgent is { Length: > LoginAttemptLimits.MaxUserAgentLength } ua ? ua[..LoginAttemptLimits.MaxUserAgentLength] : r.UserAgent;
        attempt = new LoginAttempt
        {
            Timestamp = at, Account = r.Account!, Ip = ip, UserAgent = agent, Device = device, Secret = secret,
            Tenant = r.Tenant, Asn = r.Asn, Country = country,
        };
        problem = null;
        return true;
    }

    /// <summary>Validates an outcome name.</summary>
    public static bool TryOutcome(string? outcome, string field, out LoginOutcome value, out IResult? problem)
    {
        if (outcome is null) { value = default; problem = Problems.Invalid(field, "Required: success, wrong_secret, unknown_account or locked."); return false; }
        if (!LoginOutcomeNames.TryParse(outcome, out value))
        {
            problem = Problems.Invalid(field, "Unknown outcome; use success, wrong_secret, unknown_account or locked.");
            return false;
        }
        problem = null;
        return true;
    }

    /// <summary>Validates breach details.</summary>
    public static bool TryBreach(bool? breached, long? count, string prefix, out OutcomeDetails details, out IResult? problem)
    {
        details = default;
        if (count is < 0) { problem = Problems.Invalid(prefix + "breach_count", "Must not be negative."); return false; }
        if (breached == true && count == 0)
        {
            problem = Problems.Invalid(prefix + "breach_count", "A password found in a breach corpus was seen at least once: send 1 or more, or leave it out.");
            return false;
        }
        details = new OutcomeDetails { Breached = breached, BreachCount = count };
        problem = null;
        return true;
    }

    /// <summary>Validates a request id.</summary>
    public static bool TryRequestId(string? id, out IResult? problem)
    {
        if (string.IsNullOrEmpty(id)) { problem = Problems.Invalid("request_id", "Required: the request_id the assess call answered with."); return false; }
        if (id.Length > MaxRequestIdLength) { problem = Problems.Invalid("request_id", $"Longer than {MaxRequestIdLength} characters."); return false; }
        problem = null;
        return true;
    }

    /// <summary>A <c>limit</c> query parameter: absent is <paramref name="fallback"/>; otherwise a whole number from 1 to
    /// <paramref name="max"/>, refused by name rather than clamped (a caller asking for 5,000 must learn it gets 1,000).</summary>
    public static bool Limit(string? text, int fallback, int max, out int value, out IResult? problem)
    {
        problem = null;
        value = fallback;
        if (text is null) return true;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max)
            return true;
        problem = Problems.Invalid("limit", $"Must be a whole number from 1 to {max:N0}.");
        return false;
    }

    /// <summary>A bounded, non-blank text field.</summary>
    public static bool Text(string? value, string field, int max, bool required, out IResult? problem)
    {
        problem = null;
        if (value is null)
        {
            if (required) problem = Problems.Invalid(field, "Required.");
            return !required;
        }
        if (value.Length == 0 || string.IsNullOrWhiteSpace(value)) { problem = Problems.Invalid(field, "Must not be empty."); return false; }
        if (value.Length > max) { problem = Problems.Invalid(field, $"Longer than {max:N0} characters."); return false; }
        foreach (char c in value)
        {
            if (char.IsControl(c)) { problem = Problems.Invalid(field, "Must not contain control characters."); return false; }
            // Invisible formatting (zero-width space, direction marks, BOM) makes two ids look the same on a screen.
            if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                problem = Problems.Invalid(field, "Must not contain invisible formatting characters (zero-width or direction marks).");
                return false;
            }
        }
        return true;
    }

    // User agents over the engine's limit are cut (LoginAttemptLimits), but one over this is not a browser: refuse it.
    private const int UserAgentHardLimit = 2_048;
}
