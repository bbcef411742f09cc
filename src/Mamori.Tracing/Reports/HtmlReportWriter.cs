using System.Globalization;
using System.Net;
using System.Text;
using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Reports;

/// <summary>Writes a single self-contained HTML page: flow graph (sources → hops → exchange customers) as inline
/// SVG, customers side by side per policy, the books and the input errors.</summary>
/// <remarks>No script, font or style sheet is fetched: investigators open these on air-gapped machines, and a
/// page that calls a CDN would also tell the CDN what case is being worked.</remarks>
internal static class HtmlReportWriter
{
    /// <summary>Customers whose paths are drawn; more makes the picture unreadable.</summary>
    public const int MaxGraphCustomers = 40;
    /// <summary>Customers listed in the table.</summary>
    public const int MaxTableRows = 2_000;

    private const int ColumnWidth = 190, RowHeight = 34, Margin = 20, NodeWidth = 150, NodeHeight = 24;

    public static void Write(string path, TraceResult result, TaintPolicy graphPolicy)
    {
        File.WriteAllText(path, Render(result, graphPolicy), Encoding.UTF8);
    }

    public static string Render(TraceResult result, TaintPolicy graphPolicy)
    {
        List<CustomerRow> customers = ReportModel.Customers(result);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mamori trace</title><style>")
            .Append("body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}")
            .Append("code{font-size:12px}svg text{font:11px monospace}.ok{color:#070}.bad{color:#b00}")
            .Append("</style></head><body>");
        html.Append("<h1>Stolen-fund trace</h1><p>Asset <b>").Append(E(result.Asset)).Append("</b>; ")
            .Append(result.Statistics.TransfersTraced.ToString("N0", CultureInfo.InvariantCulture)).Append(" transfers from ")
            .Append(E(ReportModel.Time(result.Statistics.FirstTime))).Append(" to ").Append(E(ReportModel.Time(result.Statistics.LastTime)))
            .Append("; fees: ").Append(E(result.Options.FeeHandling.ToWireName())).Append(".</p>");
        html.Append("<p>Sources: ");
        foreach (int source in result.SourceIds) html.Append("<code>").Append(E(result.Context.Addresses[source])).Append("</code> ");
        html.Append("</p>");
        foreach (string warning in result.Warnings) html.Append("<p class=\"bad\"><b>Warning:</b> ").Append(E(warning)).Append("</p>");
        if (result.Context.Errors.Count > 0)
            html.Append("<p class=\"bad\"><b>").Append(result.Context.Errors.Count).Append(" input records were rejected</b> (listed below); the answer excludes them.</p>");

        html.Append("<h2>Flow graph (").Append(E(graphPolicy.ToWireName())).Append(")</h2>");
        AppendGraph(html, result, customers, graphPolicy);

        html.Append("<h2>Exchange customers, policy by policy</h2><table><tr><th>Exchange</th><th>Deposit address</th><th>Tag</th><th>Deposits</th>");
        foreach (TaintLedger ledger in result.Ledgers) html.Append("<th>").Append(E(ledger.Policy.ToWireName())).Append("</th>");
        html.Append("</tr>");
        foreach (CustomerRow row in customers.Take(MaxTableRows))
        {
            html.Append("<tr><td>").Append(E(row.Exchange)).Append("</td><td><code>").Append(E(row.DepositAddress)).Append("</code></td><td>")
                .Append(E(row.Tag)).Append("</td><td class=\"n\">").Append(row.Deposits).Append("</td>");
            foreach (TaintLedger ledger in result.Ledgers)
            {
                long amount = row.TryGet(ledger.Policy, out CustomerTaint? t) ? t.TaintAmount : 0;
                html.Append("<td class=\"n\">").Append(amount.ToString("N0", CultureInfo.InvariantCulture)).Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</table>");

        html.Append("<h2>Books (base units)</h2><table><tr><th>Policy</th><th>Stolen</th><th>Contaminated</th><th>To exchanges</th><th>Written off</th><th>Held</th><th>Fees</th><th>Conserved</th></tr>");
        foreach (TaintLedger ledger in result.Ledgers)
        {
            TaintBooks b = ledger.Books();
            html.Append("<tr><td>").Append(E(ledger.Policy.ToWireName())).Append("</td>");
            foreach (long v in new[] { b.Created, b.Contaminated, b.ToExchanges, b.WrittenOff, b.Held, b.Fees })
                html.Append("<td class=\"n\">").Append(v.ToString("N0", CultureInfo.InvariantCulture)).Append("</td>");
            html.Append(b.IsConserved ? "<td class=\"ok\">yes</td>" : "<td class=\"bad\">NO</td>").Append("</tr>");
        }
        html.Append("</table>");

        if (result.Context.Errors.Count > 0)
        {
            html.Append("<h2>Rejected input</h2><table><tr><th>File</th><th>Location</th><th>Code</th><th>Message</th></tr>");
            foreach (var error in result.Context.Errors.Stored.Take(200))
            {
                html.Append("<tr><td>").Append(E(error.File)).Append("</td><td>").Append(E(error.Location)).Append("</td><td>")
                    .Append(E(Model.InputErrorCodeNames.ToWireName(error.Code))).Append("</td><td>").Append(E(error.Message)).Append("</td></tr>");
            }
            html.Append("</table>");
        }
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void AppendGraph(StringBuilder html, TraceResult result, List<CustomerRow> customers, TaintPolicy policy)
    {
        var drawn = customers.Where(c => c.TryGet(policy, out CustomerTaint? t) && t.TaintAmount > 0)
            .OrderByDescending(c => c.Taint(policy).TaintAmount).Take(MaxGraphCustomers).ToList();
        if (drawn.Count == 0)
        {
            html.Append("<p>No exchange customer received taint under this policy.</p>");
            return;
        }
        // Column of an account: its hop count on the drawn paths; customers go in a last column of their own.
        var column = new Dictionary<string, int>();
        var labels = new Dictionary<string, string>();
        var edges = new Dictionary<(string From, string To), long>();
        int lastColumn = 0;
        foreach (CustomerRow row in drawn)
        {
            CustomerTaint taint = row.Taint(policy);
            string? previous = null;
            for (int i = 0; i < taint.Path.Length; i++)
            {
                bool isExchange = i == taint.Path.Length - 1;
                string address = result.Context.Addresses[taint.Path[i].Account];
                string key = isExchange ? $"customer|{address}|{row.Tag}" : address;
                labels[key] = isExchange ? $"{row.Exchange} · {row.Tag}" : Short(address);
                if (!isExchange) column[key] = Math.Min(column.GetValueOrDefault(key, int.MaxValue), i);
                lastColumn = Math.Max(lastColumn, i);
                if (previous is not null) edges[(previous, key)] = edges.GetValueOrDefault((previous, key)) + taint.TaintAmount;
                previous = key;
            }
        }
        foreach (CustomerRow row in drawn)
        {
            string address = result.Context.Addresses[row.Taint(policy).Path[^1].Account];
            column[$"customer|{address}|{row.Tag}"] = lastColumn;
        }
        var position = new Dictionary<string, (int X, int Y)>();
        int maxRows = 0;
        foreach (var group in column.GroupBy(c => c.Value).OrderBy(g => g.Key))
        {
            int r = 0;
            foreach (var node in group.OrderBy(n => labels[n.Key], StringComparer.Ordinal))
                position[node.Key] = (Margin + group.Key * ColumnWidth, Margin + r++ * RowHeight);
            maxRows = Math.Max(maxRows, r);
        }
        long maxFlow = edges.Values.DefaultIfEmpty(1).Max();
        int width = Margin * 2 + lastColumn * ColumnWidth + NodeWidth, height = Margin * 2 + maxRows * RowHeight;
        html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(width).Append("\" height=\"").Append(height).Append("\">");
        foreach (((string from, string to), long flow) in edges)
        {
            (int x1, int y1) = position[from];
            (int x2, int y2) = position[to];
            double stroke = 1 + 5 * Math.Log(1 + flow) / Math.Log(1 + maxFlow);
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1 + NodeWidth}\" y1=\"{y1 + NodeHeight / 2}\" x2=\"{x2}\" y2=\"{y2 + NodeHeight / 2}\" stroke=\"#c33\" stroke-opacity=\"0.5\" stroke-width=\"{stroke:F1}\"><title>{flow:N0}</title></line>");
        }
        foreach ((string key, (int x, int y)) in position)
        {
            bool isCustomer = key.StartsWith("customer|", StringComparison.Ordinal);
            bool isSource = column[key] == 0 && !isCustomer;
            string fill = isCustomer ? "#fde2a7" : isSource ? "#f4a6a6" : "#e8e8f4";
            string title = isCustomer ? key["customer|".Length..] : key;
            html.Append(CultureInfo.InvariantCulture, $"<g><title>{E(title)}</title><rect x=\"{x}\" y=\"{y}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"4\" fill=\"{fill}\" stroke=\"#777\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 6}\" y=\"{y + 16}\">{E(labels[key])}</text></g>");
        }
        html.Append("</svg><p>Red nodes are sources, yellow ones exchange customers; each line's width grows with the stolen value that reached the customers behind it along their shortest paths (hover for amounts and full addresses).</p>");
    }

    private static string Short(string address) => address.Length <= 14 ? address : address[..8] + "…" + address[^4..];

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
