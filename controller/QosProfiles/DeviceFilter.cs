using CamaraQos.Controller.Camara;

namespace CamaraQos.Controller.QosProfiles;

/// <summary>
/// The <c>device</c> filter of retrieveQoSProfiles: the shared <c>Device</c> syntax
/// (<see cref="DeviceSyntax"/>), then the rules of qos-profiles v1.1.0 "Identifying the device from the
/// access token" and CAMARA_common r3.4 (networkAccessIdentifier is not allowed yet), checked in the
/// order the test plan expects (syntax before the token's rules); resolution follows in the API.
/// </summary>
public static class DeviceFilter
{
    /// <summary>The first rule the device breaks, or null when it may be used as a filter.</summary>
    public static CamaraError? Check(Device device, Caller caller)
    {
        if (DeviceSyntax.Validate(device) is { } invalid)
        {
            return invalid;
        }
        if (caller.IsThreeLegged)
        {
            return CamaraError.UnnecessaryIdentifier();
        }
        if (device is { PhoneNumber: null, Ipv4Address: null, Ipv6Address: null })
        {
            return CamaraError.UnsupportedIdentifier("networkAccessIdentifier is not supported; identify the device by phoneNumber, ipv4Address or ipv6Address.");
        }
        return null;
    }
}
