using Mamori.Events;
using Mamori.Signals;
using Mamori.State.Redis;
using Mamori.State.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Mamori.State.Tests;

/// <summary>What is particular to the Redis store: round trips, key layouts, configuration, bad stored state, time to live.</summary>
public sealed class RedisSignalStoreTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task PreAuthAndOutcome_CostOneRoundTripEach(RedisKeyLayout layout)
    {
        var redisOptions = new RedisSignalStoreOptions { Configuration = garnet.Endpoint, KeyPrefix = "trips-" + layout, Timeout = TimeSpan.FromSeconds(5), KeyLayout = layout };
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(RedisSignalStore.ToConfiguration(redisOptions));
        // On a clock that stands still, the population syncs only at start (PrepareAsync) and when asked.
        using var store = new RedisSignalStore(new MamoriOptions(), redisOptions, connection, new FakeTimeProvider(T0));
        await store.PrepareAsync();
        await store.ObserveAsync(Request(0, ObservationPhase.PreAuth, LoginOutcome.Success));
        long roundTrips = store.RoundTrips, before = connection.GetCounters().Interactive.OperationCount;

        const int Logins = 100;
        int learned = 0;
        for (int i = 0; i < Logins; i++)
        {
            await store.ObserveAsync(Request((ulong)i, ObservationPhase.PreAuth, LoginOutcome.Success));
            await store.ObserveAsync(Request((ulong)i, ObservationPhase.Outcome, i % 3 == 0 ? LoginOutcome.Success : LoginOutcome.WrongSecret));
            if (i % 3 == 0) learned++;
        }
        long operations = connection.GetCounters().Interactive.OperationCount - before;

        Assert.Equal(2 * Logins, store.RoundTrips - roundTrips);   // one wait per observation: an assessment is two
        if (layout == RedisKeyLayout.SingleSlot)
        {
            // The script alone: the population is read from and added to the node's copy.
            Assert.Equal(2 * Logins, operations);
        }
        else
        {
            // Per observation: the account's, the ip's, the subnet's and the global script and GETs of the secret and of
            // its success record, plus after the wait the secret's count (a new wrong secret; a success counts on its
            // record only while the secret fails elsewhere: none here).
            Assert.Equal(6 * 2 * Logins + (Logins - learned), operations);
        }

        // The learned logins' additions go in one sync: one BITFIELD and the GET of the sketch, not a command per login.
        before = connection.GetCounters().Interactive.OperationCount;
        await store.SynchronizePopulationAsync();
        Assert.Equal(2, connection.GetCounters().Interactive.OperationCount - before);
    }

    [Theory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task ANodesPopulationAdditions_ItReadsAtOnce_AndAnotherNodeAfterTheirSync(RedisKeyLayout layout)
    {
        RedisSignalStoreOptions redisOptions = NodeOptions("pop-" + layout, o => o.KeyLayout = layout);
        var time = new FakeTimeProvider(T0);
        using Node a = await Node.StartAsync(redisOptions, time), b = await Node.StartAsync(redisOptions, time);
        RedisSignalStore nodeA = a.Store, nodeB = b.Store;

        for (ulong i = 0; i < 5; i++) await nodeA.ObserveAsync(Request(i, ObservationPhase.Outcome, LoginOutcome.Success));
        FamiliaritySignals onA = (await nodeA.ObserveAsync(Request(9, ObservationPhase.PreAuth, LoginOutcome.Success))).Familiarity;
        FamiliaritySignals onBBefore = (await nodeB.ObserveAsync(Request(9, ObservationPhase.PreAuth, LoginOutcome.Success))).Familiarity;
        await nodeA.SynchronizePopulationAsync();   // what a due sync does in the background, twice a second
        await nodeB.SynchronizePopulationAsync();
        FamiliaritySignals onBAfter = (await nodeB.ObserveAsync(Request(9, ObservationPhase.PreAuth, LoginOutcome.Success))).Familiarity;

        Assert.Equal((5, 5, 5), (onA.Population, onA.GlobalIp, onA.GlobalBrowser));   // its own additions, before any sync
        Assert.Equal(5, onBBefore.Population);   // the count of logins is in Redis at once
        Assert.Equal(0, onBBefore.GlobalIp);     // the cells reach another node with the syncs
        Assert.Equal((5, 5, 5), (onBAfter.Population, onBAfter.GlobalIp, onBAfter.GlobalBrowser));

        // A node that starts later reads the population as it stands before its first login.
        using Node c = await Node.StartAsync(redisOptions, time);
        Assert.Equal(5, (await c.Store.ObserveAsync(Request(9, ObservationPhase.PreAuth, LoginOutcome.Success))).Familiarity.GlobalIp);
        // And so does one whose first login comes before it was prepared (the server prepares in the background).
        using ConnectionMultiplexer connectionD = await ConnectionMultiplexer.ConnectAsync(RedisSignalStore.ToConfiguration(redisOptions));
        using var nodeD = new RedisSignalStore(new MamoriOptions(), redisOptions, connectionD, time);
        Assert.Equal(5, (await nodeD.ObserveAsync(Request(9, ObservationPhase.PreAuth, LoginOutcome.Success))).Familiarity.GlobalIp);
    }

    [Theory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task APreAuthOnlyReads_ItsOutcomeCountsTheAttempt_AndAnotherNodeSeesItThen(RedisKeyLayout layout)
    {
        RedisSignalStoreOptions redisOptions = NodeOptions("defer-" + layout, o => o.KeyLayout = layout);
        var time = new FakeTimeProvider(T0);
        using Node a = await Node.StartAsync(redisOptions, time), b = await Node.StartAsync(redisOptions, time);
        RedisSignalStore nodeA = a.Store, nodeB = b.Store;

        SignalSnapshot first = await nodeA.ObserveAsync(Request(1, ObservationPhase.PreAuth, LoginOutcome.Success));
        SignalSnapshot second = await nodeA.ObserveAsync(Request(2, ObservationPhase.PreAuth, LoginOutcome.Success));
        string prefix = redisOptions.KeyPrefix;
        List<RedisKey> written = await AllKeysAsync(layout == RedisKeyLayout.Spread ? prefix + ":" : "{" + prefix + "}:");
        SignalSnapshot elsewhere = await nodeB.ObserveAsync(Request(3, ObservationPhase.PreAuth, LoginOutcome.Success));

        Assert.Equal((1, 2), (first.Ip.Attempts, second.Ip.Attempts));   // node A counts its own attempts at once
        Assert.Equal(2, second.Global.Attempts);
        Assert.Equal(2, nodeA.WaitingAttempts);
        Assert.DoesNotContain(written, key => !key.ToString().EndsWith(":p", StringComparison.Ordinal));   // nothing but the population was written
        Assert.Equal(1, elsewhere.Ip.Attempts);   // node B does not see them yet

        SignalSnapshot outcome = await nodeA.ObserveAsync(Request(1, ObservationPhase.Outcome, LoginOutcome.WrongSecret));
        Assert.Equal((2, 1), (outcome.Ip.Attempts, outcome.Ip.Failures));   // the claimed attempt in Redis, the other still waiting
        Assert.Equal(1, nodeA.WaitingAttempts);
        SignalSnapshot later = await nodeB.ObserveAsync(Request(4, ObservationPhase.PreAuth, LoginOutcome.Success));
        Assert.Equal((3, 1), (later.Ip.Attempts, later.Ip.Failures));   // A's counted attempt, B's waiting one, and this

        // The outcome-less one is sent alone once it has waited its time (a denied pre-auth has no outcome).
        time.Advance(new RedisSignalStoreOptions().AttemptWait);
        await nodeA.ObserveAsync(Request(5, ObservationPhase.Outcome, LoginOutcome.UnknownAccount));   // any call sends what is due
        Assert.Equal(0, nodeA.WaitingAttempts);
        await nodeA.SendWaitingAttemptsAsync();   // (none left: only waits for nothing)
        await nodeB.SendWaitingAttemptsAsync();
        using Node c = await Node.StartAsync(redisOptions, time);
        SignalSnapshot third = await c.Store.ObserveAsync(Request(6, ObservationPhase.PreAuth, LoginOutcome.Success) with { At = T0 + new RedisSignalStoreOptions().AttemptWait });
        // Pre-auths 1 to 4 (1 with its outcome, 2 sent alone, 3 and 4 sent by B) and this one; failures: 1's and 5's.
        Assert.Equal((5, 2), (third.Ip.Attempts, third.Ip.Failures));
    }

    [Theory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task ALearnedSuccess_TakesTheTailItsNodeComputed_UnlessTheAccountChangedSinceItsPreAuth(RedisKeyLayout layout)
    {
        RedisSignalStoreOptions redisOptions = NodeOptions("tail-" + layout, o => o.KeyLayout = layout);
        var time = new FakeTimeProvider(T0);
        using Node a = await Node.StartAsync(redisOptions, time), b = await Node.StartAsync(redisOptions, time);
        SignalRequest home = Request(1, ObservationPhase.PreAuth, LoginOutcome.Success);
        SignalRequest elsewhere = home with { Keys = home.Keys with { Ip = 0x0A00_0002_0000_0009 } };

        await a.Store.ObserveAsync(home);
        await a.Store.ObserveAsync(home with { Phase = ObservationPhase.Outcome });
        Assert.Equal(1, a.Store.LearnedTailsUsed);   // nothing changed the account between: the node's tail stands

        await a.Store.ObserveAsync(home);   // read, then node B learns a login of the same account
        await b.Store.ObserveAsync(elsewhere);
        await b.Store.ObserveAsync(elsewhere with { Phase = ObservationPhase.Outcome });
        await a.Store.ObserveAsync(home with { Phase = ObservationPhase.Outcome });
        FamiliaritySignals now = (await a.Store.ObserveAsync(home)).Familiarity;

        Assert.Equal(1, a.Store.LearnedTailsUsed);   // A's tail was stale: the script learned it itself
        Assert.Equal((3, 2, 1), (now.History, now.UserIp, (await b.Store.ObserveAsync(elsewhere)).Familiarity.UserIp));   // B's login kept
    }

    [Fact]
    public async Task AttemptsWaitingAcrossABucket_AreCountedInTheirOwnBucket_BeforeTheNextOneRollsIt()
    {
        RedisSignalStoreOptions redisOptions = NodeOptions("defer-bucket");
        var options = new MamoriOptions();
        options.GlobalAnomaly.MinimumAttempts = 10;
        using Node one = await Node.StartAsync(redisOptions, new FakeTimeProvider(T0), options);
        RedisSignalStore node = one.Store;
        for (ulong i = 0; i < 12; i++) await node.ObserveAsync(Request(i, ObservationPhase.PreAuth, LoginOutcome.Success));
        Assert.Equal(12, node.WaitingAttempts);

        SignalSnapshot next = await node.ObserveAsync(Request(50, ObservationPhase.PreAuth, LoginOutcome.Success) with { At = T0 + options.GlobalAnomaly.Bucket });
        using Node elsewhere = await Node.StartAsync(redisOptions, new FakeTimeProvider(T0), options);
        SignalSnapshot there = await elsewhere.Store.ObserveAsync(Request(51, ObservationPhase.PreAuth, LoginOutcome.Success) with { At = T0 + options.GlobalAnomaly.Bucket });

        Assert.Equal(1, node.WaitingAttempts);   // the twelve were sent when the bucket changed; this one waits
        Assert.Equal((12, 1, 1), (next.Global.PreviousAttempts, next.Global.Attempts, next.Global.BaselineBuckets));
        Assert.Equal((12, 1, 1), (there.Global.PreviousAttempts, there.Global.Attempts, there.Global.BaselineBuckets));   // Redis learned the same
    }

    [Fact]
    public async Task WithAttemptsCountedAtPreAuth_EveryNodeSeesAnAttemptAtOnce()
    {
        RedisSignalStoreOptions redisOptions = NodeOptions("at-once", o => o.CountAttemptsWithOutcome = false);
        using Node a = await Node.StartAsync(redisOptions, new FakeTimeProvider(T0)), b = await Node.StartAsync(redisOptions, new FakeTimeProvider(T0));
        RedisSignalStore nodeA = a.Store, nodeB = b.Store;

        await nodeA.ObserveAsync(Request(1, ObservationPhase.PreAuth, LoginOutcome.Success));
        SignalSnapshot elsewhere = await nodeB.ObserveAsync(Request(2, ObservationPhase.PreAuth, LoginOutcome.Success));

        Assert.Equal(0, nodeA.WaitingAttempts);
        Assert.Equal(2, elsewhere.Ip.Attempts);
    }

    [Fact]
    public async Task Dispose_SendsTheAttemptsStillWaitingForOutcomes()
    {
        RedisSignalStoreOptions redisOptions = NodeOptions("defer-dispose");
        using (Node leaving = await Node.StartAsync(redisOptions, new FakeTimeProvider(T0)))
        {
            for (ulong i = 0; i < 3; i++) await leaving.Store.ObserveAsync(Request(i, ObservationPhase.PreAuth, LoginOutcome.Success));
        }
        using Node staying = await Node.StartAsync(redisOptions, new FakeTimeProvider(T0));

        Assert.Equal(4, (await staying.Store.ObserveAsync(Request(9, ObservationPhase.PreAuth, LoginOutcome.Success))).Ip.Attempts);
    }

    /// <summary>
    /// A node's host flushes as it stops, and a second caller may do so at the same moment (ASP.NET Core's test host
    /// stops a minimal-hosting app twice, at once). Neither may return before Redis has taken the waiting attempts:
    /// a proxy holds Redis' replies, and both flushes are still waiting once every command is answered and held.
    /// </summary>
    [Fact]
    public async Task FlushAsync_TwoCallersAtOnce_BothReturnOnlyOnceRedisHasCountedTheWaitingAttempts()
    {
        using var proxy = new HoldingProxy(garnet.Endpoint);
        RedisSignalStoreOptions redisOptions = NodeOptions("flush-twice");
        RedisSignalStoreOptions throughProxy = NodeOptions("flush-twice", o => (o.Configuration, o.KeyPrefix) = (proxy.Endpoint, redisOptions.KeyPrefix));
        ConfigurationOptions configuration = RedisSignalStore.ToConfiguration(throughProxy);
        configuration.HeartbeatInterval = TimeSpan.FromMinutes(10);   // no pings of the client's own among the flush's commands
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        using var store = new RedisSignalStore(new MamoriOptions(), throughProxy, connection, new FakeTimeProvider(T0));
        await store.PrepareAsync();
        for (ulong i = 0; i < 3; i++) await store.ObserveAsync(Request(i, ObservationPhase.PreAuth, LoginOutcome.Success));
        Assert.Equal(3, store.WaitingAttempts);
        await proxy.PassThroughAsync();
        await connection.GetDatabase().PingAsync();

        long forwarded = proxy.Forwarded, issued = store.CommandsIssued;
        proxy.Hold();
        Task first = store.FlushAsync().AsTask(), second = store.FlushAsync().AsTask();
        await Task.WhenAny(Task.WhenAll(first, second), proxy.AllAnsweredAndHeldAsync(forwarded + (store.CommandsIssued - issued)));
        Assert.False(first.IsCompleted || second.IsCompleted, $"a flush returned with Redis' replies held back ({proxy})");
        await proxy.PassThroughAsync();
        await Task.WhenAll(first, second);

        Assert.Equal(0, store.WaitingAttempts);
        using Node other = await Node.StartAsync(redisOptions, new FakeTimeProvider(T0));
        Assert.Equal(4, (await other.Store.ObserveAsync(Request(9, ObservationPhase.PreAuth, LoginOutcome.Success))).Ip.Attempts);
    }

    /// <summary>
    /// The same claim without the store's own count: a proxy holds every reply until the test releases it, and the
    /// test releases once per observation, when everything the store has sent is answered. An observation that
    /// needed a second round trip would wait for a reply that never comes, and fail by the store's timeout.
    /// </summary>
    [Theory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task EachObservation_CompletesAfterOneReleaseOfReplies(RedisKeyLayout layout)
    {
        using var proxy = new HoldingProxy(garnet.Endpoint);
        var redisOptions = new RedisSignalStoreOptions
        {
            Configuration = proxy.Endpoint, KeyPrefix = "held-" + layout, Timeout = TimeSpan.FromSeconds(10), KeyLayout = layout,
        };
        ConfigurationOptions configuration = RedisSignalStore.ToConfiguration(redisOptions);
        configuration.HeartbeatInterval = TimeSpan.FromMinutes(10);   // no pings of the client's own among the observation's commands
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        using var store = new RedisSignalStore(new MamoriOptions(), redisOptions, connection);
        await store.PrepareAsync();
        await store.ObserveAsync(Request(50, ObservationPhase.PreAuth, LoginOutcome.Success));   // connection and scripts warm

        foreach ((ObservationPhase phase, LoginOutcome outcome) in new[]
        {
            (ObservationPhase.PreAuth, LoginOutcome.Success), (ObservationPhase.Outcome, LoginOutcome.WrongSecret),
            (ObservationPhase.PreAuth, LoginOutcome.Success), (ObservationPhase.Outcome, LoginOutcome.Success),
        })
        {
            // Everything sent before (the spread layout's writes that follow an answer without being waited for) is
            // answered first: a PING behind them on the same connection, with replies flowing.
            await proxy.PassThroughAsync();
            await connection.GetDatabase().PingAsync();
            long forwarded = proxy.Forwarded, issued = store.CommandsIssued;
            proxy.Hold();
            Task observation = store.ObserveAsync(Request(51, phase, outcome)).AsTask();
            // Everything the observation sends at once is issued before ObserveAsync returns; wait until all of it has
            // passed the proxy and been answered, however many writes it took to get there.
            await Task.WhenAny(observation, proxy.AllAnsweredAndHeldAsync(forwarded + (store.CommandsIssued - issued)));
            Assert.False(observation.IsCompleted, $"the observation finished with every reply held back ({proxy})");
            await proxy.ReleaseAsync();

            await observation;   // one release was enough: the store sent everything it waits for at once
        }
        await proxy.PassThroughAsync();   // the client's goodbye (QUIT) is answered at once
    }

    [Fact]
    public void AutoLayout_OnASingleServer_IsOneSlot()
    {
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), garnet.Endpoint);

        Assert.Equal(RedisKeyLayout.SingleSlot, store.Layout);
    }

    [SkippableFact]
    public async Task AutoLayout_OnACluster_SpreadsKeysOverEveryPrimary()
    {
        Skip.If(StoreFactory.RealCluster is null, StoreFactory.NoRealCluster);
        string prefix = "spread" + Guid.NewGuid().ToString("N")[..8];
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), StoreFactory.RealCluster!, o => o.KeyPrefix = prefix);
        foreach (Step step in Workload.Generate(600, seed: 12))
            if (step.Request is { } request) await store.ObserveAsync(request);

        using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync(StoreFactory.RealCluster!);
        IServer[] primaries = [.. admin.GetServers().Where(s => !s.IsReplica)];
        var perPrimary = new List<int>();
        foreach (IServer primary in primaries)
        {
            int keys = 0;
            await foreach (RedisKey _ in primary.KeysAsync(pattern: prefix + ":*")) keys++;
            perPrimary.Add(keys);
        }

        Assert.Equal(RedisKeyLayout.Spread, store.Layout);
        Assert.True(primaries.Length >= 3, $"expected the CI cluster's three primaries, found {primaries.Length}");
        Assert.All(perPrimary, keys => Assert.True(keys > 20, $"keys per primary: {string.Join(", ", perPrimary)}"));
    }

    [SkippableFact]
    public async Task SingleSlotLayout_OnACluster_KeepsEveryKeyOnOneShard()
    {
        Skip.If(StoreFactory.RealCluster is null, StoreFactory.NoRealCluster);
        string prefix = "oneslot" + Guid.NewGuid().ToString("N")[..8];
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), StoreFactory.RealCluster!, o => { o.KeyPrefix = prefix; o.KeyLayout = RedisKeyLayout.SingleSlot; });
        foreach (Step step in Workload.Generate(200, seed: 13))
            if (step.Request is { } request) await store.ObserveAsync(request);

        using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync(StoreFactory.RealCluster!);
        var perPrimary = new List<int>();
        foreach (IServer primary in admin.GetServers().Where(s => !s.IsReplica))
        {
            int keys = 0;
            await foreach (RedisKey _ in primary.KeysAsync(pattern: "{" + prefix + "}:*")) keys++;
            perPrimary.Add(keys);
        }

        Assert.Equal(1, perPrimary.Count(k => k > 0));   // what the spread layout exists for
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PopulationReachingItsDecayCount_HalvesEveryCellAndTheCount(bool realRedis)
    {
        Skip.If(realRedis && StoreFactory.RealRedis is null, StoreFactory.NoRealRedis);
        // CountMinSketch.Decay happens once per 50 M learned logins, out of any workload's reach: observe.lua's halving
        // (mode 5, "a learned login was counted") is driven directly on a small sketch.
        IDatabase database = StoreFactory.Database(realRedis ? StoreFactory.RealRedis! : garnet.Endpoint);
        string prefix = "{decay" + Guid.NewGuid().ToString("N")[..8] + "}:";
        const int Cells = 300;   // more than one batch of 128
        const uint DecayAt = 50_000_000;
        var global = new byte[11 * sizeof(double)];
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(global.AsSpan(10 * sizeof(double)), DecayAt - 1);
        await database.StringSetAsync(prefix + "g", global);
        for (int i = 0; i < Cells; i++)
            await database.ExecuteAsync("BITFIELD", (RedisKey)(prefix + "p"), "SET", "u32", "#" + i, 2 * i + 1);
        var parameters = new byte[3 * sizeof(uint)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(parameters, 5);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(parameters.AsSpan(4), DecayAt);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(parameters.AsSpan(8), Cells);

        await database.ScriptEvaluateAsync(RedisSignalStore.ObserveScript, [prefix + "g", prefix + "p"], [parameters]);

        byte[] after = (byte[])(await database.StringGetAsync(prefix + "g"))!;
        Assert.Equal(DecayAt / 2, System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(after.AsSpan(10 * sizeof(double))));
        for (int i = 0; i < Cells; i += 37)
        {
            var cell = (long)(await database.ExecuteAsync("BITFIELD_RO", (RedisKey)(prefix + "p"), "GET", "u32", "#" + i))[0];
            Assert.Equal(i, cell);   // (2i + 1) >> 1
        }
    }

    [Theory]
    [InlineData("redis://cache.internal:6380", "cache.internal:6380")]
    [InlineData("10.0.0.5:7000", "10.0.0.5:7000")]
    [InlineData("redis://10.0.0.5", "10.0.0.5:6379")]
    public void Configuration_AcceptsUrlsAndEndpoints(string configuration, string endpoint)
    {
        ConfigurationOptions parsed = RedisSignalStore.ToConfiguration(new RedisSignalStoreOptions { Configuration = configuration });

        Assert.Equal(endpoint, Format(Assert.Single(parsed.EndPoints)));
        Assert.False(parsed.AbortOnConnectFail);
        Assert.Equal(BacklogPolicy.FailFast, parsed.BacklogPolicy);
    }

    [Fact]
    public void InvalidOptions_AreAllNamedBeforeConnecting()
    {
        var bad = new RedisSignalStoreOptions { Configuration = garnet.Endpoint, KeyPrefix = "bad prefix{", Timeout = TimeSpan.FromMinutes(5), AttemptWait = TimeSpan.FromMinutes(2) };

        var error = Assert.Throws<ArgumentException>(() => RedisSignalStore.Connect(new MamoriOptions(), bad));

        Assert.Contains("KeyPrefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("Timeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("AttemptWait", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptStoredState_FailsTheCallAndChangesNothing()
    {
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), garnet.Endpoint, o => o.KeyPrefix = "corrupt");
        IDatabase database = StoreFactory.Database(garnet.Endpoint);
        await store.ObserveAsync(Request(1, ObservationPhase.PreAuth, LoginOutcome.Success));
        await store.ObserveAsync(Request(1, ObservationPhase.Outcome, LoginOutcome.WrongSecret));   // counts the attempt too
        RedisKey ipKey = (await AllKeysAsync("{corrupt}:s:")).First();
        string ipBefore = (await database.StringGetAsync(ipKey))!;
        string accountKey = "{corrupt}:a:" + 2UL.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        await database.StringSetAsync(accountKey, "1 2 three");   // neither the record length nor binary
        var error = await Assert.ThrowsAsync<SignalStoreUnavailableException>(() => store.ObserveAsync(Request(2, ObservationPhase.PreAuth, LoginOutcome.Success)).AsTask());

        Assert.Contains("corrupt signal state", error.Message, StringComparison.Ordinal);
        Assert.Equal(ipBefore, (string?)await database.StringGetAsync(ipKey));   // the address was not counted
        Assert.Equal("1 2 three", (string?)await database.StringGetAsync(accountKey));
    }

    [Theory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task AccountWrittenBeforeTheLastCountryWasKept_ReadsAsNoneKnown_AndLearnsOne(RedisKeyLayout layout)
    {
        string prefix = "before-travel-" + layout;
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), garnet.Endpoint, o => { o.KeyPrefix = prefix; o.KeyLayout = layout; });
        IDatabase database = StoreFactory.Database(garnet.Endpoint);
        SignalRequest success = Request(3, ObservationPhase.Outcome, LoginOutcome.Success) with { Country = Network.CountryLocations.Pack("JP") };
        await store.ObserveAsync(Request(3, ObservationPhase.PreAuth, LoginOutcome.Success));
        await store.ObserveAsync(success);
        RedisKey accountKey = (await AllKeysAsync(layout == RedisKeyLayout.Spread ? prefix + ":a:" : "{" + prefix + "}:a:")).Single();
        byte[] current = (await database.StringGetAsync(accountKey))!;
        // The record as the store before this version wrote it: the same 456 bytes without the last two words.
        await database.StringSetAsync(accountKey, current.AsSpan(0, 456).ToArray(), TimeSpan.FromDays(1));

        SignalSnapshot read = await store.ObserveAsync(Request(3, ObservationPhase.PreAuth, LoginOutcome.Success) with { At = T0.AddMinutes(30) });
        await store.ObserveAsync(success with { At = T0.AddMinutes(30) });
        SignalSnapshot learned = await store.ObserveAsync(Request(3, ObservationPhase.PreAuth, LoginOutcome.Success) with { At = T0.AddMinutes(40) });

        Assert.Equal(468, current.Length);
        Assert.Equal(1, read.Familiarity.History);   // the rest of the old record reads as it did
        Assert.Equal(0, read.Familiarity.LastCountry);
        Assert.Equal(Network.CountryLocations.Pack("JP"), learned.Familiarity.LastCountry);
        Assert.Equal(10, learned.Familiarity.MinutesSinceLastCountry);
        Assert.Equal(468, ((byte[])(await database.StringGetAsync(accountKey))!).Length);
    }

    [Theory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task AccountWrittenBeforeItsFailureAddressesWereKept_ReadsAsFailedFromEveryAddress_UntilItsUserGetsIn(RedisKeyLayout layout)
    {
        string prefix = "before-addresses-" + layout;
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), garnet.Endpoint, o => { o.KeyPrefix = prefix; o.KeyLayout = layout; });
        IDatabase database = StoreFactory.Database(garnet.Endpoint);
        SignalRequest elsewhere = Request(4, ObservationPhase.PreAuth, LoginOutcome.Success);
        elsewhere = elsewhere with { Keys = elsewhere.Keys with { Ip = OtherAddress(elsewhere.Keys.Ip) } };
        await store.ObserveAsync(Request(4, ObservationPhase.PreAuth, LoginOutcome.WrongSecret));
        await store.ObserveAsync(Request(4, ObservationPhase.Outcome, LoginOutcome.WrongSecret));
        RedisKey accountKey = (await AllKeysAsync(layout == RedisKeyLayout.Spread ? prefix + ":a:" : "{" + prefix + "}:a:")).Single();
        byte[] current = (await database.StringGetAsync(accountKey))!;
        SignalSnapshot known = await store.ObserveAsync(elsewhere with { At = T0.AddMinutes(10) });
        // The record as the store before this version wrote it: the same 464 bytes without the last word.
        await database.StringSetAsync(accountKey, current.AsSpan(0, 464).ToArray(), TimeSpan.FromDays(1));

        SignalSnapshot old = await store.ObserveAsync(elsewhere with { At = T0.AddMinutes(20) });
        await store.ObserveAsync(elsewhere with { At = T0.AddMinutes(20), Phase = ObservationPhase.Outcome });   // its user gets in
        SignalSnapshot after = await store.ObserveAsync(elsewhere with { At = T0.AddMinutes(30) });

        Assert.Equal(468, current.Length);
        Assert.False(known.AccountFailedFromThisAddress);   // the failure came from the other address
        Assert.True(old.AccountFailedFromThisAddress);   // nobody knew where from: as the store before this version counted it
        Assert.Equal(1, old.AccountUnfamiliarFailuresSinceSuccess);
        Assert.False(after.AccountFailedFromThisAddress);
        Assert.Equal(468, ((byte[])(await database.StringGetAsync(accountKey))!).Length);
    }

    [Theory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task AccountWrittenWithOnePendingEnvironment_CountsItOn_AsItsFirstSlot(RedisKeyLayout layout)
    {
        // A node upgraded while an environment waits: the older node wrote it as one 64-bit key, its last day and days.
        string prefix = "one-pending-" + layout;
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), garnet.Endpoint, o => { o.KeyPrefix = prefix; o.KeyLayout = layout; });
        IDatabase database = StoreFactory.Database(garnet.Endpoint);
        const ulong phone = 0x4444_0000_0000_0007, laptop = 0x6666_0000_0000_0009;
        SignalRequest Pending(ulong account, ulong device, DateTimeOffset at)
        {
            SignalRequest r = Request(account, ObservationPhase.Outcome, LoginOutcome.Success);
            return r with { Keys = r.Keys with { Device = device }, At = at, Learn = LearnMode.Pending };
        }
        string accounts = layout == RedisKeyLayout.Spread ? prefix + ":a:" : "{" + prefix + "}:a:";
        async Task<byte[]> WrittenByTheOlderNodeAsync(ulong account, ulong environment)
        {
            var before = (await AllKeysAsync(accounts)).ToHashSet();
            await store.ObserveAsync(Pending(account, laptop, T0));   // some pending state, rewritten below
            RedisKey key = (await AllKeysAsync(accounts)).Single(k => !before.Contains(k));   // (spread keys are hashed)
            byte[] record = (await database.StringGetAsync(key))!;
            // Words 18-21: the environment's high and low halves, its last day, its days (no marker bit above them).
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(68), (uint)(environment >> 32));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(72), (uint)environment);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(76), (uint)(T0.ToUnixTimeSeconds() / 86_400));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(80), 1);
            await database.StringSetAsync(key, record, TimeSpan.FromDays(1));
            return record;
        }
        await WrittenByTheOlderNodeAsync(21, phone);
        await WrittenByTheOlderNodeAsync(22, laptop);

        // The phone succeeds again the next day on both accounts: account 21 was waiting for it, account 22 for another.
        await store.ObserveAsync(Pending(21, phone, T0.AddDays(1)));
        await store.ObserveAsync(Pending(22, phone, T0.AddDays(1)));
        SignalSnapshot waited = await store.ObserveAsync(Request(21, ObservationPhase.PreAuth, LoginOutcome.Success) with { At = T0.AddDays(1).AddMinutes(1) });
        SignalSnapshot other = await store.ObserveAsync(Request(22, ObservationPhase.PreAuth, LoginOutcome.Success) with { At = T0.AddDays(1).AddMinutes(1) });

        Assert.Equal(1, waited.Familiarity.History);   // its second day: learned, the count went on
        Assert.Equal(0, other.Familiarity.History);    // a new environment beside the laptop's: it waits too
    }

    /// <summary>An address whose bit among an account's failure addresses is not <paramref name="ip"/>'s.</summary>
    private static ulong OtherAddress(ulong ip)
    {
        ulong other = ip + 0x100;
        while (AccountRecord.AddressBit(other) == AccountRecord.AddressBit(ip)) other += 0x100;
        return other;
    }

    [Theory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task SourceWrittenBeforeItsPreviousGenerationWasKept_ReadsAsNoneKept_AndKeepsOneFromThen(RedisKeyLayout layout)
    {
        string prefix = "before-long-" + layout;
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), garnet.Endpoint, o => { o.KeyPrefix = prefix; o.KeyLayout = layout; });
        IDatabase database = StoreFactory.Database(garnet.Endpoint);
        TimeSpan half = new MamoriOptions().SharedAddress.Window / 2;
        await store.ObserveAsync(Request(1, ObservationPhase.PreAuth, LoginOutcome.Success));
        await store.ObserveAsync(Request(1, ObservationPhase.Outcome, LoginOutcome.WrongSecret));
        List<RedisKey> sources = await AllKeysAsync(layout == RedisKeyLayout.Spread ? prefix + ":s:" : "{" + prefix + "}:s:");
        Assert.Equal(2, sources.Count);   // the address and its /24
        foreach (RedisKey key in sources)
        {
            byte[] current = (await database.StringGetAsync(key))!;
            Assert.Equal(96, current.Length);
            // The record as the store before this version wrote it: the same fields without the last two words.
            await database.StringSetAsync(key, current.AsSpan(0, 88).ToArray(), TimeSpan.FromDays(1));
        }

        SignalSnapshot read = await store.ObserveAsync(Request(2, ObservationPhase.PreAuth, LoginOutcome.Success) with { At = T0.AddMinutes(30) });
        SignalSnapshot rolled = await store.ObserveAsync(Request(3, ObservationPhase.PreAuth, LoginOutcome.Success) with { At = T0 + half });

        Assert.Equal(2, read.Ip.BaselineAttempts);   // the old record's count, and this attempt
        Assert.Equal(0.5, read.Ip.BaselineFailureRatio, 6);
        Assert.Equal(3, rolled.Ip.BaselineAttempts);   // a generation later the old count is the previous one, kept whole
        Assert.Equal(1 / 3.0, rolled.Ip.BaselineFailureRatio, 6);
        await store.SendWaitingAttemptsAsync();   // the pre-auths only read; their attempts, sent alone, rewrite the records
        foreach (RedisKey key in sources) Assert.Equal(96, ((byte[])(await database.StringGetAsync(key))!).Length);
    }

    [Fact]
    public async Task ServerForgotTheScripts_NextCallSendsItAgainAndCounts()
    {
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), garnet.Endpoint, o => o.KeyPrefix = "noscript");
        await store.ObserveAsync(Request(1, ObservationPhase.PreAuth, LoginOutcome.Success));
        using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync(garnet.Endpoint + ",allowAdmin=true");
        await admin.GetServer(admin.GetEndPoints()[0]).ScriptFlushAsync();   // as a restarted or flushed server would

        SignalSnapshot snapshot = await store.ObserveAsync(Request(2, ObservationPhase.PreAuth, LoginOutcome.Success));

        Assert.Equal(2, snapshot.Ip.Attempts);   // the call ran (by EVAL) and saw the first one
        Assert.True(store.IsAvailable);
    }

    [Theory]
    [InlineData(RedisKeyLayout.SingleSlot)]
    [InlineData(RedisKeyLayout.Spread)]
    public async Task IdleState_CarriesATimeToLive(RedisKeyLayout layout)
    {
        string prefix = "ttl" + (int)layout;
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), garnet.Endpoint, o => { o.KeyPrefix = prefix; o.KeyLayout = layout; });
        IDatabase database = StoreFactory.Database(garnet.Endpoint);
        await store.ObserveAsync(Request(1, ObservationPhase.Outcome, LoginOutcome.WrongSecret));
        await store.ObserveAsync(Request(1, ObservationPhase.Outcome, LoginOutcome.Success));
        await store.ObserveAsync(Request(2, ObservationPhase.PreAuth, LoginOutcome.Success));

        List<RedisKey> keys = [.. await AllKeysAsync("{" + prefix + "}:"), .. layout == RedisKeyLayout.Spread ? await AllKeysAsync(prefix + ":") : []];
        Assert.Contains(keys, k => k.ToString().Contains(":a:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.ToString().Contains(":x:", StringComparison.Ordinal));
        foreach (RedisKey key in keys)
        {
            TimeSpan? ttl = await database.KeyTimeToLiveAsync(key);
            if (key.ToString().EndsWith(":g", StringComparison.Ordinal) || key.ToString().EndsWith(":p", StringComparison.Ordinal))
                Assert.Null(ttl);   // fixed-size, one per deployment
            else
                Assert.True(ttl is not null, $"{key} has no time to live");
        }
    }

    [Fact]
    public async Task CorruptStoredStateInTheSpreadLayout_FailsTheCall()
    {
        using RedisSignalStore store = StoreFactory.Create(new MamoriOptions(), garnet.Endpoint, o => { o.KeyPrefix = "corrupt-spread"; o.KeyLayout = RedisKeyLayout.Spread; });
        IDatabase database = StoreFactory.Database(garnet.Endpoint);
        await database.StringSetAsync("corrupt-spread:a:{" + 2UL.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + "}", "1 2 three");

        var error = await Assert.ThrowsAsync<SignalStoreUnavailableException>(() => store.ObserveAsync(Request(2, ObservationPhase.PreAuth, LoginOutcome.Success)).AsTask());

        Assert.Contains("corrupt signal state", error.Message, StringComparison.Ordinal);
    }

    private async Task<List<RedisKey>> AllKeysAsync(string prefix)
    {
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(garnet.Endpoint);
        var keys = new List<RedisKey>();
        await foreach (RedisKey key in connection.GetServer(connection.GetEndPoints()[0]).KeysAsync(pattern: prefix.Replace("{", "\\{").Replace("}", "\\}") + "*"))
            keys.Add(key);
        return keys;
    }

    private static string Format(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        System.Net.IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        _ => endpoint.ToString()!,
    };

    /// <summary>Options for a deployment of its own on the Garnet server: a fresh prefix starting with <paramref name="name"/>.</summary>
    private RedisSignalStoreOptions NodeOptions(string name, Action<RedisSignalStoreOptions>? configure = null)
    {
        var options = new RedisSignalStoreOptions { Configuration = garnet.Endpoint, KeyPrefix = name + "-" + Guid.NewGuid().ToString("N")[..8], Timeout = TimeSpan.FromSeconds(5) };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A node of the deployment: its own connection and store, prepared (scripts loaded, population read).</summary>
    private sealed class Node(ConnectionMultiplexer connection, RedisSignalStore store) : IDisposable
    {
        public RedisSignalStore Store { get; } = store;

        public static async Task<Node> StartAsync(RedisSignalStoreOptions options, TimeProvider time, MamoriOptions? mamori = null)
        {
            ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(RedisSignalStore.ToConfiguration(options));
            var store = new RedisSignalStore(mamori ?? new MamoriOptions(), options, connection, time);
            await store.PrepareAsync();
            return new Node(connection, store);
        }

        public void Dispose()
        {
            Store.Dispose();
            connection.Dispose();
        }
    }

    private static SignalRequest Request(ulong account, ObservationPhase phase, LoginOutcome outcome) => new()
    {
        Keys = new SignalKeys { Account = account, Ip = 0x0A00_0001_0000_0001, Subnet = 0x0A00_0000_0000_0001, Browser = 1, Os = 2, Secret = 0x5555_0000_0000_0001 + account, TenantSecret = 0x5555_0000_0000_0001 + account },
        At = T0,
        Phase = phase,
        Outcome = outcome,
        Learn = outcome == LoginOutcome.Success ? LearnMode.Learn : LearnMode.None,
    };
}
