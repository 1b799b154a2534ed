using CamaraQos.Agent.Enforcement;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

public class RendererGoldenTests
{
    private static IReadOnlyList<TypedPolicy> Typed() =>
        [.. Documents.Realistic(1).Policies.Select(PolicyTyper.Type)];

    private const string V4 = "type ipv4_addr . ipv4_addr . inet_proto . inet_service . inet_service : verdict";
    private const string V6 = "type ipv6_addr . ipv6_addr . inet_proto . inet_service . inet_service : verdict";

    [Fact]
    public void NftScriptForRealisticDocumentMatchesGolden()
    {
        var script = NftRenderer.Render(new NftModel("wan0", ["lan0"], Typed()));

        var golden = $$"""
            add table inet camaraqos
            delete table inet camaraqos
            table inet camaraqos {
            	map up4_0 {
            		{{V4}}
            		flags interval
            		elements = {
            			192.168.1.10 . 203.0.113.0/24 . tcp . 1000-2000 . 443 : jump mark_46_1_10
            		}
            	}
            	map down4_0 {
            		{{V4}}
            		flags interval
            		elements = {
            			192.168.1.10 . 203.0.113.0/24 . tcp . 1000-2000 . 443 : jump mark_46_1_10,
            			192.168.1.11 . 0.0.0.0/0 . 0-255 . 0-65535 . 0-65535 : jump mark_32_0_104
            		}
            	}
            	map up6_0 {
            		{{V6}}
            		flags interval
            		elements = {
            			2001:db8:1::10 . 2001:db8:ff::5 . udp . 0-65535 . 3478-3480 : jump mark_34_1_10
            		}
            	}
            	map down6_0 {
            		{{V6}}
            		flags interval
            		elements = {
            			2001:db8:1::10 . 2001:db8:ff::5 . udp . 0-65535 . 3478-3480 : jump mark_34_1_10
            		}
            	}
            	chain wash {
            		type filter hook prerouting priority mangle; policy accept;
            		iifname "wan0" ip dscp != 0 ip dscp set 0
            		iifname "wan0" ip6 dscp != 0 ip6 dscp set 0
            	}
            	chain classify {
            		type filter hook forward priority mangle; policy accept;
            		iifname { "lan0" } oifname "wan0" ip saddr . ip daddr . meta l4proto . th sport . th dport vmap @up4_0
            		iifname "wan0" oifname { "lan0" } ip daddr . ip saddr . meta l4proto . th dport . th sport vmap @down4_0
            		iifname { "lan0" } oifname "wan0" ip6 saddr . ip6 daddr . meta l4proto . th sport . th dport vmap @up6_0
            		iifname "wan0" oifname { "lan0" } ip6 daddr . ip6 saddr . meta l4proto . th dport . th sport vmap @down6_0
            	}
            	chain mark_32_0_104 {
            		ip dscp set 32
            		ip6 dscp set 32
            		meta priority set 0:104 accept
            	}
            	chain mark_34_1_10 {
            		ip dscp set 34
            		ip6 dscp set 34
            		meta priority set 1:10 accept
            	}
            	chain mark_46_1_10 {
            		ip dscp set 46
            		ip6 dscp set 46
            		meta priority set 1:10 accept
            	}
            }

            """;
        Assert.Equal(golden, script);
    }

    [Fact]
    public void ListsBecomeOneElementPerServerProtocolAndPortRangeAndAnyProtocolWithPortsMeansTcpOrUdp()
    {
        var policy = Documents.TcpFlow() with
        {
            Match = Documents.TcpFlow().Match with
            {
                Protocol = CamaraQos.Shared.FlowProtocol.Any,
                DevicePorts = null,
                ServerIps = ["203.0.113.0/24", "198.51.100.7", "203.0.113.128/25"],
                ServerPorts = [new(8080, 8090), new(443, 443), new(8085, 9000), new(444, 444)],
            },
            Directions = CamaraQos.Shared.Directions.Upstream,
        };

        var plan = NftPlanner.Plan(new NftModel("wan0", ["lan0", "wlan0"], [PolicyTyper.Type(policy)]));

        string[] expected =
        [
            "192.168.1.10 . 198.51.100.7 . tcp . 0-65535 . 443-444 : jump mark_46_1_10",
            "192.168.1.10 . 198.51.100.7 . tcp . 0-65535 . 8080-9000 : jump mark_46_1_10",
            "192.168.1.10 . 198.51.100.7 . udp . 0-65535 . 443-444 : jump mark_46_1_10",
            "192.168.1.10 . 198.51.100.7 . udp . 0-65535 . 8080-9000 : jump mark_46_1_10",
            "192.168.1.10 . 203.0.113.0/24 . tcp . 0-65535 . 443-444 : jump mark_46_1_10",
            "192.168.1.10 . 203.0.113.0/24 . tcp . 0-65535 . 8080-9000 : jump mark_46_1_10",
            "192.168.1.10 . 203.0.113.0/24 . udp . 0-65535 . 443-444 : jump mark_46_1_10",
            "192.168.1.10 . 203.0.113.0/24 . udp . 0-65535 . 8080-9000 : jump mark_46_1_10",
        ];
        Assert.Equal(expected, plan.Maps.Single(m => m.Name == "up4_0").Elements.Select(e => e.ToString()));
        Assert.All(plan.Maps.Where(m => m.Name != "up4_0"), m => Assert.Empty(m.Elements));
        Assert.Contains("\t\tiifname { \"lan0\", \"wlan0\" } oifname \"wan0\" ip saddr . ip daddr . meta l4proto . th sport . th dport vmap @up4_0\n",
            NftRenderer.Render(plan, elements: true), StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverlappingLaterPolicyGoesToALaterLayerSoTheEarlierOneWinsAndOthersStayInTheFirst()
    {
        var session = PolicyTyper.Type(Documents.TcpFlow());
        var assignment = PolicyTyper.Type(new CamaraQos.Shared.Policy("qos-dev", CamaraQos.Shared.PolicyKind.Device,
            new CamaraQos.Shared.FlowMatch("192.168.1.10", null, null, null, null, CamaraQos.Shared.FlowProtocol.Any),
            CamaraQos.Shared.Directions.Both, CamaraQos.Shared.Dscp.AF41, CamaraQos.Shared.TrafficClass.Priority, 100, 100, null, null, null, null));
        var other = PolicyTyper.Type(Documents.TcpFlow() with { Id = "qod-other", Match = Documents.TcpFlow().Match with { DeviceIp = "192.168.1.20" } });

        var plan = NftPlanner.Plan(new NftModel("wan0", ["lan0"], [session, assignment, other]));

        Assert.Equal(["up4_0", "up4_1", "down4_0", "down4_1", "up6_0", "down6_0"], plan.Maps.Select(m => m.Name));
        Assert.Equal(["192.168.1.10 . 203.0.113.0/24 . tcp . 1000-2000 . 443 : jump mark_46_1_10",
            "192.168.1.20 . 203.0.113.0/24 . tcp . 1000-2000 . 443 : jump mark_46_1_10"], plan.Maps[0].Elements.Select(e => e.ToString()));
        Assert.Equal(["192.168.1.10 . 0.0.0.0/0 . 0-255 . 0-65535 . 0-65535 : jump mark_34_1_10"], plan.Maps[1].Elements.Select(e => e.ToString()));
        var classify = NftRenderer.Render(plan, elements: false);
        Assert.True(classify.IndexOf("vmap @up4_0", StringComparison.Ordinal) < classify.IndexOf("vmap @up4_1", StringComparison.Ordinal));
    }

    [Fact]
    public void AddingOrRemovingASessionChangesOnlyItsElementsInOneBuffer()
    {
        var kept = PolicyTyper.Type(Documents.TcpFlow());
        var added = PolicyTyper.Type(Documents.TcpFlow() with { Id = "qod-new", Match = Documents.TcpFlow().Match with { DeviceIp = "192.168.1.20" } });
        var before = NftPlanner.Plan(new NftModel("wan0", ["lan0"], [kept]));
        var after = NftPlanner.Plan(new NftModel("wan0", ["lan0"], [kept, added]));

        Assert.Equal("""
            add element inet camaraqos up4_0 { 192.168.1.20 . 203.0.113.0/24 . tcp . 1000-2000 . 443 : jump mark_46_1_10 }
            add element inet camaraqos down4_0 { 192.168.1.20 . 203.0.113.0/24 . tcp . 1000-2000 . 443 : jump mark_46_1_10 }

            """, after.ChangesFrom(before));
        Assert.Equal("""
            delete element inet camaraqos up4_0 { 192.168.1.20 . 203.0.113.0/24 . tcp . 1000-2000 . 443 }
            delete element inet camaraqos down4_0 { 192.168.1.20 . 203.0.113.0/24 . tcp . 1000-2000 . 443 }

            """, before.ChangesFrom(after));
        Assert.Null(after.ChangesFrom(after));
        // Changing more elements than the plan holds: loading the whole table is cheaper (pipapo), and as atomic.
        var replaced = NftPlanner.Plan(new NftModel("wan0", ["lan0"], [added]));
        Assert.StartsWith("add table inet camaraqos\ndelete table inet camaraqos\n", replaced.ChangesFrom(before), StringComparison.Ordinal);
        Assert.StartsWith("add table inet camaraqos\ndelete table inet camaraqos\n", after.ChangesFrom(null), StringComparison.Ordinal);
    }

    [Fact]
    public void TcCommandsForRealisticDocumentMatchGolden()
    {
        var model = KernelModel.Plan(Typed(), Documents.Options(), "bfifo");

        string[] golden =
        [
            "qdisc replace dev wan0 root handle 1: htb default 20",
            "class replace dev wan0 parent 1: classid 1:1 htb rate 9500kbit ceil 9500kbit",
            "class replace dev wan0 parent 1:1 classid 1:10 htb rate 2500kbit ceil 9500kbit prio 0 quantum 1514",
            "qdisc replace dev wan0 parent 1:10 handle 10: bfifo limit 4542",
            "class replace dev wan0 parent 1:1 classid 1:20 htb rate 6525kbit ceil 9500kbit prio 1 quantum 1514",
            "qdisc replace dev wan0 parent 1:20 handle 20: bfifo limit 6525",
            "class replace dev wan0 parent 1:1 classid 1:30 htb rate 475kbit ceil 9500kbit prio 2 quantum 1514",
            "qdisc replace dev wan0 parent 1:30 handle 30: bfifo limit 4542",
            "qdisc replace dev lan0 root handle 1: htb default 20",
            "class replace dev lan0 parent 1: classid 1:1 htb rate 47500kbit ceil 47500kbit",
            "class replace dev lan0 parent 1:1 classid 1:10 htb rate 9000kbit ceil 47500kbit prio 0 quantum 1514",
            "qdisc replace dev lan0 parent 1:10 handle 10: bfifo limit 9000",
            "class replace dev lan0 parent 1:1 classid 1:20 htb rate 36125kbit ceil 47500kbit prio 1 quantum 1514",
            "qdisc replace dev lan0 parent 1:20 handle 20: bfifo limit 36125",
            "class replace dev lan0 parent 1:1 classid 1:30 htb rate 2375kbit ceil 47500kbit prio 2 quantum 1514",
            "qdisc replace dev lan0 parent 1:30 handle 30: bfifo limit 4542",
        ];
        Assert.Equal(golden, model.Tc.Select(c => c.Line));
    }

    [Theory]
    [InlineData(new[] { "htb", "fq_codel", "cake" }, "qdisc replace dev wan0 parent 1:10 handle 10: fq_codel")]
    [InlineData(new[] { "htb", "cake" }, "qdisc replace dev wan0 parent 1:10 handle 10: cake unlimited besteffort")]
    [InlineData(new[] { "htb", "bfifo" }, "qdisc replace dev wan0 parent 1:10 handle 10: bfifo limit 4542")]
    public void LeafQdiscIsChosenByCapability(string[] qdiscs, string expectedLeaf)
    {
        var model = KernelModel.Plan(Typed(), Documents.Options(), TcRenderer.ChooseLeaf(qdiscs));

        Assert.Contains(expectedLeaf, model.Tc.Select(c => c.Line));
    }

    [Fact]
    public void GuaranteesAboveTheLineAreCappedSoDefaultAndBulkKeepTheirFloor()
    {
        var greedy = PolicyTyper.Type(Documents.TcpFlow(guaranteedUp: 1_000_000));

        var wan = KernelModel.Plan([greedy], Documents.Options(), "bfifo").Tc.Where(c => c.Key.StartsWith("wan0 class", StringComparison.Ordinal));

        Assert.Contains("class replace dev wan0 parent 1:1 classid 1:10 htb rate 8961kbit ceil 9500kbit prio 0 quantum 1514", wan.Select(c => c.Line));
        Assert.Contains("class replace dev wan0 parent 1:1 classid 1:20 htb rate 64kbit ceil 9500kbit prio 1 quantum 1514", wan.Select(c => c.Line));
    }
}
