using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mamori.Flows.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Mamori.Flows.Tests;

/// <summary>
/// The passkey ceremony end to end: Debian's Chromium, headless, with a CDP virtual authenticator (internal, resident
/// key, user verification) registers and asserts against a real Kestrel server on localhost (a secure context).
/// </summary>
public sealed class WebAuthnBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    // The test page: turns the server's options into WebAuthn calls and posts the results back (base64url both ways).
    private const string Page = """
        <!doctype html><meta charset="utf-8"><title>mamori passkey test</title>
        <script>
        const fromB64u = s => { s = s.replace(/-/g, '+').replace(/_/g, '/'); while (s.length % 4) s += '=';
          return Uint8Array.from(atob(s), c => c.charCodeAt(0)).buffer; };
        const toB64u = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        async function post(path, body) {
          const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
          return { status: r.status, body: await r.json() };
        }
        async function register(account) {
          const o = (await post(`/v1/accounts/${account}/factors/webauthn/registration/options`, {})).body;
          const publicKey = { ...o, challenge: fromB64u(o.challenge), user: { ...o.user, id: fromB64u(o.user.id) },
            excludeCredentials: (o.excludeCredentials || []).map(c => ({ ...c, id: fromB64u(c.id) })) };
          const c = await navigator.credentials.create({ publicKey });
          return JSON.stringify(await post(`/v1/accounts/${account}/factors/webauthn/registration`, { credential: {
            id: c.id, rawId: toB64u(c.rawId), type: c.type, clientExtensionResults: c.getClientExtensionResults(),
            response: { attestationObject: toB64u(c.response.attestationObject), clientDataJSON: toB64u(c.response.clientDataJSON),
                        transports: c.response.getTransports() } } }));
        }
        async function assertPasskey(account, replay) {
          const o = (await post(`/v1/accounts/${account}/factors/webauthn/assertion/options`, {})).body;
          const publicKey = { ...o, challenge: fromB64u(o.challenge), allowCredentials: (o.allowCredentials || []).map(c => ({ ...c, id: fromB64u(c.id) })) };
          const a = await navigator.credentials.get({ publicKey });
          const body = { trust_device: 'browser-1', credential: {
            id: a.id, rawId: toB64u(a.rawId), type: a.type, clientExtensionResults: a.getClientExtensionResults(),
            response: { authenticatorData: toB64u(a.response.authenticatorData), clientDataJSON: toB64u(a.response.clientDataJSON),
                        signature: toB64u(a.response.signature), userHandle: a.response.userHandle ? toB64u(a.response.userHandle) : null } } };
          const first = await post(`/v1/accounts/${account}/factors/webauthn/assertion`, body);
          return JSON.stringify(replay ? await post(`/v1/accounts/${account}/factors/webauthn/assertion`, body) : first);
        }
        </script>
        """;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [SkippableFact]
    public async Task Passkey_RegisteredAndAssertedInChromium_IsAMoneyGradeStepUp()
    {
        Skip.IfNot(File.Exists(ChromiumPath), $"{ChromiumPath} is absent; install Debian's chromium (.ci/services.sh does) to run the browser test.");
        int port = FreePort();
        string origin = $"http://localhost:{port}";
        string dir = Path.Combine(Path.GetTempPath(), "mamori-webauthn-" + Guid.NewGuid().ToString("N"));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(origin);
        builder.Logging.ClearProviders();
        builder.Services.AddMamoriFlows(new FlowsOptions { DataDirectory = dir, WebAuthnOrigins = [origin], WebAuthnRelyingPartyId = "localhost" });
        await using WebApplication app = builder.Build();
        app.MapGet("/", () => Results.Content(Page, "text/html"));
        app.MapMamoriFlows();
        await app.StartAsync();
        try
        {
            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                Timeout = 120_000,   // generous: the CI machine's 2 cores are shared; this bounds a hang, it asserts no speed
            });
            IPage page = await browser.NewPageAsync();
            page.SetDefaultTimeout(120_000);
            await page.GotoAsync(origin + "/");
            ICDPSession cdp = await page.Context.NewCDPSessionAsync(page);
            await cdp.SendAsync("WebAuthn.enable");
            await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
            {
                ["options"] = new Dictionary<string, object>
                {
                    ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true,
                    ["hasUserVerification"] = true, ["isUserVerified"] = true,
                },
            });

            using JsonDocument registered = JsonDocument.Parse(await page.EvaluateAsync<string>("register('alice')"));
            Assert.True(registered.RootElement.GetProperty("status").GetInt32() == 201, registered.RootElement.ToString());

            using JsonDocument asserted = JsonDocument.Parse(await page.EvaluateAsync<string>("assertPasskey('alice')"));
            JsonElement body = asserted.RootElement.GetProperty("body");
            Assert.True(body.GetProperty("verified").GetBoolean(), asserted.RootElement.ToString());
            Assert.StartsWith("v1.", body.GetProperty("device_token").GetString());

            // The passkey step-up is fresh and money-grade: a same-name link from this wallet is allowed (with cool-off).
            using var http = new HttpClient { BaseAddress = new Uri(origin) };
            using HttpResponseMessage link = await http.PostAsync("/v1/links", FactorTests.JsonContent(
                Stories.LinkBody("alice", "5555555", "ﾔﾏﾀﾞ ﾊﾅｺ", Stories.Proof("やまだ はなこ"))));
            using JsonDocument linked = JsonDocument.Parse(await link.Content.ReadAsStringAsync());
            Assert.Equal("allow", linked.RootElement.GetProperty("decision").GetString());

            // A captured assertion replayed to the server is refused: each ceremony's challenge is used once.
            using JsonDocument replayed = JsonDocument.Parse(await page.EvaluateAsync<string>("assertPasskey('alice', true)"));
            Assert.False(replayed.RootElement.GetProperty("body").GetProperty("verified").GetBoolean(), replayed.RootElement.ToString());
        }
        finally
        {
            await app.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
