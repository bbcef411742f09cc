using System.Text.Json;
using Mamori.Dashboard.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Dashboard.Tests;

/// <summary>
/// Headless Chromium (Debian's package) against the dashboard on a real Kestrel at 127.0.0.1, over a real engine:
/// sign in, watch a spray open a campaign live, open it, export STIX, trust a device. Screenshots of each page go to
/// TestResults/screenshots beside the test assembly.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly float Patience = 30_000;   // ms a UI change may take on a loaded CI machine: a hang guard, not a speed check

    [SkippableFact]
    public async Task Analyst_SignsIn_SeesSprayLive_OpensCampaign_ExportsStix_TrustsDevice()
    {
        Skip.IfNot(File.Exists(Chromium), $"Chromium is not installed at {Chromium} (apt-get install -y chromium; .ci/services.sh installs it).");
        string shots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(shots);
        output.WriteLine($"screenshots: {shots}");

        await using TestHost host = await TestHost.StartAsync(TimeProvider.System, kestrel: true);
        host.Accounts.AddDevice("alice@example.jp", "dev-alice-iphone");
        await host.World.HomeLoginAsync("alice@example.jp", "dev-alice-iphone");
        for (int i = 0; i < 20; i++) await host.World.HomeLoginAsync($"user{i:D2}@example.jp", $"dev-{i:D2}");

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        IPage page = await browser.NewPageAsync(new() { AcceptDownloads = true, ViewportSize = new() { Width = 1280, Height = 1000 }, Locale = "en-GB" });
        page.SetDefaultTimeout(Patience);
        SetDefaultExpectTimeout(Patience);
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };

        // Sign-in: nothing is shown without a key; a wrong key is refused; the skip link is the first tab stop.
        await page.GotoAsync(host.BaseAddress.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the Mamori dashboard" })).ToBeVisibleAsync();
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        await page.GetByLabel("Admin API key").FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("refused");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-sign-in.png") });
        await page.GetByLabel("Admin API key").FillAsync(TestHost.AdminKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("#campaigns")).ToContainTextAsync("No open campaigns.");
        // Keyboard: after a fresh load the first tab stop is the skip link, which moves focus to the content without
        // leaving the page (a reload keeps the tab's session: the key is still there).
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip-link", await page.EvaluateAsync<string>("document.activeElement.className"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("document.activeElement.id"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true })).ToBeVisibleAsync();

        // A spray starts while the analyst watches: the campaign appears without a reload.
        await host.World.SprayAsync(40, TimeSpan.Zero);
        ILocator sprayRow = page.Locator("#campaigns tbody tr", new() { HasText = "password_spray" });
        await Expect(sprayRow).ToBeVisibleAsync();
        await Expect(sprayRow).ToContainTextAsync("AS64500");
        await Expect(page.Locator("table", new() { HasText = "Latest decisions" }).Locator("tbody")).ToContainTextAsync("victim039@example.jp");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "02-overview.png"), FullPage = true });

        // The campaign page, and its STIX export.
        await sprayRow.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Campaign cmp-" })).ToBeVisibleAsync();
        await Expect(page.Locator("table", new() { HasText = "Sources by ASN" })).ToContainTextAsync("AS64500");
        await Expect(page.Locator("table", new() { HasText = "Targeted accounts" })).ToContainTextAsync("victim039@example.jp");   // attempts before the campaign opened are not in it
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "03-campaign.png"), FullPage = true });
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export STIX 2.1" }).ClickAsync());
        Assert.EndsWith(".stix.json", download.SuggestedFilename);
        using (JsonDocument stix = JsonDocument.Parse(await File.ReadAllTextAsync((await download.PathAsync())!)))
        {
            Assert.Equal("bundle", stix.RootElement.GetProperty("type").GetString());
            Assert.Contains(stix.RootElement.GetProperty("objects").EnumerateArray(),
                o => o.GetProperty("pattern").GetString() == "[autonomous-system:number = 64500]" && o.GetProperty("spec_version").GetString() == "2.1");
        }
        await Expect(page.Locator("#status")).ToContainTextAsync("Downloaded");

        // The live feed, filtered to denials and challenges of the spray's network.
        await page.GetByRole(AriaRole.Link, new() { Name = "Live feed" }).ClickAsync();
        await page.GetByLabel("IP or CIDR").FillAsync("203.0.113.0/24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator("main table tbody")).ToContainTextAsync("victim");
        await Expect(page.Locator("main table tbody")).Not.ToContainTextAsync("alice@example.jp");
        await Expect(page.GetByText("Live: connected")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "04-feed.png"), FullPage = true });

        // The account page: trust Alice's phone; the step-up action names the endpoint the server still lacks.
        await page.GotoAsync(host.BaseAddress + "#/account/alice%40example.jp");
        await Expect(page.Locator("table", new() { HasText = "Devices" })).ToContainTextAsync("dev-alice-iphone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Trust", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stop trusting" })).ToBeVisibleAsync();
        Assert.True(host.Accounts.IsTrusted("alice@example.jp", "dev-alice-iphone"));
        Assert.Contains("key_test trust alice@example.jp dev-alice-iphone", host.Accounts.Audit);
        await page.GetByRole(AriaRole.Button, new() { Name = "Require step-up at next login" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("POST /v1/accounts/alice%40example.jp/step-up");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "05-account.png"), FullPage = true });

        // Japanese.
        await page.GetByRole(AriaRole.Button, new() { Name = "日本語" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "概要" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "概要" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "進行中のキャンペーン" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "06-overview-ja.png"), FullPage = true });

        // Signing out forgets the key.
        await page.GetByRole(AriaRole.Button, new() { Name = "サインアウト" }).ClickAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('mamori.apiKey')"));
        Assert.DoesNotContain(consoleErrors, e => !e.Contains("Failed to load resource", StringComparison.Ordinal));
    }
}
