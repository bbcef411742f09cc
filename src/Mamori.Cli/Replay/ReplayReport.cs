using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Mamori.Campaigns;
using Mamori.Policy;

namespace Mamori.Cli.Replay;

/// <summary>Writes the replay report as JSON (for tools) and as one self-contained HTML page (for people).</summary>
internal static class ReplayReport
{
    /// <summary>Likely takeovers listed in the report (the decisions file has every event).</summary>
    public const int MaxTakeoversReported = 100_000;

    /// <summary>A hosting network's addresses that come back to the same accounts, listed in the report and the page.</summary>
    public const int MaxReturningAddresses = 10;

    /// <summary>Addresses in the page's <c>appsettings.json</c> fragment, over all networks (a bound on a hostile log).</summary>
    public const int MaxReturningAddressesPasted = 200;

    /// <param name="incomplete">Why the log may not have been read whole (a gzip file cut short), or null.</param>
    public static void WriteJson(Stream output, string input, ReplayResult result, Mamori.Simulation.Scoring.ScoreReport? score, string? incomplete = null)
    {
        IReadOnlyList<CampaignView> campaigns = ReplayRunner.AllCampaigns(result);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("input", input);
        json.WriteNumber("events", result.Events);
        json.WriteNumber("bad_rows", result.BadRows);
        if (incomplete is not null) json.WriteString("input_incomplete", incomplete);   // absent for a whole log, as before
        json.WriteNumber("out_of_order_events", result.OutOfOrder);
        if (result.FirstOutOfOrderLine is int outOfOrderLine) json.WriteNumber("first_out_of_order_line", outOfOrderLine);
        if (result.First is DateTimeOffset first) json.WriteString("first_event", first.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        if (result.Last is DateTimeOffset last) json.WriteString("last_event", last.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        // Events carrying each optional field; what a missing one costs detection, in words.
        json.WriteStartObject("fields");
        foreach ((string field, long events) in result.Fields.Counts()) json.WriteNumber(field, events);
        json.WriteEndObject();
        json.WriteStartArray("missing_fields");
        foreach ((string[] fields, string consequence) in result.Fields.Missing(result.Events))
        {
            json.WriteStartObject();
            WriteStrings(json, "fields", fields);
            json.WriteString("consequence", consequence);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("decisions");
        json.WriteNumber("allow", result.Allowed);
        json.WriteNumber("challenge", result.Challenged);
        json.WriteNumber("deny", result.Denied);
        json.WriteEndObject();
        // The store's bounds: a table that had to evict forgot some accounts' or sources' history, so later decisions on
        // them were made without it (the command line says which setting raises the bound).
        json.WriteStartArray("store_tables");
        foreach (Mamori.State.SignalTableUsage table in result.Tables)
        {
            json.WriteStartObject();
            json.WriteString("table", table.Table);
            json.WriteString("setting", "Mamori:Signals:" + table.Setting);
            json.WriteNumber("held", table.Count);
            json.WriteNumber("bound", table.Capacity);
            json.WriteNumber("evicted", table.Evictions);
            json.WriteNumber("evicted_in_use", table.LiveEvictions);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("campaigns");
        foreach (CampaignView c in campaigns) WriteCampaign(json, c);
        json.WriteEndArray();

        // The analyst's lists: accounts, most confident first (docs/replay.md, "Likely takeovers").
        IReadOnlyList<TakeoverAccount> takeovers = result.LikelyTakeovers();
        IReadOnlyList<TakeoverAccount> exposed = result.ExposedPasswords();
        json.WriteStartObject("takeover_counts");
        json.WriteNumber("high", result.CountTriaged(TakeoverConfidence.High));
        json.WriteNumber("medium", result.CountTriaged(TakeoverConfidence.Medium));
        json.WriteNumber("exposed_password", exposed.Count);
        json.WriteNumber("not_listed", result.UntrackedTriaged);
        json.WriteNumber("logins_listed_in_hindsight", result.ListedInHindsight);
        json.WriteNumber("logins_not_watched", result.Hindsight.Unwatched);
        json.WriteEndObject();
        json.WriteStartArray("likely_takeovers");
        foreach (TakeoverAccount t in takeovers.Take(MaxTakeoversReported)) WriteTakeover(json, t);
        json.WriteEndArray();
        json.WriteStartArray("exposed_passwords");
        foreach (TakeoverAccount t in exposed.Take(MaxTakeoversReported)) WriteTakeover(json, t);
        json.WriteEndArray();

        // Clouds on the hosting list that held up logins: a phishing kit's, or a gateway the operator's customers use.
        json.WriteStartArray("hosting_networks");
        foreach (HostingNetworksSeen.Network n in result.Hosting?.HeldUp() ?? [])
        {
            json.WriteStartObject();
            json.WriteNumber("asn", n.Asn);
            json.WriteString("company", n.Company);
            json.WriteNumber("logins_held_up", n.HeldUp);
            json.WriteNumber("accounts_held_up", n.HeldUpAccounts.Count);
            if (n.AccountsCapped) json.WriteBoolean("accounts_capped", true);
            json.WriteNumber("accounts_listed_as_taken", HostingNetworksSeen.ListedAsTaken(n, result));
            json.WriteNumber("logins_allowed", n.Allowed);
            // Its servers that log into the same accounts day after day: an aggregator's or a gateway's, to list by address.
            json.WriteStartArray("returning_addresses");
            foreach (HostingNetworksSeen.Address a in n.ReturningAddresses().Take(MaxReturningAddresses))
            {
                json.WriteStartObject();
                json.WriteString("ip", a.Text);
                json.WriteNumber("accounts", a.Accounts);
                json.WriteNumber("returning_accounts", a.Returning);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            // Its clients that do the same from a pool of addresses, a different one each time: an aggregator's connector.
            json.WriteStartArray("returning_clients");
            foreach (HostingNetworksSeen.Client c in n.ReturningClients().Take(MaxReturningAddresses))
            {
                json.WriteStartObject();
                json.WriteString("user_agent", c.UserAgent);
                json.WriteNumber("addresses", c.Addresses);
                json.WriteNumber("accounts", c.Accounts);
                json.WriteNumber("returning_accounts", c.Returning);
                WriteStrings(json, "address_list", [.. c.SomeAddresses(HostingNetworksSeen.MaxClientAddresses)]);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (result.Hosting!.PairsCapped) json.WriteBoolean("addresses_capped", true);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        // Attack sources across every campaign: what to block or share with partners.
        json.WriteStartObject("attack_sources");
        WriteSources(json, "subnets", campaigns.SelectMany(c => c.TopSubnets));
        WriteSources(json, "asns", campaigns.SelectMany(c => c.TopAsns));
        WriteSources(json, "ips", campaigns.SelectMany(c => c.TopIps));
        json.WriteEndObject();

        json.WriteStartArray("bad_row_samples");
        foreach ((int line, string error) in result.BadRowSamples)
        {
            json.WriteStartObject();
            json.WriteNumber("line", line);
            json.WriteString("error", error);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (score is not null)
        {
            ScoreWriter.WriteJson(json, score);
            result.ScoreTriage()?.WriteJson(json);
        }
        json.WriteEndObject();
    }

    private static void WriteTakeover(Utf8JsonWriter json, TakeoverAccount t)
    {
        json.WriteStartObject();
        json.WriteString("account", t.Account);
        json.WriteString("confidence", t.Confidence.ToWireName());
        json.WriteNumber("first_line", t.FirstLine);
        json.WriteString("first_at", t.FirstAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("last_at", t.LastAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        json.WriteNumber("logins", t.Logins);
        json.WriteNumber("exposed_logins", t.ExposedLogins);
        json.WriteNumber("days_back", t.DaysBack);
        json.WriteBoolean("through_returning_client", t.ThroughReturningClient);
        json.WriteString("decision", t.Strictest.ToWireName());
        json.WriteNumber("score", t.MaxScore);
        WriteStrings(json, "ips", t.Ips);
        json.WriteStartArray("lines");
        foreach (int line in t.Lines) json.WriteNumberValue(line);
        json.WriteEndArray();
        WriteStrings(json, "evidence", t.Evidence);
        WriteStrings(json, "campaigns", t.Campaigns);
        json.WriteEndObject();
    }

    private static void WriteCampaign(Utf8JsonWriter json, CampaignView c)
    {
        json.WriteStartObject();
        json.WriteString("id", c.Id);
        json.WriteString("kind", c.Kind.ToWireName());
        if (c.Tenant is not null) json.WriteString("tenant", c.Tenant);
        json.WriteString("first_seen", c.FirstSeen.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("last_seen", c.LastSeen.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        json.WriteBoolean("open", c.Open);
        json.WriteNumber("attempts", c.Attempts);
        json.WriteNumber("accounts_targeted", c.AccountsTargeted);
        json.WriteNumber("distinct_ips", c.DistinctIps);
        WriteSources(json, "top_subnets", c.TopSubnets);
        WriteSources(json, "top_asns", c.TopAsns);
        WriteSources(json, "top_ips", c.TopIps);
        WriteStrings(json, "secret_ids", c.SecretIds);
        json.WriteStartArray("successes");
        foreach (CampaignSuccess s in c.Successes)
        {
            json.WriteStartObject();
            json.WriteString("account", s.Account);
            json.WriteString("at", s.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("ip", s.Ip);
            json.WriteString("decision", s.Decision);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSources(Utf8JsonWriter json, string name, IEnumerable<SourceCount> sources)
    {
        json.WriteStartArray(name);
        foreach (var group in sources.GroupBy(s => s.Source).Select(g => (Source: g.Key, Attempts: g.Sum(s => s.Attempts)))
                     .OrderByDescending(g => g.Attempts).ThenBy(g => g.Source, StringComparer.Ordinal).Take(20))
        {
            json.WriteStartObject();
            json.WriteString("source", group.Source);
            json.WriteNumber("attempts", group.Attempts);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string v in values) json.WriteStringValue(v);
        json.WriteEndArray();
    }

    /// <summary>Campaigns, likely takeovers and hosting networks shown at the end of a run (the report has all of them).</summary>
    public const int SummaryCampaigns = 5, SummaryTakeovers = 10, SummaryHostingNetworks = 5;

    /// <summary>Campaigns the HTML report draws as bars, and lists in its table (the JSON report has every one).</summary>
    public const int MaxCampaignBars = 40, MaxCampaignRows = 500;

    /// <summary>Likely takeovers the HTML report lists, most confident first (the JSON report has every one).</summary>
    public const int MaxTakeoverRows = 1_000;

    /// <summary>The <paramref name="most"/> campaigns with the most attempts (the earlier first among equals), in the
    /// order they began: what the HTML report shows when a log holds more, as a cold replay of a carrier's or a cloud's
    /// traffic can open hundreds of takeover rings of one login each.</summary>
    internal static IReadOnlyList<CampaignView> Largest(IReadOnlyList<CampaignView> campaigns, int most) =>
        LargestFirst(campaigns).Take(most).OrderBy(c => c.FirstSeen).ThenBy(c => c.Id, StringComparer.Ordinal).ToArray();

    /// <summary>Campaigns by attempts, the earlier first among equals: the summary lists the first few in this order, and
    /// <see cref="Largest"/> takes the same ones for the HTML report.</summary>
    private static IEnumerable<CampaignView> LargestFirst(IEnumerable<CampaignView> campaigns) =>
        campaigns.OrderByDescending(c => c.Attempts).ThenBy(c => c.FirstSeen);

    /// <summary>A count and its noun, in the singular for one: "1 address", "2,311 addresses".</summary>
    private static string Counted(long n, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{n:N0} {(n == 1 ? one : many ?? one + "s")}");

    /// <summary>
    /// What an analyst reads first, as plain lines for the terminal: the largest campaigns and the most confident likely
    /// takeovers, each with where to look next. Account identifiers are shown; no secret or fingerprint is.
    /// </summary>
    /// <remarks>For a terminal: every value that came from the log (account names) goes through <see cref="TerminalText.Safe"/>.</remarks>
    public static void WriteSummary(TextWriter text, ReplayResult result)
    {
        IReadOnlyList<CampaignView> campaigns = ReplayRunner.AllCampaigns(result);
        if (campaigns.Count > 0)
        {
            // Past the few shown, what the rest are: hundreds of takeover rings on a carrier's addresses read otherwise
            // than hundreds of stuffing runs.
            string kinds = campaigns.Count <= SummaryCampaigns ? "" : "; " + string.Join(", ", campaigns.GroupBy(c => c.Kind)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.ToWireName(), StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key.ToWireName()} {g.Count():N0}")));
            text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"campaigns, largest first ({Math.Min(SummaryCampaigns, campaigns.Count)} of {campaigns.Count:N0}{kinds}):"));
            foreach (CampaignView c in LargestFirst(campaigns).Take(SummaryCampaigns))
            {
                string source = c.TopAsns.Count > 0 ? $", mostly {TerminalText.Safe(c.TopAsns[0].Source)}" : c.TopSubnets.Count > 0 ? $", mostly {TerminalText.Safe(c.TopSubnets[0].Source)}" : "";
                text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {c.Id}  {c.Kind.ToWireName(),-20} {c.FirstSeen.UtcDateTime:yyyy-MM-dd HH:mm} to {c.LastSeen.UtcDateTime:MM-dd HH:mm} UTC  {Counted(c.Attempts, "attempt")} on {Counted(c.AccountsTargeted, "account")} from {Counted(c.DistinctIps, "address", "addresses")}{source}"));
            }
        }
        IReadOnlyList<TakeoverAccount> takeovers = result.LikelyTakeovers();
        if (takeovers.Count > 0)
        {
            text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"likely takeovers, most confident first ({Math.Min(SummaryTakeovers, takeovers.Count)} of {takeovers.Count:N0}; every one with its lines in --report/--html):"));
            foreach (TakeoverAccount t in takeovers.Take(SummaryTakeovers))
                text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {t.Confidence.ToWireName(),-6} {TerminalText.Safe(t.Account)}  {t.FirstAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC  line {t.FirstLine}  {string.Join(", ", t.Evidence)}"));
        }
        IReadOnlyList<HostingNetworksSeen.Network> hosting = result.Hosting?.HeldUp() ?? [];
        if (hosting.Count > 0)
        {
            text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"hosting networks that held up logins ({Math.Min(SummaryHostingNetworks, hosting.Count)} of {hosting.Count}; one your customers use goes in Familiarity:NotHostingAsns):"));
            foreach (HostingNetworksSeen.Network n in hosting.Take(SummaryHostingNetworks))
            {
                text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  AS{n.Asn,-7} {TerminalText.Safe(n.Company),-22} {n.HeldUp:N0} held up on {n.HeldUpAccounts.Count:N0}{(n.AccountsCapped ? "+" : "")} accounts ({HostingNetworksSeen.ListedAsTaken(n, result):N0} listed as taken), {n.Allowed:N0} allowed"));
                IReadOnlyList<HostingNetworksSeen.Address> returning = n.ReturningAddresses();
                if (returning.Count > 0)
                    text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    {returning.Count:N0} of its addresses log into the same accounts day after day, as an aggregator's or a gateway's servers do: {ReturningList(returning, 3)}; list those you know in SharedAddress:PartnerNetworks, not the whole network"));
                foreach (HostingNetworksSeen.Client c in n.ReturningClients().Take(3))
                    text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    the client \"{TerminalText.Safe(TerminalText.Shorten(c.UserAgent, 60))}\" logs into the same accounts day after day from {c.Addresses:N0} of its addresses ({c.Accounts:N0} accounts, {c.Returning:N0} back on a later day), as an aggregator's pool does: once you know whose it is, list its addresses ({string.Join(", ", c.SomeAddresses(3))}, …; all in --report) in SharedAddress:PartnerNetworks"));
            }
        }
    }

    /// <summary>A network's returning clients for its row of the page: "client "agent" from N addresses (accounts, back later)".</summary>
    private static string ClientList(IReadOnlyList<HostingNetworksSeen.Client> clients) =>
        string.Join("; ", clients.Take(MaxReturningAddresses).Select(c => string.Create(CultureInfo.InvariantCulture,
            $"the client \"{TerminalText.Shorten(c.UserAgent, 60)}\" from {c.Addresses:N0} addresses ({c.Accounts:N0} accounts, {c.Returning:N0} back on a later day)")));

    /// <summary>Addresses of each returning client pasted into the page's settings fragment.</summary>
    private const int MaxClientAddressesPasted = 50;

    /// <summary>The first <paramref name="count"/> of a network's returning addresses, as "ip (accounts, back later)".</summary>
    private static string ReturningList(IReadOnlyList<HostingNetworksSeen.Address> returning, int count) =>
        string.Join(", ", returning.Take(count).Select(a => string.Create(CultureInfo.InvariantCulture,
            $"{a.Text} ({a.Accounts:N0} accounts, {a.Returning:N0} back on a later day)"))) + (returning.Count > count ? ", …" : "");

    /// <summary>One page, no script and no network: an SVG timeline of attempts by decision, campaign bars, tables.</summary>
    /// <param name="incomplete">Why the log may not have been read whole (a gzip file cut short), or null.</param>
    public static void WriteHtml(TextWriter html, string input, ReplayResult result, Mamori.Simulation.Scoring.ScoreReport? score, string? incomplete = null)
    {
        IReadOnlyList<CampaignView> campaigns = ReplayRunner.AllCampaigns(result);
        string E(string s) => WebUtility.HtmlEncode(s);
        html.Write("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mamori replay: ");
        html.Write(E(Path.GetFileName(input)));
        html.Write("</title><style>body{font:14px system-ui,sans-serif;margin:2em;color:#1b1f23;background:#fff}h1{font-size:1.4em}" +
            "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left}th{background:#f6f8fa}td.t{white-space:nowrap}" +
            ".allow{fill:#2da44e}.challenge{fill:#bf8700}.deny{fill:#cf222e}.bar{fill:#8250df}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}" +
            "svg text{font:11px system-ui,sans-serif;fill:#57606a}svg text.inside{fill:#fff}</style></head><body>");
        html.Write($"<h1>Replay of {E(Path.GetFileName(input))}</h1><p>{result.Events:N0} events");
        if (result.First is DateTimeOffset f && result.Last is DateTimeOffset l)
            html.Write($" from {f.UtcDateTime:yyyy-MM-dd HH:mm} to {l.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        html.Write($"; allowed {result.Allowed:N0}, challenged {result.Challenged:N0}, denied {result.Denied:N0}; bad rows {result.BadRows:N0}.</p>");
        if (incomplete is not null)
            html.Write($"<p><strong>The log may not have been read whole:</strong> {E(incomplete)}.</p>");
        if (result.OutOfOrder > 0)
            html.Write($"<p><strong>Not in time order:</strong> {result.OutOfOrder:N0} events are more than {ReplayRunner.OrderTolerance.TotalMinutes:0} minutes earlier than one before them (the first on line {result.FirstOutOfOrderLine}). Windows and campaigns assume a log in time order; sort it by time and replay it again.</p>");
        foreach ((string[] fields, string consequence) in result.Fields.Missing(result.Events))
            html.Write($"<p><strong>The log has no {E(string.Join(" or ", fields))}:</strong> {E(consequence)}.</p>");

        // Timeline: one stacked bar per hour.
        const int width = 1000, height = 200, top = 10;
        var hours = result.Timeline.ToArray();
        if (hours.Length > 0)
        {
            DateTimeOffset start = hours[0].Key, end = hours[^1].Key.AddHours(1);
            double span = Math.Max(1, (end - start).TotalHours);
            double barWidth = Math.Max(1, width / span - 0.5);
            long max = Math.Max(1, hours.Max(h => h.Value.Sum()));
            html.Write($"<h2>Attempts per hour by decision</h2><p class=\"legend\"><span style=\"background:#2da44e\"></span>allow<span style=\"background:#bf8700\"></span>challenge / step-up<span style=\"background:#cf222e\"></span>deny</p>");
            html.Write($"<svg width=\"{width + 60}\" height=\"{height + 40}\" role=\"img\" aria-label=\"Attempts per hour by decision\">");
            foreach ((DateTimeOffset hour, long[] counts) in hours)
            {
                double x = 50 + (hour - start).TotalHours / span * width;
                double y = top + height;
                string[] classes = ["allow", "challenge", "deny"];
                for (int k = 0; k < 3; k++)
                {
                    double h = (double)counts[k] / max * height;
                    if (h <= 0) continue;
                    y -= h;
                    html.Write(string.Create(CultureInfo.InvariantCulture, $"<rect class=\"{classes[k]}\" x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{barWidth:0.#}\" height=\"{h:0.#}\"><title>{hour.UtcDateTime:yyyy-MM-dd HH}:00 {classes[k]} {counts[k]}</title></rect>"));
                }
            }
            html.Write(string.Create(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{top + 10}\">{max:N0}</text><text x=\"50\" y=\"{top + height + 15}\">{start.UtcDateTime:yyyy-MM-dd HH}:00</text><text x=\"{width - 60}\" y=\"{top + height + 15}\">{end.UtcDateTime:yyyy-MM-dd HH}:00</text></svg>"));

            // Campaign bars on the same time axis: the largest, in the order they began.
            if (campaigns.Count > 0)
            {
                IReadOnlyList<CampaignView> shown = Largest(campaigns, MaxCampaignBars);
                string which = shown.Count < campaigns.Count
                    ? $" (the {shown.Count} largest of {campaigns.Count:N0}{(campaigns.Count <= MaxCampaignRows ? ", every one in the table below" : "")})"
                    : "";
                html.Write($"<h2>Campaigns{which}</h2><svg width=\"{width + 260}\" height=\"{shown.Count * 18 + 10}\" role=\"img\" aria-label=\"Campaign time spans\">");
                for (int i = 0; i < shown.Count; i++)
                {
                    CampaignView c = shown[i];
                    double x1 = 50 + Math.Max(0, (c.FirstSeen - start).TotalHours) / span * width;
                    double x2 = 50 + Math.Min(span, (c.LastSeen - start).TotalHours) / span * width;
                    // Right of the bar while a label (about 240 px) fits there, else left of it, else inside it.
                    double right = Math.Max(x1 + 2, x2) + 6;
                    (double x, string placed) = right + 240 <= width + 260 ? (right, "")
                        : x1 >= 246 ? (x1 - 6, " text-anchor=\"end\"")
                        : (x1 + 6, " class=\"inside\"");
                    html.Write(string.Create(CultureInfo.InvariantCulture,
                        $"<rect class=\"bar\" x=\"{x1:0.#}\" y=\"{i * 18 + 4}\" width=\"{Math.Max(2, x2 - x1):0.#}\" height=\"12\"><title>{c.Id}</title></rect>" +
                        $"<text x=\"{x:0.#}\" y=\"{i * 18 + 14}\"{placed}>{E(c.Kind.ToWireName())} · {Counted(c.Attempts, "attempt")}</text>"));
                }
                html.Write("</svg>");
            }
        }

        string rowsShown = campaigns.Count > MaxCampaignRows
            ? $" (the {MaxCampaignRows} largest of {campaigns.Count:N0}, in the order they began; the JSON report, --report, has every one)"
            : "";
        html.Write($"<h2>Campaign details{rowsShown}</h2><table><tr><th>id</th><th>kind</th><th>first seen</th><th>last seen</th><th>attempts</th><th>accounts</th><th>top /24</th><th>top ASN</th><th>successes</th></tr>");
        foreach (CampaignView c in Largest(campaigns, MaxCampaignRows))
        {
            html.Write($"<tr><td>{E(c.Id)}</td><td>{E(c.Kind.ToWireName())}</td><td class=\"t\">{c.FirstSeen.UtcDateTime:yyyy-MM-dd HH:mm}</td><td class=\"t\">{c.LastSeen.UtcDateTime:yyyy-MM-dd HH:mm}</td>" +
                $"<td>{c.Attempts:N0}</td><td>{c.AccountsTargeted:N0}</td><td>{E(c.TopSubnets.FirstOrDefault().Source ?? "")}</td><td>{E(c.TopAsns.FirstOrDefault().Source ?? "")}</td><td>{c.Successes.Count:N0}</td></tr>");
        }
        html.Write("</table>");
        IReadOnlyList<TakeoverAccount> takeovers = result.LikelyTakeovers();
        html.Write($"<h2>Accounts likely taken over ({takeovers.Count:N0}: {result.CountTriaged(TakeoverConfidence.High):N0} high confidence)</h2>" +
            "<p>High: a ring's device or address, or an environment new to the account with evidence of an attack on that very login. " +
            "Medium: not the owner's environment, held up with attack evidence; or, during a service-wide failure spike, held up " +
            "from an environment new to the account or without a device token. Most confident first; within a confidence, " +
            "accounts flagged on an address of their own before those flagged only on shared ones; those whose only evidence is " +
            "on their secret (a popular password on a new phone, nothing against where it came from) after the others; and those whose first flagged " +
            $"device or address came back on {TakeoverAccount.CameBackDays} later days or more (days back), as an owner's new phone does, after those." +
            (takeovers.Count > MaxTakeoverRows ? $" The first {MaxTakeoverRows:N0} are below; the JSON report (--report) has every one." : "") + "</p>" +
            "<table><tr><th>account</th><th>confidence</th><th>first (UTC)</th><th>logins</th><th>IPs</th><th>decision</th><th>evidence</th><th>days back</th><th>first line</th></tr>");
        foreach (TakeoverAccount t in takeovers.Take(MaxTakeoverRows))
            html.Write($"<tr><td>{E(t.Account)}</td><td>{E(t.Confidence.ToWireName())}</td><td class=\"t\">{t.FirstAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td><td>{t.Logins:N0}</td>" +
                $"<td>{E(string.Join(", ", t.Ips))}</td><td>{E(t.Strictest.ToWireName())}</td><td>{E(string.Join(", ", t.Evidence))}</td><td>{t.DaysBack:N0}</td><td>{t.FirstLine}</td></tr>");
        html.Write("</table>");
        IReadOnlyList<HostingNetworksSeen.Network> hostingNetworks = result.Hosting?.HeldUp() ?? [];
        if (hostingNetworks.Count > 0)
        {
            html.Write("<h2>Hosting networks that held up logins</h2><p>Successes from a compute cloud's network new to their account are " +
                "stepped up. A phishing kit's server shows as logins held up on accounts listed as taken; a network your customers use " +
                "(a company's gateway) as many accounts, later allowed once learned, none taken: list it in <code>Familiarity:NotHostingAsns</code>. " +
                "An account aggregator's servers log into the same accounts day after day (the last column: addresses with at least " +
                $"{HostingNetworksSeen.ReturningMinimumAccounts} accounts, half of them again on a later day): once you know whose they are, list those " +
                "addresses in <code>SharedAddress:PartnerNetworks</code> rather than the whole network; a partner's logins are not judged on the " +
                "account's own environment, nor learned into it.</p>" +
                "<table><tr><th>ASN</th><th>company</th><th>held up</th><th>accounts</th><th>listed as taken</th><th>allowed</th><th>addresses back day after day</th></tr>");
            // Each network's returning addresses, sorted once for its row and the fragment.
            IReadOnlyList<HostingNetworksSeen.Address>[] returningOf = [.. hostingNetworks.Select(n => n.ReturningAddresses())];
            IReadOnlyList<HostingNetworksSeen.Client>[] clientsOf = [.. hostingNetworks.Select(n => n.ReturningClients())];
            for (int i = 0; i < Math.Min(hostingNetworks.Count, 200); i++)
            {
                HostingNetworksSeen.Network n = hostingNetworks[i];
                html.Write($"<tr><td>AS{n.Asn}</td><td>{E(n.Company)}</td><td>{n.HeldUp:N0}</td><td>{n.HeldUpAccounts.Count:N0}{(n.AccountsCapped ? "+" : "")}</td>" +
                    $"<td>{HostingNetworksSeen.ListedAsTaken(n, result):N0}</td><td>{n.Allowed:N0}</td><td>{E(string.Join("; ", new[] { ReturningList(returningOf[i], MaxReturningAddresses), ClientList(clientsOf[i]) }.Where(p => p.Length > 0)))}</td></tr>");
            }
            html.Write("</table>");
            string[] returning = [.. returningOf.SelectMany(r => r).Select(a => a.Text)
                .Concat(clientsOf.SelectMany(c => c).SelectMany(c => c.SomeAddresses(MaxClientAddressesPasted))).Distinct().Take(MaxReturningAddressesPasted)];
            if (returning.Length > 0)
                // What to paste into appsettings.json once the operator has checked the addresses are a service they know.
                html.Write("<p>Once you know these addresses are an aggregator's or a gateway's, in <code>appsettings.json</code>:</p><pre>" +
                    E("\"Mamori\": { \"SharedAddress\": { \"PartnerNetworks\": [ " + string.Join(", ", returning.Select(ip => $"\"{ip}\"")) + " ] } }") + "</pre>");
        }
        int exposedCount = result.CountTriaged(TakeoverConfidence.ExposedPassword);
        if (exposedCount > 0)
            html.Write($"<h2>Exposed passwords ({exposedCount:N0} accounts)</h2><p>The owners logged in from their usual environment with a password " +
                "that was being sprayed: not taken over, but the attackers' list holds their password. Ask them to change it (the JSON report lists them).</p>");
        if (score is not null)
        {
            ScoreWriter.WriteHtml(html, score);
            if (result.ScoreTriage() is TriageScore triage) html.Write("<pre>" + E(triage.ToText()) + "</pre>");
        }
        html.Write("</body></html>\n");
    }
}
