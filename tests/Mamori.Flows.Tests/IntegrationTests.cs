using System.Net;
using System.Text.Json;
using Mamori.Flows.Channels;
using Mamori.Signals;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Mamori.Flows.Tests;

/// <summary>How the flows meet their neighbours: the login engine, channels that fail, concurrent callers.</summary>
public sealed class IntegrationTests
{
    /// <summary>Records device-trust calls; the login engine's other paths are not used by the flows.</summary>
    private sealed class RecordingSignalStore : ISignalStore
    {
        public List<(ulong Account, ulong Device, bool Trusted)> Trust { get; } = [];
        public bool IsAvailable => true;
        public ValueTask<SignalSnapshot> ObserveAsync(SignalRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public ValueTask SetDeviceTrustAsync(ulong account, ulong device, bool trusted, DateTimeOffset at, CancellationToken cancellationToken = default)
        {
            lock (Trust) Trust.Add((account, device, trusted));
            return ValueTask.CompletedTask;
        }
        public ValueTask SetStepUpRequestedAsync(ulong account, bool requested, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
        public ValueTask MarkSecretExposedAsync(ulong account, DateTimeOffset at, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class ThrowingChannel : IOneTimeCodeChannel
    {
        public bool CanDeliver(string channel) => channel == "bank";
        public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken) => throw new HttpRequestException("bank gateway down");
    }

    private sealed class StubHandler : HttpMessageHandler
    {
        public List<(Uri Uri, string Body)> Requests { get; } = [];
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.RequestUri!, await request.Content!.ReadAsStringAsync(cancellationToken)));
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }
    }

    private static async Task<string> EnrollAsync(TestApp app, string account)
    {
        JsonElement enrolled = await app.PostAsync($"/v1/accounts/{account}/factors/totp", new { }, 201);
        return System.Web.HttpUtility.ParseQueryString(new Uri(enrolled.Str("otpauth_uri")).Query)["secret"]!;
    }

    [Fact]
    public async Task TrustedDevice_IsAlsoTrustedByTheLoginEngine_WhenOneIsRegistered()
    {
        var store = new RecordingSignalStore();
        await using TestApp app = await TestApp.StartAsync(services: s => s.AddSingleton(new LoginAssessor(new MamoriOptions(), store)));
        string secret = await EnrollAsync(app, "alice");
        string code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(app.Time.GetUtcNow().UtcDateTime);

        await app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code, trust_device = "dev-7" });

        Assert.Single(store.Trust);
        Assert.True(store.Trust[0].Trusted);
    }

    [Fact]
    public async Task SameTotpCode_SentConcurrently_VerifiesExactlyOnce()
    {
        await using TestApp app = await TestApp.StartAsync(o => o.MaxFailedVerifications = 100);
        string secret = await EnrollAsync(app, "alice");
        string code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(app.Time.GetUtcNow().UtcDateTime);

        JsonElement[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code })));

        Assert.Equal(1, results.Count(r => r.GetProperty("verified").GetBoolean()));
    }

    [Fact]
    public async Task FailingBankChannel_DoesNotDecideTheLink_ButIsAudited()
    {
        await using TestApp app = await TestApp.StartAsync(services: s => s.AddSingleton<IOneTimeCodeChannel>(new ThrowingChannel()));
        await Stories.StepUpAsync(app, "w1");

        JsonElement link = await app.PostAsync("/v1/links", Stories.LinkBody("w1", "4444444", "ﾔﾏﾀﾞ ﾀﾛｳ", Stories.Proof("やまだ たろう")), 201);

        Assert.Equal("allow", link.Str("decision"));
        JsonElement[] audit = (await app.GetAsync("/v1/audit?account=w1")).GetProperty("entries").EnumerateArray().ToArray();
        // Masked as the dashboard and console show it: the audit is an analyst's read, not the place for account numbers.
        Assert.Contains(audit, e => e.Str("kind") == "notification_failed" && e.Str("subject") == "bank:0005:••••444");
        Assert.DoesNotContain(audit, e => e.ToString().Contains("4444444", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebhookChannel_PostsTheMessageAsJson()
    {
        var handler = new StubHandler();
        var channel = new WebhookChannel(new HttpClient(handler), new Uri("https://hooks.example.jp/mamori"));
        var message = new OutboundMessage("webhook", "ops", "alice", "Your verification code", "Your verification code is 123456.", TestApp.Start);

        Assert.True(channel.CanDeliver("webhook"));
        Assert.False(channel.CanDeliver("sms"));
        await channel.SendAsync(message, CancellationToken.None);

        (Uri uri, string body) = Assert.Single(handler.Requests);
        Assert.Equal("https://hooks.example.jp/mamori", uri.ToString());
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.Equal("alice", json.RootElement.GetProperty("account").GetString());
        Assert.Contains("123456", json.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Records_SurviveARestart_OnTheSameDataFolder()
    {
        string dir;
        string linkId;
        await using (TestApp first = await TestApp.StartAsync())
        {
            await Stories.StepUpAsync(first, "w1");
            linkId = (await first.PostAsync("/v1/links", Stories.LinkBody("w1", "6666666", "ﾔﾏﾀﾞ ﾀﾛｳ", Stories.Proof("やまだ たろう")), 201)).Str("link_id");
            dir = first.DataDirectory;
            // Copy the folder before the first app deletes it on dispose.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            CopyDirectory(dir, dir + "-copy");
        }
        await using TestApp second = await TestApp.StartAsync(o => o.DataDirectory = dir + "-copy");
        JsonElement charge = await second.PostAsync($"/v1/links/{linkId}/charges", new { amount = 1_000 });
        Assert.Equal("allow", charge.Str("decision"));
        Assert.Contains("cool_off", charge.Reasons());
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
