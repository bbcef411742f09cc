using System.Globalization;

namespace Mamori.Campaigns;

/// <summary>
/// Where campaign ids come from and where per-campaign counters are shared. The default,
/// <see cref="LocalCampaignDirectory"/>, numbers campaigns per process (today's ids, so embedded mode and replay
/// give byte-identical decisions); a shared directory (Redis) gives every node that sees one attack the same id
/// and the same counters.
/// </summary>
/// <remarks>
/// <para>Thread-safe. The tracker calls <see cref="OpenOrGet"/> and <see cref="TryClaimArchive"/> from inside an
/// assessment, so they are synchronous and must be bounded: a shared implementation waits at most its store's
/// timeout and then answers locally (<paramref name="proposedId"/>, or "archive it"), never throwing. It calls
/// <see cref="OpenOrGet"/> only when this node has no open campaign for the key — once per node per campaign —
/// and outside its lock, so a slow store never serialises other logins.</para>
/// <para><see cref="Counted"/> is on every attempt inside a campaign: it must not wait (a shared implementation
/// sends it without waiting for the answer).</para>
/// </remarks>
public interface ICampaignDirectory
{
    /// <summary>Whether ids and counters are shared with other nodes (false: this process alone).</summary>
    bool IsShared { get; }

    /// <summary>The id of the open campaign of <paramref name="kind"/> and <paramref name="scope"/>; opens it with
    /// <paramref name="proposedId"/> when none is open.</summary>
    string OpenOrGet(CampaignKind kind, ulong scope, string proposedId, DateTimeOffset at);

    /// <summary>Counts one attempt on <paramref name="account"/> (its 64-bit key) in campaign <paramref name="id"/>.</summary>
    void Counted(string id, CampaignKind kind, ulong scope, string? tenant, ulong account, DateTimeOffset at);

    /// <summary>Whether this node should archive campaign <paramref name="id"/>, which went quiet here at
    /// <paramref name="now"/>: false while another node still counts attempts in it, or when another node already
    /// claimed the archiving.</summary>
    bool TryClaimArchive(string id, DateTimeOffset now);

    /// <summary>Shared counters of the given campaigns (those it knows); empty for a local directory.</summary>
    ValueTask<IReadOnlyList<SharedCampaign>> ReadAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Campaigns open on any node (at most <paramref name="max"/>, newest activity first); empty for a local directory.</summary>
    ValueTask<IReadOnlyList<SharedCampaign>> OpenAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);
}

/// <summary>What every node knows of a campaign: counted by all of them.</summary>
/// <param name="Id">Campaign id.</param>
/// <param name="Kind">Kind it was opened as.</param>
/// <param name="Tenant">Tenant scope, if any.</param>
/// <param name="FirstSeen">Earliest attempt counted on any node.</param>
/// <param name="LastSeen">Latest attempt counted on any node.</param>
/// <param name="Attempts">Attempts counted on all nodes.</param>
/// <param name="AccountsTargeted">Distinct accounts (estimate) over all nodes.</param>
public sealed record SharedCampaign(string Id, CampaignKind Kind, string? Tenant, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Attempts, long AccountsTargeted);

/// <summary>
/// The default directory: ids <c>cmp-&lt;first minute&gt;-&lt;sequence&gt;</c> numbered per process, nothing shared.
/// </summary>
/// <remarks>Thread-safe. The tracker calls it under its own lock, so for one sequence of attempts (a replay) the ids are
/// always the same.</remarks>
public sealed class LocalCampaignDirectory : ICampaignDirectory
{
    private int _sequence;

    /// <inheritdoc />
    public bool IsShared => false;

    /// <summary>Numbers on after <paramref name="sequence"/> (a restarted node, from its archive's highest number), so an
    /// id is never given twice, though the minute in it may repeat. Never goes back.</summary>
    public void ContinueAfter(int sequence)
    {
        int seen = Volatile.Read(ref _sequence);
        while (sequence > seen)
        {
            int was = Interlocked.CompareExchange(ref _sequence, sequence, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    /// <inheritdoc />
    /// <remarks>Ignores <paramref name="proposedId"/>: the tracker asks only when it has no open campaign for the key.</remarks>
    public string OpenOrGet(CampaignKind kind, ulong scope, string proposedId, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"cmp-{at.UtcDateTime:yyyyMMdd'T'HHmm}-{Interlocked.Increment(ref _sequence):D4}");

    /// <inheritdoc />
    public void Counted(string id, CampaignKind kind, ulong scope, string? tenant, ulong account, DateTimeOffset at)
    {
        // The tracker's own campaign holds the counts.
    }

    /// <inheritdoc />
    public bool TryClaimArchive(string id, DateTimeOffset now) => true;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SharedCampaign>> ReadAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<SharedCampaign>>([]);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SharedCampaign>> OpenAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<SharedCampaign>>([]);
}
