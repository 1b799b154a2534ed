using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;

namespace CamaraQos.Agent.Control;

public static class ControlSetup
{
    /// <summary>The MQTT control channel, the kernel network watcher and the pump into the enforcer.</summary>
    public static IServiceCollection AddControl(this IServiceCollection services, AgentSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        // AddSystemd registers the notifier only under systemd; elsewhere this one is disabled (no NOTIFY_SOCKET).
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton(settings);
        services.AddSingleton(sp => AgentBoot.Start(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<NetworkState>();
        services.AddSingleton<DesiredInbox>();
        services.AddHostedService<SystemdWatchdog>();
        services.AddHostedService<NetworkWatcher>();
        services.AddHostedService<EnforcementPump>();
        services.AddSingleton<ControlChannel>();
        services.AddHostedService(sp => sp.GetRequiredService<ControlChannel>());
        return services;
    }
}
