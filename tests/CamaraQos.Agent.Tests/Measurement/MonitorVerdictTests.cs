using System.Net;
using CamaraQos.Agent.Measurement;
using CamaraQos.Shared;
using Xunit;
using static CamaraQos.Agent.Tests.Measurement.Frames;

namespace CamaraQos.Agent.Tests.Measurement;

/// <summary>
/// Which traffic a monitor of the desired document is judged on. The device has a fast flow (server:443,
/// 20 ms WAN RTT) and a slow one (server:80, 200 ms); the budget is 60 ms one way, so a verdict says
/// which flows went into it.
/// </summary>
public class MonitorVerdictTests
{
    private static readonly QualityThresholds Budget = new(LatencyMs: 60, JitterMs: null, PacketLossPercent: null, MinUpKbps: null, MinDownKbps: null);

    private static IReadOnlyList<MonitorVerdict> Judge(params FlowMonitor[] monitors)
    {
        IpPrefix.TryParse("192.168.1.0/24", out var lan);
        var engine = new MeasurementEngine(new MeasurementOptions { LanPrefixes = [lan!.Value] });
        new Conversation(engine, Device, 50000, Server, 443).Rounds(10, wanMs: 20, lanMs: 1);
        new Conversation(engine, Device, 50001, Server, 80).Rounds(10, wanMs: 200, lanMs: 1, startMs: 5);
        return engine.Collect(Ms(3000), monitors).Verdicts;
    }

    [Fact]
    public void AMonitorNamingServerAndPortIsJudgedOnThatFlowAlone()
    {
        var verdict = Assert.Single(Judge(new FlowMonitor("m-443", "192.168.1.10", "203.0.113.5", 443, Budget)));

        Assert.Equal(new MonitorVerdict("m-443", Verdict.Meets, Verdict.Meets, Verdict.Meets, Verdict.Meets), verdict);
    }

    [Fact]
    public void AMonitorWithoutServerIsJudgedOnTheWholeDevice()
    {
        var verdict = Assert.Single(Judge(new FlowMonitor("m-device", "192.168.1.10", null, null, Budget)));

        Assert.Equal(Verdict.DoesNotMeet, verdict.Latency);
    }

    [Theory]
    [InlineData("203.0.113.5", 80, Verdict.DoesNotMeet)]
    [InlineData(null, 443, Verdict.Meets)]
    [InlineData("203.0.113.5", null, Verdict.DoesNotMeet)]
    [InlineData("203.0.113.99", 443, Verdict.Unknown)]
    [InlineData("203.0.113.0/24", 80, Verdict.DoesNotMeet)]
    [InlineData("198.51.100.0/24", 443, Verdict.Unknown)]
    [InlineData("not-an-address", 443, Verdict.Unknown)]
    public void AMonitorIsJudgedOnEveryFlowItNames(string? server, int? port, Verdict latency)
    {
        var verdict = Assert.Single(Judge(new FlowMonitor("m", "192.168.1.10", server, port, Budget)));

        Assert.Equal(latency, verdict.Latency);
    }

    [Fact]
    public void AMonitorForADeviceWithoutTrafficIsUnknownForWhatItAsksAndMeetsTheRest()
    {
        var thresholds = Budget with { MinUpKbps = 100 };

        var verdict = Assert.Single(Judge(new FlowMonitor("m-quiet", "192.168.1.77", null, null, thresholds)));

        Assert.Equal(new MonitorVerdict("m-quiet", Verdict.Unknown, Verdict.Meets, Verdict.Meets, Verdict.Unknown), verdict);
    }

    [Fact]
    public void EveryMonitorGetsOneVerdictInOrder()
    {
        var verdicts = Judge(
            new FlowMonitor("a", "192.168.1.10", "203.0.113.5", 443, Budget),
            new FlowMonitor("b", IPAddress.Parse("192.168.1.10").ToString(), "203.0.113.5", 80, Budget));

        Assert.Equal([("a", Verdict.Meets), ("b", Verdict.DoesNotMeet)], verdicts.Select(v => (v.MonitorId, v.Latency)));
    }
}
