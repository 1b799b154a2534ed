using System.Collections.Concurrent;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.Notifications;
using CamaraQos.Controller.QosProfiles;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.QosProvisioning;

/// <summary>
/// QoS assignments (qos-provisioning v0.3.0): REQUESTED → AVAILABLE once the gateway reports the policy
/// Applied → UNAVAILABLE (NETWORK_TERMINATED) if it fails. No time limit. Revoking an AVAILABLE one is
/// asynchronous (202) until the gateway's report no longer carries it; anything else is removed at once.
/// Every change republishes the agent's desired state and queues a status-changed CloudEvent when the
/// client gave a sink.
/// </summary>
public sealed partial class ProvisioningService(
    AssignmentStore store,
    DeviceResolver resolver,
    IQosProfileCatalog profiles,
    IDesiredStatePublisher publisher,
    IAgentDirectory agents,
    INotificationOutbox outbox,
    SinkValidator sinks,
    TimeProvider time,
    IOptions<ProvisioningOptions> options,
    ILogger<ProvisioningService> logger)
{
    public const string EventType = "org.camaraproject.qos-provisioning.v0.status-changed";

    private readonly ProvisioningOptions _options = options.Value;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _confirmations = new();

    public async Task<(Assignment? Assignment, CamaraError? Error)> CreateAsync(Caller caller, CreateAssignment body, CancellationToken ct)
    {
        var sinkError = body.Sink is not null ? sinks.Validate(body.Sink, body.SinkCredential)
            : body.SinkCredential is not null ? CamaraError.InvalidArgument("sinkCredential requires sink.")
            : null;
        if ((ProvisioningRules.ValidateCreate(body) ?? sinkError) is { } invalid)
        {
            return (null, invalid);
        }
        var profile = profiles.Find(body.QosProfile!);
        if (profile is null)
        {
            return (null, ProvisioningRules.ValidateProfile(null, body.QosProfile!));
        }
        var (device, unresolved) = await resolver.ResolveAsync(caller, body.Device, ct);
        if ((unresolved ?? ProvisioningRules.ValidateProfile(profile, profile.Name)) is { } error)
        {
            return (null, error);
        }
        var assignment = new Assignment(
            Guid.NewGuid(), caller.ClientId, device!.SubscriberId ?? caller.SubscriberId, device.AgentId, device.LanIp, device.Mac,
            new AssignmentRequest(device.Identifier, profile.Name, body.Sink), body.SinkCredential?.AccessToken,
            AssignmentStatus.REQUESTED, null, 0, 0, time.GetUtcNow(), null, null);
        if (!await store.TryInsertAsync(assignment, ct))
        {
            return (null, CamaraError.Conflict("The device already has a QoS profile assignment; revoke it first."));
        }
        await PublishAndAwaitAsync(assignment, ct);
        LogCreated(logger, assignment.AssignmentId, assignment.AgentId, caller.ClientId);
        return (await store.FindAsync(assignment.AssignmentId, ct) ?? assignment, null);
    }

    private async Task PublishAndAwaitAsync(Assignment assignment, CancellationToken ct)
    {
        var confirmed = _confirmations.GetOrAdd(assignment.AssignmentId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            var desired = await publisher.PublishAsync(assignment.AgentId, ct);
            await store.SetGenerationAsync(assignment.AssignmentId, desired.Generation, ct);
            // If the gateway confirms quickly enough, the 201 already says AVAILABLE (spec: synchronous case).
            await confirmed.Task.WaitAsync(TimeSpan.FromMilliseconds(_options.SynchronousConfirmMilliseconds), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            _confirmations.TryRemove(assignment.AssignmentId, out _);
        }
    }

    /// <summary>
    /// AVAILABLE: the policy is withdrawn and the revoke completes when the gateway reports it gone
    /// (true: 202). Otherwise nothing runs on the gateway: removed at once (false: 204).
    /// </summary>
    public async Task<bool> RevokeAsync(Assignment assignment, CancellationToken ct)
    {
        if (await store.BeginRevokeAsync(assignment.AssignmentId, ct))
        {
            var desired = await publisher.PublishAsync(assignment.AgentId, ct);
            await store.SetRevokeGenerationAsync(assignment.AssignmentId, desired.Generation, ct);
            LogRevoking(logger, assignment.AssignmentId, assignment.AgentId);
            // The gateway may have reported that generation before it was stored (the observer then
            // skipped it): the directory has already recorded it, so finish here.
            if (agents.Find(assignment.AgentId)?.ObservedGeneration >= desired.Generation)
            {
                await CompleteRevokeAsync(assignment, ct);
            }
            return true;
        }
        if (await store.DeleteAsync(assignment.AssignmentId, ct) && assignment.Status == AssignmentStatus.REQUESTED)
        {
            await publisher.PublishAsync(assignment.AgentId, ct);
        }
        LogRevoked(logger, assignment.AssignmentId, assignment.AgentId);
        return false;
    }

    /// <summary>The gateway no longer runs a revoked assignment: it goes, and the sink hears DELETE_REQUESTED.</summary>
    public async Task CompleteRevokeAsync(Assignment assignment, CancellationToken ct)
    {
        if (await store.DeleteAsync(assignment.AssignmentId, ct))
        {
            LogRevoked(logger, assignment.AssignmentId, assignment.AgentId);
            await NotifyAsync(assignment with { Status = AssignmentStatus.UNAVAILABLE, StatusInfo = AssignmentStatusInfo.DELETE_REQUESTED }, ct);
        }
    }

    /// <summary>The gateway runs the assignment: AVAILABLE from now, with no end.</summary>
    public async Task ConfirmAsync(Assignment assignment, CancellationToken ct)
    {
        var next = assignment with { Status = AssignmentStatus.AVAILABLE, StartedAt = time.GetUtcNow() };
        if (!await store.TransitionAsync(next, AssignmentStatus.REQUESTED, ct))
        {
            return;
        }
        LogTransition(logger, assignment.AssignmentId, assignment.AgentId, next.Status, null);
        // Queued before the 201 is released, so AVAILABLE reaches the sink first.
        await NotifyAsync(next, ct);
        if (_confirmations.TryGetValue(assignment.AssignmentId, out var waiting))
        {
            waiting.TrySetResult();
        }
    }

    /// <summary>The gateway will not run it: UNAVAILABLE, readable for the retention time, then purged.</summary>
    public async Task TerminateAsync(Assignment assignment, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var next = assignment with
        {
            Status = AssignmentStatus.UNAVAILABLE,
            StatusInfo = AssignmentStatusInfo.NETWORK_TERMINATED,
            DeleteAt = now.AddSeconds(_options.UnavailableRetentionSeconds),
        };
        if (!await store.TransitionAsync(next, assignment.Status, ct))
        {
            return;
        }
        LogTransition(logger, assignment.AssignmentId, assignment.AgentId, next.Status, next.StatusInfo);
        if (_confirmations.TryGetValue(assignment.AssignmentId, out var waiting))
        {
            waiting.TrySetResult();
        }
        await publisher.PublishAsync(assignment.AgentId, ct);
        await NotifyAsync(next, ct);
    }

    private async Task NotifyAsync(Assignment assignment, CancellationToken ct)
    {
        if (assignment.Request.Sink is not { } sink)
        {
            return;
        }
        var data = new AssignmentStatusChangedData(assignment.AssignmentId, assignment.Status, assignment.StatusInfo);
        var evt = CloudEvent.Create(_options.EventSource, EventType, data, ProvisioningJson.Default.AssignmentStatusChangedData, time);
        await outbox.EnqueueAsync(sink, assignment.SinkToken, evt, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Assignment {AssignmentId} created on agent {AgentId} for client {ClientId}")]
    private static partial void LogCreated(ILogger logger, Guid assignmentId, string agentId, string clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assignment {AssignmentId} on agent {AgentId} is {Status} ({StatusInfo})")]
    private static partial void LogTransition(ILogger logger, Guid assignmentId, string agentId, AssignmentStatus status, AssignmentStatusInfo? statusInfo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assignment {AssignmentId} on agent {AgentId} is being revoked")]
    private static partial void LogRevoking(ILogger logger, Guid assignmentId, string agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assignment {AssignmentId} on agent {AgentId} revoked")]
    private static partial void LogRevoked(ILogger logger, Guid assignmentId, string agentId);
}
