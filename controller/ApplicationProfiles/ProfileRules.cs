using CamaraQos.Controller.Camara;

namespace CamaraQos.Controller.ApplicationProfiles;

/// <summary>
/// Rules of application-profiles v0.5.0 that the schema states, checked before anything is stored. Each
/// returns null when the input is acceptable. Every schema violation, a number outside the schema's
/// minimum/maximum included, is INVALID_ARGUMENT: CAMARA's test plan (application-profiles.feature 05 and
/// 06, "not compliant with the schema") asks for that code, which Generic400 also allows.
/// A threshold needs both value and unit: without either it cannot be judged.
/// </summary>
public static class ProfileRules
{
    private static readonly string[] TimeUnits = ["Days", "Hours", "Minutes", "Seconds", "Milliseconds", "Microseconds", "Nanoseconds"];
    private static readonly string[] RateUnits = ["Bps", "Kbps", "Mbps", "Gbps", "Tbps"];
    private static readonly string[] ComputeUnits = ["Kb", "Mb", "Gb", "Tb"];
    private static readonly string[] GpuVendors = ["Nvidia", "AMD"];

    /// <summary>Spec: anyOf networkQualityThresholds / computeResources, each with minProperties 1.</summary>
    public static CamaraError? Validate(NetworkQualityThresholds? network, ComputeResourcesThresholds? compute)
    {
        if (network is null && compute is null)
        {
            return CamaraError.InvalidArgument("networkQualityThresholds or computeResources is required.");
        }
        if (network is { IsEmpty: true })
        {
            return CamaraError.InvalidArgument("networkQualityThresholds must contain at least one threshold.");
        }
        if (compute is { IsEmpty: true })
        {
            return CamaraError.InvalidArgument("computeResources must contain at least one requirement.");
        }
        return (network is null ? null : ValidateNetwork(network)) ?? (compute is null ? null : ValidateCompute(compute));
    }

    private static CamaraError? ValidateNetwork(NetworkQualityThresholds n) =>
        Time(n.PacketDelayBudget, "networkQualityThresholds.packetDelayBudget")
        ?? Time(n.Jitter, "networkQualityThresholds.jitter")
        ?? Bounded(n.TargetMinDownstreamRate?.Value, n.TargetMinDownstreamRate?.Unit, n.TargetMinDownstreamRate is null, RateUnits, "networkQualityThresholds.targetMinDownstreamRate")
        ?? Bounded(n.TargetMinUpstreamRate?.Value, n.TargetMinUpstreamRate?.Unit, n.TargetMinUpstreamRate is null, RateUnits, "networkQualityThresholds.targetMinUpstreamRate")
        ?? (n.PacketLossErrorRate is < 1 or > 10
            ? CamaraError.InvalidArgument("networkQualityThresholds.packetLossErrorRate must be between 1 and 10 (loss rate 10^-N).")
            : null);

    private static CamaraError? ValidateCompute(ComputeResourcesThresholds c)
    {
        if (c.GpuVendorType is { } vendor && !GpuVendors.Contains(vendor, StringComparer.Ordinal))
        {
            return CamaraError.InvalidArgument("computeResources.gpuVendorType must be one of Nvidia, AMD.");
        }
        return Bounded(c.TargetMinMemory?.Value, c.TargetMinMemory?.Unit, c.TargetMinMemory is null, ComputeUnits, "computeResources.targetMinMemory")
            ?? Bounded(c.TargetMinGPUMemory?.Value, c.TargetMinGPUMemory?.Unit, c.TargetMinGPUMemory is null, ComputeUnits, "computeResources.targetMinGPUMemory")
            ?? Bounded(c.TargetMinEphemeralStorage?.Value, c.TargetMinEphemeralStorage?.Unit, c.TargetMinEphemeralStorage is null, ComputeUnits, "computeResources.targetMinEphemeralStorage")
            ?? Bounded(c.TargetMinPersistentStorage?.Value, c.TargetMinPersistentStorage?.Unit, c.TargetMinPersistentStorage is null, ComputeUnits, "computeResources.targetMinPersistentStorage");
    }

    /// <summary>Duration: value int32 minimum 1, unit TimeUnitEnum.</summary>
    private static CamaraError? Time(Duration? d, string field) => d switch
    {
        null => null,
        { Value: null } or { Unit: null } => CamaraError.InvalidArgument($"{field} needs value and unit."),
        _ when !TimeUnits.Contains(d.Unit, StringComparer.Ordinal) => CamaraError.InvalidArgument($"{field}.unit must be one of {string.Join(", ", TimeUnits)}."),
        { Value: < 1 } => CamaraError.InvalidArgument($"{field}.value must be at least 1."),
        _ => null,
    };

    /// <summary>Rate and Compute: value int32 0..1024, unit from the enum.</summary>
    private static CamaraError? Bounded(int? value, string? unit, bool absent, string[] units, string field) => absent
        ? null
        : value is null || unit is null ? CamaraError.InvalidArgument($"{field} needs value and unit.")
        : !units.Contains(unit, StringComparer.Ordinal) ? CamaraError.InvalidArgument($"{field}.unit must be one of {string.Join(", ", units)}.")
        : value is < 0 or > 1024 ? CamaraError.InvalidArgument($"{field}.value must be between 0 and 1024.")
        : null;

    /// <summary>specs/camara/NOTES.md row 4: a malformed id is 400 INVALID_ARGUMENT, not 404.</summary>
    public static CamaraError? ParseId(string raw, out Guid id) =>
        Uuid.TryParse(raw, out id) ? null : CamaraError.InvalidArgument("applicationProfileId must be a UUID.");
}
