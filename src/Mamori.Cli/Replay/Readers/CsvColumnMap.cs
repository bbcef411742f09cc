namespace Mamori.Cli.Replay.Readers;

/// <summary>Which CSV column holds which log field. Fields not mapped are absent.</summary>
/// <remarks>
/// The default (<see cref="Identity"/>) expects header names equal to the JSONL field names; <c>--map</c>
/// overrides some, e.g. <c>--map ts=Time,account=User,ip=ClientIP</c>. <see cref="Rba"/> is the RBA dataset's layout.
/// </remarks>
internal sealed class CsvColumnMap
{
    /// <summary>Most <c>field=Column</c> pairs one map takes.</summary>
    public const int MaxPairs = 32;

    private CsvColumnMap(Dictionary<LogField, string> columns, bool isRba)
    {
        Columns = columns;
        IsRba = isRba;
    }

    /// <summary>Field → header name, or several separated by <c>|</c> (<see cref="NamesOf"/>).</summary>
    public IReadOnlyDictionary<LogField, string> Columns { get; }

    /// <summary>Most names one field may be read from (<c>outcome=error|type</c>).</summary>
    public const int MaxAlternatives = 4;

    /// <summary>
    /// The names a field is read from, the first present one winning: <c>outcome=error|type</c> reads a Keycloak event's
    /// error where it has one (<c>user_not_found</c>) and its type otherwise (<c>LOGIN</c>).
    /// </summary>
    public static string[] NamesOf(string column) => column.Split('|', StringSplitOptions.TrimEntries);

    /// <summary>True for the RBA dataset: outcome, label and takeover come from its True/False columns, timestamps are UTC without offset.</summary>
    public bool IsRba { get; }

    /// <summary>Header names equal to JSONL field names (<c>ts,account,ip,outcome,...</c>).</summary>
    public static CsvColumnMap Identity { get; } = new(LogFieldNames.All.ToDictionary(f => f, f => f.ToWireName()), isRba: false);

    /// <summary>The columns of the RBA dataset of Wiefling et al. (the outcome and labels are mapped to its boolean columns).</summary>
    public static CsvColumnMap Rba { get; } = new(new Dictionary<LogField, string>
    {
        [LogField.Ts] = "Login Timestamp",
        [LogField.Account] = "User ID",
        [LogField.Ip] = "IP Address",
        [LogField.Country] = "Country",
        [LogField.Asn] = "ASN",
        [LogField.UserAgent] = "User Agent String",
        [LogField.Outcome] = RbaColumns.LoginSuccessful,
        [LogField.Label] = RbaColumns.IsAttackIp,
        [LogField.Takeover] = RbaColumns.IsAccountTakeover,
    }, isRba: true);

    /// <summary>Parses <c>field=Column,field=Column</c>; fields not named keep their JSONL names.</summary>
    /// <exception cref="FormatException">A pair is malformed, names an unknown field, or repeats one; the message says which.</exception>
    public static CsvColumnMap Parse(string? text)
    {
        var columns = new Dictionary<LogField, string>();
        foreach (LogField field in LogFieldNames.All) columns[field] = field.ToWireName();
        if (string.IsNullOrWhiteSpace(text)) return new CsvColumnMap(columns, isRba: false);

        string[] pairs = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (pairs.Length > MaxPairs) throw new FormatException($"--map takes at most {MaxPairs} field=Column pairs.");
        var seen = new HashSet<LogField>();
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1)
                throw new FormatException($"--map pair '{pair}' is not field=Column.");
            string name = pair[..eq].Trim();
            if (!LogFieldNames.TryParse(name, out LogField field))
                throw new FormatException($"--map names unknown field '{name}'; fields are: {string.Join(", ", LogFieldNames.All.Select(f => f.ToWireName()))}.");
            if (!seen.Add(field)) throw new FormatException($"--map maps '{name}' twice.");
            string column = pair[(eq + 1)..].Trim();
            string[] names = NamesOf(column);
            if (names.Length > MaxAlternatives)
                throw new FormatException($"--map reads '{name}' from {names.Length} names; at most {MaxAlternatives} (first present wins: {name}=error|type).");
            if (names.Any(string.IsNullOrEmpty))
                throw new FormatException($"--map pair '{pair}' has an empty name between its '|'.");
            columns[field] = string.Join('|', names);
        }
        // Two fields read from one column (account=ip leaves ip reading "ip" too) would each get half of it.
        foreach (IGrouping<string, (LogField Field, string Name)> shared in columns.SelectMany(c => NamesOf(c.Value).Select(n => (Field: c.Key, Name: n))).GroupBy(c => c.Name, StringComparer.Ordinal))
        {
            if (shared.Count() > 1)
                throw new FormatException($"--map has {string.Join(" and ", shared.Select(c => c.Field.ToWireName()).Distinct())} both reading '{shared.Key}'; map the other one to its own column.");
        }
        return new CsvColumnMap(columns, isRba: false);
    }
}

/// <summary>Column names of the RBA dataset (Wiefling et al., "Pump Up Password Security!", ACM TOPS 2022).</summary>
internal static class RbaColumns
{
    public const string LoginSuccessful = "Login Successful";
    public const string IsAttackIp = "Is Attack IP";
    public const string IsAccountTakeover = "Is Account Takeover";
    /// <summary>Scenario given to RBA rows (the dataset does not name campaigns).</summary>
    public const string Scenario = "rba";
}
