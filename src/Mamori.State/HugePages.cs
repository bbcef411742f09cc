using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mamori.State;

/// <summary>
/// Arrays for the store's large tables, on transparent huge pages where Linux gives them on request.
/// </summary>
/// <remarks>
/// <para>The tables' entries and index are read at random: at a million accounts each lookup touches a page of its
/// own, and with 4 KiB pages the CPU's translation cache covers a few megabytes of hundreds. Under `perf`, replay's
/// engine thread stalled longest on its prefetches of entries, waiting for page walks (under a hypervisor, two walks
/// nested). With 2 MiB pages one translation covers 512 times as much (docs/BENCHMARKS.md, "Replay speed").</para>
/// <para>Linux's <c>madvise(MADV_HUGEPAGE)</c> is called through P/Invoke: .NET has no API for it. Where the kernel
/// offers huge pages only to memory that asks (<c>madvise</c>, Debian's and Ubuntu's default) or to all
/// (<c>always</c>), large arrays are allocated pinned (so the advised memory stays where it is), advised, then
/// cleared, which maps their pages. Elsewhere (<c>never</c>, other systems) they are ordinary arrays.</para>
/// </remarks>
internal static partial class HugePages
{
    /// <summary>A huge page on x86-64 and arm64 with 4 KiB base pages.</summary>
    public const int Size = 2 * 1024 * 1024;

    private const int AdviseDontNeed = 4;    // MADV_DONTNEED in <sys/mman.h>
    private const int AdviseHugePage = 14;   // MADV_HUGEPAGE

    /// <summary>Whether this process asks for huge pages: Linux, with transparent huge pages on request or always.</summary>
    public static bool Available { get; } = Detect();

    /// <summary>
    /// A zeroed array whose pages are already mapped, so that the thread that fills it does not wait for the kernel;
    /// on huge pages when <see cref="Available"/> and it spans at least two of them.
    /// </summary>
    public static T[] NewMapped<T>(int length) where T : unmanaged
    {
        if (!Available || (long)length * Unsafe.SizeOf<T>() < 2L * Size)
        {
            var plain = new T[length];
            Span<byte> bytes = MemoryMarshal.AsBytes(plain.AsSpan());
            for (int page = 0; page < bytes.Length; page += Environment.SystemPageSize) bytes[page] = 0;
            return plain;
        }
        // Uninitialized: the pinned heap may hand back memory that held another array, so it is cleared below, after
        // the advice, and the clearing maps the pages as huge ones.
        T[] array = GC.AllocateUninitializedArray<T>(length, pinned: true);
        Span<byte> memory = MemoryMarshal.AsBytes(array.AsSpan());
        Advise(memory);
        memory.Clear();
        return array;
    }

    /// <summary>Asks for huge pages under the whole 2 MiB pages inside <paramref name="memory"/>, whose content is
    /// about to be cleared (the kernel may still give small ones: it is advice).</summary>
    /// <remarks>Memory the pinned heap hands back may already be mapped on small pages, which the advice alone would
    /// leave as they are: they are dropped first, so that the clearing maps huge ones. Only pages wholly inside the
    /// array are touched.</remarks>
    private static unsafe void Advise(Span<byte> memory)
    {
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(memory));
        nint first = (start + Size - 1) & ~(nint)(Size - 1);
        nint end = (start + memory.Length) & ~(nint)(Size - 1);
        if (end <= first || s_noMadvise) return;
        try
        {
            _ = Madvise(first, (nuint)(end - first), AdviseDontNeed);
            _ = Madvise(first, (nuint)(end - first), AdviseHugePage);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_noMadvise = true;   // a C library by another name (musl): ordinary pages, cleared all the same
        }
    }

    private static bool s_noMadvise;

    private static bool Detect()
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess) return false;
        try
        {
            string mode = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled");
            return mode.Contains("[always]", StringComparison.Ordinal) || mode.Contains("[madvise]", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
