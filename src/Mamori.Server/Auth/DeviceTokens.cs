using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mamori.Server.Auth;

/// <summary>
/// Signed, expiring device tokens: <c>mdt1.&lt;payload&gt;.&lt;mac&gt;</c>, base64url, where the payload is the
/// account, tenant, device id and expiry, and the MAC is HMAC-SHA256 under a 32-byte server key kept in
/// <c>&lt;data&gt;/device-token.key</c> (mode 0600).
/// </summary>
/// <remarks>
/// A token proves "this device passed a step-up for this account" without a database lookup. It is bound to the
/// account (another account's token is worthless), it expires, and replacing the key file revokes every token.
/// Tokens are credentials: never logged, never stored (the database keeps the device id only). Thread-safe.
/// </remarks>
public sealed class DeviceTokens
{
    /// <summary>Prefix of every token (its version).</summary>
    public const string Prefix = "mdt1.";

    /// <summary>Longest token accepted on input.</summary>
    public const int MaxTokenLength = 2_048;

    /// <summary>Name of the key file in the data folder.</summary>
    public const string KeyFileName = "device-token.key";

    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;

    /// <summary>Uses <paramref name="key"/> (at least 32 bytes) and issues tokens valid for <paramref name="lifetime"/>.</summary>
    public DeviceTokens(byte[] key, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32) throw new ArgumentException("The device-token key must be at least 32 bytes.", nameof(key));
        _key = key;
        _lifetime = lifetime;
    }

    /// <summary>Whether <paramref name="device"/> is a Mamori token rather than the operator's own device id.</summary>
    public static bool LooksLikeToken(string device) => device.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Loads the key from the data folder, creating it (0600) if absent; null when the folder is unusable.</summary>
    public static byte[]? LoadOrCreateKey(string dataFolder)
    {
        string path = Path.Combine(dataFolder, KeyFileName);
        try
        {
            if (File.Exists(path))
            {
                byte[] existing = File.ReadAllBytes(path);
                if (existing.Length >= 32) return existing;
            }
            PrivateFolder.Create(dataFolder);
            byte[] key = RandomNumberGenerator.GetBytes(32);
            SecretFiles.Write(path, key);
            return key;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Issues a token for the device; returns it and its expiry.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(string account, string? tenant, string device, DateTimeOffset now)
    {
        DateTimeOffset expires = now + _lifetime;
        string payload = string.Join('\n', account, tenant ?? "", device, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        byte[] payloadBytes = Encoding.UTF8.GetBytes(payload);
        byte[] mac = HMACSHA256.HashData(_key, payloadBytes);
        return (Prefix + Base64Url.EncodeToString(payloadBytes) + "." + Base64Url.EncodeToString(mac), expires);
    }

    /// <summary>Checks a token for the account; gives the device id it is bound to.</summary>
    public bool TryValidate(string token, string account, string? tenant, DateTimeOffset now, out string? device)
    {
        device = null;
        if (!LooksLikeToken(token) || token.Length > MaxTokenLength) return false;
        ReadOnlySpan<char> rest = token.AsSpan(Prefix.Length);
        int dot = rest.IndexOf('.');
        if (dot <= 0) return false;
        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(rest[..dot]);
            mac = Base64Url.DecodeFromChars(rest[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payload), mac)) return false;
        string[] parts = Encoding.UTF8.GetString(payload).Split('\n');
        if (parts.Length != 4 || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out long expires)) return false;
        if (parts[0] != account || parts[1] != (tenant ?? "")) return false;
        if (now.ToUnixTimeSeconds() >= expires) return false;
        device = parts[2];
        return true;
    }
}

/// <summary>Writes files that hold secrets: owner-only from the first byte, flushed to disk.</summary>
internal static class SecretFiles
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        // An existing file keeps its old mode on FileMode.Create: set it explicitly.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
