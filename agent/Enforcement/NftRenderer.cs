using System.Net;
using System.Text;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>The inputs of the nftables table: interfaces and the policies in force now.</summary>
public sealed record NftModel(string Wan, IReadOnlyList<string> Lans, IReadOnlyList<TypedPolicy> Policies);

/// <summary>
/// Renders <c>table inet camaraqos</c> as one script for <c>nft -f -</c>: "add" then "delete" then the body
/// replaces the table in a single transaction whether or not it existed (nft(8), "RULESET": a file is one
/// atomic transaction). Pure: same model, same text.
/// </summary>
public static class NftRenderer
{
    public const string Table = "camaraqos";

    public static string Render(NftModel m)
    {
        var sb = new StringBuilder();
        sb.Append("add table inet ").Append(Table).Append('\n');
        sb.Append("delete table inet ").Append(Table).Append('\n');
        sb.Append("table inet ").Append(Table).Append(" {\n");
        // Wash: DSCP from the WAN is not ours to trust (RFC 2474 §2, DS domain boundary). Prerouting runs
        // before forward, so a downstream policy below re-marks after the wash.
        sb.Append("\tchain wash {\n\t\ttype filter hook prerouting priority mangle; policy accept;\n");
        sb.Append($"\t\tiifname \"{m.Wan}\" ip dscp != 0 ip dscp set 0\n");
        sb.Append($"\t\tiifname \"{m.Wan}\" ip6 dscp != 0 ip6 dscp set 0\n\t}}\n");
        // Forward sees LAN addresses before masquerade (postrouting, srcnat) and after de-NAT (prerouting,
        // dstnat), so matches use the device's private address in both directions.
        sb.Append("\tchain classify {\n\t\ttype filter hook forward priority mangle; policy accept;\n");
        foreach (var p in m.Policies)
        {
            if (p.Directions.HasFlag(Directions.Upstream))
            {
                sb.Append("\t\t").Append(Rule(m, p, upstream: true)).Append('\n');
            }
            if (p.Directions.HasFlag(Directions.Downstream))
            {
                sb.Append("\t\t").Append(Rule(m, p, upstream: false)).Append('\n');
            }
        }
        sb.Append("\t}\n}\n");
        return sb.ToString();
    }

    private static string Rule(NftModel m, TypedPolicy p, bool upstream)
    {
        var fam = p.IsIpv6 ? "ip6" : "ip";
        var lans = Set(m.Lans.Select(l => $"\"{l}\""));
        var wan = $"\"{m.Wan}\"";
        var sb = new StringBuilder();
        sb.Append(upstream ? $"iifname {lans} oifname {wan}" : $"iifname {wan} oifname {lans}");
        var device = Host(p.Device);
        var servers = p.Servers.Count == 0 ? null : Set(p.Servers.Select(Net));
        var (src, dst) = upstream ? (device, servers) : (servers, device);
        if (src is not null)
        {
            sb.Append($" {fam} saddr {src}");
        }
        if (dst is not null)
        {
            sb.Append($" {fam} daddr {dst}");
        }
        var (sport, dport) = upstream ? (p.DevicePorts, p.ServerPorts) : (p.ServerPorts, p.DevicePorts);
        sb.Append(Transport(p.Protocol, sport, dport));
        sb.Append($" {fam} dscp set {p.Dscp} meta priority set {Priority(p, upstream)} accept");
        return sb.ToString();
    }

    private static string Transport(FlowProtocol proto, IReadOnlyList<Ports> sport, IReadOnlyList<Ports> dport)
    {
        var l4 = proto switch { FlowProtocol.Tcp => "tcp", FlowProtocol.Udp => "udp", _ => "th" };
        if (sport.Count == 0 && dport.Count == 0)
        {
            return proto == FlowProtocol.Any ? "" : $" meta l4proto {l4}";
        }
        // "th" (transport header) needs an explicit protocol dependency; ports exist for TCP and UDP only.
        var sb = new StringBuilder(proto == FlowProtocol.Any ? " meta l4proto { tcp, udp }" : "");
        if (sport.Count > 0)
        {
            sb.Append($" {l4} sport {Set(sport.Select(s => s.ToString()))}");
        }
        if (dport.Count > 0)
        {
            sb.Append($" {l4} dport {Set(dport.Select(d => d.ToString()))}");
        }
        return sb.ToString();
    }

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

    private static string Host(IPAddress a) => a.ToString();

    /// <summary>One value as itself, several as an anonymous set (elements are disjoint: see MatchLists).</summary>
    private static string Set(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 1 ? list[0] : "{ " + string.Join(", ", list) + " }";
    }

    private static string Net(IPNetwork n) =>
        n.PrefixLength == n.BaseAddress.GetAddressBytes().Length * 8 ? n.BaseAddress.ToString() : n.ToString();
}
