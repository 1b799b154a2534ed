using CamaraQos.Controller.Agents;
using CamaraQos.Controller.ApplicationProfiles;
using CamaraQos.Controller.Telemetry;
using CamaraQos.Shared;

namespace CamaraQos.Controller.InsightsSubscriptions;

/// <summary>
/// What subscriptions react to: new telemetry (judge again), a profile replaced (new thresholds in the
/// monitors) or deleted (the subscription cannot go on: NETWORK_TERMINATED), a device at a new LAN
/// address, a gateway back after a reboot or reconnect (its retained document may be gone: publish
/// again). Also their monitors in the agents' desired documents.
/// </summary>
public sealed partial class SubscriptionWatch(
    SubscriptionStore store,
    ApplicationProfileStore profiles,
    SubscriptionService service,
    IDesiredStatePublisher publisher,
    ILogger<SubscriptionWatch> logger) : ITelemetryListener, IApplicationProfileObserver, IAgentObserver, IPolicySource
{
    private readonly AgentReturns _returns = new();

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

    /// <summary>
    /// A subscription follows its device by MAC: at a new LAN address it is judged there and its monitor
    /// moves with it. A gateway back after a reboot or reconnect is sent its monitors again.
    /// </summary>
    public async Task OnStatusAsync(AgentView agent, CancellationToken ct)
    {
        var back = _returns.CameBack(agent);
        if (!agent.Online)
        {
            return;
        }
        var subscriptions = await store.ForAgentAsync(agent.AgentId, ct);
        var moved = false;
        foreach (var s in subscriptions)
        {
            if (s.DeviceMac is { } mac && agent.ByMac(mac)?.Ip is { } ip && ip != s.DeviceIp)
            {
                await store.UpdateDeviceIpAsync(s.SubscriptionId, ip, ct);
                LogMoved(logger, s.SubscriptionId, s.DeviceIp, ip);
                moved = true;
            }
        }
        if (moved || (back && subscriptions.Count > 0))
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Insights subscription {SubscriptionId} follows its device from {OldIp} to {NewIp}")]
    private static partial void LogMoved(ILogger logger, Guid subscriptionId, string oldIp, string newIp);
}
