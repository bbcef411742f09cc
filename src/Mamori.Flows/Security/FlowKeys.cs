using System.Security.Cryptography;
using System.Text;

namespace Mamori.Flows.Security;

/// <summary>
/// The flows' master key, read from (or created as) a 32-byte key file with mode 0600, and the sub-keys derived from it
/// with HKDF-SHA256: one to seal TOTP seeds (AES-GCM), one to sign device tokens (HMAC), one to pepper code hashes.
/// </summary>
/// <remarks>
/// Separate keys per purpose: a device-token forgery oracle must not help decrypt a seed. The key file lives beside the
/// database; copying the database without the key file yields no seed. Losing the key file loses every TOTP factor.
/// Thread-safe: immutable after construction.
/// </remarks>
internal sealed class FlowKeys
{
    public const int KeySize = 32;
    private const int NonceSize = 12, TagSize = 16;
    private readonly byte[] _sealKey, _deviceKey, _pepperKey;

    public FlowKeys(byte[] masterKey)
    {
        if (masterKey.Length != KeySize) throw new ArgumentException($"The flows key must be {KeySize} bytes.", nameof(masterKey));
        _sealKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, KeySize, info: "mamori-flows-seal-v1"u8.ToArray());
        _deviceKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, KeySize, info: "mamori-flows-device-v1"u8.ToArray());
        _pepperKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, KeySize, info: "mamori-flows-pepper-v1"u8.ToArray());
    }

    /// <summary>Reads the key file, creating it (0600, random) when absent.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not exactly 32 bytes.</exception>
    public static FlowKeys LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            byte[] fresh = RandomNumberGenerator.GetBytes(KeySize);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using var stream = new FileStream(path, options);
                stream.Write(fresh);
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path)) { /* another process created it first: read theirs */ }
        }
        byte[] key = File.ReadAllBytes(path);
        if (key.Length != KeySize) throw new InvalidDataException($"Key file {path} holds {key.Length} bytes; expected {KeySize}.");
        return new FlowKeys(key);
    }

    /// <summary>Encrypts a secret with AES-GCM; <paramref name="context"/> (e.g. factor id and account) is bound as associated data.</summary>
    public byte[] Seal(ReadOnlySpan<byte> secret, string context)
    {
        byte[] output = new byte[NonceSize + TagSize + secret.Length];
        Span<byte> nonce = output.AsSpan(0, NonceSize), tag = output.AsSpan(NonceSize, TagSize), cipher = output.AsSpan(NonceSize + TagSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_sealKey, TagSize);
        aes.Encrypt(nonce, secret, cipher, tag, Encoding.UTF8.GetBytes(context));
        return output;
    }

    /// <summary>Decrypts what <see cref="Seal"/> produced for the same context.</summary>
    /// <exception cref="CryptographicException">Tampered, wrong key, or sealed for another context.</exception>
    public byte[] Unseal(ReadOnlySpan<byte> sealedSecret, string context)
    {
        if (sealedSecret.Length < NonceSize + TagSize) throw new CryptographicException("Sealed secret is too short.");
        byte[] plain = new byte[sealedSecret.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_sealKey, TagSize);
        aes.Decrypt(sealedSecret[..NonceSize], sealedSecret.Slice(NonceSize + TagSize), sealedSecret.Slice(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(context));
        return plain;
    }

    /// <summary>Keyed hash of a code with its per-code salt: HMAC-SHA256(pepper, salt ‖ code).</summary>
    /// <remarks>Better than a plain salted SHA-256: a stolen database alone does not allow guessing codes offline.</remarks>
    public byte[] HashCode(ReadOnlySpan<byte> salt, string code)
    {
        byte[] codeBytes = Encoding.UTF8.GetBytes(code);
        byte[] input = new byte[salt.Length + codeBytes.Length];
        salt.CopyTo(input);
        codeBytes.CopyTo(input, salt.Length);
        return HMACSHA256.HashData(_pepperKey, input);
    }

    /// <summary>HMAC-SHA256 under the device-token key.</summary>
    public byte[] SignDevice(ReadOnlySpan<byte> payload) => HMACSHA256.HashData(_deviceKey, payload);
}
