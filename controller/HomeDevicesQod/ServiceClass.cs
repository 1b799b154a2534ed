using CamaraQos.Shared;

namespace CamaraQos.Controller.HomeDevicesQod;

/// <summary>
/// A CAMARA service class of home-devices-qod v0.4.0 (QosOnDemandUpdate.serviceClass) with its RFC 4594
/// DSCP, as the spec's table gives it, and the 802.11 user priority RFC 8325 maps that DSCP to.
/// </summary>
public sealed record ServiceClass(string Name, int Dscp)
{
    public const string StandardName = "standard";

    /// <summary>The spec's table, in its order.</summary>
    public static IReadOnlyList<ServiceClass> All { get; } =
    [
        new("real_time_interactive", Shared.Dscp.CS4),
        new("multimedia_streaming", Shared.Dscp.AF31),
        new("broadcast_video", Shared.Dscp.CS3),
        new("low_latency_data", Shared.Dscp.AF21),
        new("high_throughput_data", Shared.Dscp.AF11),
        new("low_priority_data", Shared.Dscp.CS1),
        new(StandardName, Shared.Dscp.DF),
    ];

    /// <summary>"Setting standard service class restores default traffic treatment" (setQos).</summary>
    public bool IsStandard => Name == StandardName;

    /// <summary>RFC 8325 §4.3: the UP Wi-Fi drivers use to pick the WMM access category.</summary>
    public int WifiUserPriority => Shared.Dscp.WifiUserPriority(Dscp);

    /// <summary>Exact spelling only: the spec's enum is case-sensitive.</summary>
    public static ServiceClass? Find(string? name) => All.FirstOrDefault(c => c.Name == name);
}
