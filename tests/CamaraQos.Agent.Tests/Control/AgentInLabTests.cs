using System.Diagnostics;
using System.Net;
using CamaraQos.Shared;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Control;

/// <summary>
/// The whole agent (real Control, Native and Enforcement) running in the lab's gateway namespace, reaching a
/// broker on the host side of the management link, as in a deployment.
/// </summary>
public class AgentInLabTests
{
    [Fact]
    public async Task TheAgentInTheGatewayAnnouncesItselfAppliesDesiredStateAndLeavesItsWillWhenKilled()
    {
        Privileged.Require("The agent in the namespace lab");
        await using var lab = await Lab.UpAsync("cqc-e", 150);
        await using var broker = await Broker.StartAsync(IPAddress.Parse(lab.HostSide));
        var id = AgentUnderTest.NewId();
        await using var status = await MqttProbe.SubscribeAsync(broker.Port, Topics.Status(id), lab.HostSide);
        await using var reported = await MqttProbe.SubscribeAsync(broker.Port, Topics.Reported(id), lab.HostSide);
        var state = Directory.CreateTempSubdirectory("cqc-e-state-");
        using var agent = StartAgent(lab, id, broker.Port, state.FullName);
        try
        {
            var birth = MqttProbe.Status(await status.NextAsync(m => MqttProbe.Status(m).Online, 60));
            Assert.Equal([lab.GatewayWan], birth.Wan!.Ipv4);
            Assert.Equal(["10.213.152.0/24"], birth.LanPrefixes);
            Assert.Contains("htb", birth.Capabilities!.Qdiscs);

            (await lab.ExecAsync("lan1", "ping", "-c", "1", "-W", "2", lab.Address(2, 1))).EnsureSuccess("ping lan1 → gateway");
            var changed = await status.NextAsync(m => MqttProbe.Status(m).Inventory!.Any(d => d.Ip == lab.Lan1), 30);
            Assert.Equal(birth.BootEpoch, MqttProbe.Status(changed).BootEpoch);

            await broker.InjectRetainedAsync(Topics.Desired(id),
                """{"schemaVersion":1,"generation":3,"issuedAt":"2026-01-01T00:00:00Z","policies":[],"monitors":[]}""");
            var report = MqttProbe.Reported(await reported.NextAsync(m => MqttProbe.Reported(m).ObservedGeneration == 3, 60));
            Assert.Equal(birth.BootEpoch, report.BootEpoch);

            agent.Kill();
            var will = MqttProbe.Status(await status.NextAsync(m => !MqttProbe.Status(m).Online, 60));
            Assert.Equal(birth.BootEpoch, will.BootEpoch);

            // The kernel state outlives the process (restarts must not blink QoS); --cleanup removes it.
            (await lab.ExecAsync("gw", "nft", "list", "table", "inet", "camaraqos")).EnsureSuccess("agent's table after kill");
            (await lab.ExecAsync("gw", AgentBinary.Path, "--cleanup", "--config", "/nonexistent/agent.json",
                "--Agent:WanInterface=wan0", "--Agent:LanInterfaces=lan0", "--Agent:UplinkKbps=20000",
                "--Agent:DownlinkKbps=100000", $"--Agent:StateDirectory={state.FullName}")).EnsureSuccess("--cleanup");
            Assert.NotEqual(0, (await lab.ExecAsync("gw", "nft", "list", "table", "inet", "camaraqos")).ExitCode);
            Assert.DoesNotContain("htb", (await lab.ExecAsync("gw", "tc", "qdisc", "show", "dev", "wan0")).Stdout, StringComparison.Ordinal);
            Assert.Contains("masquerade", (await lab.ExecAsync("gw", "nft", "list", "table", "ip", "lab")).Stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill();
            }
            state.Delete(recursive: true);
        }
    }

    /// <summary>The agent binary in the lab's gateway; <paramref name="extra"/> adds or overrides keys.</summary>
    internal static Process StartAgent(Lab lab, string id, int port, string stateDirectory, params string[] extra)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["netns", "exec", lab.Namespace("gw"), AgentBinary.Path, "--config", "/nonexistent/agent.json",
            $"--Agent:Id={id}", $"--Mqtt:Host={lab.HostSide}", $"--Mqtt:Port={port}",
            "--Agent:WanInterface=wan0", "--Agent:LanInterfaces=lan0", "--Agent:UplinkKbps=20000", "--Agent:DownlinkKbps=100000",
            $"--Agent:StateDirectory={stateDirectory}", "--Agent:InventoryPollSeconds=0.5", .. extra])
        {
            start.ArgumentList.Add(arg);
        }
        // `ip netns exec` execs the agent, so this process id is the agent's own. Its log goes to the test output.
        var output = TestContext.Current.TestOutputHelper;
        void Write(string? line)
        {
            try
            {
                output?.WriteLine(line ?? "");
            }
            catch (InvalidOperationException)
            {
                // The test already finished: the late lines are not needed.
            }
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
