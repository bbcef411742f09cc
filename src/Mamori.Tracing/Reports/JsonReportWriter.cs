using System.Text.Encodings.Web;
using System.Text.Json;
using Mamori.Tracing.Model;
using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Reports;

/// <summary>Writes the trace report as JSON (schema <c>mamori.trace.v1</c>; field names are a contract).</summary>
/// <remarks>Amounts are integer base units as strings-free numbers (64-bit); times ISO 8601 UTC. Customers are
/// listed side by side (one row, every policy's amount) and per policy with first/last time and path.</remarks>
internal static class JsonReportWriter
{
    /// <summary>Schema id written at the top; bump on any breaking change.</summary>
    public const string Schema = "mamori.trace.v1";
    /// <summary>Most customers listed per policy; the count is always complete.</summary>
    public const int MaxCustomersListed = 100_000;

    public static void Write(string path, TraceResult result)
    {
        using FileStream stream = File.Create(path);
        Write(stream, result);
    }

    public static void Write(Stream stream, TraceResult result)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        List<CustomerRow> customers = ReportModel.Customers(result);
        json.WriteStartObject();
        json.WriteString("schema", Schema);
        json.WriteString("asset", result.Asset);
        if (result.TheftTime == long.MinValue) json.WriteNull("theft_time");
        else json.WriteString("theft_time", ReportModel.Time(result.TheftTime));
        json.WriteStartArray("sources");
        foreach (int source in result.SourceIds) json.WriteStringValue(result.Context.Addresses[source]);
        json.WriteEndArray();
        // Added to v1 without a bump: readers of v1 ignore a field they do not know.
        json.WriteStartArray("warnings");
        foreach (string warning in result.Warnings) json.WriteStringValue(warning);
        json.WriteEndArray();
        json.WriteStartObject("settings");
        json.WriteString("fee_handling", result.Options.FeeHandling.ToWireName());
        json.WriteNumber("poison_max_hops", result.Options.MaxHops);
        json.WriteNumber("haircut_cut_off", result.Options.HaircutCutOff);
        json.WriteEndObject();

        TraceStatistics stats = result.Statistics;
        json.WriteStartObject("inputs");
        json.WriteStartArray("files");
        foreach (string file in result.Files) json.WriteStringValue(file);
        json.WriteEndArray();
        json.WriteNumber("transfers_read", stats.TransfersRead);
        json.WriteNumber("transfers_traced", stats.TransfersTraced);
        json.WriteNumber("other_asset_transfers", stats.OtherAssetTransfers);
        json.WriteNumber("duplicates_dropped", stats.Duplicates);
        json.WriteNumber("accounts", result.Context.Addresses.Count);
        json.WriteString("first_time", ReportModel.Time(stats.FirstTime));
        json.WriteString("last_time", ReportModel.Time(stats.LastTime));
        if (stats.SubGweiWei > 0) json.WriteNumber("ethereum_sub_gwei_wei_rounded_off", stats.SubGweiWei);
        if (stats.EthereumFeesUnknown > 0) json.WriteNumber("ethereum_fees_unknown", stats.EthereumFeesUnknown);
        json.WriteEndObject();

        InputErrorLog errors = result.Context.Errors;
        json.WriteStartObject("input_errors");
        json.WriteNumber("count", errors.Count);
        json.WriteStartObject("by_code");
        foreach ((InputErrorCode code, long count) in errors.CountsByCode) json.WriteNumber(code.ToWireName(), count);
        json.WriteEndObject();
        json.WriteStartArray("first");
        foreach (InputError error in errors.Stored)
        {
            json.WriteStartObject();
            json.WriteString("file", error.File);
            json.WriteString("location", error.Location);
            json.WriteString("code", error.Code.ToWireName());
            json.WriteString("message", error.Message);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("customers");
        foreach (CustomerRow row in customers.Take(MaxCustomersListed))
        {
            json.WriteStartObject();
            WriteCustomerKey(json, row);
            json.WriteNumber("deposits", row.Deposits);
            json.WriteNumber("deposited_amount", row.DepositedAmount);
            json.WriteStartObject("tainted_amount");
            foreach (TaintLedger ledger in result.Ledgers)
                json.WriteNumber(ledger.Policy.ToWireName(), row.TryGet(ledger.Policy, out CustomerTaint? t) ? t.TaintAmount : 0);
            json.WriteEndObject();
            json.WriteEndObject();
            FlushIfFull(json);
        }
        json.WriteEndArray();

        json.WriteStartArray("policies");
        foreach (TaintLedger ledger in result.Ledgers)
        {
            TaintBooks books = ledger.Books();
            json.WriteStartObject();
            json.WriteString("policy", ledger.Policy.ToWireName());
            json.WriteStartObject("books");
            json.WriteNumber("created", books.Created);
            json.WriteNumber("contaminated", books.Contaminated);
            json.WriteNumber("taint_in", books.In);
            json.WriteNumber("to_exchanges", books.ToExchanges);
            json.WriteNumber("written_off", books.WrittenOff);
            json.WriteNumber("taint_out", books.Out);
            json.WriteNumber("held", books.Held);
            json.WriteNumber("fees", books.Fees);
            json.WriteBoolean("conserved", books.IsConserved);
            json.WriteEndObject();
            if (ledger is LotLedger lots)
            {
                // The one approximation FIFO/LIFO make to stay in bounded memory; an analyst must see whether it bit.
                json.WriteStartObject("lot_cap");
                json.WriteNumber("max_runs_per_account", lots.MaxRuns);
                json.WriteNumber("accounts_folded", lots.AccountsFolded);
                json.WriteNumber("folds", lots.Folds);
                json.WriteEndObject();
            }
            var rows = customers.Where(c => c.TryGet(ledger.Policy, out CustomerTaint? t) && t.TaintAmount > 0).ToList();
            json.WriteNumber("tainted_customers", rows.Count);
            json.WriteNumber("tainted_accounts", ReportModel.TaintedAccountCount(result, ledger));
            json.WriteStartArray("customers");
            foreach (CustomerRow row in rows.OrderByDescending(r => r.Taint(ledger.Policy).TaintAmount).Take(MaxCustomersListed))
            {
                CustomerTaint taint = row.Taint(ledger.Policy);
                json.WriteStartObject();
                WriteCustomerKey(json, row);
                json.WriteNumber("tainted_amount", taint.TaintAmount);
                json.WriteNumber("tainted_deposits", taint.TaintedDeposits);
                json.WriteString("first_time", ReportModel.Time(taint.FirstTime));
                json.WriteString("last_time", ReportModel.Time(taint.LastTime));
                json.WriteNumber("hops", taint.Path.Length - 1);
                json.WriteStartArray("path");
                foreach (PathHop hop in taint.Path)
                {
                    json.WriteStartObject();
                    json.WriteString("address", result.Context.Addresses[hop.Account]);
                    json.WriteString("time", ReportModel.Time(hop.Time));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
                FlushIfFull(json);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Utf8JsonWriter buffers everything until flushed; a 100k-customer report would sit whole in memory.</summary>
    internal static void FlushIfFull(Utf8JsonWriter json)
    {
        if (json.BytesPending > FlushThreshold) json.Flush();
    }

    private const int FlushThreshold = 1 << 20;

    private static void WriteCustomerKey(Utf8JsonWriter json, CustomerRow row)
    {
        json.WriteString("exchange", row.Exchange);
        json.WriteString("deposit_address", row.DepositAddress);
        json.WriteString("tag", row.Tag);
    }
}
