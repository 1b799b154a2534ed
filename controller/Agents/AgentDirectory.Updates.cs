using System.Text.Json;
using CamaraQos.Shared;

namespace CamaraQos.Controller.Agents;

public sealed partial class AgentDirectory
{
    /// <summary>
    /// Applies a birth or death. Returns null when ignored: an older boot epoch than the one known (a
    /// late Last Will never overrides a newer birth, §4) or an agent that is not registered while
    /// <paramref name="acceptUnregistered"/> is false (embedded broker: only registered agents connect).
    /// </summary>
    public async Task<AgentView?> ApplyStatusAsync(AgentStatus status, bool acceptUnregistered, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        AgentView view;
        lock (_gate)
        {
            if (!_agents.TryGetValue(status.AgentId, out var entry))
            {
                if (!acceptUnregistered)
                {
                    return null;
                }
                entry = new Entry(null, Empty(status.AgentId));
            }
            if (status.BootEpoch < entry.View.BootEpoch)
            {
                LogStaleStatus(logger, status.AgentId, status.BootEpoch, entry.View.BootEpoch);
                return null;
            }
            view = WithStatus(entry.View, status) with { LastSeen = now };
            _agents[status.AgentId] = entry with { View = view };
        }
        var json = JsonSerializer.Serialize(status, ContractJson.Default.AgentStatus);
        await store.SaveStatusAsync(status.AgentId, json, status.BootEpoch, status.Online, now.ToUnixTimeMilliseconds(), ct);
        return view;
    }

    /// <summary>Records what generation the agent has applied; null when the agent is unknown.</summary>
    public async Task<AgentView?> ApplyReportedAsync(ReportedState reported, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var view = Update(reported.AgentId, v => v with { ObservedGeneration = reported.ObservedGeneration, LastSeen = now });
        if (view is not null)
        {
            await store.SaveObservedAsync(reported.AgentId, reported.ObservedGeneration, now.ToUnixTimeMilliseconds(), ct);
        }
        return view;
    }

    /// <summary>Telemetry only refreshes <c>LastSeen</c> in memory: at 10k msgs/s no row write per message.</summary>
    public AgentView? Touch(string agentId) => Update(agentId, v => v with { LastSeen = time.GetUtcNow() });

    internal void SetDesiredGeneration(string agentId, long generation) =>
        Update(agentId, v => v with { DesiredGeneration = Math.Max(v.DesiredGeneration, generation) });

    private AgentView? Update(string agentId, Func<AgentView, AgentView> change)
    {
        lock (_gate)
        {
            if (!_agents.TryGetValue(agentId, out var entry))
            {
                return null;
            }
            var view = change(entry.View);
            _agents[agentId] = entry with { View = view };
            return view;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored status of agent {AgentId} with boot epoch {BootEpoch}: epoch {KnownEpoch} is newer (a late Last Will)")]
    private static partial void LogStaleStatus(ILogger logger, string agentId, long bootEpoch, long knownEpoch);
}
