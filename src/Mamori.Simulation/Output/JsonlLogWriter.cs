using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Mamori.Events;

namespace Mamori.Simulation.Output;

/// <summary>Writes simulated events as Mamori JSONL (DESIGN.md §4) with the ground-truth fields appended.</summary>
/// <remarks>
/// One <see cref="Utf8JsonWriter"/> reused for every line and flushed to the stream in 1 MiB blocks: no
/// per-event strings. Field order is fixed, so output is byte-identical for a seed.
/// </remarks>
internal static class JsonlLogWriter
{
    private const int FlushThreshold = 1 << 20;

    public static void Write(IReadOnlyList<SimulatedLogin> events, Stream output, IProgress<double>? progress = null)
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
            if (e.UserAgent is not null) writer.WriteString("user_agent"u8, e.UserAgent);
            if (e.Device is not null) writer.WriteString("device"u8, e.Device);
            if (e.Secret is { } secret)
            {
                secret.Value.TryFormat(fp, out _, "x16", CultureInfo.InvariantCulture);
                writer.WriteString("secret_fp"u8, fp);
            }
            writer.WriteNumber("asn"u8, e.Address.Asn);
            writer.WriteString("country"u8, e.Address.Country);
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
