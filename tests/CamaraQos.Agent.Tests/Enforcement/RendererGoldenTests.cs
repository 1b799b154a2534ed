using CamaraQos.Agent.Enforcement;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

public class RendererGoldenTests
{
    private static IReadOnlyList<TypedPolicy> Typed() =>
        [.. Documents.Realistic(1).Policies.Select(PolicyTyper.Type)];

    [Fact]
    public void NftScriptForRealisticDocumentMatchesGolden()
    {
        var script = NftRenderer.Render(new NftModel("wan0", ["lan0"], Typed()));

        const string golden = """
            add table inet camaraqos
            delete table inet camaraqos
            table inet camaraqos {
            	chain wash {
            		type filter hook prerouting priority mangle; policy accept;
            		iifname "wan0" ip dscp != 0 ip dscp set 0
            		iifname "wan0" ip6 dscp != 0 ip6 dscp set 0
            	}
            	chain classify {
            		type filter hook forward priority mangle; policy accept;
            		iifname "lan0" oifname "wan0" ip saddr 192.168.1.10 ip daddr 203.0.113.0/24 tcp sport 1000-2000 tcp dport 443 ip dscp set 46 meta priority set 1:10 accept
            		iifname "wan0" oifname "lan0" ip saddr 203.0.113.0/24 ip daddr 192.168.1.10 tcp sport 443 tcp dport 1000-2000 ip dscp set 46 meta priority set 1:10 accept
            		iifname "lan0" oifname "wan0" ip6 saddr 2001:db8:1::10 ip6 daddr 2001:db8:ff::5 udp dport 3478-3480 ip6 dscp set 34 meta priority set 1:10 accept
            		iifname "wan0" oifname "lan0" ip6 saddr 2001:db8:ff::5 ip6 daddr 2001:db8:1::10 udp sport 3478-3480 ip6 dscp set 34 meta priority set 1:10 accept
            		iifname "wan0" oifname "lan0" ip daddr 192.168.1.11 ip dscp set 32 meta priority set 0:104 accept
            	}
            }

            """;
        Assert.Equal(golden, script);
    }

    [Fact]
    public void ListsBecomeDisjointSetsAndAnyProtocolPortsUseTransportHeader()
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

        var script = NftRenderer.Render(new NftModel("wan0", ["lan0", "wlan0"], [PolicyTyper.Type(policy)]));

        Assert.Contains("\t\tiifname { \"lan0\", \"wlan0\" } oifname \"wan0\" ip saddr 192.168.1.10 ip daddr { 198.51.100.7, 203.0.113.0/24 } "
            + "meta l4proto { tcp, udp } th dport { 443-444, 8080-9000 } ip dscp set 46 meta priority set 1:10 accept\n", script, StringComparison.Ordinal);
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
