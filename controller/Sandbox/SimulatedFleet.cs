using System.Security.Cryptography;
using CamaraQos.Controller.Agents;
using CamaraQos.Shared;

namespace CamaraQos.Controller.Sandbox;

/// <summary>
/// The sandbox's gateways (docs/ARCHITECTURE.md §8): registered with random credentials and connected to
/// the controller's own broker as <see cref="SimulatedAgent"/>s once it listens. Subscribers are
/// seeded by Identity, not here.
/// </summary>
public sealed partial class SimulatedFleet(
    AgentDirectory directory,
    MqttEndpoint endpoint,
    TimeProvider time,
    ILogger<SimulatedFleet> logger) : BackgroundService
{
    public const string Gateway1 = "sandbox-gw-1";
    public const string Gateway2 = "sandbox-gw-2";
    public const string GatewayOffline = "sandbox-gw-offline";

    private readonly List<SimulatedAgent> _agents = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<SimulatedAgent> Agents => _agents;

    /// <summary>Completes once every sandbox agent has connected and announced itself.</summary>
    public Task Started => _started.Task;

    /// <summary>The three sandbox gateways of §8, born at <paramref name="bootEpoch"/>.</summary>
    public static IReadOnlyList<(AgentStatus Birth, bool Confirms)> Gateways(long bootEpoch, DateTimeOffset at) =>
    [
        (Birth(Gateway1, bootEpoch, at, "198.51.100.1", "2001:db8:1::/56",
            new LanDevice("192.168.1.10", "02:00:00:00:01:10", "wlan0", "5GHz"),
            new LanDevice("192.168.1.11", "02:00:00:00:01:11", "eth1", null)), true),
        (Birth(Gateway2, bootEpoch, at, "198.51.100.2", "2001:db8:2::/56",
            new LanDevice("192.168.1.10", "02:00:00:00:02:10", "eth1", null)), true),
        // Online, but never confirms a desired document: sessions on it end UNAVAILABLE (§5).
        (Birth(GatewayOffline, bootEpoch, at, "198.51.100.3", null,
            new LanDevice("192.168.1.10", "02:00:00:00:03:10", "eth1", null)), false),
    ];

    /// <summary>A birth status as a simulated gateway announces it.</summary>
    public static AgentStatus Birth(string agentId, long bootEpoch, DateTimeOffset at, string wanIpv4, string? ipv6Prefix, params LanDevice[] inventory) =>
        new(Contract.SchemaVersion, agentId, true, bootEpoch, "camaraqos-simulated/1",
            new AgentCapabilities(["htb", "bfifo", "fq_codel"], ["u32", "bpf"], true, true, ipv6Prefix is not null),
            new WanAddresses([wanIpv4], ipv6Prefix is null ? [] : [ipv6Prefix]),
            ["192.168.1.0/24"],
            inventory,
            at);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await endpoint.Ready.WaitAsync(stoppingToken);
            var now = time.GetUtcNow();
            // A new process is a new boot: its birth must outrank the Last Will of the previous run.
            foreach (var (birth, confirms) in Gateways(now.ToUnixTimeMilliseconds(), now))
            {
                await StartAgentAsync(birth, confirms, stoppingToken);
            }
            _started.TrySetResult();
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The sandbox is a convenience: a failure is logged, it does not take the controller down.
            LogFailed(logger, ex);
            _started.TrySetException(ex);
        }
    }

    private async Task StartAgentAsync(AgentStatus birth, bool confirms, CancellationToken ct)
    {
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        await directory.RegisterAsync(birth.AgentId, password, ct);
        var agent = new SimulatedAgent(birth, password, confirms, time);
        _agents.Add(agent);
        await agent.StartAsync(endpoint.Host, endpoint.Port, ct);
        LogStarted(logger, birth.AgentId, endpoint.Host, endpoint.Port);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated agent {AgentId} connected to {Host}:{Port}")]
    private static partial void LogStarted(ILogger logger, string agentId, string host, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "The simulated fleet failed to start")]
    private static partial void LogFailed(ILogger logger, Exception error);
}

public static class SimulatedFleetSetup
{
    /// <summary>Called by the sandbox setup when <c>Sandbox:Enabled</c> is true.</summary>
    public static IServiceCollection AddSimulatedFleet(this IServiceCollection services)
    {
        services.AddSingleton<SimulatedFleet>();
        services.AddHostedService(sp => sp.GetRequiredService<SimulatedFleet>());
        return services;
    }
}
