using CamaraQos.Agent.Measurement;
using Xunit;
using static CamaraQos.Agent.Tests.Measurement.Frames;

namespace CamaraQos.Agent.Tests.Measurement;

public class RttMatcherTests
{
    [Fact]
    public void AnEchoedTimestampGivesTheExactRttOfTheSideThatEchoed()
    {
        var r = new Recorder()
            .At(0, Up(1000, 5000, payload: 100, ts: (100, 900)))
            .At(30, Down(5000, 1100, payload: 200, ts: (901, 100)))
            .At(32.5, Up(1100, 5200, ts: (101, 901)));

        Assert.Equal([(RttHalf.Wan, RttMethod.Timestamp, 30.0), (RttHalf.Lan, RttMethod.Timestamp, 2.5)], r.Seen());
    }

    [Fact]
    public void ARepeatedTsValKeepsItsFirstSightingAndIsEchoedOnlyOnce()
    {
        var r = new Recorder()
            .At(0, Up(1000, 5000, payload: 100, ts: (100, 900)))
            .At(5, Up(1100, 5000, payload: 100, ts: (100, 900)))
            .At(20, Down(5000, 1100, ts: (901, 100)))
            .At(25, Down(5000, 1200, ts: (901, 100)));

        Assert.Equal([(RttHalf.Wan, RttMethod.Timestamp, 20.0)], r.Seen());
    }

    [Fact]
    public void WithoutTimestampsTheFirstAckCoveringASegmentGivesTheRtt()
    {
        var r = new Recorder()
            .At(0, Up(1000, 5000, payload: 100))
            .At(1, Up(1100, 5000, payload: 100))
            .At(40, Down(5000, 1100))
            .At(41, Down(5000, 1200))
            .At(42, Down(5000, 1200));

        Assert.Equal([(RttHalf.Wan, RttMethod.SequenceAck, 40.0), (RttHalf.Wan, RttMethod.SequenceAck, 40.0)], r.Seen());
    }

    [Fact]
    public void ARetransmittedSegmentIsCountedAndNeverSampled()
    {
        var r = new Recorder()
            .At(0, Up(1000, 5000, payload: 100))
            .At(200, Up(1000, 5000, payload: 100))
            .At(210, Down(5000, 1100))
            .At(220, Up(1100, 5000, payload: 100))
            .At(250, Down(5000, 1200));

        Assert.Equal([(RttHalf.Wan, RttMethod.SequenceAck, 30.0)], r.Seen());
        var flow = Assert.Single(r.Engine.Collect(Ms(1_000_300)));
        Assert.Equal(1, flow.Retransmissions);
    }

    [Fact]
    public void ACumulativeAckOverARetransmissionIsNotSampledEvenForLaterSegments()
    {
        var r = new Recorder()
            .At(0, Up(1000, 5000, payload: 100))
            .At(1, Up(1100, 5000, payload: 100))
            .At(100, Up(1000, 5000, payload: 100))
            .At(130, Down(5000, 1200));

        Assert.Empty(r.Samples);
    }

    [Fact]
    public void SequenceNumbersWrappingPast2To32AreNeitherLossNorLostSamples()
    {
        const uint nearTop = 0xFFFF_FFC0;
        var r = new Recorder()
            .At(0, Up(nearTop, 5000, payload: 100))
            .At(1, Up(unchecked(nearTop + 100), 5000, payload: 100))
            .At(20, Down(5000, unchecked(nearTop + 100)))
            .At(21, Down(5000, unchecked(nearTop + 200)));

        Assert.Equal([(RttHalf.Wan, RttMethod.SequenceAck, 20.0), (RttHalf.Wan, RttMethod.SequenceAck, 20.0)], r.Seen());
        Assert.Equal(0, Assert.Single(r.Engine.Collect(Ms(1_000_100))).Retransmissions);
    }

    [Fact]
    public void ALateSegmentFillingAGapIsReorderingNotARetransmission()
    {
        var r = new Recorder()
            .At(0, Up(1000, 5000, payload: 100))
            .At(1, Up(1200, 5000, payload: 100))
            .At(2, Up(1100, 5000, payload: 100))
            .At(30, Down(5000, 1300));

        Assert.Equal([(RttHalf.Wan, RttMethod.SequenceAck, 29.0)], r.Seen());
        Assert.Equal(0, Assert.Single(r.Engine.Collect(Ms(1_000_100))).Retransmissions);
    }

    [Fact]
    public void AReorderedEchoStillMatchesItsOwnTsVal()
    {
        var r = new Recorder()
            .At(0, Up(1000, 5000, payload: 100, ts: (100, 900)))
            .At(10, Up(1100, 5000, payload: 100, ts: (110, 900)))
            .At(35, Down(5000, 1200, ts: (901, 110)))
            .At(36, Down(5000, 1100, ts: (901, 100)));

        Assert.Equal([(RttHalf.Wan, RttMethod.Timestamp, 25.0), (RttHalf.Wan, RttMethod.Timestamp, 36.0)], r.Seen());
    }

    [Theory]
    [InlineData(CaptureSide.Lan, RttHalf.Lan, 2.0)]
    [InlineData(CaptureSide.Wan, RttHalf.Wan, 30.0)]
    public void AGatewayInterfaceYieldsOnlyItsOwnHalf(CaptureSide side, RttHalf half, double ms)
    {
        var r = new Recorder(side)
            .At(0, Up(1000, 5000, payload: 100, ts: (100, 900)))
            .At(30, Down(5000, 1100, payload: 200, ts: (901, 100)))
            .At(32, Up(1100, 5200, ts: (101, 901)));

        Assert.Equal([(half, RttMethod.Timestamp, ms)], r.Seen());
    }

    [Fact]
    public void TheHandshakeSynAndSynAckAreMatchedByTimestamp()
    {
        var r = new Recorder()
            .At(0, Up(999, 0, ts: (100, 0), syn: true))
            .At(12, Tcp(Server, ServerPort, Device, DevicePort, 4999, 1000, 0, (900, 100), syn: true))
            .At(13, Up(1000, 5000, ts: (101, 900)));

        Assert.Equal([(RttHalf.Wan, RttMethod.Timestamp, 12.0), (RttHalf.Lan, RttMethod.Timestamp, 1.0)], r.Seen());
    }
}
