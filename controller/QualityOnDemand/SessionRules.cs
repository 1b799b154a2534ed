using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.QosProfiles;
using CamaraQos.Shared;

namespace CamaraQos.Controller.QualityOnDemand;

/// <summary>
/// Rules of quality-on-demand v1.1.0 that the schema states or implies, checked before anything is
/// resolved or stored. Each returns null when the input is acceptable.
/// </summary>
public static partial class SessionRules
{
    [GeneratedRegex("^[a-zA-Z0-9_.-]+$")]
    private static partial Regex ProfileName();

    public static CamaraError? ValidateCreate(CreateSession body)
    {
        if (body.ApplicationServer is null)
        {
            return CamaraError.InvalidArgument("applicationServer is required.");
        }
        if (ValidateApplicationServer(body.ApplicationServer) is { } server)
        {
            return server;
        }
        if ((ValidatePorts(body.DevicePorts, "devicePorts") ?? ValidatePorts(body.ApplicationServerPorts, "applicationServerPorts")) is { } ports)
        {
            return ports;
        }
        if (body.QosProfile is null)
        {
            return CamaraError.InvalidArgument("qosProfile is required.");
        }
        if (body.QosProfile.Length is < 3 or > 256 || !ProfileName().IsMatch(body.QosProfile))
        {
            return CamaraError.InvalidArgument("qosProfile must be 3-256 characters of [a-zA-Z0-9_.-].");
        }
        if (body.Duration is null)
        {
            return CamaraError.InvalidArgument("duration is required.");
        }
        if (body.Duration < 1)
        {
            return CamaraError.InvalidArgument("duration must be at least 1 second.");
        }
        return body.Device is null ? null : DeviceSyntax.Validate(body.Device);
    }

    public static CamaraError? ValidateApplicationServer(ApplicationServer server)
    {
        if (server.Ipv4Address is null && server.Ipv6Address is null)
        {
            return CamaraError.InvalidArgument("applicationServer needs ipv4Address or ipv6Address.");
        }
        if (server.Ipv4Address is { } v4 && !IpSyntax.IsPrefix(v4, AddressFamily.InterNetwork))
        {
            return CamaraError.InvalidArgument("applicationServer.ipv4Address must be an IPv4 address or address/mask.");
        }
        if (server.Ipv6Address is { } v6 && !IpSyntax.IsPrefix(v6, AddressFamily.InterNetworkV6))
        {
            return CamaraError.InvalidArgument("applicationServer.ipv6Address must be an IPv6 address or address/mask.");
        }
        return null;
    }

    public static CamaraError? ValidatePorts(PortsSpec? spec, string field)
    {
        if (spec is null)
        {
            return null;
        }
        if (spec.Ranges is null && spec.Ports is null)
        {
            return CamaraError.InvalidArgument($"{field} must contain ranges or ports.");
        }
        if (spec.Ranges is { Count: 0 } || spec.Ports is { Count: 0 })
        {
            return CamaraError.InvalidArgument($"{field}: ranges and ports must not be empty when present.");
        }
        if ((spec.Ranges?.Count ?? 0) + (spec.Ports?.Count ?? 0) > ListLimits.MaxPortEntries)
        {
            return CamaraError.InvalidArgument($"{field}: at most {ListLimits.MaxPortEntries} ranges and ports together.");
        }
        foreach (var range in spec.Ranges ?? [])
        {
            if (range?.From is null || range.To is null)
            {
                return CamaraError.InvalidArgument($"{field}.ranges: from and to are required.");
            }
            if (!IsPort(range.From.Value) || !IsPort(range.To.Value))
            {
                return CamaraError.InvalidArgument($"{field}.ranges: ports must be between 0 and 65535.");
            }
            if (range.From > range.To)
            {
                return CamaraError.OutOfRange($"{field}.ranges: from must not be greater than to.");
            }
        }
        return (spec.Ports ?? []).Any(p => !IsPort(p))
            ? CamaraError.InvalidArgument($"{field}.ports: ports must be between 0 and 65535.")
            : null;
    }

    /// <summary>specs/camara/NOTES.md rows 2 and 3: unknown profile 400 INVALID_ARGUMENT; duration outside its bounds, the spec's code.</summary>
    public static CamaraError? ValidateProfile(QosProfile? profile, string name, long duration)
    {
        if (profile is null)
        {
            return CamaraError.InvalidArgument($"qosProfile '{ClientValue.Echo(name)}' does not exist.");
        }
        if (profile.Status != "ACTIVE")
        {
            return new CamaraError(422, "QUALITY_ON_DEMAND.QOS_PROFILE_NOT_APPLICABLE", "The requested QoS Profile is currently not available for session creation.");
        }
        var min = (long)profile.MinDuration.ToTimeSpan().TotalSeconds;
        var max = (long)profile.MaxDuration.ToTimeSpan().TotalSeconds;
        return duration < min || duration > max
            ? new CamaraError(400, "QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE", $"The requested duration is out of the allowed range for the specific QoS profile ({min}-{max} s).")
            : null;
    }

    public static CamaraError? ValidateExtend(ExtendSessionDuration body) => body.RequestedAdditionalDuration switch
    {
        null => CamaraError.InvalidArgument("requestedAdditionalDuration is required."),
        < 1 => CamaraError.InvalidArgument("requestedAdditionalDuration must be at least 1 second."),
        _ => null,
    };

    /// <summary>specs/camara/NOTES.md row 4: a malformed id is 400 INVALID_ARGUMENT, not 404.</summary>
    public static CamaraError? ParseSessionId(string raw, out Guid id) =>
        Uuid.TryParse(raw, out id) ? null : CamaraError.InvalidArgument("sessionId must be a UUID.");

    /// <summary>The spec's PortsSpec as the contract's list of ranges (a port is a range of one).</summary>
    public static IReadOnlyList<PortRange>? ToRanges(PortsSpec? spec) =>
        spec is null
            ? null
            : [.. (spec.Ranges ?? []).Select(r => new PortRange(r.From!.Value, r.To!.Value)), .. (spec.Ports ?? []).Select(p => new PortRange(p, p))];

    private static bool IsPort(int p) => p is >= 0 and <= 65535;
}
