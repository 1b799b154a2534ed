using System.Text.Json.Serialization;

namespace CamaraQos.Controller.ApplicationProfiles;

// Bodies of application-profiles v0.5.0, field names as the spec. Nullable on the way in, so a missing
// field is our 400 with a message; numbers strictly (the web defaults would read "12" as 12).

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record Duration(int? Value, string? Unit);

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record Rate(int? Value, string? Unit);

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record Compute(int? Value, string? Unit);

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record NetworkQualityThresholds(
    Duration? PacketDelayBudget,
    Rate? TargetMinDownstreamRate,
    Rate? TargetMinUpstreamRate,
    int? PacketLossErrorRate,
    Duration? Jitter)
{
    [JsonIgnore]
    public bool IsEmpty => PacketDelayBudget is null && TargetMinDownstreamRate is null && TargetMinUpstreamRate is null
        && PacketLossErrorRate is null && Jitter is null;
}

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record ComputeResourcesThresholds(
    double? TargetMinCPU,
    Compute? TargetMinMemory,
    string? GpuVendorType,
    string? GpuModelName,
    int? TargetMinGPU,
    Compute? TargetMinGPUMemory,
    Compute? TargetMinEphemeralStorage,
    Compute? TargetMinPersistentStorage)
{
    [JsonIgnore]
    public bool IsEmpty => TargetMinCPU is null && TargetMinMemory is null && GpuVendorType is null && GpuModelName is null
        && TargetMinGPU is null && TargetMinGPUMemory is null && TargetMinEphemeralStorage is null && TargetMinPersistentStorage is null;
}

/// <summary>POST body (ApplicationProfileRequest).</summary>
public sealed record ApplicationProfileRequest(NetworkQualityThresholds? NetworkQualityThresholds, ComputeResourcesThresholds? ComputeResources);

/// <summary>PATCH body (ApplicationProfile: the id is required and must be the path's).</summary>
public sealed record ApplicationProfileBody(string? ApplicationProfileId, NetworkQualityThresholds? NetworkQualityThresholds, ComputeResourcesThresholds? ComputeResources);

/// <summary>ApplicationProfile as stored and returned.</summary>
public sealed record ApplicationProfile(Guid ApplicationProfileId, NetworkQualityThresholds? NetworkQualityThresholds, ComputeResourcesThresholds? ComputeResources);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApplicationProfileRequest))]
[JsonSerializable(typeof(ApplicationProfileBody))]
[JsonSerializable(typeof(ApplicationProfile))]
public sealed partial class ApplicationProfilesJson : JsonSerializerContext;
