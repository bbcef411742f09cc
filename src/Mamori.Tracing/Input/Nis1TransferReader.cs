using System.Text;
using System.Text.Json;
using Mamori.Tracing.Model;
using Mamori.Tracing.Nem;

namespace Mamori.Tracing.Input;

/// <summary>Reads NEM NIS1 transactions as the NIS API returns them (<c>/account/transfers/all</c> and friends).</summary>
/// <remarks>
/// <para>Accepted shapes: <c>{"data":[…]}</c>, a bare array, or an array of such pages. Each item is
/// <c>{"meta":{…},"transaction":{…}}</c> or a bare transaction.</para>
/// <para>Type 257 (transfer) moves XEM and mosaics; with mosaics (version 2) <c>amount</c> is a multiplier in
/// millionths and each mosaic moves <c>quantity × amount / 1,000,000</c>. Type 4100 (multisig) wraps an inner
/// transaction whose signer is the multisig account, which pays both fees. Other known types move only fees
/// (and the namespace/mosaic rental fee to its sink); unknown types are reported, not skipped silently.
/// Amounts are micro-XEM, times NEM epoch seconds, signers public keys turned into addresses.</para>
/// </remarks>
internal sealed class Nis1TransferReader(string file, TraceContext context) : BufferedTransferReader(file, context)
{
    /// <summary>The XEM asset name, as mosaics name it.</summary>
    public const string Xem = "nem:xem";

    private const int TransferType = 257;
    private const int ImportanceTransferType = 2049;
    private const int MultisigModificationType = 4097;
    private const int MultisigSignatureType = 4098;
    private const int MultisigType = 4100;
    private const int ProvisionNamespaceType = 8193;
    private const int MosaicDefinitionType = 16385;
    private const int MosaicSupplyType = 16386;
    private const long MosaicAmountDivisor = 1_000_000;

    public override string? NativeAsset => Xem;

    protected override void Parse(List<(Transfer Transfer, string Location)> records)
    {
        if (ParseJsonFile() is not JsonDocument document) return;
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out JsonElement data))
                ReadItems(data, "$.data", records);
            else if (root.ValueKind == JsonValueKind.Array)
            {
                int page = 0;
                foreach (JsonElement element in root.EnumerateArray())
                {
                    if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("data", out JsonElement pageData))
                        ReadItems(pageData, $"$[{page}].data", records);
                    else
                        ReadItem(element, $"$[{page}]", records);
                    page++;
                }
            }
            else if (root.ValueKind == JsonValueKind.Object)
                ReadItem(root, "$", records);
            else
                Context.Errors.Add(File, "$", InputErrorCode.MalformedFile, "expected an object with \"data\" or an array of transactions");
        }
    }

    private void ReadItems(JsonElement items, string path, List<(Transfer, string)> records)
    {
        if (items.ValueKind != JsonValueKind.Array)
        {
            Context.Errors.Add(File, path, InputErrorCode.MalformedFile, "expected an array");
            return;
        }
        int i = 0;
        foreach (JsonElement item in items.EnumerateArray()) ReadItem(item, $"{path}[{i++}]", records);
    }

    private void ReadItem(JsonElement item, string path, List<(Transfer, string)> records)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            Context.Errors.Add(File, path, InputErrorCode.MalformedFile, "expected a transaction object");
            return;
        }
        ulong hash = 0;
        if (item.TryGetProperty("meta", out JsonElement meta) && meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty("hash", out JsonElement h) && h.ValueKind == JsonValueKind.Object
            && h.TryGetProperty("data", out JsonElement hd) && hd.ValueKind == JsonValueKind.String)
        {
            hash = TraceContext.HashTxId(hd.GetString());
        }
        bool wrapped = item.TryGetProperty("transaction", out JsonElement tx);
        if (!wrapped) tx = item;
        string txPath = wrapped ? path + ".transaction" : path;
        if (!TryInt(tx, "type", txPath, out long type) || !TryInt(tx, "timeStamp", txPath, out long stamp)) return;
        long time = NemTime.ToUnixSeconds(stamp);
        if (type == MultisigType)
        {
            if (!TryInt(tx, "fee", txPath, out long outerFee) || !TryNonNegative(outerFee, txPath + ".fee")) return;
            if (!tx.TryGetProperty("otherTrans", out JsonElement inner) || inner.ValueKind != JsonValueKind.Object)
            {
                Context.Errors.Add(File, txPath + ".otherTrans", InputErrorCode.MissingField, "multisig transaction without otherTrans");
                return;
            }
            // Cosignatures are paid by the multisig account too; their fees ride on the same record.
            if (tx.TryGetProperty("signatures", out JsonElement signatures) && signatures.ValueKind == JsonValueKind.Array)
            {
                int s = 0;
                foreach (JsonElement signature in signatures.EnumerateArray())
                {
                    string signaturePath = $"{txPath}.signatures[{s++}]";
                    if (!TryInt(signature, "fee", signaturePath, out long cosignFee) || !TryNonNegative(cosignFee, signaturePath + ".fee")) return;
                    outerFee = checked(outerFee + cosignFee);
                }
            }
            ReadInner(inner, txPath + ".otherTrans", time, outerFee, hash, path, records);
            return;
        }
        ReadInner(tx, txPath, time, 0, hash, path, records);
    }

    /// <summary>Reads a transaction (or the inner one of a multisig); <paramref name="extraFee"/> is the wrapper's fee,
    /// which the same (multisig) account pays.</summary>
    private void ReadInner(JsonElement tx, string txPath, long time, long extraFee, ulong hash, string location, List<(Transfer, string)> records)
    {
        if (!TryInt(tx, "type", txPath, out long type) || !TryInt(tx, "fee", txPath, out long fee)) return;
        if (!TryNonNegative(fee, txPath + ".fee")) return;
        fee = checked(fee + extraFee);
        byte network = NetworkOf(tx);
        if (!TryString(tx, "signer", txPath, out string signer)) return;
        if (!Context.Addresses.TryGetAccountOfPublicKey(signer, network, out int from))
        {
            Context.Errors.Add(File, txPath + ".signer", InputErrorCode.MalformedAddress, $"signer '{Truncate(signer)}' is not a 32-byte hex public key");
            return;
        }
        int xem = Context.Assets.GetOrAdd(Xem);
        switch (type)
        {
            case TransferType:
                ReadTransfer(tx, txPath, time, from, fee, hash, xem, location, records);
                return;
            case ImportanceTransferType or MultisigModificationType or MosaicSupplyType:
                records.Add((new Transfer(time, from, from, 0, fee, xem, -1, hash), location));
                return;
            case MultisigSignatureType:
                // A cosignature's fee is paid by the multisig account named in otherAccount.
                if (!TryAccount(tx, "otherAccount", txPath, out int payer)) return;
                records.Add((new Transfer(time, payer, payer, 0, fee, xem, -1, hash), location));
                return;
            case ProvisionNamespaceType:
                ReadRental(tx, txPath, "rentalFeeSink", "rentalFee", time, from, fee, hash, xem, location, records);
                return;
            case MosaicDefinitionType:
                ReadRental(tx, txPath, "creationFeeSink", "creationFee", time, from, fee, hash, xem, location, records);
                return;
            default:
                Context.Errors.Add(File, txPath + ".type", InputErrorCode.UnknownTransactionType,
                    $"transaction type {type} is not a NIS1 type the tracer knows (257 transfer, 4100 multisig, …)");
                return;
        }
    }

    private void ReadTransfer(JsonElement tx, string txPath, long time, int from, long fee, ulong hash, int xem, string location, List<(Transfer, string)> records)
    {
        if (!TryInt(tx, "amount", txPath, out long amount) || !TryNonNegative(amount, txPath + ".amount")) return;
        if (!TryAccount(tx, "recipient", txPath, out int to)) return;
        int tag = Context.TagFor(to, MessageOf(tx));
        if (!tx.TryGetProperty("mosaics", out JsonElement mosaics) || mosaics.ValueKind != JsonValueKind.Array || mosaics.GetArrayLength() == 0)
        {
            records.Add((new Transfer(time, from, to, amount, fee, xem, tag, hash), location));
            return;
        }
        // Version 2 with mosaics: amount is a multiplier; the fee rides on the XEM record even when no XEM moves.
        long xemAmount = 0;
        var others = new List<Transfer>();
        int i = 0;
        foreach (JsonElement mosaic in mosaics.EnumerateArray())
        {
            string mosaicPath = $"{txPath}.mosaics[{i++}]";
            if (!TryInt(mosaic, "quantity", mosaicPath, out long quantity) || !TryNonNegative(quantity, mosaicPath + ".quantity")) return;
            if (!mosaic.TryGetProperty("mosaicId", out JsonElement id) || !TryString(id, "namespaceId", mosaicPath + ".mosaicId", out string ns)
                || !TryString(id, "name", mosaicPath + ".mosaicId", out string name)) return;
            Int128 moved = (Int128)quantity * amount / MosaicAmountDivisor;
            if (moved > long.MaxValue)
            {
                Context.Errors.Add(File, mosaicPath, InputErrorCode.BadNumber, "mosaic quantity × amount overflows 64 bits");
                return;
            }
            string asset = ns + ":" + name;
            if (asset == Xem) xemAmount = checked(xemAmount + (long)moved);
            else others.Add(new Transfer(time, from, to, (long)moved, 0, Context.Assets.GetOrAdd(asset), tag, hash));
        }
        records.Add((new Transfer(time, from, to, xemAmount, fee, xem, tag, hash), location));
        foreach (Transfer other in others) records.Add((other, location));
    }

    private void ReadRental(JsonElement tx, string txPath, string sinkField, string feeField, long time, int from, long fee, ulong hash, int xem,
        string location, List<(Transfer, string)> records)
    {
        if (!TryInt(tx, feeField, txPath, out long rental) || !TryNonNegative(rental, $"{txPath}.{feeField}")) return;
        if (!TryAccount(tx, sinkField, txPath, out int sink)) return;
        records.Add((new Transfer(time, from, sink, rental, fee, xem, -1, hash), location));
    }

    private static string MessageOf(JsonElement tx)
    {
        if (!tx.TryGetProperty("message", out JsonElement message) || message.ValueKind != JsonValueKind.Object) return "";
        if (!message.TryGetProperty("payload", out JsonElement payload) || payload.ValueKind != JsonValueKind.String) return "";
        int type = message.TryGetProperty("type", out JsonElement t) && t.TryGetInt32(out int v) ? v : 1;
        if (type != 1) return "(encrypted)";   // an encrypted tag cannot be read; the group still shows up
        try
        {
            return Encoding.UTF8.GetString(Convert.FromHexString(payload.GetString()!));
        }
        catch (FormatException)
        {
            return payload.GetString()!;   // some exporters write the text itself
        }
    }

    private static byte NetworkOf(JsonElement tx)
    {
        if (tx.TryGetProperty("version", out JsonElement v) && v.TryGetInt64(out long version))
        {
            byte network = (byte)((version >> 24) & 0xFF);
            if (network is NemAddress.MainNet or NemAddress.TestNet or NemAddress.Mijin) return network;
        }
        return NemAddress.MainNet;
    }

    private bool TryAccount(JsonElement tx, string field, string txPath, out int account)
    {
        account = -1;
        if (!TryString(tx, field, txPath, out string text)) return false;
        if (Context.Addresses.TryGetAccount(text, out account, out string? reason)) return true;
        Context.Errors.Add(File, $"{txPath}.{field}", InputErrorCode.MalformedAddress, $"'{Truncate(text)}': {reason}");
        return false;
    }

    private bool TryInt(JsonElement element, string field, string path, out long value)
    {
        value = 0;
        if (!element.TryGetProperty(field, out JsonElement e))
        {
            Context.Errors.Add(File, path, InputErrorCode.MissingField, $"missing \"{field}\"");
            return false;
        }
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value)) return true;
        Context.Errors.Add(File, $"{path}.{field}", InputErrorCode.BadNumber, $"\"{field}\" is {Truncate(e.GetRawText())}, not a 64-bit integer");
        return false;
    }

    private bool TryString(JsonElement element, string field, string path, out string value)
    {
        value = "";
        if (element.TryGetProperty(field, out JsonElement e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s)
        {
            value = s;
            return true;
        }
        Context.Errors.Add(File, path, InputErrorCode.MissingField, $"missing or empty \"{field}\"");
        return false;
    }

    private bool TryNonNegative(long value, string path)
    {
        if (value >= 0) return true;
        Context.Errors.Add(File, path, InputErrorCode.NegativeAmount, $"{value} is negative");
        return false;
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
