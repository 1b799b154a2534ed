using CamaraQos.Controller.Admin;
using CamaraQos.Controller.Health;
using CamaraQos.Controller.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Agents;

public static class AgentsSetup
{
    /// <summary>
    /// The MQTT side (docs/ARCHITECTURE.md §4, §7). Hosted services start in this order, after the storage
    /// migrator: the directory loads, the embedded broker listens, the controller's session connects.
    /// </summary>
    public static WebApplicationBuilder AddAgents(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(AdminJson.Default));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MqttEndpoint>();
        services.AddSingleton<ControllerCredential>();
        services.AddSingleton<AgentStore>();
        services.AddSingleton<AgentDirectory>();
        services.AddSingleton<IAgentDirectory>(sp => sp.GetRequiredService<AgentDirectory>());
        services.AddHostedService(sp => sp.GetRequiredService<AgentDirectory>());
        services.AddSingleton<EmbeddedBroker>();
        services.AddSingleton<IAgentProvisioning>(sp => sp.GetRequiredService<IOptions<MqttOptions>>().Value.EffectiveProvisioning switch
        {
            AgentProvisioningKind.MosquittoDynamicSecurity => ActivatorUtilities.CreateInstance<MosquittoDynamicSecurity>(sp),
            AgentProvisioningKind.Manual => ActivatorUtilities.CreateInstance<ManualProvisioning>(sp),
            _ => ActivatorUtilities.CreateInstance<EmbeddedProvisioning>(sp),
        });
        services.AddHostedService<BrokerStarter>();
        services.AddSingleton<AgentMessageHandler>();
        services.AddSingleton<ControllerMqttClient>();
        services.AddLoopHeartbeats();
        services.AddHostedService(sp => sp.GetRequiredService<ControllerMqttClient>());
        services.AddSingleton<DesiredStatePublisher>();
        services.AddSingleton<IDesiredStatePublisher>(sp => sp.GetRequiredService<DesiredStatePublisher>());
        return builder;
    }

    /// <summary>Starts the embedded broker, or in external mode just records where the broker is.</summary>
    private sealed class BrokerStarter(IOptions<MqttOptions> options, MqttEndpoint endpoint, EmbeddedBroker broker) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var o = options.Value;
            if (o.Mode == MqttMode.Embedded)
            {
                return broker.StartAsync(cancellationToken);
            }
            endpoint.Set(o.Host!, o.Port, o.UseTls);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => broker.StopAsync(cancellationToken);
    }

    /// <summary>Reports every bad <c>Mqtt</c> key at once, each message naming its key.</summary>
    private sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
    {
        public ValidateOptionsResult Validate(string? name, MqttOptions options)
        {
            var failures = MqttOptions.Validate(options).ToArray();
            return failures.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
