using System.Globalization;
using System.Net;
using System.Text.Json;
using CamaraQos.Agent.Tests.Control;
using CamaraQos.Controller.Tests.Notifications;
using CamaraQos.Shared;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// Issue 4 acceptance, end to end on the real kernel: the agent measures a paced TCP flow lan1 → server, the
/// controller judges it against an application profile, and a subscription hears the change. The delay is the
/// lab's known one (MeasurementAccuracyTests): the ISP hop shapes to 5 Mbit/s into a 30,000-byte bfifo, which
/// 6 Mbit/s of UDP towards lan2 keeps full, ≈ 48 ms on the way down, so the flow's ACKs come back late.
/// Idle, half of (WAN p95 + LAN p95) is a few ms, under the 15 ms budget; loaded it is above 20 ms.
/// The agent reports every 2 s and the controller judges a 4 s window, so a change shows within a few seconds.
/// </summary>
public sealed class ConnectivityInsightsLabTests : IAsyncLifetime
{
    private const int FlowPort = 5201;
    private const int LoadPort = 5202;
    private const int BudgetMs = 15;
    private const int LoadSeconds = 20;
    private LabRig? _rig;
    private TestSink? _sink;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }

    [Fact]
    public async Task AFlowMeetsTheDelayBudgetUntilTheWanQueueFillsAndASubscriptionHearsEachChangeOnceThenEnds()
    {
        Privileged.Require("The connectivity insights lab (controller, agent, namespaces, iperf3)");
        _rig = await LabRig.UpAsync("cqx-cin", 236,
            labArgs: ["--bottleneck-kbit", "5000", "--delay-bytes", "30000"],
            agentArgs: ["--Agent:TelemetryIntervalSeconds=2"],
            controllerSettings: new Dictionary<string, string>
            {
                ["Telemetry:WindowSeconds"] = "4",
                ["Notifications:AllowHttpSinks"] = "true",
                ["Notifications:AllowPrivateSinks"] = "true",
                ["Notifications:PollInterval"] = "00:00:01",
            });
        _sink = await TestSink.StartAsync();
        var rig = _rig;
        var lab = rig.Lab;
        var log = new List<string>();
        using var loadServer = await Traffic.IperfServer.StartAsync(lab, LoadPort);
        var flowServer = await Traffic.IperfServer.StartAsync(lab, FlowPort);
        // Bounded: the flow ends when its server is stopped below, or after 150 s at the latest.
        var flow = Command.RunAsync("ip", ["netns", "exec", lab.Namespace("lan1"), "iperf3", "-c", lab.WanServer, "-p", $"{FlowPort}",
            "-b", "2M", "-l", "1448", "-t", "150"], TimeSpan.FromSeconds(180));
        try
        {
            var profile = await rig.CreateLatencyProfileAsync(BudgetMs);
            await Until.TrueAsync(async () => await rig.DelayVerdictAsync(profile, FlowPort) == LabRig.Meets, "check says the idle flow meets the budget", 30);
            log.Add("idle:    " + Window(rig, lab));

            var subscription = await rig.SubscribeAsync(profile, FlowPort, _sink.Url(), maxEvents: 2);
            var monitor = $"cis-{Guid.Parse(subscription):N}";
            // The controller told the agent through its desired document: the agent judges the flow itself.
            await Until.TrueAsync(() => Task.FromResult(rig.AgentVerdict(monitor)?.Latency == Verdict.Meets), "the agent's own verdict for the monitor", 20);
            await Task.Delay(TimeSpan.FromSeconds(6));   // three more reports, all "meets": no news
            Assert.False(_sink.TryTake(out var early), $"an event before anything changed: {early?.Body}");

            var load = Command.RunAsync("ip", ["netns", "exec", lab.Namespace("lan2"), "iperf3", "-c", lab.WanServer, "-p", $"{LoadPort}",
                "-u", "-b", "6M", "-R", "-t", $"{LoadSeconds}"], TimeSpan.FromSeconds(LoadSeconds + 30));
            await Until.TrueAsync(async () => await rig.DelayVerdictAsync(profile, FlowPort) == LabRig.UnableToMeet, "check says the delayed flow is unable to meet the budget", 15);
            log.Add("loaded:  " + Window(rig, lab));
            var degraded = Event(await _sink.NextAsync(TimeSpan.FromSeconds(10)), LabRig.NetworkQualityEvent, subscription);
            Assert.Equal(LabRig.UnableToMeet, degraded.GetProperty("packetDelayBudget").GetString());
            await Until.TrueAsync(() => Task.FromResult(rig.AgentVerdict(monitor)?.Latency == Verdict.DoesNotMeet), "the agent's verdict follows", 10);
            (await load).EnsureSuccess("iperf3 UDP load");
            // Every report of the rest of the load said the same: still the one event.
            Assert.False(_sink.TryTake(out var repeated), $"a second event for the same change: {repeated?.Body}");
            Assert.Equal(HttpStatusCode.OK, await rig.SubscriptionStatusAsync(subscription));

            await Until.TrueAsync(async () => await rig.DelayVerdictAsync(profile, FlowPort) == LabRig.Meets, "check says the flow meets the budget again", 20);
            log.Add("after:   " + Window(rig, lab));
            var recovered = Event(await _sink.NextAsync(TimeSpan.FromSeconds(10)), LabRig.NetworkQualityEvent, subscription);
            Assert.Equal(LabRig.Meets, recovered.GetProperty("packetDelayBudget").GetString());
            var ended = Event(await _sink.NextAsync(TimeSpan.FromSeconds(10)), LabRig.SubscriptionEndedEvent, subscription);
            Assert.Equal("MAX_EVENTS_REACHED", ended.GetProperty("terminationReason").GetString());
            Assert.Equal(HttpStatusCode.NotFound, await rig.SubscriptionStatusAsync(subscription));
            var endedAt = DateTimeOffset.UtcNow;
            await Until.TrueAsync(() => Task.FromResult(rig.Reports() is [.., var last] && last.ReceivedAt > endedAt.AddSeconds(1)
                && last.Report.Verdicts.All(v => v.MonitorId != monitor)), "the monitor withdrawn from the agent", 10);

            // Expiry: a subscription on the same, steady flow hears nothing and then its end.
            var expireAt = DateTimeOffset.UtcNow.AddSeconds(6);
            var expiring = await rig.SubscribeAsync(profile, FlowPort, _sink.Url(), expireAt: expireAt);
            var expired = await _sink.NextAsync(TimeSpan.FromSeconds(20));
            var expiredData = Event(expired, LabRig.SubscriptionEndedEvent, expiring);
            Assert.Equal("SUBSCRIPTION_EXPIRED", expiredData.GetProperty("terminationReason").GetString());
            Assert.True(DateTimeOffset.UtcNow >= expireAt, "ended before its expiry time");
            Assert.Equal(HttpStatusCode.NotFound, await rig.SubscriptionStatusAsync(expiring));
            Assert.False(_sink.TryTake(out var extra), $"more than was due: {extra?.Body}");
        }
        finally
        {
            var text = string.Join('\n', log);
            TestContext.Current.TestOutputHelper?.WriteLine(text);
            Console.WriteLine(text);
            flowServer.Dispose();
            await flow;   // its server gone, the client ends at once
        }
    }

    /// <summary>The data of a CloudEvent the sink received, after checking its type and subscription.</summary>
    private static JsonElement Event(ReceivedRequest request, string type, string subscriptionId)
    {
        var cloudEvent = JsonDocument.Parse(request.Body).RootElement;
        Assert.True(cloudEvent.GetProperty("type").GetString() == type, $"expected {type}: {request.Body}");
        var data = cloudEvent.GetProperty("data");
        Assert.Equal(subscriptionId, data.GetProperty("subscriptionId").GetString());
        return data;
    }

    /// <summary>The flow's RTT in the controller's window, for the test output: what the verdicts were drawn from.</summary>
    private static string Window(LabRig rig, TestLab lab)
    {
        var inv = CultureInfo.InvariantCulture;
        var flows = rig.Reports().SelectMany(r => r.Report.Flows)
            .Where(f => f.Device == lab.Lan1 && f.Server == lab.WanServer && f.ServerPort == FlowPort).ToList();
        return string.Join("; ", flows.Select(f => string.Create(inv,
            $"WAN p95 {f.WanRttMs?.P95:F2} ms ({f.WanRttMs?.Samples ?? 0}), LAN p95 {f.LanRttMs?.P95:F2} ms ({f.LanRttMs?.Samples ?? 0}), up {f.ThroughputUpKbps:F0} kbit/s")));
    }
}
