using Mamori.Breach.Http;

namespace Mamori.Breach.Tests;

public sealed class PublicApiTests
{
    [Fact]
    public void PublicSurface_IsOnlyWhatEmbeddingAndTheServerNeed()
    {
        // Widening this list is a reviewed decision: everything else stays internal (STYLE.md §3).
        string[] expected =
        [
            "Mamori.Breach.BreachCheckResult",
            "Mamori.Breach.BreachCorpusStatus",
            "Mamori.Breach.BreachIndex",
            "Mamori.Breach.BreachIndexOptions",
            "Mamori.Breach.BreachIndexState",
            "Mamori.Breach.BreachIndexStateNames",
            "Mamori.Breach.BreachIndexStatus",
            "Mamori.Breach.BreachServiceCollectionExtensions",
            "Mamori.Breach.Http.RangeEndpoints",
            "Mamori.Breach.PwnedHashMode",
        ];

        string[] actual = typeof(RangeEndpoints).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void DefaultOptions_AreDocumentedValues()
    {
        var options = new BreachIndexOptions();

        Assert.Equal("./mamori-data", options.DataFolder);
        Assert.False(options.RequireApiKey);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReloadInterval);
    }

    [Fact]
    public async Task ReloadIntervalOutOfRange_FailsWhenTheHostStarts()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.UseTestServer(builder.WebHost);
        builder.Services.AddBreachIndex("./unused", o => o.ReloadInterval = TimeSpan.FromHours(2));
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("ReloadInterval", error.Message);
    }
}
