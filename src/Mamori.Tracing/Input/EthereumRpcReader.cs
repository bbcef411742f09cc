using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Mamori.Tracing.Model;

namespace Mamori.Tracing.Input;

/// <summary>Reads Ethereum JSON-RPC exports: <c>eth_getBlockByNumber(n, true)</c> results (or their
/// <c>{"jsonrpc","result"}</c> envelopes), one block or an array of them.</summary>
/// <remarks>
/// Only ether moved by the transaction's own <c>value</c> is traced (token transfers live in logs, and
/// internal calls in traces, which these exports do not hold). Amounts are converted from wei to gwei so
/// they fit the tracer's 64-bit base units (9.2 billion ETH); the sub-gwei remainder is counted in
/// <see cref="SubGweiWei"/>, not lost silently. The fee is <c>gasUsed × effectiveGasPrice</c> when the
/// receipt's fields were merged in, otherwise unknown and taken as 0 (counted in <see cref="FeesUnknown"/>).
/// </remarks>
internal sealed class EthereumRpcReader(string file, TraceContext context) : BufferedTransferReader(file, context)
{
    /// <summary>The asset name of ether.</summary>
    public const string Ether = "eth";
    private static readonly BigInteger s_weiPerGwei = 1_000_000_000;

    public override string? NativeAsset => Ether;

    /// <summary>Wei dropped by rounding values down to gwei.</summary>
    public BigInteger SubGweiWei { get; private set; }

    /// <summary>Transactions whose fee was not in the export.</summary>
    public long FeesUnknown { get; private set; }

    protected override void Parse(List<(Transfer Transfer, string Location)> records)
    {
        if (ParseJsonFile() is not JsonDocument document) return;
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement block in root.EnumerateArray()) ReadBlock(block, $"$[{i++}]", records);
            }
            else ReadBlock(root, "$", records);
        }
    }

    private void ReadBlock(JsonElement block, string path, List<(Transfer, string)> records)
    {
        if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("result", out JsonElement result))
        {
            block = result;
            path += ".result";
        }
        if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("transactions", out JsonElement txs) || txs.ValueKind != JsonValueKind.Array)
        {
            Context.Errors.Add(File, path, InputErrorCode.MalformedFile, "expected a block object with a \"transactions\" array (eth_getBlockByNumber with full transactions)");
            return;
        }
        if (!TryQuantity(block, "timestamp", path, out BigInteger stamp)) return;
        long time = (long)stamp;
        int eth = Context.Assets.GetOrAdd(Ether);
        int i = 0;
        foreach (JsonElement tx in txs.EnumerateArray())
        {
            string txPath = $"{path}.transactions[{i++}]";
            if (tx.ValueKind != JsonValueKind.Object)
            {
                Context.Errors.Add(File, txPath, InputErrorCode.MalformedFile, "transaction hashes only; export with full transactions (second parameter true)");
                continue;
            }
            if (!TryQuantity(tx, "value", txPath, out BigInteger wei)) continue;
            if (!TryAccount(tx, "from", txPath, out int from)) continue;
            if (!tx.TryGetProperty("to", out JsonElement toElement) || toElement.ValueKind == JsonValueKind.Null)
            {
                Context.Errors.Add(File, txPath + ".to", InputErrorCode.Unsupported, "contract creation: the new contract's address is in the receipt, not here");
                continue;
            }
            if (!TryAccount(tx, "to", txPath, out int to)) continue;
            long fee = 0;
            if (tx.TryGetProperty("gasUsed", out _))
            {
                string priceField = tx.TryGetProperty("effectiveGasPrice", out _) ? "effectiveGasPrice" : "gasPrice";
                if (!TryQuantity(tx, "gasUsed", txPath, out BigInteger gasUsed) || !TryQuantity(tx, priceField, txPath, out BigInteger price)) continue;
                BigInteger feeWei = gasUsed * price;
                SubGweiWei += feeWei % s_weiPerGwei;
                fee = (long)(feeWei / s_weiPerGwei);
            }
            else FeesUnknown++;
            BigInteger gwei = BigInteger.DivRem(wei, s_weiPerGwei, out BigInteger rest);
            SubGweiWei += rest;
            if (gwei > long.MaxValue)
            {
                Context.Errors.Add(File, txPath + ".value", InputErrorCode.BadNumber, "value above 9.2 billion ETH");
                continue;
            }
            string hash = tx.TryGetProperty("hash", out JsonElement h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : "";
            string input = tx.TryGetProperty("input", out JsonElement data) && data.ValueKind == JsonValueKind.String ? data.GetString()! : "";
            // A deposit tag on Ethereum, when exchanges use one, is the call data; plain deposits have none.
            records.Add((new Transfer(time, from, to, (long)gwei, fee, eth, Context.TagFor(to, input == "0x" ? "" : input), TraceContext.HashTxId(hash)), txPath));
        }
    }

    private bool TryQuantity(JsonElement element, string field, string path, out BigInteger value)
    {
        value = default;
        if (!element.TryGetProperty(field, out JsonElement e) || e.ValueKind != JsonValueKind.String)
        {
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long n))
            {
                if (n < 0) return Fail($"{path}.{field}", InputErrorCode.NegativeAmount, $"{n} is negative");
                value = n;
                return true;
            }
            return Fail(path, InputErrorCode.MissingField, $"missing \"{field}\"");
        }
        string text = e.GetString()!;
        if (text.StartsWith('-')) return Fail($"{path}.{field}", InputErrorCode.NegativeAmount, $"{text} is negative");
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.Length < 3 || text.Length > 66
            || !BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
        {
            return Fail($"{path}.{field}", InputErrorCode.BadNumber, $"'{text}' is not a JSON-RPC hex quantity");
        }
        return true;
    }

    private bool TryAccount(JsonElement tx, string field, string path, out int account)
    {
        account = -1;
        if (!tx.TryGetProperty(field, out JsonElement e) || e.ValueKind != JsonValueKind.String)
            return Fail(path, InputErrorCode.MissingField, $"missing \"{field}\"");
        if (Context.Addresses.TryGetAccount(e.GetString(), out account, out string? reason)) return true;
        return Fail($"{path}.{field}", InputErrorCode.MalformedAddress, $"'{e.GetString()}': {reason}");
    }

    private bool Fail(string location, InputErrorCode code, string message)
    {
        Context.Errors.Add(File, location, code, message);
        return false;
    }
}
