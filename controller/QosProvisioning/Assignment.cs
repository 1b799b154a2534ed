namespace CamaraQos.Controller.QosProvisioning;

/// <summary>
/// One QoS assignment as stored. <c>DeviceMac</c> is how it follows the device across LAN address
/// changes; <c>DeviceIp</c> is the last address seen. <c>RevokeGeneration</c> &gt; 0 means a revoke is
/// waiting for the gateway to report a generation at least that new without the policy.
/// </summary>
public sealed record Assignment(
    Guid AssignmentId,
    string ClientId,
    string? SubscriberId,
    string AgentId,
    string DeviceIp,
    string? DeviceMac,
    AssignmentRequest Request,
    string? SinkToken,
    AssignmentStatus Status,
    AssignmentStatusInfo? StatusInfo,
    long Generation,
    long RevokeGeneration,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? DeleteAt)
{
    public string PolicyId => $"qos-{AssignmentId:N}";

    public bool Revoking => RevokeGeneration > 0;

    /// <summary>One assignment per device: the MAC when known (it outlives the address), else the address.</summary>
    public string DeviceKey => DeviceKeyOf(DeviceMac, DeviceIp);

    public static string DeviceKeyOf(string? mac, string ip) => mac is not null ? $"mac:{mac.ToLowerInvariant()}" : $"ip:{ip}";

    /// <summary>Spec (revokeQosAssignment 202): status stays AVAILABLE with statusInfo DELETE_REQUESTED until done.</summary>
    public AssignmentInfo ToInfo() => new(
        AssignmentId,
        Request.Device,
        Request.QosProfile,
        Request.Sink,
        Status == AssignmentStatus.REQUESTED ? null : StartedAt,
        Status,
        Revoking ? AssignmentStatusInfo.DELETE_REQUESTED : StatusInfo);
}
