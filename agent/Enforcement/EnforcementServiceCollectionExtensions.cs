using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CamaraQos.Agent.Enforcement;

public static class EnforcementServiceCollectionExtensions
{
    /// <summary>
    /// Options (section <c>Agent</c>, validated at start), <see cref="IEnforcer"/>, <see cref="ICapabilityProbe"/>,
    /// <see cref="ICommandRunner"/>, <see cref="INftables"/>, <see cref="AgentIdentity"/> and the hosted service (restore, then notAfter timer).
    /// </summary>
    public static IServiceCollection AddEnforcement(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<EnforcementOptions>()
            .Configure(o => EnforcementOptions.Bind(config, o))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EnforcementOptions>, EnforcementOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => AgentIdentity.FromConfiguration(config, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ICommandRunner>(_ => new ProcessCommandRunner());
        services.TryAddSingleton<INftables>(_ => new LibNftables());
        services.TryAddSingleton<ICapabilityProbe>(sp => new CapabilityProbe(sp.GetRequiredService<ICommandRunner>()));
        services.TryAddSingleton<IEnforcer, Enforcer>();
        services.AddHostedService<EnforcementService>();
        return services;
    }
}
