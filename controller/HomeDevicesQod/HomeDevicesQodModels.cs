using System.Text.Json;
using System.Text.Json.Serialization;

namespace CamaraQos.Controller.HomeDevicesQod;

/// <summary>
/// QosOnDemandUpdate of home-devices-qod v0.4.0. Nullable on the way in, so a missing field is our 400
/// with a message rather than a deserializer exception.
/// </summary>
public sealed record QosOnDemandUpdate(string? ServiceClass, string? IpAddress);

/// <summary>The non-default class one LAN device of a home has, as stored. The MAC is who the device is.</summary>
public sealed record HomeDeviceQos(
    string AgentId,
    string DeviceMac,
    string DeviceIp,
    string ServiceClass,
    string ClientId,
    string SubscriberId,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// Policy ids sort after QoD sessions (<c>qod-</c>) and QoS assignments (<c>qos-</c>): the compiler orders
    /// policies by id and the gateway's classify chain stops at the first match, so a flow's session or a
    /// device's assignment keeps precedence over the home class of the same packets.
    /// </summary>
    public string PolicyId => PolicyIdOf(DeviceMac);

    public static string PolicyIdOf(string mac) => "wmm-" + mac.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QosOnDemandUpdate))]
public sealed partial class HomeDevicesQodJson : JsonSerializerContext;
