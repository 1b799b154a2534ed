using CamaraQos.Shared;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Flows folded together over one report interval: merged RTT histograms (percentiles of the fold, never
/// percentiles of percentiles), sample-weighted jitter and summed counters. One flow aggregate, one
/// device aggregate or one monitor's evidence is one group. Built once per interval, so it may allocate.
/// </summary>
internal sealed class FlowGroup
{
    private readonly RttHistogram lan = new();
    private readonly RttHistogram wan = new();
    private double jitterWeighted;
    private int jitterWeight;
    private long retransmissions, bytesUp, bytesDown, packetsUp, packetsDown, payloadUp, payloadDown;

    public int Connections { get; private set; }

    /// <summary>Adds one sighting of a connection: always its RTT halves, its traffic only when it is the one that counts.</summary>
    public void Add(FlowState timing, bool countTraffic)
    {
        lan.AddFrom(timing.Lan.Histogram);
        wan.AddFrom(timing.Wan.Histogram);
        // One flow's jitter is the sum of its halves' (each half varies independently of the other).
        var samples = timing.Lan.Histogram.Samples + timing.Wan.Histogram.Samples;
        if (timing.Lan.HasJitter || timing.Wan.HasJitter)
        {
            var jitter = (timing.Lan.HasJitter ? timing.Lan.JitterTicks : 0) + (timing.Wan.HasJitter ? timing.Wan.JitterTicks : 0);
            jitterWeighted += jitter * samples;
            jitterWeight += samples;
        }
        if (countTraffic)
        {
            var (up, down) = (timing.Up, timing.Down);
            retransmissions += up.Retransmissions + down.Retransmissions;
            (bytesUp, bytesDown) = (bytesUp + up.Bytes, bytesDown + down.Bytes);
            (packetsUp, packetsDown) = (packetsUp + up.Packets, packetsDown + down.Packets);
            (payloadUp, payloadDown) = (payloadUp + up.Payload, payloadDown + down.Payload);
            Connections++;
        }
    }

    public void Add(FlowGroup other)
    {
        lan.AddFrom(other.lan);
        wan.AddFrom(other.wan);
        jitterWeighted += other.jitterWeighted;
        jitterWeight += other.jitterWeight;
        retransmissions += other.retransmissions;
        (bytesUp, bytesDown) = (bytesUp + other.bytesUp, bytesDown + other.bytesDown);
        (packetsUp, packetsDown) = (packetsUp + other.packetsUp, packetsDown + other.packetsDown);
        (payloadUp, payloadDown) = (payloadUp + other.payloadUp, payloadDown + other.payloadDown);
        Connections += other.Connections;
    }

    public FlowAggregate ToFlow(string device, string server, int port, double seconds) => new(
        device, server, port, nameof(FlowProtocol.Tcp), Summary(lan), Summary(wan), JitterMs,
        retransmissions, bytesUp, bytesDown, packetsUp, packetsDown, Kbps(payloadUp, seconds), Kbps(payloadDown, seconds));

    public DeviceAggregate ToDevice(string device, int flows, double seconds) => new(
        device, Summary(lan), Summary(wan), JitterMs,
        retransmissions, bytesUp, bytesDown, packetsUp, packetsDown, Kbps(payloadUp, seconds), Kbps(payloadDown, seconds), flows);

    public QualityJudge.Measured ToMeasured(double seconds) => new(
        Summary(lan), Summary(wan), JitterMs, retransmissions, packetsUp, packetsDown, Kbps(payloadUp, seconds), Kbps(payloadDown, seconds));

    private double? JitterMs => jitterWeight > 0 ? jitterWeighted / jitterWeight / TimeSpan.TicksPerMillisecond : null;

    /// <summary>
    /// Throughput is goodput: new TCP payload per second, without headers or retransmitted data, which is
    /// what the application (and iperf3) sees and what a profile's bit rate means. Bytes stay IP bytes.
    /// </summary>
    private static double Kbps(long payload, double seconds) => seconds > 0 ? payload * 8 / 1000.0 / seconds : 0;

    private static RttSummary? Summary(RttHistogram histogram) => histogram.Samples == 0
        ? null
        : new RttSummary(histogram.PercentileMs(0.50), histogram.PercentileMs(0.95),
            histogram.MaxTicks / (double)TimeSpan.TicksPerMillisecond, histogram.Samples);
}
