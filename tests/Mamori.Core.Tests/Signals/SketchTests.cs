using Mamori.Signals;
using Mamori.State;

namespace Mamori.Core.Tests.Signals;

public sealed class SketchTests
{
    [Theory]
    [InlineData(1_000)]
    [InlineData(100_000)]
    [InlineData(2_000_000)]
    public void HyperLogLog_EstimatesDistinctCountWithinFourPercent(int distinct)
    {
        byte[] registers = new byte[1 << HyperLogLog.DefaultPrecision];
        for (int i = 0; i < distinct; i++)
        {
            HyperLogLog.AddHash(registers, HyperLogLog.DefaultPrecision, (ulong)i * 0x9E3779B97F4A7C15UL);
            HyperLogLog.AddHash(registers, HyperLogLog.DefaultPrecision, (ulong)i * 0x9E3779B97F4A7C15UL);   // duplicates do not count
        }
        long estimate = HyperLogLog.Estimate(registers, HyperLogLog.DefaultPrecision);
        Assert.InRange(estimate, distinct * 0.96, distinct * 1.04);
    }

    [Fact]
    public void HyperLogLog_OfNothing_IsZero() =>
        Assert.Equal(0, HyperLogLog.Estimate(new byte[1 << 12], 12));

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(60)]
    public void LinearCounter128_IsAccurateAroundTheThresholds(int distinct)
    {
        ulong low = 0, high = 0;
        for (int i = 0; i < distinct; i++) LinearCounter.Add(ref low, ref high, (ulong)(i + 1) * 0x2545F4914F6CDD1DUL);
        int estimate = LinearCounter.Estimate(low, high);
        Assert.InRange(estimate, distinct * 0.75, distinct * 1.25 + 1);
    }

    [Fact]
    public void LinearCounter64_SaturatesInsteadOfOverflowing()
    {
        ulong map = 0;
        for (int i = 0; i < 10_000; i++) map = LinearCounter.Add(map, (ulong)i * 31 + 7);
        Assert.Equal(ulong.MaxValue, map);
        Assert.True(LinearCounter.Estimate(map) >= 200);
    }

    [Fact]
    public void CountMin_NeverUnderestimates_AndStaysCloseForHeavyHitters()
    {
        var sketch = new CountMinSketch(widthBits: 12);
        for (int i = 0; i < 50_000; i++) sketch.Add((ulong)(i % 5_000) + 1);
        for (int i = 0; i < 7_000; i++) sketch.Add(424242);
        Assert.InRange(sketch.Estimate(424242), 7_000u, 7_300u);
        for (ulong k = 1; k <= 5_000; k += 97) Assert.True(sketch.Estimate(k) >= 10);
    }

    [Fact]
    public void CountMin_OnStorageItsOwnerGives_CountsInThatStorage_AndRefusesTheWrongSize()
    {
        var cells = new uint[CountMinSketch.CellCount(12)];
        var sketch = new CountMinSketch(widthBits: 12, cells);
        for (int i = 0; i < 3; i++) sketch.Add(77);
        Assert.Equal(3u, sketch.Estimate(77));
        Assert.Same(cells, sketch.Cells);
        Assert.Equal(CountMinSketch.Depth * 3L, cells.Sum(c => (long)c));   // one cell a row, three times
        ArgumentException error = Assert.Throws<ArgumentException>(() => new CountMinSketch(widthBits: 12, new uint[1000]));
        Assert.Contains("16384 cells, not 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountMin_ValuesSharingARememberedSlot_KeepTheirOwnCellsAndCounts()
    {
        var sketch = new CountMinSketch(widthBits: 12);
        // The cells of recent values are remembered by the hash's top byte: these pairs share a slot, and 0 is the
        // value every slot starts with.
        ulong[] hashes = [0, 2, 0x00FF_0000_0000_0001, 0xAB00_0000_0000_0000, 0xAB00_0000_0000_0001, 0xABCD_EF01_2345_6789];
        Span<int> cells = stackalloc int[4];
        for (int round = 0; round < 3; round++)
        {
            foreach (ulong hash in hashes)
            {
                sketch.CellsOf(hash, cells);
                ulong h = hash;
                for (int row = 0; row < 4; row++) Assert.Equal(CountMinSketch.Cell(ref h, row, 12), cells[row]);
            }
        }
        for (int i = 0; i < 5; i++)
        {
            sketch.Add(0xAB00_0000_0000_0000);
            if (i < 3) sketch.Add(0xAB00_0000_0000_0001);
        }
        Assert.Equal(5u, sketch.Estimate(0xAB00_0000_0000_0000));
        Assert.Equal(3u, sketch.Estimate(0xAB00_0000_0000_0001));
        Assert.Equal(0u, sketch.Estimate(0));
    }

    [Fact]
    public void SpaceSaving_KeepsTheHeavyHitters()
    {
        var top = new SpaceSaving<string>(4);
        for (int i = 0; i < 1000; i++) top.Add("heavy");
        for (int i = 0; i < 500; i++) top.Add("second");
        for (int i = 0; i < 200; i++) top.Add("noise" + i);
        IReadOnlyList<(string Item, long Count)> result = top.Top(2);
        Assert.Equal("heavy", result[0].Item);
        Assert.True(result[0].Count >= 1000);
    }

    [Fact]
    public void KeyedTable_WhenFull_EvictsTheColdestAndStaysBounded()
    {
        var table = new KeyedTable<SourceState>(capacity: 1_000);
        for (uint i = 1; i <= 10_000; i++)
        {
            ref SourceState s = ref table.GetOrAdd(i, out _);
            s.LastSeen = i;
        }
        Assert.Equal(1_000, table.Count);
        Assert.Equal(9_000, table.Evictions);
        // Recent keys survive far more often than old ones.
        int recent = Enumerable.Range(9_001, 1_000).Count(k => !System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.Find((ulong)k)));
        int old = Enumerable.Range(1, 1_000).Count(k => !System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.Find((ulong)k)));
        Assert.True(recent > 5 * Math.Max(1, old), $"recent {recent}, old {old}");
    }
}

public sealed class KeyedTableTests
{
    [Fact]
    public void AnEvictionCountsAsLive_OnlyWhenTheVictimWasSeenSinceLiveSince()
    {
        // Every entry last seen at minute 5, so whichever the eviction picks, its age is known.
        var table = new Mamori.State.KeyedTable<Mamori.State.SourceState>(capacity: 10);
        for (ulong k = 1; k <= 10; k++) table.GetOrAdd(k, out _).LastSeen = 5;

        table.GetOrAdd(11, out _).LastSeen = 5;   // LiveSince 0 (the default): every eviction loses live history
        table.LiveSince = 5;
        table.GetOrAdd(12, out _).LastSeen = 5;   // seen at 5, live from 5: still in use
        table.LiveSince = 6;
        table.GetOrAdd(13, out _).LastSeen = 5;   // seen before 6: expired, nothing lost

        Assert.Equal(3, table.Evictions);
        Assert.Equal(2, table.LiveEvictions);
    }

    [Fact]
    public void Prefetch_OfPresentAndAbsentKeys_ChangesNothing()
    {
        var table = new Mamori.State.KeyedTable<Mamori.State.SourceState>(capacity: 3_000);
        for (uint k = 1; k <= 2_000; k++) table.GetOrAdd(k * 7919, out _).LastSeen = k;
        var before = table.Entries().ToArray();

        for (uint k = 0; k <= 4_000; k++)
        {
            table.Prefetch(k * 7919, entry: false);
            table.Prefetch(k * 7919, entry: true);
        }

        Assert.Equal(before, table.Entries().ToArray());
        Assert.Equal(2_000, table.Count);
    }

    [Fact]
    public void Prefetch_LoadsTheKeysOwnEntry_EvenWhenItSitsPastItsHomeWord()
    {
        // Full: many keys sit past their home word, whose entry is another key's. The entry the prefetch loads must
        // be the key's own whenever it names one, for all but the rare key more than eight words down its chain,
        // and none for absent keys (the tags here are 22 bits, so no absent key of these shares one by chance).
        var table = new Mamori.State.KeyedTable<Mamori.State.SourceState>(capacity: 1_000);
        for (uint k = 1; k <= 1_000; k++) table.GetOrAdd(k * 0x9E3779B9UL, out _).LastSeen = k;
        int found = 0, pastHome = 0;
        for (uint k = 1; k <= 1_000; k++)
        {
            ulong key = k * 0x9E3779B9UL;
            int slot = table.LikelySlot(key);
            if (slot < 0) continue;
            Assert.Equal(key, table.KeyAt(slot));
            found++;
            if (slot != table.HomeSlot(key)) pastHome++;
        }
        Assert.True(found >= 990, $"{found} of 1,000 keys found");
        Assert.True(pastHome > 100, $"only {pastHome} keys past their home word: the test does not test the chain");
        for (uint k = 1_001; k <= 3_000; k++) Assert.Equal(-1, table.LikelySlot(k * 0x9E3779B9UL));
    }

    [Fact]
    public void CapacitiesAroundPowersOfTwo_FindEveryKey()
    {
        // An index word splits into the entry's number (as many bits as the capacity needs) and a tag (the rest):
        // capacities around powers of two move that split by one bit either way.
        foreach (int capacity in new[] { 1, 2, 3, 4, 1_023, 1_024, 1_025 })
        {
            var table = new Mamori.State.KeyedTable<Mamori.State.SourceState>(capacity);
            for (uint k = 1; k <= (uint)capacity; k++) table.GetOrAdd(k * 0x9E3779B9UL, out _).LastSeen = k;
            for (uint k = 1; k <= (uint)capacity; k++)
                Assert.Equal(k, table.Find(k * 0x9E3779B9UL).LastSeen);
            Assert.True(System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.Find(0xDEAD_BEEF_0000_0001UL)));
        }
    }

    [Fact]
    public void ManyInsertsAndEvictions_EveryLiveKeyStaysFindableWithItsValue()
    {
        var table = new Mamori.State.KeyedTable<Mamori.State.SourceState>(capacity: 5_000);
        var live = new Dictionary<ulong, uint>();
        var random = new Random(7);
        for (uint step = 1; step <= 60_000; step++)
        {
            ulong key = (ulong)random.Next(1, 20_000);
            ref Mamori.State.SourceState s = ref table.GetOrAdd(key, out _);
            s.LastSeen = step;
            live[key] = step;
        }
        Assert.Equal(5_000, table.Count);
        int found = 0;
        foreach ((ulong key, uint seen) in live)
        {
            ref Mamori.State.SourceState s = ref table.Find(key);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref s)) continue;
            Assert.Equal(seen, s.LastSeen);
            found++;
        }
        Assert.Equal(5_000, found);
        Assert.Equal(table.Count, table.Entries().Select(e => e.Key).Distinct().Count());
    }

    [Theory]
    [InlineData(1_000, 4)]    // chunks of 16 from the start; the last of 63 is short
    [InlineData(5_000, 11)]   // the first chunk doubles 1,024 -> 2,048, then chunks of 2,048 and a short one
    public void SmallChunks_GrowWithoutMovingEntries_AndEvictAcrossChunks(int capacity, int chunkBits)
    {
        var table = new Mamori.State.KeyedTable<Mamori.State.SourceState>(capacity, chunkBits);
        int hint = -1;
        ref Mamori.State.SourceState first = ref table.GetOrAdd(42, out bool added, ref hint);
        Assert.True(added);
        first.LastSeen = 1;
        int firstSlot = hint;
        for (uint k = 1; k < capacity; k++) table.GetOrAdd(1_000_000 + k, out _).LastSeen = k + 1;

        Assert.Equal(capacity, table.Count);
        Assert.Equal(0, table.Evictions);
        // The first entry stayed where it was written: its hint still finds it after every chunk was added.
        int again = firstSlot;
        Assert.Equal(1u, table.Find(42, ref again).LastSeen);
        Assert.Equal(firstSlot, again);
        for (uint k = 1; k < capacity; k++) Assert.Equal(k + 1, table.Find(1_000_000 + k).LastSeen);

        for (uint k = 0; k < 3 * capacity; k++)
        {
            table.Prefetch(k, entry: false);
            table.Prefetch(1_000_000 + k, entry: true);
        }
        // A tenth: eviction samples eight entries, and only when all eight are new keys can a new key go, which a
        // tenth of new keys makes as good as impossible (with half, the 5,000-entry table lost one).
        int evicting = capacity / 10;
        for (uint k = 1; k <= evicting; k++) table.GetOrAdd(5_000_000 + k, out _).LastSeen = 10_000 + k;

        Assert.Equal(capacity, table.Count);
        Assert.Equal(evicting, table.Evictions);
        Assert.Equal(capacity, table.Entries().Select(e => e.Key).Distinct().Count());
        for (uint k = 1; k <= evicting; k++) Assert.Equal(10_000 + k, table.Find(5_000_000 + k).LastSeen);
    }
    [Fact]
    public void PrepareGrowth_ReadiesTheNextChunkOnlyNearTheBoundary_AndTheGrowthTakesIt()
    {
        var table = new Mamori.State.KeyedTable<Mamori.State.SourceState>(1_000, chunkBits: 4);   // chunks of 16
        for (uint k = 1; k <= 7; k++) table.GetOrAdd(k, out _).LastSeen = k;
        table.PrepareGrowth();
        Assert.False(table.HasSpareChunk);   // 7 of 16: more than half a chunk to go

        table.GetOrAdd(8, out _).LastSeen = 8;
        table.PrepareGrowth();
        Assert.True(table.HasSpareChunk);
        table.PrepareGrowth();   // one spare at a time
        Assert.True(table.HasSpareChunk);

        for (uint k = 9; k <= 17; k++) table.GetOrAdd(k, out _).LastSeen = k;   // the 17th needs the second chunk
        Assert.False(table.HasSpareChunk);
        for (uint k = 1; k <= 17; k++) Assert.Equal(k, table.Find(k).LastSeen);
    }

    [Fact]
    public void PrepareGrowth_AtCapacity_DoesNothing()
    {
        var table = new Mamori.State.KeyedTable<Mamori.State.SourceState>(32, chunkBits: 4);
        for (uint k = 1; k <= 40; k++) table.GetOrAdd(k, out _).LastSeen = k;
        table.PrepareGrowth();
        Assert.False(table.HasSpareChunk);
        Assert.Equal(32, table.Count);
    }

    [Fact]
    public async Task PrepareGrowth_FromAnotherThreadWhileTheTableFills_LosesNoEntry()
    {
        // The owner fills a table of many small chunks while a second thread readies chunks as fast as it can: whatever
        // the interleaving, every key keeps its value and no entry is written to a chunk that is not in the table.
        const int capacity = 20_000;
        var table = new Mamori.State.KeyedTable<Mamori.State.SourceState>(capacity, chunkBits: 5);
        using var done = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task helper = Task.Factory.StartNew(() =>
        {
            started.SetResult();
            while (!done.IsCancellationRequested) table.PrepareGrowth();
        }, TaskCreationOptions.LongRunning);
        await started.Task;   // the helper is running before the table starts to fill
        for (uint k = 1; k <= capacity; k++) table.GetOrAdd(k * 7919, out _).LastSeen = k;
        await done.CancelAsync();
        await helper;

        Assert.Equal(capacity, table.Count);
        Assert.Equal(0, table.Evictions);
        for (uint k = 1; k <= capacity; k++) Assert.Equal(k, table.Find(k * 7919).LastSeen);
        Assert.Equal(capacity, table.Entries().Count(e => e.Value.LastSeen != 0));
    }
}
