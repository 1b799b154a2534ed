using CamaraQos.Shared;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Feeds the engine from libpcap (SharpPcap) on the gateway's interfaces: headers only (a 128-byte
/// snaplen is enough for Ethernet + IPv6 + TCP with options; lengths come from the IP header) and a
/// kernel filter for TCP. Each device captures on its own thread, so the single-threaded engine sits
/// behind one lock that is uncontended except while two interfaces deliver at once. An interface that
/// cannot be opened, or whose capture fails, is counted as an error and left for <see cref="TryStart"/>
/// to open again; nothing here throws at the caller for a missing interface or a missing libpcap.
/// </summary>
public sealed partial class LiveCapture(MeasurementEngine engine) : IDisposable
{
    private const int Snaplen = 128;
    private readonly Lock gate = new();
    private readonly Dictionary<string, LibPcapLiveDevice> devices = new(StringComparer.Ordinal);
    private readonly HashSet<string> failed = new(StringComparer.Ordinal);
    private long errors, closedKernelDrops, closedInterfaceDrops;

    // The interval being ended (CollectAsync): the first packet stamped at or after cutTicks ends it.
    private PendingCut? pending;
    private long cutTicks = long.MaxValue;

    /// <summary>Opens and starts capturing on <paramref name="interfaceName"/> in the calling thread's network namespace.</summary>
    public void Start(string interfaceName, CaptureSide side)
    {
        if (!TryStart(interfaceName, side, out var error))
        {
            throw new InvalidOperationException(error);
        }
    }

    /// <summary>
    /// Starts capturing unless it already runs; a capture that failed is closed and opened again. False
    /// (with the reason, counted in <see cref="CaptureCounters.Errors"/>) when the interface cannot be opened.
    /// </summary>
    public bool TryStart(string interfaceName, CaptureSide side, out string? error)
    {
        error = null;
        LibPcapLiveDevice? previous;
        lock (gate)
        {
            if (devices.ContainsKey(interfaceName) && !failed.Contains(interfaceName))
            {
                return true;
            }
            previous = Detach(interfaceName);
        }
        Stop(previous);
        try
        {
            var device = Open(interfaceName, side);
            lock (gate)
            {
                devices[interfaceName] = device;
            }
            device.StartCapture();
            return true;
        }
        catch (Exception e) when (e is PcapException or InvalidOperationException or NotSupportedException
            or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            error = e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException
                ? $"libpcap is not available (Debian: libpcap0.8): {e.Message}"
                : $"{interfaceName}: {e.Message}";
            Interlocked.Increment(ref errors);
            return false;
        }
    }

    /// <summary>Where the devices are (see <see cref="MeasurementEngine.LanPrefixes"/>).</summary>
    public void SetLanPrefixes(IReadOnlyList<IpPrefix> prefixes)
    {
        lock (gate)
        {
            engine.LanPrefixes = prefixes;
        }
    }

    private LibPcapLiveDevice Open(string interfaceName, CaptureSide side)
    {
        var device = FindDevice(interfaceName);
        device.Open(new DeviceConfiguration { Snaplen = Snaplen, ReadTimeout = 100, Immediate = true });
        try
        {
            var link = device.LinkType switch
            {
                LinkLayers.Ethernet => LinkLayer.Ethernet,
                LinkLayers.Raw or LinkLayers.RawLegacy => LinkLayer.RawIp,
                var other => throw new NotSupportedException($"link type {other} is not Ethernet or raw IP"),
            };
            device.Filter = "tcp or (vlan and tcp)";
            device.OnPacketArrival += (_, e) => OnArrival(e, side, link);
            device.OnCaptureStopped += (_, status) => OnStopped(interfaceName, status);
            return device;
        }
        catch
        {
            device.Close();
            throw;
        }
    }

    private void OnArrival(PacketCapture e, CaptureSide side, LinkLayer link)
    {
        var time = e.Header.Timeval;
        Deliver(e.Data, (long)time.Seconds * TimeSpan.TicksPerSecond + (long)time.MicroSeconds * 10, side, link);
    }

    /// <summary>One captured frame, stamped by the kernel (<paramref name="ticks"/> since the Unix epoch).</summary>
    internal void Deliver(ReadOnlySpan<byte> frame, long ticks, CaptureSide side, LinkLayer link)
    {
        lock (gate)
        {
            if (ticks >= cutTicks)
            {
                CutLocked();
            }
            engine.OnPacket(frame, ticks, side, link);
        }
    }

    /// <summary>The capture thread ended on its own (interface gone or down): counted, reopened later.</summary>
    private void OnStopped(string interfaceName, CaptureStoppedEventStatus status)
    {
        if (status == CaptureStoppedEventStatus.ErrorWhileCapturing)
        {
            Interlocked.Increment(ref errors);
            lock (gate)
            {
                failed.Add(interfaceName);
            }
        }
    }

    /// <summary>Whether <paramref name="interfaceName"/> is capturing now.</summary>
    public bool IsCapturing(string interfaceName)
    {
        lock (gate)
        {
            return devices.ContainsKey(interfaceName) && !failed.Contains(interfaceName);
        }
    }

    /// <summary>
    /// Ends the interval at <paramref name="end"/> by capture time rather than by when packets are read: a
    /// packet stamped before it that is still in the kernel's buffer (the agent busy, a slow gateway CPU)
    /// counts in this interval, so per-interval bytes and rates do not lurch when the capture lags. The
    /// first packet stamped at or after <paramref name="end"/> makes the cut; when none comes within
    /// <paramref name="grace"/> (an idle link, or a capture further behind than that) it is made then,
    /// and what is still buffered counts in the next interval.
    /// </summary>
    public async Task<IntervalAggregates> CollectAsync(DateTimeOffset end, IReadOnlyList<FlowMonitor> monitors, TimeSpan grace,
        CancellationToken ct)
    {
        var cut = new PendingCut((end - DateTimeOffset.UnixEpoch).Ticks, monitors);
        lock (gate)
        {
            if (pending is not null)
            {
                CutLocked();   // a previous call gave up waiting (cancelled): end its interval first
            }
            pending = cut;
            cutTicks = cut.Ticks;
        }
        try
        {
            return await cut.Done.Task.WaitAsync(grace, ct);
        }
        catch (TimeoutException)
        {
            lock (gate)
            {
                if (pending == cut)
                {
                    CutLocked();
                }
            }
            return await cut.Done.Task;
        }
    }

    private void CutLocked()
    {
        var cut = pending!;
        pending = null;
        cutTicks = long.MaxValue;
        cut.Done.SetResult(engine.Collect(cut.Ticks, cut.Monitors));
    }

    private sealed class PendingCut(long ticks, IReadOnlyList<FlowMonitor> monitors)
    {
        public long Ticks { get; } = ticks;
        public IReadOnlyList<FlowMonitor> Monitors { get; } = monitors;
        public TaskCompletionSource<IntervalAggregates> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The interval's aggregates; "now" is the wall clock, the epoch of libpcap's timestamps.</summary>
    public IReadOnlyList<FlowAggregate> Collect(DateTimeOffset now) => Collect(now, []).Flows;

    public IntervalAggregates Collect(DateTimeOffset now, IReadOnlyList<FlowMonitor> monitors)
    {
        lock (gate)
        {
            return engine.Collect((now - DateTimeOffset.UnixEpoch).Ticks, monitors);
        }
    }
}
