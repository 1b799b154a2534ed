using CamaraQos.Shared;
using SharpPcap;
using SharpPcap.LibPcap;

namespace CamaraQos.Agent.Measurement;

public sealed partial class LiveCapture
{
    /// <summary>
    /// Capture health since start, drops included (pcap_stats(3PCAP)): monotonic like interface counters,
    /// so a lost QoS-0 report loses nothing, and kept across a reopened interface.
    /// </summary>
    public CaptureCounters Counters()
    {
        lock (gate)
        {
            long kernelDrops = closedKernelDrops, interfaceDrops = closedInterfaceDrops;
            foreach (var (name, device) in devices)
            {
                if (!failed.Contains(name) && Statistics(device) is { } stats)
                {
                    kernelDrops += stats.DroppedPackets;
                    interfaceDrops += stats.InterfaceDroppedPackets;
                }
            }
            return new CaptureCounters(engine.Packets, kernelDrops, interfaceDrops, Interlocked.Read(ref errors), engine.Flows, engine.Evicted)
            {
                Untracked = engine.Untracked,
            };
        }
    }

    private static ICaptureStatistics? Statistics(LibPcapLiveDevice device)
    {
        try
        {
            return device.Statistics;
        }
        catch (PcapException)
        {
            return null;
        }
    }

    /// <summary>
    /// Under the gate: forgets one interface, keeping its drop counts. The caller stops it outside the
    /// gate, because stopping joins the capture thread, which may be waiting for the gate.
    /// </summary>
    private LibPcapLiveDevice? Detach(string interfaceName)
    {
        failed.Remove(interfaceName);
        if (!devices.Remove(interfaceName, out var device))
        {
            return null;
        }
        if (Statistics(device) is { } stats)
        {
            closedKernelDrops += stats.DroppedPackets;
            closedInterfaceDrops += stats.InterfaceDroppedPackets;
        }
        return device;
    }

    private static void Stop(LibPcapLiveDevice? device)
    {
        if (device is null)
        {
            return;
        }
        try
        {
            device.StopCapture();
        }
        catch (PcapException)
        {
            // Already stopped by its own failure.
        }
        device.Close();
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
        throw new InvalidOperationException("no such capture device (is the interface there and up?)");
    }

    public void Dispose()
    {
        var detached = new List<LibPcapLiveDevice?>();
        lock (gate)
        {
            foreach (var name in devices.Keys.ToArray())
            {
                detached.Add(Detach(name));
            }
        }
        detached.ForEach(Stop);
    }
}
