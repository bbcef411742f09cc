using System.Globalization;
using System.Text.Json;
using Mamori.Server.Auth;
using Mamori.Server.Recording;
using Mamori.Signals;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Server.Tests;

public sealed class HostingTests
{
    [Fact]
    public void Host_DoesNotWatchItsSettingsFiles_UnlessTheCommandLineAsks()
    {
        // Its watcher covers the content root and all below it, where the data folder usually is: every write woke it.
        static bool[] Watched(params string[] args) =>
            ((IConfigurationRoot)Hosting.MamoriServerHost.CreateBuilder(args).Configuration).Providers
                .OfType<FileConfigurationProvider>().Select(p => p.Source.ReloadOnChange).ToArray();

        bool[] byDefault = Watched();
        Assert.NotEmpty(byDefault);   // appsettings.json and appsettings.{Environment}.json are still read
        Assert.All(byDefault, Assert.False);
        Assert.All(Watched("--hostBuilder:reloadConfigOnChange=true"), Assert.True);
    }

    [Fact]
    public async Task FirstStartWithoutEnvironmentKey_WritesAnOwnerOnlyKeyFileThatWorks_AndLogsOnlyItsPath()
    {
        using var factory = new MamoriFactory { BootstrapKey = false, CaptureLogs = true };
        HttpClient anonymous = factory.CreateClient();
        await anonymous.GetJsonAsync("/healthz");

        string path = Path.Combine(factory.DataPath, "api-key");
        string key = (await File.ReadAllTextAsync(path)).Trim();
        Assert.StartsWith(ApiKeyFormat.Prefix, key);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        await factory.WithKey(key).GetJsonAsync("/v1/campaigns");

        IReadOnlyList<FakeLogRecord> logs = factory.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, l => l.Message.Contains(path, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Message.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LaterStart_OnTheSameFolder_KeepsKeysAndDecisions()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-restart-").FullName;
        string id;
        using (var first = new MamoriFactory { DataPath = folder, KeepData = true })
        {
            id = (await first.Admin().PostJsonAsync("/v1/login/assess", """{"account":"zoe","ip":"192.0.2.1"}""")).GetProperty("request_id").GetString()!;
        }
        using var second = new MamoriFactory { DataPath = folder, BootstrapKey = false };
        JsonElement account = await second.Admin().GetJsonAsync("/v1/accounts/zoe");
        Assert.Equal(id, Assert.Single(account.GetProperty("recent_events").EnumerateArray()).GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task ARestartInTheSameMinute_OpensNewCampaignsUnderNewIds_AndKeepsTheArchivedOnes()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-restart-").FullName;
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T13:07:10Z", CultureInfo.InvariantCulture));
        static string Spray(string pin, int subnet) => "[" + string.Join(",", Enumerable.Range(0, 60).Select(i =>
            $$"""{"account":"acct-{{i:D4}}","ip":"192.0.{{subnet}}.{{i % 250}}","secret_fp":"{{pin}}","outcome":"wrong_secret"}""")) + "]";
        static async Task<string[]> CampaignIds(HttpClient client) =>
            (await client.GetJsonAsync("/v1/campaigns")).GetProperty("campaigns").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray();

        string[] before;
        using (var first = new MamoriFactory { DataPath = folder, KeepData = true, Time = time })
        {
            await first.Admin().PostJsonAsync("/v1/login/events", Spray("00000000000004d2", 2));
            before = await CampaignIds(first.Admin());
        }
        Assert.NotEmpty(before);
        time.Advance(TimeSpan.FromSeconds(20));   // the same minute: ids carry it
        using var second = new MamoriFactory { DataPath = folder, BootstrapKey = false, Time = time };
        await second.Admin().PostJsonAsync("/v1/login/events", Spray("000000000000162e", 3));

        string[] after = await CampaignIds(second.Admin());
        Assert.All(before, id => Assert.Contains(id, after));
        Assert.True(after.Length > before.Length, $"before {string.Join(",", before)}, after {string.Join(",", after)}");
        Assert.Equal(after.Length, after.Distinct(StringComparer.Ordinal).Count());
        foreach (string id in before)   // still the first spray's, from its own addresses
        {
            JsonElement archived = await second.Admin().GetJsonAsync($"/v1/campaigns/{id}");
            Assert.All(archived.GetProperty("top_ips").EnumerateArray(), ip => Assert.StartsWith("192.0.2.", ip.GetProperty("source").GetString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TheDeviceTokenAndFlowKeys_AreWrittenAtStart_BeforeAnyLoginOrEnrolment()
    {
        // Both must be copied to every node before a second one takes traffic; the flows' key was made at the first
        // enrolment, so a second node started before then made a key of its own and could not open the first's seeds.
        using var factory = new MamoriFactory();
        await factory.CreateClient().GetJsonAsync("/healthz");
        Assert.True(File.Exists(Path.Combine(factory.DataPath, DeviceTokens.KeyFileName)));
        Assert.True(File.Exists(Path.Combine(factory.DataPath, Mamori.Flows.FlowsServiceCollectionExtensions.KeyFileName)));
    }

    [Fact]
    public async Task ADataFolderTheServerCreates_IsReadableByItsUserOnly()
    {
        if (OperatingSystem.IsWindows()) return;   // Unix modes only
        string parent = Directory.CreateTempSubdirectory("mamori-mode-").FullName;
        string folder = Path.Combine(parent, "data");
        using (var factory = new MamoriFactory { DataPath = folder })
        {
            await factory.Admin().PostJsonAsync("/v1/login/assess", """{"account":"mia","ip":"192.0.2.1"}""");
            Assert.True(File.Exists(Path.Combine(folder, "mamori.db")));
            Assert.True(File.Exists(Path.Combine(folder, DeviceTokens.KeyFileName)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }
        Directory.Delete(parent, recursive: true);
    }

    [Fact]
    public async Task Logs_OfAWholeRun_HoldNoKeyFingerprintOrToken()
    {
        using var factory = new MamoriFactory { CaptureLogs = true };
        HttpClient client = factory.Admin();
        const string fingerprint = "5eC2e7f00dbabe42";
        JsonElement assessed = await client.PostJsonAsync("/v1/login/assess", $$"""{"account":"log-user","ip":"192.0.2.1","device":"dev-9","secret_fp":"{{fingerprint}}"}""");
        await factory.Services.GetRequiredService<LoginAssessor>().SetStepUpRequestedAsync("log-user", null, true);
        string id = assessed.GetProperty("request_id").GetString()!;
        await client.PostJsonAsync("/v1/login/outcome", $$"""{"request_id":"{{id}}","outcome":"success"}""");
        string token = (await client.PostJsonAsync("/v1/login/step-up", $$"""{"request_id":"{{id}}","passed":true}""")).GetProperty("device_token").GetString()!;
        await client.PostJsonAsync("/v1/login/assess", $$"""{"account":"log-user","ip":"192.0.2.1","device":"{{token}}","secret_fp":"{{fingerprint}}"}""");
        await client.PostAsync("/v1/login/assess", Http.Json($$"""{"account":"log-user","ip":"bad","secret_fp":"{{fingerprint}}"}"""));
        await factory.WithKey("mamori_wrong-key-000000000000000000000").GetAsync("/v1/campaigns");
        await client.GetAsync("/metrics");

        IReadOnlyList<FakeLogRecord> logs = factory.Services.GetFakeLogCollector().GetSnapshot();
        Assert.NotEmpty(logs);
        foreach (FakeLogRecord record in logs)
        {
            string text = record.Message + " " + record.Exception + " " + string.Join(";", record.StructuredState?.Select(p => p.Value) ?? []);
            Assert.DoesNotContain(MamoriFactory.AdminKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain("mamori_wrong-key", text, StringComparison.Ordinal);
            Assert.DoesNotContain(fingerprint, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(token[5..30], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SnapshotHook_SavesAtomicallyAndARestoredStoreKnowsTheSpray()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-snap-").FullName;
        var options = new MamoriOptions();
        var store = new State.InMemorySignalStore(options);
        var engine = new LoginAssessor(options, store);
        var fp = new Events.SecretFingerprint(0x1234_5678_9abc_def0);
        var start = new DateTimeOffset(2020, 9, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 20; i++)
        {
            var attempt = new Events.LoginAttempt { Timestamp = start.AddSeconds(i), Account = $"acct{i}", Ip = System.Net.IPAddress.Parse($"45.0.0.{i + 1}"), Secret = fp };
            await engine.AssessEventAsync(new Events.LoginEvent(attempt, Events.LoginOutcome.WrongSecret));
        }
        var snapshotter = new StreamSignalSnapshotter(store, folder);
        Assert.True(snapshotter.IsSupported);
        await snapshotter.SaveAsync();
        Assert.False(File.Exists(snapshotter.SnapshotPath + ".tmp"));

        var restored = new State.InMemorySignalStore(options);
        Assert.True(await new StreamSignalSnapshotter(restored, folder).RestoreAsync());
        var next = new Events.LoginAttempt { Timestamp = start.AddMinutes(1), Account = "acct99", Ip = System.Net.IPAddress.Parse("45.0.1.1"), Secret = fp };
        PreAuthAssessment afterRestart = await new LoginAssessor(options, restored).AssessAsync(next);
        Assert.True(afterRestart.Decision.Has(Policy.ReasonCode.SprayedSecret));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task SnapshotHook_UnreadableSnapshot_IsMovedAsideAndSignalsStartEmpty()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-snap-").FullName;
        var snapshotter = new StreamSignalSnapshotter(new State.InMemorySignalStore(new MamoriOptions()), folder);
        await File.WriteAllTextAsync(snapshotter.SnapshotPath, "not a snapshot");
        await Assert.ThrowsAsync<InvalidDataException>(() => snapshotter.RestoreAsync());
        Assert.True(File.Exists(snapshotter.SnapshotPath + ".bad"));
        Assert.False(await snapshotter.RestoreAsync());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task WithoutAPublicBaseUrl_TheStartSaysWhereTheNotMeLinksPoint_AndWithOneSaysNothing()
    {
        // The holder's "this was not me" link was built on http://localhost:8080 with nothing said about it.
        using var unset = new MamoriFactory { CaptureLogs = true };
        using var set = new MamoriFactory { CaptureLogs = true };
        set.Settings["Mamori:Flows:PublicBaseUrl"] = "https://wallet.example.jp";
        await unset.CreateClient().GetJsonAsync("/healthz");
        await set.CreateClient().GetJsonAsync("/healthz");

        FakeLogRecord warning = Assert.Single(unset.Services.GetFakeLogCollector().GetSnapshot(), l => l.Id.Id == 421);
        Assert.Contains("http://localhost:8080", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(set.Services.GetFakeLogCollector().GetSnapshot(), l => l.Id.Id == 421);
    }
}
