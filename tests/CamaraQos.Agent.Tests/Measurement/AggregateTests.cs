using CamaraQos.Agent.Measurement;
using Xunit;
using static CamaraQos.Agent.Tests.Measurement.Frames;

namespace CamaraQos.Agent.Tests.Measurement;

public class AggregateTests
{
    [Fact]
    public void PercentilesOfAHundredSamplesAreWithinTheBucketWidthAndMaxIsExact()
    {
        var histogram = new RttHistogram();
        for (var ms = 1; ms <= 100; ms++)
        {
            histogram.Add(Ms(ms));
        }

        Assert.Equal(100, histogram.Samples);
        Assert.InRange(histogram.PercentileMs(0.50), 50 * 0.955, 50 * 1.045);
        Assert.InRange(histogram.PercentileMs(0.95), 95 * 0.955, 95 * 1.045);
        Assert.Equal(100.0, histogram.MaxTicks / (double)TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public void ACollectedFlowHasItsHalvesCountsAndThroughputThenANewIntervalStarts()
    {
        var r = new Recorder()
            .At(0, Up(1000, 5000, payload: 100, ts: (100, 900)))
            .At(30, Down(5000, 1100, payload: 1000, ts: (901, 100)))
            .At(32, Up(1100, 6000, ts: (101, 901)))
            .At(1000, Up(1100, 6000, payload: 100, ts: (102, 901)))
            .At(1040, Down(6000, 1200, ts: (902, 102)));

        var flow = Assert.Single(r.Engine.Collect(Ms(1_002_000)));

        Assert.Equal(("192.168.1.10", "203.0.113.5", 443, "Tcp"), (flow.Device, flow.Server, flow.ServerPort, flow.Protocol));
        Assert.Equal(2, flow.WanRttMs!.Samples);
        Assert.InRange(flow.WanRttMs.Max, 40, 40);
        Assert.InRange(flow.WanRttMs.P50, 30 * 0.955, 30 * 1.045);
        Assert.Equal(1, flow.LanRttMs!.Samples);
        Assert.Equal(2.0, flow.LanRttMs.Max);
        Assert.Equal((3L, 2L), (flow.PacketsUp, flow.PacketsDown));
        Assert.Equal((3 * 52L + 200, 2 * 52L + 1000), (flow.BytesUp, flow.BytesDown));
        // Throughput is goodput: payload only (1000 bytes down, 200 up) over the 2 s since the first packet.
        Assert.Equal((200 * 8 / 1000.0 / 2.0, 1000 * 8 / 1000.0 / 2.0), (flow.ThroughputUpKbps, flow.ThroughputDownKbps));
        Assert.Equal(0, flow.Retransmissions);
        Assert.Empty(r.Engine.Collect(Ms(1_003_000)));
    }

    [Fact]
    public void JitterFollowsRttVariationAsRfc3550Smooths()
    {
        var r = new Recorder();
        double[] rtts = [10, 30, 10, 30];
        for (var i = 0; i < rtts.Length; i++)
        {
            var t = i * 100.0;
            r.At(t, Up((uint)(1000 + i * 100), 5000, payload: 100, ts: ((uint)(100 + i), 900)))
             .At(t + rtts[i], Down(5000, (uint)(1100 + i * 100), ts: (900, (uint)(100 + i))));
        }

        var flow = Assert.Single(r.Engine.Collect(Ms(1_001_000)));

        // Three differences of 20 ms: J = 20/16, then + (20 − J)/16, twice more.
        var j = 0.0;
        for (var i = 0; i < 3; i++)
        {
            j += (20 - j) / 16;
        }
        Assert.Equal(j, flow.JitterMs!.Value, 6);
    }

    [Fact]
    public void TheLanAndWanSightingsOfOneConnectionMergeWithoutCountingBytesTwice()
    {
        IpPrefix.TryParse("192.168.1.0/24", out var lan);
        var engine = new MeasurementEngine(new MeasurementOptions { LanPrefixes = [lan!.Value] });
        var (data, echo, ack) = (Up(1000, 5000, payload: 100, ts: (100, 900)), Down(5000, 1100, ts: (901, 100)), Up(1100, 5000, ts: (101, 901)));
        engine.OnPacket(data, Ms(0), CaptureSide.Lan);
        engine.OnPacket(data, Ms(0.1), CaptureSide.Wan);
        engine.OnPacket(echo, Ms(20), CaptureSide.Wan);
        engine.OnPacket(echo, Ms(20.1), CaptureSide.Lan);
        engine.OnPacket(ack, Ms(21.1), CaptureSide.Lan);
        engine.OnPacket(ack, Ms(21.2), CaptureSide.Wan);

        var flow = Assert.Single(engine.Collect(Ms(1000)));

        Assert.Equal(19.9, flow.WanRttMs!.Max, 6);
        Assert.Equal(1.0, flow.LanRttMs!.Max, 6);
        Assert.Equal((2L, 1L), (flow.PacketsUp, flow.PacketsDown));
    }
}
