using System.Text.Json;
using System.Text.Json.Serialization;

namespace CamaraQos.Controller.QualityOnDemand;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SessionRequest))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(List<SessionInfo>))]
[JsonSerializable(typeof(CreateSession))]
[JsonSerializable(typeof(ExtendSessionDuration))]
[JsonSerializable(typeof(RetrieveSessionsInput))]
[JsonSerializable(typeof(QosStatusChangedData))]
public sealed partial class QodJson : JsonSerializerContext;

/// <summary><c>data</c> of the qos-status-changed CloudEvent (EventQosStatusChanged).</summary>
public sealed record QosStatusChangedData(Guid SessionId, QosStatus QosStatus, StatusInfo? StatusInfo);
