using System.Data.Common;
using CamaraQos.Controller.Storage;
using Dapper;

namespace CamaraQos.Controller.QosProvisioning;

/// <summary>
/// Assignments in the database. State changes are conditional UPDATEs on the expected state, so the
/// API, the agent observer and the purge loop can race without a transition happening twice.
/// </summary>
public sealed class AssignmentStore(Database database)
{
    private const string Columns = "assignment_id, client_id, subscriber_id, agent_id, device_ip, device_mac, request, sink_token, status, status_info, generation, revoke_generation, created_at, started_at, delete_at";

    private const string SameDevice = "agent_id = @agentId AND (device_key = @deviceKey OR device_ip = @deviceIp)";

    /// <summary>
    /// Inserts unless the device already has an assignment in any state: the spec asks clients to
    /// revoke even an UNAVAILABLE one before assigning again (createQosAssignment, specs/camara/NOTES.md). False on conflict.
    /// The SELECT sees stored rows (also one by the device's address); between two concurrent creates the
    /// unique index qos_assignments_one_active_per_device (migration 0004) refuses the second.
    /// </summary>
    public async Task<bool> TryInsertAsync(Assignment a, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var conflict = await db.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM qos_assignments WHERE {SameDevice}",
            new { agentId = a.AgentId, deviceKey = a.DeviceKey, deviceIp = a.DeviceIp }, tx, cancellationToken: ct));
        if (conflict > 0)
        {
            return false;
        }
        try
        {
            await db.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO qos_assignments ({Columns}, device_key) VALUES (@AssignmentId, @ClientId, @SubscriberId, @AgentId, @DeviceIp, @DeviceMac, @Request, @SinkToken, @Status, @StatusInfo, @Generation, @RevokeGeneration, @CreatedAt, @StartedAt, @DeleteAt, @DeviceKey)",
                new AssignmentRow(a).Parameters(), tx, cancellationToken: ct));
        }
        catch (DbException e) when (UniqueViolation.Is(e))
        {
            return false; // a concurrent create for the same device got there first (qos_assignments_one_active_per_device)
        }
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<Assignment?> FindAsync(Guid id, CancellationToken ct) =>
        (await QueryAsync("WHERE assignment_id = @id", new { id = id.ToString() }, ct)).SingleOrDefault();

    /// <summary>Every assignment of an agent, in any state.</summary>
    public Task<IReadOnlyList<Assignment>> ForAgentAsync(string agentId, CancellationToken ct) =>
        QueryAsync("WHERE agent_id = @agentId ORDER BY created_at", new { agentId }, ct);

    public async Task<Assignment?> ForDeviceAsync(string agentId, string? mac, string deviceIp, CancellationToken ct) =>
        (await QueryAsync($"WHERE {SameDevice}", new { agentId, deviceKey = Assignment.DeviceKeyOf(mac, deviceIp), deviceIp }, ct)).FirstOrDefault();

    public Task SetGenerationAsync(Guid id, long generation, CancellationToken ct) =>
        ExecuteAsync("UPDATE qos_assignments SET generation = @generation WHERE assignment_id = @id AND generation = 0", new { id = id.ToString(), generation }, ct);

    /// <summary>Marks an AVAILABLE assignment as being revoked; false if it is not AVAILABLE or already revoking.</summary>
    public async Task<bool> BeginRevokeAsync(Guid id, CancellationToken ct) =>
        await ExecuteAsync(
            "UPDATE qos_assignments SET revoke_generation = @pending WHERE assignment_id = @id AND status = 'AVAILABLE' AND revoke_generation = 0",
            new { id = id.ToString(), pending = long.MaxValue }, ct) == 1;

    /// <summary>The generation that no longer carries the assignment (replaces the pending marker).</summary>
    public Task SetRevokeGenerationAsync(Guid id, long generation, CancellationToken ct) =>
        ExecuteAsync("UPDATE qos_assignments SET revoke_generation = @generation WHERE assignment_id = @id AND revoke_generation > 0", new { id = id.ToString(), generation }, ct);

    public Task UpdateDeviceIpAsync(Guid id, string deviceIp, CancellationToken ct) =>
        ExecuteAsync("UPDATE qos_assignments SET device_ip = @deviceIp WHERE assignment_id = @id", new { id = id.ToString(), deviceIp }, ct);

    /// <summary>Writes <paramref name="next"/>'s state only if the stored status is still <paramref name="expected"/>.</summary>
    public async Task<bool> TransitionAsync(Assignment next, AssignmentStatus expected, CancellationToken ct)
    {
        var row = new AssignmentRow(next);
        return await ExecuteAsync(
            "UPDATE qos_assignments SET status = @Status, status_info = @StatusInfo, started_at = @StartedAt, delete_at = @DeleteAt WHERE assignment_id = @AssignmentId AND status = @expected AND revoke_generation = 0",
            new { row.Status, row.StatusInfo, row.StartedAt, row.DeleteAt, row.AssignmentId, expected = expected.ToString() }, ct) == 1;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct) =>
        await ExecuteAsync("DELETE FROM qos_assignments WHERE assignment_id = @id", new { id = id.ToString() }, ct) == 1;

    /// <summary>UNAVAILABLE assignments past their retention time (spec: at earliest 360 s after).</summary>
    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct) =>
        ExecuteAsync("DELETE FROM qos_assignments WHERE status = 'UNAVAILABLE' AND delete_at <= @t", new { t = now.ToUnixTimeMilliseconds() }, ct);

    private async Task<int> ExecuteAsync(string sql, object args, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        return await db.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct));
    }

    private async Task<IReadOnlyList<Assignment>> QueryAsync(string where, object args, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var rows = await db.QueryAsync<AssignmentRow>(new CommandDefinition($"SELECT {Columns} FROM qos_assignments {where}", args, cancellationToken: ct));
        return [.. rows.Select(r => r.ToAssignment())];
    }
}
