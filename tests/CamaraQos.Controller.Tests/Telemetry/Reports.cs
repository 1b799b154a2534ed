using CamaraQos.Shared;

namespace CamaraQos.Controller.Tests.Telemetry;

/// <summary>Telemetry as an agent sends it, with the numbers a test cares about and plausible rest.</summary>
public static class Reports
{
    public static TelemetryReport Of(string agentId, params FlowAggregate[] flows) =>
        new(global::CamaraQos.Shared.Contract.SchemaVersion, agentId, DateTimeOffset.UtcNow.AddSeconds(-10), DateTimeOffset.UtcNow,
            flows, [.. flows.GroupBy(f => f.Device).Select(Device)], [],
            new CaptureCounters(flows.Sum(f => f.PacketsUp + f.PacketsDown), 0, 0, 0, flows.Length, 0), []);

    /// <summary>A TCP flow with <paramref name="samples"/> RTT samples on each half.</summary>
    public static FlowAggregate Flow(
        string device, string server, int port = 443, double lanP95 = 2, double wanP95 = 20, double jitter = 1,
        long retransmissions = 0, long packets = 10_000, double upKbps = 1_000, double downKbps = 20_000, int samples = 50) =>
        new(device, server, port, "tcp",
            new RttSummary(lanP95 / 2, lanP95, lanP95 * 1.5, samples),
            new RttSummary(wanP95 / 2, wanP95, wanP95 * 1.5, samples),
            jitter, retransmissions, (long)(upKbps * 1250), (long)(downKbps * 1250), packets / 2, packets / 2, upKbps, downKbps);

    /// <summary>The per-device fold of some flows (the agent folds all of a device's flows the same way).</summary>
    private static DeviceAggregate Device(IGrouping<string, FlowAggregate> flows) => new(
        flows.Key,
        flows.Select(f => f.LanRttMs).OfType<RttSummary>().MaxBy(r => r.P95),
        flows.Select(f => f.WanRttMs).OfType<RttSummary>().MaxBy(r => r.P95),
        flows.Max(f => f.JitterMs),
        flows.Sum(f => f.Retransmissions), flows.Sum(f => f.BytesUp), flows.Sum(f => f.BytesDown),
        flows.Sum(f => f.PacketsUp), flows.Sum(f => f.PacketsDown),
        flows.Sum(f => f.ThroughputUpKbps), flows.Sum(f => f.ThroughputDownKbps), flows.Count());
}
