using CamaraQos.Controller.Health;
using CamaraQos.Controller.Identity;

namespace CamaraQos.Controller.Sandbox;

public sealed class SandboxOptions
{
    public bool Enabled { get; set; }

    /// <summary>How often the simulated gateways publish telemetry (seconds); 0 turns it off.</summary>
    public int TelemetryIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// On an external broker one controller runs the simulated fleet; it renews its lease every third of
    /// this, and another takes over this long after it died.
    /// </summary>
    public int FleetLeaseSeconds { get; set; } = 15;
}

/// <summary>
/// Sandbox mode (docs/ARCHITECTURE.md §8): simulated gateways that speak the real MQTT contract, their
/// subscribers, and (in Auth) the sandbox clients and <c>mock_sandbox_access_token</c>.
/// </summary>
public static partial class SandboxSetup
{
    /// <summary>The sandbox subscribers: phone numbers, NAIs, gateway and the device a number stands for.</summary>
    public static readonly Subscriber[] Subscribers =
    [
        new("sandbox-subscriber-1", ["+34600000001"], ["user1@sandbox.example"], "sandbox-gw-1", "02:00:00:00:01:10"),
        new("sandbox-subscriber-2", ["+34600000002"], [], "sandbox-gw-2", "02:00:00:00:02:10"),
        new("sandbox-subscriber-3", ["+34600000003"], [], "sandbox-gw-offline", "02:00:00:00:03:10"),
    ];

    public static WebApplicationBuilder AddSandbox(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Sandbox").Get<SandboxOptions>() ?? new();
        builder.Services.AddOptions<SandboxOptions>().BindConfiguration("Sandbox")
            .Validate(o => o.TelemetryIntervalSeconds >= 0, "Sandbox:TelemetryIntervalSeconds must not be negative.")
            .Validate(o => o.FleetLeaseSeconds is >= 3 and <= 3600, "Sandbox:FleetLeaseSeconds must be between 3 and 3600.")
            .ValidateOnStart();
        if (options.Enabled)
        {
            builder.Services.AddHostedService<SandboxWarning>();
            builder.Services.AddHostedService<SubscriberSeeder>();
            builder.Services.AddSimulatedFleet();
            builder.Services.AddLoopHeartbeats();
            builder.Services.AddHostedService<SandboxTelemetry>();
        }
        return builder;
    }

    private sealed class SubscriberSeeder(ISubscriberDirectory subscribers) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var subscriber in Subscribers)
            {
                await subscribers.UpsertAsync(subscriber, cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Said once, loudly: a sandbox reachable from outside is an open door.</summary>
    private sealed partial class SandboxWarning(ILogger<SandboxWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogSandboxOn(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "SANDBOX IS ON (Sandbox:Enabled=true): well-known client credentials, simulated gateways and the mock_sandbox_access_token are accepted. Never expose this instance; set Sandbox:Enabled=false in production.")]
        private static partial void LogSandboxOn(ILogger logger);
    }
}
