using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Shared;

namespace CamaraQos.Controller.HomeDevicesQod;

/// <summary>The setQos errors of home-devices-qod v0.4.0, spelled once (specs/camara/NOTES.md row 10: the 0.4.0 codes).</summary>
public static class HomeDevicesQodErrors
{
    public static CamaraError InvalidTokenContext() =>
        new(403, "INVALID_TOKEN_CONTEXT", "User home network cannot be deducted from access token context.");

    public static CamaraError DeviceNotFound() =>
        new(404, "DEVICE_NOT_FOUND", "No connected device found for the input criteria provided.");

    public static CamaraError TooManyDevices(int max) =>
        new(409, "HOME_DEVICES_QOD.TOO_MANY_DEVICES", $"Exceeded the maximum quantity of devices with non-default QoS behaviour ({max} per home).");

    public static CamaraError AlreadyDefault() =>
        new(409, "HOME_DEVICES_QOD.QOS_ALREADY_SET_TO_DEFAULT", "Device QoS is already set to default value.");

    public static CamaraError NotConnectedToRequiredInterface(string serviceClass, string band) =>
        new(409, "HOME_DEVICES_QOD.NOT_CONNECTED_TO_REQUIRED_INTERFACE", $"Device is not connected to the interface {serviceClass} requires (Wi-Fi {band}).");

    public static CamaraError RouterOffline() =>
        new(503, "HOME_DEVICES_QOD.ROUTER_OFFLINE", "Router is not online. Try it later.");

    public static CamaraError Timeout() =>
        new(504, "TIMEOUT", "Request timeout exceeded: the home router did not confirm the change in time; nothing was changed.");

    public static CamaraError NotApplied(string reason) =>
        CamaraError.Unavailable($"The home router could not apply the change ({reason}); nothing was changed.");
}

/// <summary>Checks of setQos the JSON reader cannot make, and the gateway-state rules beside them.</summary>
public static class HomeDevicesQodRules
{
    /// <summary>400 INVALID_ARGUMENT for a missing or unknown serviceClass, or an ipAddress that is not a dotted-quad IPv4.</summary>
    public static CamaraError? Validate(QosOnDemandUpdate body)
    {
        if (body.ServiceClass is null || ServiceClass.Find(body.ServiceClass) is null)
        {
            return CamaraError.InvalidArgument($"serviceClass must be one of {string.Join(", ", ServiceClass.All.Select(c => c.Name))}.");
        }
        return body.IpAddress is null || !IpSyntax.IsIpv4(body.IpAddress)
            ? CamaraError.InvalidArgument("ipAddress must be the device's IPv4 address in the home network (format ipv4).")
            : null;
    }

    /// <summary>The 409 cases, in the order a client can act on them: the band, then default-to-default, then the limit.</summary>
    public static CamaraError? Conflict(ServiceClass requested, LanDevice device, HomeDeviceQos? current, int classifiedDevices, HomeDevicesQodOptions options)
    {
        if (!requested.IsStandard && options.RequiredBands.TryGetValue(requested.Name, out var band)
            && !string.Equals(device.Band, band, StringComparison.OrdinalIgnoreCase))
        {
            return HomeDevicesQodErrors.NotConnectedToRequiredInterface(requested.Name, band);
        }
        if (requested.IsStandard && current is null)
        {
            return HomeDevicesQodErrors.AlreadyDefault();
        }
        return !requested.IsStandard && current is null && classifiedDevices >= options.MaxDevicesPerHome
            ? HomeDevicesQodErrors.TooManyDevices(options.MaxDevicesPerHome)
            : null;
    }

    /// <summary>
    /// Did the report carry the change? A non-default class must be Applied; back to standard, the policy must
    /// be gone. A report that rejected the generation carried nothing.
    /// </summary>
    public static string? NotCarried(ReportedState report, long generation, string policyId, bool classified)
    {
        if (report.ObservedGeneration < generation)
        {
            return report.LastRejection?.Reason ?? "document rejected";
        }
        var result = report.Policies.FirstOrDefault(p => p.Id == policyId);
        return classified
            ? result?.Outcome == PolicyOutcome.Applied ? null : result?.Reason ?? $"policy {result?.Outcome.ToString() ?? "missing"}"
            : result?.Outcome == PolicyOutcome.Applied ? "policy still applied" : null;
    }
}
