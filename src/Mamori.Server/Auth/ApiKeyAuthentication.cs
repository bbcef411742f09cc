using System.Security.Claims;
using System.Text.Encodings.Web;
using Mamori.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Mamori.Server.Auth;

/// <summary>Scheme, claim and policy names of API-key authentication.</summary>
public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme.</summary>
    public const string Scheme = "ApiKey";
    /// <summary>Header carrying the key (alternative: <c>Authorization: Bearer</c>).</summary>
    public const string Header = "X-Api-Key";
    /// <summary>Claim holding the key's public id.</summary>
    public const string KeyIdClaim = "mamori:key_id";
    /// <summary>Claim holding the scope.</summary>
    public const string ScopeClaim = "mamori:scope";
    /// <summary>Policy of the login endpoints: assess or admin keys.</summary>
    public const string AssessPolicy = "assess";
    /// <summary>Policy of everything else: admin keys.</summary>
    public const string AdminPolicy = "admin";
}

/// <summary>Authenticates callers by API key from <c>X-Api-Key</c> or <c>Authorization: Bearer</c>.</summary>
/// <remarks>401 and 403 are written as problem documents here, since the framework's are empty.</remarks>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRegistry keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = Request.Headers[ApiKeyDefaults.Header];
        if (string.IsNullOrEmpty(presented))
        {
            string? authorization = Request.Headers.Authorization;
            if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                presented = authorization["Bearer ".Length..].Trim();
        }
        if (string.IsNullOrEmpty(presented)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!keys.TryAuthenticate(presented, out ApiKeyIdentity identity))
            return Task.FromResult(AuthenticateResult.Fail("The API key is unknown or revoked."));   // never echo the key
        // One principal per key, built once: nothing downstream mutates it, and a login is cheaper without it.
        ClaimsPrincipal principal = s_principals.GetOrAdd(identity, static id => new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ApiKeyDefaults.KeyIdClaim, id.KeyId), new Claim(ApiKeyDefaults.ScopeClaim, id.Scope.ToWireName())],
            ApiKeyDefaults.Scheme)));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, ApiKeyDefaults.Scheme)));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ApiKeyIdentity, ClaimsPrincipal> s_principals = new();

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "An API key is required.",
            detail: $"Send a valid key in the {ApiKeyDefaults.Header} header or as Authorization: Bearer <key>.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This API key may not do that.",
            detail: "The endpoint needs an admin key; this key is scoped to assess.").ExecuteAsync(Context);
}
