using System.Text.Json;

namespace Mamori.Flows.Tests;

/// <summary>The notice to an account's holder when a login the engine held up succeeds: when it goes, what it says.</summary>
public sealed class UnfamiliarLoginNoticeTests
{
    private static async Task<TestApp> StartAsync(Action<FlowsOptions>? configure = null)
    {
        TestApp app = await TestApp.StartAsync(configure);
        await app.PostAsync("/v1/accounts/hanako/changes", new { kind = "contact", contact = new { channel = "sms", address = "+819012345678" } });
        return app;
    }

    private static HeldUpLogin Login(TestApp app, TimeSpan ago = default, HeldUpAnswer answer = HeldUpAnswer.SecondCheck, string account = "hanako") =>
        new(account, app.Time.GetUtcNow() - ago, "Chrome on Windows", "CN", 4134, answer);

    private static Channels.OutboundMessage[] Notices(TestApp app) => [.. app.Channel.Messages.Where(m => m.Subject == UnfamiliarLoginNotices.Subject)];

    [Fact]
    public async Task AStepUp_TellsTheContact_WhatWasSeen_AndWhatIsHeldForTheRiskWindow()
    {
        await using TestApp app = await StartAsync();

        Assert.True(await app.Service<UnfamiliarLoginNotices>().NotifyAsync(Login(app), previousHeldUp: null, CancellationToken.None));

        Channels.OutboundMessage notice = Assert.Single(Notices(app));
        Assert.Equal("+819012345678", notice.Recipient);
        Assert.Equal("sms", notice.Channel);
        Assert.Contains("2020-09-07 01:00 UTC", notice.Body, StringComparison.Ordinal);
        Assert.Contains("(Chrome on Windows, in CN, network AS4134)", notice.Body, StringComparison.Ordinal);
        Assert.Contains("a second check was asked for", notice.Body, StringComparison.Ordinal);
        Assert.Contains("For 7 days after such a sign-in, no bank account can be linked", notice.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusedLogin_SaysItWasRefused_AndThatThePasswordIsKnown()
    {
        await using TestApp app = await StartAsync(o => o.RecentRiskWindow = TimeSpan.FromHours(36));

        await app.Service<UnfamiliarLoginNotices>().NotifyAsync(Login(app, answer: HeldUpAnswer.Refused), null, CancellationToken.None);

        string body = Assert.Single(Notices(app)).Body;
        Assert.Contains("the sign-in was refused", body, StringComparison.Ordinal);
        Assert.Contains("someone else knows your password", body, StringComparison.Ordinal);
        Assert.Contains("For 36 hours after", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoginAssessedAfterItHappened_ClaimsNoCheckAndNoRefusal()
    {
        await using TestApp app = await StartAsync();

        await app.Service<UnfamiliarLoginNotices>().NotifyAsync(Login(app, answer: HeldUpAnswer.AfterTheFact), null, CancellationToken.None);

        string body = Assert.Single(Notices(app)).Body;
        Assert.Contains("had not used before (Chrome on Windows, in CN, network AS4134). If this was you", body, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", body, StringComparison.Ordinal);
        Assert.DoesNotContain("second check", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutARiskWindow_TheNoticeDoesNotPromiseOne()
    {
        await using TestApp app = await StartAsync(o => o.RecentRiskWindow = TimeSpan.Zero);

        await app.Service<UnfamiliarLoginNotices>().NotifyAsync(Login(app), null, CancellationToken.None);

        Assert.DoesNotContain("after such a sign-in", Assert.Single(Notices(app)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneNoticeAnHour_NoneForAnOldLoginShippedLate_NoneWithoutAContact_NoneWhenTurnedOff()
    {
        await using TestApp app = await StartAsync();
        UnfamiliarLoginNotices notices = app.Service<UnfamiliarLoginNotices>();
        DateTimeOffset now = app.Time.GetUtcNow();

        Assert.False(await notices.NotifyAsync(Login(app), previousHeldUp: now.AddMinutes(-59), CancellationToken.None));
        Assert.False(await notices.NotifyAsync(Login(app, ago: TimeSpan.FromMinutes(11)), null, CancellationToken.None));
        Assert.False(await notices.NotifyAsync(Login(app, account: "nobody"), null, CancellationToken.None));
        Assert.Empty(Notices(app));

        Assert.True(await notices.NotifyAsync(Login(app), previousHeldUp: now.AddMinutes(-61), CancellationToken.None));
        Assert.True(await notices.NotifyAsync(Login(app, ago: TimeSpan.FromMinutes(9)), null, CancellationToken.None));
        Assert.Equal(2, Notices(app).Length);

        await using TestApp off = await StartAsync(o => o.NotifyUnfamiliarLogins = false);
        Assert.False(await off.Service<UnfamiliarLoginNotices>().NotifyAsync(Login(off), null, CancellationToken.None));
        Assert.Empty(Notices(off));
    }

    [Fact]
    public async Task TheNoticeIsAudited_AsANotificationToTheContact()
    {
        await using TestApp app = await StartAsync();

        await app.Service<UnfamiliarLoginNotices>().NotifyAsync(Login(app), null, CancellationToken.None);

        JsonElement[] entries = (await app.GetAsync("/v1/audit?account=hanako")).GetProperty("entries").EnumerateArray().ToArray();
        JsonElement entry = Assert.Single(entries, e => e.Str("kind") == "notification" && e.GetProperty("detail").GetString() == UnfamiliarLoginNotices.Subject);
        Assert.Contains("contact_notified", entry.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.DoesNotContain("12345678", entry.GetProperty("subject").GetString()!, StringComparison.Ordinal);   // the number is masked
    }

    [Fact]
    public void TheIntervalIsValidated()
    {
        var options = new FlowsOptions { UnfamiliarLoginNoticeInterval = TimeSpan.FromSeconds(5) };
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.AddMamoriFlows(options));
        Assert.Contains(nameof(FlowsOptions.UnfamiliarLoginNoticeInterval), error.Message, StringComparison.Ordinal);
    }
}
