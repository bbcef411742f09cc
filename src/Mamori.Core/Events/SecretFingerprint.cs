using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mamori.Events;

/// <summary>
/// The keyed fingerprint of a submitted secret: the first 8 bytes of HMAC-SHA256(pepper, normalised secret),
/// computed by the caller (docs/api.md, <c>secret_fp</c>). Mamori never sees the secret itself.
/// </summary>
/// <remarks>
/// A fingerprint is sensitive: with the pepper, a 4-digit PIN's fingerprint can be inverted in 10^4 tries.
/// It is kept only in memory windows, never logged, and shown to people only as <see cref="OpaqueId"/>.
/// <see cref="ToString"/> deliberately does not print the value.
/// </remarks>
public readonly record struct SecretFingerprint(ulong Value)
{
    /// <summary>Number of hex digits on the wire.</summary>
    public const int HexLength = 16;

    /// <summary>
    /// Computes a fingerprint as callers must: HMAC-SHA256 keyed with the deployment's pepper over the UTF-8 of the
    /// secret in Unicode normalisation form KC (so full-width "１２３４" and "1234" agree), first 8 bytes, big-endian.
    /// </summary>
    /// <remarks>For embedded callers and tests; the sidecar never receives a secret, only this value.</remarks>
    public static SecretFingerprint Compute(ReadOnlySpan<byte> pepper, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        byte[] normalised = Encoding.UTF8.GetBytes(secret.Normalize(NormalizationForm.FormKC));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(pepper, normalised, mac);
        CryptographicOperations.ZeroMemory(normalised);
        return new SecretFingerprint(BinaryPrimitives.ReadUInt64BigEndian(mac));
    }

    /// <summary>The 16 lower-case hex digits of the wire format. Sensitive: for callers' requests only, never for logs.</summary>
    public string ToHex() => Value.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Parses 16 hex digits, either case.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SecretFingerprint fingerprint)
    {
        if (text.Length == HexLength &&
            ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            fingerprint = new SecretFingerprint(value);
            return true;
        }
        fingerprint = default;
        return false;
    }

    /// <summary>Parses 16 hex digits given as UTF-8, either case.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out SecretFingerprint fingerprint)
    {
        if (utf8.Length == HexLength &&
            ulong.TryParse(utf8, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            fingerprint = new SecretFingerprint(value);
            return true;
        }
        fingerprint = default;
        return false;
    }

    /// <summary>
    /// A short id analysts can compare across campaigns without learning the fingerprint: a one-way hash of it,
    /// so the id cannot be fed back into a PIN inversion.
    /// </summary>
    public string OpaqueId => "fp_" + (Hashing.Mix(Value ^ 0x6d616d6f72695f66UL) >> 28).ToString("x9", CultureInfo.InvariantCulture);

    /// <summary>Returns the opaque id, never the fingerprint (so an accidental log line leaks nothing).</summary>
    public override string ToString() => OpaqueId;
}
