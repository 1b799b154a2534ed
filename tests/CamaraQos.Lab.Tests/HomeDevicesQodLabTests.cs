using System.Net;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// Issue 5 acceptance, Home Devices QoD on the real kernel: a class set through the API marks the downstream
/// packets of one LAN client with the class's DSCP and sets skb->priority to 256+UP (RFC 8325), so a Wi-Fi
/// driver on the LAN side would queue them in the matching WMM access category; <c>standard</c> undoes it.
/// The lab has no Wi-Fi, so priority is observed where it is set: a counter rule in a test-owned table at the
/// gateway's postrouting hook (priority 300, after the agent's forward rule and NAT), matching
/// <c>oifname lan0 meta priority 0:10x ip dscp ...</c>: the last netfilter point before lan0's qdisc, which
/// reads skb->priority but does not change it. The DSCP is also counted where the packets arrive, in LAN
/// client 1's own namespace.
/// </summary>
public sealed class HomeDevicesQodLabTests : IAsyncLifetime
{
    private const int Pings = 20;
    private LabRig? _rig;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }

    [Fact]
    public async Task AClassMarksDownstreamPacketsToItsDeviceWithTheDscpAndWifiPriorityAndStandardUnmarksThem()
    {
        Privileged.Require("The Home Devices QoD lab (controller, agent, namespaces)");
        _rig = await LabRig.UpAsync("cqx-hdq", 224);
        var lab = _rig.Lab;
        using var home = await _rig.HomeClientAsync("+34699000224");
        var (s, c1, c2) = (lab.WanServer, lab.Lan1, _rig.Lan2);
        var leaving = await NftCounters.InstallAsync(lab, "gw", "cqxhdq", "postrouting priority 300", new Dictionary<string, string>
        {
            ["to1"] = $"oifname \"lan0\" ip saddr {s} ip daddr {c1}",
            ["to1rti"] = $"oifname \"lan0\" ip saddr {s} ip daddr {c1} ip dscp cs4 meta priority 0:104",
            ["to1plain"] = $"oifname \"lan0\" ip saddr {s} ip daddr {c1} ip dscp cs0 meta priority none",
            ["to2"] = $"oifname \"lan0\" ip saddr {s} ip daddr {c2}",
            ["to2plain"] = $"oifname \"lan0\" ip saddr {s} ip daddr {c2} ip dscp cs0 meta priority none",
        });
        var arriving = await NftCounters.InstallAsync(lab, "lan1", "cqxhdq", "input priority 0", new Dictionary<string, string>
        {
            ["cs4"] = $"ip saddr {s} ip dscp cs4",
            ["plain"] = $"ip saddr {s} ip dscp cs0",
        });

        Assert.Equal((HttpStatusCode.NoContent, null), await LabRig.SetHomeQosAsync(home, "real_time_interactive", c1));
        // 204 came after the agent's report: the rule is in the kernel now, no waiting.
        Assert.Equal(1, Kernel.CountElements(await Kernel.NftTableAsync(lab), c1, "mark_32_0_104"));
        var marked = await PingBothAsync(lab, leaving, arriving);
        TestContext.Current.TestOutputHelper?.WriteLine($"real_time_interactive: {Show(marked)}");
        Assert.True(marked["to1"] >= Pings, $"replies to client 1: {Show(marked)}");
        Assert.Equal(marked["to1"], marked["to1rti"]);
        Assert.Equal(0, marked["to1plain"]);
        Assert.True(marked["to2"] >= Pings && marked["to2"] == marked["to2plain"], $"client 2 must stay unmarked: {Show(marked)}");
        Assert.Equal(marked["to1"], marked["cs4"]);
        Assert.Equal(0, marked["plain"]);

        Assert.Equal((HttpStatusCode.NoContent, null), await LabRig.SetHomeQosAsync(home, "standard", c1));
        Assert.DoesNotContain($"{c1} . ", await Kernel.NftTableAsync(lab), StringComparison.Ordinal);   // no element of c1 left
        var unmarked = await PingBothAsync(lab, leaving, arriving);
        TestContext.Current.TestOutputHelper?.WriteLine($"standard: {Show(unmarked)}");
        Assert.True(unmarked["to1"] >= Pings, $"replies to client 1: {Show(unmarked)}");
        Assert.Equal(unmarked["to1"], unmarked["to1plain"]);
        Assert.Equal(0, unmarked["to1rti"]);
        Assert.Equal(unmarked["to1"], unmarked["plain"]);
        Assert.Equal(0, unmarked["cs4"]);
        Assert.Equal((HttpStatusCode.Conflict, "HOME_DEVICES_QOD.QOS_ALREADY_SET_TO_DEFAULT"), await LabRig.SetHomeQosAsync(home, "standard", c1));
    }

    [Fact]
    public async Task WithTheAgentStoppedTheGatewayIsRouterOffline()
    {
        Privileged.Require("The Home Devices QoD lab (controller, agent, namespaces)");
        _rig = await LabRig.UpAsync("cqx-hdo", 232);
        using var home = await _rig.HomeClientAsync("+34699000232");
        Assert.Equal((HttpStatusCode.NoContent, null), await LabRig.SetHomeQosAsync(home, "multimedia_streaming", _rig.Lab.Lan1));

        // SIGKILL: the broker sees the socket close and publishes the agent's Last Will (offline).
        _rig.Agent!.Kill();
        await Until.TrueAsync(async () => await _rig.AgentAsync() is { } a && !a.GetProperty("online").GetBoolean(), "the agent offline", 30);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "HOME_DEVICES_QOD.ROUTER_OFFLINE"), await LabRig.SetHomeQosAsync(home, "standard", _rig.Lab.Lan1));
        // The class is still the home's: the kernel keeps it while the agent is down (README, agent restart).
        Assert.Equal(1, Kernel.CountElements(await Kernel.NftTableAsync(_rig.Lab), _rig.Lab.Lan1, "mark_26_0_104"));
    }

    /// <summary>Counter deltas over <see cref="Pings"/> echo requests from each LAN client to the WAN server (the replies are the downstream packets).</summary>
    private static async Task<Dictionary<string, long>> PingBothAsync(TestLab lab, NftCounters leaving, NftCounters arriving)
    {
        string[] gw = ["to1", "to1rti", "to1plain", "to2", "to2plain"];
        string[] lan1 = ["cs4", "plain"];
        var before = (await leaving.SnapshotAsync(gw)).Concat(await arriving.SnapshotAsync(lan1)).ToDictionary();
        foreach (var client in (string[])["lan1", "lan2"])
        {
            var samples = await Traffic.PingAsync(lab, client, Pings, interval: 0.02);
            Assert.Equal(Pings, samples.Length);
        }
        var after = (await leaving.SnapshotAsync(gw)).Concat(await arriving.SnapshotAsync(lan1)).ToDictionary();
        return after.ToDictionary(kv => kv.Key, kv => kv.Value - before[kv.Key]);
    }

    private static string Show(Dictionary<string, long> counts) => string.Join(", ", counts.Select(kv => $"{kv.Key}={kv.Value}"));
}
