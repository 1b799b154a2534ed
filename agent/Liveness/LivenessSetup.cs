using CamaraQos.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Liveness;

public static class LivenessSetup
{
    /// <summary>The loops' <see cref="Heartbeats"/>; every feature that runs a loop adds it (once).</summary>
    public static IServiceCollection AddHeartbeats(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Heartbeats>();
        return services;
    }

    /// <summary>The systemd watchdog, fed while the loops beat.</summary>
    public static IServiceCollection AddWatchdog(this IServiceCollection services)
    {
        services.AddHeartbeats();
        // AddSystemd registers the notifier only under systemd; elsewhere this one is disabled (no NOTIFY_SOCKET).
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddHostedService(sp => new SystemdWatchdog(sp.GetRequiredService<ISystemdNotifier>(),
            sp.GetRequiredService<Heartbeats>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SystemdWatchdog>>(), WatchdogInterval.FromEnvironment()));
        return services;
    }
}
