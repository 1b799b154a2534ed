namespace CamaraQos.Shared;

/// <summary>
/// Judges measured aggregates against an application's thresholds, one verdict per threshold. Pure, and
/// shared by the agent (monitor verdicts in telemetry) and the controller (check-network-quality), so both
/// say the same thing about the same numbers. A threshold that was not asked for is <see cref="Verdict.Meets"/>;
/// too little evidence is <see cref="Verdict.Unknown"/>, never a guess.
/// </summary>
public static class QualityJudge
{
    /// <summary>RTT samples needed before a latency or jitter verdict means anything.</summary>
    public const int MinRttSamples = 5;

    public static MonitorVerdict Judge(string monitorId, QualityThresholds thresholds, Measured? measured) => measured is null
        ? new MonitorVerdict(monitorId,
            thresholds.LatencyMs is null ? Verdict.Meets : Verdict.Unknown,
            thresholds.JitterMs is null ? Verdict.Meets : Verdict.Unknown,
            thresholds.PacketLossPercent is null ? Verdict.Meets : Verdict.Unknown,
            thresholds.MinUpKbps is null && thresholds.MinDownKbps is null ? Verdict.Meets : Verdict.Unknown)
        : new MonitorVerdict(monitorId,
            Latency(thresholds.LatencyMs, measured),
            Jitter(thresholds.JitterMs, measured),
            Loss(thresholds.PacketLossPercent, measured),
            Throughput(thresholds, measured));

    /// <summary>
    /// The application profile's packetDelayBudget is one-way, device to the operator's edge
    /// (application-profiles v0.5 PacketDelayBudget). We see round trips: half of (LAN p95 + WAN p95)
    /// estimates it, and counts the path beyond the edge too, so the estimate errs on the side of
    /// "unable to meet". The WAN half alone over budget already proves it; a "meets" needs both halves.
    /// </summary>
    public static Verdict Latency(double? budgetMs, Measured m)
    {
        if (budgetMs is not { } budget)
        {
            return Verdict.Meets;
        }
        if (m.WanRttMs is not { Samples: >= MinRttSamples } wan)
        {
            return Verdict.Unknown;
        }
        var lan = m.LanRttMs is { Samples: >= MinRttSamples } l ? l.P95 : (double?)null;
        var oneWay = (wan.P95 + (lan ?? 0)) / 2;
        return oneWay > budget ? Verdict.DoesNotMeet : lan is null ? Verdict.Unknown : Verdict.Meets;
    }

    /// <summary>Jitter: the RTT variation of the flow against the profile's limit.</summary>
    public static Verdict Jitter(double? limitMs, Measured m) => limitMs switch
    {
        null => Verdict.Meets,
        _ when m.JitterMs is not { } jitter || m.RttSamples < MinRttSamples => Verdict.Unknown,
        var limit => m.JitterMs <= limit ? Verdict.Meets : Verdict.DoesNotMeet,
    };

    /// <summary>
    /// Retransmissions over packets against the allowed loss rate. An observed rate above it is proof; a
    /// rate below it counts only when enough packets went by to have seen one loss at the allowed rate.
    /// </summary>
    public static Verdict Loss(double? allowedPercent, Measured m)
    {
        if (allowedPercent is not { } allowed)
        {
            return Verdict.Meets;
        }
        var packets = m.PacketsUp + m.PacketsDown;
        if (packets == 0)
        {
            return Verdict.Unknown;
        }
        var observed = 100.0 * m.Retransmissions / packets;
        return observed > allowed ? Verdict.DoesNotMeet
            : packets * allowed / 100.0 >= 1 ? Verdict.Meets
            : Verdict.Unknown;
    }

    /// <summary>
    /// Throughput at or above the target meets it. Below it, a flow that lost packets was held back by the
    /// network (TCP backs off on loss); one that lost nothing was held back by the application, and says
    /// nothing about what the network could carry.
    /// </summary>
    public static Verdict Throughput(QualityThresholds t, Measured m)
    {
        var up = Rate(t.MinUpKbps, m.ThroughputUpKbps, m.Retransmissions);
        var down = Rate(t.MinDownKbps, m.ThroughputDownKbps, m.Retransmissions);
        return up == Verdict.DoesNotMeet || down == Verdict.DoesNotMeet ? Verdict.DoesNotMeet
            : up == Verdict.Unknown || down == Verdict.Unknown ? Verdict.Unknown
            : Verdict.Meets;
    }

    private static Verdict Rate(long? targetKbps, double measuredKbps, long retransmissions) => targetKbps switch
    {
        null => Verdict.Meets,
        var target when measuredKbps >= target => Verdict.Meets,
        _ => retransmissions > 0 ? Verdict.DoesNotMeet : Verdict.Unknown,
    };

    /// <summary>The numbers a verdict is drawn from: one flow's or one device's aggregate.</summary>
    public sealed record Measured(
        RttSummary? LanRttMs,
        RttSummary? WanRttMs,
        double? JitterMs,
        long Retransmissions,
        long PacketsUp,
        long PacketsDown,
        double ThroughputUpKbps,
        double ThroughputDownKbps)
    {
        public int RttSamples => (LanRttMs?.Samples ?? 0) + (WanRttMs?.Samples ?? 0);

        public static Measured Of(FlowAggregate f) => new(f.LanRttMs, f.WanRttMs, f.JitterMs, f.Retransmissions, f.PacketsUp, f.PacketsDown, f.ThroughputUpKbps, f.ThroughputDownKbps);

        public static Measured Of(DeviceAggregate d) => new(d.LanRttMs, d.WanRttMs, d.JitterMs, d.Retransmissions, d.PacketsUp, d.PacketsDown, d.ThroughputUpKbps, d.ThroughputDownKbps);
    }
}
