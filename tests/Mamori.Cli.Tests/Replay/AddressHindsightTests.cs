using System.Text.Json;
using Mamori.Cli.Replay;
using Mamori.Policy;

namespace Mamori.Cli.Tests.Replay;

/// <summary>
/// The morning list, with what a replay knows that the live engine did not: a login held up only for its new
/// environment, whose address then failed on other accounts, is listed as a likely takeover.
/// </summary>
public sealed class AddressHindsightTests
{
    private const string Phone = ReplayLog.Phone, Desktop = ReplayLog.Desktop;
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LoginHeldUpForItsEnvironment_WhoseAddressThenFailsOnOtherAccounts_IsListedAtMedium()
    {
        ReplayLog log = ReplayLog.Customers(T0);
        DateTimeOffset day = T0.AddDays(3).AddHours(10);
        // A bot's first visit to a home router: the hit. Nothing on the network says bot yet.
        int hit = log.Add(day, "u0", "203.0.113.77", "success", null, 64666, Desktop);
        // The same router, hours later, on other accounts.
        log.Add(day.AddHours(3), "u5", "203.0.113.77", "wrong_secret", null, 64666, Desktop);
        log.Add(day.AddHours(9), "u6", "203.0.113.77", "wrong_secret", null, 64666, Desktop);

        ReplayResult result = log.Replay();

        TakeoverAccount taken = Assert.Single(result.LikelyTakeovers());
        Assert.Equal("u0", taken.Account);
        Assert.Equal(TakeoverConfidence.Medium, taken.Confidence);
        Assert.Equal([hit], taken.Lines);
        Assert.Contains(AddressHindsight.Evidence, taken.Evidence);
        Assert.Contains(ReasonCode.UnfamiliarEnvironment.ToWireName(), taken.Evidence);
        Assert.Equal("challenge", log.Decisions[hit]);   // held up live, for the environment alone
        Assert.Equal(1, result.ListedInHindsight);
        using var json = new MemoryStream();
        ReplayReport.WriteJson(json, "log.jsonl", result, null);
        using var report = System.Text.Json.JsonDocument.Parse(json.ToArray());
        Assert.Equal(1, report.RootElement.GetProperty("takeover_counts").GetProperty("logins_listed_in_hindsight").GetInt32());
        string[] evidence = report.RootElement.GetProperty("likely_takeovers")[0].GetProperty("evidence").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains("address_failed_on_others_later", evidence);
    }

    [Fact]
    public void LoginHeldUpForItsEnvironment_WhereSomeoneElseGetsIn_OrNobodyTriesAnotherPasswordWithinAWeek_IsNotListed()
    {
        ReplayLog log = ReplayLog.Customers(T0);
        DateTimeOffset day = T0.AddDays(3).AddHours(10);
        // u1 logs in at a friend's home (u7's line): the friend's own login there afterwards vouches for it, though a
        // guest there mistypes their password too.
        int atFriends = log.Add(day, "u1", "198.51.100.8", "success", null, 64500, Desktop);
        log.Add(day.AddHours(1), "u9", "198.51.100.8", "wrong_secret", null, 64500, Desktop);
        log.Add(day.AddHours(2), "u7", "198.51.100.8", "success", "phone-7", 64500, Phone);
        // u2 on a hotel line, which nobody uses again.
        int atHotel = log.Add(day, "u2", "203.0.113.99", "success", null, 64777, Desktop);
        // u3 on a new line whose failures come eight days later: past the horizon.
        int onNewLine = log.Add(day, "u3", "203.0.113.120", "success", null, 64888, Desktop);
        log.Add(day.AddDays(8), "u4", "203.0.113.120", "wrong_secret", null, 64888, Desktop);
        // u5 at home on a new line, where a household member then mistypes their own user name.
        int atHome = log.Add(day, "u5", "203.0.113.140", "success", null, 64999, Desktop);
        log.Add(day.AddHours(4), "u5-spouse", "203.0.113.140", "unknown_account", null, 64999, Phone);

        ReplayResult result = log.Replay();

        Assert.Equal(["challenge", "challenge", "challenge", "challenge"], new[] { atFriends, atHotel, onNewLine, atHome }.Select(line => log.Decisions[line]));   // all held up live
        Assert.Empty(result.LikelyTakeovers());
        Assert.Equal(0, result.ListedInHindsight);
    }

    [Fact]
    public void TheAccountsOwnFailuresOnTheAddress_SayNothingOfIt()
    {
        ReplayLog log = ReplayLog.Customers(T0);
        DateTimeOffset day = T0.AddDays(3).AddHours(10);
        int login = log.Add(day, "u0", "203.0.113.77", "success", null, 64666, Desktop);
        log.Add(day.AddHours(3), "u0", "203.0.113.77", "wrong_secret", null, 64666, Desktop);

        ReplayResult result = log.Replay();

        Assert.Equal("challenge", log.Decisions[login]);
        Assert.Empty(result.LikelyTakeovers());
    }

    [Fact]
    public void AFlaggedLoginsDevice_ThatSucceedsOnLaterDays_IsCountedInTheReport()
    {
        ReplayLog log = ReplayLog.Customers(T0);
        DateTimeOffset day = T0.AddDays(3).AddHours(10);
        // u0 on a new laptop at a friend's, forgetting the password a few times first: held up for brute force.
        for (int i = 0; i < 8; i++) log.Add(day.AddMinutes(i), "u0", "203.0.113.50", "wrong_secret", "laptop-0", 64501, Desktop);
        int flagged = log.Add(day.AddMinutes(9), "u0", "203.0.113.50", "success", "laptop-0", 64501, Desktop);
        // The laptop is u0's from then on: two later days, from home.
        log.Add(day.AddDays(1), "u0", "198.51.100.1", "success", "laptop-0", 64500, Desktop);
        log.Add(day.AddDays(2), "u0", "198.51.100.1", "success", "laptop-0", 64500, Desktop);
        // u1's phone on a later day is not u0's laptop.
        log.Add(day.AddDays(2), "u1", "198.51.100.2", "success", "phone-1", 64500, Phone);

        ReplayResult result = log.Replay();

        TakeoverAccount listed = Assert.Single(result.LikelyTakeovers(), t => t.Account == "u0");
        Assert.Equal(flagged, listed.FirstLine);
        Assert.Equal((2, true), (listed.DaysBack, listed.CameBack));
        using var json = new MemoryStream();
        ReplayReport.WriteJson(json, "log.jsonl", result, null);
        using var report = System.Text.Json.JsonDocument.Parse(json.ToArray());
        JsonElement entry = report.RootElement.GetProperty("likely_takeovers").EnumerateArray().Single(t => t.GetProperty("account").GetString() == "u0");
        Assert.Equal(2, entry.GetProperty("days_back").GetInt32());
        var html = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        ReplayReport.WriteHtml(html, "log.jsonl", result, null);
        Assert.Contains("<th>days back</th><th>first line</th>", html.ToString(), StringComparison.Ordinal);
        Assert.Contains($"<td>2</td><td>{flagged}</td></tr>", html.ToString(), StringComparison.Ordinal);
    }
}
