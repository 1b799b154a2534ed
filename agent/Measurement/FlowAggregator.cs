using CamaraQos.Shared;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Folds the flow table into one <see cref="FlowAggregate"/> per (device, server, server port): every
/// connection between them, and both capture sides of one connection (when no NAT changes its
/// addresses). Bytes, packets and retransmissions come from the LAN-side sighting when there is one, so
/// a packet seen on both interfaces is counted once. Runs once per report interval, so it may allocate.
/// </summary>
internal static class FlowAggregator
{
    private sealed class Group
    {
        public readonly RttHistogram Lan = new();
        public readonly RttHistogram Wan = new();
        public double JitterWeighted;
        public int JitterWeight;
        public readonly long[] LanSide = new long[5];
        public readonly long[] WanSide = new long[5];
    }

    public static List<FlowAggregate> Collect(ReadOnlySpan<FlowState> slots, double seconds)
    {
        var groups = new Dictionary<(UInt128 Device, UInt128 Server, ushort Port), Group>();
        foreach (var flow in slots)
        {
            if (!flow.InUse || !flow.Active)
            {
                continue;
            }
            var key = flow.Key;
            var id = flow.DeviceIsLow ? (key.LowAddress, key.HighAddress, key.HighPort) : (key.HighAddress, key.LowAddress, key.LowPort);
            if (!groups.TryGetValue(id, out var group))
            {
                groups[id] = group = new Group();
            }
            Add(group, flow);
            flow.ClearInterval();
        }
        var result = new List<FlowAggregate>(groups.Count);
        foreach (var (id, group) in groups)
        {
            result.Add(ToAggregate(id.Device, id.Server, id.Port, group, seconds));
        }
        return result;
    }

    private static void Add(Group group, FlowState flow)
    {
        group.Lan.AddFrom(flow.Lan.Histogram);
        group.Wan.AddFrom(flow.Wan.Histogram);
        // One flow's jitter is the sum of its halves' (each half varies independently of the other).
        var samples = flow.Lan.Histogram.Samples + flow.Wan.Histogram.Samples;
        var jitter = (flow.Lan.HasJitter ? flow.Lan.JitterTicks : 0) + (flow.Wan.HasJitter ? flow.Wan.JitterTicks : 0);
        if (flow.Lan.HasJitter || flow.Wan.HasJitter)
        {
            group.JitterWeighted += jitter * samples;
            group.JitterWeight += samples;
        }
        var counts = flow.Key.Side == CaptureSide.Wan ? group.WanSide : group.LanSide;
        var (up, down) = (flow.Up, flow.Down);
        counts[0] += up.Retransmissions + down.Retransmissions;
        counts[1] += up.Bytes;
        counts[2] += down.Bytes;
        counts[3] += up.Packets;
        counts[4] += down.Packets;
    }

    private static FlowAggregate ToAggregate(UInt128 device, UInt128 server, ushort port, Group group, double seconds)
    {
        var c = group.LanSide[3] + group.LanSide[4] > 0 ? group.LanSide : group.WanSide;
        double Kbps(long bytes) => seconds > 0 ? bytes * 8 / 1000.0 / seconds : 0;
        return new FlowAggregate(
            IpPrefix.ToAddress(device).ToString(),
            IpPrefix.ToAddress(server).ToString(),
            port,
            nameof(FlowProtocol.Tcp),
            Summary(group.Lan),
            Summary(group.Wan),
            group.JitterWeight > 0 ? group.JitterWeighted / group.JitterWeight / TimeSpan.TicksPerMillisecond : null,
            c[0], c[1], c[2], c[3], c[4],
            Kbps(c[1]), Kbps(c[2]));
    }

    private static RttSummary? Summary(RttHistogram histogram) => histogram.Samples == 0
        ? null
        : new RttSummary(histogram.PercentileMs(0.50), histogram.PercentileMs(0.95), histogram.MaxTicks / (double)TimeSpan.TicksPerMillisecond, histogram.Samples);
}
