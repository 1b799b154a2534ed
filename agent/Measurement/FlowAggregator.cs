using CamaraQos.Shared;

namespace CamaraQos.Agent.Measurement;

/// <summary>One report interval's aggregates: per (device, server, port) flow, per device, per monitor.</summary>
public sealed record IntervalAggregates(
    IReadOnlyList<FlowAggregate> Flows,
    IReadOnlyList<DeviceAggregate> Devices,
    IReadOnlyList<MonitorVerdict> Verdicts);

/// <summary>
/// Folds the flow table into one group per (device, server, server port): every connection between
/// them, and both capture sides of each connection. A gateway sees a connection twice, on the LAN and on
/// the WAN, and the WAN sighting carries the NAT's address instead of the device's; <see cref="NatJoin"/>
/// gives it back its device. Traffic is counted from the LAN sighting when there is one, so a packet seen
/// on both interfaces counts once. Runs once per report interval, so it may allocate.
/// </summary>
internal static class FlowAggregator
{
    public static IntervalAggregates Collect(ReadOnlySpan<FlowState> slots, double seconds, IReadOnlyList<FlowMonitor> monitors)
    {
        var join = new NatJoin(slots);
        var groups = new Dictionary<(UInt128 Device, UInt128 Server, ushort Port), FlowGroup>();
        foreach (var flow in slots)
        {
            if (!flow.InUse || !flow.Active)
            {
                continue;
            }
            var id = NatJoin.Connection(flow);
            var countTraffic = true;
            if (flow.Key.Side == CaptureSide.Wan && join.TryFindLanSighting(id, out var device, out var lanActive))
            {
                id = id with { Device = device };
                countTraffic = !lanActive;
            }
            var key = (id.Device, id.Server, id.ServerPort);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = new FlowGroup();
            }
            group.Add(flow, countTraffic);
        }
        ClearInterval(slots);
        return new IntervalAggregates(Flows(groups, seconds), DeviceAggregator.Fold(groups, seconds),
            MonitorJudge.Judge(monitors, groups, seconds));
    }

    private static List<FlowAggregate> Flows(Dictionary<(UInt128 Device, UInt128 Server, ushort Port), FlowGroup> groups, double seconds)
    {
        var result = new List<FlowAggregate>(groups.Count);
        foreach (var (id, group) in groups)
        {
            result.Add(group.ToFlow(IpPrefix.ToAddress(id.Device).ToString(), IpPrefix.ToAddress(id.Server).ToString(), id.Port, seconds));
        }
        return result;
    }

    private static void ClearInterval(ReadOnlySpan<FlowState> slots)
    {
        foreach (var flow in slots)
        {
            if (flow.InUse && flow.Active)
            {
                flow.ClearInterval();
            }
        }
    }
}
