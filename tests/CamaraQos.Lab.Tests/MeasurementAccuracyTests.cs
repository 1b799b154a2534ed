using System.Globalization;
using System.Net;
using System.Text.Json;
using CamaraQos.Agent.Tests.Control;
using CamaraQos.Shared;
using CamaraQos.TestSupport;
using MQTTnet;
using Xunit;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// Issue 4 acceptance, the agent's accuracy against ground truth. Known delay without netem (docs/STACK.md): the
/// ISP hop (a forwarding bridge, not the TCP sender) shapes to 5 Mbit/s into a 30,000-byte bfifo, which
/// 6 Mbit/s of UDP towards lan2 keeps full, ≈ 48 ms on the way down. A paced TCP flow lan1 → server
/// (iperf3 -b 4M, below the 5 Mbit/s upstream, so it builds no queue of its own) crosses the gateway where
/// the agent captures. Its WAN half then is the path gateway ↔ server, which ping from the gateway measures
/// at the same time; its goodput is what iperf3 counts.
/// </summary>
public sealed class MeasurementAccuracyTests
{
    private const int FlowPort = 5201;
    private const int LoadPort = 5202;
    private const int FlowSeconds = 14;
    private const int IntervalSeconds = 2;

    [Fact]
    public async Task TheAgentsWanRttAndThroughputOfAFlowAgreeWithPingAndIperf3UnderAKnownWanDelay()
    {
        Privileged.Require("The measurement accuracy lab (agent, namespaces, iperf3, ping)");
        await using var lab = await TestLab.UpAsync("cqx-acc", 220, "--bottleneck-kbit", "5000", "--delay-bytes", "30000");
        await using var broker = await Broker.StartAsync(IPAddress.Parse(lab.HostSide));
        var id = "cqx-acc-" + Guid.NewGuid().ToString("N")[..8];
        await using var telemetry = await MqttProbe.SubscribeAsync(broker.Port, Topics.Telemetry(id), lab.HostSide);
        var state = Directory.CreateTempSubdirectory("cqx-acc-state-");
        try
        {
            using var agent = GatewayAgent.Start(lab, id, "unused", broker.Port, state.FullName, uplinkKbps: 100_000,
                $"--Agent:TelemetryIntervalSeconds={IntervalSeconds}");
            Assert.Equal(0, Report(await telemetry.NextAsync(seconds: 60)).Capture.Errors);
            using var flowServer = await Traffic.IperfServer.StartAsync(lab, FlowPort);
            using var loadServer = await Traffic.IperfServer.StartAsync(lab, LoadPort);

            var load = Iperf3Async(lab, "lan2", LoadPort, "-u", "-b", "6M", "-R", "-t", $"{FlowSeconds + 12}");
            await Until.TrueAsync(async () => await Traffic.PingAsync(lab, "gw", 1) is { Length: > 0 } rtt && rtt[0] > 40,
                "the downstream FIFO full (ping from the gateway above 40 ms)", 10);
            var started = DateTimeOffset.UtcNow;
            var flow = Iperf3Async(lab, "lan1", FlowPort, "-b", "4M", "-l", "1448", "-t", $"{FlowSeconds}");
            var ping = await Traffic.PingAsync(lab, "gw", 50, interval: 0.2);
            using var iperf = JsonDocument.Parse((await flow).Stdout);
            var ended = DateTimeOffset.UtcNow;
            var reports = await ReportsUntilAsync(telemetry, ended);
            await load;

            var figures = Figures.Of(lab, reports, started, ended, iperf, ping);
            TestContext.Current.TestOutputHelper?.WriteLine(figures.Text);
            Console.WriteLine(figures.Text);
            Assert.True(Math.Abs(figures.AgentWanP50 - figures.PingP50) <= Math.Max(0.10 * figures.PingP50, 1), figures.Text);
            Assert.True(Math.Abs(figures.AgentKbps - figures.IperfKbps) <= 0.05 * figures.IperfKbps, figures.Text);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    /// <summary>Every report since the subscription, up to the first that starts after <paramref name="end"/>.</summary>
    private static async Task<List<TelemetryReport>> ReportsUntilAsync(MqttProbe telemetry, DateTimeOffset end)
    {
        var reports = new List<TelemetryReport>();
        do
        {
            reports.Add(Report(await telemetry.NextAsync(seconds: 3 * IntervalSeconds)));
        }
        while (reports[^1].From < end);
        return reports;
    }

    private static Task<CommandResult> Iperf3Async(TestLab lab, string client, int port, params string[] args) =>
        Command.RunAsync("ip", ["netns", "exec", lab.Namespace(client), "iperf3", "-c", lab.WanServer, "-p", $"{port}", "-J", .. args],
            TimeSpan.FromSeconds(FlowSeconds + 60));

    private static TelemetryReport Report(MqttApplicationMessage m) =>
        JsonSerializer.Deserialize(m.ConvertPayloadToString(), ContractJson.Default.TelemetryReport)!;

    /// <summary>
    /// The agent's figures from the reports wholly inside the flow's steady part (a second in from either
    /// end), against iperf3's own intervals over its steady part and ping's median.
    /// </summary>
    private sealed record Figures(double AgentWanP50, double PingP50, double AgentKbps, double IperfKbps, string Text)
    {
        public static Figures Of(TestLab lab, List<TelemetryReport> reports, DateTimeOffset started, DateTimeOffset ended,
            JsonDocument iperf, double[] ping)
        {
            var steady = reports
                .Where(r => r.From >= started.AddSeconds(1) && r.To <= ended.AddSeconds(-1))
                .Select(r => (Report: r, Flow: r.Flows.SingleOrDefault(f => f.Device == lab.Lan1 && f.Server == lab.WanServer && f.ServerPort == FlowPort)))
                .Where(x => x.Flow is { WanRttMs: not null })
                .ToArray();
            Assert.True(steady.Length >= 3, $"only {steady.Length} steady reports with the flow");
            var seconds = steady.Sum(x => (x.Report.To - x.Report.From).TotalSeconds);
            var agentKbps = steady.Sum(x => x.Flow!.ThroughputUpKbps * (x.Report.To - x.Report.From).TotalSeconds) / seconds;
            var agentP50 = Traffic.Percentile([.. steady.Select(x => x.Flow!.WanRttMs!.P50)], 50);
            var intervals = iperf.RootElement.GetProperty("intervals").EnumerateArray()
                .Select(i => i.GetProperty("sum")).Where(s => s.GetProperty("start").GetDouble() >= 1 && s.GetProperty("end").GetDouble() <= FlowSeconds - 1)
                .ToArray();
            var iperfKbps = intervals.Sum(s => s.GetProperty("bytes").GetDouble()) * 8 / 1000 / intervals.Sum(s => s.GetProperty("seconds").GetDouble());
            var received = iperf.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bytes").GetInt64();
            var agentBytes = reports.SelectMany(r => r.Flows.Where(f => f.Device == lab.Lan1 && f.ServerPort == FlowPort)
                .Select(f => f.ThroughputUpKbps * 1000 / 8 * (r.To - r.From).TotalSeconds)).Sum();
            var pingP50 = Traffic.Percentile(ping, 50);
            var inv = CultureInfo.InvariantCulture;
            var text = string.Create(inv, $"""
                WAN delay: 5 Mbit/s HTB + 30,000-byte bfifo on the ISP hop, kept full by 6 Mbit/s UDP server → lan2
                flow lan1 → {lab.WanServer}:{FlowPort}, iperf3 -b 4M -l 1448 -t {FlowSeconds}; agent interval {IntervalSeconds} s, {steady.Length} steady reports
                WAN RTT  agent p50 of interval p50s {agentP50:F2} ms (per interval: {string.Join(", ", steady.Select(x => x.Flow!.WanRttMs!.P50.ToString("F1", inv)))}) | ping gateway → server p50 {pingP50:F2} ms (p5 {Traffic.Percentile(ping, 5):F2}, p95 {Traffic.Percentile(ping, 95):F2}, {ping.Length} replies) | difference {100 * (agentP50 - pingP50) / pingP50:F1} %
                LAN RTT  agent p50 {Traffic.Percentile([.. steady.Select(x => x.Flow!.LanRttMs?.P50 ?? double.NaN)], 50):F3} ms
                goodput  agent {agentKbps:F0} kbit/s | iperf3 {iperfKbps:F0} kbit/s over its intervals 1..{FlowSeconds - 1} s | difference {100 * (agentKbps - iperfKbps) / iperfKbps:F2} %
                bytes    agent {agentBytes:F0} payload bytes in all reports | iperf3 received {received} | difference {100 * (agentBytes - received) / received:F2} %
                retransmissions agent {reports.SelectMany(r => r.Flows.Where(f => f.Device == lab.Lan1 && f.ServerPort == FlowPort)).Sum(f => f.Retransmissions)} in all reports | iperf3 sender {iperf.RootElement.GetProperty("end").GetProperty("sum_sent").GetProperty("retransmits").GetInt64()}
                """);
            return new Figures(agentP50, pingP50, agentKbps, iperfKbps, text);
        }
    }
}
