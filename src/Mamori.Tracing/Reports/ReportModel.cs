using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Reports;

/// <summary>One exchange customer tainted under at least one policy, with each policy's answer.</summary>
internal sealed record CustomerRow(
    string Exchange, string DepositAddress, string Tag, long Deposits, long DepositedAmount,
    IReadOnlyDictionary<TaintPolicy, CustomerTaint> ByPolicy)
{
    public long MaxTaint => ByPolicy.Values.Select(c => c.TaintAmount).DefaultIfEmpty(0).Max();
}

/// <summary>The rows every report format shows, built once from a <see cref="TraceResult"/>.</summary>
internal static class ReportModel
{
    /// <summary>Customers tainted under any policy, most tainted first (ties by exchange, address, tag).</summary>
    public static List<CustomerRow> Customers(TraceResult result)
    {
        var keys = result.Ledgers.SelectMany(l => l.Customers.Keys).Distinct();
        var rows = new List<CustomerRow>();
        foreach ((int address, int tag) in keys)
        {
            var byPolicy = new Dictionary<TaintPolicy, CustomerTaint>();
            foreach (TaintLedger ledger in result.Ledgers)
            {
                if (ledger.Customers.TryGetValue((address, tag), out CustomerTaint? taint)) byPolicy[ledger.Policy] = taint;
            }
            result.Deposits.TryGetValue((address, tag), out CustomerDeposits? deposits);
            rows.Add(new CustomerRow(result.ExchangeNames[address], result.Context.Addresses[address], TagName(result, tag),
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
