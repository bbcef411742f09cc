using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mamori.Dashboard;

/// <summary>Registers the dashboard's services.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="DecisionFeed"/> singleton (options from <c>Mamori:Dashboard</c> when a configuration is
    /// registered, else defaults). The server then calls <see cref="DecisionFeed.Publish"/> after each decision.
    /// </summary>
    public static IServiceCollection AddMamoriDashboard(this IServiceCollection services, Action<DecisionFeedOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = new DecisionFeedOptions();
            sp.GetService<IConfiguration>()?.GetSection(DecisionFeedOptions.Section).Bind(options);
            configure?.Invoke(options);
            return new DecisionFeed(options);
        });
        return services;
    }
}
