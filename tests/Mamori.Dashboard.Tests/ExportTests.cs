using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mamori.Campaigns;

namespace Mamori.Dashboard.Tests;

public sealed partial class ExportTests
{
    internal static CampaignView Campaign(string id = "cmp-20200914T2356-0001") => new()
    {
        Id = id, Kind = CampaignKind.PasswordSpray, FirstSeen = new DateTimeOffset(2020, 9, 14, 23, 56, 45, 120, TimeSpan.Zero),
        LastSeen = new DateTimeOffset(2020, 9, 15, 9, 40, 0, TimeSpan.FromHours(9)), Open = true, Attempts = 420, AccountsTargeted = 400,
        DistinctIps = 9,
        Successes = [new CampaignSuccess("=HYPERLINK(\"http://evil\")", new DateTimeOffset(2020, 9, 14, 23, 59, 0, TimeSpan.Zero), "203.0.113.9", "allow")],
        TopIps = [new SourceCount("203.0.113.9", 60), new SourceCount("2001:db8::1", 5), new SourceCount("bad'], [x", 1)],
        TopSubnets = [new SourceCount("203.0.113.0/24", 400), new SourceCount("2001:db8::/48", 5)],
        TopAsns = [new SourceCount("AS64500", 400), new SourceCount("AS4713", 3), new SourceCount("ASx", 1)],
        SecretIds = ["sec_7f3a9c1d2e4b5a60"],
    };

    [GeneratedRegex("^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex IndicatorId();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex StixTimestamp();

    [Fact]
    public void StixBundle_EveryIndicatorHasTheRequiredStix21Properties()
    {
        using JsonDocument doc = JsonDocument.Parse(StixExport.Bundle(Campaign()));
        JsonElement bundle = doc.RootElement;
        Assert.Equal("bundle", bundle.GetProperty("type").GetString());
        Assert.Matches("^bundle--[0-9a-f-]{36}$", bundle.GetProperty("id").GetString());
        JsonElement[] objects = bundle.GetProperty("objects").EnumerateArray().ToArray();
        Assert.NotEmpty(objects);
        foreach (JsonElement o in objects)
        {
            Assert.Equal("indicator", o.GetProperty("type").GetString());
            Assert.Equal("2.1", o.GetProperty("spec_version").GetString());
            Assert.Matches(IndicatorId(), o.GetProperty("id").GetString());
            string created = o.GetProperty("created").GetString()!, modified = o.GetProperty("modified").GetString()!;
            Assert.Matches(StixTimestamp(), created);
            Assert.Matches(StixTimestamp(), modified);
            Assert.True(string.CompareOrdinal(modified, created) >= 0, "modified must not precede created");
            Assert.Equal("stix", o.GetProperty("pattern_type").GetString());
            Assert.Matches(StixTimestamp(), o.GetProperty("valid_from").GetString());
            Assert.Matches(@"^\[(ipv4-addr|ipv6-addr):value = '[0-9a-f.:/]+'\]$|^\[autonomous-system:number = \d+\]$", o.GetProperty("pattern").GetString());
            Assert.Equal(JsonValueKind.Array, o.GetProperty("indicator_types").ValueKind);
        }
        Assert.Equal(objects.Length, objects.Select(o => o.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public void StixBundle_HasIndicatorsForAddressesNetworksAndAsns()
    {
        using JsonDocument doc = JsonDocument.Parse(StixExport.Bundle(Campaign()));
        string[] patterns = doc.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("pattern").GetString()!).ToArray();
        Assert.Equal(
        [
            "[ipv4-addr:value = '203.0.113.9']", "[ipv6-addr:value = '2001:db8::1']",
            "[ipv4-addr:value = '203.0.113.0/24']", "[ipv6-addr:value = '2001:db8::/48']",
            "[autonomous-system:number = 64500]", "[autonomous-system:number = 4713]",
        ], patterns);   // the unparsable "bad'], [x" and "ASx" are left out rather than quoted into a pattern
    }

    [Fact]
    public void StixBundle_UsesTheCampaignsOwnTimesInUtc()
    {
        using JsonDocument doc = JsonDocument.Parse(StixExport.Bundle(Campaign()));
        JsonElement first = doc.RootElement.GetProperty("objects")[0];
        Assert.Equal("2020-09-14T23:56:45.120Z", first.GetProperty("created").GetString());
        Assert.Equal("2020-09-15T00:40:00.000Z", first.GetProperty("modified").GetString());
        Assert.Equal("2020-09-14T23:56:45.120Z", first.GetProperty("valid_from").GetString());
    }

    [Fact]
    public void StixBundle_IsDeterministicAndIdsDependOnTheCampaign()
    {
        Assert.Equal(StixExport.Bundle(Campaign()), StixExport.Bundle(Campaign()));
        using JsonDocument a = JsonDocument.Parse(StixExport.Bundle(Campaign("cmp-a")));
        using JsonDocument b = JsonDocument.Parse(StixExport.Bundle(Campaign("cmp-b")));
        Assert.NotEqual(a.RootElement.GetProperty("objects")[0].GetProperty("id").GetString(), b.RootElement.GetProperty("objects")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void StixBundle_NeverContainsSecretIds()
    {
        string text = Encoding.UTF8.GetString(StixExport.Bundle(Campaign()));
        Assert.DoesNotContain("sec_7f3a9c1d2e4b5a60", text);
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void UuidV5_MatchesRfc9562Example()
    {
        // RFC 9562 Appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
        Guid dns = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), StixExport.UuidV5(dns, "www.example.com"));
    }

    [Fact]
    public void Csv_HasHeaderSummarySourcesTakeoversAndTargets()
    {
        string csv = CsvExport.Write(Campaign(), [new TargetDto("victim001@example.jp", null, 2, new DateTimeOffset(2020, 9, 14, 23, 58, 0, TimeSpan.Zero))]);
        string[] lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(CsvExport.Header, lines[0]);
        Assert.Equal("cmp-20200914T2356-0001,summary,password_spray,420,2020-09-14T23:56:45.120Z,2020-09-15T00:40:00.000Z,", lines[1]);
        Assert.Contains("cmp-20200914T2356-0001,ip,203.0.113.9,60,,,", lines);
        Assert.Contains("cmp-20200914T2356-0001,subnet,203.0.113.0/24,400,,,", lines);
        Assert.Contains("cmp-20200914T2356-0001,asn,AS64500,400,,,", lines);
        Assert.Contains("cmp-20200914T2356-0001,targeted_account,victim001@example.jp,2,,2020-09-14T23:58:00.000Z,", lines);
        Assert.Equal(7, lines[0].Split(',').Length);
        Assert.DoesNotContain("sec_", csv);
    }

    [Fact]
    public void Csv_QuotesSeparatorsAndDefusesFormulas()
    {
        string csv = CsvExport.Write(Campaign(), []);
        // The attacker-chosen account "=HYPERLINK("http://evil")" becomes a quoted, apostrophe-prefixed text cell.
        Assert.Contains("likely_takeover,\"'=HYPERLINK(\"\"http://evil\"\")\",,2020-09-14T23:59:00.000Z", csv);
        Assert.Equal("\"a,b\"", CsvExport.Cell("a,b"));
        Assert.Equal("'+1", CsvExport.Cell("+1"));
        Assert.Equal("'@SUM(A1)", CsvExport.Cell("@SUM(A1)"));
        Assert.Equal("plain@example.jp", CsvExport.Cell("plain@example.jp"));
        Assert.Equal("\"line\nbreak\"", CsvExport.Cell("line\nbreak"));
    }

    [Fact]
    public void StixTimestamp_IsInvariantUnderAnotherCulture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA");
            Assert.Equal("2020-09-14T23:56:45.120Z", StixExport.Timestamp(Campaign().FirstSeen));
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Fact]
    public void CsvBytes_StartWithAUtf8Bom_SoExcelReadsJapaneseNames()
    {
        CampaignView campaign = Campaign() with { Successes = [new CampaignSuccess("山田太郎", new DateTimeOffset(2020, 9, 14, 23, 59, 0, TimeSpan.Zero), "203.0.113.9", "allow")] };

        byte[] bytes = CsvExport.ToBytes(CsvExport.Write(campaign, []));

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Contains(",likely_takeover,山田太郎,", Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3), StringComparison.Ordinal);
    }
}
