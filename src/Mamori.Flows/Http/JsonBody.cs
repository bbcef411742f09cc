using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mamori.Flows.Http;

/// <summary>Reads request bodies with the flows' own JSON rules, independent of the host's JSON options.</summary>
/// <remarks>
/// Bounded (<see cref="MaxBodyBytes"/>), snake_case, unknown and repeated fields rejected, numbers strict. Every failure becomes
/// an RFC 7807 problem naming the offending field, and is returned before any handler logic runs, so a bad request
/// changes nothing.
/// </remarks>
internal static class JsonBody
{
    /// <summary>Largest request body accepted. WebAuthn attestations are the largest legitimate bodies (a few KiB).</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        // A field given twice was read as its last value; a gateway that checks the first would see another request.
        AllowDuplicateProperties = false,
        MaxDepth = 16,
    };

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json."));
        if (request.ContentLength > MaxBodyBytes)
            return (null, TooLarge());
        byte[]? body = await ReadBoundedAsync(request.BodyReader, ct);
        if (body is null) return (null, TooLarge());
        try
        {
            T? value = JsonSerializer.Deserialize<T>(body, Options);
            if (value is null) return (null, Problems.Field("$", "The body must be a JSON object."));
            return (value, null);
        }
        catch (JsonException ex)
        {
            string field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "$";
            string message = ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "Unknown field."
                : ex.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) ? "This field appears twice; send it once."
                : "Malformed JSON or a value of the wrong type.";
            if (field == "$" && ex.Message.Contains("could not be mapped", StringComparison.Ordinal))
                field = UnknownFieldName(ex.Message) ?? field;
            return (null, Problems.Field(field, message));
        }
    }

    // "The JSON property 'x' could not be mapped…": the path points at the object holding it; name the field itself.
    private static string? UnknownFieldName(string message)
    {
        int start = message.IndexOf('\'', StringComparison.Ordinal), end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start + 1 ? message[(start + 1)..end] : null;
    }

    private static async Task<byte[]?> ReadBoundedAsync(PipeReader reader, CancellationToken ct)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(ct);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }
            if (result.IsCompleted)
            {
                byte[] bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body exceeds {MaxBodyBytes} bytes.");
}

/// <summary>RFC 7807 problem results used by the flow endpoints.</summary>
internal static class Problems
{
    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid request");

    public static ValidationProblem Fields(Dictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors, title: "Invalid request");

    public static ProblemHttpResult Status(int status, string title, string detail, string? reason = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: reason is null ? null : new Dictionary<string, object?> { ["reason"] = reason });
}
