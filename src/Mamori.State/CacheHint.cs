using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Mamori.State;

/// <summary>Cache hints for objects one thread wrote and another is about to read.</summary>
public static class CacheHint
{
    /// <summary>
    /// Starts loading the first two cache lines of <paramref name="instance"/>. Replay's parsing thread builds each
    /// attempt and the engine's thread reads it a batch later, by which time it has left the engine core's caches: the
    /// first read of its time was 3–6 % of that thread's samples (docs/BENCHMARKS.md, "Replay speed"). A hint: it
    /// changes nothing, and an object the collector moves meanwhile only makes it useless.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(object instance)
    {
        if (!Sse.IsSupported) return;
        byte* start = (byte*)Unsafe.AsPointer(ref Unsafe.As<RawObject>(instance).Data);
        Sse.Prefetch0(start);
        Sse.Prefetch0(start + 64);
    }

    /// <summary>Any object's first field: where its data begins.</summary>
    private sealed class RawObject
    {
#pragma warning disable CS0649 // never written: only its address is taken
        public byte Data;
#pragma warning restore CS0649
    }
}
