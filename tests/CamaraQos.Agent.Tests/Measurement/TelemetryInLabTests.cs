using System.Net;
using System.Text.Json;
using CamaraQos.Agent.Control;
using CamaraQos.Agent.Tests.Control;
using CamaraQos.Shared;
using CamaraQos.TestSupport;
using MQTTnet;
using Xunit;

namespace CamaraQos.Agent.Tests.Measurement;

/// <summary>
/// The whole agent in the lab's gateway namespace, capturing on wan0 and lan0 while real TCP (iperf3) goes
/// from a LAN client through the gateway's NAT to the WAN server: its telemetry reaches the broker with that
/// flow under the client's own address, both RTT halves, the client's device aggregate, capture counters,
/// HTB class counters, and a verdict for each monitor of the desired document.
/// </summary>
public class TelemetryInLabTests
{
    private const int Port = 5201;

    [Fact]
    public async Task TheAgentPublishesTheFlowOfRealTrafficWithBothHalvesAndAVerdictForEachMonitor()
    {
        Privileged.Require("The agent capturing in the namespace lab");
        await using var lab = await Lab.UpAsync("cqx-msr", 216);
        await using var broker = await Broker.StartAsync(IPAddress.Parse(lab.HostSide));
        var id = AgentUnderTest.NewId();
        await using var telemetry = await MqttProbe.SubscribeAsync(broker.Port, Topics.Telemetry(id), lab.HostSide);
        var lan2 = lab.Address(2, 11);
        var fast = new QualityThresholds(LatencyMs: 100, JitterMs: 50, PacketLossPercent: null, MinUpKbps: 1000, MinDownKbps: null);
        await broker.InjectRetainedAsync(Topics.Desired(id), JsonSerializer.Serialize(
            new DesiredState(Contract.SchemaVersion, 1, DateTimeOffset.UtcNow, [],
                [new FlowMonitor("m-flow", lab.Lan1, lab.WanServer, Port, fast), new FlowMonitor("m-quiet", lan2, null, null, fast)]),
            ContractJson.Default.DesiredState));
        var state = Directory.CreateTempSubdirectory("cqx-msr-state-");
        using var agent = AgentInLabTests.StartAgent(lab, id, broker.Port, state.FullName, "--Agent:TelemetryIntervalSeconds=1");
        try
        {
            var idle = Report(await telemetry.NextAsync(seconds: 60));
            Assert.Equal((id, 0L), (idle.AgentId, idle.Capture.Errors));

            var traffic = SendAsync(lab);
            var busy = Report(await telemetry.NextAsync(m => Report(m).Flows.Any(f => IsTheFlow(f, lab) && f.ThroughputUpKbps > 1000), 60));
            await traffic;

            var flow = busy.Flows.Single(f => IsTheFlow(f, lab));
            TestContext.Current.TestOutputHelper?.WriteLine(JsonSerializer.Serialize(busy, ContractJson.Default.TelemetryReport));
            Assert.True(flow.LanRttMs is { Samples: >= 5 } && flow.WanRttMs is { Samples: >= 5 }, "both RTT halves sampled");
            Assert.InRange(flow.PacketsUp, 100, long.MaxValue);
            Assert.DoesNotContain(busy.Flows, f => f.Device == lab.GatewayWan && f.ServerPort == Port);
            var device = Assert.Single(busy.Devices, d => d.Device == lab.Lan1);
            Assert.Equal(flow.BytesUp, device.BytesUp);
            Assert.Equal(new MonitorVerdict("m-flow", Verdict.Meets, Verdict.Meets, Verdict.Meets, Verdict.Meets),
                busy.Verdicts.Single(v => v.MonitorId == "m-flow"));
            var quiet = busy.Verdicts.Single(v => v.MonitorId == "m-quiet");
            Assert.Equal((Verdict.Unknown, Verdict.Unknown), (quiet.Latency, quiet.Throughput));
            Assert.InRange(busy.Capture.Packets, 200, long.MaxValue);
            Assert.Equal((0L, 0L), (busy.Capture.Errors, busy.Capture.KernelDrops));
            Assert.Contains(busy.Classes, c => c.Interface == "wan0" && c.ClassId == "1:1" && c.Bytes > 0);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill();
                await agent.WaitForExitAsync();
            }
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public void TelemetryIsPublishedAtMostOnceAndNotRetained()
    {
        var message = AgentMessages.Telemetry(Topics.Telemetry("gw-1"), [1]);

        Assert.Equal((MQTTnet.Protocol.MqttQualityOfServiceLevel.AtMostOnce, false), (message.QualityOfServiceLevel, message.Retain));
    }

    private static bool IsTheFlow(FlowAggregate f, Lab lab) => f.Device == lab.Lan1 && f.Server == lab.WanServer && f.ServerPort == Port;

    private static TelemetryReport Report(MqttApplicationMessage m) =>
        JsonSerializer.Deserialize(m.ConvertPayloadToString(), ContractJson.Default.TelemetryReport)!;

    /// <summary>One bounded iperf3 test (4 s at 10 Mbit/s) from lan1 to a one-shot server (-1) on the WAN side.</summary>
    private static async Task SendAsync(Lab lab)
    {
        var server = Command.RunAsync("ip", ["netns", "exec", lab.Namespace("wan"), "iperf3", "-s", "-1", "-p", $"{Port}"], TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await lab.ExecAsync("wan", "ss", "-Hltn", $"sport = :{Port}")).Stdout.Contains($":{Port}", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "iperf3 -s did not listen within 10 s");
            await Task.Delay(20);
        }
        (await lab.ExecAsync("lan1", "iperf3", "-c", lab.WanServer, "-p", $"{Port}", "-t", "4", "-b", "10M")).EnsureSuccess("iperf3 lan1 → server");
        (await server).EnsureSuccess("iperf3 -s -1");
    }
}
