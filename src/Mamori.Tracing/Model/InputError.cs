using System.Diagnostics;

namespace Mamori.Tracing.Model;

/// <summary>What was wrong with one input record.</summary>
public enum InputErrorCode : byte
{
    /// <summary>The file is not the format it was read as (not JSON, missing CSV columns, …).</summary>
    MalformedFile,
    /// <summary>A NIS1 transaction type the tracer does not move value for (not 257 or a 4100 wrapper of 257).</summary>
    UnknownTransactionType,
    /// <summary>An amount or fee below zero.</summary>
    NegativeAmount,
    /// <summary>An amount, fee or time that is not a number, or overflows 64 bits.</summary>
    BadNumber,
    /// <summary>An address or public key that does not parse or fails its checksum.</summary>
    MalformedAddress,
    /// <summary>A time earlier than the record before it in a file that must be in time order.</summary>
    OutOfOrderTime,
    /// <summary>A required field is missing or empty.</summary>
    MissingField,
    /// <summary>A record that moves value in a way the tracer does not model (e.g. contract creation).</summary>
    Unsupported,
}

/// <summary>One bad input record and where it is, so an analyst can open the file at that spot.</summary>
/// <param name="File">The input file as given on the command line.</param>
/// <param name="Location">A line number (<c>line 12</c>) or a JSON path (<c>$.data[3].transaction</c>).</param>
public sealed record InputError(string File, string Location, InputErrorCode Code, string Message);

/// <summary>Wire names of <see cref="InputErrorCode"/>; reports and scripts match on them, never rename one.</summary>
public static class InputErrorCodeNames
{
    /// <summary>The stable name written to reports.</summary>
    public static string ToWireName(this InputErrorCode code) => code switch
    {
        InputErrorCode.MalformedFile => "malformed_file",
        InputErrorCode.UnknownTransactionType => "unknown_transaction_type",
        InputErrorCode.NegativeAmount => "negative_amount",
        InputErrorCode.BadNumber => "bad_number",
        InputErrorCode.MalformedAddress => "malformed_address",
        InputErrorCode.OutOfOrderTime => "out_of_order_time",
        InputErrorCode.MissingField => "missing_field",
        InputErrorCode.Unsupported => "unsupported",
        _ => throw new UnreachableException($"InputErrorCode {code} has no wire name."),
    };
}

/// <summary>Collects input errors: every one is counted, the first <see cref="MaxStored"/> are kept in full.</summary>
/// <remarks>A bad record is excluded from tracing but never silently: it is counted here and the report and
/// exit code say so. Keeping all of them would let one corrupt 100M-line file exhaust memory.</remarks>
public sealed class InputErrorLog
{
    /// <summary>How many errors are kept with their location; the rest are only counted by code.</summary>
    public const int MaxStored = 1000;

    private readonly List<InputError> _errors = [];
    private readonly long[] _counts = new long[Enum.GetValues<InputErrorCode>().Length];

    /// <summary>All errors seen, including those not stored.</summary>
    public long Count { get; private set; }

    /// <summary>The first <see cref="MaxStored"/> errors.</summary>
    public IReadOnlyList<InputError> Stored => _errors;

    /// <summary>Errors per code.</summary>
    public IReadOnlyDictionary<InputErrorCode, long> CountsByCode =>
        Enum.GetValues<InputErrorCode>().Where(c => _counts[(int)c] > 0).ToDictionary(c => c, c => _counts[(int)c]);

    /// <summary>Records one error.</summary>
    public void Add(string file, string location, InputErrorCode code, string message)
    {
        Count++;
        _counts[(int)code]++;
        if (_errors.Count < MaxStored) _errors.Add(new InputError(file, location, code, message));
    }
}
