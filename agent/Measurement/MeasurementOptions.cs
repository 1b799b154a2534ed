using CamaraQos.Agent.Configuration;

namespace CamaraQos.Agent.Measurement;

/// <summary>Sizes fixed when the engine starts: memory is capacity × per-flow state, whatever the traffic.</summary>
public sealed record MeasurementOptions
{
    /// <summary>Flows tracked at once; a new flow beyond this is counted as untracked, not stored.</summary>
    public int FlowCapacity { get; init; } = 4096;

    /// <summary>A flow with no packet for this long is forgotten.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The LAN prefixes: an endpoint inside them is the device.</summary>
    public IReadOnlyList<IpPrefix> LanPrefixes { get; init; } = [];

    /// <summary>TSvals awaiting their echo, per direction (pping keeps them in a map; a ring bounds it).</summary>
    public int TimestampSlots { get; init; } = 16;

    /// <summary>Data segments awaiting their ACK, per direction (SEQ/ACK fallback).</summary>
    public int SegmentSlots { get; init; } = 16;

    /// <summary>The sizes the validated settings chose (<c>Agent:FlowCapacity</c>, <c>Agent:FlowIdleSeconds</c>).</summary>
    public static MeasurementOptions From(AgentSettings settings) =>
        new() { FlowCapacity = settings.FlowCapacity, IdleTimeout = settings.FlowIdle };
}
