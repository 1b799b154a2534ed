using System.Text.Json;
using System.Text.Json.Serialization;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Notifications;

namespace CamaraQos.Controller.QosProvisioning;

// Bodies of qos-provisioning v0.3.0, field names as the spec. Nullable on the way in, so a missing
// field is our 400 with a message rather than a deserializer exception.

public sealed record CreateAssignment(Device? Device, string? QosProfile, string? Sink, SinkCredential? SinkCredential);

public sealed record RetrieveAssignmentByDevice(Device? Device);

#pragma warning disable CA1707 // enum members are spelled as the spec spells them on the wire
public enum AssignmentStatus
{
    REQUESTED,
    AVAILABLE,
    UNAVAILABLE,
}

public enum AssignmentStatusInfo
{
    NETWORK_TERMINATED,
    DELETE_REQUESTED,
}
#pragma warning restore CA1707

/// <summary>AssignmentInfo as the spec returns it. The sink credential is never echoed back.</summary>
public sealed record AssignmentInfo(
    Guid AssignmentId,
    Device? Device,
    string QosProfile,
    string? Sink,
    DateTimeOffset? StartedAt,
    AssignmentStatus Status,
    AssignmentStatusInfo? StatusInfo);

/// <summary>
/// <c>data</c> of the status-changed CloudEvent. The 0.3.0 schema's <c>required</c> says <c>qosStatus</c>
/// but its property is <c>status</c>: we send <c>status</c> (specs/camara/NOTES.md row 6).
/// </summary>
public sealed record AssignmentStatusChangedData(Guid AssignmentId, AssignmentStatus Status, AssignmentStatusInfo? StatusInfo);

/// <summary>What the client asked for, kept as JSON in the store.</summary>
public sealed record AssignmentRequest(Device? Device, string QosProfile, string? Sink);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CreateAssignment))]
[JsonSerializable(typeof(RetrieveAssignmentByDevice))]
[JsonSerializable(typeof(AssignmentInfo))]
[JsonSerializable(typeof(AssignmentStatusChangedData))]
[JsonSerializable(typeof(AssignmentRequest))]
public sealed partial class ProvisioningJson : JsonSerializerContext;
