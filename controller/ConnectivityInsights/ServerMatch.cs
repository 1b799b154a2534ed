using System.Net;
using CamaraQos.Controller.QualityOnDemand;
using CamaraQos.Shared;

namespace CamaraQos.Controller.ConnectivityInsights;

/// <summary>
/// The application server of a request (ApplicationServer: ipv4 and/or ipv6 address, each optionally
/// address/mask, the address part not necessarily the network's first one, e.g. "192.168.0.1/24") and
/// its ports, matched against the flows the agent reports.
/// </summary>
public sealed record ServerMatch(IReadOnlyList<string> Prefixes, IReadOnlyList<PortRange>? Ports)
{
    public static ServerMatch? From(ApplicationServer? server, PortsSpec? ports) => server is null
        ? null
        : new ServerMatch([.. new[] { server.Ipv4Address, server.Ipv6Address }.OfType<string>()], SessionRules.ToRanges(ports));

    public bool Matches(FlowAggregate flow) =>
        IPAddress.TryParse(flow.Server, out var address)
        && Prefixes.Any(p => Contains(p, address))
        && (Ports is not { Count: > 0 } || Ports.Any(r => flow.ServerPort >= r.From && flow.ServerPort <= r.To));

    /// <summary>Compares the first <c>bits</c> bits; syntax was checked by <see cref="SessionRules.ValidateApplicationServer"/>.</summary>
    public static bool Contains(string prefix, IPAddress address)
    {
        var slash = prefix.IndexOf('/');
        var network = IPAddress.Parse(slash < 0 ? prefix : prefix[..slash]);
        if (network.AddressFamily != address.AddressFamily)
        {
            return false;
        }
        var a = network.GetAddressBytes();
        var b = address.GetAddressBytes();
        var bits = slash < 0 ? a.Length * 8 : int.Parse(prefix[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : 0xFF << (8 - bits) & 0xFF;
            if ((a[i] & mask) != (b[i] & mask))
            {
                return false;
            }
        }
        return true;
    }
}
