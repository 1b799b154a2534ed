using System.Text.Json;
using System.Text.Json.Serialization;

namespace CamaraQos.Controller.QosProfiles;

/// <summary>qos-profiles v1.1.0 <c>QosProfileDeviceRequest</c>: every filter optional.</summary>
public sealed record QosProfileDeviceRequest(QosProfileDevice? Device, string? Name, string? Status);

/// <summary>The spec's <c>Device</c> (minProperties 1).</summary>
public sealed record QosProfileDevice(
    string? PhoneNumber,
    string? NetworkAccessIdentifier,
    QosProfileDeviceIpv4Addr? Ipv4Address,
    string? Ipv6Address);

/// <summary>The spec's <c>DeviceIpv4Addr</c>: publicAddress plus privateAddress or publicPort.</summary>
public sealed record QosProfileDeviceIpv4Addr(string? PublicAddress, string? PrivateAddress, int? PublicPort);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QosProfile))]
[JsonSerializable(typeof(List<QosProfile>))]
[JsonSerializable(typeof(QosProfileDeviceRequest))]
public sealed partial class QosProfilesJson : JsonSerializerContext;
