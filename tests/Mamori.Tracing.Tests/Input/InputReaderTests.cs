using Mamori.Tracing.Generation;
using Mamori.Tracing.Input;
using Mamori.Tracing.Model;
using Mamori.Tracing.Nem;
using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Tests.Input;

/// <summary>NIS1, CSV and Ethereum inputs: what is read, and bad records reported with their location.</summary>
public sealed class InputReaderTests : IDisposable
{
    private static readonly string s_thiefKey = new('a', 64);
    private static readonly string s_muleKey = new('b', 64);
    private static readonly string s_thief = NemAddress.FromPublicKey(Convert.FromHexString(s_thiefKey));
    private static readonly string s_mule = NemAddress.FromPublicKey(Convert.FromHexString(s_muleKey));
    private static readonly string s_exchange = NemAddress.FromPublicKey(Convert.FromHexString(new string('c', 64)));
    private static readonly long s_t0 = new DateTimeOffset(2018, 1, 26, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static TraceResult Trace(string file, TransferFormat format = TransferFormat.Auto, string? asset = null)
    {
        var tracer = new Tracer(new TraceOptions
        {
            Sources = [s_thief],
            Exchanges = [new ExchangeAddress("Exchange A", s_exchange)],
            Policies = [TaintPolicy.Fifo],
            Asset = asset,
        });
        return tracer.Run([(file, format)]);
    }

    [Fact]
    public void Nis1_ReadsNewestFirstPagesMultisigAndTaggedDeposits()
    {
        string file = _dir.File("nis1.json");
        Nis1JsonWriter.Write(file,
        [
            new Nis1Transfer(s_t0, s_thiefKey, s_mule, 5_000_000, 100_000, ""),
            new Nis1Transfer(s_t0 + 60, s_muleKey, s_exchange, 4_000_000, 100_000, "user-42", CosignerKey: new string('d', 64)),
        ]);

        TraceResult result = Trace(file);

        Assert.Equal(0, result.Context.Errors.Count);
        Assert.Equal(2, result.Statistics.TransfersTraced);
        Assert.Equal(s_t0, result.Statistics.FirstTime);
        var customer = Assert.Single(result.Ledgers[0].Customers);
        Assert.Equal("user-42", result.Context.Tags[customer.Key.Tag]);
        Assert.Equal(4_000_000, customer.Value.TaintAmount);
        // The mule paid the inner fee and the multisig wrapper's fee from stolen value.
        Assert.Equal(100_000 + 100_000 + 150_000, result.Ledgers[0].Books().Fees);
    }

    [Fact]
    public void Nis1_MosaicAmountIsAMultiplierAndOtherMosaicsAreNotTracedAsXem()
    {
        string file = _dir.File("mosaics.json");
        File.WriteAllText(file, $$$"""
        {"data":[{"meta":{"hash":{"data":"01"}},"transaction":{"timeStamp":1000,"amount":2000000,"fee":50000,"recipient":"{{{s_exchange}}}",
          "type":257,"version":1744830466,"signer":"{{{s_thiefKey}}}","message":{"payload":"{{{Convert.ToHexString("tag7"u8)}}}","type":1},
          "mosaics":[{"quantity":3000000,"mosaicId":{"namespaceId":"nem","name":"xem"}},{"quantity":7,"mosaicId":{"namespaceId":"dim","name":"coin"}}]}}]}
        """);

        TraceResult result = Trace(file);

        Assert.Equal(0, result.Context.Errors.Count);
        Assert.Equal(6_000_000, result.Ledgers[0].Customers.Single().Value.TaintAmount);   // 3 XEM × amount 2.0
        Assert.Equal(1, result.Statistics.OtherAssetTransfers);   // dim:coin, 14 units, is another asset
    }

    [Fact]
    public void Nis1_BadRecordsAreReportedWithTheirJsonPathAndLeftOut()
    {
        string file = _dir.File("bad.json");
        File.WriteAllText(file, $$$"""
        {"data":[
          {"transaction":{"timeStamp":100,"amount":1,"fee":1,"recipient":"{{{s_mule}}}","type":257,"signer":"{{{s_thiefKey}}}"}},
          {"transaction":{"timeStamp":200,"amount":1,"fee":1,"recipient":"{{{s_mule}}}","type":9999,"signer":"{{{s_thiefKey}}}"}},
          {"transaction":{"timeStamp":300,"amount":-5,"fee":1,"recipient":"{{{s_mule}}}","type":257,"signer":"{{{s_thiefKey}}}"}},
          {"transaction":{"timeStamp":400,"amount":1,"fee":1,"recipient":"NDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5JFXJ4R5","type":257,"signer":"{{{s_thiefKey}}}"}},
          {"transaction":{"timeStamp":50,"amount":1,"fee":1,"recipient":"{{{s_mule}}}","type":257,"signer":"{{{s_thiefKey}}}"}},
          {"transaction":{"timeStamp":500,"amount":1,"fee":1,"recipient":"{{{s_mule}}}","type":257,"signer":"{{{s_thiefKey}}}"}}
        ]}
        """);

        TraceResult result = Trace(file);

        var errors = result.Context.Errors.Stored.Select(e => (e.Location, e.Code)).ToList();
        Assert.Equal(
        [
            ("$.data[1].transaction.type", InputErrorCode.UnknownTransactionType),
            ("$.data[2].transaction.amount", InputErrorCode.NegativeAmount),
            ("$.data[3].transaction.recipient", InputErrorCode.MalformedAddress),
            ("$.data[4]", InputErrorCode.OutOfOrderTime),
        ], errors);
        Assert.All(result.Context.Errors.Stored, e => Assert.Equal(file, e.File));
        Assert.Equal(2, result.Statistics.TransfersTraced);
    }

    [Fact]
    public void Nis1_NotJsonIsReportedWithALine()
    {
        string file = _dir.File("broken.json");
        File.WriteAllText(file, "{\"data\":[\n{\"transaction\": }");

        TraceResult result = Trace(file, TransferFormat.Nis1);

        InputError error = Assert.Single(result.Context.Errors.Stored);
        Assert.Equal(InputErrorCode.MalformedFile, error.Code);
        Assert.Equal("line 2", error.Location);
    }

    [Fact]
    public void Csv_ReadsRowsAndReportsEachBadRowWithItsLine()
    {
        string file = _dir.File("t.csv");
        File.WriteAllLines(file,
        [
            "time,from,to,amount,asset,tx_id,message,fee",
            $"2018-01-26T00:00:00Z,{s_thief},{s_mule},1000,nem:xem,a1,,10",
            $"{s_t0 + 10},{s_mule},{s_exchange},-4,nem:xem,a2,u1,1",
            $"{s_t0 + 20},{s_mule},NOT-AN-ADDRESS,5,nem:xem,a3,,1",
            $"{s_t0 - 99},{s_mule},{s_exchange},5,nem:xem,a4,u1,1",
            $"{s_t0 + 30},{s_mule},{s_exchange},5x,nem:xem,a5,u1,1",
            $"{s_t0 + 40},{s_mule},{s_exchange},500,nem:xem,a6,u1,1",
        ]);

        TraceResult result = Trace(file);

        Assert.Equal(
        [
            ("line 3", InputErrorCode.NegativeAmount),
            ("line 4", InputErrorCode.MalformedAddress),
            ("line 5", InputErrorCode.OutOfOrderTime),
            ("line 6", InputErrorCode.BadNumber),
        ], result.Context.Errors.Stored.Select(e => (e.Location, e.Code)));
        Assert.Equal(2, result.Statistics.TransfersTraced);
        Assert.Equal(500, result.Ledgers[0].Customers.Single().Value.TaintAmount);
    }

    [Fact]
    public void Csv_RowsAcrossReadAheadBatches_KeepTheirFieldsAndLineNumbers()
    {
        // The reader copies rows aside 16 at a time to prefetch their addresses; rows on both sides of a batch
        // boundary, a long message and short rows must come out exactly as written.
        var lines = new List<string> { "time,from,to,amount,asset,tx_id,message,fee" };
        for (int i = 0; i < 40; i++)
        {
            string line = i switch
            {
                0 => $"{s_t0},{s_thief},{s_mule},1000000,nem:xem,t{i},,0",
                15 or 16 => $"{s_t0 + i},{s_mule},{s_exchange},x{i},nem:xem,t{i},u{i},1",   // last of batch 1, first of batch 2
                33 => $"{s_t0 + i},{s_mule}",                                                   // too few columns
                _ => $"{s_t0 + i},{s_mule},{s_exchange},{i},nem:xem,t{i},{(i == 20 ? new string('m', 5000) : "u" + i)},1",
            };
            lines.Add(line);
        }
        string file = _dir.File("batches.csv");
        File.WriteAllLines(file, lines);

        TraceResult result = Trace(file);

        Assert.Equal(
        [
            ("line 17", InputErrorCode.BadNumber),
            ("line 18", InputErrorCode.BadNumber),
            ("line 35", InputErrorCode.MissingField),
        ], result.Context.Errors.Stored.Select(e => (e.Location, e.Code)));
        Assert.Equal(37, result.Statistics.TransfersTraced);
        Assert.Contains(result.Ledgers[0].Customers, c => c.Value.TaintAmount == 39 && result.Context.Tags[c.Key.Tag] == "u39");
        Assert.Contains(result.Ledgers[0].Customers, c => c.Value.TaintAmount == 20 && result.Context.Tags[c.Key.Tag] == new string('m', 5000));
        Assert.True(result.Ledgers[0].IsConserved());
    }

    [Fact]
    public void RejectedRecords_AppearInTheJsonReportWithTheirLocation()
    {
        string file = _dir.File("r.csv");
        File.WriteAllLines(file, ["time,from,to,amount,asset,tx_id", $"{s_t0},{s_thief},{s_mule},-1,nem:xem,x1", $"{s_t0},{s_thief},{s_mule},1,nem:xem,x2"]);
        TraceResult result = Trace(file);
        using var stream = new MemoryStream();

        Mamori.Tracing.Reports.JsonReportWriter.Write(stream, result);

        using var doc = System.Text.Json.JsonDocument.Parse(stream.ToArray());
        var errors = doc.RootElement.GetProperty("input_errors");
        Assert.Equal(1, errors.GetProperty("count").GetInt64());
        Assert.Equal(1, errors.GetProperty("by_code").GetProperty("negative_amount").GetInt64());
        var first = errors.GetProperty("first")[0];
        Assert.Equal((file, "line 2", "negative_amount"),
            (first.GetProperty("file").GetString(), first.GetProperty("location").GetString(), first.GetProperty("code").GetString()));
    }

    [Fact]
    public void Csv_MissingColumnsAreOneClearError()
    {
        string file = _dir.File("cols.csv");
        File.WriteAllLines(file, ["when,from,to,amount", "1,a,b,2"]);

        TraceResult result = Trace(file);

        InputError error = Assert.Single(result.Context.Errors.Stored);
        Assert.Equal(InputErrorCode.MalformedFile, error.Code);
        Assert.Contains("time", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, result.Statistics.TransfersRead);
    }

    [Fact]
    public void TwoFilesWithTheSameTransaction_CountItOnce()
    {
        string row = $"{s_t0},{s_thief},{s_exchange},700,nem:xem,same-tx,u9";
        string a = _dir.File("a.csv"), b = _dir.File("b.csv");
        File.WriteAllLines(a, ["time,from,to,amount,asset,tx_id,message", row]);
        File.WriteAllLines(b, ["time,from,to,amount,asset,tx_id,message", row]);

        var tracer = new Tracer(new TraceOptions { Sources = [s_thief], Exchanges = [new ExchangeAddress("A", s_exchange)], Policies = [TaintPolicy.Fifo] });
        TraceResult result = tracer.Run([(a, TransferFormat.Csv), (b, TransferFormat.Csv)]);

        Assert.Equal(1, result.Statistics.Duplicates);
        Assert.Equal(700, result.Ledgers[0].Customers.Single().Value.TaintAmount);
    }

    [Fact]
    public void Ethereum_ReadsBlocksConvertsWeiToGweiAndReportsContractCreation()
    {
        string thief = "0x" + new string('1', 40), exchange = "0x" + new string('2', 40);
        string file = _dir.File("blocks.json");
        File.WriteAllText(file, $$$"""
        [{"jsonrpc":"2.0","id":1,"result":{"number":"0x10","timestamp":"0x5a6a5c00","transactions":[
          {"hash":"0xaa","from":"{{{thief}}}","to":"{{{exchange}}}","value":"0xde0b6b3a7640000","input":"0x","gasUsed":"0x5208","effectiveGasPrice":"0x3b9aca00"},
          {"hash":"0xab","from":"{{{thief}}}","to":null,"value":"0x0","input":"0x60"}
        ]}}]
        """);
        var tracer = new Tracer(new TraceOptions { Sources = [thief], Exchanges = [new ExchangeAddress("X", exchange)], Policies = [TaintPolicy.Haircut] });

        TraceResult result = tracer.Run([(file, TransferFormat.Auto)]);

        Assert.Equal("eth", result.Asset);
        Assert.Equal(1_000_000_000, result.Ledgers[0].Customers.Single().Value.TaintAmount);   // 1 ETH in gwei
        Assert.Equal(21_000, result.Ledgers[0].Books().Fees);   // 21000 gas × 1 gwei
        InputError error = Assert.Single(result.Context.Errors.Stored);
        Assert.Equal(("$[0].result.transactions[1].to", InputErrorCode.Unsupported), (error.Location, error.Code));
    }

    [Fact]
    public void InvalidSourceOrExchangeAddress_FailsBeforeReadingWithEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Tracer(new TraceOptions
        {
            Sources = ["NDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5JFXJ4R5"],
            Exchanges = [new ExchangeAddress("A", "0x123")],
            MaxHops = 0,
        }));

        Assert.Contains("MaxHops: 0 is outside 1..1000.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("checksum mismatch", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Ethereum address of 5 characters", ex.Message, StringComparison.Ordinal);
    }
}
