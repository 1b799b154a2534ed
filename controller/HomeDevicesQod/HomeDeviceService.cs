using System.Collections.Concurrent;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Identity;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.HomeDevicesQod;

/// <summary>
/// setQos: the home comes from the 3-legged token's subscriber (their gateway), the device from that
/// gateway's inventory by its LAN address. The class is stored, the gateway's desired state republished,
/// and the call returns only once the gateway reports it carried the change; otherwise the previous class
/// is restored and republished, so an error changes nothing. Calls for one home run one at a time, so the
/// per-home limit holds.
/// </summary>
public sealed partial class HomeDeviceService(
    HomeDeviceStore store,
    ISubscriberDirectory subscribers,
    IAgentDirectory agents,
    IDesiredStatePublisher publisher,
    HomeDeviceLifecycle lifecycle,
    TimeProvider time,
    IOptions<HomeDevicesQodOptions> options,
    ILogger<HomeDeviceService> logger)
{
    private readonly HomeDevicesQodOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _homes = new(StringComparer.Ordinal);

    /// <summary>Null when the gateway applied the change (204); otherwise the error.</summary>
    public async Task<CamaraError?> SetAsync(Caller caller, QosOnDemandUpdate body, CancellationToken ct)
    {
        if (HomeDevicesQodRules.Validate(body) is { } invalid)
        {
            return invalid;
        }
        // A 2-legged token, or a subject that is no subscriber of ours, names no home network.
        var subscriber = caller.SubscriberId is { } id ? await subscribers.FindAsync(id, ct) : null;
        if (subscriber is null)
        {
            return HomeDevicesQodErrors.InvalidTokenContext();
        }
        var home = _homes.GetOrAdd(subscriber.AgentId, _ => new SemaphoreSlim(1, 1));
        await home.WaitAsync(ct);
        try
        {
            return await SetInHomeAsync(caller, subscriber, body.IpAddress!, ServiceClass.Find(body.ServiceClass)!, ct);
        }
        finally
        {
            home.Release();
        }
    }

    private async Task<CamaraError?> SetInHomeAsync(Caller caller, Subscriber subscriber, string ip, ServiceClass requested, CancellationToken ct)
    {
        // A gateway never registered or connected is as unreachable as one that went offline.
        var agent = agents.Find(subscriber.AgentId);
        if (agent is not { Online: true })
        {
            return HomeDevicesQodErrors.RouterOffline();
        }
        var device = agent.Inventory.FirstOrDefault(d => d.Ip == ip);
        if (device is null)
        {
            return HomeDevicesQodErrors.DeviceNotFound();
        }
        var current = await store.FindAsync(agent.AgentId, device.Mac, ct);
        var classified = (await store.ForAgentAsync(agent.AgentId, ct)).Count;
        if (HomeDevicesQodRules.Conflict(requested, device, current, classified, _options) is { } conflict)
        {
            return conflict;
        }
        var next = requested.IsStandard ? null
            : new HomeDeviceQos(agent.AgentId, device.Mac.ToLowerInvariant(), ip, requested.Name, caller.ClientId, subscriber.SubscriberId, time.GetUtcNow());
        await store.SaveAsync(agent.AgentId, device.Mac, next, ct);
        if (await ConfirmAsync(agent.AgentId, HomeDeviceQos.PolicyIdOf(device.Mac), next is not null, ct) is { } failed)
        {
            await store.SaveAsync(agent.AgentId, device.Mac, current, ct);
            await publisher.PublishAsync(agent.AgentId, ct);
            LogNotApplied(logger, agent.AgentId, device.Mac, requested.Name, failed.Value.Code);
            return failed;
        }
        LogSet(logger, agent.AgentId, device.Mac, ip, requested.Name, caller.ClientId);
        return null;
    }

    /// <summary>Publishes and waits for the report that covers the new generation: null when it carried the change.</summary>
    private async Task<CamaraError?> ConfirmAsync(string agentId, string policyId, bool classified, CancellationToken ct)
    {
        var desired = await publisher.PublishAsync(agentId, ct);
        var report = await lifecycle.WaitForAsync(agentId, desired.Generation, TimeSpan.FromMilliseconds(_options.ConfirmTimeoutMilliseconds), ct);
        if (report is null)
        {
            // Silent, or it went offline meanwhile: the spec's offline case is the one we can tell.
            return agents.Find(agentId) is { Online: true } ? HomeDevicesQodErrors.Timeout() : HomeDevicesQodErrors.RouterOffline();
        }
        return HomeDevicesQodRules.NotCarried(report, desired.Generation, policyId, classified) is { } reason
            ? HomeDevicesQodErrors.NotApplied(reason)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Home device {Mac} ({Ip}) of agent {AgentId} set to {ServiceClass} by client {ClientId}")]
    private static partial void LogSet(ILogger logger, string agentId, string mac, string ip, string serviceClass, string clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Home device {Mac} of agent {AgentId} not set to {ServiceClass}: {Code}; previous class restored")]
    private static partial void LogNotApplied(ILogger logger, string agentId, string mac, string serviceClass, string code);
}
