using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CamaraQos.Controller.Camara;

/// <summary>
/// The one rule for IP addresses a client writes (OpenAPI formats <c>ipv4</c> and <c>ipv6</c>, and the
/// specs' "address/mask"). <see cref="IPAddress.TryParse(string, out IPAddress)"/> alone takes inet_aton
/// forms (<c>0x7f.0.0.1</c>, <c>01.02.03.04</c>, <c>10</c>), zone ids and brackets; the specs' ipv4 is the
/// dotted-decimal of RFC 3986 §3.2.2 (no leading zeros) and their ipv6 the text of RFC 4291 §2.2.
/// </summary>
public static partial class IpSyntax
{
    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")]
    private static partial Regex DottedDecimal();

    /// <summary>Hex groups and colons, optionally ending in a dotted-decimal IPv4 (checked separately).</summary>
    [GeneratedRegex(@"^[0-9A-Fa-f:]*:(?:[0-9A-Fa-f]{1,4}|(?<v4>[0-9.]+))?$")]
    private static partial Regex Ipv6Text();

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,2})$")]
    private static partial Regex PrefixLength();

    public static bool IsIpv4(string? text) => text is not null && DottedDecimal().IsMatch(text);

    public static bool IsIpv6(string? text)
    {
        if (text is null || text.Length > 45 || Ipv6Text().Match(text) is not { Success: true } m)
        {
            return false;
        }
        return (!m.Groups["v4"].Success || IsIpv4(m.Groups["v4"].Value))
            && IPAddress.TryParse(text, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>An address of <paramref name="family"/>, optionally followed by <c>/bits</c> within the family's width.</summary>
    public static bool IsPrefix(string? text, AddressFamily family)
    {
        if (text is null)
        {
            return false;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? text : text[..slash];
        var valid = family == AddressFamily.InterNetwork ? IsIpv4(address) : IsIpv6(address);
        if (!valid || slash < 0)
        {
            return valid;
        }
        var bits = text[(slash + 1)..];
        return PrefixLength().IsMatch(bits) && int.Parse(bits, System.Globalization.CultureInfo.InvariantCulture) <= (family == AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary>The address of text that passed <see cref="IsIpv4"/> or <see cref="IsIpv6"/>, else null.</summary>
    public static IPAddress? Parse(string? text) =>
        (IsIpv4(text) || IsIpv6(text)) && IPAddress.TryParse(text, out var a) ? a : null;
}
