using System.Net;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// Policies → verdict map elements. Each policy and direction becomes the product of its server prefixes,
/// protocols and port ranges (each list already disjoint, MatchLists). Elements of one map must not overlap:
/// the kernel accepts overlapping intervals in a concatenated map (nft_set_pipapo) but which one a lookup
/// returns is then unspecified. So precedence is explicit: policies keep the document order (policy id:
/// <c>qod-…</c> before <c>qos-…</c> before <c>wmm-…</c>, the first match wins as with one rule each), and a
/// policy overlapping an earlier one goes one layer below it; the classify chain consults layer 0 first.
/// Overlap needs the same device address, so layers stay as few as the deepest overlap on one device.
/// </summary>
public static class NftPlanner
{
    private static readonly (bool Ipv6, bool Upstream, string Prefix)[] Groups =
        [(false, true, "up4"), (false, false, "down4"), (true, true, "up6"), (true, false, "down6")];

    private static readonly Ports AnyPort = new(0, 65535);

    /// <summary>One element's match, field by field (an interval each).</summary>
    private readonly record struct Shape(IPNetwork Server, byte ProtoFrom, byte ProtoTo, Ports Device, Ports ServerPort)
    {
        public bool Overlaps(Shape o) =>
            (Server.Contains(o.Server.BaseAddress) || o.Server.Contains(Server.BaseAddress))
            && ProtoFrom <= o.ProtoTo && o.ProtoFrom <= ProtoTo
            && Device.From <= o.Device.To && o.Device.From <= Device.To
            && ServerPort.From <= o.ServerPort.To && o.ServerPort.From <= ServerPort.To;
    }

    public static NftPlan Plan(NftModel m)
    {
        var classes = new SortedDictionary<string, NftClass>(StringComparer.Ordinal);
        var maps = new List<NftMap>();
        foreach (var (ipv6, upstream, prefix) in Groups)
        {
            var layers = new List<List<NftElement>> { new() };
            var placed = new Dictionary<IPAddress, List<(Shape[] Shapes, int Layer)>>();
            foreach (var p in m.Policies)
            {
                if (p.IsIpv6 != ipv6 || !p.Directions.HasFlag(upstream ? Directions.Upstream : Directions.Downstream))
                {
                    continue;
                }
                var shapes = Shapes(p);
                if (!placed.TryGetValue(p.Device, out var before))
                {
                    placed[p.Device] = before = [];
                }
                var layer = 0;
                foreach (var (earlier, at) in before)
                {
                    if (at >= layer && earlier.Any(e => shapes.Any(e.Overlaps)))
                    {
                        layer = at + 1;
                    }
                }
                before.Add((shapes, layer));
                while (layers.Count <= layer)
                {
                    layers.Add([]);
                }
                var cls = new NftClass(p.Dscp, Priority(p, upstream));
                classes.TryAdd(cls.Chain, cls);
                layers[layer].AddRange(shapes.Select(s => new NftElement(Key(p.Device, s), $"jump {cls.Chain}")));
            }
            maps.AddRange(layers.Select((elements, i) => new NftMap($"{prefix}_{i}", ipv6, upstream, elements)));
        }
        return new NftPlan(m.Wan, m.Lans, [.. classes.Values], maps);
    }

    private static Shape[] Shapes(TypedPolicy p)
    {
        IReadOnlyList<IPNetwork> servers = p.Servers.Count > 0 ? p.Servers : [new IPNetwork(p.IsIpv6 ? IPAddress.IPv6Any : IPAddress.Any, 0)];
        var anyPorts = p.DevicePorts.Count == 0 && p.ServerPorts.Count == 0;
        // Ports exist for TCP and UDP only: "any protocol" with ports means either of those two (as before,
        // "meta l4proto { tcp, udp }"); without ports it is every protocol.
        (byte, byte)[] protos = p.Protocol switch
        {
            FlowProtocol.Tcp => [(6, 6)],
            FlowProtocol.Udp => [(17, 17)],
            _ => anyPorts ? [(0, 255)] : [(6, 6), (17, 17)],
        };
        IReadOnlyList<Ports> devicePorts = p.DevicePorts.Count > 0 ? p.DevicePorts : [AnyPort];
        IReadOnlyList<Ports> serverPorts = p.ServerPorts.Count > 0 ? p.ServerPorts : [AnyPort];
        return [.. from s in servers from pr in protos from d in devicePorts from sp in serverPorts
                select new Shape(s, pr.Item1, pr.Item2, d, sp)];
    }

    private static string Key(IPAddress device, Shape s)
    {
        var proto = (s.ProtoFrom, s.ProtoTo) switch { (6, 6) => "tcp", (17, 17) => "udp", _ => $"{s.ProtoFrom}-{s.ProtoTo}" };
        return $"{device} . {Net(s.Server)} . {proto} . {s.Device} . {s.ServerPort}";
    }

    private static string Net(IPNetwork n) =>
        n.PrefixLength == n.BaseAddress.GetAddressBytes().Length * 8 ? n.BaseAddress.ToString() : n.ToString();

    /// <summary>
    /// skb->priority: the HTB class, except for Home devices downstream with a Wi-Fi user priority, where
    /// 256+UP makes mac80211 pick the WMM access category (cfg80211_classify8021d, docs/ARCHITECTURE.md §6).
    /// HTB then finds no class 0:10x and uses its default class: on Wi-Fi the airtime, not the wired HTB,
    /// is the bottleneck, and the DSCP mark still travels with the packet.
    /// </summary>
    private static string Priority(TypedPolicy p, bool upstream) =>
        !upstream && p.Kind == PolicyKind.HomeDevice && p.WifiUserPriority is { } up
            ? $"0:{256 + up:x}"
            : HtbClass.Id(HtbClass.Minor(p.Class));
}
