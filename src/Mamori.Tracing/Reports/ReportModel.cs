using System.Diagnostics.CodeAnalysis;
using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Reports;

/// <summary>One exchange customer tainted under at least one policy, with each policy's answer.</summary>
/// <remarks>Kept small because a dense trace has hundreds of thousands of them: names are shared strings (one per
/// exchange and deposit address) and the policies' answers an array indexed by policy, not a dictionary per row.</remarks>
internal sealed class CustomerRow(string exchange, string depositAddress, string tag, long deposits, long depositedAmount, CustomerTaint?[] byPolicy)
{
    public string Exchange => exchange;
    public string DepositAddress => depositAddress;
    public string Tag => tag;
    public long Deposits => deposits;
    public long DepositedAmount => depositedAmount;
    public long MaxTaint { get; } = byPolicy.Max(c => c?.TaintAmount ?? 0);

    /// <summary>A policy's answer for this customer, if the policy ran and reached it.</summary>
    public bool TryGet(TaintPolicy policy, [NotNullWhen(true)] out CustomerTaint? taint) => (taint = byPolicy[(int)policy]) is not null;

    /// <summary>A policy's answer; the caller knows it exists.</summary>
    public CustomerTaint Taint(TaintPolicy policy) => byPolicy[(int)policy] ?? throw new KeyNotFoundException($"No {policy} answer for this customer.");
}

/// <summary>The rows every report format shows, built once from a <see cref="TraceResult"/>.</summary>
internal static class ReportModel
{
    /// <summary>Customers tainted under any policy, most tainted first (ties by exchange, address, tag).</summary>
    public static List<CustomerRow> Customers(TraceResult result)
    {
        var keys = result.Ledgers.SelectMany(l => l.Customers.Keys).Distinct();
        var rows = new List<CustomerRow>();
        var addressNames = new Dictionary<int, string>();   // few deposit addresses, many customers: one string each
        int policies = Enum.GetValues<TaintPolicy>().Length;
        foreach ((int address, int tag) in keys)
        {
            var byPolicy = new CustomerTaint?[policies];
            foreach (TaintLedger ledger in result.Ledgers)
            {
                if (ledger.Customers.TryGetValue((address, tag), out CustomerTaint? taint)) byPolicy[(int)ledger.Policy] = taint;
            }
            result.Deposits.TryGetValue((address, tag), out CustomerDeposits? deposits);
            if (!addressNames.TryGetValue(address, out string? addressName)) addressNames[address] = addressName = result.Context.Addresses[address];
            rows.Add(new CustomerRow(result.ExchangeNames[address], addressName, TagName(result, tag),
                deposits?.Deposits ?? 0, deposits?.Amount ?? 0, byPolicy));
        }
        return [.. rows.OrderByDescending(r => r.MaxTaint).ThenBy(r => r.Exchange, StringComparer.Ordinal)
            .ThenBy(r => r.DepositAddress, StringComparer.Ordinal).ThenBy(r => r.Tag, StringComparer.Ordinal)];
    }

    /// <summary>Accounts that ever held taint under a policy (exchanges excluded), most taint received first.</summary>
    public static List<(int Account, long Received, long FirstTime, bool IsSource)> TaintedAccounts(TraceResult result, TaintLedger ledger)
    {
        var list = new List<(int, long, long, bool)>();
        var sources = result.SourceIds.ToHashSet();
        for (int account = 0; account < result.Context.Addresses.Count; account++)
        {
            if (result.ExchangeNames.ContainsKey(account)) continue;
            if (!ledger.Paths.TryGetFirstTaintTime(account, out long first)) continue;
            list.Add((account, ledger.ReceivedOf(account), first, sources.Contains(account)));
        }
        return [.. list.OrderByDescending(a => a.Item4).ThenByDescending(a => a.Item2).ThenBy(a => result.Context.Addresses[a.Item1], StringComparer.Ordinal)];
    }

    /// <summary>How many accounts ever held taint under a policy (exchanges excluded), without building the list.</summary>
    public static int TaintedAccountCount(TraceResult result, TaintLedger ledger)
    {
        int count = 0;
        for (int account = 0; account < result.Context.Addresses.Count; account++)
        {
            if (ledger.Paths.WasTainted(account) && !result.ExchangeNames.ContainsKey(account)) count++;
        }
        return count;
    }

    public static string TagName(TraceResult result, int tag) => tag < 0 ? "" : result.Context.Tags[tag];

    public static string Time(long unixSeconds) =>
        unixSeconds is long.MaxValue or long.MinValue ? "" : DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
