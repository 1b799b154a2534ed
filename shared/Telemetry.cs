namespace CamaraQos.Shared;

/// <summary>Aggregates since the last report (topic <c>telemetry</c>, QoS 0). Never raw samples.</summary>
public sealed record TelemetryReport(
    int SchemaVersion,
    string AgentId,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<FlowAggregate> Flows,
    IReadOnlyList<DeviceAggregate> Devices,
    IReadOnlyList<MonitorVerdict> Verdicts,
    CaptureCounters Capture,
    IReadOnlyList<ClassCounters> Classes);

public sealed record RttSummary(double P50, double P95, double Max, int Samples);

/// <summary>One (device, server, port, protocol) flow, LAN half and WAN half of its RTT kept apart.</summary>
public sealed record FlowAggregate(
    string Device,
    string Server,
    int ServerPort,
    string Protocol,
    RttSummary? LanRttMs,
    RttSummary? WanRttMs,
    double? JitterMs,
    long Retransmissions,
    long BytesUp,
    long BytesDown,
    long PacketsUp,
    long PacketsDown,
    double ThroughputUpKbps,
    double ThroughputDownKbps);

/// <summary>Everything one LAN device sent and received in the interval, all its flows folded together.</summary>
public sealed record DeviceAggregate(
    string Device,
    RttSummary? LanRttMs,
    RttSummary? WanRttMs,
    double? JitterMs,
    long Retransmissions,
    long BytesUp,
    long BytesDown,
    long PacketsUp,
    long PacketsDown,
    double ThroughputUpKbps,
    double ThroughputDownKbps,
    int Flows);

public enum Verdict
{
    Meets,
    DoesNotMeet,
    Unknown,
}

public sealed record MonitorVerdict(
    string MonitorId,
    Verdict Latency,
    Verdict Jitter,
    Verdict PacketLoss,
    Verdict Throughput);

/// <summary>Capture health: drops are reported, never hidden.</summary>
public sealed record CaptureCounters(long Packets, long KernelDrops, long InterfaceDrops, long Errors, int Flows, long Evicted)
{
    /// <summary>Segments of new flows the agent could not track because its flow table was full.</summary>
    public long Untracked { get; init; }
}

/// <summary>Counters of one HTB class (tc) on one interface.</summary>
public sealed record ClassCounters(string Interface, string ClassId, long Bytes, long Packets, long Drops);
