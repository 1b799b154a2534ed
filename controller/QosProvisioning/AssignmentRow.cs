using System.Text.Json;

namespace CamaraQos.Controller.QosProvisioning;

/// <summary>The table's row: primitive columns only, so SQLite and PostgreSQL map it the same way.</summary>
internal sealed class AssignmentRow
{
    public AssignmentRow() { }

    public AssignmentRow(Assignment a)
    {
        AssignmentId = a.AssignmentId.ToString();
        ClientId = a.ClientId;
        SubscriberId = a.SubscriberId;
        AgentId = a.AgentId;
        DeviceIp = a.DeviceIp;
        DeviceMac = a.DeviceMac;
        DeviceKey = a.DeviceKey;
        Request = JsonSerializer.Serialize(a.Request, ProvisioningJson.Default.AssignmentRequest);
        SinkToken = a.SinkToken;
        Status = a.Status.ToString();
        StatusInfo = a.StatusInfo?.ToString();
        Generation = a.Generation;
        RevokeGeneration = a.RevokeGeneration;
        CreatedAt = a.CreatedAt.ToUnixTimeMilliseconds();
        StartedAt = a.StartedAt?.ToUnixTimeMilliseconds();
        DeleteAt = a.DeleteAt?.ToUnixTimeMilliseconds();
    }

    public string AssignmentId { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string? SubscriberId { get; set; }
    public string AgentId { get; set; } = "";
    public string DeviceIp { get; set; } = "";
    public string? DeviceMac { get; set; }
    public string DeviceKey { get; set; } = "";
    public string Request { get; set; } = "";
    public string? SinkToken { get; set; }
    public string Status { get; set; } = "";
    public string? StatusInfo { get; set; }
    public long Generation { get; set; }
    public long RevokeGeneration { get; set; }
    public long CreatedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? DeleteAt { get; set; }

    /// <summary>Insert parameters, spelled out (Dapper's inference does not read this nested type).</summary>
    public object Parameters() => new
    {
        AssignmentId, ClientId, SubscriberId, AgentId, DeviceIp, DeviceMac, DeviceKey, Request, SinkToken, Status,
        StatusInfo, Generation, RevokeGeneration, CreatedAt, StartedAt, DeleteAt,
    };

    public Assignment ToAssignment() => new(
        Guid.Parse(AssignmentId), ClientId, SubscriberId, AgentId, DeviceIp, DeviceMac,
        JsonSerializer.Deserialize(Request, ProvisioningJson.Default.AssignmentRequest)!, SinkToken,
        Enum.Parse<AssignmentStatus>(Status), StatusInfo is null ? null : Enum.Parse<AssignmentStatusInfo>(StatusInfo),
        Generation, RevokeGeneration, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), FromMs(StartedAt), FromMs(DeleteAt));

    private static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
