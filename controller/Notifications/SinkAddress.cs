using System.Net;
using System.Net.Sockets;

namespace CamaraQos.Controller.Notifications;

/// <summary>
/// Which addresses a sink may not point at unless <c>Notifications:AllowPrivateSinks</c>: everything that
/// is not public unicast (the SSRF guard). Embedded IPv4 (mapped, compatible, NAT64, 6to4) is judged as IPv4.
/// </summary>
public static class SinkAddress
{
    public static bool IsPrivate(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => IsPrivateV4(address.GetAddressBytes()),
        AddressFamily.InterNetworkV6 => IsPrivateV6(address.GetAddressBytes()),
        _ => true,
    };

    /// <summary>RFC 6890 special-purpose IPv4 blocks a notification has no business reaching.</summary>
    private static bool IsPrivateV4(ReadOnlySpan<byte> b) =>
        b[0] == 0                                   // 0.0.0.0/8 "this network", unspecified
        || b[0] == 10                               // RFC 1918
        || b[0] == 127                              // loopback
        || (b[0] == 100 && (b[1] & 0xC0) == 64)     // 100.64.0.0/10 shared (CGN), RFC 6598
        || (b[0] == 169 && b[1] == 254)             // link-local, RFC 3927 (cloud metadata lives here)
        || (b[0] == 172 && (b[1] & 0xF0) == 16)     // RFC 1918
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)  // 192.0.0.0/24 IETF protocol assignments
        || (b[0] == 192 && b[1] == 168)             // RFC 1918
        || (b[0] == 198 && (b[1] & 0xFE) == 18)     // 198.18.0.0/15 benchmarking, RFC 2544
        || b[0] >= 224;                             // multicast, reserved, broadcast

    private static bool IsPrivateV6(byte[] b)
    {
        var bytes = b.AsSpan();
        if (bytes[..10].IndexOfAnyExcept((byte)0) < 0 && (IsZero(bytes[10..12]) || IsOnes(bytes[10..12])))
        {
            return IsPrivateV4(bytes[12..]);        // ::/96 (incl. :: and ::1) and ::ffff:0:0/96 mapped
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && IsZero(bytes[4..12]))
        {
            return IsPrivateV4(bytes[12..]);        // 64:ff9b::/96 NAT64, RFC 6052
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0x00 && b[5] == 0x01)
        {
            return true;                            // 64:ff9b:1::/48 NAT64 local use, RFC 8215: the operator's own translators
        }
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPrivateV4(bytes[2..6]);        // 2002::/16 6to4, RFC 3056
        }
        return (b[0] & 0xFE) == 0xFC                // fc00::/7 unique local, RFC 4193
            || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) // fe80::/10 link-local
            || (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) // fec0::/10 site-local (deprecated)
            || b[0] == 0xFF                         // multicast
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8); // 2001:db8::/32 documentation
    }

    private static bool IsZero(ReadOnlySpan<byte> span) => span.IndexOfAnyExcept((byte)0) < 0;
    private static bool IsOnes(ReadOnlySpan<byte> span) => span.IndexOfAnyExcept((byte)0xFF) < 0;
}
