using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Net.Http.Headers;

namespace Mamori.Server.Api;

/// <summary>A request body read as JSON, or the problem that stops it.</summary>
internal readonly struct BodyResult<T>
{
    public BodyResult(T value) { Value = value; Problem = null; }
    public BodyResult(IResult problem) { Value = default; Problem = problem; }
    public T? Value { get; }
    public IResult? Problem { get; }
}

/// <summary>
/// Reads a request body as JSON with a hard size limit, refusing anything but JSON.
/// </summary>
/// <remarks>
/// Written by hand rather than left to parameter binding because the limit must hold on every host (TestServer
/// enforces no Kestrel limit) and because every serializer error must become a problem naming the field; binding
/// turns both into bare 400s. The body is read whole before parsing, so the handler never runs on a partial body.
/// </remarks>
internal static class JsonBody
{
    /// <summary>Limit of a single-object body: an attempt is a few hundred bytes.</summary>
    public const int SmallLimit = 8 * 1024;

    /// <summary>Limit of an event batch: 1,000 events of about a kilobyte.</summary>
    public const int BatchLimit = 1024 * 1024;

    public static async ValueTask<BodyResult<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, int limit, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType)) return new(Problems.NotJson());
        if (request.ContentLength > limit) return new(Problems.TooLarge(limit));
        PipeReader reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return new(Problems.TooLarge(limit));
            }
            if (read.IsCompleted) break;
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);   // nothing consumed, everything examined: wait for more
        }
        ReadOnlySequence<byte> body = read.Buffer;
        try
        {
            return Parse(body, type);
        }
        finally
        {
            reader.AdvanceTo(body.End);
        }
    }

    /// <summary>The first non-blank byte of the body, to tell an object from an array.</summary>
    public static byte FirstByte(ReadOnlySequence<byte> body)
    {
        foreach (ReadOnlyMemory<byte> segment in body)
            foreach (byte b in segment.Span)
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return b;
        return 0;
    }

    /// <summary>Reads the whole body (bounded) without parsing it.</summary>
    public static async ValueTask<(byte[]? Body, IResult? Problem)> ReadBytesAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType)) return (null, Problems.NotJson());
        if (request.ContentLength > limit) return (null, Problems.TooLarge(limit));
        PipeReader reader = request.BodyReader;
        while (true)
        {
            ReadResult read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return (null, Problems.TooLarge(limit));
            }
            if (read.IsCompleted)
            {
                byte[] bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return (bytes, null);
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    public static BodyResult<T> Parse<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> type)
    {
        if (body.Length == 0) return new(Problems.Invalid("$", "The body is empty; send a JSON object."));
        try
        {
            var json = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
            T? value = JsonSerializer.Deserialize(ref json, type);
            if (value is null) return new(Problems.Invalid("$", "The body is null; send a JSON object."));
            // The serializer stops after one value; a second one, or text, after it is a body meant otherwise.
            if (json.Read()) return new(Problems.Invalid("$", "Extra content after the JSON value; send exactly one."));
            return new(value);
        }
        catch (JsonException ex)
        {
            return new(Problems.Invalid(FieldOf(ex), Describe(ex)));
        }
    }

    /// <summary>The field named by a serializer error: its JSON path without the leading <c>$.</c>.</summary>
    internal static string FieldOf(JsonException ex)
    {
        string path = ex.Path ?? "$";
        if (ex.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            // The path may stop at the object; the message names the property: "The JSON property 'x' could not…".
            int open = ex.Message.IndexOf('\'', StringComparison.Ordinal), close = open < 0 ? -1 : ex.Message.IndexOf('\'', open + 1);
            if (close > open + 1)
            {
                string name = ex.Message[(open + 1)..close];
                if (!path.EndsWith("." + name, StringComparison.Ordinal)) path = path + "." + name;
            }
        }
        if (path.StartsWith("$.", StringComparison.Ordinal)) return path[2..];
        if (path.StartsWith("$[", StringComparison.Ordinal)) return path[1..];
        return path;
    }

    // The serializer's messages name CLR types and never echo values (so no fingerprint leaks back or into logs);
    // say the same thing in the API's words.
    private static string Describe(JsonException ex)
    {
        string message = ex.Message;
        if (message.Contains("after a single JSON value", StringComparison.Ordinal))
            return "Extra content after the JSON value; send exactly one.";
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return "This field appears twice; send it once.";
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return "Unknown field: this API refuses fields it does not know (check the spelling; names are snake_case).";
        if (message.Contains("could not be converted", StringComparison.Ordinal))
            return "Wrong type for this field (see docs/api.md for each field's type).";
        if (ex.InnerException is null && message.Contains("depth", StringComparison.OrdinalIgnoreCase))
            return "The JSON is nested too deeply.";
        return "Malformed JSON.";
    }

    private static bool IsJson(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? media)) return false;
        return media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
    }
}
