using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Mamori.State;

/// <summary>Cache hints for objects one thread wrote and another is about to read.</summary>
public static class CacheHint
{
    /// <summary>
    /// Starts loading the cache lines of the first <paramref name="bytes"/> bytes of <paramref name="instance"/>'s fields.
    /// Replay's parsing thread builds each attempt and the engine's thread reads it a batch later, by which time it has
    /// left the engine core's caches: the first read of its time was 5–6 % of that thread's samples
    /// (docs/BENCHMARKS.md, "Replay speed"). A hint: it changes nothing, and an object the collector moves meanwhile
    /// only makes it useless.
    /// </summary>
    /// <remarks>
    /// <para>The object's address is taken from the reference itself, not through a field: a field's address costs
    /// the JIT's null check, a load of the object's first byte that waits for the very line being prefetched.</para>
    /// <para>Every line the fields reach, the last included: an object of 96 bytes starts anywhere in a line, so it
    /// spans three lines as often as two.</para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(object instance, int bytes)
    {
        if (!Sse.IsSupported) return;
        PrefetchSpan((byte*)Unsafe.As<object, nint>(ref instance), bytes);
    }

    /// <summary>Starts loading the cache lines of <paramref name="value"/>: an array's element another thread wrote
    /// (replay's rows and their keys, read a batch later on the engine's thread). A hint: it changes nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(ref readonly T value)
    {
        if (!Sse.IsSupported) return;
        PrefetchSpan((byte*)Unsafe.AsPointer(ref Unsafe.AsRef(in value)), Unsafe.SizeOf<T>());
    }

    /// <summary>Every line of <c>[start, start + bytes)</c>: one a line from the first, then the last byte's, which
    /// the steps of 64 miss when the span does not start at a line's start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchSpan(byte* start, int bytes)
    {
        for (int offset = 0; offset < bytes; offset += 64) Sse.Prefetch0(start + offset);
        Sse.Prefetch0(start + bytes - 1);
    }
}
