namespace CamaraQos.Shared;

/// <summary>Version of every message on the wire; a receiver rejects any other.</summary>
public static class Contract
{
    public const int SchemaVersion = 1;
}

/// <summary>
/// The whole desired state of one agent (topic <c>desired</c>, retained). Never a delta: the agent
/// reconciles the kernel to exactly this document and ignores generations older than it has.
/// </summary>
public sealed record DesiredState(
    int SchemaVersion,
    long Generation,
    DateTimeOffset IssuedAt,
    IReadOnlyList<Policy> Policies,
    IReadOnlyList<FlowMonitor> Monitors);

public enum PolicyKind
{
    /// <summary>A QoD session: one application flow, both directions, time limited.</summary>
    Flow,
    /// <summary>A QoS assignment for all traffic of one device (QoS provisioning).</summary>
    Device,
    /// <summary>Home devices QoD: downstream DSCP + Wi-Fi access category for one LAN device.</summary>
    HomeDevice,
}

[Flags]
public enum Directions
{
    None = 0,
    /// <summary>Device → server, shaped and marked on the WAN egress.</summary>
    Upstream = 1,
    /// <summary>Server → device, shaped and marked on the LAN egress.</summary>
    Downstream = 2,
    Both = Upstream | Downstream,
}

public enum TrafficClass
{
    Priority,
    Default,
    Bulk,
}

/// <summary>
/// One rule for the gateway. Addresses stay strings on the wire; the agent types and validates every
/// value before it reaches the kernel and rejects the document otherwise.
/// </summary>
public sealed record Policy(
    string Id,
    PolicyKind Kind,
    FlowMatch Match,
    Directions Directions,
    int Dscp,
    TrafficClass Class,
    int? GuaranteedUpKbps,
    int? GuaranteedDownKbps,
    int? MaxUpKbps,
    int? MaxDownKbps,
    int? WifiUserPriority,
    DateTimeOffset? NotAfter);

/// <summary>
/// Which packets a policy covers, seen from the LAN device. <c>DeviceIp</c> is the LAN address
/// (before NAT). <c>ServerIps</c> are addresses or CIDR prefixes (IPv4 and/or IPv6, as CAMARA's
/// ApplicationServer allows both); null or empty means any server. Port lists are unions of ranges
/// (a single port is a range of one); null or empty means any port.
/// </summary>
public sealed record FlowMatch(
    string DeviceIp,
    string? DeviceMac,
    IReadOnlyList<string>? ServerIps,
    IReadOnlyList<PortRange>? DevicePorts,
    IReadOnlyList<PortRange>? ServerPorts,
    FlowProtocol Protocol);

public enum FlowProtocol
{
    Any,
    Tcp,
    Udp,
}

public sealed record PortRange(int From, int To)
{
    public bool IsValid => From is >= 0 and <= 65535 && To is >= 0 and <= 65535 && From <= To;
}

/// <summary>A flow whose quality the agent measures and judges against thresholds (issue 4).</summary>
public sealed record FlowMonitor(
    string Id,
    string DeviceIp,
    string? ServerIp,
    int? ServerPort,
    QualityThresholds Thresholds);

public sealed record QualityThresholds(
    double? LatencyMs,
    double? JitterMs,
    double? PacketLossPercent,
    long? MinUpKbps,
    long? MinDownKbps);

/// <summary>What the agent did with a desired document (topic <c>reported</c>, retained).</summary>
public sealed record ReportedState(
    int SchemaVersion,
    string AgentId,
    long BootEpoch,
    long ObservedGeneration,
    DateTimeOffset At,
    IReadOnlyList<PolicyResult> Policies,
    string KernelHash,
    Rejection? LastRejection);

public enum PolicyOutcome
{
    Applied,
    Failed,
    Expired,
}

public sealed record PolicyResult(string Id, PolicyOutcome Outcome, string? Reason);

/// <summary>A document the agent refused; the previous state stays in force.</summary>
public sealed record Rejection(long? Generation, string Reason, DateTimeOffset At);

/// <summary>Birth and death of an agent (topic <c>status</c>, retained; the Last Will has Online=false).</summary>
public sealed record AgentStatus(
    int SchemaVersion,
    string AgentId,
    bool Online,
    long BootEpoch,
    string? SoftwareVersion,
    AgentCapabilities? Capabilities,
    WanAddresses? Wan,
    IReadOnlyList<string>? LanPrefixes,
    IReadOnlyList<LanDevice>? Inventory,
    DateTimeOffset At);

/// <summary>What the gateway's kernel can do, probed at start.</summary>
public sealed record AgentCapabilities(
    IReadOnlyList<string> Qdiscs,
    IReadOnlyList<string> Classifiers,
    bool NftDscp,
    bool NftMetaPriority,
    bool Ipv6);

public sealed record WanAddresses(IReadOnlyList<string> Ipv4, IReadOnlyList<string> Ipv6Prefixes);

/// <summary>A device in the home network, from the neighbour table or DHCP leases.</summary>
public sealed record LanDevice(string Ip, string Mac, string Interface, string? Band);
