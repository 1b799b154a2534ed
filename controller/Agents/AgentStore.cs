using CamaraQos.Controller.Storage;
using Dapper;

namespace CamaraQos.Controller.Agents;

/// <summary>One row of the <c>agents</c> table.</summary>
public sealed record AgentRow(
    string AgentId,
    string? PasswordHash,
    string? StatusJson,
    long BootEpoch,
    long Online,
    long DesiredGeneration,
    long ObservedGeneration,
    string? DesiredJson,
    long? LastSeen,
    long Deleted);

/// <summary>
/// The <c>agents</c> table. A deleted agent keeps its row (flagged) so its generation counter survives:
/// a re-registered gateway still holds the old document on disk and ignores lower generations (§4).
/// </summary>
public sealed class AgentStore(Database database)
{
    private const string Columns =
        "agent_id AS AgentId, password_hash AS PasswordHash, status_json AS StatusJson, boot_epoch AS BootEpoch, " +
        "online AS Online, desired_generation AS DesiredGeneration, observed_generation AS ObservedGeneration, " +
        "desired_json AS DesiredJson, last_seen AS LastSeen, deleted AS Deleted";

    public async Task<IReadOnlyList<AgentRow>> AllAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync<AgentRow>(new CommandDefinition($"SELECT {Columns} FROM agents", cancellationToken: ct));
        return [.. rows];
    }

    /// <summary>Creates or revives the agent with new credentials; true when it did not exist (or was deleted).</summary>
    public async Task<bool> SetPasswordAsync(string agentId, string passwordHash, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var existing = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT deleted FROM agents WHERE agent_id = @agentId", new { agentId }, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO agents (agent_id, password_hash) VALUES (@agentId, @passwordHash)
            ON CONFLICT (agent_id) DO UPDATE SET password_hash = excluded.password_hash, deleted = 0
            """, new { agentId, passwordHash }, cancellationToken: ct));
        return existing is null or 1;
    }

    public async Task DeleteAsync(string agentId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE agents SET deleted = 1, password_hash = NULL, status_json = NULL, online = 0 WHERE agent_id = @agentId",
            new { agentId }, cancellationToken: ct));
    }

    public async Task SaveStatusAsync(string agentId, string statusJson, long bootEpoch, bool online, long lastSeen, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO agents (agent_id, status_json, boot_epoch, online, last_seen)
            VALUES (@agentId, @statusJson, @bootEpoch, @online, @lastSeen)
            ON CONFLICT (agent_id) DO UPDATE SET status_json = excluded.status_json, boot_epoch = excluded.boot_epoch,
                online = excluded.online, last_seen = excluded.last_seen
            """, new { agentId, statusJson, bootEpoch, online = online ? 1L : 0L, lastSeen }, cancellationToken: ct));
    }

    public async Task SaveObservedAsync(string agentId, long observedGeneration, long lastSeen, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE agents SET observed_generation = @observedGeneration, last_seen = @lastSeen WHERE agent_id = @agentId",
            new { agentId, observedGeneration, lastSeen }, cancellationToken: ct));
    }

    /// <summary>
    /// Reserves the next generation, persisted before anything is published, in one atomic statement
    /// so controllers sharing PostgreSQL never hand out the same number (RETURNING: SQLite ≥ 3.35, PostgreSQL).
    /// </summary>
    public async Task<long> NextGenerationAsync(string agentId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO agents (agent_id, deleted) VALUES (@agentId, 1) ON CONFLICT (agent_id) DO NOTHING",
            new { agentId }, cancellationToken: ct));
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "UPDATE agents SET desired_generation = desired_generation + 1 WHERE agent_id = @agentId RETURNING desired_generation",
            new { agentId }, cancellationToken: ct));
    }

    public async Task SaveDesiredAsync(string agentId, long generation, string desiredJson, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE agents SET desired_json = @desiredJson WHERE agent_id = @agentId AND desired_generation = @generation",
            new { agentId, generation, desiredJson }, cancellationToken: ct));
    }
}
