namespace CamaraQos.Controller.Notifications;

/// <summary>
/// Queue a notification for delivery. The row is committed before this returns, so it is delivered
/// (with retries) even if the controller restarts; the delivery loop is woken at once.
/// </summary>
public interface INotificationOutbox
{
    /// <summary>Queues a CloudEvent, POSTed as <c>application/cloudevents+json</c>.</summary>
    /// <param name="bearerToken">Sent as <c>Authorization: Bearer</c> when not null (sinkCredential.accessToken).</param>
    /// <returns>The outbox id (not the event id).</returns>
    Task<string> EnqueueAsync(string sink, string? bearerToken, CloudEvent evt, CancellationToken ct);

    /// <summary>Queues a body as is (for example the QoD v0.10 webhook, <c>application/json</c>).</summary>
    Task<string> EnqueueAsync(string sink, string? bearerToken, string body, string contentType, CancellationToken ct);

    Task<OutboxEntry?> FindAsync(string id, CancellationToken ct);
}
