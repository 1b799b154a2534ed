using System.Text.Json.Serialization;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.QualityOnDemand;

namespace CamaraQos.Controller.ConnectivityInsights;

// Bodies of connectivity-insights v0.6.0, field names as the spec; nullable on the way in.

/// <summary>NetworkQualityInsightRequest. The time stays a string so a missing time zone is our 400.</summary>
public sealed record NetworkQualityInsightRequest(
    string? ApplicationProfileId,
    Device? Device,
    ApplicationServer? ApplicationServer,
    PortsSpec? ApplicationServerPorts,
    string? MonitoringTimeStamp);

/// <summary>
/// NetworkQualityInsightResponse + DeviceResponseBody. <c>additionalKPIs</c> is never set: its
/// signalStrength is a radio measurement the gateway does not take, and its connectivityType enum
/// (5G-SA, 5G-NSA, 4G, 3G) has no value for a fixed line.
/// </summary>
public sealed record NetworkQualityInsightResponse(
    string? PacketDelayBudget,
    string? TargetMinDownstreamRate,
    string? TargetMinUpstreamRate,
    string? PacketlossErrorRate,
    string? Jitter,
    Device? Device)
{
    public static NetworkQualityInsightResponse From(NetworkQualityInsight i, Device? device) =>
        new(i.PacketDelayBudget, i.TargetMinDownstreamRate, i.TargetMinUpstreamRate, i.PacketlossErrorRate, i.Jitter, device);
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NetworkQualityInsightRequest))]
[JsonSerializable(typeof(NetworkQualityInsightResponse))]
[JsonSerializable(typeof(NetworkQualityInsight))]
public sealed partial class InsightsJson : JsonSerializerContext;
