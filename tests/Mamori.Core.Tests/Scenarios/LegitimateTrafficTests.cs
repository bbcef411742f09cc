using System.Globalization;
using System.Net;
using Mamori.Campaigns;
using Mamori.Core.Tests.Support;
using Mamori.Events;
using Mamori.Policy;

namespace Mamori.Core.Tests.Scenarios;

/// <summary>Real users must not pay for the attacks: none denied, step-up only where the environment is new.</summary>
public sealed class LegitimateTrafficTests
{
    [Fact]
    public void CustomersWithTheirOwnScript_AtHomeAllowed_OnANewServerSteppedUpTheFirstDayOnly_AndAppsOnOkhttpNever()
    {
        // Brokerage customers who start logging in from scripts of their own: one at home, one from a cloud server;
        // and a native app whose HTTP client sends okhttp's default string, the first login of its accounts in the log.
        var world = new TestWorld(seed: 44);
        var users = Enumerable.Range(0, 400).Select(i => world.NewUser(i, device: false)).ToList();
        world.BuildHistory(users, days: 2);
        const string script = "python-requests/2.31.0";
        User homeTrader = users[7], cloudTrader = users[8];
        Outcome atHome = world.Run(world.Attempt(homeTrader.Account, homeTrader.HomeIp, homeTrader.Secret, homeTrader.Asn, "JP", script, null), LoginOutcome.Success);
        var server = new IPAddress([52, 68, 14, 120]);
        var days = new List<Outcome>();
        for (int day = 0; day < 4; day++)
        {
            days.Add(world.Run(world.Attempt(cloudTrader.Account, server, cloudTrader.Secret, 16509, "JP", script, null), LoginOutcome.Success));
            world.Advance(TimeSpan.FromDays(1));
        }
        var apps = Enumerable.Range(1000, 20).Select(i => world.NewUser(i, device: false))
            .Select(u => world.Run(world.Attempt(u.Account, u.HomeIp, u.Secret, u.Asn, "JP", "okhttp/4.12.0", null), LoginOutcome.Success)).ToList();

        Assert.Equal(Verdict.Allow, atHome.Final);   // the account's own address and ISP vouch for it
        Assert.Equal(Verdict.StepUp, days[0].Final);   // a script's string from a network new to the account
        Assert.All(days.Skip(2), o => Assert.Equal(Verdict.Allow, o.Final));   // learned: it came back on another day
        Assert.All(apps, o => Assert.Equal(Verdict.Allow, o.Final));
    }

    [Fact]
    public void CustomersWhoMistypeTheirPinAndThenGetIn_AreSteppedUp_ButOpenNoCampaign()
    {
        // On a network new to them, without their token (a friend's Wi-Fi, a new browser): six wrong PINs in a few
        // minutes, then the right one. The guess may have worked, so the success is stepped up; but one login is not an
        // attack, and a service's campaign list (and the operator's dashboard) must not fill with its customers.
        var world = new TestWorld(seed: 45);
        var users = Enumerable.Range(0, 300).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 2);
        var successes = new List<Outcome>();
        foreach (User user in users.Take(40))
        {
            var friend = new IPAddress([(byte)(150 + users.IndexOf(user) % 50), 20, 30, 40]);
            int asn = TestWorld.OtherIsp(user);
            for (int wrong = 0; wrong < 6; wrong++)
            {
                world.Run(world.Attempt(user.Account, friend, user.Secret + "x" + wrong.ToString(CultureInfo.InvariantCulture), asn, "JP", user.UserAgent, null),
                    LoginOutcome.WrongSecret);
                world.Advance(TimeSpan.FromSeconds(20));
            }
            successes.Add(world.Run(world.Attempt(user.Account, friend, user.Secret, asn, "JP", user.UserAgent, null), LoginOutcome.Success));
            world.Advance(TimeSpan.FromMinutes(30));
        }

        Assert.All(successes, o => Assert.True(o.Assessment.Outcome.Has(ReasonCode.BruteForce)));
        Assert.All(successes, o => Assert.Equal(Verdict.StepUp, o.Final));
        Assert.DoesNotContain(world.Engine.Campaigns.OpenCampaigns(), c => c.Kind == CampaignKind.BruteForce);
    }

    [Fact]
    public void FirstLoginsThroughVpnsAndPrivacyRelays_AreAllowed_ARentedServersIsSteppedUp_AKnownDeviceThereToo()
    {
        var world = new TestWorld(seed: 62);
        var users = Enumerable.Range(0, 300).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users.Take(200).ToList(), days: 2);
        Outcome First(User u, byte[] address, int asn) =>
            world.Run(world.Attempt(u.Account, new IPAddress(address), u.Secret, asn, "JP", u.UserAgent, u.Device), LoginOutcome.Success);

        Outcome vpn = First(users[201], [194, 195, 88, 14], 9009);          // a commercial VPN's exit at M247
        Outcome relay = First(users[202], [104, 28, 3, 90], 13335);         // iCloud Private Relay's egress at Cloudflare
        Outcome server = First(users[203], [52, 68, 14, 120], 16509);       // AWS Tokyo
        Outcome unlisted = First(users[204], [198, 51, 100, 7], 64500);
        // The account's own device, known for two days, on a cloud network it never used: a company's gateway, or the
        // device's token carried off to a server (ADR 0024). Stepped up the first time; learned as any stepped-up one.
        Outcome ownLaptopAtACloud = First(users[5], [52, 68, 14, 121], 16509);

        Assert.Equal(Verdict.Allow, vpn.Final);
        Assert.Equal(Verdict.Allow, relay.Final);
        Assert.Equal(Verdict.StepUp, server.Final);
        Assert.Contains("AS16509, Amazon AWS", server.Assessment.Outcome.Reasons.Single(r => r.Code == ReasonCode.UnfamiliarEnvironment).Message, StringComparison.Ordinal);
        Assert.Equal(Verdict.Allow, unlisted.Final);
        Assert.Equal(Verdict.StepUp, ownLaptopAtACloud.Final);
        Assert.Contains("The account's own device, now on a server's network (AS16509, Amazon AWS)",
            ownLaptopAtACloud.Assessment.Outcome.Reasons.Single(r => r.Code == ReasonCode.UnfamiliarEnvironment).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOperatorsHostingList_AddsAndRemovesNetworks()
    {
        var world = new TestWorld(seed: 63, o =>
        {
            o.Familiarity.HostingAsns = ["64500"];
            o.Familiarity.NotHostingAsns = ["AS16509"];   // a corporate customer's gateway runs on AWS
        });
        var users = Enumerable.Range(0, 100).Select(i => world.NewUser(i, device: false)).ToList();
        Outcome aws = world.Run(world.Attempt(users[1].Account, new IPAddress([52, 68, 14, 120]), users[1].Secret, 16509, "JP", users[1].UserAgent, null), LoginOutcome.Success);
        Outcome listed = world.Run(world.Attempt(users[2].Account, new IPAddress([198, 51, 100, 7]), users[2].Secret, 64500, "JP", users[2].UserAgent, null), LoginOutcome.Success);
        Outcome azure = world.Run(world.Attempt(users[3].Account, new IPAddress([20, 43, 64, 10]), users[3].Secret, 8075, "JP", users[3].UserAgent, null), LoginOutcome.Success);

        Assert.Equal(Verdict.Allow, aws.Final);
        Assert.Equal(Verdict.StepUp, listed.Final);
        Assert.Contains("AS64500, listed by the operator", listed.Assessment.Outcome.Reasons.Single(r => r.Code == ReasonCode.UnfamiliarEnvironment).Message, StringComparison.Ordinal);
        Assert.Equal(Verdict.StepUp, azure.Final);   // the rest of the built-in list stays
    }

    [Fact]
    public void AnOfficeWhoseTrafficLeavesThroughACloud_IsSteppedUpTheFirstDays_ThenLearned()
    {
        // Customers without device cookies whose company routes the office's web traffic through a gateway on Azure.
        var world = new TestWorld(seed: 64);
        var users = Enumerable.Range(0, 300).Select(i => world.NewUser(i, device: false)).ToList();
        world.BuildHistory(users, days: 2);
        var gateway = new IPAddress([20, 43, 64, 10]);
        var employees = Enumerable.Range(0, 12).Select(i => users[9 + i * 20]).ToList();
        var days = new List<List<Outcome>>();
        for (int day = 0; day < 4; day++)
        {
            days.Add(employees.Select(e => world.Run(world.Attempt(e.Account, gateway, e.Secret, 8075, "JP", e.UserAgent, null), LoginOutcome.Success)).ToList());
            world.Advance(TimeSpan.FromDays(1));
        }

        Assert.All(days[0], o => Assert.Equal(Verdict.StepUp, o.Final));   // twelve colleagues behind one address: stepped up, never denied
        Assert.DoesNotContain(days.SelectMany(d => d), o => o.PreAuth == Verdict.Deny || o.Final == Verdict.Deny);
        Assert.All(days.Skip(2).SelectMany(d => d), o => Assert.Equal(Verdict.Allow, o.Final));   // they came back on another day: learned

        // The first day Mamori runs, another company's staff log in from their gateway with their browsers' cookies: each
        // is stepped up (the account has no history to vouch), and, bringing cookies as a kit's relay does not, no ring.
        var gateway2 = new IPAddress([20, 43, 64, 11]);
        var staff = Enumerable.Range(5000, 12).Select(i => world.NewUser(i))
            .Select(u => world.Run(world.Attempt(u.Account, gateway2, u.Secret, 8075, "JP", u.UserAgent, u.Device), LoginOutcome.Success)).ToList();
        Assert.All(staff, o => Assert.Equal(Verdict.StepUp, o.Final));
        Assert.DoesNotContain(staff, o => o.Assessment.Outcome.Has(ReasonCode.TakeoverRing));
    }

    [Fact]
    public void ScriptUserAgents_WithTheRuleOff_AreJudgedLikeAnyNewBrowser()
    {
        var world = new TestWorld(seed: 45, o => o.Familiarity.StepUpAutomationClients = false);
        var users = Enumerable.Range(0, 200).Select(i => world.NewUser(i, device: false)).ToList();
        var first = users.Select(u => world.Run(world.Attempt(u.Account, u.HomeIp, u.Secret, u.Asn, "JP", "python-requests/2.31.0", null), LoginOutcome.Success)).ToList();

        Assert.All(first, o => Assert.Equal(Verdict.Allow, o.Final));   // no history: nothing is new to compare with
    }

    [Fact]
    public void TenThousandUsersBehindTwentyCgnatAddresses_NoneDeniedNoneSteppedUp()
    {
        var world = new TestWorld(seed: 11);
        var cgnat = Enumerable.Range(0, 20).Select(i => new IPAddress([1, 66, 0, (byte)(i + 1)])).ToArray();
        var users = Enumerable.Range(0, 10_000).Select(i => world.NewUser(i) with { Asn = 9605, UserAgent = i % 2 == 0 ? TestWorld.IPhoneSafari : TestWorld.AndroidChrome }).ToList();
        var outcomes = new List<Outcome>();
        for (int day = 0; day < 3; day++)
        {
            foreach (User user in users)
            {
                IPAddress ip = cgnat[world.Random.Next(cgnat.Length)];   // the carrier hands out any pool address
                if (world.Random.NextDouble() < 0.08)   // a typo first
                    outcomes.Add(world.Run(world.Attempt(user.Account, ip, user.Secret + "x", user.Asn, "JP", user.UserAgent, user.Device), LoginOutcome.WrongSecret));
                outcomes.Add(world.Home(user, ip));
                world.Advance(TimeSpan.FromSeconds(8.64));
            }
        }
        Assert.DoesNotContain(outcomes, o => o.PreAuth == Verdict.Deny || o.Final == Verdict.Deny);
        Assert.DoesNotContain(outcomes, o => o.Final == Verdict.StepUp);
        int challenged = outcomes.Count(o => o.PreAuth == Verdict.Challenge);
        Assert.True(challenged == 0, $"{challenged} pre-auth challenges");
        Assert.Contains(world.Log[^1].Assessment.Outcome.Reasons, r => r.Code == ReasonCode.SharedAddress);
    }

    [Fact]
    public void OfficeOnACommonIsp_EmployeesFirstLoginsFromIt_AreNotARing()
    {
        // Customers of a web service (no device tokens) who used it only from home log in from the office for the first
        // time, in their usual browser: a network new to each of them, on an ISP many customers have at home. One party
        // logging into many accounts from a server looks the same to each account, but comes from a network the
        // service's users rarely use (the attack scenario's hosting provider).
        var world = new TestWorld(seed: 22);
        var users = Enumerable.Range(0, 2000).Select(i => world.NewUser(i, device: false)).ToList();
        world.BuildHistory(users, days: 10);
        var office = new IPAddress([153, 156, 40, 12]);
        var logins = new List<Outcome>();
        foreach (User employee in users.Where(u => u.Asn != 4713).Take(40))
        {
            logins.Add(world.Run(world.Attempt(employee.Account, office, employee.Secret, 4713, "JP", employee.UserAgent, null), LoginOutcome.Success));
            world.Advance(TimeSpan.FromMinutes(7));
        }

        Assert.All(logins, o => Assert.Equal(Verdict.Allow, o.Final));
        Assert.True(logins[^1].Assessment.Outcome.Has(ReasonCode.SharedAddress));
    }

    [Fact]
    public void AccountAggregatorServers_ListedByTheOperatorAsShared_AreNotARing()
    {
        // An account aggregator logs into its customers' accounts with their credentials from a few servers at a
        // hosting provider: to the engine, exactly a party holding many accounts' credentials. The operator knows it.
        static List<Outcome> Aggregate(Action<MamoriOptions>? configure)
        {
            var world = new TestWorld(seed: 25, configure);
            var users = Enumerable.Range(0, 2000).Select(i => world.NewUser(i)).ToList();
            world.BuildHistory(users, days: 10);
            var server = new IPAddress([52, 196, 10, 20]);
            var logins = new List<Outcome>();
            foreach (User customer in users.Take(60))
            {
                logins.Add(world.Run(world.Attempt(customer.Account, server, customer.Secret, 16509, "JP", "MoneyAggregator/3.1 (+https://aggregator.example)", null), LoginOutcome.Success));
                world.Advance(TimeSpan.FromSeconds(30));
            }
            return logins;
        }

        List<Outcome> unlisted = Aggregate(null);
        Assert.Contains(unlisted, o => o.Assessment.Outcome.Has(ReasonCode.TakeoverRing));   // what the list is for
        List<Outcome> listed = Aggregate(o => o.SharedAddress.KnownNetworks.Add("52.196.10.0/24"));
        Assert.DoesNotContain(listed, o => o.Assessment.Outcome.Has(ReasonCode.TakeoverRing) || o.Assessment.PreAuth.Has(ReasonCode.TakeoverRing));
        Assert.All(listed, o => Assert.True(o.Assessment.Outcome.Has(ReasonCode.SharedAddress)));
        Assert.DoesNotContain(listed, o => o.Combined == Verdict.Deny);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APaymentInitiationGateway_ListedAsAPartner_IsNotSteppedUp_NorLearned_WhileAKitOnTheSameCloudStillIs(bool listed)
    {
        // A PSD2 payment-initiation service submits the credentials each paying customer types into its form, from a
        // few servers at a cloud, with its own client's user agent: a new account every time, which is what a phishing
        // kit's relay looks like. Listed as a partner (ADR 0039), it is let through and teaches the accounts nothing.
        var world = new TestWorld(seed: 39, o => { if (listed) o.SharedAddress.PartnerNetworks.Add("52.29.40.0/28"); });
        var users = Enumerable.Range(0, 1500).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 3);
        var payments = new List<Outcome>();
        for (int i = 0; i < 120; i++)
        {
            User customer = users[(i * 7) % users.Count];
            var gateway = new IPAddress([52, 29, 40, (byte)(1 + i % 6)]);
            payments.Add(world.Run(world.Attempt(customer.Account, gateway, customer.Secret, 16509, "DE", "Java/17.0.10 PIS-Gateway/3.2", null), LoginOutcome.Success));
            world.Advance(TimeSpan.FromMinutes(9));
            if (i % 10 == 0) world.Home(users[(i * 13 + 5) % users.Count]);
        }

        if (!listed)
        {
            Assert.True(payments.Count(o => o.Final != Verdict.Allow) > payments.Count / 2, $"{payments.Count(o => o.Final != Verdict.Allow)} of {payments.Count} held up");
            return;
        }
        Assert.All(payments, o => Assert.True(o.Final == Verdict.Allow && o.Assessment.Outcome.Has(ReasonCode.SharedAddress), $"{o.Event.Attempt.Account}: {o.Final} ({o.Codes})"));
        // Nothing of the gateway was learned: a phishing kit on the same cloud, with the customer's own browser
        // string, is still a server's network new to the account.
        User paid = users[0];
        Outcome kit = world.Run(world.Attempt(paid.Account, TestWorld.Ip("3.120.77.9"), paid.Secret, 16509, "DE", paid.UserAgent, null), LoginOutcome.Success,
            attack: true, takeover: true);
        Assert.Equal(Verdict.StepUp, kit.Final);
        Assert.True(kit.Assessment.Outcome.Has(ReasonCode.UnfamiliarEnvironment), kit.Codes);
        // And a sprayed secret is still held up there: the partner vouches for the environment, not for the secret.
        for (int i = 0; i < 40; i++)
        {
            world.Run(world.Attempt(users[100 + i].Account, new IPAddress([45, 77, 9, (byte)(1 + i)]), "Summer2024!", 20473, "NL", TestWorld.WindowsChrome, null),
                LoginOutcome.WrongSecret, attack: true);
            world.Advance(TimeSpan.FromSeconds(20));
        }
        User sprayed = world.NewUser(7000, secret: "Summer2024!");
        world.Home(sprayed);
        Outcome relayed = world.Run(world.Attempt(sprayed.Account, new IPAddress([52, 29, 40, 3]), "Summer2024!", 16509, "DE", "Java/17.0.10 PIS-Gateway/3.2", null),
            LoginOutcome.Success, attack: true, takeover: true);
        Assert.NotEqual(Verdict.Allow, relayed.Combined);
    }

    [Fact]
    public void ABudgetAppsTwiceDailyLogin_OnceLearned_TeachesWithEveryLogin_AndIsNoLongerHeldUp()
    {
        // A customer logs in once a day from the home PC. The budget app they linked logs in twice a day from the
        // servers at a cloud (listed by the operator, so no ring) that it uses for a fifth of the service's customers,
        // with a headless browser and no cookie, so every login of it is stepped up and none confirmed. Learned on
        // its second day; if its slot were then emptied, it would be learned about once a day, as often as the owner's
        // own login, and its script's user agent would be held up for good.
        var world = new TestWorld(seed: 27, o => o.SharedAddress.KnownNetworks.Add("52.196.10.0/24"));
        var users = Enumerable.Range(0, 1500).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 2);
        User customer = users[7];
        List<User> linked = [.. users.Where((_, i) => i % 5 == 2)];   // the customer among them
        const string Headless = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36";
        var app = new List<(int Day, Outcome Login)>();
        for (int day = 0; day < 10; day++)
        {
            // The day's logins by minute: everyone else once from home, the customer at 20:00, the app at 02:00 and 14:00.
            var plan = new List<(int Minute, Action Run)>();
            for (int i = 0; i < users.Count; i++)
            {
                User user = users[i];
                if (user != customer) plan.Add((60 + i * 1300 / users.Count, () => world.Home(user)));
            }
            plan.Add((1200, () => Assert.Equal(Verdict.Allow, world.Home(customer).Combined)));
            for (int i = 0; i < linked.Count; i++)
            {
                User linkedUser = linked[i];
                foreach (int run in new[] { 0, 1 })
                {
                    int today = day;
                    var server = new IPAddress([52, 196, 10, (byte)(20 + (i + run) % 6)]);
                    plan.Add((run == 0 ? 120 + i / 3 : 840 + i / 3, () =>
                    {
                        Outcome login = world.Run(world.Attempt(linkedUser.Account, server, linkedUser.Secret, 16509, "JP", Headless, null), LoginOutcome.Success);
                        if (linkedUser == customer) app.Add((today, login));
                    }));
                }
            }
            DateTimeOffset midnight = world.Now;
            foreach (var (minute, run) in plan.OrderBy(p => p.Minute))
            {
                world.Advance(midnight.AddMinutes(minute) - world.Now);
                run();
            }
            world.Advance(midnight.AddDays(1) - world.Now);
        }
        // Another headless browser on another cloud, on the same account: the app's environment vouches for nothing else.
        Outcome other = world.Run(world.Attempt(customer.Account, TestWorld.Ip("45.76.10.20"), customer.Secret, 20473, "JP", Headless, null), LoginOutcome.Success);

        Assert.True(app[0].Login.Intercepted);
        int heldUpLater = app.Count(a => a.Day >= 5 && a.Login.Intercepted);
        Assert.True(heldUpLater == 0, $"{heldUpLater} of the app's 10 logins from its sixth day on were held up");
        Assert.True(other.Intercepted);
    }

    [Fact]
    public void CarrierAddressFloodedByStuffingThroughMobileProxies_ItsCustomersOnTheirPhonesStillGetIn()
    {
        // Mobile-proxy farms send stuffing through a carrier's shared address: nine failures for every customer login.
        // The address then no longer counts as shared, but customers on their own phones are familiar, never held up.
        var world = new TestWorld(seed: 26);
        var carrier = new IPAddress([1, 66, 0, 9]);
        var users = Enumerable.Range(0, 400).Select(i => world.NewUser(i) with { HomeIp = carrier, Asn = 9605, UserAgent = TestWorld.IPhoneSafari }).ToList();
        world.BuildHistory(users, days: 3);
        var customers = new List<Outcome>();
        for (int i = 0; i < 4000; i++)
        {
            if (i % 10 == 0)
            {
                customers.Add(world.Home(users[i / 10 % users.Count]));
            }
            else
            {
                string account = string.Create(CultureInfo.InvariantCulture, $"leaked{i:D5}@example.com");
                world.Run(world.Attempt(account, carrier, "leak-" + i, 9605, "JP", TestWorld.AndroidChrome, null), LoginOutcome.UnknownAccount, attack: true);
            }
            world.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.DoesNotContain(customers, o => o.PreAuth == Verdict.Deny || o.Final == Verdict.Deny);
        Assert.DoesNotContain(customers, o => o.Final == Verdict.StepUp);
        Assert.Contains(world.Log, o => o.Attack && o.Assessment.PreAuth.Has(ReasonCode.StuffingSource));   // the flood itself is seen
    }

    [Fact]
    public void TwoHundredPeopleBehindOneOfficeAddress_NoneDenied()
    {
        var world = new TestWorld(seed: 12);
        IPAddress office = IPAddress.Parse("210.130.1.20");
        var users = Enumerable.Range(0, 200).Select(i => world.NewUser(i) with { Asn = 2497, UserAgent = TestWorld.WindowsEdge }).ToList();
        var outcomes = new List<Outcome>();
        for (int day = 0; day < 5; day++)
        {
            // Everyone arrives between 8:50 and 9:10; a quarter fumble the password first.
            foreach (User user in users)
            {
                if (world.Random.NextDouble() < 0.25)
                    outcomes.Add(world.Run(world.Attempt(user.Account, office, "Monday" + world.Random.Next(100), 2497, "JP", user.UserAgent, user.Device), LoginOutcome.WrongSecret));
                outcomes.Add(world.Home(user, office));
                world.Advance(TimeSpan.FromSeconds(6));
            }
            world.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(6 * users.Count));
        }
        Assert.DoesNotContain(outcomes, o => o.PreAuth == Verdict.Deny || o.Final == Verdict.Deny);
        Assert.DoesNotContain(outcomes.Where(o => o.Event.Outcome == LoginOutcome.Success), o => o.Final == Verdict.StepUp);
    }

    [Fact]
    public void UserWhoAlwaysBringsTheirToken_WithoutIt_IsSteppedUpOnlyFromAnIspTheyNeverUsed()
    {
        var world = new TestWorld(seed: 6);
        var users = Enumerable.Range(0, 500).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 5);
        User user = users[42];
        int otherIsp = TestWorld.OtherIsp(user);

        // A new browser (no cookie yet) at home; the same on another address of their own ISP.
        Outcome newBrowserAtHome = world.Run(world.Attempt(user.Account, user.HomeIp, user.Secret, user.Asn, "JP", TestWorld.WindowsChrome, null), LoginOutcome.Success);
        Outcome newAddressSameIsp = world.Run(world.Attempt(user.Account, TestWorld.Ip("150.249.7.30"), user.Secret, user.Asn, "JP", user.UserAgent, null), LoginOutcome.Success);
        // Their own phone (token) on a network they never used: the token vouches.
        Outcome phoneElsewhere = world.Run(world.Attempt(user.Account, TestWorld.Ip("61.205.8.14"), user.Secret, otherIsp, "JP", user.UserAgent, user.Device), LoginOutcome.Success);
        // Another such user without the token, from an ISP they never logged in from: a new browser on a new network.
        User other = users[44];
        int othersNewIsp = TestWorld.OtherIsp(other);
        Outcome tokenlessNewIsp = world.Run(world.Attempt(other.Account, TestWorld.Ip("59.138.9.77"), other.Secret, othersNewIsp, "JP", other.UserAgent, null), LoginOutcome.Success);
        // An account that logs in without a token as often as with one is not expected to bring it.
        User mixed = users[43];
        for (int day = 0; day < 6; day++)
        {
            world.Run(world.Attempt(mixed.Account, mixed.HomeIp, mixed.Secret, mixed.Asn, "JP", TestWorld.WindowsEdge, null), LoginOutcome.Success);
            world.Advance(TimeSpan.FromHours(20));
        }
        int mixedOtherIsp = TestWorld.OtherIsp(mixed);
        Outcome mixedNewIsp = world.Run(world.Attempt(mixed.Account, TestWorld.Ip("61.205.10.5"), mixed.Secret, mixedOtherIsp, "JP", TestWorld.WindowsEdge, null), LoginOutcome.Success);

        Assert.Equal(Verdict.Allow, newBrowserAtHome.Final);
        Assert.Equal(Verdict.Allow, newAddressSameIsp.Final);
        Assert.Equal(Verdict.Allow, phoneElsewhere.Final);
        Assert.Equal(Verdict.StepUp, tokenlessNewIsp.Final);
        Assert.Equal(Verdict.Allow, mixedNewIsp.Final);
    }

    [Fact]
    public void LogWithoutDeviceTokens_YoungAccountsOnASmallIspTheyNeverUsed_AreNotSteppedUp()
    {
        // A log without device tokens (the RBA dataset, an export that never had them) from a service whose customers
        // spread over many small ISPs: each under 0.1 % of the logins, so "rare" for the service. A customer with a
        // login or two who comes through another small ISP at home is no phisher: without tokens nothing says a
        // browser is new, and a missing token is the log's habit, not the account's.
        var world = new TestWorld(seed: 33);
        var users = Enumerable.Range(0, 2000).Select(i => world.NewUser(i, device: false)).ToList();
        world.BuildHistory(users, days: 4);
        List<User> young = world.Young(Enumerable.Range(8000, 20).Select(i => world.NewUser(i, device: false)));
        world.Advance(TimeSpan.FromDays(1));
        for (int i = 0; i < young.Count; i++)
        {
            world.Advance(TimeSpan.FromMinutes(41));
            var line = new IPAddress([(byte)(150 + i), 9, (byte)(11 * i), 77]);
            Outcome login = world.Run(world.Attempt(young[i].Account, line, young[i].Secret, 64_600 + i, "JP", young[i].UserAgent, null), LoginOutcome.Success);
            Assert.True(login.Combined == Verdict.Allow, $"{young[i].Account}: {login.Combined} {login.Codes}");
        }
    }

    [Fact]
    public void ColdStart_CustomersOfACountryThatWakesUpLater_AreRareOnlyUntilTheyAreOnePercent()
    {
        // A replay of a service with customers in two time zones, starting cold: 3,000 Japanese customers log in
        // first, then the German ones wake up. A country under 1 % of the logins is rare, so their first logins are
        // stepped up; before, a stepped-up login was not counted in the population either, so Germany stayed rare
        // and every German customer was stepped up until the second day (all 300 logins here).
        var world = new TestWorld(seed: 35);
        foreach (User user in Enumerable.Range(0, 3000).Select(i => world.NewUser(i)))
        {
            world.Home(user);
            world.Advance(TimeSpan.FromSeconds(5));
        }
        var germans = Enumerable.Range(5000, 150).Select(i => world.NewUser(i, country: "DE") with { Asn = 3320 }).ToList();
        var logins = new List<Outcome>();
        for (int round = 0; round < 2; round++)
        {
            foreach (User user in germans)
            {
                logins.Add(world.Home(user));
                world.Advance(TimeSpan.FromSeconds(20));
            }
        }
        int steppedUp = logins.Count(o => o.Combined != Verdict.Allow);
        Assert.True(steppedUp <= logins.Count / 8, $"{steppedUp} of {logins.Count} German logins stepped up");
        Assert.All(logins.Skip(100), o => Assert.Equal(Verdict.Allow, o.Combined));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]   // a log of addresses alone: nobody brings a token, so a missing one says nothing
    public void ColdStart_CustomersOnHolidayInACountryAFewTenthsOfAPercentComeFrom_AreAllowed_APhisherFromOneTheServiceNeverSeesIsNot(bool tokens)
    {
        // A replay that starts in the holidays meets customers abroad before it has seen them at home. Korea carries
        // half a percent of this Japanese service's logins (its Korean customers), so a first login there with the
        // customer's own device token is a holiday, not a phisher (ADR 0041); before, anything under 1 % was rare and
        // all 40 were stepped up. Vietnam, where none of the customers log in from, stays rare for a first login with a
        // token, and Korea stays rare for one without where customers bring one (a script keeps no cookies).
        var world = new TestWorld(seed: 36);
        var users = Enumerable.Range(0, 4000)
            .Select(i => i % 200 == 0 ? world.NewUser(i, country: "KR", device: tokens) with { Asn = 4766 } : world.NewUser(i, device: tokens))
            .ToList();
        world.BuildHistory(users, days: 3);

        Outcome FirstLogin(int i, string country, int asn, bool device) => world.Run(world.Attempt(
            string.Create(CultureInfo.InvariantCulture, $"new{country}{(device ? "" : "-script")}{i}@example.jp"), new IPAddress([(byte)(country == "KR" ? 175 : 171), (byte)(device ? 200 : 201), 30, (byte)(i + 1)]),
            "right", asn, country, TestWorld.IPhoneSafari, device ? string.Create(CultureInfo.InvariantCulture, $"own-{country}-{i}") : null), LoginOutcome.Success);

        var holiday = new List<Outcome>();
        var phisher = new List<Outcome>();
        var scripts = new List<Outcome>();
        for (int i = 0; i < 40; i++)
        {
            holiday.Add(FirstLogin(i, "KR", 4766, device: tokens));
            if (i % 5 == 0) phisher.Add(FirstLogin(i, "VN", 7552, device: tokens));
            if (tokens && i % 4 == 0) scripts.Add(FirstLogin(i, "KR", 4766, device: false));
            world.Advance(TimeSpan.FromMinutes(3));
        }

        Assert.All(holiday, o => Assert.Equal(Verdict.Allow, o.Combined));
        Assert.All(phisher, o => Assert.True(o.Final == Verdict.StepUp && o.Assessment.Outcome.Has(ReasonCode.UnfamiliarEnvironment), $"{o.Event.Attempt.Account}: {o.Final} ({o.Codes})"));
        Assert.All(scripts, o => Assert.True(o.Final == Verdict.StepUp, $"{o.Event.Attempt.Account}: {o.Final} ({o.Codes})"));
    }

    [Fact]
    public void CommercialVpnCustomers_OnOneExitNewToEachOfThem_AreNotATakeoverRing()
    {
        // A log without device tokens, a service with Japanese and Dutch customers, 2 % of them always behind one
        // commercial VPN. Its exits rotate, so each is an address new to each customer. Six regulars have only used its
        // Japanese exits; their first login through a Dutch one is stepped up (a country new to them). Six young
        // accounts (a login or two from home) try the VPN for the first time through the same Dutch exit: not strange
        // enough to step up alone. Before, the six regulars made the exit "an address logging into accounts that had
        // never used it", a ring, and the young six were held up as its victims.
        var world = new TestWorld(seed: 39);
        const int Vpn = 9009;
        var users = Enumerable.Range(0, 2000).Select(i => world.NewUser(i, device: false, country: i % 4 == 0 ? "NL" : "JP")).ToList();
        users = [.. users.Select((u, i) => i % 50 == 1 ? u with { Asn = Vpn } : u)];
        world.BuildHistory(users, days: 4);
        List<User> regulars = Enumerable.Range(7000, 6).Select(i => world.NewUser(i, device: false)).ToList();
        for (int day = 0; day < 4; day++)
        {
            for (int i = 0; i < regulars.Count; i++)
            {
                var exit = new IPAddress([(byte)(140 + day), 70, (byte)(16 * day + i), 10]);
                world.Run(world.Attempt(regulars[i].Account, exit, regulars[i].Secret, Vpn, "JP", regulars[i].UserAgent, null), LoginOutcome.Success);
            }
            world.Advance(TimeSpan.FromHours(20));
        }
        List<User> young = world.Young(Enumerable.Range(7100, 6).Select(i => world.NewUser(i, device: false)));
        world.Advance(TimeSpan.FromHours(2));

        var dutchExit = new IPAddress([185, 70, 200, 1]);
        var first = regulars.Select(c => world.Run(world.Attempt(c.Account, dutchExit, c.Secret, Vpn, "NL", c.UserAgent, null), LoginOutcome.Success)).ToList();
        world.Advance(TimeSpan.FromMinutes(20));
        var then = young.Select(c => world.Run(world.Attempt(c.Account, dutchExit, c.Secret, Vpn, "NL", c.UserAgent, null), LoginOutcome.Success)).ToList();

        Assert.All(first, o => Assert.True(o.Final == Verdict.StepUp && o.Assessment.Outcome.Has(ReasonCode.UnfamiliarEnvironment), $"{o.Event.Attempt.Account}: {o.Final}"));
        Assert.All(first.Concat(then), o => Assert.False(o.Assessment.Outcome.Has(ReasonCode.TakeoverRing), $"{o.Event.Attempt.Account}: a ring"));
        Assert.All(then, o => Assert.True(o.Combined == Verdict.Allow, $"{o.Event.Attempt.Account}: {o.Combined} {string.Join(";", o.Assessment.Outcome.Reasons.Select(r => r.Code + ":" + r.Message))}"));
    }

    [Fact]
    public void TravellersAndVpnUsers_AreNotImpossibleTravel()
    {
        var world = new TestWorld(seed: 32);
        var users = Enumerable.Range(0, 300).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 5);

        // Tokyo to Amsterdam with their own phone: twelve hours later, 9,000 km.
        User traveller = users[10];
        world.Home(traveller);
        world.Advance(TimeSpan.FromHours(12));
        Outcome landed = world.Run(world.Attempt(traveller.Account, TestWorld.Ip("145.53.20.7"), traveller.Secret, 33915, "NL", traveller.UserAgent, traveller.Device), LoginOutcome.Success);

        // A VPN user: their history holds the United States (the VPN's exit), so switching it on is nothing new.
        User vpn = users[11];
        for (int day = 0; day < 4; day++)
        {
            world.Run(world.Attempt(vpn.Account, TestWorld.Ip("104.28.30.1"), vpn.Secret, 13335, "US", vpn.UserAgent, vpn.Device), LoginOutcome.Success);
            world.Advance(TimeSpan.FromHours(5));
        }
        world.Home(vpn);
        world.Advance(TimeSpan.FromMinutes(10));
        Outcome vpnOn = world.Run(world.Attempt(vpn.Account, TestWorld.Ip("104.28.30.9"), vpn.Secret, 13335, "US", vpn.UserAgent, vpn.Device), LoginOutcome.Success);

        // Across a border: Brussels, then Rotterdam half an hour later (the countries' centres are ~220 km apart).
        User commuter = world.NewUser(900, country: "BE");
        for (int day = 0; day < 4; day++)
        {
            world.Run(world.Attempt(commuter.Account, commuter.HomeIp, commuter.Secret, 5432, "BE", commuter.UserAgent, commuter.Device), LoginOutcome.Success);
            world.Advance(TimeSpan.FromHours(20));
        }
        world.Advance(TimeSpan.FromMinutes(30));
        Outcome crossed = world.Run(world.Attempt(commuter.Account, TestWorld.Ip("145.53.77.1"), commuter.Secret, 33915, "NL", commuter.UserAgent, commuter.Device), LoginOutcome.Success);

        // A privacy relay many customers use (Cloudflare's AS13335 here), whose addresses a whois-based GeoIP file
        // places in the United States: a user's first login through it, minutes after one at home, on their phone.
        foreach (User other in users.Skip(100).Take(60))
        {
            world.Run(world.Attempt(other.Account, TestWorld.Ip("104.28.40." + (other.GetHashCode() & 127)), other.Secret, 13335, "JP", other.UserAgent, other.Device), LoginOutcome.Success);
            world.Advance(TimeSpan.FromMinutes(1));
        }
        User relayed = users[12];
        world.Home(relayed);
        world.Advance(TimeSpan.FromMinutes(10));
        Outcome throughRelay = world.Run(world.Attempt(relayed.Account, TestWorld.Ip("104.28.41.7"), relayed.Secret, 13335, "US", relayed.UserAgent, relayed.Device), LoginOutcome.Success);
        // And a log without ASNs, where a country from a GeoIP file is all there is: nothing tells a relay from a thief's proxy.
        User unknownNetwork = users[13];
        world.Home(unknownNetwork);
        world.Advance(TimeSpan.FromMinutes(10));
        Outcome withoutAsn = world.Run(world.Attempt(unknownNetwork.Account, TestWorld.Ip("172.64.9.1"), unknownNetwork.Secret, null, "US", unknownNetwork.UserAgent, unknownNetwork.Device), LoginOutcome.Success);

        Assert.All(new[] { landed, vpnOn, crossed, throughRelay, withoutAsn }, o =>
        {
            Assert.False(o.Assessment.PreAuth.Has(ReasonCode.ImpossibleTravel) || o.Assessment.Outcome.Has(ReasonCode.ImpossibleTravel), o.Event.Attempt.Account);
            Assert.Equal(Verdict.Allow, o.Final);
        });
    }

    [Fact]
    public void StuffingThatNeverStops_IsASpikeForHours_NotForTheRestOfTheServicesLife()
    {
        // Background stuffing that goes on for days (over a quarter of all attempts fail on unknown accounts, from a fresh
        // proxy each). Hours in, a customer's new browser on another address of their ISP is stepped up (the spike
        // lowers the bar); days in, it is the service's normal again and only the attack's own logins are held up.
        var world = new TestWorld(seed: 41);
        var users = Enumerable.Range(0, 3000).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 2);
        TimeSpan bucket = world.Options.GlobalAnomaly.Bucket;
        for (int b = 0; b < 36; b++)   // three quiet hours: the baseline learns the usual failure shares
        {
            for (int i = 0; i < 30; i++) world.Home(users[world.Random.Next(users.Count)]);
            world.Advance(bucket);
        }
        Outcome? early = null, late = null;
        int attack = 0;
        for (int b = 0; b < 5 * 288; b++)
        {
            for (int i = 0; i < 30; i++) world.Home(users[world.Random.Next(users.Count)]);
            for (int i = 0; i < 12; i++, attack++)
            {
                var proxy = new IPAddress([(byte)(60 + attack % 60), (byte)(attack / 60 % 250), 77, (byte)(attack % 250 + 1)]);
                world.Run(world.Attempt($"leaked{attack:D7}@example.com", proxy, "leak-" + attack, TestWorld.HomeAsns[attack % 3], "JP", TestWorld.Agents[attack % 5], null),
                    LoginOutcome.UnknownAccount, attack: true);
            }
            if (b is 24 or 4 * 288)   // two hours in; four days in
            {
                User customer = users[b % 1000];
                // A new browser (no token yet) on another address of their own ISP: unfamiliar, not strange.
                Outcome o = world.Run(world.Attempt(customer.Account, TestWorld.Ip("150.249." + (b % 200) + ".9"), customer.Secret, customer.Asn, "JP", customer.UserAgent, null), LoginOutcome.Success);
                if (b == 24) early = o; else late = o;
            }
            world.Advance(bucket);
        }

        Assert.True(early!.Assessment.Outcome.Has(ReasonCode.GlobalFailureSpike));
        Assert.Equal(Verdict.StepUp, early.Final);
        Assert.False(late!.Assessment.Outcome.Has(ReasonCode.GlobalFailureSpike));
        Assert.Equal(Verdict.Allow, late.Final);
    }

    [Fact]
    public void LogOfAddressesOnly_DuringAStuffingSpike_CustomersBehindTheirCarriersNat_AreNotSteppedUp()
    {
        // An export with only time, account, address and outcome: no browser, device token, ASN or country, so nothing
        // but the address can make a login familiar, and a phone's address is whichever of its carrier's pool it got.
        // While a stuffing wave lifts the service's failure share, a customer on a busy carrier address where most
        // accounts succeed from a context they know gets in; one on an address nobody else uses, and the wave's own
        // hits, are stepped up.
        var world = new TestWorld(seed: 43);
        var pool = Enumerable.Range(0, 40).Select(i => new IPAddress([1, 66, (byte)(i / 10), (byte)(i + 1)])).ToArray();
        var users = Enumerable.Range(0, 2000).Select(i => world.NewUser(i, device: false)).ToList();
        IPAddress PoolAddress() => pool[world.Random.Next(pool.Length)];
        Outcome Login(User user, IPAddress ip) => world.Run(world.Attempt(user.Account, ip, user.Secret, null, null, null, null), LoginOutcome.Success);
        for (int day = 0; day < 3; day++)
        {
            foreach (User user in users)
            {
                Login(user, PoolAddress());
                world.Advance(TimeSpan.FromMinutes(1440.0 / users.Count));
            }
        }
        TimeSpan bucket = world.Options.GlobalAnomaly.Bucket;
        for (int b = 0; b < 36; b++)   // three quiet hours: the baseline learns the usual failure shares
        {
            for (int i = 0; i < 30; i++) Login(users[world.Random.Next(users.Count)], PoolAddress());
            world.Advance(bucket);
        }

        var customers = new List<Outcome>();
        Outcome? homeLine = null;
        var hits = new List<Outcome>();
        for (int b = 0; b < 12; b++)   // an hour of stuffing from a fresh proxy per attempt
        {
            for (int i = 0; i < 30; i++) customers.Add(Login(users[world.Random.Next(users.Count)], PoolAddress()));
            for (int i = 0; i < 40; i++)
            {
                int n = b * 40 + i;
                var proxy = new IPAddress([(byte)(60 + n % 60), (byte)(n / 60 % 250), 78, (byte)(n % 250 + 1)]);
                if (i == 39)   // one leaked password is right: a customer's account, from the wave's proxy
                {
                    User victim = users[1000 + b];
                    hits.Add(world.Run(world.Attempt(victim.Account, proxy, victim.Secret, null, null, null, null), LoginOutcome.Success, attack: true, takeover: true));
                }
                else
                {
                    world.Run(world.Attempt($"leaked{n:D6}@example.com", proxy, "leak-" + n, null, null, null, null), LoginOutcome.UnknownAccount, attack: true);
                }
            }
            if (b == 6) homeLine = Login(users[7], TestWorld.Ip("203.0.113.77"));   // an address no other account uses
            world.Advance(bucket);
        }

        Assert.True(customers.Count(o => o.Assessment.Outcome.Has(ReasonCode.GlobalFailureSpike)) > customers.Count / 2, "the wave must be a spike");
        var steppedUp = customers.Where(o => o.Final != Verdict.Allow).ToList();
        Assert.True(steppedUp.Count == 0, $"{steppedUp.Count} of {customers.Count} customers on their carrier's addresses held up, e.g. {(steppedUp.Count > 0 ? string.Join(";", steppedUp[0].Assessment.Outcome.Reasons.Select(r => r.Code)) : "")}");
        Assert.Equal(Verdict.StepUp, homeLine!.Final);
        Assert.All(hits, o => Assert.NotEqual(Verdict.Allow, o.Final));
    }

    [Fact]
    public void PinServiceWhoseForgetfulUsersTry1234_DoesNotStepUpItsOwnersAsIfItWereSprayed()
    {
        // No attack. One login in a hundred first tries 1234 although it is not the user's PIN: 1234 fails on many
        // accounts, past the low-and-slow threshold within hours, but its owners succeed with it on far more.
        var service = new PinService(new TestWorld(seed: 63), users: 10_000, seed: 7);
        var successes = new List<Outcome>();
        for (int day = 0; day < 3; day++) successes.AddRange(service.Day(tryPopular: 0.01));

        var owners = successes.Where(o => o.Event.Attempt.Secret == TestWorld.Fp(PinService.PopularPin)).ToList();
        int heldUp = owners.Count(o => o.Combined != Verdict.Allow);
        Assert.True(owners.Count > 2_000, $"only {owners.Count} logins with the popular PIN");
        Assert.True(heldUp <= owners.Count / 100, $"{heldUp} of {owners.Count} logins of the popular PIN's owners held up");
        Assert.DoesNotContain(successes, o => o.Combined == Verdict.Deny);
    }

    [Fact]
    public void HouseholdsSharingATabletAtHome_AreNotTakeoverRings()
    {
        // Three or four people of a household, each with their own phone, log in on the family tablet a third of the
        // time, at home. A device in more accounts than a household shares is a ring's mark; at an address each of
        // those accounts knows, it is the household's.
        var world = new TestWorld(seed: 71);
        var members = new List<(User User, string Tablet)>();
        for (int h = 0; h < 150; h++)
        {
            var home = new IPAddress([110, 1, (byte)h, 9]);
            for (int m = 0; m < 3 + h % 2; m++) members.Add((world.NewUser(h * 10 + m) with { HomeIp = home }, $"tablet-{h}"));
        }
        var logins = new List<(int Day, Outcome Outcome)>();
        for (int day = 0; day < 7; day++)
        {
            foreach ((User u, string tablet) in members.OrderBy(_ => world.Random.Next()))
            {
                bool onTablet = world.Random.NextDouble() < 0.3;
                logins.Add((day, world.Run(world.Attempt(u.Account, u.HomeIp, u.Secret, u.Asn, "JP", onTablet ? TestWorld.MacSafari : u.UserAgent, onTablet ? tablet : u.Device), LoginOutcome.Success)));
                world.Advance(TimeSpan.FromSeconds(86_400.0 / members.Count));
            }
        }

        // The first days of a cold start hold a few: a member's first logins on the tablet before their home is known
        // (stepped up, so learned only once they come back on another day). From the third day, next to none.
        var later = logins.Where(l => l.Day >= 2).Select(l => l.Outcome).ToList();
        var heldUp = later.Where(o => o.Combined != Verdict.Allow).ToList();
        Assert.True(heldUp.Count * 200 <= later.Count, $"{heldUp.Count} of {later.Count} held up from the third day, e.g. " +
            string.Join(" | ", heldUp.Take(3).Select(o => $"{o.Event.Attempt.Device}: {string.Join(";", o.Assessment.PreAuth.Reasons.Select(r => r.Code))} / {o.Codes}")));
        Assert.DoesNotContain(logins, l => l.Outcome.Combined == Verdict.Deny);
    }

    [Fact]
    public void UserWhoMistypesTenTimes_OnTheirOwnPhone_IsNotDeniedAndGetsIn()
    {
        var world = new TestWorld(seed: 13);
        var users = Enumerable.Range(0, 100).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 3);
        User clumsy = users[42];
        for (int i = 0; i < 10; i++)
        {
            Outcome miss = world.Run(world.Attempt(clumsy.Account, clumsy.HomeIp, clumsy.Secret + i.ToString(CultureInfo.InvariantCulture), clumsy.Asn, "JP", clumsy.UserAgent, clumsy.Device), LoginOutcome.WrongSecret);
            Assert.NotEqual(Verdict.Deny, miss.PreAuth);
            world.Advance(TimeSpan.FromSeconds(20));
        }
        Outcome success = world.Home(clumsy);
        Assert.Equal(Verdict.Allow, success.PreAuth);
        Assert.Equal(Verdict.Allow, success.Final);
    }

    [Fact]
    public void UserRetryingTheSameWrongPassword_CountsOnce()
    {
        var world = new TestWorld(seed: 14);
        var users = Enumerable.Range(0, 50).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 2);
        User user = users[3];
        // On a new laptop (unfamiliar), the user retries the old password 30 times: one distinct wrong secret.
        for (int i = 0; i < 30; i++)
        {
            Outcome o = world.Run(world.Attempt(user.Account, user.HomeIp, "old-password", user.Asn, "JP", TestWorld.MacSafari, "new-laptop"), LoginOutcome.WrongSecret);
            Assert.NotEqual(Verdict.Deny, o.PreAuth);
            world.Advance(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void UsersWhosePasswordIsPopular_AreNotTakeoversEvenWhileItIsSprayed()
    {
        var world = new TestWorld(seed: 15);
        var users = Enumerable.Range(0, 3000).Select(i => world.NewUser(i, secret: i % 10 == 0 ? "123456" : null)).ToList();
        world.BuildHistory(users, days: 2);
        // A spray of "123456" runs against the other accounts while the real owners keep logging in.
        var owners = users.Where(u => u.Secret == "123456").ToList();
        var outcomes = new List<Outcome>();
        for (int i = 0; i < 2000; i++)
        {
            User target = users[i + 1];
            if (target.Secret != "123456")
                world.Run(world.Attempt(target.Account, new IPAddress([5, 188, (byte)(i % 250), (byte)(i / 250 + 1)]), "123456", 9009, "NL", TestWorld.WindowsChrome, null), LoginOutcome.WrongSecret, attack: true);
            if (i % 7 == 0)
                outcomes.Add(world.Home(owners[i / 7 % owners.Count]));
            world.Advance(TimeSpan.FromSeconds(2));
        }
        Assert.NotEmpty(outcomes);
        Assert.All(outcomes, o => Assert.Equal(Verdict.Allow, o.Final));
        Assert.All(outcomes, o => Assert.Equal(Verdict.Allow, o.PreAuth));
        // The same owner on a brand-new phone in the same hour is stepped up, not denied.
        User owner = owners[5];
        Outcome newPhone = world.Run(world.Attempt(owner.Account, new IPAddress([1, 66, 0, 9]), "123456", 9605, "JP", TestWorld.AndroidChrome, "new-phone"), LoginOutcome.Success);
        Assert.Equal(Verdict.StepUp, newPhone.Final);
    }

    [Fact]
    public void UsersWhoForgetTheirPassword_TryingAPopularOneAtHome_DoNotMakeItASpray()
    {
        var world = new TestWorld(seed: 19);
        var users = Enumerable.Range(0, 600).Select(i => world.NewUser(i, secret: i % 10 == 0 ? "123456" : null)).ToList();
        world.BuildHistory(users, days: 3);
        // Within an hour, sixty customers who forgot their password try "123456" on their own phone, then remember.
        var forgetful = users.Where(u => u.Secret != "123456").Take(60).ToList();
        foreach (User user in forgetful)
        {
            Outcome wrong = world.Run(world.Attempt(user.Account, user.HomeIp, "123456", user.Asn, user.Country, user.UserAgent, user.Device), LoginOutcome.WrongSecret);
            Assert.Equal(Verdict.Allow, wrong.Combined);
            world.Home(user);
            world.Advance(TimeSpan.FromSeconds(50));
        }

        // A real owner of that password on a new phone is stepped up as any new phone is, not as a spray's victim.
        User owner = users[30];
        Outcome newPhone = world.Run(world.Attempt(owner.Account, new IPAddress([1, 66, 0, 9]), "123456", 9605, "JP", TestWorld.AndroidChrome, "new-phone"), LoginOutcome.Success);
        Assert.False(newPhone.Assessment.PreAuth.Has(ReasonCode.SprayedSecret));
        Assert.False(newPhone.Assessment.Outcome.Has(ReasonCode.CampaignSecret));
        Assert.DoesNotContain(world.Engine.Campaigns.OpenCampaigns(), c => c.Kind is CampaignKind.PasswordSpray or CampaignKind.ReverseBruteForce);

        // Sixty failures of it on other accounts from strangers' addresses are a spray.
        var targets = users.Where(u => u.Secret != "123456").Skip(100).Take(60).ToList();
        for (int i = 0; i < targets.Count; i++)
        {
            world.Run(world.Attempt(targets[i].Account, new IPAddress([5, 188, 7, (byte)(i + 1)]), "123456", 9009, "NL", TestWorld.WindowsChrome, null),
                LoginOutcome.WrongSecret, attack: true);
            world.Advance(TimeSpan.FromSeconds(5));
        }
        Assert.Contains(world.Engine.Campaigns.OpenCampaigns(), c => c.Kind is CampaignKind.PasswordSpray or CampaignKind.ReverseBruteForce);
    }

    [Fact]
    public async Task NewPhone_IsSteppedUpOnce_AndLearnedAfterConfirmation()
    {
        var world = new TestWorld(seed: 16);
        var users = Enumerable.Range(0, 300).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 4);
        User user = users[0];   // iPhone at home
        LoginAttempt NewPhone() => world.Attempt(user.Account, new IPAddress([1, 66, 0, 3]), user.Secret, 9605, "JP", TestWorld.AndroidChrome, "pixel-new");
        Outcome first = world.Run(NewPhone(), LoginOutcome.Success);
        Assert.Equal(Verdict.StepUp, first.Final);
        Assert.True(first.Assessment.Outcome.Has(ReasonCode.UnfamiliarEnvironment));

        // The user passes the step-up: the caller trusts the device.
        await world.Engine.SetDeviceTrustAsync(user.Account, null, "pixel-new", trusted: true, world.Now);
        world.Advance(TimeSpan.FromHours(3));
        Outcome second = world.Run(NewPhone(), LoginOutcome.Success);
        Assert.Equal(Verdict.Allow, second.Final);
        Assert.True(second.Assessment.Outcome.Has(ReasonCode.TrustedDevice));
    }

    [Fact]
    public void NewPhoneNeverConfirmed_IsLearnedOnceItComesBackOnAnotherDay()
    {
        // A replayed log never says whether a step-up passed. A user's new phone comes back the next day; a party that
        // took an account over rarely returns in the same environment. Twice on its first day is still one day. Its
        // first success on the next day is the one that has it learned, and no longer asks for the second factor again
        // (ADR 0047).
        var world = new TestWorld(seed: 17);
        var users = Enumerable.Range(0, 300).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 4);
        User user = users[1];
        Verdict NewPhone() => world.Run(world.Attempt(user.Account, new IPAddress([1, 66, 0, 4]), user.Secret, 9605, "JP", TestWorld.IPhoneSafari, "iphone-15"), LoginOutcome.Success).Final;
        var verdicts = new List<Verdict> { NewPhone() };
        world.Advance(TimeSpan.FromHours(2));
        verdicts.Add(NewPhone());
        for (int day = 1; day < 4; day++)
        {
            world.Advance(TimeSpan.FromDays(1));
            verdicts.Add(NewPhone());
        }
        Assert.Equal([Verdict.StepUp, Verdict.StepUp, Verdict.Allow, Verdict.Allow, Verdict.Allow], verdicts);
    }
}
