using System.Globalization;
using Mamori.Tracing.Nem;

namespace Mamori.Tracing.Generation;

/// <summary>Sizes of a generated Coincheck-like laundering.</summary>
public sealed class CoincheckScenarioOptions
{
    /// <summary>Seed; the same seed writes the same files.</summary> <value>The default is 2018.</value>
    public int Seed { get; set; } = 2018;
    /// <summary>Thief accounts that received the stolen XEM.</summary> <value>The default is 6.</value>
    public int Thieves { get; set; } = 6;
    /// <summary>Bystanders the thieves dust.</summary> <value>The default is 150.</value>
    public int DustRecipients { get; set; } = 150;
    /// <summary>First-layer mules (dark-web buyers); each splits to 5, each of those to 2.</summary>
    /// <value>The default is 300 (4,800 mule accounts in all).</value>
    public int FirstLayerMules { get; set; } = 300;
    /// <summary>Launderers with exchange accounts (the customers to find), spread over three exchanges.</summary>
    /// <value>The default is 30, as the about 30 people police identified.</value>
    public int LaunderingCustomers { get; set; } = 30;
    /// <summary>Honest exchange customers depositing through the same period.</summary> <value>The default is 120.</value>
    public int CleanCustomers { get; set; } = 120;
}

/// <summary>The written files and the ground truth to check a trace against.</summary>
public sealed record CoincheckScenario(
    IReadOnlyList<string> TransferFiles,
    string ExchangesFile,
    IReadOnlyList<string> ThiefAddresses,
    IReadOnlyList<ExchangeAddress> Exchanges,
    IReadOnlySet<(string Address, string Tag)> LaunderingCustomers,
    IReadOnlySet<(string Address, string Tag)> CleanCustomers,
    IReadOnlySet<string> DustRecipients,
    IReadOnlySet<string> MuleAddresses,
    DateTimeOffset TheftTime);

/// <summary>Generates a Coincheck-like laundering in NIS1 JSON.</summary>
/// <remarks>
/// Modelled on the 2018 case: Coincheck's hot wallet loses XEM to several thief accounts; the thieves dust
/// bystanders with small amounts and messages; the bulk goes to a dark-web "exchange" (one send wrapped as
/// a multisig), which sells it on at a discount to buyer accounts; the buyers' coins fan out through two
/// more layers of mule accounts and arrive at three exchanges' deposit addresses, tagged with the
/// launderers' customer ids. Honest customers (some of them dusted) deposit at the same exchanges meanwhile.
/// All amounts micro-XEM; fees 0.1 XEM. Files are pages as the NIS API returns them (newest first), and the
/// thieves' file overlaps the network file, as per-account exports do.
/// </remarks>
public static class CoincheckScenarioGenerator
{
    private const long MicroXem = 1_000_000;
    private const long Fee = 100_000;

    /// <summary>Writes the scenario into <paramref name="directory"/>.</summary>
    public static CoincheckScenario Write(string directory, CoincheckScenarioOptions? options = null)
    {
        options ??= new CoincheckScenarioOptions();
        Directory.CreateDirectory(directory);
        var random = new Random(options.Seed);
        var all = new List<Nis1Transfer>();
        DateTimeOffset theft = new(2018, 1, 25, 17, 2, 0, TimeSpan.Zero);
        long t = theft.ToUnixTimeSeconds() - 30 * 86_400;

        Account NewAccount() => new(random);
        Account genesis = NewAccount(), hotWallet = NewAccount(), darkWeb = NewAccount(), darkWebCosigner = NewAccount(), cosigner2 = NewAccount();
        var exchangeNames = new[] { "Exchange A", "Exchange B", "Exchange C" };
        var exchanges = exchangeNames.Select(_ => NewAccount()).ToArray();
        var thieves = Enumerable.Range(0, options.Thieves).Select(_ => NewAccount()).ToList();

        // Honest customers: funded well before the theft; each has an exchange and a tag.
        var cleanCustomers = new List<(Account Account, int Exchange, string Tag)>();
        for (int i = 0; i < options.CleanCustomers; i++)
            cleanCustomers.Add((NewAccount(), random.Next(3), (100_000 + i).ToString(CultureInfo.InvariantCulture)));
        var bystanders = Enumerable.Range(0, options.DustRecipients).Select(_ => NewAccount()).ToList();
        // A third of the dusted bystanders are honest exchange customers themselves.
        for (int i = 0; i < bystanders.Count / 3; i++)
            cleanCustomers.Add((bystanders[i], random.Next(3), (200_000 + i).ToString(CultureInfo.InvariantCulture)));

        var balances = new Dictionary<Account, long>();
        void Send(Account from, Account to, long amount, string message = "", Account? cosigner = null, Account? cosignatory = null)
        {
            t += random.Next(1, 40);
            all.Add(new Nis1Transfer(t, from.PublicKey, to.Address, amount, Fee, message, cosigner?.PublicKey, cosignatory?.PublicKey));
            balances[from] = balances.GetValueOrDefault(from) - amount - Fee;
            balances[to] = balances.GetValueOrDefault(to) + amount;
        }

        foreach ((Account account, _, _) in cleanCustomers) Send(genesis, account, random.NextInt64(20_000, 200_000) * MicroXem);
        foreach (Account bystander in bystanders.Skip(bystanders.Count / 3)) Send(genesis, bystander, random.NextInt64(5_000, 50_000) * MicroXem);
        Send(genesis, hotWallet, 600_000_000 * MicroXem);

        // Honest deposits before the theft.
        foreach ((Account account, int exchange, string tag) in cleanCustomers.Where(_ => random.Next(2) == 0))
            Send(account, exchanges[exchange], balances[account] / 4, tag);

        // The theft.
        t = theft.ToUnixTimeSeconds();
        long stolenEach = 523_000_000 / options.Thieves * MicroXem;
        foreach (Account thief in thieves) Send(hotWallet, thief, stolenEach);

        // Dust with messages, to bystanders and to honest customers.
        foreach (Account bystander in bystanders)
            Send(thieves[random.Next(thieves.Count)], bystander, random.NextInt64(1, 10) * MicroXem, "catch me if you can");

        // Bulk to the dark-web exchange (the first send through its 1-of-2 multisig to exercise type 4100).
        bool first = true;
        foreach (Account thief in thieves)
        {
            long amount = balances[thief] - Fee;
            if (first) Send(thief, darkWeb, amount, "", cosigner: darkWebCosigner, cosignatory: cosigner2);
            else Send(thief, darkWeb, amount);
            if (first) balances[thief] -= 2 * 150_000;   // wrapper and cosignature fees
            first = false;
        }

        // Laundering customers: distinct tags at the three exchanges.
        var launderers = Enumerable.Range(0, options.LaunderingCustomers)
            .Select(i => (Exchange: i % 3, Tag: (900_000 + i * 37).ToString(CultureInfo.InvariantCulture))).ToList();
        var mules = new HashSet<string>();
        var usedLaunderers = new HashSet<(int Exchange, string Tag)>();

        // Dark web sells to first-layer buyers; each fans out 5, then 2; last layer deposits, tagged.
        long perBuyer = (balances[darkWeb] - options.FirstLayerMules * 2 * Fee) / options.FirstLayerMules;
        var honestQueue = new Queue<(Account, int, string)>(cleanCustomers.OrderBy(_ => random.Next()));
        for (int b = 0; b < options.FirstLayerMules; b++)
        {
            Account buyer = NewAccount();
            mules.Add(buyer.Address);
            Send(darkWeb, buyer, perBuyer);
            for (int s = 0; s < 5; s++)
            {
                Account second = NewAccount();
                mules.Add(second.Address);
                Send(buyer, second, (balances[buyer] - (5 - s) * Fee) / (5 - s));
                for (int k = 0; k < 2; k++)
                {
                    Account third = NewAccount();
                    mules.Add(third.Address);
                    Send(second, third, (balances[second] - (2 - k) * Fee) / (2 - k));
                    var launderer = launderers[random.Next(launderers.Count)];
                    usedLaunderers.Add(launderer);
                    Send(third, exchanges[launderer.Exchange], balances[third] - Fee, launderer.Tag);
                }
            }
            // Honest deposits keep coming while the laundering runs (less than each one's funding: nothing dusted leaves).
            if (honestQueue.Count > 0 && b % 2 == 0)
            {
                (Account account, int exchange, string tag) = honestQueue.Dequeue();
                Send(account, exchanges[exchange], balances[account] / 3, tag);
            }
        }

        string network = Path.Combine(directory, "network.json");
        string thiefFile = Path.Combine(directory, "thieves.json");
        Nis1JsonWriter.Write(network, all);
        var thiefKeys = thieves.Select(a => a.PublicKey).ToHashSet();
        var thiefAddresses = thieves.Select(a => a.Address).ToHashSet();
        Nis1JsonWriter.Write(thiefFile, all.Where(x => thiefKeys.Contains(x.SignerKey) || thiefAddresses.Contains(x.Recipient)));
        var exchangeList = exchanges.Select((e, i) => new ExchangeAddress(exchangeNames[i], e.Address)).ToList();
        string exchangesFile = Path.Combine(directory, "exchanges.csv");
        File.WriteAllLines(exchangesFile, ["exchange,address", .. exchangeList.Select(e => $"{e.Exchange},{e.Address}")]);

        return new CoincheckScenario(
            [thiefFile, network],
            exchangesFile,
            [.. thieves.Select(a => a.Address)],
            exchangeList,
            usedLaunderers.Select(l => (exchanges[l.Exchange].Address, l.Tag)).ToHashSet(),
            cleanCustomers.Select(c => (exchanges[c.Exchange].Address, c.Tag)).ToHashSet(),
            bystanders.Select(a => a.Address).ToHashSet(),
            mules,
            theft);
    }

    private sealed class Account
    {
        public Account(Random random)
        {
            byte[] key = new byte[NemAddress.PublicKeyLength];
            random.NextBytes(key);
            PublicKey = Convert.ToHexStringLower(key);
            Address = NemAddress.FromPublicKey(key);
        }

        public string PublicKey { get; }
        public string Address { get; }
    }
}
