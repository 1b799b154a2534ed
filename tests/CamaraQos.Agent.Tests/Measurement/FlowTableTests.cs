using CamaraQos.Agent.Measurement;
using Xunit;
using static CamaraQos.Agent.Tests.Measurement.Frames;

namespace CamaraQos.Agent.Tests.Measurement;

public class FlowTableTests
{
    private static byte[] FromPort(ushort port) => Tcp(Device, port, Server, ServerPort, 1, 1, 10, null);

    [Fact]
    public void ANewFlowBeyondCapacityIsCountedAsUntrackedAndTheTableDoesNotGrow()
    {
        var r = new Recorder(options: new MeasurementOptions { FlowCapacity = 2, IdleTimeout = TimeSpan.FromSeconds(10) });

        r.At(0, FromPort(1)).At(1, FromPort(2)).At(2, FromPort(3)).At(3, FromPort(1));

        Assert.Equal(2, r.Engine.Flows);
        Assert.Equal(1, r.Engine.Untracked);
        Assert.Equal(0, r.Engine.Evicted);
    }

    [Fact]
    public void AnIdleFlowIsEvictedAndItsSlotServesANewFlow()
    {
        var r = new Recorder(options: new MeasurementOptions { FlowCapacity = 2, IdleTimeout = TimeSpan.FromSeconds(10) });

        r.At(0, FromPort(1)).At(9_000, FromPort(2)).At(10_500, FromPort(3));

        Assert.Equal(2, r.Engine.Flows);
        Assert.Equal(1, r.Engine.Evicted);
        Assert.Equal(0, r.Engine.Untracked);
        // Both live connections share (device, server, port), so they fold into one aggregate.
        Assert.Equal(2, Assert.Single(r.Engine.Collect(Ms(1_011_000))).PacketsUp);
    }

    [Fact]
    public void ManyFlowsThroughASmallTableAllocateNothingPerPacket()
    {
        var engine = new MeasurementEngine(new MeasurementOptions { FlowCapacity = 64, IdleTimeout = TimeSpan.FromMilliseconds(1) });
        var frames = Enumerable.Range(1, 256).Select(p => FromPort((ushort)p)).ToArray();
        for (var i = 0; i < frames.Length; i++)
        {
            engine.OnPacket(frames[i], Ms(i), CaptureSide.Single);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < frames.Length; i++)
        {
            engine.OnPacket(frames[i], Ms(1000 + i), CaptureSide.Single);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.InRange(engine.Flows, 1, 64);
    }

    [Fact]
    public void AnIdleTableHoldsOneSlotAndGrowsOnlyToTheMostFlowsSeenAtOnce()
    {
        var table = new FlowTable(new MeasurementOptions { FlowCapacity = 4096 });
        static FlowKey Key(ushort port) => new(1, port, 2, 443, CaptureSide.Single);

        Assert.Equal(1, table.Slots.Length);
        for (ushort port = 1; port <= 3; port++)
        {
            Assert.True(table.TryAdd(Key(port), deviceIsLow: true, now: 0, out _));
        }
        Assert.Equal(3, table.Slots.Length);
        Assert.Equal(3, table.EvictIdle(now: 100, idleTicks: 10));
        Assert.True(table.TryAdd(Key(7), deviceIsLow: true, now: 200, out var reused));
        Assert.True(table.TryAdd(Key(8), deviceIsLow: true, now: 200, out _));

        Assert.Equal(3, table.Slots.Length);
        Assert.True(table.TryGet(Key(7), out var found));
        Assert.Same(reused, found);
        Assert.Equal(Key(7), found.Key);
        Assert.False(table.TryGet(Key(1), out _));
    }

    [Fact]
    public void AFullTableMakesNoSlotBeyondItsCapacity()
    {
        var table = new FlowTable(new MeasurementOptions { FlowCapacity = 16 });

        var added = Enumerable.Range(1, 40).Count(p => table.TryAdd(new FlowKey(1, (ushort)p, 2, 443, CaptureSide.Single), true, 0, out _));

        Assert.Equal(16, added);
        Assert.Equal(16, table.Slots.Length);
        Assert.Equal(16, table.Count);
    }
}
