using System.Diagnostics;

namespace Mamori.Cli.Replay.Readers;

/// <summary>The fields of a login log line (docs/log-formats.md) plus the ground-truth extras.</summary>
internal enum LogField
{
    Ts, Account, Ip, Outcome, UserAgent, Device, SecretFp, Asn, Country, Tenant,
    /// <summary>Whether the login service's second factor passed on this login (<c>passed</c>/<c>failed</c>).</summary>
    StepUp,
    /// <summary>Ground truth: <c>legit</c> or <c>attack</c>.</summary>
    Label,
    /// <summary>Ground truth: the scenario or legitimate behaviour.</summary>
    Scenario,
    /// <summary>Ground truth: true on an attacker's successful login.</summary>
    Takeover,
}

internal static class LogFieldNames
{
    public static readonly LogField[] All = Enum.GetValues<LogField>();
    public static readonly LogField[] Required = [LogField.Ts, LogField.Account, LogField.Ip, LogField.Outcome];

    public static string ToWireName(this LogField field) => field switch
    {
        LogField.Ts => "ts",
        LogField.Account => "account",
        LogField.Ip => "ip",
        LogField.Outcome => "outcome",
        LogField.UserAgent => "user_agent",
        LogField.Device => "device",
        LogField.SecretFp => "secret_fp",
        LogField.Asn => "asn",
        LogField.Country => "country",
        LogField.Tenant => "tenant",
        LogField.StepUp => "step_up",
        LogField.Label => "label",
        LogField.Scenario => "scenario",
        LogField.Takeover => "takeover",
        _ => throw new UnreachableException($"LogField {field} has no wire name."),
    };

    public static bool TryParse(ReadOnlySpan<char> text, out LogField field)
    {
        foreach (LogField candidate in All)
        {
            if (text.Equals(candidate.ToWireName(), StringComparison.Ordinal))
            {
                field = candidate;
                return true;
            }
        }
        field = default;
        return false;
    }
}
