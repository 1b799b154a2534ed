using System.Net;
using CamaraQos.Agent.Measurement;
using Xunit;
using static CamaraQos.Agent.Tests.Measurement.Frames;

namespace CamaraQos.Agent.Tests.Measurement;

public class DeviceAggregateTests
{
    private static readonly IPAddress OtherServer = IPAddress.Parse("198.51.100.20");
    private static readonly IPAddress OtherDevice = IPAddress.Parse("192.168.1.11");
    private static readonly IPAddress GatewayWan = IPAddress.Parse("198.51.100.7");

    private static MeasurementEngine Engine()
    {
        IpPrefix.TryParse("192.168.1.0/24", out var lan);
        return new MeasurementEngine(new MeasurementOptions { LanPrefixes = [lan!.Value] });
    }

    [Fact]
    public void ADevicesFlowsFoldIntoOneAggregateWithPercentilesOfAllItsSamplesAndSummedCounts()
    {
        var engine = Engine();
        new Conversation(engine, Device, 50000, Server, 443).Rounds(10, wanMs: 10, lanMs: 1);
        new Conversation(engine, Device, 50001, OtherServer, 80).Rounds(10, wanMs: 100, lanMs: 1, startMs: 5);
        new Conversation(engine, OtherDevice, 50000, Server, 443).Rounds(4, wanMs: 50, lanMs: 3);

        var interval = engine.Collect(Ms(3000), []);

        Assert.Equal(3, interval.Flows.Count);
        var device = Assert.Single(interval.Devices, d => d.Device == "192.168.1.10");
        var flows = interval.Flows.Where(f => f.Device == "192.168.1.10").ToArray();
        Assert.Equal(2, device.Flows);
        Assert.Equal(20, device.WanRttMs!.Samples);
        Assert.Equal(100.0, device.WanRttMs.Max, 6);
        // Ten samples at 10 ms and ten at 100 ms: the median is a 10 ms sample, the p95 a 100 ms one.
        Assert.InRange(device.WanRttMs.P50, 10 * 0.955, 10 * 1.045);
        Assert.InRange(device.WanRttMs.P95, 100 * 0.955, 100.0);
        Assert.Equal(20, device.LanRttMs!.Samples);
        Assert.Equal(flows.Sum(f => f.BytesUp), device.BytesUp);
        Assert.Equal(flows.Sum(f => f.PacketsDown), device.PacketsDown);
        Assert.Equal(flows.Sum(f => f.ThroughputUpKbps), device.ThroughputUpKbps, 6);
        Assert.Equal(2 * 10 * 100 * 8 / 1000.0 / 3, device.ThroughputUpKbps, 6);
        var other = Assert.Single(interval.Devices, d => d.Device == "192.168.1.11");
        Assert.Equal((1, 4), (other.Flows, other.WanRttMs!.Samples));
    }

    [Fact]
    public void ThroughputCountsNewPayloadOnlyWhileBytesCountEveryPacket()
    {
        var engine = Engine();
        new Conversation(engine, Device, 50000, Server, 443).Rounds(5, wanMs: 10, lanMs: 1).Retransmit(600);

        var flow = Assert.Single(engine.Collect(Ms(1000)));

        Assert.Equal(1, flow.Retransmissions);
        Assert.Equal(5 * 100 * 8 / 1000.0, flow.ThroughputUpKbps, 6);
        Assert.Equal((10 * 52) + (5 * 100) + (40 + 100), flow.BytesUp);
    }

    [Fact]
    public void TheWanSightingBehindMasqueradeJoinsItsLanSightingByServerAndPorts()
    {
        var engine = Engine();
        var lan = new Conversation(engine, Device, 50000, Server, 443);
        var wan = new Conversation(engine, Device, 50000, Server, 443);
        lan.Rounds(6, wanMs: 30, lanMs: 2, side: CaptureSide.Lan);
        wan.Rounds(6, wanMs: 28, lanMs: 4, side: CaptureSide.Wan, deviceOnWire: GatewayWan);

        var interval = engine.Collect(Ms(1000), []);

        var flow = Assert.Single(interval.Flows);
        Assert.Equal(("192.168.1.10", "203.0.113.5", 443), (flow.Device, flow.Server, flow.ServerPort));
        Assert.Equal(28.0, flow.WanRttMs!.Max, 6);
        Assert.Equal(2.0, flow.LanRttMs!.Max, 6);
        Assert.Equal((6, 6), (flow.WanRttMs.Samples, flow.LanRttMs.Samples));
        // Counted once, from the LAN sighting: 6 data segments and 6 ACKs up.
        Assert.Equal(12, flow.PacketsUp);
        Assert.Equal("192.168.1.10", Assert.Single(interval.Devices).Device);
    }

    [Fact]
    public void AWanSightingThatTwoLanDevicesCouldOwnStaysUnderTheGatewaysAddress()
    {
        var engine = Engine();
        new Conversation(engine, Device, 50000, Server, 443).Rounds(3, wanMs: 30, lanMs: 2, side: CaptureSide.Lan);
        new Conversation(engine, OtherDevice, 50000, Server, 443).Rounds(3, wanMs: 30, lanMs: 2, side: CaptureSide.Lan);
        new Conversation(engine, Device, 50000, Server, 443).Rounds(3, wanMs: 30, lanMs: 2, side: CaptureSide.Wan, deviceOnWire: GatewayWan);

        var interval = engine.Collect(Ms(1000), []);

        Assert.Equal(["192.168.1.10", "192.168.1.11", "198.51.100.7"], interval.Flows.Select(f => f.Device).Order());
        Assert.Null(interval.Flows.Single(f => f.Device == "192.168.1.10").WanRttMs);
        Assert.Equal(6, interval.Flows.Single(f => f.Device == "198.51.100.7").PacketsUp);
    }
}
