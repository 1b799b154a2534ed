using CamaraQos.Agent.Control;
using Microsoft.Extensions.Configuration;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// The measurement keys (README, agent table), read and validated at start like <see cref="AgentSettings"/>:
/// a bad value stops the agent with a message naming the key.
/// </summary>
public sealed record MeasurementSettings(bool Enabled, int FlowCapacity, TimeSpan FlowIdle)
{
    public static MeasurementSettings Load(IConfiguration config) => new(
        AgentSettings.Bool(config, "Agent:Measurement", true),
        // Every slot holds a few KB of fixed state, allocated at start; the table never grows past it.
        AgentSettings.Int(config, "Agent:FlowCapacity", 4096, 16, 1_000_000),
        TimeSpan.FromSeconds(AgentSettings.Double(config, "Agent:FlowIdleSeconds", 60, 1, 86_400)));

    public MeasurementOptions Options => new() { FlowCapacity = FlowCapacity, IdleTimeout = FlowIdle };
}
