using System.Globalization;
using System.Text;
using System.Text.Json;
using Mamori.Campaigns;
using Mamori.Cli.Replay;
using Mamori.Cli.Replay.Readers;
using Mamori.Events;
using Mamori.Simulation.Scoring;

namespace Mamori.Cli.Tests.Replay;

/// <summary>`mamori replay` end to end over small logs written by the test.</summary>
public sealed class ReplayTests
{
    private static readonly byte[] s_pepper = "replay-test-pepper"u8.ToArray();

    /// <summary>Three days of 60 users' home logins, then a spray of one password over 50 accounts with one success, plus two bad rows.</summary>
    private static string BuildLog()
    {
        var log = new StringBuilder();
        var t = new DateTimeOffset(2020, 9, 1, 0, 0, 0, TimeSpan.FromHours(9));
        string Fp(string s) => SecretFingerprint.Compute(s_pepper, s).ToHex();
        void Line(DateTimeOffset at, string account, string ip, string outcome, string? device, string secret, int asn, string country, string label, string scenario, bool takeover)
        {
            log.Append(CultureInfo.InvariantCulture, $"{{\"ts\":\"{at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)}\",\"account\":\"{account}\",\"ip\":\"{ip}\",\"outcome\":\"{outcome}\",");
            if (device is not null) log.Append(CultureInfo.InvariantCulture, $"\"device\":\"{device}\",");
            log.Append(CultureInfo.InvariantCulture, $"\"user_agent\":\"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)\",\"secret_fp\":\"{Fp(secret)}\",\"asn\":{asn},\"country\":\"{country}\",\"label\":\"{label}\",\"scenario\":\"{scenario}\",\"takeover\":{(takeover ? "true" : "false")},\"operator_extra\":42}}\n");
        }
        for (int day = 0; day < 3; day++)
            for (int u = 0; u < 60; u++)
                Line(t.AddDays(day).AddMinutes(u * 7), $"user{u}", $"100.64.{u}.10", "success", $"dev{u}", $"secret-{u}", 4713, "JP", "legit", "normal", false);
        log.Append("{this is not json\n");
        DateTimeOffset attack = t.AddDays(3);
        for (int i = 0; i < 50; i++)
        {
            bool right = i == 45;   // user45's password happens to be the sprayed one
            Line(attack.AddSeconds(i * 20), $"user{i}", $"185.220.{i}.7", right ? "success" : "wrong_secret", null, right ? "secret-45" : "Summer2020!", 16276, "FR", "attack", "password-spray", right);
        }
        log.Append("{\"ts\":\"2020-09-04T01:00:00Z\",\"account\":\"x\",\"ip\":\"999.1.1.1\",\"outcome\":\"success\"}\n");
        return log.ToString();
    }

    private static (string Decisions, ReplayResult Result) Replay(string log, LabelScorer? scorer = null)
    {
        using ILoginEventReader reader = LoginEventReaders.Open(new MemoryStream(Encoding.UTF8.GetBytes(log)), LoginLogFormat.Jsonl);
        var decisions = new StringWriter();
        ReplayResult result = ReplayRunner.Run(reader, decisions, new MamoriOptions(), strict: false, scorer: scorer);
        return (decisions.ToString(), result);
    }

    /// <summary>The JSON report of <paramref name="result"/>, parsed.</summary>
    private static JsonDocument ReportOf(ReplayResult result, ScoreReport? score = null)
    {
        using var json = new MemoryStream();
        ReplayReport.WriteJson(json, "log.jsonl", result, score);
        return JsonDocument.Parse(json.ToArray());
    }

    [Fact]
    public void DecisionsFile_HasOneRowPerEventInInputOrder_WithHeaderAndKnownValues()
    {
        (string decisions, ReplayResult result) = Replay(BuildLog());
        string[] rows = decisions.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,decision,score,reasons", rows[0]);
        Assert.Equal(180 + 50, rows.Length - 1);
        Assert.Equal(230, result.Events);
        for (int i = 1; i < rows.Length; i++)
        {
            string[] cells = rows[i].Split(',');
            Assert.Equal(4, cells.Length);
            Assert.Equal(i, int.Parse(cells[0], CultureInfo.InvariantCulture));
            Assert.Contains(cells[1], new[] { "allow", "challenge", "deny" });
            double score = double.Parse(cells[2], CultureInfo.InvariantCulture);
            Assert.InRange(score, 0, 1);
            Assert.Matches("^[a-z_;]*$", cells[3]);
        }
        // The spray is intercepted, and the sprayed password's one success is not let through.
        Assert.Equal("allow", rows[1].Split(',')[1]);
        Assert.NotEqual("allow", rows[180 + 46].Split(',')[1]);
        Assert.Contains("sprayed_secret", rows[180 + 40], StringComparison.Ordinal);
    }

    [Fact]
    public void SameLogTwice_GivesByteIdenticalDecisions()
    {
        string log = BuildLog();
        Assert.Equal(Replay(log).Decisions, Replay(log).Decisions);
    }

    [Fact]
    public void BadRows_AreCountedWithLineNumbers_AndTheRunGoesOn()
    {
        (_, ReplayResult result) = Replay(BuildLog());
        Assert.Equal(2, result.BadRows);
        Assert.Equal([181, 232], result.BadRowSamples.Select(b => b.Line).ToArray());
        Assert.Contains("ip", result.BadRowSamples[1].Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Strict_StopsAtTheFirstBadRow()
    {
        using ILoginEventReader reader = LoginEventReaders.Open(new MemoryStream(Encoding.UTF8.GetBytes(BuildLog())), LoginLogFormat.Jsonl);
        ReplayResult result = ReplayRunner.Run(reader, null, new MamoriOptions(), strict: true);
        Assert.True(result.Aborted);
        Assert.Equal(180, result.Events);
    }

    [Fact]
    public void LogNotInTimeOrder_IsCountedFromItsFirstLine_AndSaidInTheReport()
    {
        // Merged servers interleave within seconds (fine); a newest-first export or a log grouped by user does not.
        string log = string.Join('\n',
            """{"ts":"2024-05-01T10:00:00Z","account":"a","ip":"203.0.113.1","outcome":"success"}""",
            """{"ts":"2024-05-01T09:57:00Z","account":"b","ip":"203.0.113.2","outcome":"success"}""",   // 3 min: a merge
            """{"ts":"2024-05-01T11:00:00Z","account":"c","ip":"203.0.113.3","outcome":"success"}""",
            """{"ts":"2024-05-01T09:00:00Z","account":"d","ip":"203.0.113.4","outcome":"success"}""",   // 2 h back
            """{"ts":"2024-05-01T10:30:00Z","account":"e","ip":"203.0.113.5","outcome":"success"}""");   // 30 min back
        using ILoginEventReader reader = LoginEventReaders.Open(new MemoryStream(Encoding.UTF8.GetBytes(log)), LoginLogFormat.Jsonl);
        ReplayResult result = ReplayRunner.Run(reader, null, new MamoriOptions(), strict: false);
        using JsonDocument report = ReportOf(result);

        Assert.Equal(2, result.OutOfOrder);
        Assert.Equal(4, result.FirstOutOfOrderLine);
        Assert.Equal(2, report.RootElement.GetProperty("out_of_order_events").GetInt64());
        Assert.Equal(4, report.RootElement.GetProperty("first_out_of_order_line").GetInt32());
        var html = new StringWriter();
        ReplayReport.WriteHtml(html, "log.jsonl", result, null);
        Assert.Contains("Not in time order:</strong> 2 events", html.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LogInTimeOrder_ReportsNoEventOutOfOrder()
    {
        (_, ReplayResult result) = Replay(BuildLog());
        using JsonDocument report = ReportOf(result);

        Assert.Equal(0, result.OutOfOrder);
        Assert.Equal(0, report.RootElement.GetProperty("out_of_order_events").GetInt64());
        Assert.False(report.RootElement.TryGetProperty("first_out_of_order_line", out _));
    }

    [Theory]
    [InlineData(null, "challenge", "allow")]         // the log does not say: the new laptop is stepped up again
    [InlineData("\"passed\"", "allow", "allow")]     // its second factor passed: the laptop is the user's from then on
    [InlineData("true", "allow", "allow")]
    [InlineData("\"failed\"", "challenge", "challenge")]   // failed: whoever holds the password is asked again, even on the phone
    public void StepUpPassedInTheLog_TrustsTheDevice_AsTheServerDoes(string? stepUp, string secondVisit, string phoneAfter)
    {
        var log = new StringBuilder();
        void Line(string ts, string ip, string device, string country, int asn, string? extra = null) =>
            log.Append(CultureInfo.InvariantCulture, $$"""{"ts":"{{ts}}","account":"kei","ip":"{{ip}}","outcome":"success","device":"{{device}}","user_agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)","asn":{{asn}},"country":"{{country}}"{{extra}}}""").Append('\n');
        for (int day = 1; day <= 4; day++) Line($"2024-05-0{day}T09:00:00Z", "126.1.2.3", "phone", "JP", 17676);
        // A week later, a new laptop in Germany: a new country steps up; the log may say how the second factor went.
        Line("2024-05-11T09:00:00Z", "91.12.13.14", "laptop", "DE", 3320, stepUp is null ? null : $",\"step_up\":{stepUp}");
        Line("2024-05-11T10:00:00Z", "91.12.13.14", "laptop", "DE", 3320);
        Line("2024-05-11T11:00:00Z", "126.1.2.3", "phone", "JP", 17676);

        (string decisions, _) = Replay(log.ToString());
        string[] rows = decisions.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("5,challenge,", rows[5], StringComparison.Ordinal);
        Assert.StartsWith($"6,{secondVisit},", rows[6], StringComparison.Ordinal);
        Assert.StartsWith($"7,{phoneAfter},", rows[7], StringComparison.Ordinal);
        Assert.Equal(phoneAfter == "challenge", rows[7].Contains("step_up_requested", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, true)]            // the log does not say: the hit's secret is still exposed at the new laptop
    [InlineData("\"passed\"", false)]  // the owner's second factor passed since: it ends there, as on the server
    public void SecretGuessedFromAbroad_StepsUpTheNextNewEnvironment_UntilAStepUpPasses(string? stepUp, bool exposed)
    {
        var log = new StringBuilder();
        void Line(string ts, string ip, string device, string country, int asn, string outcome, string fp, string? extra = null) =>
            log.Append(CultureInfo.InvariantCulture, $$"""{"ts":"{{ts}}","account":"kei","ip":"{{ip}}","outcome":"{{outcome}}","device":"{{device}}","user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64)","asn":{{asn}},"country":"{{country}}","secret_fp":"{{fp}}"{{extra}}}""").Append('\n');
        const string Right = "00000000000000aa";
        for (int day = 1; day <= 4; day++) Line($"2024-05-0{day}T09:00:00Z", "126.1.2.3", "pc", "JP", 17676, "success", Right);
        // A guesser abroad: fifteen PINs, then the right one (brute force: held up, and the secret marked exposed).
        for (int i = 0; i < 15; i++) Line($"2024-05-06T03:{i:D2}:00Z", "185.220.101.5", "x", "DE", 24940, "wrong_secret", $"00000000000001{i:x2}");
        Line("2024-05-06T03:20:00Z", "185.220.101.5", "x", "DE", 24940, "success", Right);
        Line("2024-05-06T09:00:00Z", "126.1.2.3", "pc", "JP", 17676, "success", Right, stepUp is null ? null : $",\"step_up\":{stepUp}");
        // Hours later, a new browser profile on a home line in Japan, with the owner's browser string.
        Line("2024-05-06T12:00:00Z", "153.1.2.3", "laptop", "JP", 4713, "success", Right);

        (string decisions, _) = Replay(log.ToString());
        string[] rows = decisions.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("brute_force", rows[20], StringComparison.Ordinal);
        Assert.DoesNotContain(",allow,", rows[20], StringComparison.Ordinal);
        Assert.StartsWith("21,allow,", rows[21], StringComparison.Ordinal);   // the owner's own computer
        Assert.Equal(exposed, rows[22].Contains("exposed_secret", StringComparison.Ordinal));
        Assert.Equal(exposed, !rows[22].StartsWith("22,allow,", StringComparison.Ordinal));
    }

    [Fact]
    public void LogWithEveryField_CountsThemAndMissesNone()
    {
        (_, ReplayResult result) = Replay(BuildLog());
        using JsonDocument report = ReportOf(result);

        JsonElement fields = report.RootElement.GetProperty("fields");
        Assert.Equal(230, fields.GetProperty("user_agent").GetInt64());
        Assert.Equal(180, fields.GetProperty("device").GetInt64());   // the spray's 50 attempts bring no token
        Assert.Equal(230, fields.GetProperty("secret_fp").GetInt64());
        Assert.Equal(230, fields.GetProperty("asn").GetInt64());
        Assert.Equal(230, fields.GetProperty("country").GetInt64());
        Assert.Equal(0, report.RootElement.GetProperty("missing_fields").GetArrayLength());
    }

    [Fact]
    public void LogOfAddressesOnly_SaysWhatTheEngineCannotSee_AndWhatToDo()
    {
        string log = string.Join('\n', Enumerable.Range(0, 200).Select(i =>
            $$"""{"ts":"2024-05-01T10:{{i / 60:D2}}:{{i % 60:D2}}Z","account":"u{{i % 20}}","ip":"203.0.113.{{i % 50 + 1}}","outcome":"success"}"""));
        using ILoginEventReader reader = LoginEventReaders.Open(new MemoryStream(Encoding.UTF8.GetBytes(log)), LoginLogFormat.Jsonl);
        ReplayResult result = ReplayRunner.Run(reader, null, new MamoriOptions(), strict: false);
        using JsonDocument report = ReportOf(result);

        string[][] missing = report.RootElement.GetProperty("missing_fields").EnumerateArray()
            .Select(m => m.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).ToArray()).ToArray();
        Assert.Equal([["asn", "country"], ["user_agent"], ["device"], ["secret_fp"]], missing);
        Assert.Contains("--geoip", report.RootElement.GetProperty("missing_fields")[0].GetProperty("consequence").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, report.RootElement.GetProperty("fields").GetProperty("asn").GetInt64());
        var html = new StringWriter();
        ReplayReport.WriteHtml(html, "log.jsonl", result, null);
        Assert.Contains("The log has no asn or country:</strong>", html.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LogWithCountryButNoAsn_AsksForAnAsnDatabaseOnly()
    {
        string log = string.Join('\n', Enumerable.Range(0, 100).Select(i =>
            $$"""{"ts":"2024-05-01T10:{{i / 60:D2}}:{{i % 60:D2}}Z","account":"u{{i % 20}}","ip":"203.0.113.{{i % 50 + 1}}","outcome":"success","country":"JP","user_agent":"curl/8","device":"d{{i % 20}}","secret_fp":"0f99f04a8aae4cfb"}"""));
        using ILoginEventReader reader = LoginEventReaders.Open(new MemoryStream(Encoding.UTF8.GetBytes(log)), LoginLogFormat.Jsonl);
        ReplayResult result = ReplayRunner.Run(reader, null, new MamoriOptions(), strict: false);

        (string[] fields, string consequence) = Assert.Single(result.Fields.Missing(result.Events));
        Assert.Equal(["asn"], fields);
        Assert.Contains("ASN database", consequence, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_NamesTheCampaignTheTakeoverAndItsSources()
    {
        var scorer = new LabelScorer();
        (_, ReplayResult result) = Replay(BuildLog(), scorer);
        using JsonDocument report = ReportOf(result, scorer.Report());
        JsonElement root = report.RootElement;
        Assert.Equal(230, root.GetProperty("events").GetInt64());
        JsonElement[] campaigns = root.GetProperty("campaigns").EnumerateArray().ToArray();
        Assert.True(campaigns.Length <= 2, string.Join(",", campaigns.Select(c => c.GetProperty("kind").GetString())));
        JsonElement campaign = Assert.Single(campaigns, c => c.GetProperty("kind").GetString() == "password_spray");

        Assert.True(campaign.GetProperty("accounts_targeted").GetInt64() >= 30);
        Assert.StartsWith("fp_", campaign.GetProperty("secret_ids")[0].GetString(), StringComparison.Ordinal);
        JsonElement victim = Assert.Single(root.GetProperty("likely_takeovers").EnumerateArray(), t => t.GetProperty("account").GetString() == "user45");
        Assert.Equal("high", victim.GetProperty("confidence").GetString());
        Assert.True(root.GetProperty("takeover_counts").GetProperty("high").GetInt64() >= 1);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("exposed_passwords").ValueKind);
        Assert.Contains(root.GetProperty("attack_sources").GetProperty("asns").EnumerateArray(), s => s.GetProperty("source").GetString() == "AS16276");
        JsonElement score = root.GetProperty("score");
        Assert.Contains(score.EnumerateArray(), r => r.GetProperty("scenario").GetString() == "password-spray" && r.GetProperty("takeovers_stopped").GetInt64() == 1);
        // Nothing secret leaves: no fingerprint appears in the report.
        string text = root.GetRawText();
        Assert.DoesNotContain(SecretFingerprint.Compute(s_pepper, "Summer2020!").ToHex(), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Score_ChecksTheAnalystsListAgainstTheLabels()
    {
        var scorer = new LabelScorer();
        (_, ReplayResult result) = Replay(BuildLog(), scorer);
        using JsonDocument report = ReportOf(result, scorer.Report());
        JsonElement root = report.RootElement;
        string[] listed = root.GetProperty("likely_takeovers").EnumerateArray().Select(t => t.GetProperty("account").GetString()!).ToArray();
        JsonElement triage = root.GetProperty("triage_score");

        // The log's one takeover is user45's; the list names it, and the score says where.
        Assert.Equal(1, triage.GetProperty("taken_accounts").GetInt32());
        Assert.Equal(1, triage.GetProperty("taken_accounts_listed").GetInt32());
        Assert.Equal(listed.Count(a => a == "user45"), triage.GetProperty("high_taken").GetInt32() + triage.GetProperty("medium_taken").GetInt32());
        Assert.Equal(listed.Length, triage.GetProperty("high").GetInt32() + triage.GetProperty("medium").GetInt32());
        JsonElement first = triage.GetProperty("taken_in_first")[0];
        Assert.Equal(Math.Min(100, listed.Length), first.GetProperty("accounts").GetInt32());
        Assert.Equal(1, first.GetProperty("taken").GetInt32());
        Assert.False(triage.GetProperty("incomplete").GetBoolean());
        Assert.StartsWith("likely takeovers against the labels: 1 of 1 taken accounts listed (100 %)", result.ScoreTriage()!.ToText(), StringComparison.Ordinal);
        var html = new StringWriter();
        ReplayReport.WriteHtml(html, "log.jsonl", result, scorer.Report());
        Assert.Contains("likely takeovers against the labels: 1 of 1", html.ToString(), StringComparison.Ordinal);

        // Without --score there is nothing to score against.
        (_, ReplayResult unscored) = Replay(BuildLog());
        Assert.Null(unscored.ScoreTriage());
        using JsonDocument plain = ReportOf(unscored);
        Assert.False(plain.RootElement.TryGetProperty("triage_score", out _));
    }

    [Fact]
    public void Summary_NamesTheLargestCampaignAndTheTakeover_WithWhereToLookNext()
    {
        (_, ReplayResult result) = Replay(BuildLog());
        var text = new StringWriter();
        ReplayReport.WriteSummary(text, result);
        string[] lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        int campaigns = ReplayRunner.AllCampaigns(result).Count;
        Assert.Equal($"campaigns, largest first ({campaigns} of {campaigns}):", lines[0]);
        string spray = Assert.Single(lines[1..(1 + campaigns)], l => l.Contains("password_spray", StringComparison.Ordinal));
        Assert.Contains("attempts on", spray, StringComparison.Ordinal);
        Assert.Contains("mostly AS16276", spray, StringComparison.Ordinal);
        Assert.StartsWith("likely takeovers, most confident first", lines[1 + campaigns], StringComparison.Ordinal);
        string victim = Assert.Single(lines, l => l.Contains(" user45 ", StringComparison.Ordinal));
        Assert.StartsWith("  high", victim, StringComparison.Ordinal);
        Assert.Contains("line 227", victim, StringComparison.Ordinal);   // 180 history lines, a bad one, then the spray: its 46th attempt
        Assert.DoesNotContain(SecretFingerprint.Compute(s_pepper, "secret-45").ToHex(), text.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Summary_CountsOneAccountAndOneAddress_InTheSingular()
    {
        // Forty guesses at one account from one address: "on 1 account from 1 address", not "1 accounts … 1 addresses".
        var log = new StringBuilder();
        var t = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 40; i++)
            log.Append(CultureInfo.InvariantCulture, $"{{\"ts\":\"{t.AddSeconds(i * 5):O}\",\"account\":\"victim\",\"ip\":\"198.51.100.7\",\"outcome\":\"wrong_secret\"}}\n");
        (_, ReplayResult result) = Replay(log.ToString());
        var text = new StringWriter();
        ReplayReport.WriteSummary(text, result);

        string campaign = Assert.Single(text.ToString().Split('\n'), l => l.Contains("brute_force", StringComparison.Ordinal));
        Assert.Matches(@" \d+ attempts on 1 account from 1 address, mostly 198\.51\.100\.0/24$", campaign);
    }

    [Fact]
    public void Summary_OfMoreCampaignsThanItShows_SaysWhatKindsTheRestAre()
    {
        // Seven guessing runs, each at its own account from its own address, a day apart: five are shown, all seven counted.
        var log = new StringBuilder();
        var t = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
        for (int run = 0; run < 7; run++)
            for (int i = 0; i < 40; i++)
                log.Append(CultureInfo.InvariantCulture, $"{{\"ts\":\"{t.AddDays(run).AddSeconds(i * 5):O}\",\"account\":\"victim{run}\",\"ip\":\"198.51.{100 + run}.7\",\"outcome\":\"wrong_secret\"}}\n");
        (_, ReplayResult result) = Replay(log.ToString());
        var text = new StringWriter();
        ReplayReport.WriteSummary(text, result);

        string[] lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, ReplayRunner.AllCampaigns(result).Count);
        Assert.Equal("campaigns, largest first (5 of 7; brute_force 7):", lines[0]);
        Assert.Equal(5, lines[1..].Count(l => l.StartsWith("  cmp-", StringComparison.Ordinal) && l.Contains(" brute_force ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Summary_PrintsAnAccountNamesTerminalEscapes_Visibly()
    {
        // The taken account named to recolour and erase the summary's lines; JSON carries it escaped.
        string log = BuildLog().Replace("\"account\":\"user45\"", "\"account\":\"\\u001b[31mEVIL\\u001b[0m\\r\\u001b[2K\"", StringComparison.Ordinal);
        (_, ReplayResult result) = Replay(log);
        var text = new StringWriter();
        ReplayReport.WriteSummary(text, result);

        Assert.DoesNotContain('\u001b', text.ToString());
        Assert.DoesNotContain('\r', text.ToString());
        string victim = Assert.Single(text.ToString().Split('\n'), l => l.Contains("EVIL", StringComparison.Ordinal));
        Assert.StartsWith(@"  high   \u001B[31mEVIL\u001B[0m\u000D\u001B[2K  ", victim, StringComparison.Ordinal);
        Assert.Contains(result.LikelyTakeovers(), t => t.Account == "\u001b[31mEVIL\u001b[0m\r\u001b[2K");   // the report's own value is untouched
    }

    [Fact]
    public void Summary_OfALogWithNothingFound_IsEmpty()
    {
        string log = """{"ts":"2024-05-01T10:00:00Z","account":"a","ip":"203.0.113.1","outcome":"success"}""";
        (_, ReplayResult result) = Replay(log);
        var text = new StringWriter();
        ReplayReport.WriteSummary(text, result);
        Assert.Equal("", text.ToString());
    }

    [Fact]
    public void HtmlReport_IsOneSelfContainedPage()
    {
        (_, ReplayResult result) = Replay(BuildLog());
        var html = new StringWriter();
        ReplayReport.WriteHtml(html, "log.jsonl", result, null);
        string page = html.ToString();
        Assert.StartsWith("<!doctype html>", page, StringComparison.Ordinal);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.Contains("password_spray", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", page, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlCampaigns_AreTheLargest_InTheOrderTheyBegan()
    {
        // A cold replay of a carrier's log opens hundreds of one-login rings; the bars must still show the stuffing run.
        var t0 = new DateTimeOffset(2025, 4, 13, 0, 0, 0, TimeSpan.Zero);
        CampaignView View(int n, long attempts) => new()
        {
            Id = $"cmp-{n:D4}", Kind = attempts == 1 ? CampaignKind.AccountTakeover : CampaignKind.CredentialStuffing,
            FirstSeen = t0.AddHours(n), LastSeen = t0.AddHours(n + 1), Open = false, Attempts = attempts, AccountsTargeted = attempts,
            Successes = [], TopSubnets = [], TopAsns = [], TopIps = [], SecretIds = [], DistinctIps = 1,
        };
        var campaigns = Enumerable.Range(0, 60).Select(n => View(n, n % 3 == 0 ? 1 : 100 + n)).ToList();   // 20 one-login rings

        IReadOnlyList<CampaignView> bars = ReplayReport.Largest(campaigns, ReplayReport.MaxCampaignBars);

        Assert.Equal(ReplayReport.MaxCampaignBars, bars.Count);
        Assert.All(bars, c => Assert.NotEqual(1, c.Attempts));
        Assert.Equal(bars.OrderBy(c => c.FirstSeen).Select(c => c.Id), bars.Select(c => c.Id));
        Assert.Equal(campaigns.Take(5), ReplayReport.Largest(campaigns.Take(5).ToList(), ReplayReport.MaxCampaignBars));   // fewer than the cap: all, as they were
    }

    [Fact]
    public void RbaRows_ReplayThroughTheSameEngine()
    {
        const string rba = "index,Login Timestamp,User ID,Round-Trip Time [ms],IP Address,Country,Region,City,ASN,User Agent String,Browser Name and Version,OS Name and Version,Device Type,Login Successful,Is Attack IP,Is Account Takeover\n" +
            "0,2020-02-03 12:43:30.772,-4324475583306591935,,10.0.65.171,NO,-,-,29695,Mozilla/5.0 (iPhone; CPU iPhone OS 13_4 like Mac OS X),Mobile Safari 13.0,iOS 13.4,mobile,False,False,False\n" +
            "1,2020-02-03 12:43:43.549,-4324475583306591935,463,10.0.65.171,NO,-,-,29695,Mozilla/5.0 (iPhone; CPU iPhone OS 13_4 like Mac OS X),Mobile Safari 13.0,iOS 13.4,mobile,True,False,False\n" +
            "2,not a time,-1,,10.0.0.1,NO,-,-,1,x,x,x,x,True,False,False\n";
        using ILoginEventReader reader = LoginEventReaders.Open(new MemoryStream(Encoding.UTF8.GetBytes(rba)), LoginLogFormat.Rba);
        var decisions = new StringWriter();
        ReplayResult result = ReplayRunner.Run(reader, decisions, new MamoriOptions(), strict: false);
        Assert.Equal(2, result.Events);
        Assert.Equal(1, result.BadRows);
        Assert.Equal(3, decisions.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
