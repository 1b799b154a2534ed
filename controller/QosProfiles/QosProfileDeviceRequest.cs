using System.Text.Json;
using CamaraQos.Controller.Camara;
using System.Text.Json.Serialization;

namespace CamaraQos.Controller.QosProfiles;

/// <summary>qos-profiles v1.1.0 <c>QosProfileDeviceRequest</c>: every filter optional.</summary>
public sealed record QosProfileDeviceRequest(Device? Device, string? Name, string? Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QosProfile))]
[JsonSerializable(typeof(List<QosProfile>))]
[JsonSerializable(typeof(QosProfileDeviceRequest))]
public sealed partial class QosProfilesJson : JsonSerializerContext;
