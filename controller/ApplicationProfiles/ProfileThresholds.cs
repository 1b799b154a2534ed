using CamaraQos.Shared;

namespace CamaraQos.Controller.ApplicationProfiles;

/// <summary>An application profile's network thresholds in the units the shared <see cref="QualityJudge"/> uses.</summary>
public static class ProfileThresholds
{
    /// <summary>Only thresholds the profile states are set; the judge calls the others met.</summary>
    public static QualityThresholds ToQuality(NetworkQualityThresholds? n) => n is null
        ? new QualityThresholds(null, null, null, null, null)
        : new QualityThresholds(
            Milliseconds(n.PacketDelayBudget),
            Milliseconds(n.Jitter),
            // PacketErrorLossRate N is the rate 10^-N (application-profiles v0.5.0).
            n.PacketLossErrorRate is { } exponent ? 100 * Math.Pow(10, -exponent) : null,
            Kbps(n.TargetMinUpstreamRate),
            Kbps(n.TargetMinDownstreamRate));

    public static double? Milliseconds(Duration? d) => d is { Value: { } v, Unit: { } unit }
        ? unit switch
        {
            "Days" => v * 86_400_000.0,
            "Hours" => v * 3_600_000.0,
            "Minutes" => v * 60_000.0,
            "Seconds" => v * 1_000.0,
            "Milliseconds" => v,
            "Microseconds" => v / 1_000.0,
            "Nanoseconds" => v / 1_000_000.0,
            _ => throw new ArgumentOutOfRangeException(nameof(d), unit, "Not a TimeUnitEnum value."),
        }
        : null;

    /// <summary>Bits per second in decimal multiples; a rate under 1 kbps is rounded up so it is still a target.</summary>
    public static long? Kbps(Rate? r) => r is { Value: { } v, Unit: { } unit }
        ? unit switch
        {
            "Bps" => (long)Math.Ceiling(v / 1000.0),
            "Kbps" => v,
            "Mbps" => v * 1_000L,
            "Gbps" => v * 1_000_000L,
            "Tbps" => v * 1_000_000_000L,
            _ => throw new ArgumentOutOfRangeException(nameof(r), unit, "Not a RateUnitEnum value."),
        }
        : null;
}
