using CamaraQos.Controller.ApplicationProfiles;
using CamaraQos.Controller.ConnectivityInsights;
using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Controller.Tests.ConnectivityInsights;

/// <summary>Each threshold of a profile → the spec's confidence, or left out when the evidence is too thin.</summary>
public sealed class VerdictMappingTests
{
    private const string M = NetworkQualityInsight.Meets;
    private const string U = NetworkQualityInsight.UnableToMeet;

    private static readonly NetworkQualityThresholds All = new(
        new Duration(20, "Milliseconds"), new Rate(10, "Mbps"), new Rate(2, "Mbps"), 3, new Duration(5, "Milliseconds"));

    /// <summary>A measurement with enough of everything, then one field changed per row.</summary>
    private static QualityJudge.Measured Good => new(
        new RttSummary(1, 2, 3, 50), new RttSummary(10, 20, 30, 50), 1, 0, 5_000, 5_000, 3_000, 20_000);

    public static TheoryData<string, string, string?> Rows => new()
    {
        // row name, which field, expected confidence for that field
        { "good numbers meet the budget", "packetDelayBudget", M },
        { "(LAN p95 + WAN p95) / 2 over 20 ms", "packetDelayBudget:wan=60", U },
        { "too few WAN samples", "packetDelayBudget:wansamples=3", null },
        { "no LAN half: under budget proves nothing", "packetDelayBudget:nolan", null },
        { "no LAN half, WAN alone over budget", "packetDelayBudget:nolan,wan=60", U },
        { "jitter within 5 ms", "jitter", M },
        { "jitter over 5 ms", "jitter:jitter=9", U },
        { "no jitter measured", "jitter:nojitter", null },
        { "no retransmission in 10000 packets at 10^-3", "packetlossErrorRate", M },
        { "20 retransmissions in 10000 packets", "packetlossErrorRate:retrans=20", U },
        { "too few packets to have seen one loss", "packetlossErrorRate:packets=100", null },
        { "20 Mbit/s down meets 10", "targetMinDownstreamRate", M },
        { "5 Mbit/s down with losses", "targetMinDownstreamRate:down=5000,retrans=1", U },
        { "5 Mbit/s down without losses: the application, not the network", "targetMinDownstreamRate:down=5000", null },
        { "3 Mbit/s up meets 2", "targetMinUpstreamRate", M },
        { "1 Mbit/s up with losses", "targetMinUpstreamRate:up=1000,retrans=1", U },
        { "upstream short does not touch downstream", "targetMinDownstreamRate:up=1000,retrans=1", M },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void EachThresholdIsJudgedByTheSharedJudge(string because, string row, string? expected)
    {
        var parts = row.Split(':');
        var insight = NetworkQualityInsight.Judge(All, Apply(Good, parts.Length > 1 ? parts[1] : ""));
        Assert.True(expected == Field(insight, parts[0]), $"{because}: got {Field(insight, parts[0]) ?? "left out"}");
    }

    [Fact]
    public void WithoutAnyMeasurementEveryThresholdIsLeftOut() =>
        Assert.True(NetworkQualityInsight.Judge(All, null).IsEmpty);

    [Fact]
    public void OnlyTheThresholdsTheProfileStatesAreAnswered()
    {
        var insight = NetworkQualityInsight.Judge(new NetworkQualityThresholds(null, null, null, null, new Duration(5, "Milliseconds")), Good);
        Assert.Equal(new NetworkQualityInsight(null, null, null, null, M), insight);
    }

    [Theory]
    [InlineData(1, "Seconds", 1_000)]
    [InlineData(2, "Minutes", 120_000)]
    [InlineData(500, "Microseconds", 0.5)]
    [InlineData(1, "Days", 86_400_000)]
    public void DurationsBecomeMilliseconds(int value, string unit, double ms) =>
        Assert.Equal(ms, ProfileThresholds.Milliseconds(new Duration(value, unit)));

    [Theory]
    [InlineData(10, "Mbps", 10_000)]
    [InlineData(1, "Gbps", 1_000_000)]
    [InlineData(500, "Bps", 1)]
    [InlineData(7, "Kbps", 7)]
    public void RatesBecomeKilobitsPerSecond(int value, string unit, long kbps) =>
        Assert.Equal(kbps, ProfileThresholds.Kbps(new Rate(value, unit)));

    [Fact]
    public void ALossRateExponentBecomesAPercentage() =>
        Assert.Equal(0.1, ProfileThresholds.ToQuality(new NetworkQualityThresholds(null, null, null, 3, null)).PacketLossPercent!.Value, 9);

    private static string? Field(NetworkQualityInsight i, string name) => name switch
    {
        "packetDelayBudget" => i.PacketDelayBudget,
        "jitter" => i.Jitter,
        "packetlossErrorRate" => i.PacketlossErrorRate,
        "targetMinDownstreamRate" => i.TargetMinDownstreamRate,
        "targetMinUpstreamRate" => i.TargetMinUpstreamRate,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static QualityJudge.Measured Apply(QualityJudge.Measured m, string changes)
    {
        foreach (var change in changes.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = change.Contains('=') ? (change[..change.IndexOf('=')], double.Parse(change[(change.IndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture)) : (change, 0);
            m = key switch
            {
                "wan" => m with { WanRttMs = m.WanRttMs! with { P95 = value } },
                "wansamples" => m with { WanRttMs = m.WanRttMs! with { Samples = (int)value } },
                "nolan" => m with { LanRttMs = null },
                "jitter" => m with { JitterMs = value },
                "nojitter" => m with { JitterMs = null },
                "retrans" => m with { Retransmissions = (long)value },
                "packets" => m with { PacketsUp = (long)value / 2, PacketsDown = (long)value / 2 },
                "down" => m with { ThroughputDownKbps = value },
                "up" => m with { ThroughputUpKbps = value },
                _ => throw new ArgumentOutOfRangeException(nameof(changes), key, null),
            };
        }
        return m;
    }
}
