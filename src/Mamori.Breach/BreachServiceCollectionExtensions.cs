using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mamori.Breach;

/// <summary>Registers the breached-password index.</summary>
public static class BreachServiceCollectionExtensions
{
    /// <summary>Adds <see cref="BreachIndex"/> over <paramref name="dataFolder"/> (its <c>breach/</c> sub-folder) and
    /// validates <see cref="BreachIndexOptions"/> when the host starts.</summary>
    /// <remarks>Starts fine with no index imported: the status is "not loaded" until one is.</remarks>
    public static IServiceCollection AddBreachIndex(this IServiceCollection services, string dataFolder, Action<BreachIndexOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        services.AddOptions<BreachIndexOptions>()
            .Configure(o =>
            {
                o.DataFolder = dataFolder;
                configure?.Invoke(o);
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new BreachIndex(
            sp.GetRequiredService<IOptions<BreachIndexOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<BreachIndex>>()));
        return services;
    }
}
