using System.Globalization;

namespace Mamori.Events;

/// <summary>
/// The keyed fingerprint of a submitted secret: the first 8 bytes of HMAC-SHA256(pepper, normalised secret),
/// computed by the caller (DESIGN.md §3). Mamori never sees the secret itself.
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
