using System.Text.Json;
using Mamori.Mail.Policy;

namespace Mamori.Mail;

/// <summary>The one JSON shape of a scan result, shared by <c>mamori mail scan --json</c> and
/// <c>POST /v1/mail/check</c>: <c>{file, verdict, score, findings: [{code, message}]}</c>.</summary>
public static class MailScanResultJson
{
    /// <summary>Writes one result object.</summary>
    /// <param name="writer">Target writer.</param>
    /// <param name="file">Source file (or "mbox#N"); null from HTTP.</param>
    /// <param name="result">The scan result.</param>
    public static void Write(Utf8JsonWriter writer, string? file, MailScanResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        if (file is null) writer.WriteNull("file"); else writer.WriteString("file", file);
        writer.WriteString("verdict", result.Verdict.ToWireName());
        writer.WriteNumber("score", result.Score);
        writer.WriteStartArray("findings");
        foreach (MailFinding finding in result.Findings)
        {
            writer.WriteStartObject();
            writer.WriteString("code", finding.Code.ToWireName());
            writer.WriteString("message", finding.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The result as a compact JSON string.</summary>
    public static string ToJson(string? file, MailScanResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(writer, file, result);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
