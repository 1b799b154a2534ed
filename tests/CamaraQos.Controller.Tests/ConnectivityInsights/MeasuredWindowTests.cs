using CamaraQos.Controller.ConnectivityInsights;
using CamaraQos.Controller.QualityOnDemand;
using CamaraQos.Controller.Telemetry;
using CamaraQos.Controller.Tests.Telemetry;
using Xunit;

namespace CamaraQos.Controller.Tests.ConnectivityInsights;

public sealed class MeasuredWindowTests
{
    private static ReceivedReport At(int second, params CamaraQos.Shared.FlowAggregate[] flows) =>
        new(DateTimeOffset.UnixEpoch.AddSeconds(second), Reports.Of("gw", flows));

    [Fact]
    public void TheWindowKeepsTheWorstP95AndAveragesThroughputOverActiveReports()
    {
        var reports = new[]
        {
            At(10, Reports.Flow("192.168.1.10", "203.0.113.10", wanP95: 20, downKbps: 10_000, samples: 10)),
            At(20, Reports.Flow("192.168.1.10", "203.0.113.10", wanP95: 80, downKbps: 30_000, samples: 30),
                   Reports.Flow("192.168.1.10", "203.0.113.10", port: 8443, wanP95: 10, downKbps: 5_000, samples: 10)),
        };
        var m = MeasuredWindow.Of(reports, "192.168.1.10", ServerMatch.From(new ApplicationServer("203.0.113.10", null), null))!;
        Assert.Equal(80, m.WanRttMs!.P95);
        Assert.Equal(50, m.WanRttMs.Samples);
        Assert.Equal((10 * 10 + 40 * 30 + 5 * 10) / 50.0, m.WanRttMs.P50, 9);
        Assert.Equal((10_000 + 35_000) / 2.0, m.ThroughputDownKbps);
    }

    [Theory]
    [InlineData("203.0.113.0/24", null, true)]
    [InlineData("203.0.113.1/24", null, true)]
    [InlineData("203.0.113.10", null, true)]
    [InlineData("203.0.113.11", null, false)]
    [InlineData("203.0.112.0/24", null, false)]
    [InlineData("203.0.113.10", 443, true)]
    [InlineData("203.0.113.10", 80, false)]
    public void FlowsMatchTheApplicationServerAndItsPorts(string server, int? port, bool matches)
    {
        var reports = new[] { At(1, Reports.Flow("192.168.1.10", "203.0.113.10", port: 443)) };
        var ports = port is { } p ? new PortsSpec(null, [p]) : null;
        var m = MeasuredWindow.Of(reports, "192.168.1.10", ServerMatch.From(new ApplicationServer(server, null), ports));
        Assert.Equal(matches, m is not null);
    }

    [Fact]
    public void IPv6ServersMatchByPrefix()
    {
        var reports = new[] { At(1, Reports.Flow("2001:db8:1::10", "2001:db8:ff::5")) };
        Assert.NotNull(MeasuredWindow.Of(reports, "2001:db8:1::10", ServerMatch.From(new ApplicationServer(null, "2001:db8:ff::/48"), null)));
        Assert.Null(MeasuredWindow.Of(reports, "2001:db8:1::10", ServerMatch.From(new ApplicationServer(null, "2001:db8:fe::/48"), null)));
    }

    [Fact]
    public void WithoutAServerTheDevicesOwnAggregateIsJudgedAndOtherDevicesAreIgnored()
    {
        var reports = new[] { At(1, Reports.Flow("192.168.1.10", "203.0.113.10", wanP95: 30), Reports.Flow("192.168.1.11", "203.0.113.10", wanP95: 90)) };
        Assert.Equal(30, MeasuredWindow.Of(reports, "192.168.1.10", null)!.WanRttMs!.P95);
        Assert.Null(MeasuredWindow.Of(reports, "192.168.1.12", null));
    }
}
