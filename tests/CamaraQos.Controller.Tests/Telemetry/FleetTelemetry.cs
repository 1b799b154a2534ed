using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Telemetry;
using CamaraQos.Controller.Tests.QualityOnDemand;
using CamaraQos.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace CamaraQos.Controller.Tests.Telemetry;

/// <summary>Publishes telemetry as a sandbox gateway over the real embedded broker, and waits until it is stored.</summary>
public static class FleetTelemetry
{
    public static async Task PublishAsync(QodHost host, string agentId, params FlowAggregate[] flows)
    {
        var fleet = host.Services.GetRequiredService<SimulatedFleet>();
        await fleet.Started.WaitAsync(TimeSpan.FromSeconds(10));
        var report = Reports.Of(agentId, flows);
        await fleet.Agents.Single(a => a.AgentId == agentId).PublishTelemetryAsync(report, CancellationToken.None);
        var store = host.Services.GetRequiredService<TelemetryStore>();
        await Eventually.TrueAsync(() => store.Recent(agentId).Any(r => r.Report.To == report.To), "telemetry stored");
    }
}
