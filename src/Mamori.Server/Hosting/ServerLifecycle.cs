using Mamori.Server.Auth;
using Mamori.Server.Recording;
using Mamori.Storage;
using Microsoft.Extensions.Options;

namespace Mamori.Server.Hosting;

/// <summary>
/// Start: open storage, make sure an admin key exists, restore the signals snapshot and re-teach trusted devices.
/// Run: snapshot periodically. Stop (after the web server has drained its requests): commit queued decisions, send
/// what a shared signal store is still waiting for, write the open campaigns and a last snapshot.
/// </summary>
/// <remarks>Registered before the web server, so it starts before the first request and stops after the last.</remarks>
internal sealed partial class ServerLifecycle(
    IMamoriStorage storage, ApiKeyRegistry keys, ISignalSnapshotter snapshotter, LoginAssessor assessor, BatchingDecisionWriter writer,
    CampaignRecorder campaigns, HealthState health, TimeProvider time, IConfiguration configuration, IOptions<ServerSettings> settings,
    Mamori.Flows.FlowsOptions flows, ILogger<ServerLifecycle> logger) : BackgroundService
{
    /// <summary>File the generated first admin key is written to.</summary>
    public const string ApiKeyFileName = "api-key";

    /// <summary>Environment variable (or configuration key) whose value becomes the first admin key.</summary>
    public const string BootstrapKeyVariable = "MAMORI_API_KEY";

    /// <summary>Trusted devices re-taught at start at most (the in-memory store keeps a few per account anyway).</summary>
    private const int MaxTrustedDevicesRestored = 1_000_000;

    private readonly string _data = Path.GetFullPath(settings.Value.DataPath);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        bool stored = true;
        try
        {
            await storage.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            stored = false;
            health.Fail(DecisionRecorder.Component, $"cannot open the database ({ex.GetType().Name}: {ex.Message})");
            Log.StorageUnavailableAtStart(logger, storage.Location, ex);
        }
        await EnsureAdminKeyAsync(stored, cancellationToken).ConfigureAwait(false);
        if (stored) await ContinueCampaignNumbersAsync(cancellationToken).ConfigureAwait(false);
        await RestoreSignalsAsync(stored, cancellationToken).ConfigureAwait(false);
        // The holder's and owner's "not me" links are built on it; left at its default they point at a machine nobody
        // who receives the message can reach.
        if (string.IsNullOrEmpty(configuration["Mamori:Flows:PublicBaseUrl"])) Log.PublicBaseUrlUnset(logger, flows.PublicBaseUrl);
        Log.Started(logger, _data);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task refreshing = RefreshKeysAsync(stoppingToken);
        await SnapshotPeriodicallyAsync(stoppingToken).ConfigureAwait(false);
        await refreshing.ConfigureAwait(false);
    }

    /// <summary>Reloads the API keys every <see cref="ApiKeyRegistry.RefreshInterval"/>, whether requests come or not:
    /// a reload started by a request answers that request from the list before it, so on a quiet node a revoked key
    /// would have been good for one more request however long after its revocation.</summary>
    private async Task RefreshKeysAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(keys.RefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try { await keys.RefreshAsync(stoppingToken).ConfigureAwait(false); }
                catch (Exception ex) when (ex is not OperationCanceledException) { /* storage down: the cached keys stay; /healthz says so */ }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SnapshotPeriodicallyAsync(CancellationToken stoppingToken)
    {
        if (!snapshotter.IsSupported) return;
        using var timer = new PeriodicTimer(settings.Value.SnapshotInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await SnapshotAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes the last snapshot.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await writer.DisposeAsync().ConfigureAwait(false);   // commit every decision already queued
        try
        {
            // Redis: the attempts whose outcomes never came (most of them an attack's) count on the other nodes.
            await assessor.Store.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Log.SignalFlushCut(logger);
        }
        try
        {
            await campaigns.FlushOpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Including the stop's time running out: the snapshot below must still be written, or the node forgets
            // every signal it learned since the last periodic one.
            Log.CampaignFlushFailed(logger, ex);
        }
        await SnapshotAsync().ConfigureAwait(false);
        Log.Stopped(logger);
    }

    /// <summary>A node numbers its campaigns per process, and an id carries the minute the campaign opened: restarted
    /// within that minute, it would give a new campaign an archived one's id and overwrite it. So it numbers on from
    /// the archive's highest number. (A shared directory's ids carry the attack's key instead: nothing to do.)</summary>
    private async Task ContinueCampaignNumbersAsync(CancellationToken cancellationToken)
    {
        if (assessor.Campaigns.Directory is not Mamori.Campaigns.LocalCampaignDirectory local) return;
        try
        {
            local.ContinueAfter(await storage.HighestCampaignSequenceAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unreadable now: numbering from 1 risks an id clash only with a campaign of this very minute.
            Log.CampaignNumbersUnread(logger, ex);
        }
    }

    private async Task SnapshotAsync()
    {
        if (!snapshotter.IsSupported) return;
        try
        {
            await snapshotter.SaveAsync().ConfigureAwait(false);
            health.Recover("signal_snapshot");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            health.Fail("signal_snapshot", $"the last snapshot failed ({ex.GetType().Name})");
            Log.SnapshotFailed(logger, ex);
        }
    }

    private async Task EnsureAdminKeyAsync(bool stored, CancellationToken cancellationToken)
    {
        IReadOnlyList<ApiKeyRecord> existing = [];
        if (stored)
        {
            try { existing = await ((IApiKeyStore)storage).ListAsync(cancellationToken).ConfigureAwait(false); }
            catch (Exception ex) when (ex is not OperationCanceledException) { stored = false; Log.StorageUnavailableAtStart(logger, storage.Location, ex); }
        }
        if (existing.Count == 0)
        {
            string? fromEnvironment = configuration[BootstrapKeyVariable];
            ApiKeyRecord record;
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                if (fromEnvironment.Length is < ApiKeyFormat.MinLength or > ApiKeyFormat.MaxLength)
                    throw new InvalidOperationException($"{BootstrapKeyVariable} must be {ApiKeyFormat.MinLength} to {ApiKeyFormat.MaxLength} characters long; a shorter key is guessable.");
                (record, _) = ApiKeyFormat.Create(ApiKeyScope.Admin, "bootstrap (MAMORI_API_KEY)", time.GetUtcNow(), fromEnvironment);
                if (stored) Log.BootstrapKeyFromEnvironment(logger, record.Id);
                else Log.BootstrapKeyUntilStorageAnswers(logger);
            }
            else
            {
                (record, string key) = ApiKeyFormat.Create(ApiKeyScope.Admin, "bootstrap (generated)", time.GetUtcNow());
                string path = Path.Combine(_data, ApiKeyFileName);
                try
                {
                    PrivateFolder.Create(_data);
                    SecretFiles.Write(path, System.Text.Encoding.UTF8.GetBytes(key + "\n"));
                    Log.GeneratedKeyWritten(logger, record.Id, path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Log.GeneratedKeyNotWritten(logger, path, ex);
                }
            }
            keys.Pin(record);
            if (stored)
            {
                try { await storage.AddAsync(record, cancellationToken).ConfigureAwait(false); }
                catch (Exception ex) when (ex is not OperationCanceledException) { Log.StorageUnavailableAtStart(logger, storage.Location, ex); }
            }
        }
        if (stored)
        {
            try { await keys.RefreshAsync(cancellationToken).ConfigureAwait(false); }
            catch (Exception ex) when (ex is not OperationCanceledException) { Log.StorageUnavailableAtStart(logger, storage.Location, ex); }
        }
    }

    private async Task RestoreSignalsAsync(bool stored, CancellationToken cancellationToken)
    {
        if (assessor.Store is Mamori.State.Redis.RedisSignalStore)
        {
            Log.SignalsInRedis(logger);   // shared by every node and kept by Redis: nothing to snapshot
        }
        else if (!snapshotter.IsSupported)
        {
            Log.SnapshotsUnsupported(logger);
        }
        else
        {
            try
            {
                if (await snapshotter.RestoreAsync(cancellationToken).ConfigureAwait(false)) Log.SnapshotRestored(logger);
            }
            catch (InvalidDataException ex)
            {
                Log.SnapshotUnreadable(logger, ex);
            }
        }
        if (!stored) return;
        // Trust lives in the database too: re-teach it, so a node without a snapshot still knows trusted devices.
        IReadOnlyList<TrustedDevice> trusted;
        try
        {
            trusted = await storage.TrustedDevicesAsync(MaxTrustedDevicesRestored, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.StorageUnavailableAtStart(logger, storage.Location, ex);
            return;
        }
        try
        {
            foreach (TrustedDevice d in trusted)
                await assessor.SetDeviceTrustAsync(d.Account, d.Tenant, d.Device, true, d.TrustedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The signal store (Redis down at start), not the database: say so, or the night's reader checks the wrong server.
            Log.TrustNotRetaught(logger, trusted.Count, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Mamori is serving; data folder {DataPath}.")]
        public static partial void Started(ILogger logger, string dataPath);

        [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "First start: generated admin key {KeyId}; the key is in {KeyFile} (mode 0600). Read it there; it is never logged.")]
        public static partial void GeneratedKeyWritten(ILogger logger, string keyId, string keyFile);

        [LoggerMessage(EventId = 403, Level = LogLevel.Error, Message = "First start: could not write the generated admin key to {KeyFile}; set MAMORI_API_KEY instead.")]
        public static partial void GeneratedKeyNotWritten(ILogger logger, string keyFile, Exception exception);

        [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "First start: MAMORI_API_KEY became admin key {KeyId}.")]
        public static partial void BootstrapKeyFromEnvironment(ILogger logger, string keyId);

        [LoggerMessage(EventId = 418, Level = LogLevel.Warning, Message = "The database cannot tell whether keys exist: MAMORI_API_KEY admits admin requests until it answers; then the database's keys alone count.")]
        public static partial void BootstrapKeyUntilStorageAnswers(ILogger logger);

        [LoggerMessage(EventId = 421, Level = LogLevel.Warning, Message = "Mamori:Flows:PublicBaseUrl is not set: the \"this was not me\" links sent to bank-account holders and account owners start with {Url}. Set it to the page of yours that receives them (docs/flows.md).")]
        public static partial void PublicBaseUrlUnset(ILogger logger, string url);

        [LoggerMessage(EventId = 419, Level = LogLevel.Warning, Message = "Could not re-teach the signal store the {Count} trusted devices the database holds: the signal store (not the database) is unavailable. Until they are re-taught those devices are judged as not trusted.")]
        public static partial void TrustNotRetaught(ILogger logger, int count, Exception exception);

        [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "Storage at {DatabasePath} is unavailable; the node is degraded and answers by its failure policy.")]
        public static partial void StorageUnavailableAtStart(ILogger logger, string databasePath, Exception exception);

        [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "Signals restored from the snapshot.")]
        public static partial void SnapshotRestored(ILogger logger);

        [LoggerMessage(EventId = 407, Level = LogLevel.Warning, Message = "The signal store cannot be snapshotted (no Save/Load); signals start empty after a restart.")]
        public static partial void SnapshotsUnsupported(ILogger logger);

        [LoggerMessage(EventId = 408, Level = LogLevel.Error, Message = "The signal snapshot was unreadable; signals start empty.")]
        public static partial void SnapshotUnreadable(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 409, Level = LogLevel.Error, Message = "Writing the signal snapshot failed.")]
        public static partial void SnapshotFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Writing open campaigns at shutdown failed.")]
        public static partial void CampaignFlushFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 416, Level = LogLevel.Warning, Message = "The stop's time ran out before the signal store took the attempts still waiting for outcomes; some of them are not counted.")]
        public static partial void SignalFlushCut(ILogger logger);

        [LoggerMessage(EventId = 417, Level = LogLevel.Warning, Message = "Could not read the archived campaigns' numbers; this node numbers its campaigns from 1, and one opened this minute may take an archived campaign's id.")]
        public static partial void CampaignNumbersUnread(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 413, Level = LogLevel.Information, Message = "Signals and open campaigns are in the shared Redis store; no signal snapshot is written.")]
        public static partial void SignalsInRedis(ILogger logger);

        [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "Mamori stopped; queued decisions committed.")]
        public static partial void Stopped(ILogger logger);
    }
}
