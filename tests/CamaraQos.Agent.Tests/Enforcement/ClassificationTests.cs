using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>
/// The verdict-map classifier on real packets: device (10.213.5.2) — lan0 [gateway] wan0 — server (10.213.6.2),
/// the enforcer driving libnftables inside the gateway namespace. Counters in the peers' own tables say which
/// DSCP each packet arrived with.
/// </summary>
public class ClassificationTests
{
    private const string Device = "10.213.5.2";
    private const string Server = "10.213.6.2";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AThousandSessionsMatchAndRemovingOneChangesOnlyItsElementsAndOnlyItStopsMatching()
    {
        await using var lab = await Lab.UpAsync();
        await lab.Server.CheckWithInputAsync("""
            table inet seen {
            	chain in {
            		type filter hook input priority 0; policy accept;
            		udp dport 20000-20999 ip dscp ef counter
            		udp dport 20000-20999 ip dscp cs0 counter
            		udp dport 20500 ip dscp cs0 counter
            	}
            }

            """, "nft", "-f", "-");
        using var h = lab.Harness();
        var sessions = Enumerable.Range(0, 1000).Select(Session).ToArray();
        var all = await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(1, sessions)), Ct);
        Assert.All(all.Report.Policies, p => Assert.True(p.Outcome == PolicyOutcome.Applied, p.Reason));
        h.Runner.Drain();

        var removed = await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(2, [.. sessions.Where(p => p.Id != "qod-0500")])), Ct);

        Assert.All(removed.Report.Policies, p => Assert.True(p.Outcome == PolicyOutcome.Applied, p.Reason));
        var change = Assert.Single(h.Runner.Drain(), c => c.Mutates);
        Assert.Equal($$"""
            delete element inet camaraqos up4_0 { {{Device}} . {{Server}} . udp . 0-65535 . 20500 }
            delete element inet camaraqos down4_0 { {{Device}} . {{Server}} . udp . 0-65535 . 20500 }

            """, change.Stdin);
        await lab.Device.CheckAsync("bash", "-c", $"for p in $(seq 20000 20999); do echo x > /dev/udp/{Server}/$p; done");
        var seen = await lab.Server.CheckAsync("nft", "list", "chain", "inet", "seen", "in");
        Assert.Contains("udp dport 20000-20999 ip dscp ef counter packets 999 ", seen, StringComparison.Ordinal);
        Assert.Contains("udp dport 20000-20999 ip dscp cs0 counter packets 1 ", seen, StringComparison.Ordinal);
        Assert.Contains("udp dport 20500 ip dscp cs0 counter packets 1 ", seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplacingTheDocumentWhileTrafficFlowsLosesNoPacketOfThePrioritizedFlowToTheDefaultClass()
    {
        await using var lab = await Lab.UpAsync();
        const string counters = """
            table inet seen {
            	chain in {
            		type filter hook input priority 0; policy accept;
            		icmp type { echo-request, echo-reply } ip dscp ef counter
            		icmp type { echo-request, echo-reply } ip dscp != ef counter
            	}
            }

            """;
        await lab.Server.CheckWithInputAsync(counters, "nft", "-f", "-");
        await lab.Device.CheckWithInputAsync(counters, "nft", "-f", "-");
        using var h = lab.Harness();
        var flow = new Policy("qod-flow", PolicyKind.Flow, new FlowMatch(Device, null, [Server], null, null, FlowProtocol.Any),
            Directions.Both, Dscp.EF, TrafficClass.Priority, 500, 500, null, null, null, null);
        // In turn: the flow alone; plus another device in a new class (a class chain added, later removed); plus an
        // assignment overlapping the flow on its device (a second layer: the whole table replaced).
        Policy[][] documents =
        [
            [flow],
            [flow, Assignment("qos-other", "10.213.5.50", Dscp.AF41)],
            [flow, Assignment("qos-same", Device, Dscp.CS5)],
        ];
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(1, flow)), Ct);

        var ping = lab.Device.CheckAsync("ping", "-q", "-c", "400", "-i", "0.005", "-W", "2", Server);
        var generation = 1;
        while (!ping.IsCompleted)
        {
            generation++;
            var outcome = await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(generation, documents[generation % 3])), Ct);
            Assert.All(outcome.Report.Policies, p => Assert.True(p.Outcome == PolicyOutcome.Applied, p.Reason));
        }
        await ping;

        Assert.True(generation > 4, $"only {generation - 1} documents were applied while the flow ran");
        foreach (var (peer, name) in ((NetNs, string)[])[(lab.Server, "requests at the server"), (lab.Device, "replies at the device")])
        {
            var seen = await peer.CheckAsync("nft", "list", "chain", "inet", "seen", "in");
            Assert.True(seen.Contains("ip dscp ef counter packets 400 ", StringComparison.Ordinal), $"{name}: {seen}");
            Assert.True(seen.Contains("ip dscp != ef counter packets 0 ", StringComparison.Ordinal), $"{name}: {seen}");
        }
    }

    private static Policy Session(int i) => new($"qod-{i:D4}", PolicyKind.Flow,
        new FlowMatch(Device, null, [Server], null, [new PortRange(20000 + i, 20000 + i)], FlowProtocol.Udp),
        Directions.Both, Dscp.EF, TrafficClass.Priority, null, null, null, null, null, null);

    private static Policy Assignment(string id, string device, int dscp) => new(id, PolicyKind.Device,
        new FlowMatch(device, null, null, null, null, FlowProtocol.Any), Directions.Both, dscp, TrafficClass.Priority, 100, 100, null, null, null, null);

    /// <summary>Three namespaces wired as a gateway between a device and a server; shaping far above the traffic.</summary>
    private sealed class Lab(NetNs gw, NetNs device, NetNs server) : IAsyncDisposable
    {
        public NetNs Gateway => gw;
        public NetNs Device => device;
        public NetNs Server => server;

        public static async Task<Lab> UpAsync()
        {
            Privileged.Require("Data plane");
            var lab = new Lab(await NetNs.CreateAsync("cqe-"), await NetNs.CreateAsync("cqe-"), await NetNs.CreateAsync("cqe-"));
            await DataPlaneTests.Wire(lab.Gateway, "lan0", "lanp", lab.Device, "10.213.5");
            await DataPlaneTests.Wire(lab.Gateway, "wan0", "wanp", lab.Server, "10.213.6");
            await lab.Gateway.CheckAsync("sysctl", "-qw", "net.ipv4.ip_forward=1");
            return lab;
        }

        public Harness Harness()
        {
            var options = Documents.Options();
            options.UplinkKbps = options.DownlinkKbps = 1_000_000;
            options.MaxPolicies = 2000;
            options.MaxDocumentBytes = 4 * 1024 * 1024;
            return new Harness(options, new ProcessCommandRunner(gw.Name), nft: new LibNftables(gw.Name), tc: new RtnetlinkTc(gw.Name));
        }

        public async ValueTask DisposeAsync()
        {
            await server.DisposeAsync();
            await device.DisposeAsync();
            await gw.DisposeAsync();
        }
    }
}
