using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Mamori.Flows.Security;

/// <summary>Trusted-device tokens: <c>v1.{payload}.{mac}</c>, payload = account, device and expiry, signed with HMAC-SHA256.</summary>
/// <remarks>Bound to the account and the caller's device id, so a token copied to another account or device fails.</remarks>
internal sealed class DeviceTokens(FlowKeys keys)
{
    private const string Prefix = "v1";
    /// <summary>Longest token accepted; a longer one is rejected before any work.</summary>
    public const int MaxTokenLength = 1024;

    public string Issue(string account, string device, DateTimeOffset expiresAt)
    {
        string payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{expiresAt.ToUnixTimeSeconds()}\n{account}\n{device}"));
        string mac = Base64Url.EncodeToString(keys.SignDevice(Encoding.ASCII.GetBytes($"{Prefix}.{payload}")));
        return $"{Prefix}.{payload}.{mac}";
    }

    /// <summary>Checks the signature, the binding and the expiry.</summary>
    public bool TryValidate(string token, string account, string device, DateTimeOffset now, out DateTimeOffset expiresAt)
    {
        expiresAt = default;
        if (token.Length > MaxTokenLength) return false;
        string[] parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Prefix) return false;
        byte[] expected = keys.SignDevice(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        byte[] mac, payload;
        try
        {
            mac = Base64Url.DecodeFromChars(parts[2]);
            payload = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException) { return false; }
        if (!CryptographicOperations.FixedTimeEquals(mac, expected)) return false;
        string[] fields = Encoding.UTF8.GetString(payload).Split('\n');
        if (fields.Length != 3 || !long.TryParse(fields[0], out long seconds)) return false;
        if (fields[1] != account || fields[2] != device) return false;
        expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return now < expiresAt;
    }
}
