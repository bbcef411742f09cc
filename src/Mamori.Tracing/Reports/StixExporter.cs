using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Reports;

/// <summary>Exports tainted addresses as a STIX 2.1 bundle of indicators, for partner exchanges.</summary>
/// <remarks>
/// <para>STIX 2.1 has no standard cyber-observable for a cryptocurrency address, so the pattern uses a custom
/// object, <c>x-crypto-address</c> with <c>value</c> and <c>chain</c>; a partner matching on it needs the same
/// convention (docs/tracing.md). Exchange deposit addresses are never exported: they belong to the exchange.</para>
/// <para>Ids are UUIDv5 of the content (policy, asset, address), and created/modified are the time of the last
/// transfer traced, not the clock — the same trace exports byte-identical bundles, so partners can diff them.</para>
/// </remarks>
internal static class StixExporter
{
    /// <summary>Most indicators in one bundle (sources first, then by taint received).</summary>
    public const int MaxIndicators = 100_000;

    // Namespace for Mamori's UUIDv5 ids (a fixed random UUID; never change it, or every id changes).
    private static readonly Guid s_namespace = new("4f3b8a3e-5d0c-4c55-9a53-2b1e6f1d7a90");

    public static void Write(string path, TraceResult result, TaintPolicy policy)
    {
        using FileStream stream = File.Create(path);
        Write(stream, result, policy);
    }

    public static void Write(Stream stream, TraceResult result, TaintPolicy policy)
    {
        TaintLedger ledger = result.Ledgers.FirstOrDefault(l => l.Policy == policy)
            ?? throw new ArgumentException($"Policy {policy.ToWireName()} was not run; add it to --policy.", nameof(policy));
        string stamp = StixTime(result.Statistics.LastTime == long.MinValue ? 0 : result.Statistics.LastTime);
        string chain = result.Asset.StartsWith("nem:", StringComparison.Ordinal) ? "nem" : result.Asset;
        var accounts = ReportModel.TaintedAccounts(result, ledger).Take(MaxIndicators).ToList();
        var ids = accounts.Select(a => "indicator--" + UuidV5($"{policy.ToWireName()}|{result.Asset}|{result.Context.Addresses[a.Account]}")).ToList();

        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("type", "bundle");
        json.WriteString("id", "bundle--" + UuidV5(string.Join(",", ids)));
        json.WriteStartArray("objects");
        for (int i = 0; i < accounts.Count; i++)
        {
            (int account, long received, long first, bool isSource) = accounts[i];
            string address = result.Context.Addresses[account];
            json.WriteStartObject();
            json.WriteString("type", "indicator");
            json.WriteString("spec_version", "2.1");
            json.WriteString("id", ids[i]);
            json.WriteString("created", stamp);
            json.WriteString("modified", stamp);
            json.WriteString("name", isSource ? $"Thief address {address}" : $"Address holding stolen {result.Asset} ({policy.ToWireName()})");
            json.WriteString("description", isSource
                ? $"Named as a source of the theft; everything it sent from {ReportModel.Time(first)} on is stolen."
                : $"Received {received.ToString(CultureInfo.InvariantCulture)} base units of stolen {result.Asset} under the {policy.ToWireName()} policy, first at {ReportModel.Time(first)}.");
            json.WriteStartArray("indicator_types");
            json.WriteStringValue(isSource ? "malicious-activity" : "attribution");
            json.WriteEndArray();
            json.WriteString("pattern", $"[x-crypto-address:value = '{address}' AND x-crypto-address:chain = '{chain}']");
            json.WriteString("pattern_type", "stix");
            json.WriteString("valid_from", StixTime(first));
            json.WriteStartArray("labels");
            json.WriteStringValue("stolen-funds");
            json.WriteStringValue("taint-policy:" + policy.ToWireName());
            json.WriteEndArray();
            json.WriteEndObject();
            JsonReportWriter.FlushIfFull(json);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string StixTime(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>RFC 9562 UUIDv5 (SHA-1, name-based). Written by hand: .NET builds v4 and v7 only.</summary>
    internal static string UuidV5(string name) => UuidV5(s_namespace, name);

    internal static string UuidV5(Guid ns, string name)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        byte[] input = new byte[16 + nameBytes.Length];
        ns.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5; it names, it does not protect.
        byte[] hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
