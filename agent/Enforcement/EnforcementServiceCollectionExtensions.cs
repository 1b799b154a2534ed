using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Liveness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CamaraQos.Agent.Enforcement;

public static class EnforcementServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="EnforcementOptions"/> from the validated settings, <see cref="IEnforcer"/>,
    /// <see cref="ICapabilityProbe"/>, <see cref="ICommandRunner"/>, <see cref="INftables"/>, <see cref="ITrafficControl"/> and the hosted service
    /// (restore, then notAfter timer). The <see cref="AgentIdentity"/> comes from the composition root (one for every feature).
    /// </summary>
    public static IServiceCollection AddEnforcement(this IServiceCollection services, AgentSettings settings)
    {
        services.TryAddSingleton(settings);
        services.AddSingleton(Options.Create(EnforcementOptions.From(settings)));
        services.AddHeartbeats();
        services.TryAddSingleton<ICommandRunner>(_ => new ProcessCommandRunner());
        services.TryAddSingleton<INftables>(_ => new LibNftables());
        services.TryAddSingleton<ITrafficControl>(_ => new RtnetlinkTc());
        services.TryAddSingleton<ICapabilityProbe>(sp => new CapabilityProbe(sp.GetRequiredService<ICommandRunner>()));
        services.TryAddSingleton<IEnforcer, Enforcer>();
        services.AddHostedService<EnforcementService>();
        return services;
    }
}
