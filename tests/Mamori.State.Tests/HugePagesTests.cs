using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mamori.State;

namespace Mamori.State.Tests;

public sealed class HugePagesTests
{
    private const int Large = 8 * 1024 * 1024;

    [Fact]
    public void NewMapped_IsZeroed_EvenWhereThePinnedHeapHeldAnotherArray()
    {
        // Large arrays come uninitialized from the pinned heap, which hands back the memory of pinned arrays that died.
        for (int round = 0; round < 3; round++)
        {
            FillAndDropPinnedArrays();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            ulong[] large = HugePages.NewMapped<ulong>(Large / sizeof(ulong));
            Assert.Equal(Large / sizeof(ulong), large.Length);
            Assert.False(large.AsSpan().ContainsAnyExcept(0UL), $"round {round}: a large array held old data");
        }
        uint[] small = HugePages.NewMapped<uint>(1000);
        Assert.Equal(1000, small.Length);
        Assert.False(small.AsSpan().ContainsAnyExcept(0u));

        [MethodImpl(MethodImplOptions.NoInlining)]
        static void FillAndDropPinnedArrays()
        {
            for (int i = 0; i < 4; i++)
            {
                ulong[] dirty = GC.AllocateUninitializedArray<ulong>(Large / sizeof(ulong), pinned: true);
                dirty.AsSpan().Fill(ulong.MaxValue);
            }
        }
    }

    [SkippableFact]
    public void NewMapped_LargeArrays_LieOnHugePages_WhereLinuxGivesThemOnRequest()
    {
        Skip.IfNot(HugePages.Available, "this machine gives no transparent huge pages on request (/sys/kernel/mm/transparent_hugepage/enabled is never, or not Linux)");
        byte[] array = HugePages.NewMapped<byte>(4 * HugePages.Size);
        GCHandle pin = GCHandle.Alloc(array, GCHandleType.Pinned);
        long hugeKb;
        try
        {
            // The advice covers the whole 2 MiB pages inside the array, from the first huge page boundary in it: the
            // kernel keeps them as a mapping of their own.
            nint firstWhole = (pin.AddrOfPinnedObject() + HugePages.Size - 1) & ~(nint)(HugePages.Size - 1);
            hugeKb = AnonHugePagesKbAround(firstWhole);
        }
        finally
        {
            pin.Free();
        }
        // Three whole 2 MiB pages lie inside the array (four less the ends); the kernel may refuse some when memory is
        // fragmented, but not all.
        Assert.True(hugeKb >= 2048, $"the mapping holding the array's whole 2 MiB pages has {hugeKb} kB on huge pages");
    }

    [Fact]
    public void EveryTablesChunks_HoldAtLeastTheTarget_SoMostOfEachLiesOnWholeHugePages()
    {
        // A chunk of 1.4 MB (the source records' at 16,384 entries) held no whole 2 MiB page, and stayed on small pages.
        AssertChunk<AccountRecord>();
        AssertChunk<SourceState>();
        AssertChunk<SecretState>();

        static void AssertChunk<T>() where T : unmanaged, ILastSeen
        {
            long bytes = (long)new KeyedTable<T>(capacity: 10).ChunkSize * Unsafe.SizeOf<KeyedTable<T>.Entry>();
            Assert.InRange(bytes, KeyedTable<T>.ChunkTargetBytes, 2L * KeyedTable<T>.ChunkTargetBytes - 1);
        }
    }

    [SkippableFact]
    public void TheFirstChunk_OnceFull_LiesOnHugePages_AsTheLaterOnesDo()
    {
        // The first chunk grows from a thousand entries by doubling; it was resized as an ordinary array, so a table's
        // first 131,072 sources stayed on small pages whatever came after.
        Skip.IfNot(HugePages.Available, "this machine gives no transparent huge pages on request (/sys/kernel/mm/transparent_hugepage/enabled is never, or not Linux)");
        var table = new KeyedTable<SourceState>(capacity: 1_000_000);
        for (ulong key = 1; key <= (ulong)table.ChunkSize; key++) table.GetOrAdd(key * 0x9E3779B97F4A7C15UL, out _);
        KeyedTable<SourceState>.Entry[] chunk = table.Chunk(0)!;
        Assert.Equal(table.ChunkSize, chunk.Length);
        GCHandle pin = GCHandle.Alloc(chunk, GCHandleType.Pinned);
        long hugeKb;
        try
        {
            hugeKb = AnonHugePagesKbAround((pin.AddrOfPinnedObject() + HugePages.Size - 1) & ~(nint)(HugePages.Size - 1));
        }
        finally
        {
            pin.Free();
        }
        Assert.True(hugeKb >= 2048, $"the mapping holding the first chunk's whole 2 MiB pages has {hugeKb} kB on huge pages");
    }

    /// <summary>The <c>AnonHugePages</c> of the mapping in <c>/proc/self/smaps</c> that holds <paramref name="address"/>.</summary>
    private static long AnonHugePagesKbAround(nint address)
    {
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end))
            {
                inside = (ulong)address >= start && (ulong)address < end;
                continue;
            }
            if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                return long.Parse(line["AnonHugePages:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
        }
        return 0;
    }
}
