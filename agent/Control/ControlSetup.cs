using CamaraQos.Agent.Enforcement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;

namespace CamaraQos.Agent.Control;

public static class ControlSetup
{
    /// <summary>
    /// The MQTT control channel, the kernel network watcher and the pump into the enforcer. Register after
    /// AddEnforcement: hosted services start in order, so the restored state is in the kernel before Control connects.
    /// </summary>
    public static IServiceCollection AddControl(this IServiceCollection services, AgentSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        // AddSystemd registers the notifier only under systemd; elsewhere this one is disabled (no NOTIFY_SOCKET).
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton(settings);
        // One identity for Control and Enforcement (whichever registers first wins): same id, same epoch.
        services.TryAddSingleton(sp => new AgentIdentity(settings.AgentId,
            sp.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds()));
        services.AddSingleton(sp => AgentBoot.Of(sp.GetRequiredService<AgentIdentity>()));
        services.AddSingleton<NetworkState>();
        services.AddSingleton<DesiredInbox>();
        services.TryAddSingleton<TelemetryOutbox>();
        services.AddHostedService<SystemdWatchdog>();
        services.AddHostedService<NetworkWatcher>();
        services.AddHostedService<DesiredPump>();
        services.AddSingleton<ControlChannel>();
        services.AddHostedService(sp => sp.GetRequiredService<ControlChannel>());
        return services;
    }
}
