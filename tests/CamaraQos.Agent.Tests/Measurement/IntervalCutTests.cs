using CamaraQos.Agent.Measurement;
using Xunit;
using static CamaraQos.Agent.Tests.Measurement.Frames;

namespace CamaraQos.Agent.Tests.Measurement;

/// <summary>
/// A report's interval ends by capture time: what the kernel stamped before the end counts in it, even
/// when the capture reads it late (a busy agent), and the first packet stamped after the end makes the cut.
/// </summary>
public class IntervalCutTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch.AddSeconds(1_000_000);

    private static LiveCapture Capture()
    {
        IpPrefix.TryParse("192.168.1.0/24", out var lan);
        var capture = new LiveCapture(new MeasurementEngine(new MeasurementOptions { LanPrefixes = [lan!.Value] }));
        capture.Collect(Start);
        return capture;
    }

    private static long At(double ms) => (Start - DateTimeOffset.UnixEpoch).Ticks + Ms(ms);

    [Fact]
    public async Task APacketStampedBeforeTheEndButReadAfterItCountsInTheEndingInterval()
    {
        using var capture = Capture();
        capture.Deliver(Up(1000, 9000, 100), At(100), CaptureSide.Single, LinkLayer.Ethernet);

        var ending = capture.CollectAsync(Start.AddSeconds(1), [], TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        // Read after the report was asked for, stamped before its end: still this interval's.
        capture.Deliver(Up(1100, 9000, 200), At(900), CaptureSide.Single, LinkLayer.Ethernet);
        Assert.False(ending.IsCompleted);
        // Stamped after the end: the cut, and the next interval's first packet.
        capture.Deliver(Up(1300, 9000, 400), At(1100), CaptureSide.Single, LinkLayer.Ethernet);
        var interval = await ending.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        var flow = Assert.Single(interval.Flows);
        Assert.Equal(2, flow.PacketsUp);
        Assert.Equal(300 * 8 / 1000.0, flow.ThroughputUpKbps, 6);   // 300 payload bytes over exactly 1 s
        var next = Assert.Single(capture.Collect(Start.AddSeconds(2)));
        Assert.Equal(1, next.PacketsUp);
        Assert.Equal(400 * 8 / 1000.0, next.ThroughputUpKbps, 6);
    }

    [Fact]
    public async Task WithNoLaterPacketTheIntervalEndsAfterTheGrace()
    {
        using var capture = Capture();
        capture.Deliver(Up(1000, 9000, 100), At(100), CaptureSide.Single, LinkLayer.Ethernet);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        var interval = await capture.CollectAsync(Start.AddSeconds(1), [], TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);

        Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(90), TimeSpan.FromSeconds(5));
        Assert.Equal(1, Assert.Single(interval.Flows).PacketsUp);
        // The interval still ends at its end, not when the grace ran out: a packet stamped before it now
        // counts in the next one (the capture was further behind than the grace).
        capture.Deliver(Up(1100, 9000, 200), At(900), CaptureSide.Single, LinkLayer.Ethernet);
        Assert.Equal(1, Assert.Single(capture.Collect(Start.AddSeconds(2))).PacketsUp);
    }
}
