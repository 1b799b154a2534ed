using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CamaraQos.Controller.Camara;

namespace CamaraQos.Controller.QosProfiles;

/// <summary>
/// The <c>device</c> filter of retrieveQoSProfiles, checked against the spec's <c>Device</c> schema and
/// the rules the schema cannot express (qos-profiles v1.1.0 "Identifying the device from the access
/// token"; CAMARA_common r3.4: networkAccessIdentifier is not allowed yet).
/// </summary>
public static partial class DeviceFilter
{
    /// <summary><c>PhoneNumber</c>: E.164 with a leading '+'.</summary>
    [GeneratedRegex(@"^\+[1-9][0-9]{4,14}$")]
    private static partial Regex PhoneNumber();

    /// <summary>Dotted quad only: <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also takes "1" or "0x7f.1".</summary>
    [GeneratedRegex(@"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$")]
    private static partial Regex Ipv4();

    /// <summary>The first rule the device breaks, or null when it may be used as a filter.</summary>
    public static CamaraError? Check(QosProfileDevice device, Caller caller)
    {
        if (Shape(device) is { } invalid)
        {
            return CamaraError.InvalidArgument(invalid);
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

    private static string? Shape(QosProfileDevice d)
    {
        if (d is { PhoneNumber: null, NetworkAccessIdentifier: null, Ipv4Address: null, Ipv6Address: null })
        {
            return "device must contain at least one identifier.";
        }
        if (d.PhoneNumber is { } phone && !PhoneNumber().IsMatch(phone))
        {
            return "device.phoneNumber must be E.164 with a leading '+' (^\\+[1-9][0-9]{4,14}$).";
        }
        if (d.NetworkAccessIdentifier is "")
        {
            return "device.networkAccessIdentifier must not be empty.";
        }
        if (d.Ipv6Address is { } v6 && !IsIpv6(v6))
        {
            return "device.ipv6Address must be a single IPv6 address.";
        }
        return d.Ipv4Address is { } v4 ? Ipv4Shape(v4) : null;
    }

    private static string? Ipv4Shape(QosProfileDeviceIpv4Addr v4)
    {
        if (v4.PublicAddress is null || !Ipv4().IsMatch(v4.PublicAddress))
        {
            return "device.ipv4Address.publicAddress is required and must be a dotted-quad IPv4 address.";
        }
        if (v4.PrivateAddress is { } priv && !Ipv4().IsMatch(priv))
        {
            return "device.ipv4Address.privateAddress must be a dotted-quad IPv4 address.";
        }
        if (v4.PublicPort is < 0 or > 65535)
        {
            return "device.ipv4Address.publicPort must be 0-65535.";
        }
        return v4.PrivateAddress is null && v4.PublicPort is null
            ? "device.ipv4Address needs privateAddress or publicPort besides publicAddress."
            : null;
    }

    private static bool IsIpv6(string text) =>
        !text.Contains('/') && !text.Contains('%')
        && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
}
