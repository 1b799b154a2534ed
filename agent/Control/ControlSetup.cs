using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Agent.Liveness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CamaraQos.Agent.Control;

public static class ControlSetup
{
    /// <summary>
    /// The MQTT control channel, the kernel network watcher and the pump into the enforcer. Register after
    /// AddEnforcement: hosted services start in order, so the restored state is in the kernel before Control
    /// connects. The <see cref="AgentIdentity"/> comes from the composition root.
    /// </summary>
    public static IServiceCollection AddControl(this IServiceCollection services, AgentSettings settings)
    {
        services.AddHeartbeats();
        services.TryAddSingleton(settings);
        services.AddSingleton(sp => AgentBoot.Of(sp.GetRequiredService<AgentIdentity>()));
        services.AddSingleton<NetworkState>();
        services.AddSingleton<DesiredInbox>();
        services.TryAddSingleton<TelemetryOutbox>();
        services.AddHostedService<NetworkWatcher>();
        services.AddHostedService<DesiredPump>();
        services.AddSingleton<ControlChannel>();
        services.AddHostedService(sp => sp.GetRequiredService<ControlChannel>());
        return services;
    }
}
