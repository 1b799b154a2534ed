using System.Text.RegularExpressions;

namespace CamaraQos.Controller.Camara;

/// <summary>CAMARA <c>Device</c> (CAMARA_common r3.4): at least one identifier.</summary>
public sealed record Device(
    string? PhoneNumber,
    string? NetworkAccessIdentifier,
    DeviceIpv4Address? Ipv4Address,
    string? Ipv6Address)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => PhoneNumber is null && NetworkAccessIdentifier is null && Ipv4Address is null && Ipv6Address is null;
}

/// <summary><c>publicPort</c> is an integer: "80" is rejected (the web JSON defaults read numbers from strings).</summary>
[System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.Strict)]
public sealed record DeviceIpv4Address(string? PublicAddress, string? PrivateAddress, int? PublicPort);

/// <summary>Syntax rules of the Device schema; resolution is <see cref="Identity.DeviceResolver"/>'s.</summary>
public static partial class DeviceSyntax
{
    [GeneratedRegex(@"^\+[1-9][0-9]{4,14}$")]
    public static partial Regex PhoneNumber();

    /// <summary>Null when the device object is well formed, else the 400 INVALID_ARGUMENT to return.</summary>
    public static CamaraError? Validate(Device device)
    {
        if (device.IsEmpty)
        {
            return CamaraError.InvalidArgument("device must contain at least one identifier.");
        }
        if (device.PhoneNumber is { } phone && !PhoneNumber().IsMatch(phone))
        {
            return CamaraError.InvalidArgument("device.phoneNumber must match ^\\+[1-9][0-9]{4,14}$.");
        }
        if (device.NetworkAccessIdentifier is { Length: 0 })
        {
            return CamaraError.InvalidArgument("device.networkAccessIdentifier must not be empty.");
        }
        if (device.Ipv4Address is { } v4)
        {
            if (v4.PublicAddress is null || (v4.PrivateAddress is null && v4.PublicPort is null))
            {
                return CamaraError.InvalidArgument("device.ipv4Address needs publicAddress and at least one of privateAddress or publicPort.");
            }
            if (!IpSyntax.IsIpv4(v4.PublicAddress) || (v4.PrivateAddress is not null && !IpSyntax.IsIpv4(v4.PrivateAddress)))
            {
                return CamaraError.InvalidArgument("device.ipv4Address addresses must be single IPv4 addresses.");
            }
            if (v4.PublicPort is < 0 or > 65535)
            {
                return CamaraError.InvalidArgument("device.ipv4Address.publicPort must be between 0 and 65535.");
            }
        }
        if (device.Ipv6Address is { } v6 && !IpSyntax.IsIpv6(v6))
        {
            return CamaraError.InvalidArgument("device.ipv6Address must be an IPv6 address.");
        }
        return null;
    }
}
