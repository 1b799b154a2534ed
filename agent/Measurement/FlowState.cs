namespace CamaraQos.Agent.Measurement;

/// <summary>One tracked flow: a reusable slot of the flow table, allocated once.</summary>
internal sealed class FlowState(MeasurementOptions options)
{
    public FlowKey Key { get; private set; }

    public bool InUse { get; private set; }

    /// <summary>Whether the low endpoint of <see cref="Key"/> is the device (the other is the server).</summary>
    public bool DeviceIsLow { get; private set; }

    public long LastSeenTicks { get; set; }

    /// <summary>Whether anything happened since the last report.</summary>
    public bool Active { get; set; }

    public DirectionState Low { get; } = new(options.TimestampSlots, options.SegmentSlots);

    public DirectionState High { get; } = new(options.TimestampSlots, options.SegmentSlots);

    public HalfState Lan { get; } = new();

    public HalfState Wan { get; } = new();

    public DirectionState From(bool fromLow) => fromLow ? Low : High;

    public DirectionState Up => DeviceIsLow ? Low : High;

    public DirectionState Down => DeviceIsLow ? High : Low;

    public void Start(in FlowKey key, bool deviceIsLow, long now)
    {
        (Key, DeviceIsLow, LastSeenTicks, InUse, Active) = (key, deviceIsLow, now, true, true);
        Low.Reset();
        High.Reset();
        Lan.Reset();
        Wan.Reset();
    }

    public void Stop() => InUse = false;

    public void ClearInterval()
    {
        Active = false;
        Low.ClearInterval();
        High.ClearInterval();
        Lan.ClearInterval();
        Wan.ClearInterval();
    }
}
