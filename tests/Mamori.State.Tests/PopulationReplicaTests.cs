using System.Buffers.Binary;
using Mamori.State.Redis;

namespace Mamori.State.Tests;

/// <summary>A node's copy of the population: its own additions at once, Redis's after a sync, nothing lost by a failed one.</summary>
public sealed class PopulationReplicaTests
{
    private static long Read(PopulationReplica replica, int cell)
    {
        Span<long> value = stackalloc long[1];
        replica.Read([cell], value);
        return value[0];
    }

    /// <summary>The sketch as Redis keeps it: big-endian uint32 cells, as long as the highest cell written.</summary>
    private static byte[] Sketch(params (int Cell, uint Value)[] cells)
    {
        var bytes = new byte[(cells.Max(c => c.Cell) + 1) * sizeof(uint)];
        foreach ((int cell, uint value) in cells) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(cell * sizeof(uint)), value);
        return bytes;
    }

    [Fact]
    public void AdditionsAreReadAtOnce_SentOnceInTheNextSync_AndKeptOnTopOfWhatRedisReturns()
    {
        var replica = new PopulationReplica();
        replica.Add([7, 7, 900]);
        Assert.Equal(2, Read(replica, 7));

        Assert.True(replica.TryBeginSync(now: 0, interval: 100, out List<(int Cell, uint Count)> sent));
        Assert.Equal([(7, 2u), (900, 1u)], sent.OrderBy(a => a.Cell));
        replica.Add([7]);   // while the sync is in flight
        Assert.False(replica.TryBeginSync(now: 1_000, interval: 100, out _));   // one at a time

        replica.EndSync(Sketch((7, 12), (900, 5), (3, 40)));   // another node added 10, 4 and 40 meanwhile
        Assert.Equal(13, Read(replica, 7));   // Redis's 12 and the addition made during the sync
        Assert.Equal(5, Read(replica, 900));
        Assert.Equal(40, Read(replica, 3));
        Assert.True(replica.Loaded);

        Assert.False(replica.TryBeginSync(now: 50, interval: 100, out _));   // not due yet
        Assert.True(replica.TryBeginSync(now: 100, interval: 100, out sent));
        Assert.Equal([(7, 1u)], sent);   // the addition made during the last sync, sent with this one
    }

    [Fact]
    public void AFailedSync_PutsItsAdditionsBack_ForTheNextOne()
    {
        var replica = new PopulationReplica();
        replica.Add([5, 6]);
        Assert.True(replica.TryBeginSync(0, 100, out List<(int Cell, uint Count)> first));
        replica.Add([6]);
        replica.FailSync(first);

        Assert.True(replica.TryBeginSync(1, 100, out List<(int Cell, uint Count)> second));   // due again at once
        Assert.Equal([(5, 1u), (6, 2u)], second.OrderBy(a => a.Cell));
        Assert.Equal(2, Read(replica, 6));   // the copy never lost them
        Assert.False(replica.Loaded);
    }

    [Fact]
    public void Cells_SaturateAsBitfieldDoes_AndAnEmptySketchReadsAsZeros()
    {
        var replica = new PopulationReplica();
        Assert.True(replica.TryBeginSync(0, 1, out _));
        replica.EndSync(Sketch((PopulationReplica.Cells - 1, uint.MaxValue)));
        replica.Add([PopulationReplica.Cells - 1]);
        Assert.Equal(uint.MaxValue, Read(replica, PopulationReplica.Cells - 1));
        Assert.True(replica.TryBeginSync(1, 1, out _));
        replica.EndSync(default);   // the key does not exist (a flushed server)
        Assert.Equal(0, Read(replica, PopulationReplica.Cells - 1));
    }
}
