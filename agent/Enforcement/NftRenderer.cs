using System.Text;

namespace CamaraQos.Agent.Enforcement;

/// <summary>The inputs of the nftables table: interfaces and the policies in force now.</summary>
public sealed record NftModel(string Wan, IReadOnlyList<string> Lans, IReadOnlyList<TypedPolicy> Policies);

/// <summary>
/// Renders <c>table inet camaraqos</c> as one buffer: "add" then "delete" then the body replaces the table in a
/// single transaction whether or not it existed (nft(8), "RULESET": a file is one atomic transaction). Pure:
/// same plan, same text.
/// </summary>
public static class NftRenderer
{
    public const string Table = "camaraqos";

    // Map keys start with the device both ways, so one policy's elements read the same in both directions:
    // device . server . protocol . device port . server port.
    private const string UpKey = "saddr . {0} daddr . meta l4proto . th sport . th dport";
    private const string DownKey = "daddr . {0} saddr . meta l4proto . th dport . th sport";

    public static string Render(NftModel m) => Render(NftPlanner.Plan(m), elements: true);

    /// <param name="elements">With the maps' elements and the class chains; without, the skeleton only.</param>
    public static string Render(NftPlan p, bool elements)
    {
        var sb = new StringBuilder();
        sb.Append("add table inet ").Append(Table).Append('\n');
        sb.Append("delete table inet ").Append(Table).Append('\n');
        sb.Append("table inet ").Append(Table).Append(" {\n");
        foreach (var map in p.Maps)
        {
            var addr = map.Ipv6 ? "ipv6_addr" : "ipv4_addr";
            sb.Append($"\tmap {map.Name} {{\n\t\ttype {addr} . {addr} . inet_proto . inet_service . inet_service : verdict\n");
            sb.Append("\t\tflags interval\n");
            if (elements && map.Elements.Count > 0)
            {
                sb.Append("\t\telements = {\n\t\t\t").AppendJoin(",\n\t\t\t", map.Elements).Append("\n\t\t}\n");
            }
            sb.Append("\t}\n");
        }
        // Wash: DSCP from the WAN is not ours to trust (RFC 2474 §2, DS domain boundary). Prerouting runs
        // before forward, so a downstream policy below re-marks after the wash.
        sb.Append("\tchain wash {\n\t\ttype filter hook prerouting priority mangle; policy accept;\n");
        sb.Append($"\t\tiifname \"{p.Wan}\" ip dscp != 0 ip dscp set 0\n");
        sb.Append($"\t\tiifname \"{p.Wan}\" ip6 dscp != 0 ip6 dscp set 0\n\t}}\n");
        // Forward sees LAN addresses before masquerade (postrouting, srcnat) and after de-NAT (prerouting,
        // dstnat), so keys use the device's private address in both directions. One lookup per map: the cost
        // per packet depends on the number of layers, not of policies. Conntrack (the gateway's NAT) has
        // reassembled fragments before forward, so every packet has its transport header for "th".
        sb.Append("\tchain classify {\n\t\ttype filter hook forward priority mangle; policy accept;\n");
        var lans = "{ " + string.Join(", ", p.Lans.Select(l => $"\"{l}\"")) + " }";
        foreach (var map in p.Maps)
        {
            var fam = map.Ipv6 ? "ip6" : "ip";
            var (ifaces, key) = map.Upstream
                ? ($"iifname {lans} oifname \"{p.Wan}\"", string.Format(null, UpKey, fam))
                : ($"iifname \"{p.Wan}\" oifname {lans}", string.Format(null, DownKey, fam));
            sb.Append($"\t\t{ifaces} {fam} {key} vmap @{map.Name}\n");
        }
        sb.Append("\t}\n");
        // After the base chains: nft lists chains in creation order, and a class chain added later by an
        // element diff lands there too, so a table built in one go lists the same as one grown by diffs.
        foreach (var c in elements ? p.Classes : [])
        {
            sb.Append($"\tchain {c.Chain} {{\n").AppendJoin("", ClassRules(c).Select(r => $"\t\t{r}\n")).Append("\t}\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>
    /// In an inet table "ip dscp set" carries an implicit "meta nfproto ipv4" and "ip6 dscp set" the ipv6 one,
    /// so each packet gets the line of its family; then the class, and accept ends classification.
    /// </summary>
    public static IEnumerable<string> ClassRules(NftClass c) =>
        [$"ip dscp set {c.Dscp}", $"ip6 dscp set {c.Dscp}", $"meta priority set {c.Priority} accept"];
}
