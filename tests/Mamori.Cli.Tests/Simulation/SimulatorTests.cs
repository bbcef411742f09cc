using System.Text.Json;
using Mamori.Simulation;

namespace Mamori.Cli.Tests.Simulation;

public sealed class SimulatorTests
{
    private static readonly HashSet<string> s_hostingAsns = ["16509", "14061", "16276", "20473", "63949", "24940"];

    [Fact]
    public void SameSeed_GivesByteIdenticalOutput()
    {
        byte[] first = SimulatedLogs.Bytes(SimulationScenario.Mixed, 1_500, 2, seed: 7);
        byte[] second = SimulatedLogs.Bytes(SimulationScenario.Mixed, 1_500, 2, seed: 7);
        Assert.True(first.Length > 10_000);
        Assert.Equal(first, second);
    }

    [Fact]
    public void DifferentSeed_GivesDifferentOutput()
    {
        byte[] first = SimulatedLogs.Bytes(SimulationScenario.Legit, 500, 1, seed: 1);
        byte[] second = SimulatedLogs.Bytes(SimulationScenario.Legit, 500, 1, seed: 2);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void EveryLine_FollowsTheJsonlSchema()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Mixed, 3_000, 3);
        string[] outcomes = ["success", "wrong_secret", "unknown_account", "locked"];
        foreach (string text in System.Text.Encoding.UTF8.GetString(log.Bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            JsonElement r = doc.RootElement;
            string ts = r.GetProperty("ts").GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", ts);
            Assert.Matches(@"^\d{7}$", r.GetProperty("account").GetString()!);
            Assert.True(System.Net.IPAddress.TryParse(r.GetProperty("ip").GetString(), out _), text);
            Assert.Contains(r.GetProperty("outcome").GetString(), outcomes);
            if (r.TryGetProperty("secret_fp", out JsonElement fp)) Assert.Matches("^[0-9a-f]{16}$", fp.GetString()!);
            Assert.Equal(JsonValueKind.Number, r.GetProperty("asn").ValueKind);
            Assert.Matches("^[A-Z]{2}$", r.GetProperty("country").GetString()!);
            Assert.Contains(r.GetProperty("label").GetString(), new[] { "legit", "attack" });
            bool takeover = r.GetProperty("takeover").GetBoolean();
            if (takeover)
            {
                Assert.Equal("attack", r.GetProperty("label").GetString());
                Assert.Equal("success", r.GetProperty("outcome").GetString());
            }
        }
    }

    [Fact]
    public void Events_AreInTimeOrderWithinThePeriod()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Mixed, 3_000, 3);
        var start = new DateTimeOffset(2020, 9, 7, 0, 0, 0, TimeSpan.FromHours(9));
        for (int i = 1; i < log.Lines.Count; i++) Assert.True(log.Lines[i - 1].Ts <= log.Lines[i].Ts);
        Assert.True(log.Lines[0].Ts >= start);
        Assert.True(log.Lines[^1].Ts < start.AddDays(3));
    }

    [Fact]
    public void Mixed_ContainsEveryAttackAndTakeovers()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Mixed, 3_000, 3);
        foreach (SimulationScenario attack in ScenarioNames.Attacks)
            Assert.NotEmpty(log.Attack(attack.ToWireName()));
        Assert.Contains(log.Lines, l => l.Takeover);
        Assert.NotEmpty(log.Legit);
    }

    [Fact]
    public void ReverseBruteForce_EachAccountSeesAtMostTwoFailures_AndEachAddressAtMostTwoAttemptsAnHour()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.ReverseBruteForce, 20_000, 2);
        var attack = log.Attack("reverse-brute-force").ToList();
        Assert.True(attack.Count > 4_000);
        Assert.All(attack.GroupBy(a => a.Account), g => Assert.True(g.Count(a => a.Outcome != "success") <= 2));
        foreach (var perIp in attack.GroupBy(a => a.Ip))
        {
            var times = perIp.Select(a => a.Ts).OrderBy(t => t).ToList();
            for (int i = 2; i < times.Count; i++)
                Assert.True(times[i] - times[i - 2] >= TimeSpan.FromHours(1), $"{perIp.Key} made 3 attempts within an hour");
        }
        Assert.True(attack.Select(a => a.Ip).Distinct().Count() >= 250);
        double unknown = attack.Count(a => a.Outcome == "unknown_account") / (double)attack.Count;
        Assert.InRange(unknown, 0.25, 0.75);
        // One PIN across many accounts: the most used fingerprint covers thousands of accounts.
        Assert.True(attack.GroupBy(a => a.SecretFp).Max(g => g.Select(a => a.Account).Distinct().Count()) > 3_000);
    }

    [Fact]
    public void CgnatAddresses_CarryThousandsOfAccounts_MostlySucceeding()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Legit, 30_000, 3);
        var busiest = log.Legit.GroupBy(l => l.Ip).OrderByDescending(g => g.Select(l => l.Account).Distinct().Count()).First();
        Assert.True(busiest.Select(l => l.Account).Distinct().Count() >= 1_000);
        Assert.True(busiest.Count(l => l.Outcome == "success") > 0.9 * busiest.Count());
        Assert.Contains(busiest.First().Asn, new[] { 9605, 2516, 17676, 131449 });
    }

    [Fact]
    public void Offices_PutHundredsOfUsersBehindOneBusinessAddress()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Legit, 30_000, 3);
        int[] business = [2497, 4713, 2516];
        var office = log.Legit.Where(l => business.Contains(l.Asn)).GroupBy(l => l.Ip)
            .Max(g => g.Select(l => l.Account).Distinct().Count());
        Assert.True(office >= 50, $"largest office had {office} users");
    }

    [Fact]
    public void LegitimateSuccesses_IncludeUsersWhosePasswordIsPopular()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Mixed, 3_000, 3);
        var popular = PopularSecrets.Ranked.Select(s => SecretFingerprints.Of(s).Value.ToString("x16")).ToHashSet();
        var successes = log.Legit.Where(l => l.Outcome == "success").ToList();
        double share = successes.Count(l => popular.Contains(l.SecretFp!)) / (double)successes.Count;
        Assert.InRange(share, 0.01, 0.15);
        // "123456" is sprayed by the attack and is also some real users' password.
        string sprayed = SecretFingerprints.Of("123456").Value.ToString("x16");
        Assert.Contains(successes, l => l.SecretFp == sprayed);
        Assert.Contains(log.Attack("password-spray"), l => l.SecretFp == sprayed);
    }

    [Fact]
    public void Typos_UseDistinctWrongFingerprints_ThenSucceed()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Legit, 5_000, 3);
        var typos = log.Legit.Where(l => l.Scenario == "typo" && l.Outcome == "wrong_secret").ToList();
        Assert.True(typos.Count > 100);
        Assert.Equal(typos.Count, typos.Select(t => t.SecretFp).Distinct().Count());
        Assert.All(typos.Take(50), t => Assert.Contains(log.Legit, l => l.Account == t.Account && l.Outcome == "success" && l.Ts > t.Ts));
    }

    [Fact]
    public void ForgottenPasswords_RepeatTheSameWrongSecret()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Legit, 30_000, 3);
        var forgotten = log.Legit.Where(l => l.Scenario == "forgotten" && l.Outcome == "wrong_secret").GroupBy(l => l.Account).ToList();
        Assert.NotEmpty(forgotten);
        Assert.Contains(forgotten, g => g.GroupBy(l => l.SecretFp).Any(s => s.Count() >= 2));
    }

    [Fact]
    public void SomeLegitimateClients_SendNoDeviceToken()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Legit, 5_000, 3);
        var successes = log.Legit.Where(l => l.Outcome == "success").ToList();
        Assert.InRange(successes.Count(l => l.Device is null) / (double)successes.Count, 0.03, 0.25);
    }

    [Fact]
    public void Travel_LogsInFromAbroad_AndNewPhones_BringNewDevices()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Legit, 30_000, 3);
        Assert.Contains(log.Legit, l => l.Scenario == "travel" && l.Country != "JP");
        var newPhone = log.Legit.First(l => l.Scenario == "new-phone" && l.Device is not null);
        Assert.DoesNotContain(log.Legit, l => l.Account == newPhone.Account && l.Device == newPhone.Device && l.Scenario != "new-phone" && l.Ts < newPhone.Ts);
    }

    [Fact]
    public void Families_ShareAHomeLineAndAPc_AndSomeUsersComeThroughPrivateRelay()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Legit, 30_000, 3);
        // A shared PC: one device token, two accounts, both succeeding.
        Assert.Contains(log.Legit.Where(l => l.Device is not null && l.Outcome == "success").GroupBy(l => l.Device),
            g => g.Select(l => l.Account).Distinct().Count() == 2);
        // Legitimate logins from CDN/VPN networks that look like hosting.
        var relayed = log.Legit.Where(l => l.Asn is 13335 or 36183 or 9009 && l.Outcome == "success").ToList();
        Assert.True(relayed.Count > 100);
        Assert.True(relayed.Select(l => l.Ip).Distinct().Count() > relayed.Count / 2, "relay addresses should change per session");
    }

    [Fact]
    public void PasswordSpray_FewSecretsManyAccountsManyAddressesInclHosting()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.PasswordSpray, 5_000, 2);
        var spray = log.Attack("password-spray").ToList();
        Assert.Equal(3, spray.Select(s => s.SecretFp).Distinct().Count());
        Assert.True(spray.Select(s => s.Account).Distinct().Count() >= 3_000);
        Assert.True(spray.Select(s => s.Ip).Distinct().Count() >= 800);
        Assert.Contains(spray, s => s_hostingAsns.Contains(s.Asn.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void CredentialStuffing_SucceedsOnAboutOnePointFivePercent_WithUnknownAccounts()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.CredentialStuffing, 10_000, 2);
        var stuffing = log.Attack("credential-stuffing").ToList();
        Assert.True(stuffing.Count >= 19_000);
        Assert.InRange(stuffing.Count(s => s.Outcome == "success") / (double)stuffing.Count, 0.007, 0.03);
        Assert.InRange(stuffing.Count(s => s.Outcome == "unknown_account") / (double)stuffing.Count, 0.25, 0.55);
        Assert.All(stuffing.Where(s => s.Outcome == "success"), s => Assert.True(s.Takeover));
        // Leaked-password popularity is Zipfian: the top password is tried against hundreds of accounts.
        Assert.True(stuffing.GroupBy(s => s.SecretFp).Max(g => g.Count()) > 500);
    }

    [Fact]
    public void BruteForce_TriesManySecretsOnOneAccount()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.BruteForce, 2_000, 2);
        var brute = log.Attack("brute-force").ToList();
        Assert.True(brute.GroupBy(b => b.Account).Max(g => g.Select(b => b.SecretFp).Distinct().Count()) >= 100);
        Assert.Contains(brute, b => b.Takeover);
    }

    [Fact]
    public void Phished_TakeoversComeFromAbroadOnAttackerDevicesReusedAcrossVictims()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.Phished, 5_000, 3);
        var takeovers = log.Attack("phished").Where(p => p.Takeover).ToList();
        Assert.True(takeovers.Count >= 10);
        Assert.Contains(takeovers, t => t.Country != "JP");
        Assert.Contains(takeovers.GroupBy(t => t.Device), g => g.Select(t => t.Account).Distinct().Count() >= 3);
        Assert.All(takeovers, t => Assert.DoesNotContain(log.Legit, l => l.Account == t.Account && l.Device == t.Device));
    }

    [Fact]
    public void LowSlowSpray_UsesAboutOneAttemptPerAddressOverDays()
    {
        SimulatedLogs.Log log = SimulatedLogs.Get(SimulationScenario.LowSlowSpray, 5_000, 4);
        var spray = log.Attack("low-slow-spray").ToList();
        Assert.True(spray.Count >= 3_500);
        Assert.True(spray.GroupBy(s => s.Ip).Max(g => g.Count()) <= 2);
        Assert.True(spray[^1].Ts - spray[0].Ts > TimeSpan.FromDays(3.5));
    }

    [Fact]
    public void WarmupDays_AddLegitimateHistoryBeforeThePeriod_AndNoAttacks()
    {
        var start = new DateTimeOffset(2020, 9, 7, 0, 0, 0, TimeSpan.FromHours(9));
        var events = Simulator.Run(new SimulationOptions { Scenario = SimulationScenario.Mixed, Users = 2_000, Days = 2, WarmupDays = 3, Seed = 1 });
        var before = events.Where(e => e.Timestamp < start).ToList();
        Assert.True(before.Count > 1_000);
        Assert.True(before[0].Timestamp < start.AddDays(-2.5));
        Assert.All(before, e => Assert.Equal(TruthLabel.Legit, e.Label));
        Assert.Contains(events, e => e.Label == TruthLabel.Attack);

        var scorer = new Mamori.Simulation.Scoring.LabelScorer(scoreFrom: start);
        foreach (SimulatedLogin e in events) scorer.Add(e.Truth, e.Outcome, Intervention.Allow, e.Timestamp);
        Assert.Equal(before.Count, scorer.SkippedWarmup);
        Assert.Equal(events.Count - before.Count, scorer.Report().AllLegit.Events + scorer.Report().AllAttacks.Events);
    }

    [Fact]
    public void Tenants_TagEveryEvent_AndTheSprayCrossesThem()
    {
        var events = Simulator.Run(new SimulationOptions { Scenario = SimulationScenario.PasswordSpray, Users = 5_000, Days = 2, Tenants = 28, Seed = 1 });
        Assert.All(events, e => Assert.Matches("^org-0[0-2][0-9]$", e.Tenant!));
        Assert.True(events.Where(e => e.Label == TruthLabel.Attack).Select(e => e.Tenant).Distinct().Count() >= 20);
        // A user always logs in to the same tenant.
        Assert.All(events.Where(e => e.Label == TruthLabel.Legit && e.Outcome != Mamori.Events.LoginOutcome.UnknownAccount).GroupBy(e => e.Account),
            g => Assert.Single(g.Select(e => e.Tenant).Distinct()));
        Assert.Null(Simulator.Run(new SimulationOptions { Scenario = SimulationScenario.Legit, Users = 100, Days = 1 })[0].Tenant);
    }

    [Fact]
    public void InvalidOptions_AreReportedTogether()
    {
        var options = new SimulationOptions { Users = 0, Days = 400 };
        IReadOnlyList<string> errors = options.Validate();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("--users", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--days", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => Simulator.Run(options));
        Assert.Contains("at most 20,000,000", Assert.Single(new SimulationOptions { Users = 2_000_000, Days = 30 }.Validate()), StringComparison.Ordinal);
        Assert.Empty(new SimulationOptions { Users = 100_000, Days = 7, WarmupDays = 7, Tenants = 28 }.Validate());
    }
}
