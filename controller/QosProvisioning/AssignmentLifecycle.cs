using CamaraQos.Controller.Agents;
using CamaraQos.Shared;

namespace CamaraQos.Controller.QosProvisioning;

/// <summary>
/// Moves assignments on what agents report: confirmations, failures and completed revokes from
/// <c>reported</c>; a device's new LAN address from <c>status</c> (the assignment follows the MAC, so
/// the desired state is republished with the new address), and a gateway back after a reboot or
/// reconnect gets its assignments republished.
/// </summary>
public sealed partial class AssignmentLifecycle(
    AssignmentStore store,
    ProvisioningService service,
    IDesiredStatePublisher publisher,
    ILogger<AssignmentLifecycle> logger) : IAgentObserver
{
    /// <summary>Boot epoch of each agent's last online status, to tell a reboot or reconnect from a repeat.</summary>
    private readonly AgentReturns _returns = new();

    public async Task OnReportedAsync(AgentView agent, ReportedState reported, CancellationToken ct)
    {
        var results = reported.Policies.ToDictionary(p => p.Id);
        foreach (var a in await store.ForAgentAsync(agent.AgentId, ct))
        {
            var outcome = results.GetValueOrDefault(a.PolicyId)?.Outcome;
            if (a.Revoking)
            {
                // The pending marker is long.MaxValue until the withdrawing generation is known.
                if (reported.ObservedGeneration >= a.RevokeGeneration && outcome != PolicyOutcome.Applied)
                {
                    await service.CompleteRevokeAsync(a, ct);
                }
                continue;
            }
            // Once AVAILABLE, a Failed report does not end the assignment: the agent reports every policy of a
            // document Failed when any part of the apply fails (often another feature's new policy, which that
            // feature then withdraws), and retries until the kernel takes it. Assignments have no notAfter.
            if (a.Status == AssignmentStatus.REQUESTED)
            {
                await OnRequestedAsync(a, outcome, reported, ct);
            }
        }
    }

    /// <summary>Applied confirms; a failure, or a report/rejection of its generation without it, ends it.</summary>
    private async Task OnRequestedAsync(Assignment a, PolicyOutcome? outcome, ReportedState reported, CancellationToken ct)
    {
        var carried = a.Generation > 0 && reported.ObservedGeneration >= a.Generation;
        var rejected = a.Generation > 0 && reported.LastRejection?.Generation >= a.Generation;
        if (outcome == PolicyOutcome.Applied)
        {
            await service.ConfirmAsync(a, ct);
        }
        else if (outcome is PolicyOutcome.Failed or PolicyOutcome.Expired || carried || rejected)
        {
            await service.TerminateAsync(a, ct);
        }
    }

    /// <summary>
    /// When a device with an assignment shows up at a new LAN address, or the gateway comes back after
    /// a reboot or reconnect, the gateway is sent its assignments again (the retained document may be
    /// gone, e.g. after an embedded broker restart; assignments have no time limit).
    /// </summary>
    public async Task OnStatusAsync(AgentView agent, CancellationToken ct)
    {
        var back = _returns.CameBack(agent);
        if (!agent.Online)
        {
            return;
        }
        var moved = false;
        var active = (await store.ForAgentAsync(agent.AgentId, ct)).Where(a => a.Status != AssignmentStatus.UNAVAILABLE && !a.Revoking).ToList();
        foreach (var a in active)
        {
            if (CurrentIp(agent, a) is { } ip && ip != a.DeviceIp)
            {
                await store.UpdateDeviceIpAsync(a.AssignmentId, ip, ct);
                LogMoved(logger, a.AssignmentId, a.DeviceIp, ip);
                moved = true;
            }
        }
        if (moved || (back && active.Count > 0))
        {
            await publisher.PublishAsync(agent.AgentId, ct);
        }
    }

    /// <summary>The device's current LAN address by MAC (IPv4 first, as the device resolver), or null if absent.</summary>
    public static string? CurrentIp(AgentView? agent, Assignment a) =>
        agent is not null && a.DeviceMac is { } mac ? agent.ByMac(mac)?.Ip : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Assignment {AssignmentId} follows its device from {OldIp} to {NewIp}")]
    private static partial void LogMoved(ILogger logger, Guid assignmentId, string oldIp, string newIp);
}
