using System.Globalization;
using System.Net;
using Mamori.Events;
using Mamori.Simulation;

namespace Mamori.Cli.Replay.Readers;

/// <summary>
/// Collects one row's field values (as text), validates each, and builds the event or a bad-row result.
/// Shared by every format so a value means the same in JSONL, CSV and RBA.
/// </summary>
/// <remarks>Not thread-safe; one per reader. Error messages quote at most <see cref="MaxQuotedLength"/> characters of
/// a bad value and never a secret fingerprint.</remarks>
internal sealed class EventBuilder(TimeZoneInfo? localZone = null)
{
    /// <summary>Longest piece of a bad value quoted in an error.</summary>
    public const int MaxQuotedLength = 40;
    /// <summary>Longest IP address text (IPv6 with a zone id).</summary>
    private const int MaxIpLength = 64;

    private readonly StringPool _userAgents = new(capacity: 20_000);
    private readonly StringPool _small = new(capacity: 10_000);

    private DateTimeOffset? _ts;
    private string? _account;
    private IPAddress? _ip;
    private LoginOutcome? _outcome;
    private string? _userAgent, _device, _country, _tenant, _scenario;
    private SecretFingerprint? _secret;
    private int? _asn;
    private TruthLabel? _label;
    private bool? _takeover;
    private bool? _stepUp;
    private string? _error;

    public bool HasError => _error is not null;

    public void Reset()
    {
        _ts = null; _account = null; _ip = null; _outcome = null;
        _userAgent = _device = _country = _tenant = _scenario = null;
        _secret = null; _asn = null; _label = null; _takeover = null; _stepUp = null; _error = null;
    }

    /// <summary>Records the first problem of the row; later ones are not reported (one reason per bad row).</summary>
    public void Fail(string error) => _error ??= error;

    /// <summary>Sets a field from its text. Empty text means absent (for optional fields).</summary>
    public void Set(LogField field, ReadOnlySpan<char> text)
    {
        if (_error is not null) return;
        if (text.IsEmpty)
        {
            if (field is LogField.Account) Fail("account is empty");
            return;
        }
        switch (field)
        {
            case LogField.Ts:
                if (Rfc3339.TryParse(text, localZone, out DateTimeOffset ts))
                {
                    // The range Unix times are held to: 9999-12-31 or 0001-01-01 is a placeholder, not a login's time,
                    // and would stretch every window and the report's timeline across millennia.
                    if (ts.UtcTicks >= EarliestTs.UtcTicks && ts.UtcTicks < LatestTs.UtcTicks) _ts = ts;
                    else Fail(OutOfRange(text));
                }
                else if (TryParseUnixTime(text, out ts)) _ts = ts;
                else if (localZone is null && Rfc3339.TryParse(text, TimeZoneInfo.Utc, out _))
                    Fail($"ts has no offset, so its zone is unknown: say the log's zone with --timezone (UTC, +09:00, Asia/Tokyo): '{Quote(text)}'");
                // 0001-01-01T00:00:00+09:00 is before the first instant .NET holds, so it did not parse: same reason.
                else if (text.Length > 19 && Rfc3339.TryParse(text[..19], TimeZoneInfo.Utc, out DateTimeOffset wall) && (wall.Year < 2000 || wall.Year >= 2100))
                    Fail(OutOfRange(text));
                else Fail($"ts is neither an RFC 3339 timestamp nor Unix time in seconds or milliseconds: '{Quote(text)}'");
                break;
            case LogField.Account:
                if (text.Length > LoginAttemptLimits.MaxAccountLength) Fail($"account is longer than {LoginAttemptLimits.MaxAccountLength} characters");
                else _account = new string(text);
                break;
            case LogField.Ip:
                if (TryParseIp(text, out IPAddress? ip)) _ip = ip;
                else if (text.Contains(',')) Fail($"ip is a list of addresses (an X-Forwarded-For header?): give the client's own address, as the service's proxy saw it: '{Quote(text)}'");
                else Fail($"ip is not an IPv4 or IPv6 address: '{Quote(text)}'");
                break;
            case LogField.Outcome:
                if (TryParseOutcome(text, out LoginOutcome outcome)) _outcome = outcome;
                else Fail($"outcome must be success, wrong_secret, unknown_account or locked (or a common synonym: failure, true/false, …; docs/log-formats.md): '{Quote(text)}'");
                break;
            case LogField.UserAgent:
                _userAgent = _userAgents.Get(text.Length > LoginAttemptLimits.MaxUserAgentLength ? text[..LoginAttemptLimits.MaxUserAgentLength] : text);
                break;
            case LogField.Device:
                if (text.Length > LoginAttemptLimits.MaxDeviceLength) Fail($"device is longer than {LoginAttemptLimits.MaxDeviceLength} characters");
                else _device = new string(text);
                break;
            case LogField.SecretFp:
                if (SecretFingerprint.TryParse(text, out SecretFingerprint fp)) _secret = fp;
                else Fail($"secret_fp must be {SecretFingerprint.HexLength} hex digits (got {text.Length} characters)");
                break;
            case LogField.Asn:
                if (IsUnknownPlaceholder(text)) break;
                if (TryParseAsn(text, out int asn)) _asn = asn;
                else Fail($"asn must be a number or \"AS<number>\" (a name may follow after a space) up to {int.MaxValue}: '{Quote(text)}'");
                break;
            case LogField.Country:
                if (IsUnknownPlaceholder(text) || text.Equals("ZZ", StringComparison.OrdinalIgnoreCase) || text.Equals("XX", StringComparison.OrdinalIgnoreCase))
                    break;   // ZZ is CLDR's unknown region, XX a CDN's: one "country" of every unlocated address would look rare
                if (text.Length == 2 && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1]))
                {
                    Span<char> upper = [char.ToUpperInvariant(text[0]), char.ToUpperInvariant(text[1])];
                    _country = _small.Get(upper);
                }
                else Fail($"country must be an ISO 3166-1 alpha-2 code: '{Quote(text)}'");
                break;
            case LogField.Tenant:
                if (text.Length > LoginAttemptLimits.MaxTenantLength) Fail($"tenant is longer than {LoginAttemptLimits.MaxTenantLength} characters");
                else _tenant = _small.Get(text);
                break;
            case LogField.Label:
                if (GroundTruthNames.TryParse(text, out TruthLabel label)) _label = label;
                else Fail($"label must be legit or attack: '{Quote(text)}'");
                break;
            case LogField.Scenario:
                _scenario = _small.Get(text);
                break;
            case LogField.StepUp:
                if (TryParseStepUp(text, out bool passed)) _stepUp = passed;
                else Fail($"step_up must be passed or failed: '{Quote(text)}'");
                break;
            case LogField.Takeover:
                if (TryParseBool(text, out bool takeover)) _takeover = takeover;
                else Fail($"takeover must be true or false: '{Quote(text)}'");
                break;
        }
    }

    public void SetAsn(long value)
    {
        if (value is >= 0 and <= int.MaxValue) _asn = (int)value;
        else Fail($"asn out of range: {value}");
    }

    public void SetOutcome(LoginOutcome outcome) => _outcome = outcome;
    public void SetLabel(TruthLabel label) => _label = label;
    public void SetTakeover(bool takeover) => _takeover = takeover;

    public void SetStepUp(bool passed) => _stepUp = passed;

    /// <summary>A second factor's result as logs write it: <c>passed</c>/<c>failed</c>, or a boolean.</summary>
    public static bool TryParseStepUp(ReadOnlySpan<char> text, out bool passed)
    {
        if (text.Equals("passed", StringComparison.OrdinalIgnoreCase) || text.Equals("pass", StringComparison.OrdinalIgnoreCase) ||
            text.Equals("success", StringComparison.OrdinalIgnoreCase)) { passed = true; return true; }
        if (text.Equals("failed", StringComparison.OrdinalIgnoreCase) || text.Equals("fail", StringComparison.OrdinalIgnoreCase) ||
            text.Equals("failure", StringComparison.OrdinalIgnoreCase)) { passed = false; return true; }
        return TryParseBool(text, out passed);
    }
    public void SetScenario(string scenario) => _scenario = scenario;

    /// <summary>How a row without a required field begins its error.</summary>
    public const string MissingFields = "missing required field(s): ";

    public ReadResult Build(int line)
    {
        if (_error is not null) return ReadResult.Bad(line, _error);
        if (_ts is null || _account is null || _ip is null || _outcome is null)
        {
            var missing = new List<string>(4);
            if (_ts is null) missing.Add("ts");
            if (_account is null) missing.Add("account");
            if (_ip is null) missing.Add("ip");
            if (_outcome is null) missing.Add("outcome");
            return ReadResult.Bad(line, MissingFields + string.Join(", ", missing));
        }
        var attempt = new LoginAttempt
        {
            Timestamp = _ts.Value,
            Account = _account,
            Ip = _ip,
            UserAgent = _userAgent,
            Device = _device,
            Secret = _secret,
            Tenant = _tenant,
            Asn = _asn,
            Country = _country,
        };
        GroundTruth? truth = null;
        if (_label is { } label)
            truth = new GroundTruth(label, _scenario ?? GroundTruthNames.Unspecified, _takeover ?? false);
        else if (_scenario is not null || _takeover is not null)
            return ReadResult.Bad(line, "scenario or takeover given without label");
        return new ReadResult(line, new LoginEvent(attempt, _outcome.Value), truth, null, _stepUp);
    }

    /// <summary>
    /// Parses an IP address strictly: IPv4 only as four dotted decimals (IPAddress.TryParse alone also takes "1",
    /// "1.2.3" and hex forms, which in a log mean a broken field), IPv4-mapped IPv6 folded to IPv4. As access logs
    /// write it, the address may carry its port (<c>192.0.2.1:443</c>, <c>[2001:db8::1]:443</c>) and spaces around it.
    /// </summary>
    public static bool TryParseIp(ReadOnlySpan<char> text, out IPAddress? ip)
    {
        ip = null;
        text = text.Trim(' ');
        if (text.Length > MaxIpLength) return false;
        if (text.IndexOf(':') is int colon and > 0 && text.LastIndexOf(':') == colon && IsPort(text[(colon + 1)..]))
            text = text[..colon];   // IPv4 with a port (an IPv6 address has two colons at least)
        if (!text.Contains(':'))
        {
            int dots = 0;
            foreach (char c in text)
            {
                if (c == '.') dots++;
                else if (!char.IsAsciiDigit(c)) return false;
            }
            if (dots != 3) return false;
        }
        if (!IPAddress.TryParse(text, out ip)) return false;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return true;
    }

    private static bool IsPort(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > 5) return false;
        foreach (char c in text) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    /// <summary>Unix time, as many exports write it: seconds (<c>1600127805</c>, <c>1600127805.792</c>) or, from 10^11
    /// on (a date past the year 5000 in seconds), milliseconds (<c>1600127805792</c>). Between 2000 and 2100 only: a
    /// number outside that is more likely another field than a login's time.</summary>
    public static bool TryParseUnixTime(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.IsEmpty || text.Length > 24 || !char.IsAsciiDigit(text[0])) return false;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number)) return false;
        decimal seconds = number >= 100_000_000_000m ? number / 1000m : number;
        if (seconds < UnixFrom || seconds >= UnixTo) return false;
        value = DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Round(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    private const decimal UnixFrom = 946_684_800m, UnixTo = 4_102_444_800m;   // 2000-01-01 and 2100-01-01, UTC

    private static string OutOfRange(ReadOnlySpan<char> text) =>
        $"ts is outside the years a login log can hold (from 2000-01-01 up to 2100-01-01, UTC): '{Quote(text)}'";

    /// <summary>The first instant a timestamp of any form may name (Unix time, as <see cref="UnixFrom"/>).</summary>
    public static readonly DateTimeOffset EarliestTs = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant past the ones a timestamp may name (as <see cref="UnixTo"/>).</summary>
    public static readonly DateTimeOffset LatestTs = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What exports write for a value they do not know (<c>-</c>, as the RBA dataset does, <c>unknown</c>,
    /// <c>n/a</c>): the field is absent, as <c>null</c> or <c>""</c> make it, not the row bad.</summary>
    public static bool IsUnknownPlaceholder(ReadOnlySpan<char> text) =>
        text is "-" or "--" || text.Equals("unknown", StringComparison.OrdinalIgnoreCase) || text.Equals("n/a", StringComparison.OrdinalIgnoreCase)
        || text.Equals("none", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// An ASN as logs write it: <c>9605</c>, <c>AS9605</c> in any case, or with the network's name after a space, as
    /// whois and IP-geo exports print it (<c>AS15169 Google LLC</c>, <c>AS9605 NTT DOCOMO, INC.</c>).
    /// </summary>
    public static bool TryParseAsn(ReadOnlySpan<char> text, out int asn)
    {
        if (text.Length > 2 && text[..2].Equals("AS", StringComparison.OrdinalIgnoreCase)) text = text[2..];
        int space = text.IndexOfAny(' ', '\t');
        if (space > 0) text = text[..space];   // the name after the number; a leading space stays an error
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out asn);
    }

    /// <summary>
    /// An outcome as exports name it: the wire names, any case, and the usual synonyms. A failure that does not say
    /// why (<c>failure</c>, <c>false</c>, <c>0</c>) is a wrong secret: the account may not exist, but only the caller
    /// knew, and counting it as one keeps it out of the unknown-account signals rather than inventing them.
    /// </summary>
    /// <remarks>The API stays strict (<see cref="LoginOutcomeNames.TryParse"/>): a caller is told its contract; a log
    /// already written is read as it is.</remarks>
    public static bool TryParseOutcome(ReadOnlySpan<char> text, out LoginOutcome outcome)
    {
        if (LoginOutcomeNames.TryParse(text, out outcome)) return true;
        Span<char> lower = stackalloc char[32];
        if (text.Length > lower.Length) return false;
        int n = text.ToLowerInvariant(lower);
        lower[..n].Replace('-', '_');   // Wrong-Password, User Not Found: one spelling
        lower[..n].Replace(' ', '_');
        LoginOutcome? found = lower[..n] switch
        {
            "success" or "succeeded" or "successful" or "ok" or "true" or "1" or "pass" or "passed" or "allowed" => LoginOutcome.Success,
            // Identity providers' own event names, mapped from the field that holds them: Keycloak's event type (LOGIN,
            // LOGIN_ERROR) and error, Auth0's log type codes (s, f, fp, fu, limit_wc).
            "login" or "s" => LoginOutcome.Success,
            "login_error" or "f" or "fp" or "invalid_user_credentials" => LoginOutcome.WrongSecret,
            "fu" => LoginOutcome.UnknownAccount,
            "user_disabled" or "user_temporarily_disabled" or "limit_wc" => LoginOutcome.Locked,
            // The secret was right and the service asked for more: a stuffing hit on an account with a second factor
            // is still a hit (its secret is exposed).
            "mfa_required" or "mfa" or "2fa_required" or "otp_required" or "step_up_required" or "step_up"
                or "password_expired" or "must_change_password" => LoginOutcome.Success,
            "wrong_secret" or "failure" or "failed" or "fail" or "false" or "0" or "wrong_password" or "invalid_password"
                or "bad_password" or "incorrect_password" or "wrong_pin" or "invalid_pin" or "bad_pin" or "incorrect_pin"
                or "invalid_credentials" or "bad_credentials" or "wrong_credentials" => LoginOutcome.WrongSecret,
            "unknown_account" or "unknown_user" or "no_such_user" or "user_not_found" or "invalid_user" or "not_found"
                or "unknown_username" or "invalid_username" or "no_such_account" or "account_not_found" => LoginOutcome.UnknownAccount,
            "locked" or "locked_out" or "lockout" or "account_locked" or "blocked" or "disabled" or "suspended" => LoginOutcome.Locked,
            _ => null,
        };
        outcome = found ?? default;
        return found is not null;
    }

    /// <summary><c>true</c>/<c>false</c> in any case (Python writes <c>True</c>), or <c>1</c>/<c>0</c>.</summary>
    public static bool TryParseBool(ReadOnlySpan<char> text, out bool value)
    {
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text is "1") { value = true; return true; }
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || text is "0") { value = false; return true; }
        value = false;
        return false;
    }

    private static string Quote(ReadOnlySpan<char> text) => TerminalText.Shorten(text, MaxQuotedLength);
}

/// <summary>Returns one shared string per distinct text (user agents, countries repeat on most lines), up to a capacity.</summary>
internal sealed class StringPool
{
    private readonly int _capacity;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    // Taken once: taking it checks the comparer's interfaces, a cast that cost 1 % of replay's parsing thread a call.
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool(int capacity)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Get(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out string? pooled)) return pooled;
        string created = new(text);
        if (_strings.Count < _capacity) _strings[created] = created;   // past capacity: allocate, don't grow
        return created;
    }
}
