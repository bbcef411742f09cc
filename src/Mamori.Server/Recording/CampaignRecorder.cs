using System.Text.Json;
using System.Threading.Channels;
using Mamori.Campaigns;
using Mamori.Server.Api;
using Mamori.Storage;

namespace Mamori.Server.Recording;

/// <summary>Upserts campaigns when they open and archives them when they close, off the login path.</summary>
/// <remarks>
/// The tracker raises its events inside an assessment; the handler only queues (bounded, dropping the oldest view of a
/// busy queue, since a later upsert of the same campaign supersedes it) and a background loop writes.
/// </remarks>
public sealed partial class CampaignRecorder : BackgroundService
{
    private const int MaxQueued = 10_000;

    private readonly Channel<CampaignView> _queue = Channel.CreateBounded<CampaignView>(new BoundedChannelOptions(MaxQueued)
    {
        SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest,
    });
    private readonly CampaignTracker _tracker;
    private readonly ICampaignArchive _archive;
    private readonly HealthState _health;
    private readonly ILogger<CampaignRecorder> _logger;

    /// <summary>Subscribes to <paramref name="tracker"/>.</summary>
    public CampaignRecorder(CampaignTracker tracker, ICampaignArchive archive, HealthState health, ILogger<CampaignRecorder> logger)
    {
        _tracker = tracker; _archive = archive; _health = health; _logger = logger;
        _tracker.Opened += Enqueue;
        _tracker.Closed += Enqueue;
    }

    /// <summary>The JSON stored for a campaign: what <c>GET /v1/campaigns/{id}</c> answers.</summary>
    public static CampaignRecord ToRecord(CampaignView view) => new()
    {
        Id = view.Id, Kind = view.Kind.ToWireName(), Tenant = view.Tenant, FirstSeen = view.FirstSeen, LastSeen = view.LastSeen, Open = view.Open,
        Json = JsonSerializer.Serialize(ApiMapping.Campaign(view), MamoriJsonContext.Default.CampaignDto),
    };

    /// <summary>Writes the open campaigns' current state (at shutdown, so counts survive a restart's archive).</summary>
    public async Task FlushOpenAsync(CancellationToken cancellationToken)
    {
        foreach (CampaignView view in _tracker.OpenCampaigns())
        {
            CampaignView counted = await SharedCampaignViews.WithSharedCountsAsync(_tracker.Directory, view, cancellationToken).ConfigureAwait(false);
            await _archive.UpsertAsync(ToRecord(counted), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (CampaignView view in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                await WriteAsync(view).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is queued, then stop.
            while (_queue.Reader.TryRead(out CampaignView? view)) await WriteAsync(view).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _tracker.Opened -= Enqueue;
        _tracker.Closed -= Enqueue;
        base.Dispose();
    }

    private void Enqueue(CampaignView view) => _queue.Writer.TryWrite(view);

    private async Task WriteAsync(CampaignView view)
    {
        try
        {
            // With a shared store, every node's attempts (the node that archives a closed campaign is the only one to).
            CampaignView counted = await SharedCampaignViews.WithSharedCountsAsync(_tracker.Directory, view, CancellationToken.None).ConfigureAwait(false);
            await _archive.UpsertAsync(ToRecord(counted)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ArchiveFailed(_logger, view.Id, ex);
            _health.Fail("campaign_archive", $"writing campaign {view.Id} failed ({ex.GetType().Name})");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 511, Level = LogLevel.Warning, Message = "Archiving campaign {CampaignId} failed.")]
        public static partial void ArchiveFailed(ILogger logger, string campaignId, Exception exception);
    }
}
