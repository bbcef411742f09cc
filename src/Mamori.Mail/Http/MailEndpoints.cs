using System.Text.Json;
using Mamori.Mail.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Mail.Http;

/// <summary>HTTP front doors of the mail scanner: Mamori's own check and an rspamd-compatible one.</summary>
public static class MailEndpoints
{
    /// <summary>Registers a <see cref="MailScanner"/> built from <paramref name="configure"/> (options validated now).</summary>
    public static IServiceCollection AddMailScanner(this IServiceCollection services, Action<MailScannerOptions>? configure = null)
    {
        var options = new MailScannerOptions();
        configure?.Invoke(options);
        var scanner = new MailScanner(options);   // throws at start-up with every bad option listed
        return services.AddSingleton(scanner);
    }

    /// <summary>Maps <c>POST /v1/mail/check</c> (raw RFC 5322 in, <c>{file, verdict, score, findings}</c> out)
    /// and <c>POST /checkv2</c> (rspamd's answer shape, for MTAs already wired to rspamd).</summary>
    /// <remarks>Callers are expected to map these inside an authenticated group; the endpoints themselves
    /// do no authentication. Needs <see cref="AddMailScanner"/>.</remarks>
    public static IEndpointRouteBuilder MapMailEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v1/mail/check", CheckAsync).WithName("CheckMail").DisableAntiforgery()
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        app.MapPost("/checkv2", RspamdCheckAsync).WithName("CheckMailRspamd").DisableAntiforgery()
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> CheckAsync(HttpRequest request, MailScanner scanner, CancellationToken ct)
    {
        (byte[]? raw, ProblemHttpResult? problem) = await ReadMessageAsync(request, scanner.Options.MaxMessageBytes, ct);
        if (problem is not null) return problem;
        MailScanResult result = scanner.Scan(raw);
        return TypedResults.Text(MailScanResultJson.ToJson(null, result), "application/json", System.Text.Encoding.UTF8);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> RspamdCheckAsync(HttpRequest request, MailScanner scanner, CancellationToken ct)
    {
        (byte[]? raw, ProblemHttpResult? problem) = await ReadMessageAsync(request, scanner.Options.MaxMessageBytes, ct);
        if (problem is not null) return problem;
        MailScanResult result = scanner.Scan(raw);
        return TypedResults.Text(RspamdAnswer.ToJson(result, scanner), "application/json", System.Text.Encoding.UTF8);
    }

    /// <summary>Reads the body up to <paramref name="limit"/> bytes; a larger or empty body is a problem document.</summary>
    private static async Task<(byte[] Raw, ProblemHttpResult? Problem)> ReadMessageAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit;
        if (request.ContentLength > limit) return ([], TooLarge(limit));
        byte[] raw;
        try
        {
            raw = await MailScanner.ReadBoundedAsync(request.Body, limit + 1L, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], TooLarge(limit));
        }
        if (raw.Length > limit) return ([], TooLarge(limit));
        if (raw.Length == 0)
            return ([], TypedResults.Problem(title: "Empty message", detail: "Send the raw RFC 5322 message as the request body.",
                statusCode: StatusCodes.Status400BadRequest));
        return (raw, null);
    }

    private static ProblemHttpResult TooLarge(int limit) => TypedResults.Problem(title: "Message too large",
        detail: $"The message is larger than {limit} bytes (Mamori:Mail:MaxMessageBytes).", statusCode: StatusCodes.Status413PayloadTooLarge);
}

/// <summary>rspamd's /checkv2 reply shape, so MTA glue written for rspamd can read Mamori's verdict.</summary>
/// <remarks>rspamd has no quarantine action: a quarantine verdict is answered "add header" with
/// <c>X-Mamori-Verdict: quarantine</c> in <c>milter.add_headers</c>, for the MTA to route on.</remarks>
internal static class RspamdAnswer
{
    public static string ToActionName(MailVerdict verdict) => verdict switch
    {
        MailVerdict.Accept => "no action",
        MailVerdict.Tag => "add header",
        MailVerdict.Quarantine => "add header",
        MailVerdict.Reject => "reject",
        _ => throw new System.Diagnostics.UnreachableException($"MailVerdict {verdict} has no rspamd action."),
    };

    /// <summary>rspamd-style symbol name of a finding code: MACRO_PRESENT.</summary>
    public static string SymbolOf(MailFindingCode code) => code.ToWireName().ToUpperInvariant();

    public static string ToJson(MailScanResult result, MailScanner scanner)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteBoolean("is_skipped", false);
            w.WriteNumber("score", result.Score);
            w.WriteNumber("required_score", scanner.Options.RejectScore);
            w.WriteString("action", ToActionName(result.Verdict));
            w.WriteStartObject("symbols");
            foreach (MailFinding finding in result.Findings)
            {
                string symbol = SymbolOf(finding.Code);
                w.WriteStartObject(symbol);
                w.WriteString("name", symbol);
                w.WriteNumber("score", scanner.Policy.WeightOf(finding.Code));
                w.WriteNumber("metric_score", scanner.Policy.WeightOf(finding.Code));
                w.WriteString("description", finding.Message);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartObject("messages");
            if (result.Verdict == MailVerdict.Reject)
                w.WriteString("smtp_message", "5.7.1 Message rejected by Mamori mail screening");
            w.WriteEndObject();
            if (result.Verdict != MailVerdict.Accept)
            {
                w.WriteStartObject("milter");
                w.WriteStartObject("add_headers");
                w.WriteStartObject("X-Mamori-Verdict");
                w.WriteString("value", $"{result.Verdict.ToWireName()} score={result.Score.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                w.WriteNumber("order", 0);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
