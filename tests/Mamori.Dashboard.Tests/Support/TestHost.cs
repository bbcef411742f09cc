using System.Security.Claims;
using System.Text.Encodings.Web;
using Mamori.Events;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mamori.Dashboard.Tests.Support;

/// <summary>
/// Hosts the dashboard the way the server does: inside a group that requires an admin key (a stand-in for the
/// server's ApiKey scheme, reading the same X-Api-Key header), with a real engine and feed.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    private TestHost(WebApplication app, DashboardWorld world, AccountStandIn accounts)
    {
        App = app; World = world; Accounts = accounts;
    }

    public WebApplication App { get; }
    public DashboardWorld World { get; }
    public AccountStandIn Accounts { get; }

    /// <summary>The base address (Kestrel) or the TestServer's.</summary>
    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First() ?? "http://localhost");

    public HttpClient CreateClient(bool withKey = true)
    {
        HttpClient client = App.Services.GetRequiredService<IServer>() is TestServer test ? test.CreateClient() : new HttpClient { BaseAddress = BaseAddress };
        if (withKey) client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>Starts on TestServer, or on Kestrel at 127.0.0.1 and a free port when <paramref name="kestrel"/>.</summary>
    public static async Task<TestHost> StartAsync(TimeProvider time, bool kestrel = false)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (kestrel) builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        else builder.WebHost.UseTestServer();
        var world = new DashboardWorld(time);
        var accounts = new AccountStandIn(world);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(world.Engine);
        builder.Services.AddSingleton(world.Feed);
        builder.Services.AddMamoriDashboard();
        builder.Services.AddRoutingCore();
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication("TestKey").AddScheme<AuthenticationSchemeOptions, KeyHandler>("TestKey", null);
        builder.Services.AddAuthorization();
        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        RouteGroupBuilder admin = app.MapGroup("").RequireAuthorization();
        admin.MapMamoriDashboard();
        accounts.Map(admin);
        await app.StartAsync();
        return new TestHost(app, world, accounts);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private sealed class KeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers["X-Api-Key"] != AdminKey) return Task.FromResult(AuthenticateResult.NoResult());
            var identity = new ClaimsIdentity([new Claim("mamori:key_id", "key_test")], "TestKey");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "TestKey")));
        }
    }
}

/// <summary>
/// A stand-in for the server's account endpoints (issue 3, docs/api.md: GET /v1/accounts/{id},
/// PUT/DELETE /v1/accounts/{id}/devices/{device}/trust) with the same JSON shape, so the browser test can drive the
/// account page without the server's SQLite storage. Trust changes go to the real engine.
/// </summary>
internal sealed class AccountStandIn(DashboardWorld world)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Account, string Device), bool> _devices = [];
    public List<string> Audit { get; } = [];

    public void AddDevice(string account, string device) { lock (_gate) _devices[(account, device)] = false; }

    public bool IsTrusted(string account, string device) { lock (_gate) return _devices.TryGetValue((account, device), out bool t) && t; }

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/accounts/{id}", (string id) =>
        {
            DateTimeOffset now = world.Time.GetUtcNow();
            object[] devices;
            lock (_gate)
                devices = _devices.Where(d => d.Key.Account == id)
                    .Select(d => (object)new { device = d.Key.Device, first_seen = now, last_seen = now, trusted = d.Value, trusted_at = d.Value ? now : (DateTimeOffset?)null }).ToArray();
            object[] events = world.Feed.Recent(new FeedFilter(null, null, id, null), 50)
                .Select(i => (object)new { time = i.Time, request_id = "req_test", kind = "event", ip = i.Ip, device = (string?)null,
                    outcome = i.Outcome is LoginOutcome o ? o.ToWireName() : null, decision = Policy.VerdictNames.ToWireName(i.Decision),
                    score = i.Score, reasons = i.Reasons.Select(r => new { code = Policy.ReasonCodeNames.ToWireName(r.Code), message = r.Message }) }).ToArray();
            return Results.Json(new { account = id, tenant = (string?)null, devices, recent_events = events });
        });
        app.MapPut("/v1/accounts/{id}/devices/{device}/trust", (HttpContext h, string id, string device) => SetAsync(h, id, device, true));
        app.MapDelete("/v1/accounts/{id}/devices/{device}/trust", (HttpContext h, string id, string device) => SetAsync(h, id, device, false));
    }

    private async Task<IResult> SetAsync(HttpContext http, string id, string device, bool trusted)
    {
        await world.Engine.SetDeviceTrustAsync(id, null, device, trusted, world.Time.GetUtcNow());
        lock (_gate)
        {
            _devices[(id, device)] = trusted;
            Audit.Add($"{http.User.FindFirst("mamori:key_id")?.Value} {(trusted ? "trust" : "distrust")} {id} {device}");
        }
        return Results.Json(new { account = id, tenant = (string?)null, device, trusted });
    }
}
