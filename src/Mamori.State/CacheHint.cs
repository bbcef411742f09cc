using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Mamori.State;

/// <summary>Cache hints for objects one thread wrote and another is about to read.</summary>
public static class CacheHint
{
    /// <summary>
    /// Starts loading the first two cache lines of <paramref name="instance"/>. Replay's parsing thread builds each
    /// attempt and the engine's thread reads it a batch later, by which time it has left the engine core's caches: the
    /// first read of its time was 5–6 % of that thread's samples (docs/BENCHMARKS.md, "Replay speed"). A hint: it
    /// changes nothing, and an object the collector moves meanwhile only makes it useless.
    /// </summary>
    /// <remarks>The object's address is taken from the reference itself, not through a field: a field's address costs
    /// the JIT's null check, a load of the object's first byte that waits for the very line being prefetched.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(object instance)
    {
        if (!Sse.IsSupported) return;
        byte* start = (byte*)Unsafe.As<object, nint>(ref instance);
        Sse.Prefetch0(start);
        Sse.Prefetch0(start + 64);
    }

    /// <summary>Starts loading the cache line where <paramref name="value"/> begins: an array's element another thread
    /// wrote (replay's rows and their keys, read a batch later on the engine's thread). A hint: it changes nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void PrefetchLine<T>(ref readonly T value)
    {
        if (!Sse.IsSupported) return;
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.AsRef(in value)));
    }
}
