using CamaraQos.Controller.Telemetry;
using CamaraQos.Shared;

namespace CamaraQos.Controller.ConnectivityInsights;

/// <summary>
/// Folds the recent reports of one device (its flows to the application server, or with no server the
/// device's own aggregate) into the numbers <see cref="QualityJudge"/> judges. Percentiles of different
/// intervals cannot be merged exactly, so the fold is conservative: the worst p95 and jitter of the
/// window, sample-weighted p50, summed samples, packets and retransmissions. Throughput is the sum over
/// the matching flows of a report, averaged over the reports in which the flow was active.
/// </summary>
public static class MeasuredWindow
{
    public static QualityJudge.Measured? Of(IReadOnlyList<ReceivedReport> reports, string deviceIp, ServerMatch? server)
    {
        var active = reports
            .Select(r => server is null
                ? r.Report.Devices.Where(d => d.Device == deviceIp).Select(QualityJudge.Measured.Of).ToList()
                : r.Report.Flows.Where(f => f.Device == deviceIp && server.Matches(f)).Select(QualityJudge.Measured.Of).ToList())
            .Where(perReport => perReport.Count > 0)
            .ToList();
        if (active.Count == 0)
        {
            return null;
        }
        var all = active.SelectMany(m => m).ToList();
        return new QualityJudge.Measured(
            Merge(all.Select(m => m.LanRttMs)),
            Merge(all.Select(m => m.WanRttMs)),
            all.Max(m => m.JitterMs),
            all.Sum(m => m.Retransmissions),
            all.Sum(m => m.PacketsUp),
            all.Sum(m => m.PacketsDown),
            active.Average(perReport => perReport.Sum(m => m.ThroughputUpKbps)),
            active.Average(perReport => perReport.Sum(m => m.ThroughputDownKbps)));
    }

    public static RttSummary? Merge(IEnumerable<RttSummary?> summaries)
    {
        var present = summaries.OfType<RttSummary>().Where(s => s.Samples > 0).ToList();
        if (present.Count == 0)
        {
            return null;
        }
        var samples = present.Sum(s => s.Samples);
        return new RttSummary(present.Sum(s => s.P50 * s.Samples) / samples, present.Max(s => s.P95), present.Max(s => s.Max), samples);
    }
}
