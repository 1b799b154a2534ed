using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>
/// Packets through a real gateway namespace: device (10.213.3.2) — lan0 [gateway] wan0 — server (10.213.4.2).
/// Counters in the receivers' own nft tables show which DSCP arrived.
/// </summary>
public class DataPlaneTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string DscpCounters = """
        table inet seen {
        	chain in {
        		type filter hook input priority 0; policy accept;
        		icmp type { echo-request, echo-reply } ip dscp ef counter
        		icmp type { echo-request, echo-reply } ip dscp cs0 counter
        	}
        }

        """;

    [Fact]
    public async Task PolicyMarksUpstreamAndDownstreamAndUnmatchedWanDscpIsWashed()
    {
        Privileged.Require("Data plane");
        await using var gw = await NetNs.CreateAsync("cqe-");
        await using var device = await NetNs.CreateAsync("cqe-");
        await using var server = await NetNs.CreateAsync("cqe-");
        await Wire(gw, "lan0", "lanp", device, "10.213.3");
        await Wire(gw, "wan0", "wanp", server, "10.213.4");
        await gw.CheckAsync("sysctl", "-qw", "net.ipv4.ip_forward=1");
        await device.CheckWithInputAsync(DscpCounters, "nft", "-f", "-");
        await server.CheckWithInputAsync(DscpCounters, "nft", "-f", "-");
        var options = Documents.Options();
        using var h = new Harness(options, new ProcessCommandRunner(gw.Name), nft: new LibNftables(gw.Name), tc: new RtnetlinkTc(gw.Name));
        var policy = new Policy("dev", PolicyKind.Device, new FlowMatch("10.213.3.2", null, null, null, null, FlowProtocol.Any),
            Directions.Both, Dscp.EF, TrafficClass.Priority, 1000, 1000, null, null, null, null);
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(1, policy)), Ct);

        await device.CheckAsync("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.213.4.2");
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(2)), Ct);
        await server.CheckAsync("ping", "-c", "3", "-i", "0.2", "-W", "2", "-Q", "0x28", "10.213.3.2");

        var atServer = await server.CheckAsync("nft", "list", "chain", "inet", "seen", "in");
        var atDevice = await device.CheckAsync("nft", "list", "chain", "inet", "seen", "in");
        Assert.Contains("ip dscp ef counter packets 3", atServer, StringComparison.Ordinal);   // upstream requests marked
        Assert.Contains("ip dscp ef counter packets 3", atDevice, StringComparison.Ordinal);   // downstream replies marked
        Assert.Contains("ip dscp cs0 counter packets 3", atDevice, StringComparison.Ordinal);  // AF11 from WAN washed
        // The upstream requests went through the priority class: skb->priority 1:10 chose it on the WAN egress.
        Assert.Contains(" 3 pkt", await gw.CheckAsync("tc", "-s", "class", "show", "dev", "wan0", "classid", "1:10"), StringComparison.Ordinal);
    }

    internal static async Task Wire(NetNs gw, string inside, string outside, NetNs peer, string net)
    {
        await gw.AddVethAsync(inside, outside);
        await gw.MoveAsync(outside, peer);
        await gw.AddAddressAsync(inside, $"{net}.1/24");
        await peer.AddAddressAsync(outside, $"{net}.2/24");
        await peer.CheckAsync("ip", "link", "set", outside, "up");
        await peer.CheckAsync("ip", "route", "add", "default", "via", $"{net}.1");
    }
}
