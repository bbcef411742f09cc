using Mamori.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Dashboard.Tests;

public sealed class DashboardRegistrationTests
{
    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        var options = new MamoriOptions();
        builder.Services.AddSingleton(new LoginAssessor(options, new InMemorySignalStore(options)));
        builder.Services.AddMamoriDashboard();
        return builder.Build();
    }

    [Fact]
    public async Task Configuration_SetsFeedOptions()
    {
        await using WebApplication app = Build(new() { ["Mamori:Dashboard:MaxSubscribers"] = "1" });
        app.MapMamoriDashboard();
        DecisionFeed feed = app.Services.GetRequiredService<DecisionFeed>();
        using var first = feed.Subscribe(FeedFilter.None);
        Assert.NotNull(first);
        Assert.Null(feed.Subscribe(FeedFilter.None));
    }

    [Fact]
    public async Task BadConfiguration_FailsWhenTheDashboardIsMapped()
    {
        await using WebApplication app = Build(new() { ["Mamori:Dashboard:Capacity"] = "3", ["Mamori:Dashboard:SubscriberBuffer"] = "0" });
        var ex = Assert.Throws<ArgumentException>(() => app.MapMamoriDashboard());
        Assert.Contains("Capacity", ex.Message);
        Assert.Contains("SubscriberBuffer", ex.Message);
    }
}
