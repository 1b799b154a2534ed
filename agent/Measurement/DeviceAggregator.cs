using CamaraQos.Shared;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Folds the interval's flow groups per LAN device: histograms merged (so a device's p95 is the p95 of
/// all its samples), counters summed, jitter weighted by samples. <c>Flows</c> counts the device's
/// (device, server, port) flows in the same report.
/// </summary>
internal static class DeviceAggregator
{
    public static List<DeviceAggregate> Fold(Dictionary<(UInt128 Device, UInt128 Server, ushort Port), FlowGroup> flows, double seconds)
    {
        var devices = new Dictionary<UInt128, (FlowGroup Group, int Flows)>();
        foreach (var (id, group) in flows)
        {
            if (!devices.TryGetValue(id.Device, out var fold))
            {
                fold = (new FlowGroup(), 0);
            }
            fold.Group.Add(group);
            devices[id.Device] = (fold.Group, fold.Flows + 1);
        }
        var result = new List<DeviceAggregate>(devices.Count);
        foreach (var (device, fold) in devices)
        {
            result.Add(fold.Group.ToDevice(IpPrefix.ToAddress(device).ToString(), fold.Flows, seconds));
        }
        return result;
    }
}
