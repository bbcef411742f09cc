using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Mamori.Events;

namespace Mamori.Simulation.Output;

/// <summary>Writes simulated events as Mamori JSONL (docs/log-formats.md) with the ground-truth fields appended.</summary>
/// <remarks>
/// One <see cref="Utf8JsonWriter"/> reused for every line and flushed to the stream in 1 MiB blocks: no
/// per-event strings. Field order is fixed, so output is byte-identical for a seed.
/// </remarks>
internal static class JsonlLogWriter
{
    private const int FlushThreshold = 1 << 20;

    /// <param name="events">The simulated logins, in time order.</param>
    /// <param name="output">Where the lines go.</param>
    /// <param name="progress">Fraction written.</param>
    /// <param name="omit">Optional fields left out of every line, as an operator's thinner export would (ground truth stays).</param>
    public static void Write(IReadOnlyList<SimulatedLogin> events, Stream output, IProgress<double>? progress = null, OmittedFields omit = OmittedFields.None)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold + 4096);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Span<byte> ts = stackalloc byte[32];
        Span<byte> fp = stackalloc byte[SecretFingerprint.HexLength];
        int reportEvery = Math.Max(1, events.Count / 100);
        for (int i = 0; i < events.Count; i++)
        {
            SimulatedLogin e = events[i];
            writer.WriteStartObject();
            new DateTime(e.UtcTicks, DateTimeKind.Utc).TryFormat(ts, out int tsLength, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            writer.WriteString("ts"u8, ts[..tsLength]);
            writer.WriteString("account"u8, e.Account);
            writer.WriteString("ip"u8, e.Address.Utf8);
            writer.WriteString("outcome"u8, e.Outcome.ToWireName());
            if (e.UserAgent is not null && (omit & OmittedFields.UserAgent) == 0) writer.WriteString("user_agent"u8, e.UserAgent);
            if (e.Device is not null && (omit & OmittedFields.Device) == 0) writer.WriteString("device"u8, e.Device);
            if (e.Secret is { } secret && (omit & OmittedFields.SecretFp) == 0)
            {
                secret.Value.TryFormat(fp, out _, "x16", CultureInfo.InvariantCulture);
                writer.WriteString("secret_fp"u8, fp);
            }
            if ((omit & OmittedFields.Asn) == 0) writer.WriteNumber("asn"u8, e.Address.Asn);
            if ((omit & OmittedFields.Country) == 0) writer.WriteString("country"u8, e.Address.Country);
            if (e.Tenant is not null) writer.WriteString("tenant"u8, e.Tenant);
            writer.WriteString("label"u8, e.Label.ToWireName());
            writer.WriteString("scenario"u8, e.Scenario);
            writer.WriteBoolean("takeover"u8, e.Takeover);
            writer.WriteEndObject();
            writer.Flush();
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            writer.Reset(buffer);
            if (buffer.WrittenCount >= FlushThreshold)
            {
                output.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
            if (progress is not null && i % reportEvery == 0) progress.Report((double)i / events.Count);
        }
        output.Write(buffer.WrittenSpan);
        output.Flush();
        progress?.Report(1.0);
    }
}

/// <summary>Optional fields a simulated log is written without (<c>simulate --omit</c>): flag 1 &lt;&lt; i is field i of
/// <see cref="OptionalAttemptFields.Names"/>, so the names are the engine's one list.</summary>
[Flags]
internal enum OmittedFields
{
    None = 0,
    UserAgent = 1 << OptionalAttemptFields.UserAgent,
    Device = 1 << OptionalAttemptFields.Device,
    SecretFp = 1 << OptionalAttemptFields.SecretFp,
    Asn = 1 << OptionalAttemptFields.Asn,
    Country = 1 << OptionalAttemptFields.Country,
}

internal static class OmittedFieldNames
{
    /// <summary>Parses <c>asn,country</c> (JSONL names, comma-separated); false with the unknown name otherwise.</summary>
    public static bool TryParse(string? text, out OmittedFields fields, out string? unknown)
    {
        fields = OmittedFields.None;
        unknown = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int index = -1;
            for (int i = 0; i < OptionalAttemptFields.Names.Count; i++)
            {
                if (OptionalAttemptFields.Names[i] == part) index = i;
            }
            if (index < 0)
            {
                unknown = part;
                return false;
            }
            fields |= (OmittedFields)(1 << index);
        }
        return true;
    }
}
