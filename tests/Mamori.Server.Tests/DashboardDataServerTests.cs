using System.Text.Json;

namespace Mamori.Server.Tests;

/// <summary>The dashboard's data on the real server: what the login API publishes, and how its answers may be cached.</summary>
public sealed class DashboardDataServerTests : IDisposable
{
    private readonly MamoriFactory _factory = new();
    private readonly HttpClient _admin;

    public DashboardDataServerTests() => _admin = _factory.Admin();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("/v1/accounts/hanako")]
    [InlineData("/v1/campaigns")]
    [InlineData("/v1/campaigns/cmp-19990101T0000-0001")]
    [InlineData("/v1/decisions/recent")]
    [InlineData("/v1/dashboard/overview")]
    public async Task PersonalDataAnswers_AreNotStoredByCaches(string url)
    {
        using HttpResponseMessage response = await _admin.GetAsync(url);
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{url} ({(int)response.StatusCode}) has Cache-Control: {response.Headers.CacheControl}");
    }
}
