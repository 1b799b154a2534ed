using System.Text.Json.Serialization;

namespace CamaraQos.Controller.QosProfiles;

/// <summary>A rate with its unit, as CAMARA's <c>Rate</c> schema.</summary>
public sealed record Rate(long Value, string Unit)
{
    /// <summary>For the gateway's HTB classes; not part of the CAMARA body.</summary>
    [JsonIgnore]
    public long Kbps => Unit switch
    {
        "bps" => Value / 1000,
        "kbps" => Value,
        "Mbps" => Value * 1000,
        "Gbps" => Value * 1_000_000,
        "Tbps" => Value * 1_000_000_000,
        _ => throw new InvalidOperationException($"Unknown rate unit '{Unit}'."),
    };
}

/// <summary>A duration with its unit, as CAMARA's <c>Duration</c> schema.</summary>
public sealed record Duration(long Value, string Unit)
{
    public TimeSpan ToTimeSpan() => Unit switch
    {
        "Nanoseconds" => TimeSpan.FromTicks(Value / 100),
        "Microseconds" => TimeSpan.FromTicks(Value * 10),
        "Milliseconds" => TimeSpan.FromMilliseconds(Value),
        "Seconds" => TimeSpan.FromSeconds(Value),
        "Minutes" => TimeSpan.FromMinutes(Value),
        "Hours" => TimeSpan.FromHours(Value),
        "Days" => TimeSpan.FromDays(Value),
        _ => throw new InvalidOperationException($"Unknown duration unit '{Unit}'."),
    };
}

/// <summary>
/// One QoS profile (qos-profiles v1.1.0 <c>QosProfile</c>) plus how the gateway carries it out:
/// the DSCP it marks and the HTB class it lands in.
/// </summary>
public sealed record QosProfile
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    /// <summary><c>QosProfileStatusEnum</c>: ACTIVE, INACTIVE or DEPRECATED.</summary>
    public string Status { get; init; } = "ACTIVE";
    public Rate? TargetMinUpstreamRate { get; init; }
    public Rate? MaxUpstreamRate { get; init; }
    public Rate? MaxUpstreamBurstRate { get; init; }
    public Rate? TargetMinDownstreamRate { get; init; }
    public Rate? MaxDownstreamRate { get; init; }
    public Rate? MaxDownstreamBurstRate { get; init; }
    public required Duration MinDuration { get; init; }
    public required Duration MaxDuration { get; init; }
    public int Priority { get; init; } = 20;
    public Duration? PacketDelayBudget { get; init; }
    public Duration? Jitter { get; init; }
    public int? PacketErrorLossRate { get; init; }

    /// <summary>DSCP the gateway writes on the flow's packets (not part of the CAMARA body).</summary>
    [JsonIgnore]
    public int Dscp { get; init; }
}
