namespace CamaraQos.Controller.Telemetry;

/// <summary>Section <c>Telemetry</c>: how much recent telemetry the controller keeps and judges over.</summary>
public sealed class TelemetryOptions
{
    /// <summary>
    /// Reports older than this are dropped; flows and verdicts are drawn from the reports inside it. Six
    /// of the agent's default 10 s intervals: enough RTT samples for a thin flow, recent enough to follow a change.
    /// </summary>
    public int WindowSeconds { get; set; } = 60;

    /// <summary>A ceiling per agent whatever its report interval, so a chatty agent cannot grow memory.</summary>
    public int MaxReportsPerAgent { get; set; } = 60;
}
