using System.Text.Json;
using CamaraQos.Shared;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Control;

public class LabTests
{
    [Fact]
    public async Task LabUpRoutesALanClientThroughTheGatewayAndDownLeavesNothingBehind()
    {
        Privileged.Require("The namespace lab");
        var hostTables = (await Command.RunAsync("nft", ["list", "tables"])).Stdout;
        await using (var lab = await Lab.UpAsync("cqc-s", 110, "--bottleneck-kbit", "20000"))
        {
            (await lab.ExecAsync("lan1", "ping", "-c", "1", "-W", "2", lab.WanServer)).EnsureSuccess("ping lan1 → WAN server");
            (await lab.ExecAsync("gw", "ping", "-c", "1", "-W", "2", lab.HostSide)).EnsureSuccess("ping gateway → host side of mgmt");
            var natSeen = await lab.ExecAsync("wan", "ping", "-c", "1", "-W", "2", lab.Lan1);
            Assert.NotEqual(0, natSeen.ExitCode); // the LAN is behind NAT: the WAN side cannot reach it
            var qdisc = await lab.ExecAsync("isp", "tc", "qdisc", "show", "dev", "isp-gw");
            Assert.Contains("htb", qdisc.Stdout, StringComparison.Ordinal);
            Assert.Equal(hostTables, (await Command.RunAsync("nft", ["list", "tables"])).Stdout);
        }

        var namespaces = (await Command.RunAsync("ip", ["netns", "list"])).Stdout;
        Assert.DoesNotContain("cqc-s-", namespaces, StringComparison.Ordinal);
        Assert.NotEqual(0, (await Command.RunAsync("ip", ["link", "show", "cqc-s-mgmt"])).ExitCode);
    }

    [Fact]
    public async Task AFailedUpTearsDownWhatItHadCreated()
    {
        Privileged.Require("The namespace lab");
        // Block 299 gives 10.213.299.1, which `ip addr add` refuses after the namespaces and the host veth
        // exist: up fails half-way (no address outside the lab's range is ever configured).
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Lab.UpAsync("cqc-f", 299));

        Assert.Contains("up failed, tearing down", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cqc-f-", (await Command.RunAsync("ip", ["netns", "list"])).Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, (await Command.RunAsync("ip", ["link", "show", "cqc-f-mgmt"])).ExitCode);
    }

    [Fact]
    public async Task TheAgentPrintsTheGatewaysAddressesAndLanDevicesInsideTheLab()
    {
        Privileged.Require("The namespace lab");
        await using var lab = await Lab.UpAsync("cqc-i", 130);
        (await lab.ExecAsync("lan1", "ping", "-c", "1", "-W", "2", lab.Address(2, 1))).EnsureSuccess("ping lan1 → gateway");
        var mac = (await lab.ExecAsync("lan1", "cat", "/sys/class/net/eth0/address")).Stdout.Trim();

        var printed = (await lab.ExecAsync("gw", AgentBinary.Path, "--print-inventory", "--config", "/nonexistent.json",
            "--Agent:Id=lab-gw", "--Agent:WanInterface=wan0", "--Agent:LanInterfaces=lan0")).EnsureSuccess("--print-inventory");

        var status = JsonSerializer.Deserialize(printed.Stdout, ContractJson.Default.AgentStatus)!;
        Assert.Equal([lab.GatewayWan], status.Wan!.Ipv4);
        Assert.Equal([$"10.213.132.0/24"], status.LanPrefixes);
        Assert.Contains(new LanDevice(lab.Lan1, mac, "lan0", null), status.Inventory!);
    }
}
