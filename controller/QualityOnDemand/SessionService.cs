using System.Collections.Concurrent;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.Notifications;
using CamaraQos.Controller.Observability;
using CamaraQos.Controller.QosProfiles;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.QualityOnDemand;

/// <summary>
/// The QoD session lifecycle (docs/ARCHITECTURE.md §5): REQUESTED → AVAILABLE once the gateway reports the
/// generation carrying the session → UNAVAILABLE (DURATION_EXPIRED, NETWORK_TERMINATED) → deleted after
/// the retention time; or deleted on request. Every change republishes the agent's desired state and
/// queues a qos-status-changed CloudEvent when the client gave a sink.
/// </summary>
public sealed partial class SessionService(
    SessionStore store,
    DeviceResolver resolver,
    IQosProfileCatalog profiles,
    IDesiredStatePublisher publisher,
    INotificationOutbox outbox,
    SinkValidator sinks,
    ControllerMetrics metrics,
    TimeProvider time,
    IOptions<QodOptions> options,
    ILogger<SessionService> logger)
{
    public const string EventType = "org.camaraproject.quality-on-demand.v1.qos-status-changed";
    public const string V0EventType = "org.camaraproject.qod.v0.qos-status-changed";

    private readonly QodOptions _options = options.Value;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _confirmations = new();

    /// <summary>Raised when a deadline is created or moved, so the lifecycle loop re-plans its sleep.</summary>
    public event Action? DeadlinesChanged;

    public async Task<(Session? Session, CamaraError? Error)> CreateAsync(Caller caller, CreateSession body, CancellationToken ct)
    {
        var sinkError = body.Sink is not null ? sinks.Validate(body.Sink, body.SinkCredential)
            : body.SinkCredential is not null ? CamaraError.InvalidArgument("sinkCredential requires sink.")
            : null;
        if ((SessionRules.ValidateCreate(body) ?? sinkError) is { } invalid)
        {
            return (null, invalid);
        }
        return await StartAsync(caller, body, body.SinkCredential?.AccessToken, null, ct);
    }

    /// <summary>
    /// Creates a session from a body whose syntax and sink the calling API has already checked (v1 above,
    /// QoD v0.10 its own rules): profile, device, profile limits, the one-per-flow rule, then the gateway.
    /// </summary>
    public async Task<(Session? Session, CamaraError? Error)> StartAsync(
        Caller caller, CreateSession body, string? sinkToken, string? apiVersion, CancellationToken ct)
    {
        var profile = profiles.Find(body.QosProfile!);
        if (profile is null)
        {
            return (null, SessionRules.ValidateProfile(null, body.QosProfile!, body.Duration!.Value));
        }
        var (device, unresolved) = await resolver.ResolveAsync(caller, body.Device, ct);
        if (unresolved is not null)
        {
            return (null, unresolved);
        }
        if (SessionRules.ValidateProfile(profile, profile.Name, body.Duration!.Value) is { } profileError)
        {
            return (null, profileError);
        }
        var now = time.GetUtcNow();
        var session = new Session(
            Guid.NewGuid(), caller.ClientId, device!.SubscriberId ?? caller.SubscriberId, device.AgentId, device.LanIp, device.Mac,
            new SessionRequest(device.Identifier, body.ApplicationServer!, body.DevicePorts, body.ApplicationServerPorts, profile.Name, body.Sink, apiVersion),
            sinkToken, body.Duration.Value, QosStatus.REQUESTED, null, 0, now, null, null,
            now.AddSeconds(_options.ConfirmTimeoutSeconds), null);
        if (!await store.TryInsertAsync(session, ct))
        {
            return (null, new CamaraError(409, "CONFLICT", "Conflict with an existing session for the same device."));
        }
        var confirmed = _confirmations.GetOrAdd(session.SessionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            var desired = await publisher.PublishAsync(session.AgentId, ct);
            await store.SetGenerationAsync([session.SessionId], desired.Generation, ct);
            DeadlinesChanged?.Invoke();
            // If the gateway confirms quickly enough, the 201 already says AVAILABLE (§5).
            await confirmed.Task.WaitAsync(TimeSpan.FromMilliseconds(_options.SynchronousConfirmMilliseconds), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            _confirmations.TryRemove(session.SessionId, out _);
        }
        LogCreated(logger, session.SessionId, session.AgentId, caller.ClientId);
        return (await store.FindAsync(session.SessionId, ct) ?? session, null);
    }

    /// <summary>Spec: only AVAILABLE sessions extend; the overall duration is capped at the profile's maximum.</summary>
    public async Task<(Session? Session, CamaraError? Error)> ExtendAsync(Session session, int additionalSeconds, CancellationToken ct)
    {
        if (session.Status != QosStatus.AVAILABLE)
        {
            return (null, new CamaraError(409, "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED",
                $"Extending the session duration is not allowed in the current state ({session.Status}). The session must be in the AVAILABLE state."));
        }
        var max = (long)(profiles.Find(session.Request.QosProfile)?.MaxDuration.ToTimeSpan().TotalSeconds ?? session.Duration);
        return await SetDurationAsync(session, Math.Min(session.Duration + additionalSeconds, Math.Max(max, session.Duration)), ct);
    }

    /// <summary>Sets an AVAILABLE session's overall duration (the calling API computed it by its own rule).</summary>
    public async Task<(Session? Session, CamaraError? Error)> SetDurationAsync(Session session, long duration, CancellationToken ct)
    {
        if (session.Status != QosStatus.AVAILABLE)
        {
            return (null, new CamaraError(409, "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED",
                $"Extending the session duration is not allowed in the current state ({session.Status}). The session must be in the AVAILABLE state."));
        }
        var next = session with { Duration = duration, ExpiresAt = session.StartedAt!.Value.AddSeconds(duration) };
        if (!await store.TransitionAsync(next, QosStatus.AVAILABLE, ct))
        {
            return (null, new CamaraError(409, "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED",
                "Extending the session duration is not allowed in the current state (UNAVAILABLE). The session must be in the AVAILABLE state."));
        }
        await publisher.PublishAsync(session.AgentId, ct);
        DeadlinesChanged?.Invoke();
        return (next, null);
    }

    /// <summary>DELETE: the session goes at once; the sink hears DELETE_REQUESTED unless it was already UNAVAILABLE.</summary>
    public async Task DeleteAsync(Session session, CancellationToken ct)
    {
        if (!await store.DeleteAsync(session.SessionId, ct))
        {
            return;
        }
        if (session.IsActive)
        {
            await publisher.PublishAsync(session.AgentId, ct);
            await NotifyAsync(session with { Status = QosStatus.UNAVAILABLE, StatusInfo = StatusInfo.DELETE_REQUESTED }, ct);
        }
        LogDeleted(logger, session.SessionId, session.AgentId);
    }

    /// <summary>The gateway runs the session: AVAILABLE from now, for its duration.</summary>
    public async Task ConfirmAsync(Session session, CancellationToken ct)
    {
        using var activity = ControllerActivity.Start("qod.session.confirm");
        activity?.SetTag("camaraqos.session_id", session.SessionId.ToString());
        var now = time.GetUtcNow();
        var next = session with { Status = QosStatus.AVAILABLE, StartedAt = now, ExpiresAt = now.AddSeconds(session.Duration), ConfirmDeadline = null };
        if (!await store.TransitionAsync(next, QosStatus.REQUESTED, ct))
        {
            return;
        }
        metrics.SessionConfirmed(now - session.CreatedAt);
        LogTransition(logger, session.SessionId, session.AgentId, QosStatus.AVAILABLE, null);
        // Queued before the 201 is released, so AVAILABLE reaches the sink before anything the client does next.
        await NotifyAsync(next, ct);
        // Republish so the policy's notAfter is the exact expiresAt, enforced even if the gateway is cut off;
        // before the 201 is released, so a client that sees AVAILABLE sees the generation that carries it (until
        // the gateway has that generation, a crash or a cut-off keeps QoS to the REQUESTED bound, deadline + duration).
        try
        {
            await publisher.PublishAsync(session.AgentId, ct);
        }
        finally
        {
            if (_confirmations.TryGetValue(session.SessionId, out var waiting))
            {
                waiting.TrySetResult();
            }
        }
        DeadlinesChanged?.Invoke();
    }

    /// <summary>REQUESTED or AVAILABLE → UNAVAILABLE; kept readable for the retention time, then purged.</summary>
    public async Task EndAsync(Session session, StatusInfo reason, bool republish, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var next = session with
        {
            Status = QosStatus.UNAVAILABLE,
            StatusInfo = reason,
            ExpiresAt = session.StartedAt is null ? null : reason == StatusInfo.DURATION_EXPIRED ? session.ExpiresAt : now,
            ConfirmDeadline = null,
            DeleteAt = now.AddSeconds(_options.UnavailableRetentionSeconds),
        };
        if (!await store.TransitionAsync(next, session.Status, ct))
        {
            return;
        }
        LogTransition(logger, session.SessionId, session.AgentId, QosStatus.UNAVAILABLE, reason);
        _confirmations.TryGetValue(session.SessionId, out var waiting);
        waiting?.TrySetResult();
        if (republish)
        {
            await publisher.PublishAsync(session.AgentId, ct);
        }
        DeadlinesChanged?.Invoke();
        await NotifyAsync(next, ct);
    }

    private async Task NotifyAsync(Session session, CancellationToken ct)
    {
        if (session.Request.Sink is not { } sink)
        {
            return;
        }
        var data = new QosStatusChangedData(session.SessionId, session.Status, session.StatusInfo);
        // The creator's format: QoD v0.10.1 CloudEvent type differs (quality-on-demand-v0.10.1.yaml CloudEvent.type).
        var (source, type) = session.Request.ApiVersion == SessionRequest.QodV0
            ? ($"/qod/v0/sessions/{session.SessionId}", V0EventType)
            : (_options.EventSource, EventType);
        var evt = CloudEvent.Create(source, type, data, QodJson.Default.QosStatusChangedData, time);
        await outbox.EnqueueAsync(sink, session.SinkToken, evt, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} created on agent {AgentId} for client {ClientId}")]
    private static partial void LogCreated(ILogger logger, Guid sessionId, string agentId, string clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} on agent {AgentId} is {Status} ({StatusInfo})")]
    private static partial void LogTransition(ILogger logger, Guid sessionId, string agentId, QosStatus status, StatusInfo? statusInfo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} on agent {AgentId} deleted")]
    private static partial void LogDeleted(ILogger logger, Guid sessionId, string agentId);
}
