using System.Security.Claims;
using System.Text.Json;
using Mamori.Campaigns;
using Mamori.Events;
using Mamori.Flows.Factors;
using Mamori.Flows.MoneyMovement;
using Mamori.Server.Auth;
using Mamori.Server.Recording;
using Mamori.Storage;
using Microsoft.Extensions.Options;

namespace Mamori.Server.Api;

/// <summary>Campaigns, accounts and device trust (scope <c>admin</c>); health and metrics.</summary>
internal static class AdminEndpoints
{
    /// <summary>Campaigns listed at most per call.</summary>
    public const int MaxCampaignsListed = 1_000;

    /// <summary>Recent events shown per account at most.</summary>
    public const int MaxAccountEvents = 500;

    /// <summary>Longest link or destination id accepted (the flows mint 28 characters: <c>lnk_</c> + 24 hex).</summary>
    public const int MaxLinkIdLength = 64;

    private static readonly MamoriJsonContext s_json = MamoriJsonContext.Default;

    public static void Map(IEndpointRouteBuilder app, ServerSettings settings)
    {
        RouteGroupBuilder admin = app.MapGroup("/v1").RequireAuthorization(ApiKeyDefaults.AdminPolicy).WithTags("admin");
        // Campaigns and accounts hold account names, addresses and devices read with an admin key: no cache may keep them.
        admin.MapGet("/campaigns", ListCampaignsAsync).WithName("ListCampaigns").Produces<CampaignListResponse>()
            .WithSummary("Open and recent campaigns, newest first.").AddEndpointFilter(NoStore);
        admin.MapGet("/campaigns/{id}", GetCampaignAsync).WithName("GetCampaign").Produces<CampaignDto>().ProducesProblem(404).ProducesProblem(503)
            .AddEndpointFilter(NoStore);
        admin.MapGet("/accounts/{id}", GetAccountAsync).WithName("GetAccount").Produces<AccountResponse>().ProducesProblem(400).ProducesProblem(503)
            .WithSummary("An account's devices with their trust, and its recent decisions.").AddEndpointFilter(NoStore);
        admin.MapPut("/accounts/{id}/devices/{device}/trust", (HttpContext h, string id, string device, string? tenant, LoginAssessor a, IMamoriStorage s, TimeProvider t) =>
            SetTrustAsync(h, id, device, tenant, true, a, s, t)).WithName("TrustDevice").Produces<DeviceTrustResponse>().ProducesProblem(400);
        admin.MapDelete("/accounts/{id}/devices/{device}/trust", (HttpContext h, string id, string device, string? tenant, LoginAssessor a, IMamoriStorage s, TimeProvider t) =>
            SetTrustAsync(h, id, device, tenant, false, a, s, t)).WithName("DistrustDevice").Produces<DeviceTrustResponse>().ProducesProblem(400);
        admin.MapPost("/accounts/{id}/step-up", (HttpContext h, string id, string? tenant, LoginAssessor a, IApiKeyStore s, TimeProvider t) =>
            SetStepUpRequestedAsync(h, id, tenant, true, a, s, t)).WithName("RequireStepUp").Produces<StepUpRequestResponse>().ProducesProblem(400)
            .WithSummary("Asks for a step-up at the account's next successful login; a passed step-up clears it.");
        admin.MapDelete("/accounts/{id}/step-up", (HttpContext h, string id, string? tenant, LoginAssessor a, IApiKeyStore s, TimeProvider t) =>
            SetStepUpRequestedAsync(h, id, tenant, false, a, s, t)).WithName("CancelStepUp").Produces<StepUpRequestResponse>().ProducesProblem(400)
            .WithSummary("Withdraws an operator's step-up request.");
        admin.MapPost("/accounts/{id}/links/{link}/freeze", (HttpContext h, string id, string link, IServiceProvider sp, IApiKeyStore s, TimeProvider t) =>
            SetLinkFrozenAsync(h, id, link, true, sp, s, t)).WithName("FreezeLink").Produces<LinkFreezeResponse>()
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(503)
            .WithSummary("Freezes a funding link or withdrawal destination of the account; idempotent.");
        admin.MapDelete("/accounts/{id}/links/{link}/freeze", (HttpContext h, string id, string link, IServiceProvider sp, IApiKeyStore s, TimeProvider t) =>
            SetLinkFrozenAsync(h, id, link, false, sp, s, t)).WithName("UnfreezeLink").Produces<LinkFreezeResponse>()
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(503)
            .WithSummary("Makes a frozen funding link or withdrawal destination usable again (a freeze the investigation cleared); idempotent.");
        admin.MapDelete("/accounts/{id}/factors/failures", (HttpContext h, string id, IServiceProvider sp, IApiKeyStore s, TimeProvider t) =>
            ClearVerificationFailuresAsync(h, id, sp, s, t)).WithName("ClearVerificationFailures").Produces<VerificationFailuresResponse>()
            .ProducesProblem(400).ProducesProblem(503)
            .WithSummary("Forgets the account's failed step-up verifications, lifting the block wrong codes set (after confirming the holder another way); idempotent.");

        // HEAD too: load balancers' health checks often send it (HAProxy's httpchk, some cloud probes), and a 405 marks
        // a healthy node down. The server sends no body to a HEAD.
        app.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], Health).AllowAnonymous().WithName("Health").WithTags("operations").Produces<HealthResponse>();
        RouteHandlerBuilder metrics = app.MapGet("/metrics", Metrics).WithName("Metrics").WithTags("operations");
        if (settings.AnonymousMetrics) metrics.AllowAnonymous();
        else metrics.RequireAuthorization(ApiKeyDefaults.AdminPolicy);
    }

    /// <summary>Marks an answer <c>Cache-Control: no-store</c> (problems too): a shared proxy or a browser's disk cache
    /// must not keep personal data read with an admin key.</summary>
    private static ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        return next(context);
    }

    private static async Task<IResult> ListCampaignsAsync(HttpContext http, CampaignTracker tracker, ICampaignArchive archive, TimeProvider time, string? limit)
    {
        if (!RequestValidation.Limit(limit, 100, MaxCampaignsListed, out int take, out IResult? problem)) return problem!;
        var byId = new Dictionary<string, CampaignDto>(StringComparer.Ordinal);
        bool? archiveUnavailable = null;
        try
        {
            foreach (CampaignRecord record in await archive.ListAsync(take, http.RequestAborted))
            {
                CampaignDto? dto = JsonSerializer.Deserialize(record.Json, s_json.CampaignDto);
                if (dto is not null) byId[dto.Id] = dto with { Open = false };
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The archive is history; the tracker still knows the live campaigns. Say the list is only those, so an
            // empty list during an outage does not read as "no campaign ever".
            archiveUnavailable = true;
        }
        // Archived open campaigns are superseded by the tracker's live view; anything archived as open that the
        // tracker no longer holds was open when a previous process stopped, so it is shown as closed.
        foreach (CampaignView view in tracker.ClosedCampaigns()) byId[view.Id] = ApiMapping.Campaign(view);
        // With a shared store: every node's open campaigns, with the attempts and accounts of all nodes.
        foreach (CampaignView view in await SharedCampaignViews.OpenAsync(tracker, time.GetUtcNow(), take, http.RequestAborted))
            byId[view.Id] = ApiMapping.Campaign(view);
        CampaignDto[] list = byId.Values.OrderByDescending(c => c.FirstSeen).ThenByDescending(c => c.Id, StringComparer.Ordinal).Take(take).ToArray();
        return TypedResults.Json(new CampaignListResponse(list, archiveUnavailable), s_json.CampaignListResponse);
    }

    private static async Task<IResult> GetCampaignAsync(string id, CampaignTracker tracker, ICampaignArchive archive, TimeProvider time,
        IOptions<MamoriOptions> options, CancellationToken ct)
    {
        if (id.Length > 64) return Problems.Invalid("id", "Longer than 64 characters.");
        if (tracker.TryGet(id, out CampaignView view))
        {
            if (view.Open) view = await SharedCampaignViews.WithSharedCountsAsync(tracker.Directory, view, ct);
            return TypedResults.Json(ApiMapping.Campaign(view), s_json.CampaignDto);
        }
        // Open on another node only (shared store).
        if (await SharedCampaignViews.TryGetSharedAsync(tracker.Directory, id, time.GetUtcNow(), options.Value.Campaigns.QuietPeriod, ct) is { Open: true } shared)
            return TypedResults.Json(ApiMapping.Campaign(shared), s_json.CampaignDto);
        CampaignRecord? record;
        try
        {
            record = await archive.GetAsync(id, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StorageUnavailable();   // not a 500, and not a 404: the campaign may well be in the archive
        }
        if (record is null) return Problems.NotFound("The campaign");
        CampaignDto dto = JsonSerializer.Deserialize(record.Json, s_json.CampaignDto)! with { Open = false };
        return TypedResults.Json(dto, s_json.CampaignDto);
    }

    /// <summary>A route value as the caller meant it: the server decodes every escape in a path but <c>%2F</c> (so that
    /// it cannot split a segment), and an account id such as <c>tenant/user</c> arrives still escaped. A literal "%2F"
    /// in an id cannot be told from it and reads as a slash.</summary>
    internal static string RouteText(string value) =>
        value.Contains('%', StringComparison.Ordinal) ? value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : value;

    private static async Task<IResult> GetAccountAsync(string id, string? tenant, string? limit, IMamoriStorage storage, IServiceProvider services,
        TimeProvider time, CancellationToken ct)
    {
        id = RouteText(id);
        if (!RequestValidation.Text(id, "id", LoginAttemptLimits.MaxAccountLength, required: true, out IResult? problem)) return problem!;
        if (!RequestValidation.Text(tenant, "tenant", LoginAttemptLimits.MaxTenantLength, required: false, out problem)) return problem!;
        if (!RequestValidation.Limit(limit, 50, MaxAccountEvents, out int take, out problem)) return problem!;
        try
        {
            IReadOnlyList<DeviceRecord> devices = await storage.DevicesAsync(id, tenant, ct);
            IReadOnlyList<DecisionRecord> events = await storage.RecentForAccountAsync(id, tenant, take, ct);
            AccountFlags flags = await storage.AccountFlagsAsync(id, tenant, ct);
            IReadOnlyList<LinkDto>? linked = await LinksAsync(services, id, ct);
            DateTimeOffset? blockedUntil = await StepUpBlockAsync(services, id, time.GetUtcNow(), ct);
            return TypedResults.Json(new AccountResponse(id, tenant,
                devices.Select(d => new DeviceDto(d.Device, d.FirstSeen, d.LastSeen, d.Trusted, d.TrustedAt)).ToArray(),
                events.Select(e => new AccountEventDto(e.Time, e.RequestId, e.Kind, e.Ip, e.Device, e.Outcome, e.Decision, e.Score,
                    JsonSerializer.Deserialize(e.ReasonsJson, s_json.ListReasonDto) ?? [])).ToArray())
            {
                PasswordChangeRequired = flags.PasswordChangeRequired,
                PasswordChangeRequiredSince = flags.PasswordChangeRequiredSince,
                Links = linked,
                StepUpsBlockedUntil = blockedUntil,
            }, s_json.AccountResponse);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StorageUnavailable();
        }
    }

    private static async Task<IResult> SetTrustAsync(HttpContext http, string id, string device, string? tenant, bool trusted,
        LoginAssessor assessor, IMamoriStorage storage, TimeProvider time)
    {
        id = RouteText(id);
        if (!RequestValidation.Text(id, "id", LoginAttemptLimits.MaxAccountLength, required: true, out IResult? problem)) return problem!;
        device = RouteText(device);
        if (!RequestValidation.Text(device, "device", LoginAttemptLimits.MaxDeviceLength, required: true, out problem)) return problem!;
        if (DeviceTokens.LooksLikeToken(device)) return Problems.Invalid("device", "Give the device id, not a device token.");
        if (!RequestValidation.Text(tenant, "tenant", LoginAttemptLimits.MaxTenantLength, required: false, out problem)) return problem!;
        DateTimeOffset now = time.GetUtcNow();
        string keyId = KeyId(http);
        try
        {
            // Durable first: if storage refuses, nothing changes anywhere and the operator is told.
            await storage.SetDeviceTrustAsync(id, tenant, device, trusted, now, http.RequestAborted);
            await storage.AuditAsync(new AdminAction(now, keyId, trusted ? "device.trust" : "device.distrust",
                $"account={id} tenant={tenant ?? ""} device={device}"), http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StorageUnavailable();
        }
        await assessor.SetDeviceTrustAsync(id, tenant, device, trusted, now, http.RequestAborted);
        return TypedResults.Json(new DeviceTrustResponse(id, tenant, device, trusted), s_json.DeviceTrustResponse);
    }

    /// <summary>Until when wrong codes block the account's step-ups, or null (also when the flows cannot be read: the rest of
    /// the page still helps).</summary>
    private static async Task<DateTimeOffset?> StepUpBlockAsync(IServiceProvider services, string account, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            return await services.GetRequiredService<FactorAdministration>().GetVerificationBlockAsync(account, now, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The account's money links, or null when the flows store fails (the rest of the account page still helps).</summary>
    /// <remarks>Resolved here, not bound as a handler parameter: opening the flows store can throw (an unusable data
    /// folder), and that must become an answer, not a 500 before the handler runs.</remarks>
    private static async Task<IReadOnlyList<LinkDto>?> LinksAsync(IServiceProvider services, string account, CancellationToken ct)
    {
        try
        {
            return (await services.GetRequiredService<LinkAdministration>().ListAsync(account, ct)).Select(Link).ToArray();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private static LinkDto Link(AccountLink l) => new(l.Id, l.Kind.ToWireName(), l.Bank, l.MaskedAccount, l.State.ToWireName(), l.Created);

    private static async Task<IResult> SetStepUpRequestedAsync(HttpContext http, string id, string? tenant, bool requested,
        LoginAssessor assessor, IApiKeyStore keys, TimeProvider time)
    {
        id = RouteText(id);
        if (!RequestValidation.Text(id, "id", LoginAttemptLimits.MaxAccountLength, required: true, out IResult? problem)) return problem!;
        if (!RequestValidation.Text(tenant, "tenant", LoginAttemptLimits.MaxTenantLength, required: false, out problem)) return problem!;
        string keyId = KeyId(http);
        try
        {
            // Audited first: an action nobody can trace afterwards is not taken.
            await keys.AuditAsync(new AdminAction(time.GetUtcNow(), keyId, requested ? "account.step_up.require" : "account.step_up.cancel",
                $"account={id} tenant={tenant ?? ""}"), http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StorageUnavailable();
        }
        // The request lives in the signal store (snapshotted with it); the next successful login answers step_up with
        // reason step_up_requested, and a passed POST /v1/login/step-up clears it.
        await assessor.SetStepUpRequestedAsync(id, tenant, requested, http.RequestAborted);
        return TypedResults.Json(new StepUpRequestResponse(id, tenant, requested), s_json.StepUpRequestResponse);
    }

    private static async Task<IResult> SetLinkFrozenAsync(HttpContext http, string id, string link, bool freeze, IServiceProvider services,
        IApiKeyStore keys, TimeProvider time)
    {
        id = RouteText(id);
        if (!RequestValidation.Text(id, "id", LoginAttemptLimits.MaxAccountLength, required: true, out IResult? problem)) return problem!;
        if (!RequestValidation.Text(link, "link", MaxLinkIdLength, required: true, out problem)) return problem!;
        string keyId = KeyId(http);
        DateTimeOffset now = time.GetUtcNow();
        bool found, changed;
        AccountLink? view;
        try
        {
            // Resolved inside the try: opening the flows store can fail (see LinksAsync).
            var administration = services.GetRequiredService<LinkAdministration>();
            if (freeze)
            {
                (LinkFreezeResult result, view) = await administration.FreezeAsync(id, link, keyId, now, http.RequestAborted);
                (found, changed) = (result != LinkFreezeResult.NotFound, result == LinkFreezeResult.Frozen);
            }
            else
            {
                (LinkUnfreezeResult result, view) = await administration.UnfreezeAsync(id, link, keyId, now, http.RequestAborted);
                (found, changed) = (result != LinkUnfreezeResult.NotFound, result == LinkUnfreezeResult.Unfrozen);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StorageUnavailable();
        }
        // One answer for an unknown id and another account's link: the endpoint must not confirm which links exist.
        if (!found) return Problems.NotFound("The link");
        if (changed && await AuditFlowsChangeAsync(keys, new AdminAction(now, keyId, freeze ? "link.freeze" : "link.unfreeze",
                $"account={id} link={link} kind={view!.Kind.ToWireName()}"), freeze ? "The link is frozen" : "The link is unfrozen", http.RequestAborted) is { } missed)
            return missed;
        return TypedResults.Json(new LinkFreezeResponse(id, Link(view!), changed), s_json.LinkFreezeResponse);
    }

    private static async Task<IResult> ClearVerificationFailuresAsync(HttpContext http, string id, IServiceProvider services, IApiKeyStore keys,
        TimeProvider time)
    {
        id = RouteText(id);
        if (!RequestValidation.Text(id, "id", LoginAttemptLimits.MaxAccountLength, required: true, out IResult? problem)) return problem!;
        string keyId = KeyId(http);
        DateTimeOffset now = time.GetUtcNow();
        bool cleared;
        try
        {
            // Resolved inside the try: opening the flows store can fail (see LinksAsync).
            cleared = await services.GetRequiredService<FactorAdministration>().ClearVerificationFailuresAsync(id, keyId, now, http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StorageUnavailable();
        }
        if (cleared && await AuditFlowsChangeAsync(keys, new AdminAction(now, keyId, "factor.failures.clear", $"account={id}"),
                "The failures are cleared", http.RequestAborted) is { } missed)
            return missed;
        return TypedResults.Json(new VerificationFailuresResponse(id, cleared), s_json.VerificationFailuresResponse);
    }

    /// <summary>The acting API key's id, for the audit.</summary>
    private static string KeyId(HttpContext http) => http.User.FindFirstValue(ApiKeyDefaults.KeyIdClaim) ?? "unknown";

    /// <summary>Writes the admin audit entry of a change the flows already made and audited with the key: null when written;
    /// else a 503 saying that <paramref name="done"/> stands (it is not undone) and only this log missed it.</summary>
    private static async Task<IResult?> AuditFlowsChangeAsync(IApiKeyStore keys, AdminAction action, string done, CancellationToken ct)
    {
        try
        {
            await keys.AuditAsync(action, ct);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage is unavailable.",
                detail: $"{done} and the flows audit log names your key, but the admin audit log could not be written; see /healthz.");
        }
    }

    private static IResult Health(HealthState health, LoginAssessor assessor, Mamori.Breach.BreachIndex breach)
    {
        var reasons = health.Problems().ToList();
        if (!assessor.Store.IsAvailable) reasons.Add("signals: the signal store is unreachable");
        // No breach corpus is not a fault (the embedded default has none), but it is said: "not loaded", never "not breached".
        string corpus = Mamori.Breach.BreachIndexStateNames.ToWireName(breach.Status.State);
        return TypedResults.Json(new HealthResponse(reasons.Count == 0 ? "ok" : "degraded", reasons, corpus), s_json.HealthResponse);
    }

    private static IResult Metrics(ServerMetrics metrics, CampaignTracker tracker, PendingAssessments<PendingLogin> pending, HealthState health,
        BatchingDecisionWriter writer, LoginAssessor assessor)
    {
        var redis = assessor.Store as Mamori.State.Redis.RedisSignalStore;
        // The embedded store's tables: how full each is, and how often its bound made it forget history still in use.
        IReadOnlyList<Mamori.State.SignalTableUsage> tables = (assessor.Store as Mamori.State.InMemorySignalStore)?.Tables ?? [];
        IEnumerable<(string, string, double)> tableGauges = tables.SelectMany(t => new (string, string, double)[]
        {
            ($"mamori_signal_{t.Table}_held", $"Keys the embedded signal store holds in its {t.Table} table (bound: Mamori:Signals:{t.Setting}).", t.Count),
            ($"mamori_signal_{t.Table}_evicted_in_use", $"Times since start the {t.Table} table forgot history still in use to stay within Mamori:Signals:{t.Setting}; " +
                "if it grows, raise the bound.", t.LiveEvictions),
        });
        string text = metrics.Render(
        [
            .. tableGauges,
            ("mamori_campaigns_open", "Campaigns open now.", tracker.OpenCount),
            ("mamori_pending_assessments", "Pre-auth assessments awaiting their outcome.", pending.Count),
            ("mamori_redis_waiting_attempts", "Pre-auth attempts read from Redis that wait for their outcome to count them (0 without Redis).", redis?.WaitingAttempts ?? 0),
            ("mamori_redis_attempts_sent_alone", "Pre-auth attempts sent to Redis without an outcome since start (0 without Redis).", redis?.AttemptsSentAlone ?? 0),
            ("mamori_storage_commits", "Decision batches committed since start.", writer.Batches),
            ("mamori_storage_records", "Decisions committed since start.", writer.Records),
            ("mamori_healthy", "1 when /healthz says ok, 0 when degraded.", health.Problems().Count == 0 ? 1 : 0),
        ]);
        return TypedResults.Text(text, "text/plain; version=0.0.4; charset=utf-8");
    }

    private static IResult StorageUnavailable() =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage is unavailable.",
            detail: "The durable store failed; see /healthz. Nothing was changed.");
}
