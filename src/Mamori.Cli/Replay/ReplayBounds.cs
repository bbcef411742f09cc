using Microsoft.Extensions.Configuration;

namespace Mamori.Cli.Replay;

/// <summary>
/// The store's bounds for a replay, where the settings leave them unsaid: five times the server's. A server's bounds keep
/// a long-running service's memory safe from traffic it cannot foresee; a replay reads one finite log, often months of
/// it, and a bound it reaches only makes it forget history (an account's habits) it then judges logins without. The
/// public RBA dataset alone has 3.3M accounts, past the server's 2M. Memory is taken only as a table fills, so a log
/// that needs less costs no more; at the bounds, about 3.8 GB of accounts, 0.9 GB of sources and 0.6 GB of secrets.
/// </summary>
/// <remarks>A bound the configuration sets (<c>--config</c> or <c>Mamori__Signals__…</c>) is kept, so a replay can still
/// decide as a given server would. Below every bound the decisions are the same whichever bound applies: the bounds
/// only decide when to evict.</remarks>
internal static class ReplayBounds
{
    public const int Accounts = 10_000_000, Sources = 10_000_000, Secrets = 5_000_000;

    /// <summary>Raises each bound <paramref name="section"/> (the configuration's <c>Mamori:Signals</c>) does not set.</summary>
    public static void Apply(SignalStoreOptions bounds, IConfigurationSection section)
    {
        if (section[nameof(SignalStoreOptions.MaxAccounts)] is null) bounds.MaxAccounts = Accounts;
        if (section[nameof(SignalStoreOptions.MaxSources)] is null) bounds.MaxSources = Sources;
        if (section[nameof(SignalStoreOptions.MaxSecrets)] is null) bounds.MaxSecrets = Secrets;
    }
}
