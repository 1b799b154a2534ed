using System.Data.Common;
using System.Text.Json;
using CamaraQos.Controller.Storage;
using Dapper;

namespace CamaraQos.Controller.QualityOnDemand;

/// <summary>
/// Sessions in the database. Every state change is a conditional UPDATE on the expected status, so
/// the API, the agent observer and the expiry loop can race without a transition happening twice.
/// </summary>
public sealed class SessionStore(Database database)
{
    private const string Columns = "session_id, client_id, subscriber_id, agent_id, device_ip, device_mac, request, sink_token, duration, status, status_info, generation, created_at, started_at, expires_at, confirm_deadline, delete_at";

    /// <summary>The flow a session covers, for the one-active-session-per-device-and-flow rule (409).</summary>
    public static string FlowKey(SessionRequest r) =>
        JsonSerializer.Serialize(new SessionRequest(null, r.ApplicationServer, r.DevicePorts, r.ApplicationServerPorts, "", null), QodJson.Default.SessionRequest);

    /// <summary>
    /// Inserts unless an active session holds the same device and flow; false on conflict. The unique index
    /// qod_sessions_one_active_per_flow (migration 0004) decides, so concurrent creates on any controller
    /// get exactly one true.
    /// </summary>
    public async Task<bool> TryInsertAsync(Session s, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        try
        {
            await db.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO qod_sessions ({Columns}, flow_key) VALUES (@SessionId, @ClientId, @SubscriberId, @AgentId, @DeviceIp, @DeviceMac, @Request, @SinkToken, @Duration, @Status, @StatusInfo, @Generation, @CreatedAt, @StartedAt, @ExpiresAt, @ConfirmDeadline, @DeleteAt, @flowKey)",
                new Row(s).Parameters(FlowKey(s.Request)), cancellationToken: ct));
            return true;
        }
        catch (DbException e) when (UniqueViolation.Is(e))
        {
            return false;
        }
    }

    public async Task<Session?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var row = await db.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM qod_sessions WHERE session_id = @id", new { id = id.ToString() }, cancellationToken: ct));
        return row?.ToSession();
    }

    public Task<IReadOnlyList<Session>> ActiveForAgentAsync(string agentId, CancellationToken ct) =>
        QueryAsync("WHERE agent_id = @agentId AND status <> 'UNAVAILABLE'", new { agentId }, ct);

    public Task<IReadOnlyList<Session>> ForDeviceAsync(string clientId, string agentId, string deviceIp, CancellationToken ct) =>
        QueryAsync("WHERE client_id = @clientId AND agent_id = @agentId AND device_ip = @deviceIp ORDER BY created_at", new { clientId, agentId, deviceIp }, ct);

    /// <summary>Sessions with something due at or before <paramref name="now"/>: expiry, confirmation, purge.</summary>
    public Task<IReadOnlyList<Session>> DueAsync(DateTimeOffset now, CancellationToken ct) =>
        QueryAsync(
            "WHERE (status = 'AVAILABLE' AND expires_at <= @t) OR (status = 'REQUESTED' AND confirm_deadline <= @t) OR (status = 'UNAVAILABLE' AND delete_at <= @t)",
            new { t = now.ToUnixTimeMilliseconds() }, ct);

    /// <summary>The earliest future deadline, so the lifecycle loop sleeps exactly until then.</summary>
    public async Task<DateTimeOffset?> NextDeadlineAsync(CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var next = await db.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT MIN(t) FROM (
              SELECT MIN(expires_at) AS t FROM qod_sessions WHERE status = 'AVAILABLE'
              UNION ALL SELECT MIN(confirm_deadline) FROM qod_sessions WHERE status = 'REQUESTED'
              UNION ALL SELECT MIN(delete_at) FROM qod_sessions WHERE status = 'UNAVAILABLE') AS deadlines
            """, cancellationToken: ct));
        return next is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    public async Task SetGenerationAsync(IEnumerable<Guid> ids, long generation, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE qod_sessions SET generation = @generation WHERE session_id = @id AND generation = 0",
            ids.Select(id => new { id = id.ToString(), generation }).ToList(), cancellationToken: ct));
    }

    /// <summary>Writes <paramref name="next"/> only if the stored status is still <paramref name="expected"/>.</summary>
    public async Task<bool> TransitionAsync(Session next, QosStatus expected, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var row = new Row(next);
        return await db.ExecuteAsync(new CommandDefinition(
            """
            UPDATE qod_sessions SET status = @Status, status_info = @StatusInfo, duration = @Duration, started_at = @StartedAt,
              expires_at = @ExpiresAt, confirm_deadline = @ConfirmDeadline, delete_at = @DeleteAt
            WHERE session_id = @SessionId AND status = @expected
            """,
            new { row.Status, row.StatusInfo, row.Duration, row.StartedAt, row.ExpiresAt, row.ConfirmDeadline, row.DeleteAt, row.SessionId, expected = expected.ToString() },
            cancellationToken: ct)) == 1;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        return await db.ExecuteAsync(new CommandDefinition("DELETE FROM qod_sessions WHERE session_id = @id", new { id = id.ToString() }, cancellationToken: ct)) == 1;
    }

    private async Task<IReadOnlyList<Session>> QueryAsync(string where, object args, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var rows = await db.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM qod_sessions {where}", args, cancellationToken: ct));
        return [.. rows.Select(r => r.ToSession())];
    }

    /// <summary>The table's row: primitive columns only, so SQLite and PostgreSQL map it the same way.</summary>
    internal sealed class Row
    {
        public Row() { }

        public Row(Session s)
        {
            SessionId = s.SessionId.ToString();
            ClientId = s.ClientId;
            SubscriberId = s.SubscriberId;
            AgentId = s.AgentId;
            DeviceIp = s.DeviceIp;
            DeviceMac = s.DeviceMac;
            Request = JsonSerializer.Serialize(s.Request, QodJson.Default.SessionRequest);
            SinkToken = s.SinkToken;
            Duration = s.Duration;
            Status = s.Status.ToString();
            StatusInfo = s.StatusInfo?.ToString();
            Generation = s.Generation;
            CreatedAt = s.CreatedAt.ToUnixTimeMilliseconds();
            StartedAt = s.StartedAt?.ToUnixTimeMilliseconds();
            ExpiresAt = s.ExpiresAt?.ToUnixTimeMilliseconds();
            ConfirmDeadline = s.ConfirmDeadline?.ToUnixTimeMilliseconds();
            DeleteAt = s.DeleteAt?.ToUnixTimeMilliseconds();
        }

        public string SessionId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string? SubscriberId { get; set; }
        public string AgentId { get; set; } = "";
        public string DeviceIp { get; set; } = "";
        public string? DeviceMac { get; set; }
        public string Request { get; set; } = "";
        public string? SinkToken { get; set; }
        public long Duration { get; set; }
        public string Status { get; set; } = "";
        public string? StatusInfo { get; set; }
        public long Generation { get; set; }
        public long CreatedAt { get; set; }
        public long? StartedAt { get; set; }
        public long? ExpiresAt { get; set; }
        public long? ConfirmDeadline { get; set; }
        public long? DeleteAt { get; set; }
        /// <summary>Insert parameters, spelled out (Dapper's inference does not read this nested type).</summary>
        public object Parameters(string flowKey) => new
        {
            SessionId, ClientId, SubscriberId, AgentId, DeviceIp, DeviceMac, Request, SinkToken, Duration, Status,
            StatusInfo, Generation, CreatedAt, StartedAt, ExpiresAt, ConfirmDeadline, DeleteAt, flowKey,
        };

        public Session ToSession() => new(
            Guid.Parse(SessionId), ClientId, SubscriberId, AgentId, DeviceIp, DeviceMac,
            JsonSerializer.Deserialize(Request, QodJson.Default.SessionRequest)!, SinkToken, Duration,
            Enum.Parse<QosStatus>(Status), StatusInfo is null ? null : Enum.Parse<StatusInfo>(StatusInfo), Generation,
            FromMs(CreatedAt)!.Value, FromMs(StartedAt), FromMs(ExpiresAt), FromMs(ConfirmDeadline), FromMs(DeleteAt));

        private static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
    }
}
