using CamaraQos.Controller.ApplicationProfiles;
using CamaraQos.Shared;

namespace CamaraQos.Controller.ConnectivityInsights;

/// <summary>
/// One confidence per threshold the profile states (NetworkQualityThresholdsConfidence), or null where the
/// judge found too little evidence: the response's properties are optional, so an unjudged threshold is
/// left out rather than guessed.
/// </summary>
public sealed record NetworkQualityInsight(
    string? PacketDelayBudget,
    string? TargetMinDownstreamRate,
    string? TargetMinUpstreamRate,
    string? PacketlossErrorRate,
    string? Jitter)
{
    public const string Meets = "meets the application requirements";
    public const string UnableToMeet = "unable to meet the application requirements";

    public bool IsEmpty => PacketDelayBudget is null && TargetMinDownstreamRate is null && TargetMinUpstreamRate is null
        && PacketlossErrorRate is null && Jitter is null;

    /// <summary>The shared judge, threshold by threshold; the two rates separately, as the response reports them.</summary>
    public static NetworkQualityInsight Judge(NetworkQualityThresholds n, QualityJudge.Measured? m)
    {
        var t = ProfileThresholds.ToQuality(n);
        return new NetworkQualityInsight(
            n.PacketDelayBudget is null ? null : Say(m, x => QualityJudge.Latency(t.LatencyMs, x)),
            n.TargetMinDownstreamRate is null ? null : Say(m, x => QualityJudge.Throughput(t with { MinUpKbps = null }, x)),
            n.TargetMinUpstreamRate is null ? null : Say(m, x => QualityJudge.Throughput(t with { MinDownKbps = null }, x)),
            n.PacketLossErrorRate is null ? null : Say(m, x => QualityJudge.Loss(t.PacketLossPercent, x)),
            n.Jitter is null ? null : Say(m, x => QualityJudge.Jitter(t.JitterMs, x)));
    }

    /// <summary>This insight with every threshold <paramref name="newer"/> judged replaced by its newer value.</summary>
    public NetworkQualityInsight Update(NetworkQualityInsight newer) => new(
        newer.PacketDelayBudget ?? PacketDelayBudget,
        newer.TargetMinDownstreamRate ?? TargetMinDownstreamRate,
        newer.TargetMinUpstreamRate ?? TargetMinUpstreamRate,
        newer.PacketlossErrorRate ?? PacketlossErrorRate,
        newer.Jitter ?? Jitter);

    private static string? Say(QualityJudge.Measured? m, Func<QualityJudge.Measured, Verdict> judge) => m is null
        ? null
        : judge(m) switch
        {
            Verdict.Meets => Meets,
            Verdict.DoesNotMeet => UnableToMeet,
            _ => null,
        };
}
