using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mamori.Tracing.Nem;

namespace Mamori.Tracing.Generation;

/// <summary>A NIS1 transaction to write: a plain transfer, or one wrapped in a multisig (4100) by a cosigner.</summary>
internal sealed record Nis1Transfer(long UnixTime, string SignerKey, string Recipient, long Amount, long Fee, string Message,
    string? CosignerKey = null, string? CosignatoryKey = null);

/// <summary>Writes transfers the way NIS1's <c>/account/transfers/all</c> returns them: <c>{"data":[…]}</c>, newest first.</summary>
internal static class Nis1JsonWriter
{
    /// <summary>Version field of a mainnet transfer (network byte 0x68, version 1).</summary>
    public const int MainNetVersion1 = 0x68 << 24 | 1;
    private const int MultisigCosignFee = 150_000;

    public static void Write(string path, IEnumerable<Nis1Transfer> transfers)
    {
        using FileStream stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteStartArray("data");
        long id = 0;
        foreach (Nis1Transfer t in transfers.OrderByDescending(t => t.UnixTime))
        {
            long stamp = NemTime.FromUnixSeconds(t.UnixTime);
            string hash = HashOf(t);
            json.WriteStartObject();
            json.WriteStartObject("meta");
            json.WriteNumber("id", ++id);
            json.WriteNumber("height", 1_500_000 + stamp / 60);
            json.WriteStartObject("hash");
            json.WriteString("data", hash);
            json.WriteEndObject();
            json.WriteStartObject("innerHash");
            if (t.CosignerKey is not null) json.WriteString("data", HashOf(t with { CosignerKey = null }));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WritePropertyName("transaction");
            if (t.CosignerKey is null) WriteTransfer(json, t, stamp);
            else
            {
                json.WriteStartObject();
                json.WriteNumber("timeStamp", stamp);
                json.WriteString("signature", Signature(hash));
                json.WriteNumber("fee", MultisigCosignFee);
                json.WriteNumber("type", 4100);
                json.WriteNumber("deadline", stamp + 3600);
                json.WriteNumber("version", MainNetVersion1);
                json.WriteStartArray("signatures");
                if (t.CosignatoryKey is not null)
                {
                    json.WriteStartObject();
                    json.WriteNumber("timeStamp", stamp);
                    json.WriteString("otherAccount", NemAddress.FromPublicKey(Convert.FromHexString(t.SignerKey)));
                    json.WriteNumber("fee", MultisigCosignFee);
                    json.WriteNumber("type", 4098);
                    json.WriteNumber("version", MainNetVersion1);
                    json.WriteString("signer", t.CosignatoryKey);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteString("signer", t.CosignerKey);
                json.WritePropertyName("otherTrans");
                WriteTransfer(json, t, stamp);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTransfer(Utf8JsonWriter json, Nis1Transfer t, long stamp)
    {
        json.WriteStartObject();
        json.WriteNumber("timeStamp", stamp);
        json.WriteNumber("amount", t.Amount);
        json.WriteString("signature", Signature(HashOf(t)));
        json.WriteNumber("fee", t.Fee);
        json.WriteString("recipient", t.Recipient);
        json.WriteNumber("type", 257);
        json.WriteNumber("deadline", stamp + 3600);
        json.WriteStartObject("message");
        if (t.Message.Length > 0)
        {
            json.WriteString("payload", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(t.Message)));
            json.WriteNumber("type", 1);
        }
        json.WriteEndObject();
        json.WriteNumber("version", MainNetVersion1);
        json.WriteString("signer", t.SignerKey);
        json.WriteEndObject();
    }

    private static string HashOf(Nis1Transfer t) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{t.UnixTime}|{t.SignerKey}|{t.Recipient}|{t.Amount}|{t.Fee}|{t.Message}|{t.CosignerKey}")));

    // Not a real signature (the tracer never verifies one); 64 bytes so the field looks like the API's.
    private static string Signature(string hash) => hash + hash;
}
