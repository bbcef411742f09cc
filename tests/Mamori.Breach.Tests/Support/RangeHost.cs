using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Mamori.Breach.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mamori.Breach.Tests.Support;

/// <summary>A minimal host that serves only the range endpoint, on TestServer or on a real loopback port.</summary>
internal static class RangeHost
{
    public const string ApiKeyHeader = "X-Test-Api-Key";
    public const string ApiKey = "test-key";

    public static async Task<WebApplication> StartAsync(
        string dataFolder, TimeProvider? time = null, bool requireApiKey = false, bool loopbackPort = false)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        if (loopbackPort) builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        else builder.WebHost.UseTestServer();
        if (time is not null) builder.Services.AddSingleton(time);
        builder.Services.AddBreachIndex(dataFolder, o => o.RequireApiKey = requireApiKey);
        // Stands in for the server's API-key scheme, which Mamori.Server provides.
        builder.Services.AddAuthentication("TestKey").AddScheme<AuthenticationSchemeOptions, TestKeyHandler>("TestKey", null);
        builder.Services.AddAuthorization();

        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPwnedPasswordsRange();
        await app.StartAsync();
        return app;
    }

    /// <summary>The base URL a real client should use (Kestrel hosts only).</summary>
    public static string BaseUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private sealed class TestKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers[ApiKeyHeader] != ApiKey) return Task.FromResult(AuthenticateResult.NoResult());
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "tester")], Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}
