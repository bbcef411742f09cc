using System.Globalization;
using System.Text;
using System.Text.Json;
using Mamori.Server.Hosting;
using Mamori.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Server.Tests;

/// <summary>
/// Headless Chromium (Debian's package) against the real server — the host <c>mamori serve</c> builds, from
/// <see cref="MamoriServerHost.CreateBuilder"/>, on Kestrel at 127.0.0.1 — driving the analyst's dashboard end to end:
/// sign in, watch a spray posted to <c>/v1/login/events</c> open a campaign live, open it, export STIX, then act on an
/// account (trust a device, require a step-up, freeze a funding link). A screenshot of each page goes to
/// <c>artifacts/dashboard/</c> at the repository root.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string AdminKey = "dashboard-browser-admin-key-0123456789";
    private const string Alice = "alice@example.jp";
    private static readonly float Patience = 30_000;   // ms a UI change may take on a loaded CI machine: a hang guard, not a speed check

    [SkippableFact]
    public async Task Analyst_OnTheRealServer_SeesSprayLive_ExportsStix_AndActsOnAnAccount()
    {
        Skip.IfNot(File.Exists(Chromium), NoChromium);
        string shots = ArtifactFolder();
        output.WriteLine($"screenshots: {shots}");
        await WithServerAsync((app, baseAddress) => RunAsync(app, baseAddress, shots));
    }

    [SkippableFact]
    public async Task Dashboard_SurvivesBadAddressesLongNamesAndErrors_AndSpeaksJapanese()
    {
        Skip.IfNot(File.Exists(Chromium), NoChromium);
        await WithServerAsync(async (_, baseAddress) =>
        {
            using HttpClient api = AdminApi(baseAddress);
            string longName = new string('x', 240) + "@example.jp";   // no break point anywhere in it
            await PostEventsAsync(api, Enumerable.Range(0, 20).Select(SprayAttempt));
            // In a request of its own: a batch's decisions reach the feed as their commits end, in no set order, and on a
            // busy machine (commits past their timeout) the last event of a batch could fall outside the latest 15.
            await PostEventsAsync(api, [WrongSecret(longName)]);

            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await LaunchAsync(playwright);
            IPage page = await OpenPageAsync(browser);
            var pageErrors = new List<string>();
            page.PageError += (_, e) => pageErrors.Add(e);
            await page.GotoAsync(baseAddress.ToString());
            await page.GetByLabel("Admin API key").FillAsync(AdminKey);
            await page.Keyboard.PressAsync("Enter");

            // Every outcome of the hour is a failure and there is no baseline yet: the card is red all the same.
            await Expect(page.Locator(".card", new() { HasText = "Failure rate" })).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\balert\b"));
            ILocator spray = page.Locator("#campaigns tbody tr", new() { HasText = "password spray" });
            await Expect(spray).ToBeVisibleAsync();
            await Expect(page.Locator("#campaigns thead")).ToContainTextAsync("Top /24s (IPv6 /48s)");
            ILocator latest = page.Locator("table", new() { HasText = "Latest decisions" }).Locator("tbody");
            await Expect(latest).ToContainTextAsync("UTC");   // times say their zone, as the exports do
            await Expect(latest).ToContainTextAsync("wrong password");
            await Expect(latest).ToContainTextAsync(longName);
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
                "a long account name widened the page");

            // A malformed escape in the address is a not-found page, not an exception.
            await page.GotoAsync(baseAddress + "#/account/100%real");
            await Expect(page.Locator("#not-found")).ToBeVisibleAsync();
            Assert.Empty(pageErrors);

            // An id the server never saw is said to be unknown, not shown as a quiet account with empty tables.
            await page.GotoAsync(baseAddress + "#/account/nobody-ever-logged-in");
            await Expect(page.Locator("#account-unknown")).ToContainTextAsync("No record of this account");

            // A refused filter says which field and why, not only "Invalid request".
            await page.GotoAsync(baseAddress + "#/feed?ip=999.1.1.1");
            await Expect(page.Locator("#status")).ToContainTextAsync("ip: ");

            // Japanese: the campaign kind, the outcome and the decision are translated.
            await page.GotoAsync(baseAddress + "#/overview");
            await page.GetByRole(AriaRole.Button, new() { Name = "日本語" }).ClickAsync();
            await Expect(page.Locator("#campaigns tbody tr", new() { HasText = "パスワードスプレー" })).ToBeVisibleAsync();
            ILocator latestJa = page.Locator("table", new() { HasText = "最新の判定" }).Locator("tbody");
            await Expect(latestJa).ToContainTextAsync("パスワード誤り");
            await Expect(latestJa).Not.ToContainTextAsync("wrong_secret");
            Assert.Empty(pageErrors);
        });
    }

    [SkippableFact]
    public async Task TenantsAccount_OpensFromTheFeed_AndItsActionsKeepTheTenant()
    {
        Skip.IfNot(File.Exists(Chromium), NoChromium);
        await WithServerAsync(async (app, baseAddress) =>
        {
            using HttpClient api = AdminApi(baseAddress);
            // kenji exists only in bank-a: the default tenant has no account of that id.
            await PostEventsAsync(api, [JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["account"] = "kenji", ["tenant"] = "bank-a", ["ip"] = "198.51.100.40", ["device"] = "dev-kenji", ["asn"] = 4713,
                ["country"] = "JP", ["outcome"] = "success", ["secret_fp"] = "1f2e3d4c5b6a7980", ["user_agent"] = "Mozilla/5.0",
            })]);

            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await LaunchAsync(playwright);
            IPage page = await OpenPageAsync(browser);
            await page.GotoAsync(baseAddress.ToString());
            await page.GetByLabel("Admin API key").FillAsync(AdminKey);
            await page.Keyboard.PressAsync("Enter");

            await page.GetByRole(AriaRole.Link, new() { Name = "Live feed" }).ClickAsync();
            await Expect(page.Locator("main table thead")).ToContainTextAsync("Tenant");
            ILocator row = page.Locator("main table tbody tr", new() { HasText = "kenji" });
            await Expect(row).ToContainTextAsync("bank-a");
            await row.GetByRole(AriaRole.Link, new() { Name = "kenji" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Account: kenji (Tenant: bank-a)" })).ToBeVisibleAsync();
            ILocator devices = page.Locator("table", new() { HasText = "First seen" });
            await devices.Locator("tr", new() { HasText = "dev-kenji" }).GetByRole(AriaRole.Button, new() { Name = "Trust", Exact = true }).ClickAsync();
            await Expect(devices.Locator("tr", new() { HasText = "dev-kenji" }).GetByRole(AriaRole.Button, new() { Name = "Stop trusting" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Require step-up at next login" }).ClickAsync();
            await Expect(page.Locator("#status")).ToContainTextAsync("The next login of kenji will need a second factor.");

            IReadOnlyList<AdminAction> actions = await app.Services.GetRequiredService<IApiKeyStore>().AuditLogAsync(100);
            Assert.Contains(actions, a => a.Action == "device.trust" && a.Target.Contains("tenant=bank-a", StringComparison.Ordinal));
            Assert.Contains(actions, a => a.Action == "account.step_up.require" && a.Target == "account=kenji tenant=bank-a");
        });
    }

    /// <summary>Runs <paramref name="test"/> against the host <c>mamori serve</c> builds, on Kestrel at 127.0.0.1, with a fresh data folder.</summary>
    private const string NoChromium = $"Chromium is not installed at {Chromium} (apt-get install -y chromium; .ci/services.sh installs it).";

    /// <summary>A client of the server's API with the admin key, for the data a test posts before the browser looks.</summary>
    private static HttpClient AdminApi(Uri baseAddress)
    {
        var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return api;
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });

    /// <summary>A page at the README picture's size, with the hang guards set for it and for the assertions.</summary>
    private static async Task<IPage> OpenPageAsync(IBrowser browser, bool acceptDownloads = false)
    {
        IPage page = await browser.NewPageAsync(new() { AcceptDownloads = acceptDownloads, ViewportSize = new() { Width = 1280, Height = 1000 }, Locale = "en-GB" });
        page.SetDefaultTimeout(Patience);
        SetDefaultExpectTimeout(Patience);
        return page;
    }

    private static async Task WithServerAsync(Func<WebApplication, Uri, Task> test)
    {
        string data = Directory.CreateTempSubdirectory("mamori-dashboard-").FullName;
        WebApplicationBuilder builder = MamoriServerHost.CreateBuilder(
            ["--urls", "http://127.0.0.1:0", $"--{ServerSettings.Section}:DataPath", data, "--MAMORI_API_KEY", AdminKey]);
        builder.Logging.ClearProviders();
        await using WebApplication app = MamoriServerHost.Build(builder);
        await app.StartAsync();
        try
        {
            await test(app, new Uri(app.Urls.First()));
        }
        finally
        {
            await app.StopAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task RunAsync(WebApplication app, Uri baseAddress, string shots)
    {
        using HttpClient api = AdminApi(baseAddress);
        // Alice's ordinary logins from her phone, the last one with a password the caller found breached; her money links.
        await PostEventsAsync(api, Enumerable.Range(0, 3).Select(i => HomeLogin(Alice, "dev-alice-iphone", breached: i == 2)));
        await PostEventsAsync(api, Enumerable.Range(0, 20).Select(i => HomeLogin($"user{i:D2}@example.jp", $"dev-{i:D2}", breached: false)));
        (string link, _) = await AccountActionTests.CreateLinksAsync(api, Alice);
        IApiKeyStore audit = app.Services.GetRequiredService<IApiKeyStore>();

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await LaunchAsync(playwright);
        IPage page = await OpenPageAsync(browser, acceptDownloads: true);
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };

        // Sign-in: nothing but the sign-in form without a key; a wrong key is refused.
        await page.GotoAsync(baseAddress.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the Mamori dashboard" })).ToBeVisibleAsync();
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        await page.GetByLabel("Admin API key").FillAsync("mamori_not-the-key-000000000000000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("refused");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-sign-in.png") });
        await page.GetByLabel("Admin API key").FillAsync(AdminKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("#campaigns")).ToContainTextAsync("No open campaigns.");
        // Keyboard: after a load the first tab stop is the skip link, which moves focus to the content without leaving the
        // page (a reload keeps the tab's session: the key is still there).
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip-link", await page.EvaluateAsync<string>("document.activeElement.className"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("document.activeElement.id"));

        // A spray arrives through the events API while the analyst watches: the campaign appears without a reload.
        for (int batch = 0; batch < 4; batch++)
            await PostEventsAsync(api, Enumerable.Range(batch * 10, 10).Select(SprayAttempt));
        ILocator sprayRow = page.Locator("#campaigns tbody tr", new() { HasText = "password spray" });
        await Expect(sprayRow).ToBeVisibleAsync();
        await Expect(sprayRow).ToContainTextAsync("AS64500");
        await Expect(page.Locator("table", new() { HasText = "Latest decisions" }).Locator("tbody")).ToContainTextAsync("victim039@example.jp");
        // The viewport only, from the top: this one is the README's picture (docs/images/dashboard-overview.png).
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "02-overview.png") });

        // The campaign page, and its STIX 2.1 export.
        await sprayRow.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Campaign cmp-" })).ToBeVisibleAsync();
        await Expect(page.Locator("table", new() { HasText = "Sources by ASN" })).ToContainTextAsync("AS64500");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("null");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "03-campaign.png"), FullPage = true });
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export STIX 2.1" }).ClickAsync());
        Assert.EndsWith(".stix.json", download.SuggestedFilename);
        string stixPath = Path.Combine(shots, "campaign.stix.json");
        await download.SaveAsAsync(stixPath);
        AssertStixBundle(await File.ReadAllTextAsync(stixPath));
        await Expect(page.Locator("#status")).ToContainTextAsync("Downloaded");

        // The live feed, filtered to the spray's network.
        await page.GetByRole(AriaRole.Link, new() { Name = "Live feed" }).ClickAsync();
        await page.GetByLabel("IP or CIDR").FillAsync("203.0.113.0/24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator("main table tbody")).ToContainTextAsync("victim");
        await Expect(page.Locator("main table tbody")).Not.ToContainTextAsync(Alice);
        await Expect(page.GetByText("Live: connected")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "04-feed.png"), FullPage = true });

        // Five wrong codes block Alice's step-ups (anyone knowing her id could do that).
        string path = "/v1/accounts/" + Uri.EscapeDataString(Alice) + "/factors/totp/verify";
        for (int i = 0; i < 5; i++) await PostAsync(api, path, """{"code":"000000"}""");
        using (HttpResponseMessage blocked = await api.PostAsync(path, new StringContent("""{"code":"000000"}""", Encoding.UTF8, "application/json")))
            Assert.Equal(429, (int)blocked.StatusCode);

        // Alice's account: the forced password change is shown; lift the step-up block, trust her phone, require a
        // step-up, freeze her link.
        await page.GotoAsync(baseAddress + "#/account/" + Uri.EscapeDataString(Alice));
        await Expect(page.Locator("#step-ups-blocked")).ToContainTextAsync("Step-ups are blocked until");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lift step-up block" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync($"The step-up block on {Alice} was lifted.");
        await Expect(page.Locator("#step-ups-blocked")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lift step-up block" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync($"{Alice} had no failed step-ups to clear.");
        Assert.False((await PostAsync(api, path, """{"code":"000000"}""")).GetProperty("verified").GetBoolean());   // checked again, not 429
        await Expect(page.Locator("#password-change-required")).ToContainTextAsync("Password change required");
        await Expect(page.Locator("#account-unknown")).ToHaveCountAsync(0);
        ILocator devices = page.Locator("table", new() { HasText = "First seen" });
        await Expect(devices).ToContainTextAsync("dev-alice-iphone");
        await devices.Locator("tr", new() { HasText = "dev-alice-iphone" }).GetByRole(AriaRole.Button, new() { Name = "Trust", Exact = true }).ClickAsync();
        await Expect(devices.Locator("tr", new() { HasText = "dev-alice-iphone" }).GetByRole(AriaRole.Button, new() { Name = "Stop trusting" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Require step-up at next login" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync($"The next login of {Alice} will need a second factor.");
        ILocator linkRow = page.Locator("tr", new() { HasText = link });
        await Expect(linkRow).ToContainTextAsync("Funding source");
        await Expect(linkRow).ToContainTextAsync("••••321");
        await linkRow.GetByRole(AriaRole.Button, new() { Name = "Freeze link" }).ClickAsync();
        await Expect(page.Locator("tr", new() { HasText = link })).ToContainTextAsync("frozen");
        await Expect(page.Locator("#status")).ToContainTextAsync($"Link {link} frozen.");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("null");   // a condition's null once printed as text
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "05-account.png"), FullPage = true });

        // Each action reached the server and is audited with the acting key.
        string keyId = (await audit.ListAsync()).Single().Id;
        IReadOnlyList<AdminAction> actions = await audit.AuditLogAsync(100);
        Assert.Contains(actions, a => a.KeyId == keyId && a.Action == "device.trust" && a.Target.Contains("device=dev-alice-iphone", StringComparison.Ordinal));
        Assert.Contains(actions, a => a.KeyId == keyId && a.Action == "account.step_up.require" && a.Target == $"account={Alice} tenant=");
        Assert.Contains(actions, a => a.KeyId == keyId && a.Action == "link.freeze" && a.Target.Contains(link, StringComparison.Ordinal));
        Assert.Single(actions, a => a.KeyId == keyId && a.Action == "factor.failures.clear" && a.Target == $"account={Alice}");
        JsonElement charge = await PostAsync(api, $"/v1/links/{link}/charges", """{"amount":100}""");
        Assert.Equal("deny", charge.GetProperty("decision").GetString());
        JsonElement next = (await PostEventsAsync(api, [HomeLogin(Alice, "dev-alice-iphone", breached: false)]))[0];
        Assert.Contains(next.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "step_up_requested");

        // Japanese: the account page and the overview.
        await page.GetByRole(AriaRole.Button, new() { Name = "日本語" }).ClickAsync();
        await Expect(page.Locator("#password-change-required")).ToContainTextAsync("パスワード変更が必要です");
        await Expect(page.Locator("tr", new() { HasText = link })).ToContainTextAsync("凍結済み");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "06-account-ja.png"), FullPage = true });

        // Unfreezing asks first: cancelled, the link stays frozen; confirmed, money moves through it again.
        string? question = null;
        void Cancel(object? sender, IDialog dialog) { question = dialog.Message; _ = dialog.DismissAsync(); }
        page.Dialog += Cancel;
        await page.Locator("tr", new() { HasText = link }).GetByRole(AriaRole.Button, new() { Name = "凍結を解除" }).ClickAsync();
        await Expect(page.Locator("tr", new() { HasText = link })).ToContainTextAsync("凍結済み");
        page.Dialog -= Cancel;
        Assert.Contains(link, question, StringComparison.Ordinal);
        Assert.DoesNotContain(await audit.AuditLogAsync(100), a => a.Action == "link.unfreeze");
        void Confirm(object? sender, IDialog dialog) => _ = dialog.AcceptAsync();
        page.Dialog += Confirm;
        await page.Locator("tr", new() { HasText = link }).GetByRole(AriaRole.Button, new() { Name = "凍結を解除" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync($"連携 {link} の凍結を解除しました。");
        await Expect(page.Locator("tr", new() { HasText = link })).ToContainTextAsync("有効");
        page.Dialog -= Confirm;
        Assert.Contains(await audit.AuditLogAsync(100), a => a.KeyId == keyId && a.Action == "link.unfreeze" && a.Target.Contains(link, StringComparison.Ordinal));
        Assert.Equal("allow", (await PostAsync(api, $"/v1/links/{link}/charges", """{"amount":100}""")).GetProperty("decision").GetString());
        await page.GetByRole(AriaRole.Link, new() { Name = "概要" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "進行中のキャンペーン" })).ToBeVisibleAsync();
        await Expect(page.Locator("#campaigns tbody tr", new() { HasText = "パスワードスプレー" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "07-overview-ja.png"), FullPage = true });

        // Signing out forgets the key.
        await page.GetByRole(AriaRole.Button, new() { Name = "サインアウト" }).ClickAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('mamori.apiKey')"));
        Assert.DoesNotContain(consoleErrors, e => !e.Contains("Failed to load resource", StringComparison.Ordinal));
    }

    /// <summary>STIX 2.1 (OASIS, §3 and §4.7): a bundle of indicators, each with the properties a receiving TIP requires.</summary>
    private static void AssertStixBundle(string json)
    {
        using JsonDocument stix = JsonDocument.Parse(json);
        JsonElement root = stix.RootElement;
        Assert.Equal("bundle", root.GetProperty("type").GetString());
        AssertStixId(root.GetProperty("id").GetString(), "bundle");
        JsonElement[] indicators = root.GetProperty("objects").EnumerateArray().Where(o => o.GetProperty("type").GetString() == "indicator").ToArray();
        Assert.NotEmpty(indicators);
        foreach (JsonElement o in indicators)
        {
            Assert.Equal("2.1", o.GetProperty("spec_version").GetString());
            AssertStixId(o.GetProperty("id").GetString(), "indicator");
            DateTimeOffset created = Timestamp(o, "created"), modified = Timestamp(o, "modified");
            Assert.True(modified >= created, $"modified {modified:O} precedes created {created:O}");
            Timestamp(o, "valid_from");
            string pattern = o.GetProperty("pattern").GetString()!;
            Assert.Matches(@"^\[(ipv4-addr|ipv6-addr):value = '[0-9a-f.:/]+'\]$|^\[autonomous-system:number = \d+\]$", pattern);
            Assert.Equal("stix", o.GetProperty("pattern_type").GetString());
        }
        Assert.Contains(indicators, o => o.GetProperty("pattern").GetString() == "[autonomous-system:number = 64500]");
        Assert.Contains(indicators, o => o.GetProperty("pattern").GetString() == "[ipv4-addr:value = '203.0.113.0/24']");
    }

    private static void AssertStixId(string? id, string type)
    {
        Assert.NotNull(id);
        Assert.StartsWith(type + "--", id, StringComparison.Ordinal);
        Assert.True(Guid.TryParseExact(id[(type.Length + 2)..], "D", out _), $"{id} does not end in a UUID");
    }

    /// <summary>STIX timestamps are RFC 3339 in UTC with a literal Z.</summary>
    private static DateTimeOffset Timestamp(JsonElement o, string name)
    {
        string text = o.GetProperty(name).GetString()!;
        Assert.EndsWith("Z", text, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value), $"{name}: {text}");
        return value;
    }

    private static string HomeLogin(string account, string device, bool breached) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["account"] = account, ["ip"] = "198.51.100.20", ["device"] = device, ["asn"] = 4713, ["country"] = "JP", ["outcome"] = "success",
        ["secret_fp"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("own-" + account)))[..16],
        ["user_agent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1",
        ["breached"] = breached,
    });

    /// <summary>One wrong guess of the same password against victim<paramref name="i"/>, from a /24 in AS64500.</summary>
    private static string SprayAttempt(int i) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["account"] = string.Create(CultureInfo.InvariantCulture, $"victim{i:D3}@example.jp"), ["ip"] = $"203.0.113.{10 + i % 8}",
        ["asn"] = 64500, ["country"] = "NL", ["user_agent"] = "python-requests/2.31", ["secret_fp"] = "5b9e1c7a0d3f2e41", ["outcome"] = "wrong_secret",
    });

    /// <summary>One wrong password for <paramref name="account"/> from a home network.</summary>
    private static string WrongSecret(string account) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["account"] = account, ["ip"] = "198.51.100.30", ["asn"] = 4713, ["country"] = "JP", ["outcome"] = "wrong_secret",
        ["secret_fp"] = "0a1b2c3d4e5f6071", ["user_agent"] = "Mozilla/5.0",
    });

    private static async Task<JsonElement[]> PostEventsAsync(HttpClient api, IEnumerable<string> events) =>
        (await PostAsync(api, "/v1/login/events", "[" + string.Join(',', events) + "]")).EnumerateArray().ToArray();

    private static async Task<JsonElement> PostAsync(HttpClient api, string path, string json)
    {
        using HttpResponseMessage response = await api.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary><c>artifacts/dashboard</c> at the repository root (found by Mamori.slnx), where CI collects it.</summary>
    private static string ArtifactFolder()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mamori.slnx"))) dir = dir.Parent;
        string folder = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "dashboard");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
