using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Liveness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CamaraQos.Agent.Measurement;

public static class MeasurementSetup
{
    /// <summary>
    /// Capture and telemetry. Register after AddEnforcement and AddControl: it reads the enforcer's
    /// monitors and hands reports to the control channel's <see cref="Control.TelemetryOutbox"/>.
    /// </summary>
    public static IServiceCollection AddMeasurement(this IServiceCollection services, AgentSettings settings)
    {
        services.AddHeartbeats();
        services.TryAddSingleton(settings);
        services.TryAddSingleton<Control.TelemetryOutbox>();
        services.AddHostedService<MeasurementService>();
        return services;
    }
}
