using System.Diagnostics;
using System.Net.Http.Headers;
using CamaraQos.Controller.Observability;
using CamaraQos.Controller.Storage;
using Dapper;

namespace CamaraQos.Controller.Notifications;

/// <summary>The outbox table: enqueue for the APIs, claim and settle for <see cref="NotificationDispatcher"/>.</summary>
internal sealed class NotificationOutbox(Database database, OutboxSignal signal, TimeProvider time) : INotificationOutbox
{
    private const string CloudEventContentType = CloudEvent.MediaType + "; charset=utf-8";
    private const string Columns =
        "id AS Id, sink AS Sink, bearer_token AS BearerToken, content_type AS ContentType, body AS Body, state AS State, " +
        "attempts AS Attempts, created_at AS CreatedAt, next_attempt_at AS NextAttemptAt, delivered_at AS DeliveredAt, last_error AS LastError, " +
        "traceparent AS Traceparent, correlator AS Correlator";

    public Task<string> EnqueueAsync(string sink, string? bearerToken, CloudEvent evt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return EnqueueAsync(sink, bearerToken, evt.ToJson(), CloudEventContentType, ct);
    }

    public async Task<string> EnqueueAsync(string sink, string? bearerToken, string body, string contentType, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sink);
        ArgumentNullException.ThrowIfNull(body);
        if (!MediaTypeHeaderValue.TryParse(contentType, out _))
        {
            throw new ArgumentException($"Not a media type: '{contentType}'.", nameof(contentType));
        }
        if (bearerToken is not null && (bearerToken.Length == 0 || bearerToken.Any(char.IsControl)))
        {
            throw new ArgumentException("A bearer token must be non-empty and free of control characters.", nameof(bearerToken));
        }
        var id = Guid.NewGuid().ToString();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var traceparent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
        var correlator = ControllerActivity.CurrentCorrelator;
        await using (var connection = await database.OpenAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO notification_outbox (id, sink, bearer_token, content_type, body, state, attempts, created_at, next_attempt_at, traceparent, correlator)
                VALUES (@id, @sink, @bearerToken, @contentType, @body, 'pending', 0, @now, @now, @traceparent, @correlator)
                """,
                new { id, sink, bearerToken, contentType, body, now, traceparent, correlator }, cancellationToken: ct));
        }
        signal.Set();
        return id;
    }

    public async Task<OutboxEntry?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<OutboxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM notification_outbox WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToEntry();
    }

    /// <summary>
    /// Leases up to <paramref name="limit"/> due rows to <paramref name="owner"/>. On PostgreSQL
    /// <c>FOR UPDATE SKIP LOCKED</c> lets instances claim disjoint rows without waiting on each other.
    /// </summary>
    public async Task<IReadOnlyList<OutboxRow>> ClaimAsync(string owner, TimeSpan lease, int limit, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + (long)lease.TotalMilliseconds;
        var skipLocked = database.IsPostgres ? "FOR UPDATE SKIP LOCKED" : "";
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"""
            UPDATE notification_outbox SET lease_owner = @owner, lease_until = @until
            WHERE id IN (SELECT id FROM notification_outbox
                         WHERE state = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                         ORDER BY next_attempt_at LIMIT @limit {skipLocked})
            RETURNING {Columns}
            """,
            new { owner, until, now, limit }, cancellationToken: ct));
        return rows.AsList();
    }

    public Task MarkDeliveredAsync(string id, string owner, int attempts, CancellationToken ct) =>
        Settle(id, owner, "state = 'delivered', attempts = @attempts, delivered_at = @now, last_error = NULL",
            new { id, owner, attempts, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, ct);

    public Task MarkRetryAsync(string id, string owner, int attempts, DateTimeOffset next, string error, CancellationToken ct) =>
        Settle(id, owner, "attempts = @attempts, next_attempt_at = @next, last_error = @error",
            new { id, owner, attempts, next = next.ToUnixTimeMilliseconds(), error }, ct);

    public Task MarkFailedAsync(string id, string owner, int attempts, string error, CancellationToken ct) =>
        Settle(id, owner, "state = 'failed', attempts = @attempts, last_error = @error", new { id, owner, attempts, error }, ct);

    /// <summary>When the next pending row falls due (a leased row: when its lease runs out), if any.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > next_attempt_at THEN lease_until ELSE next_attempt_at END)
            FROM notification_outbox WHERE state = 'pending'
            """, cancellationToken: ct));
        return next is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Only the lease holder settles a row, so a late instance cannot overwrite a newer outcome.</summary>
    private async Task Settle(string id, string owner, string assignments, object parameters, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE notification_outbox SET {assignments}, lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner",
            parameters, cancellationToken: ct));
    }
}

/// <summary>The stored columns, as Dapper reads them (both databases return BIGINT as long).</summary>
internal sealed class OutboxRow
{
    public string Id { get; set; } = "";
    public string Sink { get; set; } = "";
    public string? BearerToken { get; set; }
    public string ContentType { get; set; } = "";
    public string Body { get; set; } = "";
    public string State { get; set; } = "";
    public long Attempts { get; set; }
    public long CreatedAt { get; set; }
    public long NextAttemptAt { get; set; }
    public long? DeliveredAt { get; set; }
    public string? LastError { get; set; }
    public string? Traceparent { get; set; }
    public string? Correlator { get; set; }

    public OutboxEntry ToEntry() => new(
        Id, Sink, ContentType, Body, Enum.Parse<OutboxState>(State, ignoreCase: true), (int)Attempts,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(NextAttemptAt),
        DeliveredAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null, LastError);
}
