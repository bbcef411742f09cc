using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Mamori.Events;

namespace Mamori.Simulation;

/// <summary>Computes secret fingerprints the way a caller does (docs/api.md, <c>secret_fp</c>), with a fixed simulation pepper.</summary>
/// <remarks>
/// HMAC-SHA256(pepper, secret) truncated to its first 8 bytes, read big-endian, so the 16 hex digits in the log
/// are the first 16 hex digits of the full HMAC. The same secret gives the same fingerprint in every event and
/// every run, which is what lets a spray of "123456" collide with a real user whose password is "123456".
/// The pepper is public: simulated secrets are not secret.
/// </remarks>
internal static class SecretFingerprints
{
    /// <summary>The simulation's pepper (public; only for synthetic data).</summary>
    public static ReadOnlySpan<byte> Pepper => "mamori-simulation-pepper-v1"u8;

    /// <summary>The fingerprint of a secret.</summary>
    public static SecretFingerprint Of(string secret)
    {
        Span<byte> input = secret.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(secret.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        int length = Encoding.UTF8.GetBytes(secret, input);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Pepper, input[..length], mac);
        return new SecretFingerprint(BinaryPrimitives.ReadUInt64BigEndian(mac));
    }
}
