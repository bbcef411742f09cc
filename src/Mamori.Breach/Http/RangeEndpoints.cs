using System.Buffers;
using System.Security.Cryptography;
using Mamori.Breach.Index;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Breach.Http;

/// <summary>The Pwned Passwords range API, self-hosted: <c>GET /range/{first 5 hex of the hash}</c>.</summary>
/// <remarks>
/// Answers as the public API does, so its clients work by changing the base URL: uppercase <c>SUFFIX:COUNT</c>
/// lines in ascending order joined by CRLF (no CRLF after the last line); <c>?mode=ntlm</c> for NTLM (any other
/// mode is SHA-1); <c>Add-Padding: true</c> appends random zero-count lines; a prefix that is not 5 characters, or not
/// hex, gets 400 with the public API's message. Mamori receives only the prefix, never a full hash or a password.
/// Unlike the public API, a server with no imported corpus answers 503 "not loaded" rather than an empty 200, so a
/// client reports an error instead of concluding "not breached". Errors are plain text, not RFC 7807 problem
/// documents as elsewhere in Mamori, because existing clients surface the public API's text (the <c>hibp</c> package
/// throws it as its error message).
/// </remarks>
public static class RangeEndpoints
{
    /// <summary>Error text of the public API for a prefix that is not 5 characters long.</summary>
    internal const string InvalidFormatMessage = "The hash prefix was not in a valid format";

    /// <summary>Error text of the public API for a 5-character prefix that is not hexadecimal.</summary>
    internal const string InvalidHexMessage = "The hash prefix was not valid hexadecimal";

    internal const string ContentType = "text/plain; charset=utf-8";

    /// <summary>Lower bound of a padded answer's line count (the public API documents 800–1,000).</summary>
    internal const int PaddedMinLines = 800;

    /// <summary>Upper bound of a padded answer's line count when the real answer is shorter.</summary>
    internal const int PaddedMaxLines = 1000;

    /// <summary>Zero-count lines added to a prefix that already has at least the padded total, as the public
    /// service's worker adds (10 to 200), so its answer's length still varies.</summary>
    internal const int ExtraPaddingMin = 10;

    internal const int ExtraPaddingMax = 200;

    private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;

    /// <summary>Maps <c>GET /range/{prefix}</c>. Needs <see cref="BreachServiceCollectionExtensions.AddBreachIndex"/>.</summary>
    /// <remarks>Anonymous unless <see cref="BreachIndexOptions.RequireApiKey"/> is set, in which case the route requires
    /// authorization (the server's API-key scheme decides who passes).</remarks>
    public static IEndpointRouteBuilder MapPwnedPasswordsRange(this IEndpointRouteBuilder app)
    {
        BreachIndex index = app.ServiceProvider.GetRequiredService<BreachIndex>();
        // A catch-all so "/range/" and "/range/ABCDE/x" reach the handler and get the public API's 400, not a 404.
        RouteHandlerBuilder route = app.MapGet("/range/{**prefix}", HandleAsync).WithName("PwnedPasswordsRange");
        if (index.RequireApiKey) route.RequireAuthorization();
        else route.AllowAnonymous();
        // CORS preflight, as the public API answers it: a browser page sending Add-Padding must ask first.
        app.MapMethods("/range/{**prefix}", [HttpMethods.Options], WritePreflight).AllowAnonymous();
        return app;
    }

    private static async Task HandleAsync(HttpContext context, string? prefix, BreachIndex index)
    {
        HttpResponse response = context.Response;
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.Vary = "Add-Padding";
        response.Headers.CacheControl = "no-store";

        prefix = RawPrefix(context) ?? prefix ?? "";
        if (prefix.Length != IndexFormat.PrefixHexLength)
        {
            await WriteText(response, StatusCodes.Status400BadRequest, InvalidFormatMessage);
            return;
        }
        if (!int.TryParse(prefix, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out int bucket))
        {
            await WriteText(response, StatusCodes.Status400BadRequest, InvalidHexMessage);
            return;
        }

        // As the public API: exactly "ntlm" selects NTLM; anything else, or nothing, is SHA-1.
        PwnedHashMode mode = string.Equals(context.Request.Query["mode"].ToString(), "ntlm", StringComparison.Ordinal)
            ? PwnedHashMode.Ntlm
            : PwnedHashMode.Sha1;
        PwnedIndexReader? reader = index.AcquireReader(mode);
        if (reader is null)
        {
            await WriteText(response, StatusCodes.Status503ServiceUnavailable,
                $"Breached-password corpus not loaded (mode={mode.ToWireName()}): import one with `mamori breach import`.");
            return;
        }

        bool pad = string.Equals(context.Request.Headers["Add-Padding"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        int estimate = (int)Math.Min(reader.BucketBytes(bucket) / IndexFormat.StoredSuffixBytes(mode) * 48, 4 * 1024 * 1024);
        using var body = new PooledBufferWriter(estimate + (pad ? PaddedMaxLines * 40 : 0) + 64);
        try
        {
            int lines = reader.WriteRange(bucket, body);
            if (pad) WritePadding(body, lines, mode);
        }
        finally
        {
            reader.Release();
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    /// <summary>Appends random <c>SUFFIX:0</c> lines: to a random total of 800–1,000 lines, or 10–200 more when the
    /// prefix already has that many. Clients ignore them (count 0), and an observer of response sizes cannot tell which
    /// prefix was asked for.</summary>
    internal static void WritePadding(IBufferWriter<byte> body, int realLines, PwnedHashMode mode)
    {
        int target = RandomNumberGenerator.GetInt32(PaddedMinLines, PaddedMaxLines + 1);
        int extra = realLines < target ? target - realLines : RandomNumberGenerator.GetInt32(ExtraPaddingMin, ExtraPaddingMax + 1);
        int suffixHex = mode.SuffixHexLength();
        // One call to the CSPRNG for the whole answer: one random byte gives two hex digits.
        byte[] random = ArrayPool<byte>.Shared.Rent((extra * suffixHex + 1) / 2);
        try
        {
            RandomNumberGenerator.Fill(random.AsSpan(0, (extra * suffixHex + 1) / 2));
            int nibble = 0;
            for (int i = 0; i < extra; i++)
            {
                bool first = realLines == 0 && i == 0;
                Span<byte> line = body.GetSpan(2 + suffixHex + 2);
                int at = 0;
                if (!first)
                {
                    line[at++] = (byte)'\r';
                    line[at++] = (byte)'\n';
                }
                for (int j = 0; j < suffixHex; j++, nibble++)
                {
                    byte b = random[nibble >> 1];
                    line[at++] = HexDigits[(nibble & 1) == 0 ? b >> 4 : b & 0x0F];
                }
                line[at++] = (byte)':';
                line[at++] = (byte)'0';
                body.Advance(at);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(random);
        }
    }

    /// <summary>The prefix as sent, before URL decoding, as the public API judges it (<c>/range/%205BA6</c> is 7
    /// characters there, not 5); null when the server did not keep the raw target.</summary>
    private static string? RawPrefix(HttpContext context)
    {
        string? raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw)) return null;
        int query = raw.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? raw : raw[..query];
        int at = path.IndexOf("/range/", StringComparison.Ordinal);
        return at < 0 ? null : path[(at + "/range/".Length)..];
    }

    private static void WritePreflight(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlAllowMethods = "GET";
        response.Headers.AccessControlAllowHeaders = "Add-Padding";
        response.Headers.AccessControlMaxAge = "1728000";
        response.StatusCode = StatusCodes.Status200OK;
    }

    private static Task WriteText(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = ContentType;
        return response.WriteAsync(text);
    }
}
