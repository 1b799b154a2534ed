using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// Issue 3 acceptance, the key proof: with the gateway's shaped WAN uplink saturated by bulk TCP from one LAN
/// client, a QoD session for another client's flow keeps that flow's RTT near idle. The probe is ICMP echo
/// (ping -i 0.05), so the session is created without ports: it then covers every packet between the client
/// and the server (docs/ARCHITECTURE.md §6, match without transport). The bulk client is a different device, so
/// the session never covers the bulk traffic.
/// </summary>
public sealed class CongestionTests : IAsyncLifetime
{
    private const int UplinkKbps = 20_000;
    private const int BulkPort = 5201;
    private const int BulkSeconds = 7;
    private const int Probes = 100;
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
    public async Task UnderASaturatedUplinkTheSessionsProbeFlowKeepsNearIdleRttWhileBulkKeepsMostOfTheLine()
    {
        Privileged.Require("The congestion lab (controller, agent, namespaces, iperf3)");
        _rig = await LabRig.UpAsync("cqx-qos", 208, UplinkKbps);
        using var server = await Traffic.IperfServer.StartAsync(_rig.Lab, BulkPort);
        var idle = await Traffic.PingAsync(_rig.Lab, "lan1", 40);

        var (without, bulkWithout) = await CongestedAsync();
        await _rig.CreateAvailableSessionAsync(port: null, durationSeconds: 300);
        var (with, bulkWith) = await CongestedAsync();

        var report = $"""
            uplink {UplinkKbps} kbit/s (agent shapes at 95 %), bulk lan2 → server iperf3 -P 4 -t {BulkSeconds}, probe lan1 → server ping -i 0.05 -c {Probes}
            idle RTT            p50 {P(idle, 50):F2} ms  p95 {P(idle, 95):F2} ms
            without session RTT p50 {P(without, 50):F2} ms  p95 {P(without, 95):F2} ms  bulk {bulkWithout:F0} kbit/s
            with QOS_E session  p50 {P(with, 50):F2} ms  p95 {P(with, 95):F2} ms  bulk {bulkWith:F0} kbit/s
            """;
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(P(with, 95) <= P(idle, 95) + 3, $"the prioritised probe's p95 is not near idle.\n{report}");
        Assert.True(P(without, 95) >= 3 * P(with, 95), $"no clear gain from the session.\n{report}");
        Assert.True(bulkWith >= 0.7 * UplinkKbps, $"bulk lost the line.\n{report}");
    }

    /// <summary>Bulk saturates the uplink; once the default class's queue holds bytes, the probe runs.</summary>
    private async Task<(double[] Rtt, double BulkKbps)> CongestedAsync()
    {
        var lab = _rig!.Lab;
        var bulk = Traffic.BulkAsync(lab, "lan2", BulkPort, streams: 4, BulkSeconds);
        await Until.TrueAsync(async () => bulk.IsCompleted || await Kernel.BacklogAsync(lab, "wan0", "1:20") > 5_000,
            "a standing queue in the default class on wan0", 5);
        var rtt = await Traffic.PingAsync(lab, "lan1", Probes);
        return (rtt, await bulk);
    }

    private static double P(double[] samples, double p) => Traffic.Percentile(samples, p);
}
