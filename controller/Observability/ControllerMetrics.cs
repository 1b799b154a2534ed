using System.Diagnostics.Metrics;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.HomeDevicesQod;
using CamaraQos.Controller.QosProvisioning;
using CamaraQos.Controller.QualityOnDemand;
using CamaraQos.Shared;

namespace CamaraQos.Controller.Observability;

/// <summary>
/// The controller's own instruments (meter <see cref="MeterName"/>), exported on <c>/metrics</c> with
/// the <c>camaraqos_</c> prefix. Counters move where the event happens; gauges are read when scraped,
/// resource counts from the database (<see cref="StateCounts"/>), agents from the directory.
/// </summary>
public sealed class ControllerMetrics
{
    public const string MeterName = "CamaraQos.Controller";

    /// <summary>Outcomes of a desired document, from the agent's first report on it.</summary>
    public const string Applied = "applied", Failed = "failed", Rejected = "rejected";

    // Create → AVAILABLE spans a broker round trip and a kernel change: from a millisecond (an in-process
    // broker and a fast gateway) to the confirm timeout.
    private static readonly double[] ConfirmBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Counter<long> _mqttMessages;
    private readonly Counter<long> _desiredPublished;
    private readonly Counter<long> _desiredOutcomes;
    private readonly Counter<long> _telemetryJudgements;
    private readonly Histogram<double> _confirmSeconds;

    public ControllerMetrics(IMeterFactory meters, StateCounts counts, IAgentDirectory agents, TimeProvider time)
    {
        var meter = meters.Create(MeterName);
        _mqttMessages = meter.CreateCounter<long>("camaraqos.mqtt.messages", "{message}",
            "MQTT messages received from agents, by topic kind (status, reported, telemetry, other).");
        _desiredPublished = meter.CreateCounter<long>("camaraqos.desired.published", "{document}",
            "Desired-state documents issued to agents (each a new generation).");
        _desiredOutcomes = meter.CreateCounter<long>("camaraqos.desired.outcomes", "{document}",
            "Desired documents by what the agent first reported of them: applied, failed or rejected.");
        _telemetryJudgements = meter.CreateCounter<long>("camaraqos.telemetry.judgements", "{judgement}",
            "Insights subscriptions judged against a new telemetry report, by whether the verdict changed (an event was sent).");
        _confirmSeconds = meter.CreateHistogram("camaraqos.qod.session.confirm_duration", "s",
            "QoD sessions: time from creation to AVAILABLE (the gateway's confirmation).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ConfirmBuckets });

        meter.CreateObservableGauge("camaraqos.qod.sessions", () => ByState(counts, "qod_sessions", "status", Enum.GetNames<QosStatus>()),
            "{session}", "QoD sessions by status.");
        meter.CreateObservableGauge("camaraqos.qos_assignments", () => ByState(counts, "qos_assignments", "status", Enum.GetNames<AssignmentStatus>()),
            "{assignment}", "QoS provisioning assignments by status.");
        meter.CreateObservableGauge("camaraqos.home_devices", () => ByState(counts, "home_device_qos", "service_class", NonStandardClasses()),
            "{device}", "Home devices with a non-default service class, by class.");
        meter.CreateObservableGauge("camaraqos.insights_subscriptions", () => ByState(counts, "insights_subscriptions", "status", ["ACTIVE"]),
            "{subscription}", "Connectivity-insights subscriptions by status.");
        meter.CreateObservableGauge("camaraqos.agents.online", () => (long)agents.All().Count(a => a.Online),
            "{agent}", "Agents whose last status is online.");
        meter.CreateObservableGauge("camaraqos.agents.registered", () => (long)agents.All().Count,
            "{agent}", "Agents the controller knows.");
        meter.CreateObservableGauge("camaraqos.notifications.pending", () => counts.Current().OutboxPending,
            "{notification}", "Notifications waiting in the outbox for (re)delivery.");
        meter.CreateObservableGauge("camaraqos.notifications.failed", () => counts.Current().OutboxFailed,
            "{notification}", "Notifications abandoned after the last attempt.");
        meter.CreateObservableGauge("camaraqos.notifications.oldest_pending_age", () => OldestPendingAge(counts, time),
            "s", "Age of the oldest pending notification (0 when none).");
    }

    public void MqttMessageReceived(string kind) =>
        _mqttMessages.Add(1, new KeyValuePair<string, object?>("kind", kind is Topics.StatusKind or Topics.ReportedKind or Topics.TelemetryKind ? kind : "other"));

    public void DesiredPublished() => _desiredPublished.Add(1);

    public void DesiredOutcome(string outcome) => _desiredOutcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void TelemetryJudged(bool changed) =>
        _telemetryJudgements.Add(1, new KeyValuePair<string, object?>("result", changed ? "changed" : "unchanged"));

    public void SessionConfirmed(TimeSpan sinceCreation) => _confirmSeconds.Record(Math.Max(0, sinceCreation.TotalSeconds));

    /// <summary>Every known state, zero when absent, so a series never vanishes and alerts see 0, not "no data".</summary>
    private static IEnumerable<Measurement<long>> ByState(StateCounts counts, string table, string label, IEnumerable<string> known)
    {
        var snapshot = counts.Current();
        var states = snapshot.ByState.TryGetValue(table, out var found) ? found.Keys.Union(known, StringComparer.Ordinal) : known;
        return states.Select(s => new Measurement<long>(snapshot.Count(table, s), new KeyValuePair<string, object?>(label, s)));
    }

    private static string[] NonStandardClasses() => [.. ServiceClass.All.Where(c => !c.IsStandard).Select(c => c.Name)];

    private static double OldestPendingAge(StateCounts counts, TimeProvider time) =>
        counts.Current().OldestPendingAt is { } at ? Math.Max(0, (time.GetUtcNow() - at).TotalSeconds) : 0;
}
