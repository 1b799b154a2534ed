using CamaraQos.Controller.Camara;

namespace CamaraQos.Controller.QualityOnDemand;

// Bodies of quality-on-demand v1.1.0, field names as the spec. Everything is nullable on the way in
// so that a missing field is our 400 with a message, not a deserializer exception.

public sealed record ApplicationServer(string? Ipv4Address, string? Ipv6Address);

public sealed record PortRangeBody(int? From, int? To);

public sealed record PortsSpec(IReadOnlyList<PortRangeBody>? Ranges, IReadOnlyList<int>? Ports);



public sealed record CreateSession(
    Device? Device,
    ApplicationServer? ApplicationServer,
    PortsSpec? DevicePorts,
    PortsSpec? ApplicationServerPorts,
    string? QosProfile,
    string? Sink,
    Notifications.SinkCredential? SinkCredential,
    int? Duration);

public sealed record ExtendSessionDuration(int? RequestedAdditionalDuration);

public sealed record RetrieveSessionsInput(Device? Device);

#pragma warning disable CA1707 // enum members are spelled as the spec spells them on the wire
public enum QosStatus
{
    REQUESTED,
    AVAILABLE,
    UNAVAILABLE,
}

public enum StatusInfo
{
    DURATION_EXPIRED,
    NETWORK_TERMINATED,
    DELETE_REQUESTED,
}
#pragma warning restore CA1707

/// <summary>SessionInfo as the spec returns it. The sink credential is never echoed back.</summary>
public sealed record SessionInfo(
    Guid SessionId,
    Device? Device,
    ApplicationServer ApplicationServer,
    PortsSpec? DevicePorts,
    PortsSpec? ApplicationServerPorts,
    string QosProfile,
    string? Sink,
    long Duration,
    DateTimeOffset? StartedAt,
    DateTimeOffset? ExpiresAt,
    QosStatus QosStatus,
    StatusInfo? StatusInfo);
