using System.Globalization;
using System.Text;
using Mamori.Campaigns;

namespace Mamori.Dashboard;

/// <summary>A campaign as one CSV table: a summary row, then sources, successes (likely takeovers and exposed
/// passwords) and targeted accounts.</summary>
/// <remarks>
/// Columns: <c>campaign_id,record,value,attempts,first_seen,last_seen,ip</c>. Account names are chosen by whoever typed
/// them into a login form, so cells that a spreadsheet would run as a formula are prefixed with <c>'</c> (OWASP CSV
/// injection). Secret ids never appear.
/// </remarks>
internal static class CsvExport
{
    /// <summary>The header line.</summary>
    public const string Header = "campaign_id,record,value,attempts,first_seen,last_seen,ip";

    /// <summary>The table as UTF-8 with a byte order mark.</summary>
    /// <remarks>Excel opens a CSV without a BOM in the system code page: on Japanese Windows that is CP932, and every
    /// account name in kana or kanji comes out garbled. With the BOM it reads UTF-8; other readers skip it.</remarks>
    public static byte[] ToBytes(string csv)
    {
        ReadOnlySpan<byte> bom = Encoding.UTF8.Preamble;
        var bytes = new byte[bom.Length + Encoding.UTF8.GetByteCount(csv)];
        bom.CopyTo(bytes);
        Encoding.UTF8.GetBytes(csv, bytes.AsSpan(bom.Length));
        return bytes;
    }

    /// <summary>Writes the table for <paramref name="campaign"/> and the targets still in the feed.</summary>
    public static string Write(CampaignView campaign, IReadOnlyList<TargetDto> targets)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        Row(csv, campaign.Id, "summary", campaign.Kind.ToWireName(), campaign.Attempts, campaign.FirstSeen, campaign.LastSeen, null);
        foreach (SourceCount s in campaign.TopIps) Row(csv, campaign.Id, "ip", s.Source, s.Attempts, null, null, null);
        foreach (SourceCount s in campaign.TopSubnets) Row(csv, campaign.Id, "subnet", s.Source, s.Attempts, null, null, null);
        foreach (SourceCount s in campaign.TopAsns) Row(csv, campaign.Id, "asn", s.Source, s.Attempts, null, null, null);
        // Each success by what the engine did with it: let through (likely takeover) or denied (password exposed, kept out).
        foreach (CampaignSuccess s in campaign.Successes)
            Row(csv, campaign.Id, DashboardMapping.IsLetThrough(s) ? "likely_takeover" : "exposed_password", s.Account, null, s.At, s.At, s.Ip);
        foreach (TargetDto t in targets) Row(csv, campaign.Id, "targeted_account", t.Account, t.Attempts, null, t.LastSeen, null);
        return csv.ToString();
    }

    private static void Row(StringBuilder csv, string id, string record, string value, long? attempts, DateTimeOffset? first, DateTimeOffset? last, string? ip)
    {
        csv.Append(Cell(id)).Append(',').Append(record).Append(',').Append(Cell(value)).Append(',')
            .Append(attempts?.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(first is { } f ? StixExport.Timestamp(f) : null).Append(',')
            .Append(last is { } l ? StixExport.Timestamp(l) : null).Append(',')
            .Append(ip is null ? null : Cell(ip)).Append("\r\n");
    }

    /// <summary>RFC 4180 quoting plus the formula guard.</summary>
    internal static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0) return value;
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
