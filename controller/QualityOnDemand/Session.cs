using CamaraQos.Controller.Camara;

namespace CamaraQos.Controller.QualityOnDemand;

/// <summary>
/// What the client asked for, kept as JSON: echoed back as SessionInfo, compiled into policies.
/// <c>ApiVersion</c> names the API that created it (null: v1), so notifications keep the creator's format.
/// </summary>
public sealed record SessionRequest(
    Device? Device,
    ApplicationServer ApplicationServer,
    PortsSpec? DevicePorts,
    PortsSpec? ApplicationServerPorts,
    string QosProfile,
    string? Sink,
    string? ApiVersion = null)
{
    /// <summary>Sessions created through QoD v0.10 (<c>/qod/v0</c>).</summary>
    public const string QodV0 = "qod-v0";
}

/// <summary>One QoD session as stored. Times are UTC; <c>Generation</c> is the first desired document carrying it.</summary>
public sealed record Session(
    Guid SessionId,
    string ClientId,
    string? SubscriberId,
    string AgentId,
    string DeviceIp,
    string? DeviceMac,
    SessionRequest Request,
    string? SinkToken,
    long Duration,
    QosStatus Status,
    StatusInfo? StatusInfo,
    long Generation,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? ConfirmDeadline,
    DateTimeOffset? DeleteAt)
{
    public bool IsActive => Status != QosStatus.UNAVAILABLE;

    public string PolicyId => $"qod-{SessionId:N}";

    /// <summary>
    /// Spec: for UNAVAILABLE, duration is the effective time from startedAt to termination and expiresAt
    /// the termination time. A session that never became AVAILABLE keeps its granted duration.
    /// </summary>
    public SessionInfo ToInfo() => new(
        SessionId,
        Request.Device,
        Request.ApplicationServer,
        Request.DevicePorts,
        Request.ApplicationServerPorts,
        Request.QosProfile,
        Request.Sink,
        Status == QosStatus.UNAVAILABLE && StartedAt is { } s && ExpiresAt is { } e ? Math.Max(1, (long)Math.Ceiling((e - s).TotalSeconds)) : Duration,
        StartedAt,
        Status == QosStatus.REQUESTED ? null : ExpiresAt,
        Status,
        StatusInfo);
}
