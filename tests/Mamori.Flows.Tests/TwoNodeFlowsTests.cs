using System.Text.Json;
using System.Text.RegularExpressions;
using Mamori.Flows.Factors;
using Mamori.Flows.Security;
using Mamori.Flows.Storage;
using Mamori.Flows.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Mamori.Flows.Tests;

/// <summary>
/// Two flows apps on one PostgreSQL schema and one flows.key, as two <c>mamori serve --db postgres://…</c> nodes behind
/// a load balancer that does not route an account's calls to one node: what one node did, the other must see.
/// </summary>
public sealed partial class TwoNodeFlowsTests : IAsyncDisposable
{
    private PostgresSchema? _schema;
    private TestApp? _a, _b;
    private GatedFactorStore? _gateA, _gateB;

    /// <param name="gated">Puts a <see cref="GatedFactorStore"/> in front of each node's store (<c>_gateA</c>, <c>_gateB</c>).</param>
    private async Task<(TestApp A, TestApp B)> NodesAsync(bool gated = false)
    {
        Skip.If(PostgresSchema.SkipReason is not null, PostgresSchema.SkipReason);
        _schema = new PostgresSchema();
        string db = _schema.ConnectionString;
        _a = await TestApp.StartAsync(services: s =>
        {
            s.AddMamoriFlowsPostgres(db);
            if (gated) s.AddSingleton<IFactorStore>(sp => _gateA = new GatedFactorStore(() => sp.GetRequiredService<PostgresFlowStore>()));
        });
        _ = _a.Service<FlowKeys>();   // writes A's flows.key, which the operator copies to every node
        string key = Path.Combine(_a.DataDirectory, FlowsServiceCollectionExtensions.KeyFileName);
        _b = await TestApp.StartAsync(o =>
        {
            Directory.CreateDirectory(o.DataDirectory);
            File.Copy(key, Path.Combine(o.DataDirectory, FlowsServiceCollectionExtensions.KeyFileName));
        }, services: s =>
        {
            s.AddMamoriFlowsPostgres(db);
            if (gated) s.AddSingleton<IFactorStore>(sp => _gateB = new GatedFactorStore(() => sp.GetRequiredService<PostgresFlowStore>()));
        });
        _ = _a.Service<IFactorStore>();
        _ = _b.Service<IFactorStore>();
        return (_a, _b);
    }

    public async ValueTask DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        _schema?.Dispose();
    }

    private static void Advance(TestApp a, TestApp b, TimeSpan by)
    {
        a.Time.Advance(by);
        b.Time.Advance(by);
    }

    private static async Task<byte[]> EnrollTotpAsync(TestApp app, string account)
    {
        JsonElement enrolled = await app.PostAsync($"/v1/accounts/{account}/factors/totp", new { }, 201);
        return Base32Encoding.ToBytes(System.Web.HttpUtility.ParseQueryString(new Uri(enrolled.Str("otpauth_uri")).Query)["secret"]!);
    }

    private static string Code(TestApp app, byte[] secret, int stepOffset = 0) =>
        new Totp(secret).ComputeTotp(app.Time.GetUtcNow().UtcDateTime.AddSeconds(30 * stepOffset));

    /// <summary>A code no step within the accepted drift gives.</summary>
    private static string WrongCode(TestApp app, byte[] secret) =>
        new[] { "000000", "000001", "000002", "000003" }.First(c => c != Code(app, secret, -1) && c != Code(app, secret) && c != Code(app, secret, 1));

    private static SharedVerificationLimiter Limiter(TestApp node) => (SharedVerificationLimiter)node.Service<IVerificationLimiter>();

    [SkippableFact]
    public async Task TotpEnrolledAndVerifiedOnA_IsAFreshStepUpOnB()
    {
        (TestApp a, TestApp b) = await NodesAsync();
        await Stories.StepUpAsync(a, "wallet-1");

        JsonElement link = await b.PostAsync("/v1/links", Stories.LinkBody("wallet-1", "1234567", "ﾀﾅｶ ﾊﾅｺ", Stories.Proof("タナカ ハナコ")), 201);

        Assert.Equal("allow", link.Str("decision"));
        Assert.Contains("step_up_fresh", link.Reasons());
        Assert.False(File.Exists(Path.Combine(a.DataDirectory, a.Options.DatabasePath)), "no flows.db when the flows are on PostgreSQL");
    }

    [SkippableFact]
    public async Task TotpEnrolledOnA_VerifiesOnB_AndTheCodeUsedThereIsRefusedOnA()
    {
        (TestApp a, TestApp b) = await NodesAsync();
        byte[] secret = await EnrollTotpAsync(a, "alice");
        string code = Code(a, secret);

        JsonElement onB = await b.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code });
        JsonElement replayOnA = await a.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code });

        Assert.True(onB.GetProperty("verified").GetBoolean());   // B read the seed sealed by A's key: the shared flows.key
        Assert.False(replayOnA.GetProperty("verified").GetBoolean());
        Assert.Equal("code_reused", replayOnA.Str("reason"));
    }

    [SkippableFact]
    public async Task LinksMadeOnA_CountAgainstTheWalletCapOnB()
    {
        (TestApp a, TestApp b) = await NodesAsync();
        foreach (string wallet in new[] { "wallet-1", "wallet-2", "wallet-3" }) await Stories.StepUpAsync(a, wallet);
        await a.PostAsync("/v1/links", Stories.LinkBody("wallet-1", "1234567", "ﾀﾅｶ ﾊﾅｺ", Stories.Proof("タナカ ハナコ")), 201);
        await a.PostAsync("/v1/links", Stories.LinkBody("wallet-2", "1234567", "ﾀﾅｶ ﾊﾅｺ", Stories.Proof("タナカ ハナコ")), 201);

        JsonElement third = await b.PostAsync("/v1/links", Stories.LinkBody("wallet-3", "1234567", "ﾀﾅｶ ﾊﾅｺ", Stories.Proof("タナカ ハナコ")));
        JsonElement again = await b.PostAsync("/v1/links", Stories.LinkBody("wallet-1", "1234567", "ﾀﾅｶ ﾊﾅｺ", Stories.Proof("タナカ ハナコ")));

        Assert.Equal("deny", third.Str("decision"));
        Assert.Contains("bank_account_wallet_cap", third.Reasons());
        Assert.Contains("already_linked", again.Reasons());
    }

    [SkippableFact]
    public async Task ParallelLinksFromSixWalletsSplitAcrossBothNodes_NeverPassTheWalletCap()
    {
        (TestApp a, TestApp b) = await NodesAsync();
        string[] wallets = [.. Enumerable.Range(1, 6).Select(i => $"wallet-{i}")];
        foreach (string wallet in wallets) await Stories.StepUpAsync(a, wallet);
        Assert.Equal(2, a.Options.MaxWalletsPerBankAccount);

        JsonElement[] decisions = await Task.WhenAll(wallets.Select((wallet, i) => Task.Run(async () =>
        {
            TestApp node = i % 2 == 0 ? a : b;
            using HttpResponseMessage response = await node.Client.PostAsync("/v1/links", JsonContent(
                Stories.LinkBody(wallet, "1234567", "ﾀﾅｶ ﾊﾅｺ", Stories.Proof("タナカ ハナコ"))));
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        })));

        Assert.Equal(2, decisions.Count(d => d.Str("decision") == "allow"));
        Assert.Equal(4, decisions.Count(d => d.Reasons().Contains("bank_account_wallet_cap")));
        Assert.Equal(2, (await b.Service<ILinkStore>().ListLinksToBankAccountAsync("0005", "1234567", 10, CancellationToken.None)).Count);
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    [SkippableFact]
    public async Task ChargesThroughBothNodes_ShareTheCoolOffLimit()
    {
        (TestApp a, TestApp b) = await NodesAsync();
        await Stories.StepUpAsync(a, "wallet-1");
        string link = (await a.PostAsync("/v1/links", Stories.LinkBody("wallet-1", "1234567", "ﾀﾅｶ ﾊﾅｺ", Stories.Proof("タナカ ハナコ")), 201)).Str("link_id");
        long limit = a.Options.CoolOffChargeLimit;

        JsonElement[] charges = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            using HttpResponseMessage response = await (i % 2 == 0 ? a : b).Client.PostAsync($"/v1/links/{link}/charges", JsonContent(new { amount = limit / 2 }));
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        })));

        Assert.Equal(2, charges.Count(c => c.Str("decision") == "allow"));
        Assert.Equal(limit, await a.Service<ILinkStore>().SumBankAccountChargesAsync("0005", "1234567", TestApp.Start, CancellationToken.None));
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    [SkippableFact]
    public async Task CodeSentFromA_VerifiesOnB_AndADestinationHeldOnB_IsHeldOnA()
    {
        (TestApp a, TestApp b) = await NodesAsync();
        await a.PostAsync("/v1/accounts/acct/changes", new { kind = "contact", contact = new { channel = "email", address = "owner@example.jp" } });
        string challenge = (await a.PostAsync("/v1/accounts/acct/factors/one-time-code", new { }, 201)).Str("challenge_id");
        string code = SixDigits().Match(a.Channel.Messages.Last(m => m.Subject == "Your verification code").Body).Value;
        Assert.True((await b.PostAsync("/v1/accounts/acct/factors/one-time-code/verify", new { challenge_id = challenge, code })).GetProperty("verified").GetBoolean());

        JsonElement added = await b.PostAsync("/v1/accounts/acct/withdrawal-destinations",
            new { bank = "0009", bank_account = "9999999", holder_name = "ｽｽﾞｷ ｲﾁﾛｳ", identity = Stories.Proof("スズキイチロウ") });
        Assert.Equal("hold", added.Str("decision"));
        string id = added.Str("destination_id");

        JsonElement early = await a.PostAsync("/v1/accounts/acct/withdrawals", new { destination_id = id, amount = 1_000_000 });
        Advance(a, b, TimeSpan.FromHours(72));
        JsonElement later = await a.PostAsync("/v1/accounts/acct/withdrawals", new { destination_id = id, amount = 1_000_000 });

        Assert.Equal("deny", early.Str("decision"));
        Assert.Contains("destination_on_hold", early.Reasons());
        Assert.Equal("allow", later.Str("decision"));
    }

    [SkippableFact]
    public async Task PasskeyRegistrationBegunOnA_IsPendingOnB_AndCanBeTakenThereOnlyOnce()
    {
        (TestApp a, TestApp b) = await NodesAsync();
        using HttpResponseMessage response = await a.Client.PostAsync("/v1/accounts/alice/factors/webauthn/registration/options", JsonContent(new { }));
        string options = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, options);

        // What B's registration endpoint does first with the credential the browser posts to it.
        string? pendingOnB = await b.Service<IWebAuthnCeremonyStore>().TryTakeWebAuthnCeremonyAsync("alice", WebAuthnFactors.Registration,
            b.Time.GetUtcNow(), CancellationToken.None);
        string? againOnA = await a.Service<IWebAuthnCeremonyStore>().TryTakeWebAuthnCeremonyAsync("alice", WebAuthnFactors.Registration,
            a.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(options, pendingOnB);
        Assert.Equal(
            JsonDocument.Parse(options).RootElement.GetProperty("challenge").GetString(),
            Fido2NetLib.CredentialCreateOptions.FromJson(pendingOnB!).Challenge is { } challenge ? Base64Url(challenge) : null);
        Assert.Null(againOnA);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [SkippableFact]
    public async Task WrongCodesAlternatedBetweenNodes_AreBlockedAfterFiveInTotal_NotFivePerNode()
    {
        (TestApp a, TestApp b) = await NodesAsync();
        byte[] secret = await EnrollTotpAsync(a, "alice");
        string wrong = WrongCode(a, secret);

        for (int i = 0; i < 5; i++)
            Assert.Equal("factor_rejected", (await (i % 2 == 0 ? a : b).PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = wrong })).Str("reason"));

        await b.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = wrong }, 429);
        await a.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = wrong }, 429);
        await b.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = Code(b, secret) }, 429);   // whatever the code
    }

    [SkippableFact]
    public async Task TwoHundredWrongCodesAtOnceSplitAcrossBothNodes_OnlyFiveAreChecked()
    {
        (TestApp a, TestApp b) = await NodesAsync(gated: true);
        byte[] secret = await EnrollTotpAsync(a, "alice");
        string wrong = WrongCode(a, secret);
        DateTimeOffset now = a.Time.GetUtcNow();
        // Ready when five guesses are checking their code at the closed gates and the 195 others all wait for them: a
        // limit counted per node would let ten through to the gates, and never get there.
        int held = 0, waiting = 0;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check() { if (Volatile.Read(ref held) == 5 && Volatile.Read(ref waiting) == 195) ready.TrySetResult(); }
        foreach (GatedFactorStore gate in new[] { _gateA!, _gateB! }) gate.ReadHeld += () => { Interlocked.Increment(ref held); Check(); };
        foreach (TestApp node in new[] { a, b }) Limiter(node).WaitStarted += () => { Interlocked.Increment(ref waiting); Check(); };
        _gateA!.Close();
        _gateB!.Close();

        Task<VerifyOutcome>[] guesses = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            (await (i % 2 == 0 ? a : b).Service<TotpFactors>().VerifyAsync("alice", wrong, now, default)).Outcome)).ToArray();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        _gateA.Release();
        _gateB.Release();
        VerifyOutcome[] outcomes = await Polls.PumpAsync(guesses, a, b);

        Assert.Equal(5, outcomes.Count(o => o == VerifyOutcome.Rejected));
        Assert.Equal(195, outcomes.Count(o => o == VerifyOutcome.RateLimited));
        Assert.Equal(5, held);
    }

    [SkippableFact]
    public async Task AGoodCodeSentToBothNodesAtTheLastFreeAttempt_VerifiesOnce_AndItsTwinIsReused_Not429()
    {
        (TestApp a, TestApp b) = await NodesAsync(gated: true);
        byte[] secret = await EnrollTotpAsync(a, "alice");
        string wrong = WrongCode(a, secret);
        for (int i = 0; i < 4; i++) await (i % 2 == 0 ? a : b).PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = wrong });
        string code = Code(a, secret);
        DateTimeOffset now = a.Time.GetUtcNow();
        var checkingOnA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waitingOnB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gateA!.ReadHeld += () => checkingOnA.TrySetResult();
        Limiter(b).WaitStarted += () => waitingOnB.TrySetResult();
        _gateA.Close();
        _gateB!.Close();

        Task<TotpVerification> first = a.Service<TotpFactors>().VerifyAsync("alice", code, now, default);
        await checkingOnA.Task.WaitAsync(TimeSpan.FromSeconds(30));   // A holds the account's last free attempt
        Task<TotpVerification> twin = b.Service<TotpFactors>().VerifyAsync("alice", code, now, default);
        await waitingOnB.Task.WaitAsync(TimeSpan.FromSeconds(30));    // B's twin waits for it instead of being refused
        _gateA.Release();
        _gateB.Release();
        TotpVerification[] both = await Polls.PumpAsync([first, twin], a, b);

        Assert.Equal([VerifyOutcome.Verified, VerifyOutcome.Reused], both.Select(v => v.Outcome).ToArray());
        // Neither counted: the success forgave the four failures and the twin gave its attempt back.
        for (int i = 0; i < 5; i++)
            Assert.Equal("factor_rejected", (await (i % 2 == 0 ? b : a).PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = wrong })).Str("reason"));
        await a.PostAsync("/v1/accounts/alice/factors/totp/verify", new { code = wrong }, 429);
    }

    [SkippableFact]
    public async Task CodesRequestedThroughBothNodes_AreOnePerIntervalAndTenAnHour_AndParallelRequestsSendOne()
    {
        (TestApp a, TestApp b) = await NodesAsync();
        await a.PostAsync("/v1/accounts/acct/changes", new { kind = "contact", contact = new { channel = "sms", address = "+81-90-0000-0000" } });
        const string send = "/v1/accounts/acct/factors/one-time-code";
        TimeSpan interval = a.Options.OneTimeCodeSendInterval;
        int Sent() => new[] { a, b }.Sum(n => n.Channel.Messages.Count(m => m.Subject == "Your verification code"));

        await a.PostAsync(send, new { }, 201);
        using (HttpResponseMessage limited = await b.Client.PostAsync(send, JsonContent(new { })))
        {
            Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(interval, limited.Headers.RetryAfter!.Delta);
            Assert.Equal("send_limited", JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement.Str("reason"));
        }
        for (int i = 1; i < 10; i++)
        {
            Advance(a, b, interval);
            await (i % 2 == 0 ? a : b).PostAsync(send, new { }, 201);
        }
        Advance(a, b, interval);
        using (HttpResponseMessage capped = await a.Client.PostAsync(send, JsonContent(new { })))
        {
            Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, capped.StatusCode);
            Assert.Equal(TimeSpan.FromHours(1) - 10 * interval, capped.Headers.RetryAfter!.Delta);   // when the first leaves the hour
        }
        Assert.Equal(10, Sent());

        Advance(a, b, TimeSpan.FromHours(1));
        HttpResponseMessage[] parallel = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).Client.PostAsync(send, JsonContent(new { })))));

        Assert.Equal(1, parallel.Count(r => r.StatusCode == System.Net.HttpStatusCode.Created));
        Assert.Equal(9, parallel.Count(r => r.StatusCode == System.Net.HttpStatusCode.TooManyRequests));
        Assert.Equal(11, Sent());
        foreach (HttpResponseMessage r in parallel) r.Dispose();
    }
}
