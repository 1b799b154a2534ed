using CamaraQos.Controller.Storage;

namespace CamaraQos.Controller.Notifications;

/// <summary>
/// The durable outbox. Times are Unix milliseconds (BIGINT) so one DDL serves SQLite and PostgreSQL.
/// <c>lease_owner</c>/<c>lease_until</c> let several controllers share the table: a row is worked on by
/// the instance holding an unexpired lease; a crashed instance's lease simply runs out.
/// </summary>
internal sealed class OutboxSchema : IStoreSchema
{
    public IEnumerable<string> Statements =>
    [
        """
        CREATE TABLE IF NOT EXISTS notification_outbox (
            id TEXT PRIMARY KEY,
            sink TEXT NOT NULL,
            bearer_token TEXT NULL,
            content_type TEXT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            next_attempt_at BIGINT NOT NULL,
            delivered_at BIGINT NULL,
            last_error TEXT NULL,
            lease_owner TEXT NULL,
            lease_until BIGINT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS ix_notification_outbox_due ON notification_outbox (state, next_attempt_at)",
    ];

    /// <summary>
    /// The trace that queued the row (W3C <c>traceparent</c>) and its <c>x-correlator</c>, so the delivery,
    /// done later by a background loop, perhaps on another instance, is a span of that trace.
    /// </summary>
    public IEnumerable<AddedColumn> AddedColumns =>
    [
        new("notification_outbox", "traceparent", "TEXT"),
        new("notification_outbox", "correlator", "TEXT"),
    ];
}

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
