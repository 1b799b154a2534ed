using CamaraQos.Controller.Agents;
using CamaraQos.Controller.ApplicationProfiles;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.ConnectivityInsights;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.Notifications;
using CamaraQos.Controller.Observability;
using CamaraQos.Controller.Telemetry;

namespace CamaraQos.Controller.InsightsSubscriptions;

/// <summary>
/// Subscriptions to network-quality events: created with a baseline verdict (sent at once when
/// <c>initialEvent</c>), judged again on every telemetry report of their gateway, and ended (deleted,
/// subscription-ended sent, monitor withdrawn) on delete, expiry, <c>subscriptionMaxEvents</c> or the
/// loss of their profile. Judging and ending are serialized, so a sink hears each change once and the
/// end once, in order; events go through the durable outbox shared with QoD.
/// </summary>
public sealed partial class SubscriptionService(
    SubscriptionStore store,
    ApplicationProfileStore profiles,
    DeviceResolver resolver,
    TelemetryStore telemetry,
    IDesiredStatePublisher publisher,
    INotificationOutbox outbox,
    SinkValidator sinks,
    ControllerMetrics metrics,
    TimeProvider time,
    ILogger<SubscriptionService> logger)
{
    public const string BasePath = "/connectivity-insights-subscriptions/v0.6";
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Raised when an expiry is added, so the expiry loop re-plans its sleep.</summary>
    public event Action? ExpiriesChanged;

    public async Task<(InsightsSubscription? Subscription, CamaraError? Error)> CreateAsync(Caller caller, SubscriptionRequest body, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if ((SubscriptionRules.Validate(body, now, out var expiresAt) ?? sinks.Validate(body.Sink, body.SinkCredential)) is { } invalid)
        {
            return (null, invalid);
        }
        var detail = body.Config!.SubscriptionDetail!;
        var (profile, profileError) = await ApplicationProfilesApi.LoadOwnedAsync(detail.ApplicationProfileId!, caller, profiles, ct);
        if (profileError is not null)
        {
            // createSubscription documents no 404: an unknown profile is a bad argument (as specs/camara/NOTES.md row 3 does for qosProfile).
            return (null, profileError.Value.Status == 404 ? CamaraError.InvalidArgument("applicationProfileId does not exist.") : profileError);
        }
        if (profile!.NetworkQualityThresholds is not { } thresholds)
        {
            return (null, CamaraError.ServiceNotApplicable("The application profile states no networkQualityThresholds to watch."));
        }
        // A gateway offline now is watched once it is back: the monitor waits in its desired document.
        var (device, unresolved) = await resolver.ResolveAsync(caller, detail.Device, requireOnline: false, ct);
        if (unresolved is not null)
        {
            return (null, unresolved);
        }
        var subscription = new InsightsSubscription(
            Guid.NewGuid(), caller.ClientId, device!.SubscriberId ?? caller.SubscriberId, device.AgentId, device.LanIp, device.Mac,
            new SubscriptionDetail(device.Identifier, detail.ApplicationServer, detail.ApplicationServerPorts, profile.ApplicationProfileId),
            body.Sink!, body.SinkCredential?.AccessToken, Millis(now), expiresAt is { } e ? Millis(e) : null,
            body.Config.SubscriptionMaxEvents, body.Config.InitialEvent, 0, null);
        await StartAsync(subscription, thresholds, ct);
        LogCreated(logger, subscription.SubscriptionId, subscription.AgentId, caller.ClientId);
        return (subscription, null);
    }

    /// <summary>The verdict now is the baseline; with initialEvent it is also the first event (counted toward the maximum).</summary>
    private async Task StartAsync(InsightsSubscription subscription, NetworkQualityThresholds thresholds, CancellationToken ct)
    {
        var current = Judge(subscription, thresholds);
        await _gate.WaitAsync(ct);
        try
        {
            await store.InsertAsync(subscription with { LastSent = current }, ct);
            if (subscription.InitialEvent == true && !current.IsEmpty)
            {
                await SendLockedAsync(subscription with { LastSent = null }, current, ct);
            }
        }
        finally
        {
            _gate.Release();
        }
        await publisher.PublishAsync(subscription.AgentId, ct);
        ExpiriesChanged?.Invoke();
    }

    /// <summary>Judges every subscription of the agent against the window that now includes the newest report.</summary>
    public async Task EvaluateAsync(string agentId, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            foreach (var subscription in await store.ForAgentAsync(agentId, ct))
            {
                var profile = await profiles.FindAsync(subscription.Detail.ApplicationProfileId, ct);
                if (profile?.Profile.NetworkQualityThresholds is not { } thresholds)
                {
                    continue;
                }
                var insight = Judge(subscription, thresholds);
                var last = subscription.LastSent ?? new NetworkQualityInsight(null, null, null, null, null);
                // A threshold that can no longer be judged is not news; a judged one that differs is.
                var changed = last.Update(insight) != last;
                metrics.TelemetryJudged(changed);
                if (changed)
                {
                    await SendLockedAsync(subscription, insight, ct);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task EndAsync(InsightsSubscription subscription, TerminationReason reason, string description, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await EndLockedAsync(subscription, reason, description, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private NetworkQualityInsight Judge(InsightsSubscription s, NetworkQualityThresholds thresholds) =>
        NetworkQualityInsight.Judge(thresholds, MeasuredWindow.Of(telemetry.Recent(s.AgentId), s.DeviceIp, s.Server));

    private async Task SendLockedAsync(InsightsSubscription s, NetworkQualityInsight insight, CancellationToken ct)
    {
        var events = s.EventsSent + 1;
        var lastSent = s.LastSent?.Update(insight) ?? insight;
        if (!await store.RecordAsync(s.SubscriptionId, s.EventsSent, events, lastSent, ct))
        {
            return;
        }
        var p = s.Detail.ApplicationProfileId;
        var data = new NetworkQualityData(p, p, s.Id, insight.PacketDelayBudget, insight.TargetMinDownstreamRate,
            insight.TargetMinUpstreamRate, insight.PacketlossErrorRate, insight.Jitter);
        await outbox.EnqueueAsync(s.Sink, s.SinkToken, CloudEvent.Create(Source(s), InsightsSubscription.EventType, data, SubscriptionsJson.Default.NetworkQualityData, time), ct);
        LogEvent(logger, s.SubscriptionId, events);
        if (s.MaxEvents is { } max && events >= max)
        {
            await EndLockedAsync(s, TerminationReason.MAX_EVENTS_REACHED, $"subscriptionMaxEvents ({max}) reached.", ct);
        }
    }

    /// <summary>Only the caller that deletes the row tells the sink, so a subscription ends once.</summary>
    private async Task EndLockedAsync(InsightsSubscription s, TerminationReason reason, string description, CancellationToken ct)
    {
        if (!await store.DeleteAsync(s.SubscriptionId, ct))
        {
            return;
        }
        var data = new SubscriptionEndedData(reason, s.Id, description);
        await outbox.EnqueueAsync(s.Sink, s.SinkToken, CloudEvent.Create(Source(s), InsightsSubscription.EndedEventType, data, SubscriptionsJson.Default.SubscriptionEndedData, time), ct);
        await publisher.PublishAsync(s.AgentId, ct);
        LogEnded(logger, s.SubscriptionId, s.AgentId, reason);
    }

    /// <summary>Times are stored in milliseconds: the 201 says what every later GET will say.</summary>
    private static DateTimeOffset Millis(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    private static string Source(InsightsSubscription s) => $"{BasePath}/subscriptions/{s.Id}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Insights subscription {SubscriptionId} created on agent {AgentId} for client {ClientId}")]
    private static partial void LogCreated(ILogger logger, Guid subscriptionId, string agentId, string clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Insights subscription {SubscriptionId}: network-quality event {Count} queued")]
    private static partial void LogEvent(ILogger logger, Guid subscriptionId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Insights subscription {SubscriptionId} on agent {AgentId} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, Guid subscriptionId, string agentId, TerminationReason reason);
}
