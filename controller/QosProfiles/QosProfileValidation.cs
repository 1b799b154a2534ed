using System.Globalization;
using System.Text.RegularExpressions;

namespace CamaraQos.Controller.QosProfiles;

/// <summary>
/// Checks the configured profiles against qos-profiles v1.1.0 (<c>QosProfileName</c>, <c>Rate</c>,
/// <c>Duration</c>, <c>priority</c>, <c>packetErrorLossRate</c>) and our own rules (DSCP, min ≤ max), and
/// turns them into <see cref="QosProfile"/>. Every message names the configuration key at fault.
/// </summary>
public static partial class QosProfileValidation
{
    public static readonly string[] Statuses = ["ACTIVE", "INACTIVE", "DEPRECATED"];
    public static readonly string[] RateUnits = ["bps", "kbps", "Mbps", "Gbps", "Tbps"];
    public static readonly string[] TimeUnits = ["Days", "Hours", "Minutes", "Seconds", "Milliseconds", "Microseconds", "Nanoseconds"];

    /// <summary><c>QosProfileName</c>: pattern plus minLength 3, maxLength 256.</summary>
    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,256}$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public static List<string> Validate(IReadOnlyList<QosProfileSettings> profiles)
    {
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < profiles.Count; i++)
        {
            var key = $"{QosProfileCatalogOptions.Section}:{i}";
            var p = profiles[i];
            if (!IsValidName(p.Name))
            {
                errors.Add($"{key}:Name must match ^[a-zA-Z0-9_.-]+$ with 3 to 256 characters (got '{p.Name}').");
            }
            else if (!seen.Add(p.Name!))
            {
                errors.Add($"{key}:Name '{p.Name}' is configured twice.");
            }
            if (p.Status is not null && !Statuses.Contains(p.Status))
            {
                errors.Add($"{key}:Status must be one of {string.Join(", ", Statuses)} (got '{p.Status}').");
            }
            ValidateRates(p, key, errors);
            ValidateDurations(p, key, errors);
            if (p.Priority is not null && Number(p.Priority) is not (>= 1 and <= 100))
            {
                errors.Add($"{key}:Priority must be 1-100 (got {p.Priority}).");
            }
            if (p.PacketErrorLossRate is not null && Number(p.PacketErrorLossRate) is not (>= 1 and <= 10))
            {
                errors.Add($"{key}:PacketErrorLossRate must be 1-10 (got {p.PacketErrorLossRate}).");
            }
            if (ParseDscp(p.Dscp) is null)
            {
                errors.Add($"{key}:Dscp must be a DSCP name (EF, AFxy, CSn, DF) or a number 0-63 (got '{p.Dscp}').");
            }
        }
        return errors;
    }

    private static void ValidateRates(QosProfileSettings p, string key, List<string> errors)
    {
        (string Name, RateSettings? Rate)[] rates =
        [
            (nameof(p.TargetMinUpstreamRate), p.TargetMinUpstreamRate), (nameof(p.MaxUpstreamRate), p.MaxUpstreamRate),
            (nameof(p.MaxUpstreamBurstRate), p.MaxUpstreamBurstRate), (nameof(p.TargetMinDownstreamRate), p.TargetMinDownstreamRate),
            (nameof(p.MaxDownstreamRate), p.MaxDownstreamRate), (nameof(p.MaxDownstreamBurstRate), p.MaxDownstreamBurstRate),
        ];
        foreach (var (name, rate) in rates.Where(r => r.Rate is not null))
        {
            // Rate.value is int32 with minimum 0, maximum 1024: larger rates use a larger unit.
            if (Number(rate!.Value) is not (>= 0 and <= 1024))
            {
                errors.Add($"{key}:{name}:Value must be an integer 0-1024 (got '{rate.Value}'); use a larger unit for more.");
            }
            if (!RateUnits.Contains(rate.Unit))
            {
                errors.Add($"{key}:{name}:Unit must be one of {string.Join(", ", RateUnits)} (got '{rate.Unit}').");
            }
        }
        CheckOrder(p.TargetMinUpstreamRate, p.MaxUpstreamRate, $"{key}:{nameof(p.TargetMinUpstreamRate)}", nameof(p.MaxUpstreamRate), errors);
        CheckOrder(p.TargetMinDownstreamRate, p.MaxDownstreamRate, $"{key}:{nameof(p.TargetMinDownstreamRate)}", nameof(p.MaxDownstreamRate), errors);
    }

    private static void CheckOrder(RateSettings? min, RateSettings? max, string minKey, string maxName, List<string> errors)
    {
        if (ToRate(min) is { } lo && ToRate(max) is { } hi && BitsPerSecond(lo) > BitsPerSecond(hi))
        {
            errors.Add($"{minKey} must not exceed {maxName}.");
        }
    }

    private static long BitsPerSecond(Rate r) =>
        r.Value * (long)Math.Pow(1000, Array.IndexOf(RateUnits, r.Unit));

    private static void ValidateDurations(QosProfileSettings p, string key, List<string> errors)
    {
        (string Name, DurationSettings? Duration, bool Required)[] durations =
        [
            (nameof(p.MinDuration), p.MinDuration, true), (nameof(p.MaxDuration), p.MaxDuration, true),
            (nameof(p.PacketDelayBudget), p.PacketDelayBudget, false), (nameof(p.Jitter), p.Jitter, false),
        ];
        foreach (var (name, duration, required) in durations)
        {
            if (duration is null)
            {
                if (required)
                {
                    errors.Add($"{key}:{name} is required (Value and Unit).");
                }
                continue;
            }
            // Duration.value is int32 with minimum 1.
            if (Number(duration.Value) is not (>= 1 and <= int.MaxValue))
            {
                errors.Add($"{key}:{name}:Value must be an integer 1-{int.MaxValue} (got '{duration.Value}').");
            }
            if (!TimeUnits.Contains(duration.Unit))
            {
                errors.Add($"{key}:{name}:Unit must be one of {string.Join(", ", TimeUnits)} (got '{duration.Unit}').");
            }
        }
        if (ToDuration(p.MinDuration) is { } min && ToDuration(p.MaxDuration) is { } max && min.ToTimeSpan() > max.ToTimeSpan())
        {
            errors.Add($"{key}:MinDuration must not exceed {key}:MaxDuration.");
        }
    }

    /// <summary>Converts settings that passed <see cref="Validate"/>.</summary>
    public static QosProfile ToProfile(QosProfileSettings p) => new()
    {
        Name = p.Name!,
        Description = p.Description,
        Status = p.Status ?? "ACTIVE",
        TargetMinUpstreamRate = ToRate(p.TargetMinUpstreamRate),
        MaxUpstreamRate = ToRate(p.MaxUpstreamRate),
        MaxUpstreamBurstRate = ToRate(p.MaxUpstreamBurstRate),
        TargetMinDownstreamRate = ToRate(p.TargetMinDownstreamRate),
        MaxDownstreamRate = ToRate(p.MaxDownstreamRate),
        MaxDownstreamBurstRate = ToRate(p.MaxDownstreamBurstRate),
        MinDuration = ToDuration(p.MinDuration)!,
        MaxDuration = ToDuration(p.MaxDuration)!,
        Priority = (int?)Number(p.Priority) ?? 20,
        PacketDelayBudget = ToDuration(p.PacketDelayBudget),
        Jitter = ToDuration(p.Jitter),
        PacketErrorLossRate = (int?)Number(p.PacketErrorLossRate),
        Dscp = ParseDscp(p.Dscp)!.Value,
    };

    private static Rate? ToRate(RateSettings? r) =>
        Number(r?.Value) is >= 0 and <= 1024 and var v && RateUnits.Contains(r!.Unit) ? new Rate(v, r.Unit!) : null;

    private static Duration? ToDuration(DurationSettings? d) =>
        Number(d?.Value) is >= 1 and <= int.MaxValue and var v && TimeUnits.Contains(d!.Unit) ? new Duration(v, d.Unit!) : null;

    private static long? Number(string? text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>RFC 2474 / RFC 2597 / RFC 3246 names: CSn = 8n, AFxy = 8x + 2y, EF = 46, DF = 0.</summary>
    public static int? ParseDscp(string? text)
    {
        var t = text?.Trim().ToUpperInvariant();
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return Shared.Dscp.IsValid(n) ? n : null;
        }
        return t switch
        {
            "EF" => Shared.Dscp.EF,
            "DF" or "BE" => Shared.Dscp.DF,
            ['C', 'S', var c] when c is >= '0' and <= '7' => (c - '0') * 8,
            ['A', 'F', var x, var y] when x is >= '1' and <= '4' && y is >= '1' and <= '3' => (x - '0') * 8 + (y - '0') * 2,
            _ => null,
        };
    }
}
