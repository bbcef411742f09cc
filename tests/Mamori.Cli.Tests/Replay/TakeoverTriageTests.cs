using Mamori.Cli.Replay;
using Mamori.Policy;

namespace Mamori.Cli.Tests.Replay;

/// <summary>The analyst's morning lists: which successful logins look taken, which only exposed a password.</summary>
public sealed class TakeoverTriageTests
{
    private static Decision D(Verdict verdict, bool familiar, params ReasonCode[] codes) => new()
    {
        Verdict = verdict, PolicyVerdict = verdict, Score = codes.Length == 0 ? 0 : 0.8, Familiar = familiar,
        Reasons = codes.Select(c => new Reason(c, "")).ToArray(),
    };

    private static TakeoverConfidence Classify(Decision preAuth, Decision outcome) => TakeoverTriage.Classify(new EventAssessment(preAuth, outcome));

    [Fact]
    public void SprayedPassword_FromAnEnvironmentNewToTheAccount_IsHighConfidence()
    {
        Assert.Equal(TakeoverConfidence.High, Classify(
            D(Verdict.Challenge, false, ReasonCode.SprayedSecret, ReasonCode.CampaignSecret),
            D(Verdict.StepUp, false, ReasonCode.SprayedSecret, ReasonCode.UnfamiliarEnvironment)));
    }

    [Fact]
    public void SprayedPassword_OnTheOwnersTokenAfterImpossibleTravel_IsHighConfidence()
    {
        // A stolen device token: the device is the account's own, so only the journey says it is not the owner.
        Assert.Equal(TakeoverConfidence.High, Classify(
            D(Verdict.Challenge, false, ReasonCode.SprayedSecret),
            D(Verdict.StepUp, false, ReasonCode.SprayedSecret, ReasonCode.ImpossibleTravel, ReasonCode.TrustedDevice)));
    }

    [Fact]
    public void SprayedPassword_FromTheOwnersOwnDevice_IsAnExposedPasswordNotATakeover()
    {
        Assert.Equal(TakeoverConfidence.ExposedPassword, Classify(
            D(Verdict.Challenge, false, ReasonCode.SprayedSecret, ReasonCode.CampaignSecret),
            D(Verdict.Allow, true, ReasonCode.CampaignSecret)));
    }

    [Fact]
    public void Ring_WithoutEvidenceAgainstTheSecret_IsMedium_UnlessDenied_AndHighBesideSuchEvidence()
    {
        // A VPN exit that several accounts' first logins of a replay came through steps up live, as a ring's would.
        Assert.Equal(TakeoverConfidence.Medium, Classify(D(Verdict.Allow, false), D(Verdict.StepUp, false, ReasonCode.TakeoverRing, ReasonCode.UnfamiliarEnvironment)));
        Assert.Equal(TakeoverConfidence.High, Classify(D(Verdict.Allow, false), D(Verdict.Deny, false, ReasonCode.TakeoverRing)));   // a device in many accounts
        Assert.Equal(TakeoverConfidence.High, Classify(
            D(Verdict.Challenge, false, ReasonCode.StuffingSource), D(Verdict.StepUp, false, ReasonCode.TakeoverRing, ReasonCode.UnfamiliarEnvironment)));
    }

    [Fact]
    public void StuffingSource_HeldUpButWithoutANewEnvironment_IsMedium()
    {
        Assert.Equal(TakeoverConfidence.Medium, Classify(D(Verdict.Challenge, false, ReasonCode.StuffingSource), D(Verdict.Allow, false, ReasonCode.StuffingSource)));
    }

    [Fact]
    public void ServiceWideSpike_CountsOnlyBesideAnUnfamiliarEnvironment()
    {
        Assert.Equal(TakeoverConfidence.None, Classify(D(Verdict.Allow, false, ReasonCode.GlobalFailureSpike), D(Verdict.StepUp, false, ReasonCode.GlobalFailureSpike)));
        Assert.Equal(TakeoverConfidence.Medium, Classify(
            D(Verdict.Allow, false, ReasonCode.GlobalFailureSpike), D(Verdict.StepUp, false, ReasonCode.GlobalFailureSpike, ReasonCode.UnfamiliarEnvironment)));
        Assert.Equal(TakeoverConfidence.None, Classify(D(Verdict.Allow, true, ReasonCode.GlobalFailureSpike), D(Verdict.Allow, true, ReasonCode.GlobalFailureSpike)));
    }

    [Fact]
    public void ServiceWideSpike_ALoginWithoutADeviceTokenThatWasHeldUp_IsMedium()
    {
        // Stuffing's takeovers of dormant accounts: no device token, no history, an address nobody succeeds from.
        Decision preAuth = D(Verdict.Allow, false, ReasonCode.GlobalFailureSpike), held = D(Verdict.StepUp, false, ReasonCode.GlobalFailureSpike);
        Assert.Equal(TakeoverConfidence.Medium, TakeoverTriage.Classify(new EventAssessment(preAuth, held), withDevice: false));
        Assert.Equal(TakeoverConfidence.None, TakeoverTriage.Classify(new EventAssessment(preAuth, held), withDevice: true));
        Decision let = D(Verdict.Allow, false, ReasonCode.GlobalFailureSpike);   // the address vouched: let through, not listed
        Assert.Equal(TakeoverConfidence.None, TakeoverTriage.Classify(new EventAssessment(preAuth, let), withDevice: false));
    }

    [Fact]
    public void NewEnvironmentAlone_IsARiskBasedStepUpNotATakeover()
    {
        Assert.Equal(TakeoverConfidence.None, Classify(D(Verdict.Allow, false), D(Verdict.StepUp, false, ReasonCode.UnfamiliarEnvironment)));
    }

    [Fact]
    public void Accounts_AreListedMostConfidentFirst_AndAnOwnersManyLoginsDoNotOutrankAThief()
    {
        var assessment = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.SprayedSecret), D(Verdict.StepUp, false, ReasonCode.SprayedSecret, ReasonCode.UnfamiliarEnvironment));
        var thief = new TakeoverAccount("thief-victim");
        thief.Add(TakeoverConfidence.High, 900, DateTimeOffset.UnixEpoch.AddHours(9), System.Net.IPAddress.Parse("203.0.113.9"), in assessment);
        var busy = new TakeoverAccount("busy-owner");
        for (int i = 0; i < 30; i++) busy.Add(TakeoverConfidence.Medium, 10 + i, DateTimeOffset.UnixEpoch.AddHours(i), System.Net.IPAddress.Parse("126.0.0.1"), in assessment);
        busy.Add(TakeoverConfidence.ExposedPassword, 5, DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse("126.0.0.1"), in assessment);

        var list = new List<TakeoverAccount> { busy, thief };
        list.Sort(TakeoverAccount.Compare);

        Assert.Equal(["thief-victim", "busy-owner"], list.Select(a => a.Account));
        Assert.Equal(30, busy.Logins);
        Assert.Equal(1, busy.ExposedLogins);
        Assert.Equal(5, busy.FirstLine);
        Assert.Equal(TakeoverAccount.MaxLines, busy.Lines.Count);   // bounded, whatever the log
        Assert.Single(busy.Ips);
    }

    [Fact]
    public void AmongMediumAccounts_OneFlaggedLoginComesBeforeSeveral_ButNotAmongHighOnes()
    {
        // An owner whose secret was marked exposed is flagged at each login from a phone not yet learned; a dormant
        // account's single login during a spike is the thief's hit. Same evidence, the owner's logins scored higher.
        var exposed = new EventAssessment(D(Verdict.Allow, false), D(Verdict.StepUp, false, ReasonCode.ExposedSecret, ReasonCode.UnfamiliarEnvironment) with { Score = 0.7 });
        var owner = new TakeoverAccount("owner-on-new-phone");
        for (int i = 0; i < 3; i++) owner.Add(TakeoverConfidence.Medium, 10 + i, DateTimeOffset.UnixEpoch.AddHours(i), System.Net.IPAddress.Parse("180.3.7.9"), in exposed);
        var hit = new TakeoverAccount("dormant-account");
        hit.Add(TakeoverConfidence.Medium, 50, DateTimeOffset.UnixEpoch.AddHours(5), System.Net.IPAddress.Parse("180.3.193.75"),
            new EventAssessment(D(Verdict.Allow, false), D(Verdict.StepUp, false, ReasonCode.ExposedSecret, ReasonCode.UnfamiliarEnvironment) with { Score = 0.5 }));
        var medium = new List<TakeoverAccount> { owner, hit };
        medium.Sort(TakeoverAccount.Compare);
        Assert.True(owner.FlaggedAgain);
        Assert.False(hit.FlaggedAgain);
        Assert.Equal(["dormant-account", "owner-on-new-phone"], medium.Select(a => a.Account));

        // High: a phishing relay's victim, whose thief came back for a trading session, keeps its place by score.
        var stuffed = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.StuffingSource), D(Verdict.StepUp, false, ReasonCode.StuffingSource, ReasonCode.UnfamiliarEnvironment) with { Score = 0.9 });
        var relayed = new TakeoverAccount("relayed-victim");
        relayed.Add(TakeoverConfidence.High, 60, DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse("43.133.16.237"), in stuffed);
        relayed.Add(TakeoverConfidence.High, 70, DateTimeOffset.UnixEpoch.AddDays(1), System.Net.IPAddress.Parse("43.133.16.237"), in stuffed);
        var once = new TakeoverAccount("stuffed-once");
        once.Add(TakeoverConfidence.High, 80, DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse("203.0.113.5"),
            new EventAssessment(D(Verdict.Challenge, false, ReasonCode.StuffingSource), D(Verdict.StepUp, false, ReasonCode.StuffingSource, ReasonCode.UnfamiliarEnvironment) with { Score = 0.8 }));
        var high = new List<TakeoverAccount> { once, relayed };
        high.Sort(TakeoverAccount.Compare);
        Assert.Equal(["relayed-victim", "stuffed-once"], high.Select(a => a.Account));
    }

    [Fact]
    public void TriageScore_CountsTakenAccountsByConfidenceAndDepth()
    {
        var high = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.StuffingSource), D(Verdict.StepUp, false, ReasonCode.StuffingSource, ReasonCode.UnfamiliarEnvironment));
        var list = new List<TakeoverAccount>();
        for (int i = 0; i < 150; i++)
        {
            var account = new TakeoverAccount($"a{i}");
            account.Add(i < 30 ? TakeoverConfidence.High : TakeoverConfidence.Medium, i + 1, DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse("203.0.113.5"), in high);
            list.Add(account);
        }
        // Taken: every third of the first 30 (high), a120 and a149 (medium, past the first 100), and one never listed.
        var taken = new HashSet<string>(Enumerable.Range(0, 10).Select(i => $"a{i * 3}").Append("a120").Append("a149").Append("quiet-victim"), StringComparer.Ordinal);

        TriageScore score = TriageScore.Of(list, taken, incomplete: false);

        Assert.Equal((13, 12), (score.Taken, score.TakenListed));
        Assert.Equal((30, 10), (score.High, score.HighTaken));
        Assert.Equal((120, 2), (score.Medium, score.MediumTaken));
        Assert.Equal([(100, 10), (150, 12)], score.FirstTaken);   // a list shorter than 1,000: its whole length
        Assert.Contains("12 of 13 taken accounts listed (92.3 %)", score.ToText(), StringComparison.Ordinal);
        Assert.Contains("the first 100 hold 10, the first 150 hold 12", score.ToText(), StringComparison.Ordinal);

        TriageScore empty = TriageScore.Of([], taken, incomplete: true);
        Assert.Equal([(0, 0)], empty.FirstTaken);
        Assert.Contains("0 of 13 taken accounts listed (0 %) (more taken accounts than replay tracks", empty.ToText(), StringComparison.Ordinal);
    }

    /// <summary>The accounts, each with one medium login (line 10, 20, …), in the report's order.</summary>
    private static List<TakeoverAccount> MediumAccountsInOrder(params (string Account, string Ip, EventAssessment Login)[] accounts)
    {
        var list = accounts.Select((a, i) =>
        {
            var account = new TakeoverAccount(a.Account);
            account.Add(TakeoverConfidence.Medium, 10 * (i + 1), DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse(a.Ip), in a.Login);
            return account;
        }).ToList();
        list.Sort(TakeoverAccount.Compare);
        return list;
    }

    private static readonly EventAssessment DuringSpike = new(D(Verdict.Allow, false, ReasonCode.GlobalFailureSpike) with { Score = 0.3 },
        D(Verdict.StepUp, false, ReasonCode.GlobalFailureSpike) with { Score = 0.3 });

    [Fact]
    public void WithinAConfidence_AnAccountFlaggedOnItsOwnAddressComesBeforeOneFlaggedOnlyOnACarriersSharedOne()
    {
        // The owner of a sprayed popular password on their carrier's CGNAT address scores higher than a stuffed login
        // from a proxy, yet the proxy's account is the one to look at first.
        var onCarrier = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.SprayedSecret, ReasonCode.SharedAddress),
            D(Verdict.StepUp, false, ReasonCode.CampaignSecret, ReasonCode.SharedAddress));

        List<TakeoverAccount> list = MediumAccountsInOrder(("popular-password-owner", "126.0.0.1", onCarrier), ("dormant-account", "180.3.193.75", DuringSpike));

        Assert.True(list[1].MaxScore > list[0].MaxScore);
        Assert.False(list[1].FromOwnAddress);
        Assert.Equal(["dormant-account", "popular-password-owner"], list.Select(a => a.Account));
    }

    [Fact]
    public void WithinAConfidence_AnAccountARingAloneFlagged_ComesAfterOneWithAnyOtherEvidence()
    {
        // A VPN exit that several accounts' first logins came through scores higher than a dormant account's login
        // during a failure spike; the spike's account is still the one to look at first.
        var throughVpn = new EventAssessment(D(Verdict.Allow, false),
            D(Verdict.StepUp, false, ReasonCode.TakeoverRing, ReasonCode.UnfamiliarEnvironment) with { Score = 0.9 });

        List<TakeoverAccount> list = MediumAccountsInOrder(("vpn-customer", "89.187.170.122", throughVpn), ("dormant-account", "180.3.193.75", DuringSpike));

        Assert.True(list[1].RingAlone);
        Assert.False(list[0].RingAlone);
        Assert.True(list[1].MaxScore > list[0].MaxScore);
        Assert.Equal(["dormant-account", "vpn-customer"], list.Select(a => a.Account));
    }

    [Fact]
    public void WithinAConfidence_AnAccountFlaggedOnlyForItsOwnFailures_ComesAfterOneAnAttackMayHaveReached()
    {
        // A customer without history who tried a few passwords from their own home line, then got in: held up for
        // brute force, at a higher score than a dormant account's login during a failure spike, and on an address of its
        // own just the same. On eight logs (docs/replay.md) none of 682 such medium accounts was taken.
        var ownTries = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.BruteForce) with { Score = 0.6 },
            D(Verdict.StepUp, false, ReasonCode.BruteForce, ReasonCode.UnfamiliarEnvironment) with { Score = 0.6 });

        List<TakeoverAccount> list = MediumAccountsInOrder(("forgetful-owner", "180.3.7.9", ownTries), ("dormant-account", "180.3.193.75", DuringSpike));

        Assert.Equal((0, 1), (list[1].EvidenceTier, list[0].EvidenceTier));
        Assert.True(list[1].MaxScore > list[0].MaxScore);
        Assert.Equal(["dormant-account", "forgetful-owner"], list.Select(a => a.Account));

        // Beside any other evidence (here a stuffing source), own failures no longer rank an account down.
        var stuffed = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.BruteForce, ReasonCode.StuffingSource), D(Verdict.StepUp, false));
        Assert.Equal(1, MediumAccountsInOrder(("stuffed", "203.0.113.5", stuffed))[0].EvidenceTier);
    }

    [Fact]
    public void WithinAConfidence_AnAccountWhoseOnlyEvidenceIsOnItsSecret_ComesAfterOneWhoseSourceWasFlaggedToo()
    {
        // The owner of a sprayed popular password on a new phone at home: high, at a higher score than a stuffing proxy's
        // hit, yet nothing says where the login came from was an attack's. The proxy's account is read first.
        var ownersNewPhone = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.SprayedSecret, ReasonCode.CampaignSecret) with { Score = 0.95 },
            D(Verdict.StepUp, false, ReasonCode.SprayedSecret, ReasonCode.ExposedSecret, ReasonCode.UnfamiliarEnvironment) with { Score = 0.95 });
        var proxysHit = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.SprayedSecret, ReasonCode.StuffingSource) with { Score = 0.7 },
            D(Verdict.StepUp, false, ReasonCode.SprayedSecret, ReasonCode.UnfamiliarEnvironment) with { Score = 0.7 });
        var owner = new TakeoverAccount("owner");
        owner.Add(TakeoverConfidence.High, 10, DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse("180.3.7.9"), in ownersNewPhone, device: "phone-2");
        var victim = new TakeoverAccount("victim");
        victim.Add(TakeoverConfidence.High, 20, DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse("203.0.113.9"), in proxysHit, device: "bot-1");
        var list = new List<TakeoverAccount> { owner, victim };

        list.Sort(TakeoverAccount.Compare);

        Assert.Equal((true, false), (owner.SecretAlone, victim.SecretAlone));
        Assert.True(owner.MaxScore > victim.MaxScore);
        Assert.Equal(["victim", "owner"], list.Select(a => a.Account));
        Assert.Equal(TakeoverConfidence.High, owner.Confidence);   // still listed, and as high

        // A failure spike beside the secret's evidence says something about the moment, not the secret: not alone. Nor is
        // an account with no evidence on its secret at all.
        var duringSpike = new TakeoverAccount("during-spike");
        duringSpike.Add(TakeoverConfidence.Medium, 30, DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse("180.3.7.10"),
            new EventAssessment(D(Verdict.Challenge, false, ReasonCode.SprayedSecret), D(Verdict.StepUp, false, ReasonCode.GlobalFailureSpike, ReasonCode.UnfamiliarEnvironment)));
        Assert.False(duringSpike.SecretAlone);
        Assert.False(MediumAccountsInOrder(("dormant-account", "180.3.193.75", DuringSpike))[0].SecretAlone);

        // Among medium accounts it goes before those flagged only for their own failures, which were taken least of all.
        List<TakeoverAccount> medium = MediumAccountsInOrder(
            ("forgetful-owner", "180.3.7.9", new EventAssessment(D(Verdict.Challenge, false, ReasonCode.BruteForce) with { Score = 0.9 },
                D(Verdict.StepUp, false, ReasonCode.BruteForce, ReasonCode.UnfamiliarEnvironment) with { Score = 0.9 })),
            ("popular-password-owner", "180.3.7.11", new EventAssessment(D(Verdict.Challenge, false, ReasonCode.SprayedSecret) with { Score = 0.5 },
                D(Verdict.StepUp, false, ReasonCode.SprayedSecret, ReasonCode.UnfamiliarEnvironment) with { Score = 0.5 })),
            ("dormant-account", "180.3.193.75", DuringSpike));
        Assert.Equal(["dormant-account", "popular-password-owner", "forgetful-owner"], medium.Select(a => a.Account));
    }

    [Fact]
    public void TheFirstFlaggedEnvironment_CountsTheLaterDaysItSucceedsOn_ByItsDeviceToken_OrWithoutOneItsAddress()
    {
        var assessment = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.SprayedSecret), D(Verdict.StepUp, false, ReasonCode.SprayedSecret, ReasonCode.UnfamiliarEnvironment));
        DateTimeOffset day0 = new(2025, 7, 21, 9, 0, 0, TimeSpan.Zero);
        var ip = System.Net.IPAddress.Parse("203.0.113.9");
        Events.LoginAttempt Login(DateTimeOffset at, string? device, string address = "203.0.113.9") =>
            new() { Account = "a", Ip = System.Net.IPAddress.Parse(address), Timestamp = at, Device = device };

        var owner = new TakeoverAccount("new-phone-owner");
        owner.Succeeded(Login(day0.AddDays(-1), "phone-2"));       // before anything was flagged: nothing to compare with
        owner.Add(TakeoverConfidence.High, 100, day0, ip, in assessment, device: "phone-2");
        owner.Succeeded(Login(day0.AddHours(5), "phone-2"));        // the same day
        owner.Succeeded(Login(day0.AddDays(1), "laptop-1"));        // another device
        Assert.Equal(0, owner.DaysBack);
        owner.Succeeded(Login(day0.AddDays(1).AddHours(2), "phone-2", "198.51.100.4"));   // its address may change
        owner.Succeeded(Login(day0.AddDays(1).AddHours(9), "phone-2"));                   // twice that day: one day
        Assert.Equal((1, false), (owner.DaysBack, owner.CameBack));
        owner.Succeeded(Login(day0.AddDays(3), "phone-2"));
        Assert.Equal((2, true), (owner.DaysBack, owner.CameBack));

        // Without a device token the address stands for the environment, and a login with a token there is another one.
        var tokenless = new TakeoverAccount("tokenless");
        tokenless.Add(TakeoverConfidence.High, 200, day0, ip, in assessment, device: null);
        tokenless.Succeeded(Login(day0.AddDays(1), "cookie-1"));
        tokenless.Succeeded(Login(day0.AddDays(2), null, "203.0.113.10"));
        Assert.Equal(0, tokenless.DaysBack);
        tokenless.Succeeded(Login(day0.AddDays(2), null));
        Assert.Equal(1, tokenless.DaysBack);

        // An exposed password (the owner's own device) sets no environment to follow.
        var exposed = new TakeoverAccount("exposed");
        exposed.Add(TakeoverConfidence.ExposedPassword, 300, day0, ip, in assessment, device: "phone-9");
        exposed.Succeeded(Login(day0.AddDays(1), "phone-9"));
        Assert.Equal(0, exposed.DaysBack);
    }

    [Fact]
    public void WithinAConfidence_AnAccountWhoseFlaggedEnvironmentCameBackOnLaterDays_ComesAfterOneWhoseDidNot()
    {
        // An owner's new phone, stepped up while their popular password was sprayed, is their phone for the rest of the
        // log; a thief's hit is a login or a day's logins. The owner's login scored higher, yet comes second.
        var ownersPhone = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.SprayedSecret, ReasonCode.CampaignSecret) with { Score = 0.95 },
            D(Verdict.StepUp, false, ReasonCode.SprayedSecret, ReasonCode.UnfamiliarEnvironment) with { Score = 0.95 });
        var thiefs = new EventAssessment(D(Verdict.Challenge, false, ReasonCode.SprayedSecret) with { Score = 0.7 },
            D(Verdict.StepUp, false, ReasonCode.SprayedSecret, ReasonCode.UnfamiliarEnvironment) with { Score = 0.7 });
        DateTimeOffset day0 = new(2025, 7, 21, 9, 0, 0, TimeSpan.Zero);
        var owner = new TakeoverAccount("owner");
        owner.Add(TakeoverConfidence.High, 10, day0, System.Net.IPAddress.Parse("126.0.0.1"), in ownersPhone, device: "phone-2");
        var victim = new TakeoverAccount("victim");
        victim.Add(TakeoverConfidence.High, 20, day0, System.Net.IPAddress.Parse("203.0.113.9"), in thiefs, device: "bot-1");
        var list = new List<TakeoverAccount> { owner, victim };

        list.Sort(TakeoverAccount.Compare);
        Assert.Equal(["owner", "victim"], list.Select(a => a.Account));   // before the phone comes back, the score decides

        foreach (int later in new[] { 1, 2 })
            owner.Succeeded(new Events.LoginAttempt { Account = "owner", Ip = System.Net.IPAddress.Parse("126.0.0.2"), Timestamp = day0.AddDays(later), Device = "phone-2" });
        list.Sort(TakeoverAccount.Compare);
        Assert.Equal(["victim", "owner"], list.Select(a => a.Account));
        Assert.Equal(TakeoverConfidence.High, owner.Confidence);   // still listed, and as high: only later
    }

    [Fact]
    public void WithinAConfidence_AnAccountFlaggedOnlyThroughAServicesReturningClient_ComesLast_EvenAfterARingAlone()
    {
        // An aggregator's connector logging into a customer's account during a failure spike scores higher than a VPN exit
        // that a ring alone flagged; once the replay knows the connector came back to its accounts day after day, its
        // account is the one to read last.
        var connector = new EventAssessment(D(Verdict.Allow, false, ReasonCode.GlobalFailureSpike) with { Score = 0.9 },
            D(Verdict.StepUp, false, ReasonCode.GlobalFailureSpike, ReasonCode.UnfamiliarEnvironment) with { Score = 0.9 });
        var throughVpn = new EventAssessment(D(Verdict.Allow, false),
            D(Verdict.StepUp, false, ReasonCode.TakeoverRing, ReasonCode.UnfamiliarEnvironment) with { Score = 0.5 });
        const string Agent = "LedgerBridgeConnector/4.18 (account-refresh; +server)";
        var aggregated = new TakeoverAccount("aggregated");
        aggregated.Add(TakeoverConfidence.Medium, 10, DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse("3.209.160.10"), in connector, asn: 16509, agent: Agent);
        aggregated.Add(TakeoverConfidence.Medium, 30, DateTimeOffset.UnixEpoch.AddDays(1), System.Net.IPAddress.Parse("3.209.160.11"), in connector, asn: 16509, agent: Agent);
        var vpn = new TakeoverAccount("vpn-customer");
        vpn.Add(TakeoverConfidence.Medium, 20, DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse("89.187.170.122"), in throughVpn, asn: 60068, agent: ReplayLog.Desktop);
        var list = new List<TakeoverAccount> { vpn, aggregated };

        list.Sort(TakeoverAccount.Compare);
        Assert.Equal(["aggregated", "vpn-customer"], list.Select(a => a.Account));   // not known to be a service's: the ring alone goes last
        Assert.Equal((16509, Agent), aggregated.OneClient);

        aggregated.ThroughReturningClient = true;
        list.Sort(TakeoverAccount.Compare);
        Assert.Equal(["vpn-customer", "aggregated"], list.Select(a => a.Account));
        Assert.Equal(TakeoverConfidence.Medium, aggregated.Confidence);   // still listed, at its confidence

        // One flagged login through anything else (another client, or one without an ASN) and the account has no one client.
        aggregated.Add(TakeoverConfidence.Medium, 40, DateTimeOffset.UnixEpoch.AddDays(2), System.Net.IPAddress.Parse("203.0.113.5"), in connector, asn: 64500, agent: Agent);
        Assert.Null(aggregated.OneClient);
        var withoutAsn = new TakeoverAccount("no-asn");
        withoutAsn.Add(TakeoverConfidence.Medium, 50, DateTimeOffset.UnixEpoch, System.Net.IPAddress.Parse("3.209.160.10"), in connector, asn: null, agent: Agent);
        Assert.Null(withoutAsn.OneClient);
    }
}
