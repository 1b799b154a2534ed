using CamaraQos.Controller.Camara;
using CamaraQos.Controller.QualityOnDemand;

namespace CamaraQos.Controller.QualityOnDemandV0;

// Bodies of quality-on-demand v0.10.1 (/qod/v0), field names as the spec. Nullable on the way in so a
// missing field is our 400 with a message, not a deserializer exception.

/// <summary><c>BaseSessionInfo.webhook</c>: notificationUrl required, notificationAuthToken 20..256 characters.</summary>
public sealed record Webhook(string? NotificationUrl, string? NotificationAuthToken);

public sealed record CreateSessionV0(
    Device? Device,
    ApplicationServer? ApplicationServer,
    PortsSpec? DevicePorts,
    PortsSpec? ApplicationServerPorts,
    string? QosProfile,
    Webhook? Webhook,
    int? Duration);

public sealed record ExtendSessionDurationV0(int? RequestedAdditionalDuration);

/// <summary>
/// v0.10.1 SessionInfo: times are seconds since the Unix epoch and always present. The webhook's token is
/// never echoed back (as v1 never echoes sinkCredential); there is no statusInfo in this version.
/// </summary>
public sealed record SessionInfoV0(
    Guid SessionId,
    Device Device,
    ApplicationServer ApplicationServer,
    PortsSpec? DevicePorts,
    PortsSpec? ApplicationServerPorts,
    string QosProfile,
    Webhook? Webhook,
    long Duration,
    long StartedAt,
    long ExpiresAt,
    QosStatus QosStatus);
