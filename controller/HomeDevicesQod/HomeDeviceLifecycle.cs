using CamaraQos.Controller.Agents;
using CamaraQos.Shared;

namespace CamaraQos.Controller.HomeDevicesQod;

/// <summary>
/// What gateways report, for Home Devices QoD: each report releases the PUTs waiting for a generation it
/// covers (204 only after the gateway confirms); a device seen at a new LAN address moves its class there;
/// a gateway back after a reboot or reconnect is sent its classes again (the retained document may be gone).
/// </summary>
public sealed partial class HomeDeviceLifecycle(HomeDeviceStore store, IDesiredStatePublisher publisher, ILogger<HomeDeviceLifecycle> logger)
    : IAgentObserver
{
    private sealed record Waiter(string AgentId, long Generation, TaskCompletionSource<ReportedState> Done);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReportedState> _lastReport = [];
    private readonly List<Waiter> _waiters = [];
    private readonly AgentReturns _returns = new();

    /// <summary>
    /// The first report of <paramref name="agentId"/> that applied or rejected <paramref name="generation"/> or
    /// a later one; null when none came within <paramref name="timeout"/>. A report that arrived before the
    /// call counts, so a gateway faster than the publisher's return is not missed.
    /// </summary>
    public async Task<ReportedState?> WaitForAsync(string agentId, long generation, TimeSpan timeout, CancellationToken ct)
    {
        var waiter = new Waiter(agentId, generation, new(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            if (_lastReport.TryGetValue(agentId, out var last) && Covers(last, generation))
            {
                return last;
            }
            _waiters.Add(waiter);
        }
        try
        {
            return await waiter.Done.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    public Task OnReportedAsync(AgentView agent, ReportedState reported, CancellationToken ct)
    {
        lock (_gate)
        {
            _lastReport[agent.AgentId] = reported;
            foreach (var w in _waiters.Where(w => w.AgentId == agent.AgentId && Covers(reported, w.Generation)))
            {
                w.Done.TrySetResult(reported);
            }
        }
        return Task.CompletedTask;
    }

    private static bool Covers(ReportedState r, long generation) =>
        r.ObservedGeneration >= generation || r.LastRejection?.Generation >= generation;

    public async Task OnStatusAsync(AgentView agent, CancellationToken ct)
    {
        var back = _returns.CameBack(agent);
        if (!agent.Online)
        {
            return;
        }
        var rows = await store.ForAgentAsync(agent.AgentId, ct);
        var moved = false;
        foreach (var row in rows)
        {
            if (HomeDevicePolicySource.CurrentIp(agent, row.DeviceMac) is { } ip && ip != row.DeviceIp)
            {
                await store.UpdateIpAsync(agent.AgentId, row.DeviceMac, ip, ct);
                LogMoved(logger, agent.AgentId, row.DeviceMac, row.DeviceIp, ip);
                moved = true;
            }
        }
        if (moved || (back && rows.Count > 0))
        {
            await publisher.PublishAsync(agent.AgentId, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Home device {Mac} of agent {AgentId} moved from {OldIp} to {NewIp}: its class follows")]
    private static partial void LogMoved(ILogger logger, string agentId, string mac, string oldIp, string newIp);
}
