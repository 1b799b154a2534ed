using System.Security.Cryptography;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Storage;
using CamaraQos.Shared;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Sandbox;

/// <summary>
/// The sandbox's gateways (docs/ARCHITECTURE.md §8): provisioned with random credentials where the
/// deployment provisions agents (<see cref="IAgentProvisioning"/>: the embedded broker, or Mosquitto's dynamic
/// security) and connected as <see cref="SimulatedAgent"/>s once the broker is known. On an external broker
/// several sandbox controllers share one broker and one database, and two fleets would log the same gateways
/// in and throw each other out (the client id is the agent id): there one controller runs the fleet, the
/// holder of the <see cref="LeaseName"/> lease, renewed every third of <c>Sandbox:FleetLeaseSeconds</c> and
/// taken over by another controller when it expires (the holder died) or is handed back (a clean stop).
/// There, a fleet that lost an agent's session (a broker restart) starts over, as a rebooted gateway would. Subscribers are seeded by
/// Identity, not here.
/// </summary>
public sealed partial class SimulatedFleet(
    IAgentProvisioning provisioning,
    MqttEndpoint endpoint,
    Leases leases,
    IOptions<MqttOptions> mqtt,
    IOptions<SandboxOptions> options,
    TimeProvider time,
    ILogger<SimulatedFleet> logger) : BackgroundService
{
    public const string Gateway1 = "sandbox-gw-1";
    public const string Gateway2 = "sandbox-gw-2";
    public const string GatewayOffline = "sandbox-gw-offline";
    public const string LeaseName = "sandbox-fleet";

    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private volatile SimulatedAgent[] _agents = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _warnedUnprovisioned;

    /// <summary>This controller's running simulated agents: none while another controller runs the fleet.</summary>
    public IReadOnlyList<SimulatedAgent> Agents => _agents;

    /// <summary>Completes once this controller's sandbox agents have connected and announced themselves (the first time).</summary>
    public Task Started => _started.Task;

    /// <summary>On a shared broker: whether this controller held the fleet lease at its last check (null before the first).</summary>
    public bool? HoldsLease { get; private set; }

    /// <summary>True while this controller runs the fleet.</summary>
    public bool IsRunning => _agents.Length > 0;

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
        await endpoint.Ready.WaitAsync(stoppingToken);
        // Embedded broker: the broker is this process's own, nobody else's fleet can reach it.
        var shared = mqtt.Value.Mode == MqttMode.External;
        var lease = TimeSpan.FromSeconds(options.Value.FleetLeaseSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var owner = !shared || await leases.TryHoldAsync(LeaseName, _holder, lease, stoppingToken);
                HoldsLease = shared ? owner : null;
                // A lost session is revived only on a shared broker (a broker restart); the embedded broker is in
                // this process, and a session dropped there is a test's simulated power cut.
                if (owner && (!IsRunning || (shared && _agents.Any(a => !a.IsConnected))))
                {
                    await StopAgentsAsync(IsRunning ? "an agent lost its session" : null);
                    await StartAgentsAsync(stoppingToken);
                }
                else if (!owner && IsRunning)
                {
                    await StopAgentsAsync("another controller holds the sandbox fleet lease");
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The sandbox is a convenience: a failure is logged and tried again, it never takes the controller down.
                LogFailed(logger, ex);
                await StopAgentsAsync(null);
            }
            await Task.Delay(lease / 3, time, stoppingToken);
        }
    }

    /// <summary>Each agent is listed before it connects (tests find it at once); a failure is cleaned up by the caller.</summary>
    private async Task StartAgentsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // A new start is a new boot: its birth must outrank the Last Will of the previous run.
        foreach (var (birth, confirms) in Gateways(now.ToUnixTimeMilliseconds(), now))
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
            await ProvisionAsync(birth.AgentId, password, ct);
            var agent = new SimulatedAgent(birth, password, confirms, time);
            _agents = [.. _agents, agent];
            await agent.StartAsync(endpoint.Host, endpoint.Port, ct);
            LogStarted(logger, birth.AgentId, endpoint.Host, endpoint.Port);
        }
        _started.TrySetResult();
    }

    private async Task ProvisionAsync(string agentId, string password, CancellationToken ct)
    {
        try
        {
            await provisioning.ProvisionAsync(agentId, password, ct);
        }
        catch (AgentProvisioningException e) when (e.Failure == ProvisioningFailure.Unsupported)
        {
            // Mqtt:Provisioning=Manual: only a broker that lets anyone in accepts the simulated gateways.
            if (!_warnedUnprovisioned)
            {
                _warnedUnprovisioned = true;
                LogUnprovisioned(logger);
            }
        }
    }

    private async Task StopAgentsAsync(string? reason)
    {
        var agents = Interlocked.Exchange(ref _agents, []);
        if (agents.Length > 0 && reason is not null)
        {
            LogStopping(logger, reason);
        }
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await StopAgentsAsync(null);
        if (mqtt.Value.Mode == MqttMode.External)
        {
            try
            {
                await leases.ReleaseAsync(LeaseName, _holder, cancellationToken);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or OperationCanceledException)
            {
                // Another controller takes over when the lease expires instead.
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated agent {AgentId} connected to {Host}:{Port}")]
    private static partial void LogStarted(ILogger logger, string agentId, string host, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "The simulated fleet failed; it tries again at the next lease renewal")]
    private static partial void LogFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated fleet stopped here: {Reason}")]
    private static partial void LogStopping(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mqtt:Provisioning=Manual: the simulated gateways log in with credentials the external broker does not know; only a broker that accepts anyone lets them in (set Mqtt:Provisioning=MosquittoDynamicSecurity)")]
    private static partial void LogUnprovisioned(ILogger logger);
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
