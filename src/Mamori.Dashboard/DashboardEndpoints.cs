using System.Globalization;
using System.Text;
using System.Text.Json;
using Mamori.Campaigns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;

namespace Mamori.Dashboard;

/// <summary>The dashboard's endpoints: the SPA shell, the decision feed, the overview and campaign exports.</summary>
/// <remarks>
/// No authentication here, on purpose: the server mounts this inside its admin-authenticated group, so every data
/// endpoint inherits the admin policy. Only the SPA's static files are <c>AllowAnonymous</c>: they hold no data, and a
/// browser must load the sign-in screen before it has a key to send.
/// </remarks>
public static class DashboardEndpoints
{
    /// <summary>Most items <c>/v1/decisions/recent</c> returns.</summary>
    public const int MaxRecent = 1_000;

    /// <summary>Items <c>/v1/decisions/recent</c> returns without a <c>limit</c>.</summary>
    public const int DefaultRecent = 100;

    /// <summary>Longest campaign id accepted (real ones are 22 characters).</summary>
    public const int MaxCampaignIdLength = 64;

    /// <summary>Targeted accounts listed per campaign.</summary>
    public const int MaxTargetsListed = 500;

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly DashboardJsonContext s_json = DashboardJsonContext.Default;

    /// <summary>
    /// Maps <c>/</c> and <c>/dashboard/{file}</c> (anonymous static shell), <c>GET /v1/decisions/recent</c>,
    /// <c>GET /v1/decisions/stream</c> (Server-Sent Events), <c>GET /v1/dashboard/overview</c>,
    /// <c>GET /v1/dashboard/campaigns/{id}</c>, <c>GET /v1/campaigns/{id}/export.csv</c> and <c>GET /v1/campaigns/{id}/stix</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The <c>Mamori:Dashboard</c> options are out of range (named in the message).</exception>
    /// <remarks>Needs <see cref="DashboardServiceCollectionExtensions.AddMamoriDashboard"/>, a <see cref="LoginAssessor"/> and a <see cref="TimeProvider"/> in DI.</remarks>
    public static IEndpointRouteBuilder MapMamoriDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Resolved now so that bad Mamori:Dashboard options fail when the host starts, not at the first decision.
        app.ServiceProvider.GetRequiredService<DecisionFeed>();
        app.MapGet("/", (HttpContext http) => ServeAsset(http, "index.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/dashboard/{file}", (HttpContext http, string file) => ServeAsset(http, file)).AllowAnonymous().ExcludeFromDescription();

        RouteGroupBuilder v1 = app.MapGroup("/v1").WithTags("dashboard");
        v1.MapGet("/decisions/recent", Recent).WithName("RecentDecisions").AddEndpointFilter(NoStore)
            .WithSummary("Latest decisions, newest first; filter by decision, reason, account, ip (address or CIDR).");
        v1.MapGet("/decisions/stream", StreamAsync).WithName("StreamDecisions")
            .WithSummary("Decisions as they happen (text/event-stream, event 'decision'); same filters as recent.");
        v1.MapGet("/dashboard/overview", Overview).WithName("DashboardOverview").AddEndpointFilter(NoStore);
        v1.MapGet("/dashboard/campaigns/{id}", CampaignDetail).WithName("DashboardCampaign").AddEndpointFilter(NoStore);
        v1.MapGet("/campaigns/{id}/export.csv", ExportCsv).WithName("ExportCampaignCsv").AddEndpointFilter(NoStore);
        v1.MapGet("/campaigns/{id}/stix", ExportStix).WithName("ExportCampaignStix").AddEndpointFilter(NoStore);
        return app;
    }

    /// <summary>Marks a data answer <c>Cache-Control: no-store</c>, problems included.</summary>
    /// <remarks>They hold account names and addresses, fetched with an admin key: a shared proxy or the browser's disk
    /// cache must not keep a copy for the next user or the next process to read.</remarks>
    internal static ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        return next(context);
    }

    private static IResult ServeAsset(HttpContext http, string file)
    {
        if (!DashboardAssets.TryGet(file, out DashboardAssets.Asset asset)) return TypedResults.NotFound();
        IHeaderDictionary headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch == asset.ETag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(asset.Bytes, asset.ContentType);
    }

    // limit is bound as text: an int? parameter made "abc", "1.5", "" or an overflow a bare 400 naming nothing.
    private static IResult Recent(DecisionFeed feed, string? decision, string? reason, string? account, string? ip, string? limit)
    {
        if (!FeedFilter.TryParse(decision, reason, account, ip, out FeedFilter? filter, out string? field, out string? error))
            return Invalid(field, error);
        if (!TryLimit(limit, DefaultRecent, MaxRecent, out int count)) return Invalid("limit", $"Must be a whole number from 1 to {MaxRecent:N0}.");
        FeedItemDto[] items = feed.Recent(filter, count).Select(DashboardMapping.Item).ToArray();
        return TypedResults.Json(new RecentResponse(items), s_json.RecentResponse);
    }

    private static async Task StreamAsync(HttpContext http, DecisionFeed feed, IHostApplicationLifetime lifetime, string? decision, string? reason,
        string? account, string? ip)
    {
        if (!FeedFilter.TryParse(decision, reason, account, ip, out FeedFilter? filter, out string? field, out string? error))
        {
            await Invalid(field, error).ExecuteAsync(http);
            return;
        }
        using DecisionFeed.FeedSubscription? subscription = feed.Subscribe(filter);
        if (subscription is null)
        {
            await TypedResults.Problem(title: "Too many live streams", detail: "Close another dashboard tab or raise Mamori:Dashboard:MaxSubscribers.",
                statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(http);
            return;
        }
        // The stream also ends when the server stops: otherwise an open dashboard tab held the stop for the host's whole
        // shutdown timeout, and the stop's own work (committing, the signals snapshot) ran out of time behind it.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        CancellationToken ct = ending.Token;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache, no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";   // nginx would otherwise hold events in its buffer
        // Written by hand rather than with TypedResults.ServerSentEvents so that the headers and a first comment go
        // out at once: a client knows the stream is open even while no decision arrives.
        await http.Response.WriteAsync(": mamori decision stream\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        long sequence = 0;
        try
        {
            while (await subscription.Reader.WaitToReadAsync(ct))
            {
                var batch = new StringBuilder();
                while (batch.Length < 64 * 1024 && subscription.Reader.TryRead(out FeedItem? item))
                {
                    string json = JsonSerializer.Serialize(DashboardMapping.Item(item), s_json.FeedItemDto);
                    batch.Append("id: ").Append((++sequence).ToString(CultureInfo.InvariantCulture))
                        .Append("\nevent: decision\ndata: ").Append(json).Append("\n\n");
                }
                await http.Response.WriteAsync(batch.ToString(), ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The browser went away, or the server is stopping: the normal end of a stream (the browser reconnects).
        }
    }

    private static IResult Overview(DecisionFeed feed, LoginAssessor assessor, TimeProvider time)
    {
        DateTimeOffset now = time.GetUtcNow();
        MinuteCounts[] minutes = feed.Minutes(now);
        CampaignDto[] campaigns = assessor.Campaigns.OpenCampaigns().OrderByDescending(c => c.LastSeen).Select(DashboardMapping.Campaign).ToArray();
        var response = new OverviewResponse(now, minutes.Select(DashboardMapping.Minute).ToArray(),
            Rate(minutes, m => m.Failures), Rate(minutes, m => m.UnknownAccounts), campaigns, feed.Published);
        return TypedResults.Json(response, s_json.OverviewResponse);
    }

    /// <summary>The rate over the last <see cref="DecisionFeed.CurrentRateMinutes"/> minutes against the rest of the hour.</summary>
    internal static RateDto Rate(MinuteCounts[] minutes, Func<MinuteCounts, int> numerator)
    {
        int split = minutes.Length - DecisionFeed.CurrentRateMinutes;
        int baseOut = 0, baseNum = 0, curOut = 0, curNum = 0;
        for (int i = 0; i < minutes.Length; i++)
        {
            if (i < split) { baseOut += minutes[i].Outcomes; baseNum += numerator(minutes[i]); }
            else { curOut += minutes[i].Outcomes; curNum += numerator(minutes[i]); }
        }
        return new RateDto(curOut == 0 ? null : Math.Round((double)curNum / curOut, 4),
            baseOut == 0 ? null : Math.Round((double)baseNum / baseOut, 4), curOut, baseOut);
    }

    private static IResult CampaignDetail(string id, DecisionFeed feed, LoginAssessor assessor)
    {
        if (!TryFind(id, assessor, out CampaignView? view, out IResult? problem)) return problem;
        IReadOnlyList<FeedEntry> items = feed.EntriesForCampaign(id);
        // One bar segment per login, not per item: its first item's minute, its strictest verdict (as the overview).
        MinuteDto[] timeline = Logins(items)
            .GroupBy(l => l.Time.UtcTicks / TimeSpan.TicksPerMinute).OrderBy(g => g.Key)
            .Select(g => new MinuteDto(new DateTimeOffset(g.Key * TimeSpan.TicksPerMinute, TimeSpan.Zero),
                g.Count(l => l.Verdict == Policy.Verdict.Allow),
                g.Count(l => l.Verdict is Policy.Verdict.Challenge or Policy.Verdict.StepUp),
                g.Count(l => l.Verdict == Policy.Verdict.Deny)))
            .ToArray();
        SuccessDto[] successes = view.Successes.Select(s => new SuccessDto(s.Account, s.At, s.Ip, s.Decision)).ToArray();
        var response = new CampaignDetailResponse(DashboardMapping.Campaign(view), timeline, Targets(items), successes, items.Count);
        return TypedResults.Json(response, s_json.CampaignDetailResponse);
    }

    private static IResult ExportCsv(string id, DecisionFeed feed, LoginAssessor assessor)
    {
        if (!TryFind(id, assessor, out CampaignView? view, out IResult? problem)) return problem;
        string csv = CsvExport.Write(view, Targets(feed.EntriesForCampaign(id)));
        return TypedResults.File(CsvExport.ToBytes(csv), "text/csv; charset=utf-8", SafeFileName(view.Id) + ".csv");
    }

    private static IResult ExportStix(string id, LoginAssessor assessor)
    {
        if (!TryFind(id, assessor, out CampaignView? view, out IResult? problem)) return problem;
        return TypedResults.File(StixExport.Bundle(view), "application/stix+json;version=2.1", SafeFileName(view.Id) + ".stix.json");
    }

    /// <summary>Accounts by logins tried (a login's pre-auth and outcome items are one attempt), most first.</summary>
    /// <remarks>Per tenant: one id in two tenants is two people, and the SPA links each to its own tenant's account.</remarks>
    private static TargetDto[] Targets(IReadOnlyList<FeedEntry> items) =>
        items.GroupBy(e => e.Item.Tenant, StringComparer.Ordinal)
            .SelectMany(tenant => tenant.GroupBy(e => e.Item.Account, StringComparer.OrdinalIgnoreCase)
                .Select(g => new TargetDto(g.Key, tenant.Key, g.Select(e => e.Login).Distinct().Count(), g.Max(e => e.Item.Time))))
            .OrderByDescending(t => t.Attempts).ThenBy(t => t.Account, StringComparer.Ordinal)
            .Take(MaxTargetsListed).ToArray();

    /// <summary>The logins among <paramref name="items"/> (oldest first): each at its first item's time, with its strictest verdict.</summary>
    private static IEnumerable<(DateTimeOffset Time, Policy.Verdict Verdict)> Logins(IReadOnlyList<FeedEntry> items) =>
        items.GroupBy(e => e.Login).Select(g => (g.First().Item.Time, g.Select(e => e.Item.Decision).Aggregate(DecisionFeed.Stricter)));

    private static bool TryFind(string id, LoginAssessor assessor,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CampaignView? view,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out IResult? problem)
    {
        view = null; problem = null;
        if (id.Length > MaxCampaignIdLength) { problem = Invalid("id", $"Longer than {MaxCampaignIdLength} characters."); return false; }
        if (!assessor.Campaigns.TryGet(id, out CampaignView found))
        {
            problem = TypedResults.Problem(title: "Campaign not found", detail: "No open or recently closed campaign has this id.", statusCode: StatusCodes.Status404NotFound);
            return false;
        }
        view = found;
        return true;
    }

    /// <summary>A <c>limit</c> query value: absent is <paramref name="fallback"/>; otherwise digits only, 1 to <paramref name="max"/>
    /// (refused, not clamped, as the server's own <c>limit</c>). A repeated <c>limit</c> arrives joined with a comma and is refused.</summary>
    internal static bool TryLimit(string? text, int fallback, int max, out int value)
    {
        value = fallback;
        if (text is null) return true;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;
    }

    // Campaign ids are engine-made (cmp-YYYYMMDDTHHMM-NNNN); anything else is replaced before it reaches a header.
    private static string SafeFileName(string id) => string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_'));

    private static IResult Invalid(string field, string error) => TypedResults.Problem(
        title: "Invalid request", detail: $"{field}: {error}", statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?> { ["field"] = field, ["errors"] = new Dictionary<string, string[]> { [field] = [error] } });
}
