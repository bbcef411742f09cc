using System.Globalization;
using System.Text;
using Mamori.Tracing.Nem;

namespace Mamori.Tracing.Generation;

/// <summary>Sizes of a generated benchmark CSV.</summary>
public sealed class ScaleCsvOptions
{
    /// <summary>Rows to write.</summary> <value>The default is 10,000,000.</value>
    public long Transfers { get; set; } = 10_000_000;
    /// <summary>Distinct ordinary accounts.</summary> <value>The default is 1,000,000.</value>
    public int Accounts { get; set; } = 1_000_000;
    /// <summary>Thief accounts.</summary> <value>The default is 5.</value>
    public int Thieves { get; set; } = 5;
    /// <summary>Share of transfers that are exchange deposits.</summary> <value>The default is 0.05.</value>
    public double DepositShare { get; set; } = 0.05;
    /// <summary>Seed.</summary> <value>The default is 1.</value>
    public int Seed { get; set; } = 1;
}

/// <summary>Writes a large time-ordered transfer CSV with NEM addresses, for the scale benchmark.</summary>
/// <remarks>Streams: nothing per row is kept, so it writes 100M rows in the memory of its address list. The
/// thieves receive the loot first, then send to random accounts through the run, so taint keeps spreading;
/// ordinary traffic is uniform between accounts and a share goes to three exchanges with 100k customer tags.</remarks>
public static class ScaleCsvGenerator
{
    public static (string[] Thieves, string[] Exchanges) Write(string path, ScaleCsvOptions options, Action<long>? progress = null,
        Action<string[], string[]>? accountsChosen = null)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        return Write(writer, options, progress, accountsChosen);
    }

    /// <summary>Writes to any writer, e.g. standard output piped into <c>mamori trace --transfers -</c>, so a 100M-row
    /// benchmark needs no 12.7 GB file.</summary>
    /// <param name="accountsChosen">Called with the thieves and exchanges before the first row, so a consumer reading
    /// the rows from a pipe can be given the exchanges file before it starts.</param>
    public static (string[] Thieves, string[] Exchanges) Write(TextWriter writer, ScaleCsvOptions options, Action<long>? progress = null,
        Action<string[], string[]>? accountsChosen = null)
    {
        var random = new Random(options.Seed);
        string[] accounts = new string[options.Accounts];
        byte[] key = new byte[NemAddress.PublicKeyLength];
        for (int i = 0; i < accounts.Length; i++)
        {
            random.NextBytes(key);
            accounts[i] = NemAddress.FromPublicKey(key);
        }
        string[] thieves = [.. accounts.Take(options.Thieves)];
        string[] exchanges = new string[3];
        for (int i = 0; i < exchanges.Length; i++)
        {
            random.NextBytes(key);
            exchanges[i] = NemAddress.FromPublicKey(key);
        }
        string hotWallet = accounts[^1];
        accountsChosen?.Invoke(thieves, exchanges);
        writer.Write("time,from,to,amount,asset,tx_id,fee,message\n");
        long time = new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var line = new StringBuilder(256);
        for (long n = 0; n < options.Transfers; n++)
        {
            if (random.Next(4) == 0) time++;
            string from, to, message = "";
            long amount;
            if (n < thieves.Length)
            {
                from = hotWallet;
                to = thieves[n];
                amount = 100_000_000_000_000;
            }
            else
            {
                from = random.Next(50) == 0 ? thieves[random.Next(thieves.Length)] : accounts[random.Next(accounts.Length)];
                if (random.NextDouble() < options.DepositShare)
                {
                    to = exchanges[random.Next(exchanges.Length)];
                    message = (100_000 + random.Next(100_000)).ToString(CultureInfo.InvariantCulture);
                }
                else to = accounts[random.Next(accounts.Length)];
                amount = random.NextInt64(1_000_000, 5_000_000_000);
            }
            line.Clear();
            line.Append(time).Append(',').Append(from).Append(',').Append(to).Append(',').Append(amount)
                .Append(",nem:xem,").Append(n.ToString("x", CultureInfo.InvariantCulture)).Append(",100000,").Append(message).Append('\n');
            writer.Write(line);
            if ((n + 1) % 10_000_000 == 0) progress?.Invoke(n + 1);
        }
        writer.Flush();
        return (thieves, exchanges);
    }
}
