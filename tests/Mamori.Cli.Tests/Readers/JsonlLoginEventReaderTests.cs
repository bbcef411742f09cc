using System.Net;
using System.Text;
using Mamori.Cli.Replay.Readers;
using Mamori.Events;
using Mamori.Simulation;
using Mamori.Simulation.Output;
using static Mamori.Cli.Tests.Readers.ReaderTestHelpers;

namespace Mamori.Cli.Tests.Readers;

public sealed class JsonlLoginEventReaderTests
{
    private const string Full =
        """{"ts":"2020-09-15T08:56:45.792+09:00","account":"1234567","ip":"203.0.113.7","outcome":"wrong_secret","user_agent":"Mozilla/5.0","device":"dv_1","secret_fp":"00FF00ff00ff00FF","asn":9605,"country":"jp","tenant":"bank-a"}""";

    [Fact]
    public void FullLine_ParsesEveryField_AndConvertsTheOffsetToUtc()
    {
        ReadResult r = Assert.Single(ReadAll(Full, LoginLogFormat.Jsonl));
        Assert.True(r.IsValid, r.Error);
        LoginAttempt a = r.Event.Attempt;
        Assert.Equal(new DateTimeOffset(2020, 9, 14, 23, 56, 45, 792, TimeSpan.Zero), a.Timestamp);
        Assert.Equal(TimeSpan.Zero, a.Timestamp.Offset);
        Assert.Equal("1234567", a.Account);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), a.Ip);
        Assert.Equal(LoginOutcome.WrongSecret, r.Event.Outcome);
        Assert.Equal("Mozilla/5.0", a.UserAgent);
        Assert.Equal("dv_1", a.Device);
        Assert.Equal(0x00FF00FF00FF00FFUL, a.Secret!.Value.Value);
        Assert.Equal(9605, a.Asn);
        Assert.Equal("JP", a.Country);
        Assert.Equal("bank-a", a.Tenant);
        Assert.Null(r.Truth);
        Assert.Equal(1, r.Line);
    }

    [Fact]
    public void Map_ReadsAnExportsOwnKeys_AndLeavesTheOthersTheirNames()
    {
        // An export that calls its fields otherwise, with a boolean for the outcome; user_agent keeps its own name.
        const string Line = """{"timestamp":1600127805,"user_id":"u-77","client_ip":"198.51.100.4","ok":false,"user_agent":"Mozilla/5.0","ip":"10.0.0.1"}""";
        CsvColumnMap map = CsvColumnMap.Parse("ts=timestamp,account=user_id,ip=client_ip,outcome=ok");
        ReadResult r = Assert.Single(ReadAll(Line, LoginLogFormat.Jsonl, map));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1600127805), r.Event.Attempt.Timestamp);
        Assert.Equal("u-77", r.Event.Attempt.Account);
        Assert.Equal(IPAddress.Parse("198.51.100.4"), r.Event.Attempt.Ip);   // the mapped key, not the one named "ip"
        Assert.Equal(LoginOutcome.WrongSecret, r.Event.Outcome);
        Assert.Equal("Mozilla/5.0", r.Event.Attempt.UserAgent);

        // Without the map the same line lacks what it needs, and says which.
        Assert.Equal("missing required field(s): ts, account, outcome", Assert.Single(ReadAll(Line, LoginLogFormat.Jsonl)).Error);
    }

    [Fact]
    public void Map_ADottedPath_ReadsAFieldNestedInObjects_AsElasticsEcsWritesALogin()
    {
        // One authentication event as Elastic's Common Schema nests it: the address, its network and country under
        // "source", the agent under "user_agent" (an object here, not Mamori's string), the outcome under "event".
        const string Ecs = """{"@timestamp":"2024-08-05T00:33:21.120Z","event":{"category":["authentication"],"outcome":"failure"},"source":{"ip":"203.0.113.7","as":{"number":2516,"organization":{"name":"KDDI"}},"geo":{"country_iso_code":"JP"}},"user":{"name":"emi.hayashi1"},"user_agent":{"original":"Mozilla/5.0 (iPhone)"},"labels":{"tenant":"broker"}}""";
        CsvColumnMap map = CsvColumnMap.Parse("ts=@timestamp,account=user.name,ip=source.ip,outcome=event.outcome,asn=source.as.number,"
            + "country=source.geo.country_iso_code,user_agent=user_agent.original,tenant=labels.tenant");

        ReadResult r = Assert.Single(ReadAll(Ecs, LoginLogFormat.Jsonl, map));

        Assert.True(r.IsValid, r.Error);
        LoginAttempt a = r.Event.Attempt;
        Assert.Equal(new DateTimeOffset(2024, 8, 5, 0, 33, 21, 120, TimeSpan.Zero), a.Timestamp);
        Assert.Equal("emi.hayashi1", a.Account);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), a.Ip);
        Assert.Equal(LoginOutcome.WrongSecret, r.Event.Outcome);
        Assert.Equal(2516, a.Asn);
        Assert.Equal("JP", a.Country);
        Assert.Equal("Mozilla/5.0 (iPhone)", a.UserAgent);
        Assert.Equal("broker", a.Tenant);

        // Without the map the row says how to reach into the object where Mamori's own name meets one.
        Assert.Equal("user_agent is an object, not a value: name the value inside it with a dotted path, as in --map user_agent=user_agent.NAME",
            Assert.Single(ReadAll(Ecs, LoginLogFormat.Jsonl)).Error);
    }

    [Theory]
    // Okta's System Log: the address and the outcome two objects down, names in another case than the map's.
    [InlineData("""{"published":"2024-08-05T00:33:21Z","actor":{"alternateId":"emi@example.jp"},"client":{"ipAddress":"203.0.113.7","userAgent":{"rawUserAgent":"Mozilla/5.0"}},"outcome":{"result":"SUCCESS","reason":null}}""",
        "ts=published,account=actor.alternateid,ip=client.ipaddress,outcome=outcome.result,user_agent=client.userAgent.rawUserAgent")]
    // A flattened export writes the dotted names as keys: the same map reads them.
    [InlineData("""{"published":"2024-08-05T00:33:21Z","actor.alternateId":"emi@example.jp","client.ipAddress":"203.0.113.7","client.userAgent.rawUserAgent":"Mozilla/5.0","outcome.result":"SUCCESS"}""",
        "ts=published,account=actor.alternateId,ip=client.ipAddress,outcome=outcome.result,user_agent=client.userAgent.rawUserAgent")]
    // Names written with escapes are unescaped before they are matched.
    [InlineData("""{"published":"2024-08-05T00:33:21Z","act\u006fr":{"alternate\u0049d":"emi@example.jp"},"client":{"ipAddress":"203.0.113.7","userAgent":{"rawUserAgent":"Mozilla/5.0"}},"outcome":{"result":"SUCCESS"}}""",
        "ts=published,account=actor.alternateId,ip=client.ipAddress,outcome=outcome.result,user_agent=client.userAgent.rawUserAgent")]
    public void Map_ADottedPath_ReadsNestedAndFlattenedExportsAlike(string line, string mapText)
    {
        ReadResult r = Assert.Single(ReadAll(line, LoginLogFormat.Jsonl, CsvColumnMap.Parse(mapText)));

        Assert.True(r.IsValid, r.Error);
        Assert.Equal(("emi@example.jp", IPAddress.Parse("203.0.113.7"), LoginOutcome.Success, "Mozilla/5.0"),
            (r.Event.Attempt.Account, r.Event.Attempt.Ip, r.Event.Outcome, r.Event.Attempt.UserAgent));
    }

    [Fact]
    public void Map_ADottedPath_ThatEndsOnAnObjectOrAList_IsABadRowNamingTheField_AndObjectsNoPathGoesThroughAreSkipped()
    {
        CsvColumnMap map = CsvColumnMap.Parse("account=user.name,ip=source.ip");
        const string Head = """{"ts":"2024-08-05T00:33:21Z","outcome":"success","user":{"name":"a"},"host":{"ip":["10.0.0.1"],"os":{"name":"x"}},""";

        ReadResult list = Assert.Single(ReadAll(Head + """ "source":{"ip":["203.0.113.7","10.0.0.1"]}}""", LoginLogFormat.Jsonl, map));
        Assert.Equal("ip has the wrong JSON type (StartArray)", list.Error);

        ReadResult deeper = Assert.Single(ReadAll(Head + """ "source":{"ip":{"v4":"203.0.113.7"}}}""", LoginLogFormat.Jsonl, map));
        Assert.Equal("ip is an object, not a value: name the value inside it with a dotted path, as in --map ip=source.ip.NAME", deeper.Error);

        // "host.ip" is no mapped path: its list and object are skipped whole, and the line is read.
        ReadResult ok = Assert.Single(ReadAll(Head + """ "source":{"ip":"203.0.113.7"}}""", LoginLogFormat.Jsonl, map));
        Assert.True(ok.IsValid, ok.Error);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), ok.Event.Attempt.Ip);

        // A path one object short of the field (source without ip) leaves the field missing.
        Assert.Equal("missing required field(s): ip", Assert.Single(ReadAll(Head + """ "source":{"port":443}}""", LoginLogFormat.Jsonl, map)).Error);
    }

    [Theory]
    // Keycloak's events: the error where a login failed, the type where it did not; either order on the line.
    [InlineData("""{"time":1600127805000,"type":"LOGIN_ERROR","error":"user_not_found","details":{"username":"a"},"ipAddress":"203.0.113.7"}""", LoginOutcome.UnknownAccount)]
    [InlineData("""{"time":1600127805000,"error":"user_not_found","type":"LOGIN_ERROR","details":{"username":"a"},"ipAddress":"203.0.113.7"}""", LoginOutcome.UnknownAccount)]
    [InlineData("""{"time":1600127805000,"type":"LOGIN","details":{"username":"a"},"ipAddress":"203.0.113.7"}""", LoginOutcome.Success)]
    [InlineData("""{"time":1600127805000,"error":null,"type":"LOGIN","details":{"username":"a"},"ipAddress":"203.0.113.7"}""", LoginOutcome.Success)]
    [InlineData("""{"time":1600127805000,"type":"LOGIN","error":"","details":{"username":"a"},"ipAddress":"203.0.113.7"}""", LoginOutcome.Success)]
    [InlineData("""{"time":1600127805000,"type":"LOGIN_ERROR","error":"user_temporarily_disabled","details":{"username":"a"},"ipAddress":"203.0.113.7"}""", LoginOutcome.Locked)]
    public void Map_WithAlternatives_TakesTheFirstNamePresent_WhereverItIsOnTheLine(string line, LoginOutcome expected)
    {
        CsvColumnMap map = CsvColumnMap.Parse("ts=time,account=details.username,ip=ipAddress,outcome=error|type");

        ReadResult r = Assert.Single(ReadAll(line, LoginLogFormat.Jsonl, map));

        Assert.True(r.IsValid, r.Error);
        Assert.Equal(expected, r.Event.Outcome);
        Assert.Equal("a", r.Event.Attempt.Account);
    }

    [Theory]
    [InlineData("9605", 9605)]
    [InlineData("\"AS9605\"", 9605)]
    [InlineData("\"as17676\"", 17676)]
    [InlineData("\"2516\"", 2516)]
    [InlineData("\"AS15169 Google LLC\"", 15169)]          // whois's and IP-geo exports' way: the name after the number
    [InlineData("\"AS9605 NTT DOCOMO, INC.\"", 9605)]
    public void Asn_AcceptsIntegerAndAsPrefixedString(string json, int expected)
    {
        ReadResult r = Assert.Single(ReadAll($$"""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"::1","outcome":"success","asn":{{json}}}""", LoginLogFormat.Jsonl));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal(expected, r.Event.Attempt.Asn);
    }

    [Theory]
    [InlineData("\"AS 15169\"")]       // a space before the number: not a number
    [InlineData("\"15169Google\"")]    // no space before the name
    [InlineData("\"Google LLC\"")]
    public void Asn_WithoutANumberFirst_IsABadRowThatSaysWhatItExpects(string json)
    {
        ReadResult r = Assert.Single(ReadAll($$"""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"::1","outcome":"success","asn":{{json}}}""", LoginLogFormat.Jsonl));
        Assert.False(r.IsValid);
        Assert.Contains("asn must be a number or \"AS<number>\"", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"-\"", "\"-\"")]                  // the RBA dataset's and many exports' "unknown"
    [InlineData("\"unknown\"", "\"Unknown\"")]
    [InlineData("\"N/A\"", "\"ZZ\"")]               // ZZ: CLDR's unknown region
    [InlineData("\"none\"", "\"xx\"")]              // XX: a CDN's unknown country
    public void AsnAndCountry_WrittenAsUnknown_AreAbsent_NotABadRow(string asn, string country)
    {
        ReadResult r = Assert.Single(ReadAll($$"""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"::1","outcome":"success","asn":{{asn}},"country":{{country}}}""", LoginLogFormat.Jsonl));
        Assert.True(r.IsValid, r.Error);
        Assert.Null(r.Event.Attempt.Asn);
        Assert.Null(r.Event.Attempt.Country);
    }

    [Theory]
    [InlineData("Japan")]
    [InlineData("JPN")]
    [InlineData("J1")]
    public void Country_NotAnAlpha2Code_IsABadRowThatSaysSo(string country)
    {
        ReadResult r = Assert.Single(ReadAll($$"""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"::1","outcome":"success","country":"{{country}}"}""", LoginLogFormat.Jsonl));
        Assert.False(r.IsValid);
        Assert.Contains("country must be an ISO 3166-1 alpha-2 code", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFields_AreIgnored_IncludingNestedOnes()
    {
        ReadResult r = Assert.Single(ReadAll(
            """{"extra":{"a":[1,2,{"b":null}]},"ts":"2020-09-14T23:56:45Z","note":"x","account":"a","ip":"2001:db8::1","outcome":"locked","n":1.5}""",
            LoginLogFormat.Jsonl));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal(LoginOutcome.Locked, r.Event.Outcome);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), r.Event.Attempt.Ip);
    }

    [Fact]
    public void Labels_AreExposedApartFromTheEvent()
    {
        ReadResult r = Assert.Single(ReadAll(
            """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success","label":"attack","scenario":"phished","takeover":true}""",
            LoginLogFormat.Jsonl));
        Assert.Equal(new GroundTruth(TruthLabel.Attack, "phished", true), r.Truth);
    }

    [Fact]
    public void NullOptionalFields_AreAbsent()
    {
        ReadResult r = Assert.Single(ReadAll(
            """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success","device":null,"secret_fp":null,"asn":null}""",
            LoginLogFormat.Jsonl));
        Assert.True(r.IsValid, r.Error);
        Assert.Null(r.Event.Attempt.Device);
        Assert.Null(r.Event.Attempt.Secret);
        Assert.Null(r.Event.Attempt.Asn);
    }

    [Theory]
    [InlineData("1600127805")]                 // seconds, as a JSON number
    [InlineData("1600127805792")]              // milliseconds
    [InlineData("1600127805.792")]             // seconds with a fraction
    [InlineData("\"1600127805792\"")]          // as a string
    public void Ts_AcceptsUnixTimeInSecondsOrMilliseconds(string ts)
    {
        string line = $$"""{"ts":{{ts}},"account":"a","ip":"1.2.3.4","outcome":"success"}""";
        ReadResult r = Assert.Single(ReadAll(line, LoginLogFormat.Jsonl));
        Assert.True(r.IsValid, r.Error);
        DateTimeOffset expected = new(2020, 9, 14, 23, 56, 45, TimeSpan.Zero);
        Assert.Equal(expected, r.Event.Attempt.Timestamp.AddTicks(-(r.Event.Attempt.Timestamp.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Equal(ts.Contains("792", StringComparison.Ordinal) ? 792 : 0, r.Event.Attempt.Timestamp.Millisecond);
    }

    [Theory]
    [InlineData("123")]                        // 1970: another field, not a login's time
    [InlineData("-1600127805")]
    [InlineData("1.6e9")]
    [InlineData("99999999999999999999")]       // past 2100 even as milliseconds
    [InlineData("\"1600127805x\"")]
    public void Ts_RefusesNumbersThatAreNotALoginsTime(string ts)
    {
        string line = $$"""{"ts":{{ts}},"account":"a","ip":"1.2.3.4","outcome":"success"}""";
        ReadResult r = Assert.Single(ReadAll(line, LoginLogFormat.Jsonl));
        Assert.False(r.IsValid);
        Assert.Contains("Unix time", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"success\"", LoginOutcome.Success)]
    [InlineData("\"SUCCESS\"", LoginOutcome.Success)]
    [InlineData("\"ok\"", LoginOutcome.Success)]
    [InlineData("true", LoginOutcome.Success)]
    [InlineData("\"failure\"", LoginOutcome.WrongSecret)]
    [InlineData("\"Failed\"", LoginOutcome.WrongSecret)]
    [InlineData("false", LoginOutcome.WrongSecret)]
    [InlineData("\"0\"", LoginOutcome.WrongSecret)]
    [InlineData("\"wrong_password\"", LoginOutcome.WrongSecret)]
    [InlineData("\"user_not_found\"", LoginOutcome.UnknownAccount)]
    [InlineData("\"locked_out\"", LoginOutcome.Locked)]
    [InlineData("\"MFA_REQUIRED\"", LoginOutcome.Success)]            // the secret was right; a second factor was asked
    [InlineData("\"password-expired\"", LoginOutcome.Success)]
    [InlineData("\"Wrong-Password\"", LoginOutcome.WrongSecret)]
    [InlineData("\"invalid pin\"", LoginOutcome.WrongSecret)]
    [InlineData("\"User Not Found\"", LoginOutcome.UnknownAccount)]
    [InlineData("\"suspended\"", LoginOutcome.Locked)]
    [InlineData("\"LOGIN\"", LoginOutcome.Success)]                   // Keycloak's event types and errors
    [InlineData("\"LOGIN_ERROR\"", LoginOutcome.WrongSecret)]
    [InlineData("\"invalid_user_credentials\"", LoginOutcome.WrongSecret)]
    [InlineData("\"user_temporarily_disabled\"", LoginOutcome.Locked)]   // longer than the 24 characters read before
    [InlineData("\"s\"", LoginOutcome.Success)]                       // Auth0's log type codes
    [InlineData("\"fp\"", LoginOutcome.WrongSecret)]
    [InlineData("\"fu\"", LoginOutcome.UnknownAccount)]
    [InlineData("\"limit_wc\"", LoginOutcome.Locked)]
    public void Outcome_AcceptsTheNamesExportsUse(string json, LoginOutcome expected)
    {
        ReadResult r = Assert.Single(ReadAll($$"""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":{{json}}}""", LoginLogFormat.Jsonl));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal(expected, r.Event.Outcome);
    }

    [Theory]
    [InlineData("\"maybe\"")]
    [InlineData("\"successfully-logged-in-after-two-factor-check\"")]   // longer than any name: not guessed at
    [InlineData("1")]                                                     // a JSON number is not a name
    public void Outcome_ThatIsNoKnownName_IsABadRowNamingTheValues(string json)
    {
        ReadResult r = Assert.Single(ReadAll($$"""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":{{json}}}""", LoginLogFormat.Jsonl));
        Assert.False(r.IsValid);
        Assert.Contains("outcome", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"passed\"", true)]
    [InlineData("\"FAILED\"", false)]
    [InlineData("false", false)]
    [InlineData("null", null)]
    public void StepUp_IsTheSecondFactorsResult(string json, bool? expected)
    {
        ReadResult r = Assert.Single(ReadAll($$"""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success","step_up":{{json}}}""", LoginLogFormat.Jsonl));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal(expected, r.StepUpPassed);
    }

    [Fact]
    public void StepUp_OfAnotherValue_IsABadRow()
    {
        ReadResult r = Assert.Single(ReadAll("""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success","step_up":"skipped"}""", LoginLogFormat.Jsonl));
        Assert.False(r.IsValid);
        Assert.Contains("step_up must be passed or failed", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TimestampWithoutOffset_IsABadRowThatNamesTimezone_UnlessTheZoneIsGiven()
    {
        const string line = """{"ts":"2024-05-01 10:00:00","account":"a","ip":"1.2.3.4","outcome":"success"}""";
        ReadResult bad = Assert.Single(ReadAll(line, LoginLogFormat.Jsonl));
        Assert.False(bad.IsValid);
        Assert.Contains("--timezone", bad.Error, StringComparison.Ordinal);

        using ILoginEventReader reader = LoginEventReaders.Open(new MemoryStream(Encoding.UTF8.GetBytes(line)), LoginLogFormat.Jsonl, localZone: TimeZoneInfo.CreateCustomTimeZone("JST", TimeSpan.FromHours(9), "JST", "JST"));
        ReadResult good = Assert.Single(reader.ReadAll());
        Assert.True(good.IsValid, good.Error);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 1, 0, 0, TimeSpan.Zero), good.Event.Attempt.Timestamp);
    }

    [Theory]
    [InlineData("192.0.2.1:443", "192.0.2.1")]              // an access log's client address with its port
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData(" 192.0.2.1 ", "192.0.2.1")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("2001:DB8::1", "2001:db8::1")]
    public void Ip_AsAccessLogsWriteIt_IsTheClientsAddress(string written, string expected)
    {
        ReadResult r = Assert.Single(ReadAll($$"""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"{{written}}","outcome":"success"}""", LoginLogFormat.Jsonl));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal(System.Net.IPAddress.Parse(expected), r.Event.Attempt.Ip);
    }

    [Theory]
    [InlineData("203.0.113.5, 10.0.0.1", "a list of addresses")]   // a forwarded-for chain: which one is the client is the proxy's call
    [InlineData("192.0.2.1:99999x", "not an IPv4 or IPv6 address")]
    [InlineData("192.0.2.1:", "not an IPv4 or IPv6 address")]
    [InlineData("1.2.3:80", "not an IPv4 or IPv6 address")]
    public void Ip_ThatIsNoSingleAddress_IsABadRowSayingWhat(string written, string error)
    {
        ReadResult r = Assert.Single(ReadAll($$"""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"{{written}}","outcome":"success"}""", LoginLogFormat.Jsonl));
        Assert.False(r.IsValid);
        Assert.Contains(error, r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_ThatChangeTheirFieldsOrder_AreReadByName_NotByPlace()
    {
        // The reader tries first the name that followed the same name on the line before. Here the order changes
        // from line to line: names of one length trade places ("ts" and "ip", "account" and "outcome", "asn" and
        // "country"), an unknown field takes a place a known one held, and a line is shorter than the one before.
        const string Text = """
            {"ts":"2020-09-14T23:56:45Z","ip":"203.0.113.7","account":"alice","outcome":"success","asn":9605,"country":"JP"}
            {"ip":"198.51.100.4","ts":"2020-09-14T23:57:00Z","outcome":"wrong_secret","account":"bob","country":"US","asn":7018}
            {"xx":"203.0.113.9","ts":"2020-09-14T23:58:00Z","ip":"192.0.2.1","account":"carol","outcome":"success"}
            {"ts":"2020-09-14T23:59:00Z","ip":"192.0.2.2","account":"dave","outcome":"locked","asn":"AS2516","country":"jp"}
            """;
        List<ReadResult> rows = ReadAll(Text, LoginLogFormat.Jsonl);
        Assert.All(rows, r => Assert.True(r.IsValid, r.Error));
        Assert.Equal(["alice", "bob", "carol", "dave"], rows.Select(r => r.Event.Attempt.Account));
        Assert.Equal(["203.0.113.7", "198.51.100.4", "192.0.2.1", "192.0.2.2"], rows.Select(r => r.Event.Attempt.Ip.ToString()));
        Assert.Equal([LoginOutcome.Success, LoginOutcome.WrongSecret, LoginOutcome.Success, LoginOutcome.Locked], rows.Select(r => r.Event.Outcome));
        Assert.Equal(new DateTimeOffset(2020, 9, 14, 23, 57, 0, TimeSpan.Zero), rows[1].Event.Attempt.Timestamp);
        Assert.Equal([9605, 7018, null, 2516], rows.Select(r => r.Event.Attempt.Asn));
        Assert.Equal(["JP", "US", null, "JP"], rows.Select(r => r.Event.Attempt.Country));
    }

    [Fact]
    public void NamesInAnotherCase_AreReadAsTheirFields()
    {
        ReadResult r = Assert.Single(ReadAll("""{"TS":"2020-09-14T23:56:45Z","Account":"alice","IP":"203.0.113.7","Outcome":"success","User_Agent":"Mozilla/5.0","Extra":1}""", LoginLogFormat.Jsonl));
        Assert.True(r.IsValid, r.Error);
        Assert.Equal("alice", r.Event.Attempt.Account);
        Assert.Equal(System.Net.IPAddress.Parse("203.0.113.7"), r.Event.Attempt.Ip);
        Assert.Equal("Mozilla/5.0", r.Event.Attempt.UserAgent);
    }

    [Fact]
    public void MalformedRows_AreReportedWithLineNumbers_AndGoodRowsStillFlow()
    {
        string good = """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success"}""";
        string text = string.Join("\n",
            good,                                                                                        // 1
            """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success" """,       // 2 bad JSON
            """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3","outcome":"success"}""",         // 3 bad IP
            """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"maybe"}""",        // 4 bad outcome
            """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success","secret_fp":"abc"}""", // 5 bad fp
            """{"ts":"2020-09-14T23:56:45Z","account":"a"}""",                                           // 6 missing
            "",                                                                                          // 7 blank
            """{"ts":"2020-09-14 23:56:45","account":"a","ip":"1.2.3.4","outcome":"success"}""",        // 8 no offset
            "[1,2]",                                                                                     // 9 not an object
            """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success","asn":"ASX"}""",   // 10 bad asn
            """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success","country":"JPN"}""", // 11 bad country
            """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success","label":"evil"}""", // 12 bad label
            """{"ts":"2020-02-30T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success"}""",      // 13 no such date
            good);                                                                                       // 14
        List<ReadResult> results = ReadAll(text, LoginLogFormat.Jsonl);
        Assert.Equal([1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14], results.Select(r => r.Line));
        Assert.Equal([1, 14], results.Where(r => r.IsValid).Select(r => r.Line));
        string ErrorAt(int line) => results.Single(r => r.Line == line).Error!;
        Assert.StartsWith("invalid JSON", ErrorAt(2), StringComparison.Ordinal);
        Assert.Contains("ip is not an IPv4 or IPv6 address: '1.2.3'", ErrorAt(3), StringComparison.Ordinal);
        Assert.Contains("outcome must be", ErrorAt(4), StringComparison.Ordinal);
        Assert.Contains("secret_fp must be 16 hex digits", ErrorAt(5), StringComparison.Ordinal);
        Assert.DoesNotContain("abc", ErrorAt(5), StringComparison.Ordinal);
        Assert.Equal("missing required field(s): ip, outcome", ErrorAt(6));
        Assert.Contains("no offset", ErrorAt(8), StringComparison.Ordinal);
        Assert.Equal("line is not a JSON object", ErrorAt(9));
        Assert.Contains("asn", ErrorAt(10), StringComparison.Ordinal);
        Assert.Contains("country", ErrorAt(11), StringComparison.Ordinal);
        Assert.Contains("label", ErrorAt(12), StringComparison.Ordinal);
        Assert.Contains("ts", ErrorAt(13), StringComparison.Ordinal);
    }

    [Fact]
    public void CrLfLineEndings_ByteOrderMark_AndEscapedStrings_AreHandled()
    {
        string text = "\uFEFF" + """{"ts":"2020-09-14T23:56:45Z","account":"\u0061b\"c","ip":"1.2.3.4","outcome":"success"}""" + "\r\n" +
                      """{"ts":"2020-09-14T23:56:46Z","account":"d","ip":"::ffff:10.0.0.1","outcome":"unknown_account"}""" + "\r\n";
        List<ReadResult> results = ReadAll(text, LoginLogFormat.Jsonl);
        Assert.All(results, r => Assert.True(r.IsValid, r.Error));
        Assert.Equal("ab\"c", results[0].Event.Attempt.Account);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), results[1].Event.Attempt.Ip);   // IPv4-mapped folds to IPv4
        Assert.Equal(2, results[1].Line);
    }

    [Fact]
    public void EscapedFieldNames_MeanTheSameField()
    {
        string text = """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success","country":"jp","asn":64512}""";
        ReadResult result = Assert.Single(ReadAll(text, LoginLogFormat.Jsonl));
        Assert.True(result.IsValid, result.Error);
        Assert.Equal("a", result.Event.Attempt.Account);
        Assert.Equal("JP", result.Event.Attempt.Country);
        Assert.Equal(64512, result.Event.Attempt.Asn);
    }

    [Fact]
    public void OverlongLine_IsOneBadRow_AndTheNextLineParses()
    {
        string huge = "{\"pad\":\"" + new string('x', JsonlLoginEventReader.MaxLineBytes + 10) + "\"}";
        string huger = "{\"pad\":\"" + new string('y', 3 << 20) + "\"}";   // longer than the read buffer
        string good = """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success"}""";
        List<ReadResult> results = ReadAll(string.Join("\n", huge, good, huger, good), LoginLogFormat.Jsonl);
        Assert.Equal([false, true, false, true], results.Select(r => r.IsValid));
        Assert.Equal([1, 2, 3, 4], results.Select(r => r.Line));
    }

    [Fact]
    public void UserAgent_LongerThanTheLimit_IsCut()
    {
        string ua = new('u', LoginAttemptLimits.MaxUserAgentLength + 100);
        ReadResult r = Assert.Single(ReadAll($$"""{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success","user_agent":"{{ua}}"}""", LoginLogFormat.Jsonl));
        Assert.Equal(LoginAttemptLimits.MaxUserAgentLength, r.Event.Attempt.UserAgent!.Length);
    }

    [Fact]
    public void SimulatedLog_ReadsBackAsTheSameEventsAndLabels()
    {
        var events = Simulator.Run(new SimulationOptions { Scenario = SimulationScenario.Mixed, Users = 800, Days = 1, Seed = 3 });
        using var stream = new MemoryStream();
        JsonlLogWriter.Write(events, stream);
        stream.Position = 0;
        using ILoginEventReader reader = LoginEventReaders.Open(stream, LoginLogFormat.Jsonl);
        List<ReadResult> results = reader.ReadAll().ToList();
        Assert.Equal(events.Count, results.Count);
        for (int i = 0; i < events.Count; i++)
        {
            Assert.True(results[i].IsValid, results[i].Error);
            Assert.Equal(events[i].ToLoginEvent(), results[i].Event);   // record equality: every field
            Assert.Equal(events[i].Truth, results[i].Truth);
        }
    }

    [Fact]
    public void Format_IsGuessedFromTheExtension_AndParsedByName()
    {
        Assert.Equal(LoginLogFormat.Csv, LoginEventReaders.GuessFromPath("logins.CSV"));
        Assert.Equal(LoginLogFormat.Jsonl, LoginEventReaders.GuessFromPath("logins.jsonl"));
        Assert.True(LoginEventReaders.TryParseFormat("rba", out LoginLogFormat f));
        Assert.Equal(LoginLogFormat.Rba, f);
        Assert.False(LoginEventReaders.TryParseFormat("xml", out _));
    }
}
