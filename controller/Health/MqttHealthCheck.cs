using CamaraQos.Controller.Agents;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Health;

/// <summary>
/// Ready when the embedded broker listens (embedded mode) and the controller's own session is connected
/// (both modes): without it no desired document reaches a gateway and no report comes back.
/// </summary>
public sealed class MqttHealthCheck(IOptions<MqttOptions> options, EmbeddedBroker broker, ControllerMqttClient client) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var embedded = options.Value.Mode == MqttMode.Embedded;
        var result = (embedded && !broker.IsStarted, client.IsConnected) switch
        {
            (true, _) => HealthCheckResult.Unhealthy("embedded broker not listening"),
            (false, false) => HealthCheckResult.Unhealthy("controller session not connected to the broker"),
            _ => HealthCheckResult.Healthy(embedded ? "embedded broker listening, controller session connected" : "controller session connected"),
        };
        return Task.FromResult(result);
    }
}
