using Mamori.Campaigns;

namespace Mamori.Server.Recording;

/// <summary>
/// Campaign views with the counts of every node: this node's own view (sources, secrets, successes it saw) with the
/// attempts, accounts and first/last attempt of the shared directory, and campaigns open only on other nodes.
/// </summary>
/// <remarks>With the local directory these are the tracker's views unchanged. When the shared directory does not
/// answer, the node's own views are returned (the list is informative; /healthz already says degraded).</remarks>
internal static class SharedCampaignViews
{
    /// <summary>Open campaigns on any node, newest activity first.</summary>
    public static async Task<IReadOnlyList<CampaignView>> OpenAsync(CampaignTracker tracker, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<CampaignView> local = tracker.OpenCampaigns();
        if (!tracker.Directory.IsShared) return local;
        try
        {
            var byId = local.ToDictionary(v => v.Id, StringComparer.Ordinal);
            IReadOnlyList<SharedCampaign> open = await tracker.Directory.OpenAsync(now, max, cancellationToken).ConfigureAwait(false);
            var missing = byId.Keys.Except(open.Select(s => s.Id), StringComparer.Ordinal).ToArray();
            IReadOnlyList<SharedCampaign> more = missing.Length == 0 ? [] : await tracker.Directory.ReadAsync(missing, cancellationToken).ConfigureAwait(false);
            foreach (SharedCampaign shared in open.Concat(more))
                byId[shared.Id] = byId.TryGetValue(shared.Id, out CampaignView? view) ? Overlay(view, shared) : FromShared(shared);
            return byId.Values.ToArray();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return local;
        }
    }

    /// <summary><paramref name="view"/> with the shared counts, when the directory has them.</summary>
    public static async Task<CampaignView> WithSharedCountsAsync(ICampaignDirectory directory, CampaignView view, CancellationToken cancellationToken)
    {
        if (!directory.IsShared) return view;
        try
        {
            IReadOnlyList<SharedCampaign> shared = await directory.ReadAsync([view.Id], cancellationToken).ConfigureAwait(false);
            return shared.Count == 1 ? Overlay(view, shared[0]) : view;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return view;
        }
    }

    /// <summary>A campaign open on another node only, as far as the directory knows it.</summary>
    public static async Task<CampaignView?> TryGetSharedAsync(ICampaignDirectory directory, string id, DateTimeOffset now, TimeSpan quiet, CancellationToken cancellationToken)
    {
        if (!directory.IsShared) return null;
        try
        {
            IReadOnlyList<SharedCampaign> shared = await directory.ReadAsync([id], cancellationToken).ConfigureAwait(false);
            if (shared.Count != 1) return null;
            return FromShared(shared[0]) with { Open = now - shared[0].LastSeen <= quiet };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private static CampaignView Overlay(CampaignView view, SharedCampaign shared) => view with
    {
        // Each node counts into the directory every attempt it counts itself, so the shared figures are never lower.
        Attempts = Math.Max(view.Attempts, shared.Attempts),
        AccountsTargeted = Math.Max(view.AccountsTargeted, shared.AccountsTargeted),
        FirstSeen = shared.FirstSeen < view.FirstSeen ? shared.FirstSeen : view.FirstSeen,
        LastSeen = shared.LastSeen > view.LastSeen ? shared.LastSeen : view.LastSeen,
    };

    private static CampaignView FromShared(SharedCampaign shared) => new()
    {
        Id = shared.Id, Kind = shared.Kind, Tenant = shared.Tenant, FirstSeen = shared.FirstSeen, LastSeen = shared.LastSeen, Open = true,
        Attempts = shared.Attempts, AccountsTargeted = shared.AccountsTargeted, DistinctIps = 0,
        Successes = [], TopSubnets = [], TopAsns = [], TopIps = [], SecretIds = [],
    };
}
