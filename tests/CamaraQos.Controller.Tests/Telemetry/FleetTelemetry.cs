using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Tests.QualityOnDemand;
using CamaraQos.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace CamaraQos.Controller.Tests.Telemetry;

/// <summary>Publishes telemetry as a sandbox gateway over the real embedded broker, and waits until the controller has handled it.</summary>
public static class FleetTelemetry
{
    public static async Task PublishAsync(QodHost host, string agentId, params FlowAggregate[] flows)
    {
        var fleet = host.Services.GetRequiredService<SimulatedFleet>();
        await fleet.Started.WaitAsync(TimeSpan.FromSeconds(10));
        var probe = host.Services.GetRequiredService<TelemetryProbe>();
        var before = probe.Handled(agentId);
        await fleet.Agents.Single(a => a.AgentId == agentId).PublishTelemetryAsync(Reports.Of(agentId, flows), CancellationToken.None);
        // Stored, and judged by every subscription of that gateway.
        await probe.HandledAsync(agentId, before + 1);
    }
}
