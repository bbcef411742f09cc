using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Server.Tests.Geo;

/// <summary>
/// <c>Mamori:Server:GeoIpDatabases</c>: a caller that sends only addresses still gets the new-country rule, and a
/// missing file stops the start, named.
/// </summary>
public sealed class GeoIpServerTests
{
    /// <summary>Four days of logins from a Japanese carrier's address, then one from a US address; the outcome's answer.</summary>
    private static async Task<JsonElement> AbroadAfterAHistoryAtHomeAsync(string? geoFile)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        using var factory = new MamoriFactory { Time = time };
        if (geoFile is not null) factory.Settings[ServerSettings.Section + ":GeoIpDatabases:0"] = geoFile;
        HttpClient client = factory.Admin();
        async Task<JsonElement> LoginAsync(string ip)
        {
            JsonElement assessed = await client.PostJsonAsync("/v1/login/assess", $$"""{"account":"alice","ip":"{{ip}}","user_agent":"Mozilla/5.0 (Windows NT 10.0)"}""");
            return await client.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{assessed.GetProperty("request_id").GetString()}}","outcome":"success"}""");
        }
        for (int day = 0; day < 4; day++)
        {
            Assert.Equal("allow", (await LoginAsync("1.66.0." + (day + 1))).GetProperty("decision").GetString());
            time.Advance(TimeSpan.FromDays(1));
        }
        return await LoginAsync("8.8.8.8");
    }

    [SkippableFact]
    public async Task AddressesOnly_WithACountryFile_AFirstLoginFromAnotherCountryStepsUp()
    {
        string file = GeoIpFiles.Country();

        JsonElement withFile = await AbroadAfterAHistoryAtHomeAsync(file);
        JsonElement without = await AbroadAfterAHistoryAtHomeAsync(null);

        Assert.Equal("step_up", withFile.GetProperty("decision").GetString());
        Assert.Contains(withFile.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("message").GetString()!.Contains("country", StringComparison.Ordinal));
        Assert.Equal("allow", without.GetProperty("decision").GetString());   // nothing said the address was abroad
    }

    [Fact]
    public void AMissingFile_StopsTheStart_Named()
    {
        using var factory = new MamoriFactory();
        factory.Settings[ServerSettings.Section + ":GeoIpDatabases:0"] = "/nonexistent/GeoLite2-ASN.mmdb";

        var error = Assert.Throws<OptionsValidationException>(() => factory.Admin());
        Assert.Contains("GeoIpDatabases", error.Message);
    }
}
