using System.Text;
using System.Text.Json;
using Mamori.Tracing.Policies;
using Mamori.Tracing.Reports;

namespace Mamori.Tracing.Tests.Reports;

/// <summary>JSON report, STIX bundle and HTML page written from the hand-computed laundering.</summary>
public sealed class ReportTests
{
    private static readonly Move[] s_moves =
    [
        new(1_516_900_000, "S", "A", 40),
        new(1_516_900_100, "X", "A", 60),
        new(1_516_900_200, "A", "E", 30, Tag: "alice"),
        new(1_516_900_300, "A", "E", 50, Tag: "bob"),
        new(1_516_900_400, "X", "E", 10, Tag: "clean-carl"),
    ];

    private static TraceResult Run() => TraceRun.Of(s_moves, ["S"], [("Exchange E", "E")]);

    private static JsonDocument Json(Action<Stream> write)
    {
        var stream = new MemoryStream();
        write(stream);
        return JsonDocument.Parse(stream.ToArray());
    }

    [Fact]
    public void JsonReport_ListsCustomersSideBySideAndPerPolicyWithPathsAndBalancedBooks()
    {
        TraceResult result = Run();
        using JsonDocument doc = Json(s => JsonReportWriter.Write(s, result));
        JsonElement root = doc.RootElement;

        Assert.Equal("mamori.trace.v1", root.GetProperty("schema").GetString());
        JsonElement alice = root.GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("tag").GetString() == "alice");
        Assert.Equal(30, alice.GetProperty("tainted_amount").GetProperty("fifo").GetInt64());
        Assert.Equal(0, alice.GetProperty("tainted_amount").GetProperty("lifo").GetInt64());
        Assert.Equal(12, alice.GetProperty("tainted_amount").GetProperty("haircut").GetInt64());
        Assert.DoesNotContain(root.GetProperty("customers").EnumerateArray(), c => c.GetProperty("tag").GetString() == "clean-carl");

        JsonElement fifo = root.GetProperty("policies").EnumerateArray().Single(p => p.GetProperty("policy").GetString() == "fifo");
        Assert.True(fifo.GetProperty("books").GetProperty("conserved").GetBoolean());
        JsonElement fifoAlice = fifo.GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("tag").GetString() == "alice");
        Assert.Equal("2018-01-25T17:10:00Z", fifoAlice.GetProperty("first_time").GetString());
        Assert.Equal(2, fifoAlice.GetProperty("hops").GetInt32());
        Assert.Equal([Addr.Of("S"), Addr.Of("A"), Addr.Of("E")],
            fifoAlice.GetProperty("path").EnumerateArray().Select(h => h.GetProperty("address").GetString()));
        Assert.Equal(2, fifo.GetProperty("tainted_accounts").GetInt32());   // S and A; X stays clean, E is an exchange
    }

    [Fact]
    public void Reports_WithoutExchanges_WarnThatNoCustomerCanBeAttributed()
    {
        TraceResult withExchanges = Run();
        TraceResult without = TraceRun.Of(s_moves, ["S"], []);
        using JsonDocument doc = Json(s => JsonReportWriter.Write(s, without));
        using JsonDocument clean = Json(s => JsonReportWriter.Write(s, withExchanges));

        string warning = Assert.Single(doc.RootElement.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.StartsWith("No exchange deposit addresses were given", warning, StringComparison.Ordinal);
        Assert.Contains("Warning:</b> No exchange deposit addresses were given", HtmlReportWriter.Render(without, TaintPolicy.Fifo), StringComparison.Ordinal);
        Assert.Empty(clean.RootElement.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public void JsonReport_StatesWhetherTheLotCapFoldedAnyQueue()
    {
        // A receives stolen, clean, stolen: three runs, over a cap of 2.
        Move[] moves = [new(1, "S", "A", 10), new(2, "X", "A", 10), new(3, "S", "A", 10), new(4, "A", "E", 6, Tag: "t")];
        TraceResult result = TraceRun.Of(moves, ["S"], [("E", "E")], o => { o.Policies = [TaintPolicy.Fifo, TaintPolicy.Haircut]; o.MaxLotRuns = 2; });
        using JsonDocument doc = Json(s => JsonReportWriter.Write(s, result));
        JsonElement[] policies = [.. doc.RootElement.GetProperty("policies").EnumerateArray()];

        JsonElement cap = policies.Single(p => p.GetProperty("policy").GetString() == "fifo").GetProperty("lot_cap");
        Assert.Equal(2, cap.GetProperty("max_runs_per_account").GetInt32());
        Assert.Equal(1, cap.GetProperty("accounts_folded").GetInt32());
        Assert.Equal(1, cap.GetProperty("folds").GetInt64());
        Assert.False(policies.Single(p => p.GetProperty("policy").GetString() == "haircut").TryGetProperty("lot_cap", out _));
    }

    [Fact]
    public void Stix_IsAReproducibleBundleOfIndicatorsWithoutExchangeAddresses()
    {
        TraceResult result = Run();
        byte[] first, second;
        using (var a = new MemoryStream()) { StixExporter.Write(a, result, TaintPolicy.Fifo); first = a.ToArray(); }
        using (var b = new MemoryStream()) { StixExporter.Write(b, Run(), TaintPolicy.Fifo); second = b.ToArray(); }

        Assert.Equal(first, second);
        using JsonDocument doc = JsonDocument.Parse(first);
        Assert.Equal("bundle", doc.RootElement.GetProperty("type").GetString());
        Assert.StartsWith("bundle--", doc.RootElement.GetProperty("id").GetString(), StringComparison.Ordinal);
        var indicators = doc.RootElement.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(2, indicators.Count);   // S and A; never the exchange
        foreach (JsonElement indicator in indicators)
        {
            Assert.Equal("indicator", indicator.GetProperty("type").GetString());
            Assert.Equal("2.1", indicator.GetProperty("spec_version").GetString());
            Assert.Matches("^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", indicator.GetProperty("id").GetString());
            Assert.Equal("stix", indicator.GetProperty("pattern_type").GetString());
            Assert.True(indicator.TryGetProperty("created", out _) && indicator.TryGetProperty("modified", out _) && indicator.TryGetProperty("valid_from", out _));
        }
        Assert.Contains(indicators, i => i.GetProperty("pattern").GetString() == $"[x-crypto-address:value = '{Addr.Of("A")}' AND x-crypto-address:chain = 'xem']");
        Assert.DoesNotContain(Addr.Of("E"), Encoding.UTF8.GetString(first), StringComparison.Ordinal);
    }

    [Fact]
    public void UuidV5_MatchesTheRfcExample()
    {
        // RFC 9562 appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
        Assert.Equal("2ed6657d-e927-568b-95e1-2665a8aea6a2", StixExporter.UuidV5(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com"));
    }

    [Fact]
    public void Html_IsSelfContainedAndDrawsSourcesHopsAndCustomers()
    {
        string html = HtmlReportWriter.Render(Run(), TaintPolicy.Fifo);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Equal(1, html.Split("http://").Length - 1);   // the SVG namespace only, never fetched
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("alice</text>", html, StringComparison.Ordinal);
        Assert.Contains($"<title>{Addr.Of("S")}</title>", html, StringComparison.Ordinal);
    }
}
