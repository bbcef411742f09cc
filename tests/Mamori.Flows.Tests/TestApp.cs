using System.Net.Http.Json;
using System.Text.Json;
using Mamori.Flows.Channels;
using Mamori.Flows.Factors;
using Mamori.Flows.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Flows.Tests;

/// <summary>Captures every message instead of delivering it (registered ahead of the outbox).</summary>
internal sealed class CapturingChannel : IOneTimeCodeChannel
{
    private readonly List<OutboundMessage> _messages = [];
    public IReadOnlyList<OutboundMessage> Messages { get { lock (_messages) return _messages.ToArray(); } }
    public bool CanDeliver(string channel) => true;
    public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        lock (_messages) _messages.Add(message);
        return Task.CompletedTask;
    }
}

/// <summary>A TestServer app mapping only the flow endpoints, on a FakeTimeProvider and a temporary data folder.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2020, 9, 7, 1, 0, 0, TimeSpan.Zero);
    private readonly WebApplication _app;
    public FakeTimeProvider Time { get; }
    public CapturingChannel Channel { get; } = new();
    public HttpClient Client { get; }
    public string DataDirectory { get; }
    public FlowsOptions Options { get; }

    private TestApp(WebApplication app, FakeTimeProvider time, string dataDirectory, FlowsOptions options, CapturingChannel channel)
    {
        _app = app; Time = time; DataDirectory = dataDirectory; Options = options; Channel = channel;
        Client = app.GetTestClient();
    }

    public static async Task<TestApp> StartAsync(Action<FlowsOptions>? configure = null, bool capture = true, Action<IServiceCollection>? services = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "mamori-flows-" + Guid.NewGuid().ToString("N"));
        var options = new FlowsOptions { DataDirectory = dir };
        configure?.Invoke(options);
        var time = new FakeTimeProvider(Start);
        var channel = new CapturingChannel();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        services?.Invoke(builder.Services);
        if (capture) builder.Services.AddSingleton<IOneTimeCodeChannel>(channel);
        builder.Services.AddMamoriFlows(options);
        WebApplication app = builder.Build();
        app.MapMamoriFlows();
        app.MapMamoriFlowsAudit();
        await app.StartAsync();
        return new TestApp(app, time, options.DataDirectory, options, channel);
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async Task<JsonElement> PostAsync(string path, object body, int expectedStatus = 200)
    {
        using HttpResponseMessage response = await Client.PostAsJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"POST {path}: expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using HttpResponseMessage response = await Client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<int> AuditCountAsync() => (await GetAsync("/v1/audit?limit=500")).GetProperty("entries").GetArrayLength();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

internal static class JsonExtensions
{
    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
    public static string[] Reasons(this JsonElement e) => e.GetProperty("reasons").EnumerateArray().Select(x => x.GetString()!).ToArray();
}

/// <summary>Drives the nodes' fake clocks for requests waiting on the shared verification limit.</summary>
internal static class Polls
{
    /// <summary>
    /// Runs <paramref name="requests"/> to the end on the nodes' fake clocks: each time every request still running is
    /// waiting on a poll (nothing else in flight: no query, no settlement) and every poll the last step woke has ended,
    /// the clocks step one poll interval, so each waiter looks again. Driven by the limiters' signals, not by real time.
    /// At most 750 steps: 18.75 s of fake time, below a reservation's 30 s lifetime, so none expires because of it.
    /// </summary>
    public static async Task<T[]> PumpAsync<T>(IReadOnlyList<Task<T>> requests, params TestApp[] nodes)
    {
        const int MaxPolls = 750;
        SharedVerificationLimiter[] limiters = nodes.Select(n => (SharedVerificationLimiter)n.Service<IVerificationLimiter>()).ToArray();
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Changed() => Volatile.Read(ref next).TrySetResult();
        foreach (SharedVerificationLimiter limiter in limiters) limiter.PollsChanged += Changed;
        foreach (Task<T> request in requests) _ = request.ContinueWith(_ => Changed(), TaskScheduler.Default);
        try
        {
            long woken = 0;   // polls ended once every poll the last step woke has ended
            for (int step = 0; ; step++)
            {
                long started, ended;
                while (true)
                {
                    TaskCompletionSource signal = Volatile.Read(ref next);
                    if (requests.All(r => r.IsCompleted)) return await Task.WhenAll(requests);
                    (started, ended) = (limiters.Sum(l => l.Polls.Started), limiters.Sum(l => l.Polls.Ended));
                    if (ended >= woken && started - ended == requests.Count(r => !r.IsCompleted)) break;
                    await signal.Task.WaitAsync(TimeSpan.FromSeconds(60));   // a bound on a hang, not a pace
                    Interlocked.CompareExchange(ref next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
                }
                Assert.True(step < MaxPolls, $"Requests still waiting after {MaxPolls} polls: an attempt in flight was never seen to settle.");
                woken = started;   // every poll begun so far fires at this step, and each ends
                foreach (TestApp node in nodes) node.Time.Advance(SharedVerificationLimiter.PollInterval);
            }
        }
        finally
        {
            foreach (SharedVerificationLimiter limiter in limiters) limiter.PollsChanged -= Changed;
        }
    }
}
