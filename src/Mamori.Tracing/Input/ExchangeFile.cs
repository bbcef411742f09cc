using nietras.SeparatedValues;

namespace Mamori.Tracing.Input;

/// <summary>Reads the <c>--exchanges</c> file: CSV with header <c>exchange,address</c>, one deposit address per row.</summary>
internal static class ExchangeFile
{
    /// <summary>Most rows accepted; a list of every address on a chain is not an exchange list.</summary>
    public const int MaxRows = 1_000_000;

    /// <summary>Reads the file; every bad row is listed with its line number.</summary>
    /// <exception cref="InvalidDataException">The file is not such a CSV, or has bad rows; the message names the file and lists them all.</exception>
    public static IReadOnlyList<ExchangeAddress> Read(string path)
    {
        try
        {
            return ReadCore(path);
        }
        catch (ArgumentException ex)
        {
            // Sep refuses a header that repeats a column name, as a JSON file's first line does: the user gave the wrong
            // file. Sep's message quotes the whole first line (a whole JSON export), so it is not repeated here.
            throw new InvalidDataException($"{path}: line 1: not a CSV with header exchange,address (the line repeats column names; is it a transfers file?)", ex);
        }
    }

    private static IReadOnlyList<ExchangeAddress> ReadCore(string path)
    {
        var result = new List<ExchangeAddress>();
        var errors = new List<string>();
        using (SepReader reader = Sep.Reader(o => o with { Unescape = true, Trim = SepTrim.All }).FromFile(path))
        {
            if (!reader.Header.TryIndexOf("exchange", out int exchange) || !reader.Header.TryIndexOf("address", out int address))
                throw new InvalidDataException($"{path}: line 1: the header must be exchange,address");
            foreach (SepReader.Row row in reader)
            {
                if (result.Count >= MaxRows) throw new InvalidDataException($"{path}: more than {MaxRows} rows");
                string name = row[exchange].ToString(), text = row[address].ToString();
                if (name.Length == 0 || text.Length == 0) errors.Add($"{path}: line {row.LineNumberFrom}: empty exchange or address");
                else result.Add(new ExchangeAddress(name, text));
            }
        }
        if (errors.Count > 0) throw new InvalidDataException(string.Join(Environment.NewLine, errors));
        return result;
    }
}
