namespace CamaraQos.Controller.QosProfiles;

/// <summary>
/// The profiles offered when configuration lists none: CAMARA's predefined names (qos-profiles v1.1.0
/// <c>QosProfileName</c>) sized for a fixed-line home gateway. Rationale and the DSCP choices (RFC 4594
/// service classes) are in docs/QOS_PROFILES.md.
///
/// | name  | DSCP      | priority | target min up/down | max up/down   | delay budget | jitter | loss  | duration     |
/// |-------|-----------|----------|--------------------|---------------|--------------|--------|-------|--------------|
/// | QOS_E | EF (46)   | 10       | 1 / 1 Mbps         | 5 / 5 Mbps    | 10 ms        | 5 ms   | 10^-5 | 1 s..86400 s |
/// | QOS_L | AF41 (34) | 20       | 5 / 25 Mbps        | 20 / 100 Mbps | 50 ms        | 20 ms  | 10^-3 | 1 s..86400 s |
/// | QOS_M | AF31 (26) | 30       | 2 / 10 Mbps        | 10 / 50 Mbps  | 100 ms       | 40 ms  | 10^-3 | 1 s..86400 s |
/// | QOS_S | AF21 (18) | 40       | 1 / 2 Mbps         | 2 / 10 Mbps   | 100 ms       | 40 ms  | 10^-4 | 1 s..86400 s |
/// </summary>
public static class QosProfileDefaults
{
    private static readonly Duration OneSecond = new(1, "Seconds");
    private static readonly Duration OneDay = new(86400, "Seconds");

    public static IReadOnlyList<QosProfile> All { get; } =
    [
        new()
        {
            Name = "QOS_E",
            Description = "Low latency and jitter for interactive real-time traffic (voice, gaming, remote control).",
            TargetMinUpstreamRate = new(1, "Mbps"), TargetMinDownstreamRate = new(1, "Mbps"),
            MaxUpstreamRate = new(5, "Mbps"), MaxDownstreamRate = new(5, "Mbps"),
            MinDuration = OneSecond, MaxDuration = OneDay, Priority = 10,
            PacketDelayBudget = new(10, "Milliseconds"), Jitter = new(5, "Milliseconds"), PacketErrorLossRate = 5,
            Dscp = Shared.Dscp.EF,
        },
        new()
        {
            Name = "QOS_L",
            Description = "Large guaranteed throughput with low delay (video conferencing, cloud rendering).",
            TargetMinUpstreamRate = new(5, "Mbps"), TargetMinDownstreamRate = new(25, "Mbps"),
            MaxUpstreamRate = new(20, "Mbps"), MaxDownstreamRate = new(100, "Mbps"),
            MinDuration = OneSecond, MaxDuration = OneDay, Priority = 20,
            PacketDelayBudget = new(50, "Milliseconds"), Jitter = new(20, "Milliseconds"), PacketErrorLossRate = 3,
            Dscp = Shared.Dscp.AF41,
        },
        new()
        {
            Name = "QOS_M",
            Description = "Medium guaranteed throughput (HD streaming, live video upload).",
            TargetMinUpstreamRate = new(2, "Mbps"), TargetMinDownstreamRate = new(10, "Mbps"),
            MaxUpstreamRate = new(10, "Mbps"), MaxDownstreamRate = new(50, "Mbps"),
            MinDuration = OneSecond, MaxDuration = OneDay, Priority = 30,
            PacketDelayBudget = new(100, "Milliseconds"), Jitter = new(40, "Milliseconds"), PacketErrorLossRate = 3,
            Dscp = Shared.Dscp.AF31,
        },
        new()
        {
            Name = "QOS_S",
            Description = "Small guaranteed throughput for responsive transactional data (web, messaging, telemetry).",
            TargetMinUpstreamRate = new(1, "Mbps"), TargetMinDownstreamRate = new(2, "Mbps"),
            MaxUpstreamRate = new(2, "Mbps"), MaxDownstreamRate = new(10, "Mbps"),
            MinDuration = OneSecond, MaxDuration = OneDay, Priority = 40,
            PacketDelayBudget = new(100, "Milliseconds"), Jitter = new(40, "Milliseconds"), PacketErrorLossRate = 4,
            Dscp = Shared.Dscp.AF21,
        },
    ];
}
