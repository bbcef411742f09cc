using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Mamori;

/// <summary>
/// Stable 64-bit hashes for signal keys. Stable across processes and machines (unlike string.GetHashCode),
/// so snapshots, replays and several nodes on one Redis agree on every key.
/// </summary>
internal static class Hashing
{
    /// <summary>XxHash3 of a string's UTF-16 code units, with a domain seed so equal strings in different roles differ.</summary>
    public static ulong Of(string? value, ulong domain)
    {
        if (value is null) return 0;
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(value.AsSpan()), (long)domain) | 1UL;   // 0 means "absent"
    }

    /// <summary>XxHash3 of raw bytes with a domain seed.</summary>
    public static ulong Of(ReadOnlySpan<byte> value, ulong domain) => XxHash3.HashToUInt64(value, (long)domain) | 1UL;

    /// <summary>Hash of a string, case-folded for ASCII (account ids and countries compare case-insensitively).</summary>
    public static ulong OfFolded(string value, ulong domain)
    {
        Span<char> buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            buffer[i] = c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
        }
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes((ReadOnlySpan<char>)buffer), (long)domain) | 1UL;
    }

    /// <summary>The word and bit for <paramref name="hash"/> (well mixed: its top bits) in a bit filter of
    /// 2^<paramref name="bits"/> bits held as <c>ulong</c> words: the campaign tracker's sprayed secrets, replay's
    /// watched addresses.</summary>
    public static (int Word, ulong Bit) FilterSlot(ulong hash, int bits)
    {
        int slot = (int)(hash >> (64 - bits));
        return (slot >> 6, 1UL << (slot & 63));
    }

    /// <summary>SplitMix64 finaliser: spreads a value's bits (used to derive hashes from hashes).</summary>
    /// <remarks>Inlined always: the store's observations and the population sketch call it dozens of times an event,
    /// and in their large methods the JIT's inlining budget ran out before it.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30; x *= 0xbf58476d1ce4e5b9UL;
        x ^= x >> 27; x *= 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }

    /// <summary>Combines two hashes into one key.</summary>
    public static ulong Combine(ulong a, ulong b) => Mix(a * 0x9E3779B97F4A7C15UL ^ b) | 1UL;

    /// <summary>Domain of tenant ids in every key that carries one.</summary>
    public const ulong TenantDomain = 0x7465;

    /// <summary>The scope key of a tenant's campaigns; the default tenant (null) is a scope of its own.</summary>
    public static ulong TenantScope(string? tenant) => Of(tenant ?? "", TenantDomain);

    internal static readonly UTF8Encoding Utf8 = new(false);
}
