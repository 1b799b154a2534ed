namespace CamaraQos.Controller.Notifications;

public enum OutboxState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>One notification as stored; <see cref="INotificationOutbox.FindAsync"/> returns it.</summary>
public sealed record OutboxEntry(
    string Id, string Sink, string ContentType, string Body, OutboxState State, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt, string? LastError);
