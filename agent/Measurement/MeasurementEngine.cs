namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Passive per-flow TCP measurement (docs/ARCHITECTURE.md §6): RTT halves from TCP timestamps as pping does
/// (a TSecr echoing a TSval first seen at t gives now − t), SEQ/ACK matching when a flow sends no
/// timestamps, retransmissions as the loss signal, bytes and packets each way. Single-threaded: one
/// capture loop calls <see cref="OnPacket"/> and, every report interval, <see cref="Collect"/>. Per packet
/// it neither allocates nor uses LINQ.
/// </summary>
public sealed class MeasurementEngine
{
    private readonly FlowTable table;
    private readonly Action<RttSample>? onSample;
    private readonly long idleTicks;
    private IReadOnlyList<IpPrefix> lanPrefixes;
    private long lastSweepTicks;
    private long lastCollectTicks = -1;

    public MeasurementEngine(MeasurementOptions options, Action<RttSample>? onSample = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FlowCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TimestampSlots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentSlots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.IdleTimeout, TimeSpan.Zero);
        this.onSample = onSample;
        table = new FlowTable(options);
        idleTicks = options.IdleTimeout.Ticks;
        lanPrefixes = options.LanPrefixes;
    }

    /// <summary>
    /// Where the devices are, from the agent's live view of the LAN (it changes when an address does);
    /// decides the device of flows that start from now on.
    /// </summary>
    public IReadOnlyList<IpPrefix> LanPrefixes
    {
        get => lanPrefixes;
        set => lanPrefixes = value ?? [];
    }

    /// <summary>Frames handed in.</summary>
    public long Packets { get; private set; }

    /// <summary>Frames that were not a parseable TCP segment (other protocols, fragments, truncated headers).</summary>
    public long Ignored { get; private set; }

    /// <summary>Segments of new flows refused because the table was full.</summary>
    public long Untracked { get; private set; }

    public int Flows => table.Count;

    public long Evicted => table.Evicted;

    /// <param name="timestampTicks">Capture time in <see cref="TimeSpan"/> ticks (100 ns), monotonic per engine.</param>
    public bool OnPacket(ReadOnlySpan<byte> frame, long timestampTicks, CaptureSide side, LinkLayer link = LinkLayer.Ethernet)
    {
        Packets++;
        if (!FrameParser.TryParse(frame, link, out var segment))
        {
            Ignored++;
            return false;
        }
        return OnSegment(segment, timestampTicks, side);
    }

    internal bool OnSegment(in TcpSegment segment, long now, CaptureSide side)
    {
        if (now - lastSweepTicks >= idleTicks / 4)
        {
            lastSweepTicks = now;
            table.EvictIdle(now, idleTicks);
        }
        var key = FlowKey.Of(segment, side, out var fromLow);
        if (!table.TryGet(key, out var flow) && !TryAdd(key, segment, fromLow, now, out flow))
        {
            Untracked++;
            return false;
        }
        flow.LastSeenTicks = now;
        flow.Active = true;
        if (lastCollectTicks < 0)
        {
            lastCollectTicks = now;
        }
        var sender = flow.From(fromLow);
        var receiver = flow.From(!fromLow);
        sender.Packets++;
        sender.Bytes += segment.IpLength;
        if (segment.SequenceLength > 0 &&
            sender.OnData(segment.Sequence, segment.SequenceEnd, now, remember: !segment.HasTimestamp) != SegmentKind.Retransmission)
        {
            sender.Payload += segment.PayloadLength;
        }
        Sample(flow, segment, fromLow, receiver, now, side);
        if (segment.HasTimestamp)
        {
            sender.RememberTsVal(segment.TsVal, now);
        }
        return true;
    }

    /// <summary>A full table sweeps for idle flows once more (at most every millisecond, so a flood stays cheap).</summary>
    private bool TryAdd(in FlowKey key, in TcpSegment segment, bool fromLow, long now, out FlowState flow)
    {
        var deviceIsLow = IsDeviceLow(key, segment, fromLow);
        if (table.TryAdd(key, deviceIsLow, now, out flow))
        {
            return true;
        }
        if (now - lastSweepTicks < TimeSpan.TicksPerMillisecond)
        {
            return false;
        }
        lastSweepTicks = now;
        return table.EvictIdle(now, idleTicks) > 0 && table.TryAdd(key, deviceIsLow, now, out flow);
    }

    /// <summary>
    /// The sender of this segment echoes the other direction: its half is LAN when the sender is the device.
    /// On a gateway each interface yields only its own half, so no half is counted twice.
    /// </summary>
    private void Sample(FlowState flow, in TcpSegment segment, bool fromLow, DirectionState receiver, long now, CaptureSide side)
    {
        var half = fromLow == flow.DeviceIsLow ? RttHalf.Lan : RttHalf.Wan;
        if (!segment.IsAck || (side == CaptureSide.Lan && half != RttHalf.Lan) || (side == CaptureSide.Wan && half != RttHalf.Wan))
        {
            return;
        }
        // RFC 7323 §3.2: TSecr is valid only with ACK set; a flow without timestamps falls back to SEQ/ACK.
        var method = segment.HasTimestamp ? RttMethod.Timestamp : RttMethod.SequenceAck;
        var matched = segment.HasTimestamp
            ? receiver.TryEcho(segment.TsEcr, out var seenAt)
            : receiver.TryAcknowledge(segment.Acknowledgment, out seenAt);
        if (!matched || now < seenAt)
        {
            return;
        }
        (half == RttHalf.Lan ? flow.Lan : flow.Wan).Add(now - seenAt);
        onSample?.Invoke(new RttSample(now, flow.Key, flow.DeviceIsLow, half, method, now - seenAt));
    }

    /// <summary>The device is the LAN-prefix endpoint; else the SYN sender; else the higher (ephemeral) port.</summary>
    private bool IsDeviceLow(in FlowKey key, in TcpSegment segment, bool fromLow)
    {
        var lowLocal = IsLan(key.LowAddress);
        if (lowLocal != IsLan(key.HighAddress))
        {
            return lowLocal;
        }
        if (segment.IsSyn)
        {
            return segment.IsAck ? !fromLow : fromLow;
        }
        return key.LowPort > key.HighPort;
    }

    private bool IsLan(UInt128 address)
    {
        var prefixes = lanPrefixes;
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (prefixes[i].Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Aggregates of the interval since the previous call, then starts a new interval. Called on the
    /// capture thread; the immutable records it returns are what crosses to the telemetry publisher.
    /// </summary>
    public IReadOnlyList<Shared.FlowAggregate> Collect(long nowTicks) => Collect(nowTicks, []).Flows;

    /// <summary>The same, with per-device aggregates and a verdict for each of <paramref name="monitors"/>.</summary>
    public IntervalAggregates Collect(long nowTicks, IReadOnlyList<Shared.FlowMonitor> monitors)
    {
        var seconds = lastCollectTicks < 0 ? 0 : (nowTicks - lastCollectTicks) / (double)TimeSpan.TicksPerSecond;
        lastCollectTicks = nowTicks;
        table.EvictIdle(nowTicks, idleTicks);
        return FlowAggregator.Collect(table.Slots, seconds, monitors);
    }
}
