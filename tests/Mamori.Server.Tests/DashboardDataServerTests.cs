using System.Text.Json;

namespace Mamori.Server.Tests;

/// <summary>The dashboard's data on the real server: what the login API publishes, and how its answers may be cached.</summary>
public sealed class DashboardDataServerTests : IDisposable
{
    private readonly MamoriFactory _factory = new();
    private readonly HttpClient _admin;

    public DashboardDataServerTests() => _admin = _factory.Admin();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task LoginThroughAssessAndOutcome_IsChartedOnce()
    {
        for (int i = 0; i < 3; i++)
        {
            JsonElement assessed = await _admin.PostJsonAsync("/v1/login/assess",
                $$"""{"account":"user{{i}}","ip":"198.51.100.20","device":"dev-{{i}}","asn":4713,"country":"JP","user_agent":"Mozilla/5.0"}""");
            await _admin.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{assessed.GetProperty("request_id").GetString()}}","outcome":"wrong_secret"}""");
        }

        using JsonDocument overview = JsonDocument.Parse(await _admin.GetStringAsync("/v1/dashboard/overview"));
        int charted = overview.RootElement.GetProperty("per_minute").EnumerateArray()
            .Sum(m => m.GetProperty("allow").GetInt32() + m.GetProperty("challenge").GetInt32() + m.GetProperty("deny").GetInt32());
        Assert.Equal(3, charted);                                                            // three logins, not six halves
        Assert.Equal(6, overview.RootElement.GetProperty("published").GetInt64());          // both halves are still in the feed
        Assert.Equal(3, overview.RootElement.GetProperty("failure_rate").GetProperty("current_outcomes").GetInt32());
    }

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
