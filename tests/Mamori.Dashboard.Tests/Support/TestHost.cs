using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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

    private TestHost(WebApplication app, DashboardWorld world)
    {
        App = app; World = world;
    }

    public WebApplication App { get; }
    public DashboardWorld World { get; }

    public HttpClient CreateClient(bool withKey = true)
    {
        HttpClient client = App.GetTestClient();
        if (withKey) client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>Opens the live decision stream at <paramref name="path"/> and reads its opening comment; disposing the
    /// returned reader closes the stream.</summary>
    public static async Task<StreamReader> OpenStreamAsync(HttpClient client, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/event-stream"));
        HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        Assert.Equal(": mamori decision stream", await reader.ReadLineAsync(ct));
        return reader;
    }

    /// <summary>Starts on TestServer. The browser test runs against the real server instead (Mamori.Server.Tests).</summary>
    public static async Task<TestHost> StartAsync(TimeProvider time)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        var world = new DashboardWorld(time);
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
        await app.StartAsync();
        return new TestHost(app, world);
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
