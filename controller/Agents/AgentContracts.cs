using CamaraQos.Shared;

namespace CamaraQos.Controller.Agents;

/// <summary>What the controller knows of one agent: its last birth/death, inventory and generations.</summary>
public sealed record AgentView(
    string AgentId,
    bool Online,
    long BootEpoch,
    AgentCapabilities? Capabilities,
    WanAddresses Wan,
    IReadOnlyList<string> LanPrefixes,
    IReadOnlyList<LanDevice> Inventory,
    long DesiredGeneration,
    long ObservedGeneration,
    DateTimeOffset? LastSeen);

/// <summary>Registered agents and their latest state, served from memory (kept in the database).</summary>
public interface IAgentDirectory
{
    AgentView? Find(string agentId);
    IReadOnlyList<AgentView> All();
}

/// <summary>
/// Told of everything agents send. Implemented by the features that wait for agents (QoD sessions
/// wait for the generation that carries them; insights consume telemetry).
/// </summary>
public interface IAgentObserver
{
    Task OnStatusAsync(AgentView agent, CancellationToken ct) => Task.CompletedTask;
    Task OnReportedAsync(AgentView agent, ReportedState reported, CancellationToken ct) => Task.CompletedTask;
    Task OnTelemetryAsync(AgentView agent, TelemetryReport telemetry, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>A feature whose active resources become policies and monitors in an agent's desired document.</summary>
public interface IPolicySource
{
    Task<IReadOnlyList<Policy>> PoliciesForAsync(string agentId, DateTimeOffset now, CancellationToken ct);
    Task<IReadOnlyList<FlowMonitor>> MonitorsForAsync(string agentId, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<FlowMonitor>>([]);
}

/// <summary>
/// Compiles every <see cref="IPolicySource"/>'s resources of one agent into the next desired document
/// (new, persisted, monotonic generation) and publishes it retained, QoS 1. Calls for one agent are
/// serialized, so generations are published in order.
/// </summary>
public interface IDesiredStatePublisher
{
    Task<DesiredState> PublishAsync(string agentId, CancellationToken ct);
}
