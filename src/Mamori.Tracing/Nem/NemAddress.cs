using Org.BouncyCastle.Crypto.Digests;

namespace Mamori.Tracing.Nem;

/// <summary>NEM (NIS1) addresses: derivation from a public key and checksum validation.</summary>
/// <remarks>
/// address = Base32(network byte ‖ RIPEMD-160(Keccak-256(public key)) ‖ first 4 bytes of Keccak-256 of
/// the 21 bytes before). Keccak-256 here is the pre-NIST variant (padding 0x01, not SHA3's 0x06), so
/// <c>SHA3_256</c> from .NET gives wrong addresses; BouncyCastle's <see cref="KeccakDigest"/> is the real
/// one. Both hashes are checked against NEM's official vectors in the tests.
/// </remarks>
internal static class NemAddress
{
    /// <summary>Mainnet network byte; addresses start with N.</summary>
    public const byte MainNet = 0x68;
    /// <summary>Testnet network byte; addresses start with T.</summary>
    public const byte TestNet = 0x98;
    /// <summary>Mijin network byte; addresses start with M.</summary>
    public const byte Mijin = 0x60;

    /// <summary>Decoded length: network byte, 20-byte hash, 4-byte checksum.</summary>
    public const int DecodedLength = 25;
    /// <summary>Encoded length in Base32 characters, without the dashes NEM wallets sometimes show.</summary>
    public const int EncodedLength = 40;
    /// <summary>Public key length in bytes.</summary>
    public const int PublicKeyLength = 32;

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>The address of <paramref name="publicKey"/> on the network given by <paramref name="networkByte"/>.</summary>
    public static string FromPublicKey(ReadOnlySpan<byte> publicKey, byte networkByte = MainNet)
    {
        if (publicKey.Length != PublicKeyLength)
            throw new ArgumentException($"A NEM public key has {PublicKeyLength} bytes, not {publicKey.Length}.", nameof(publicKey));
        Span<byte> sha = stackalloc byte[32];
        Keccak256(publicKey, sha);
        Span<byte> decoded = stackalloc byte[DecodedLength];
        decoded[0] = networkByte;
        var ripemd = new RipeMD160Digest();
        ripemd.BlockUpdate(sha);
        ripemd.DoFinal(decoded.Slice(1, 20));
        Keccak256(decoded[..21], sha);
        sha[..4].CopyTo(decoded[21..]);
        return Base32Encode(decoded);
    }

    /// <summary>The address of a hex public key as NIS1 JSON gives it in <c>signer</c>.</summary>
    public static bool TryFromPublicKeyHex(ReadOnlySpan<char> hex, byte networkByte, out string address)
    {
        address = "";
        if (hex.Length != PublicKeyLength * 2) return false;
        Span<byte> key = stackalloc byte[PublicKeyLength];
        if (Convert.FromHexString(hex, key, out _, out int written) != System.Buffers.OperationStatus.Done || written != PublicKeyLength)
            return false;
        address = FromPublicKey(key, networkByte);
        return true;
    }

    /// <summary>Writes the normalized (upper-case, no dashes) form of <paramref name="text"/> to <paramref name="normalized"/>
    /// and checks length, alphabet, network byte and checksum.</summary>
    /// <returns><see langword="false"/> with a reason when the address is not a valid NEM address.</returns>
    public static bool TryNormalize(ReadOnlySpan<char> text, Span<char> normalized, out string? reason)
    {
        int n = 0;
        foreach (char raw in text)
        {
            if (raw == '-') continue;
            if (n == EncodedLength) { reason = "longer than 40 Base32 characters"; return false; }
            char c = char.ToUpperInvariant(raw);
            if (Base32Alphabet.IndexOf(c) < 0) { reason = $"character '{raw}' is not Base32"; return false; }
            normalized[n++] = c;
        }
        if (n != EncodedLength) { reason = $"{n} Base32 characters, expected {EncodedLength}"; return false; }
        Span<byte> decoded = stackalloc byte[DecodedLength];
        Base32Decode(normalized[..EncodedLength], decoded);
        if (decoded[0] is not (MainNet or TestNet or Mijin)) { reason = $"unknown network byte 0x{decoded[0]:x2}"; return false; }
        Span<byte> sha = stackalloc byte[32];
        Keccak256(decoded[..21], sha);
        if (!sha[..4].SequenceEqual(decoded[21..])) { reason = "checksum mismatch"; return false; }
        reason = null;
        return true;
    }

    /// <summary>Pre-NIST Keccak-256 (NEM's "SHA3").</summary>
    public static void Keccak256(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(data);
        keccak.DoFinal(destination);
    }

    // RFC 4648 Base32 without padding, written by hand: .NET has no public Base32 codec and the 25-byte
    // NEM address is exactly 40 characters (200 bits), so no padding case arises.
    private static string Base32Encode(ReadOnlySpan<byte> data)
    {
        Span<char> chars = stackalloc char[EncodedLength];
        int bits = 0, value = 0, n = 0;
        foreach (byte b in data)
        {
            value = (value << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[n++] = Base32Alphabet[(value >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        return new string(chars[..n]);
    }

    private static void Base32Decode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        int bits = 0, value = 0, n = 0;
        foreach (char c in text)
        {
            value = (value << 5) | Base32Alphabet.IndexOf(c);
            bits += 5;
            if (bits >= 8)
            {
                destination[n++] = (byte)(value >> (bits - 8));
                bits -= 8;
            }
        }
    }
}
