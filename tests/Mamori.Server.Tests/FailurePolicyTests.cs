using System.Text.Json;
using Mamori.Policy;
using Mamori.Server.Recording;
using Mamori.Storage;
using Mamori.Storage.Sqlite;

namespace Mamori.Server.Tests;

/// <summary>Storage that works for start-up but fails every decision write, as a full disk does.</summary>
internal sealed class FailingWritesStorage(string folder) : IMamoriStorage
{
    private readonly SqliteStorage _inner = new(folder);
    public int Attempts;
    public string Location => _inner.Location;
    public Task OpenAsync(CancellationToken cancellationToken = default) => _inner.OpenAsync(cancellationToken);
    public Task AppendAsync(IReadOnlyList<DecisionRecord> batch, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Attempts);
        throw new IOException("No space left on device");
    }
    public Task<IReadOnlyList<DecisionRecord>> RecentForAccountAsync(string account, string? tenant, int limit, CancellationToken cancellationToken = default) => _inner.RecentForAccountAsync(account, tenant, limit, cancellationToken);
    public Task SetDeviceTrustAsync(string account, string? tenant, string device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new IOException("No space left on device");
    public Task<IReadOnlyList<DeviceRecord>> DevicesAsync(string account, string? tenant, CancellationToken cancellationToken = default) => _inner.DevicesAsync(account, tenant, cancellationToken);
    public Task<AccountFlags> AccountFlagsAsync(string account, string? tenant, CancellationToken cancellationToken = default) => _inner.AccountFlagsAsync(account, tenant, cancellationToken);
    public Task<IReadOnlyList<TrustedDevice>> TrustedDevicesAsync(int limit, CancellationToken cancellationToken = default) => _inner.TrustedDevicesAsync(limit, cancellationToken);
    public Task UpsertAsync(CampaignRecord campaign, CancellationToken cancellationToken = default) => _inner.UpsertAsync(campaign, cancellationToken);
    /// <summary>Reads of the campaign archive fail too, as on a database that went away.</summary>
    public bool ArchiveDown;
    public Task<CampaignRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        ArchiveDown ? throw new IOException("connection refused") : _inner.GetAsync(id, cancellationToken);
    public Task<IReadOnlyList<CampaignRecord>> ListAsync(int limit, CancellationToken cancellationToken = default) =>
        ArchiveDown ? throw new IOException("connection refused") : _inner.ListAsync(limit, cancellationToken);
    public Task<int> HighestCampaignSequenceAsync(CancellationToken cancellationToken = default) => _inner.HighestCampaignSequenceAsync(cancellationToken);
    public Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default) => _inner.AddAsync(key, cancellationToken);
    Task<IReadOnlyList<ApiKeyRecord>> IApiKeyStore.ListAsync(CancellationToken cancellationToken) => ((IApiKeyStore)_inner).ListAsync(cancellationToken);
    public Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) => _inner.RevokeAsync(id, at, cancellationToken);
    public Task AuditAsync(AdminAction action, CancellationToken cancellationToken = default) => _inner.AuditAsync(action, cancellationToken);
    public Task<IReadOnlyList<AdminAction>> AuditLogAsync(int limit, CancellationToken cancellationToken = default) => _inner.AuditLogAsync(limit, cancellationToken);
    public void Dispose() => _inner.Dispose();
}

public sealed class FailurePolicyTests
{
    [Fact]
    public async Task ArchiveUnreadable_CampaignViewsSaySo_NotAnErrorOrAnEmptyHistory()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-fail-").FullName;
        var storage = new FailingWritesStorage(folder) { ArchiveDown = true };
        using var factory = new MamoriFactory { DataPath = folder, Storage = storage };
        HttpClient client = factory.Admin();

        await Http.AssertProblemAsync(await client.GetAsync("/v1/campaigns/cmp-20261203T1423-0001"), 503);
        JsonElement list = await client.GetJsonAsync("/v1/campaigns");
        Assert.True(list.GetProperty("archive_unavailable").GetBoolean());

        storage.ArchiveDown = false;
        Assert.False((await client.GetJsonAsync("/v1/campaigns")).TryGetProperty("archive_unavailable", out _));
        await Http.AssertProblemAsync(await client.GetAsync("/v1/campaigns/cmp-20261203T1423-0001"), 404);
    }

    [Fact]
    public async Task StorageFailing_FailChallenge_ChallengesWithAReasonAndHealthIsDegraded()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-fail-").FullName;
        var storage = new FailingWritesStorage(folder);
        using var factory = new MamoriFactory { DataPath = folder, Storage = storage };
        HttpClient client = factory.Admin();

        JsonElement answer = await client.PostJsonAsync("/v1/login/assess", """{"account":"alice","ip":"192.0.2.1"}""");

        Assert.Equal("challenge", answer.GetProperty("decision").GetString());
        Assert.Equal("storage_unavailable", answer.ReasonCodes()[0]);
        Assert.True(storage.Attempts >= 1);
        JsonElement health = await client.GetJsonAsync("/healthz");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Contains(health.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("storage:", StringComparison.Ordinal));

        // A successful outcome steps up instead of allowing.
        JsonElement outcome = await client.PostJsonAsync("/v1/login/outcome",
            $$"""{"request_id":"{{answer.GetProperty("request_id").GetString()}}","outcome":"success"}""");
        Assert.Equal("step_up", outcome.GetProperty("decision").GetString());
        Assert.Contains("storage_unavailable", outcome.ReasonCodes());
    }

    [Fact]
    public async Task StorageFailing_FailOpen_AllowsButStillSaysSo()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-fail-").FullName;
        using var factory = new MamoriFactory { DataPath = folder, Storage = new FailingWritesStorage(folder) };
        factory.Settings["Mamori:FailMode"] = "FailOpen";

        JsonElement answer = await factory.Admin().PostJsonAsync("/v1/login/assess", """{"account":"alice","ip":"192.0.2.1"}""");

        Assert.Equal("allow", answer.GetProperty("decision").GetString());
        Assert.Contains("storage_unavailable", answer.ReasonCodes());
    }

    [Fact]
    public async Task DataFolderUnderAFile_ServerStillStartsAnswersByThePolicyAndIsDegraded()
    {
        // A path below a regular file can never be created, even by root (chmod would not stop root).
        string file = Path.GetTempFileName();
        using var factory = new MamoriFactory { DataPath = Path.Combine(file, "data") };
        HttpClient client = factory.Admin();

        JsonElement answer = await client.PostJsonAsync("/v1/login/assess", """{"account":"alice","ip":"192.0.2.1"}""");

        Assert.Equal("challenge", answer.GetProperty("decision").GetString());
        Assert.Contains("storage_unavailable", answer.ReasonCodes());
        JsonElement health = await client.GetJsonAsync("/healthz");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        // Admin views that need storage say so rather than hang.
        await Http.AssertProblemAsync(await client.GetAsync("/v1/accounts/alice"), 503);
        await Http.AssertProblemAsync(await client.PutAsync("/v1/accounts/alice/devices/d/trust", null), 503);
        await Http.AssertProblemAsync(await client.PostAsync("/v1/accounts/alice/links/lnk_x/freeze", null), 503);
        File.Delete(file);
    }

    [Theory]
    [InlineData(FailMode.FailChallenge, FailurePhase.PreAuth, Verdict.Allow, Verdict.Challenge)]
    [InlineData(FailMode.FailChallenge, FailurePhase.Success, Verdict.Allow, Verdict.StepUp)]
    [InlineData(FailMode.FailChallenge, FailurePhase.Other, Verdict.Allow, Verdict.Allow)]
    [InlineData(FailMode.FailChallenge, FailurePhase.PreAuth, Verdict.Deny, Verdict.Deny)]
    [InlineData(FailMode.FailOpen, FailurePhase.PreAuth, Verdict.Allow, Verdict.Allow)]
    [InlineData(FailMode.FailOpen, FailurePhase.Success, Verdict.StepUp, Verdict.StepUp)]
    public void ApplyFailMode_RaisesOnlyWhatThePolicySays(FailMode mode, FailurePhase phase, Verdict before, Verdict after)
    {
        var decision = new Decision { Verdict = before, PolicyVerdict = before, Score = 0.1, Reasons = [] };

        Decision result = DecisionRecorder.ApplyFailMode(decision, phase, mode);

        Assert.Equal(after, result.Verdict);
        Assert.Equal(ReasonCode.StorageUnavailable, result.Reasons[0].Code);
    }

    [Fact]
    public void ApplyFailMode_OfACommitThatRanLate_SaysItMayStillBeWritten_AndOfOneThatFailed_ThatItWasNot()
    {
        Decision allow = new() { Verdict = Verdict.Allow, PolicyVerdict = Verdict.Allow, Score = 0, Reasons = [], CampaignIds = [] };

        Decision late = DecisionRecorder.ApplyFailMode(allow, FailurePhase.PreAuth, FailMode.FailChallenge, TimeSpan.FromMilliseconds(250));
        Decision failed = DecisionRecorder.ApplyFailMode(allow, FailurePhase.PreAuth, FailMode.FailChallenge);

        Assert.Equal(Verdict.Challenge, late.Verdict);
        Assert.Contains("within 250 ms (it may still be written)", late.Reasons[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not recorded", late.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Contains("was not recorded", failed.Reasons[0].Message, StringComparison.Ordinal);
    }
}
