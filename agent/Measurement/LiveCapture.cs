using CamaraQos.Shared;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Feeds the engine from libpcap (SharpPcap) on the gateway's interfaces: headers only (a 128-byte
/// snaplen is enough for Ethernet + IPv6 + TCP with options; lengths come from the IP header) and a
/// kernel filter for TCP. Each device captures on its own thread, so the single-threaded engine sits
/// behind one lock that is uncontended except while two interfaces deliver at once.
/// </summary>
public sealed class LiveCapture(MeasurementEngine engine) : IDisposable
{
    private const int Snaplen = 128;
    private readonly Lock gate = new();
    private readonly List<LibPcapLiveDevice> devices = [];

    /// <summary>Opens and starts capturing on <paramref name="interfaceName"/> in the calling thread's network namespace.</summary>
    public void Start(string interfaceName, CaptureSide side)
    {
        var device = FindDevice(interfaceName);
        device.Open(new DeviceConfiguration { Snaplen = Snaplen, ReadTimeout = 100, Immediate = true });
        var link = device.LinkType switch
        {
            LinkLayers.Ethernet => LinkLayer.Ethernet,
            LinkLayers.Raw or LinkLayers.RawLegacy => LinkLayer.RawIp,
            var other => throw new NotSupportedException($"{interfaceName}: link type {other} is not Ethernet or raw IP"),
        };
        device.Filter = "tcp or (vlan and tcp)";
        device.OnPacketArrival += (_, e) => OnArrival(e, side, link);
        devices.Add(device);
        device.StartCapture();
    }

    private void OnArrival(PacketCapture e, CaptureSide side, LinkLayer link)
    {
        var time = e.Header.Timeval;
        var ticks = (long)time.Seconds * TimeSpan.TicksPerSecond + (long)time.MicroSeconds * 10;
        lock (gate)
        {
            engine.OnPacket(e.Data, ticks, side, link);
        }
    }

    /// <summary>The interval's aggregates; "now" is the wall clock, the epoch of libpcap's timestamps.</summary>
    public IReadOnlyList<FlowAggregate> Collect(DateTimeOffset now)
    {
        lock (gate)
        {
            return engine.Collect((now - DateTimeOffset.UnixEpoch).Ticks);
        }
    }

    /// <summary>Capture health, drops included (pcap_stats(3PCAP)).</summary>
    public CaptureCounters Counters()
    {
        long kernelDrops = 0, interfaceDrops = 0;
        foreach (var device in devices)
        {
            var stats = device.Statistics;
            kernelDrops += stats.DroppedPackets;
            interfaceDrops += stats.InterfaceDroppedPackets;
        }
        lock (gate)
        {
            return new CaptureCounters(engine.Packets, kernelDrops, interfaceDrops, engine.Ignored, engine.Flows, engine.Evicted);
        }
    }

    private static LibPcapLiveDevice FindDevice(string name)
    {
        foreach (var device in LibPcapLiveDeviceList.New())
        {
            if (device.Name == name)
            {
                return device;
            }
        }
        throw new InvalidOperationException($"no capture device named '{name}'");
    }

    public void Dispose()
    {
        foreach (var device in devices)
        {
            device.StopCapture();
            device.Close();
        }
        devices.Clear();
    }
}
