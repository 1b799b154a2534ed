using CamaraQos.Controller.Agents;
using CamaraQos.Controller.ApplicationProfiles;
using CamaraQos.Controller.Telemetry;
using CamaraQos.Shared;

namespace CamaraQos.Controller.InsightsSubscriptions;

/// <summary>
/// What subscriptions react to: new telemetry (judge again), a profile replaced (new thresholds in the
/// monitors) or deleted (the subscription cannot go on: NETWORK_TERMINATED), a gateway back after a
/// reboot or reconnect (its retained document may be gone: publish again). Also their monitors in the
/// agents' desired documents.
/// </summary>
public sealed class SubscriptionWatch(
    SubscriptionStore store,
    ApplicationProfileStore profiles,
    SubscriptionService service,
    IDesiredStatePublisher publisher) : ITelemetryListener, IApplicationProfileObserver, IAgentObserver, IPolicySource
{
    private readonly Dictionary<string, long> _onlineEpoch = [];

    public Task OnTelemetryStoredAsync(string agentId, CancellationToken ct) => service.EvaluateAsync(agentId, ct);

    public async Task OnProfileChangedAsync(Guid profileId, bool deleted, CancellationToken ct)
    {
        var affected = await store.ForProfileAsync(profileId, ct);
        foreach (var subscription in affected)
        {
            if (deleted)
            {
                await service.EndAsync(subscription, TerminationReason.NETWORK_TERMINATED, "The application profile was deleted.", ct);
            }
        }
        if (!deleted)
        {
            foreach (var agentId in affected.Select(s => s.AgentId).Distinct())
            {
                await publisher.PublishAsync(agentId, ct);
            }
        }
    }

    public async Task OnStatusAsync(AgentView agent, CancellationToken ct)
    {
        bool back;
        lock (_onlineEpoch)
        {
            back = agent.Online && (!_onlineEpoch.TryGetValue(agent.AgentId, out var epoch) || epoch != agent.BootEpoch);
            if (agent.Online)
            {
                _onlineEpoch[agent.AgentId] = agent.BootEpoch;
            }
            else
            {
                _onlineEpoch.Remove(agent.AgentId);
            }
        }
        if (back && (await store.ForAgentAsync(agent.AgentId, ct)).Count > 0)
        {
            await publisher.PublishAsync(agent.AgentId, ct);
        }
    }

    public Task<IReadOnlyList<Policy>> PoliciesForAsync(string agentId, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Policy>>([]);

    /// <summary>One monitor per subscription: its device, server and the profile's thresholds.</summary>
    public async Task<IReadOnlyList<FlowMonitor>> MonitorsForAsync(string agentId, DateTimeOffset now, CancellationToken ct)
    {
        var monitors = new List<FlowMonitor>();
        foreach (var subscription in await store.ForAgentAsync(agentId, ct))
        {
            if (await profiles.FindAsync(subscription.Detail.ApplicationProfileId, ct) is { Profile.NetworkQualityThresholds: { } thresholds })
            {
                monitors.Add(subscription.ToMonitor(ProfileThresholds.ToQuality(thresholds)));
            }
        }
        return monitors;
    }
}
