using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Health;
using CamaraQos.Shared;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Sandbox;

/// <summary>
/// Plausible telemetry from the confirming sandbox gateways, so a newcomer's check-network-quality or
/// subscription gets an answer: every LAN device has a flow to 203.0.113.10:443 (the server of the README
/// tour), and every monitor in a gateway's desired document gets a flow to its server. Numbers are fixed
/// and healthy (Wi-Fi a few ms on the LAN side, Ethernet under one, 12 ms to the server, no loss).
/// </summary>
public sealed class SandboxTelemetry(SimulatedFleet fleet, IOptions<SandboxOptions> options, TimeProvider time, LoopHeartbeats heartbeats)
    : BackgroundService
{
    public const string TourServer = "203.0.113.10";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.TelemetryIntervalSeconds;
        if (interval == 0)
        {
            return;
        }
        var heartbeat = heartbeats.Register("sandbox-telemetry", TimeSpan.FromSeconds(interval), this);
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(interval), time);
            // The first report as soon as the fleet is up; it may never be up here (another controller runs it
            // on a shared broker), so the loop keeps beating meanwhile.
            while (!fleet.Started.IsCompleted)
            {
                heartbeat.Beat();
                await Task.WhenAny(fleet.Started, Task.Delay(TimeSpan.FromSeconds(interval), time, stoppingToken));
                stoppingToken.ThrowIfCancellationRequested();
            }
            do
            {
                heartbeat.Beat();
                foreach (var agent in fleet.Agents.Where(a => a.IsConnected && a.AgentId != SimulatedFleet.GatewayOffline))
                {
                    try
                    {
                        await agent.PublishTelemetryAsync(Report(agent, interval), stoppingToken);
                    }
                    catch (MQTTnet.Exceptions.MqttCommunicationException)
                    {
                        // The session ended under it; the fleet starts the agent over.
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private TelemetryReport Report(SimulatedAgent agent, int interval)
    {
        var now = time.GetUtcNow();
        var inventory = agent.Birth.Inventory ?? [];
        var flows = inventory.Select(d => Flow(d, TourServer, 443))
            .Concat((agent.LastDesired?.Monitors ?? []).Select(m => Flow(inventory.FirstOrDefault(d => d.Ip == m.DeviceIp), Address(m.ServerIp), m.ServerPort ?? 443)))
            .OfType<FlowAggregate>()
            .DistinctBy(f => (f.Device, f.Server, f.ServerPort))
            .ToList();
        var devices = flows.GroupBy(f => f.Device).Select(g => new DeviceAggregate(
            g.Key, g.First().LanRttMs, g.First().WanRttMs, g.First().JitterMs, 0, g.Sum(f => f.BytesUp), g.Sum(f => f.BytesDown),
            g.Sum(f => f.PacketsUp), g.Sum(f => f.PacketsDown), g.Sum(f => f.ThroughputUpKbps), g.Sum(f => f.ThroughputDownKbps), g.Count())).ToList();
        return new TelemetryReport(Contract.SchemaVersion, agent.AgentId, now.AddSeconds(-interval), now, flows, devices, [],
            new CaptureCounters(flows.Sum(f => f.PacketsUp + f.PacketsDown), 0, 0, 0, flows.Count, 0), []);
    }

    private static FlowAggregate? Flow(LanDevice? device, string server, int port)
    {
        if (device is null)
        {
            return null;
        }
        var lan = device.Band is null ? new RttSummary(0.3, 0.6, 1.2, 40) : new RttSummary(2.5, 4, 9, 40);
        return new FlowAggregate(device.Ip, server, port, "tcp", lan, new RttSummary(11, 12, 18, 40), 1.5, 0,
            250_000, 1_875_000, 1_000, 1_400, 2_000, 15_000);
    }

    /// <summary>A monitor's server may be a prefix (ApplicationServer allows address/mask): its address stands for it.</summary>
    private static string Address(string? server) => server is null ? TourServer : server.Split('/')[0];
}
