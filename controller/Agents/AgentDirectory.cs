using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CamaraQos.Shared;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// Registered agents and their latest state, served from memory and written through to the
/// <c>agents</c> table. Loaded at start (after the migrator, before the broker accepts anyone).
/// </summary>
public sealed partial class AgentDirectory(AgentStore store, TimeProvider time, ILogger<AgentDirectory> logger)
    : IAgentDirectory, IHostedService
{
    private sealed record Entry(string? PasswordHash, AgentView View, byte[]? VerifiedDigest = null);

    private readonly ConcurrentDictionary<string, Entry> _agents = new(StringComparer.Ordinal);

    // Status updates of one agent are applied in order; the embedded client delivers sequentially anyway.
    private readonly Lock _gate = new();

    public AgentView? Find(string agentId) => _agents.TryGetValue(agentId, out var e) ? e.View : null;

    public IReadOnlyList<AgentView> All() => [.. _agents.Values.Select(e => e.View).OrderBy(v => v.AgentId, StringComparer.Ordinal)];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var row in await store.AllAsync(cancellationToken))
        {
            if (row.Deleted == 0)
            {
                _agents[row.AgentId] = new Entry(row.PasswordHash, ViewOf(row));
            }
        }
        LogLoaded(logger, _agents.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Registers or replaces an agent's MQTT credentials; true when the agent is new.</summary>
    public async Task<bool> RegisterAsync(string agentId, string password, CancellationToken ct)
    {
        var hash = PasswordHash.Create(password);
        var created = await store.SetPasswordAsync(agentId, hash, ct);
        lock (_gate)
        {
            _agents[agentId] = _agents.TryGetValue(agentId, out var old)
                ? old with { PasswordHash = hash, VerifiedDigest = null }
                : new Entry(hash, Empty(agentId));
        }
        return created;
    }

    public async Task<bool> DeleteAsync(string agentId, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_agents.TryRemove(agentId, out _))
            {
                return false;
            }
        }
        await store.DeleteAsync(agentId, ct);
        return true;
    }

    /// <summary>
    /// Checks an agent's broker credentials. PBKDF2 runs once per password; later connections compare
    /// a SHA-256 digest in constant time, so a reconnect storm of a whole fleet stays cheap.
    /// </summary>
    public bool VerifyPassword(string agentId, string? password)
    {
        if (password is null || !_agents.TryGetValue(agentId, out var entry) || entry.PasswordHash is null)
        {
            return false;
        }
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        if (entry.VerifiedDigest is { } known)
        {
            return CryptographicOperations.FixedTimeEquals(known, digest);
        }
        if (!PasswordHash.Verify(password, entry.PasswordHash))
        {
            return false;
        }
        _agents.TryUpdate(agentId, entry with { VerifiedDigest = digest }, entry);
        return true;
    }

    internal static AgentView Empty(string agentId) =>
        new(agentId, false, 0, null, new WanAddresses([], []), [], [], 0, 0, null);

    private static AgentView ViewOf(AgentRow row)
    {
        var status = Parse(row.StatusJson);
        var view = Empty(row.AgentId) with
        {
            DesiredGeneration = row.DesiredGeneration,
            ObservedGeneration = row.ObservedGeneration,
            LastSeen = row.LastSeen is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
        };
        return status is null ? view : WithStatus(view, status);
    }

    private static AgentStatus? Parse(string? json)
    {
        try
        {
            return json is null ? null : JsonSerializer.Deserialize(json, ContractJson.Default.AgentStatus);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static AgentView WithStatus(AgentView view, AgentStatus status) => view with
    {
        Online = status.Online,
        BootEpoch = status.BootEpoch,
        // A Last Will carries only the epoch: keep the inventory the birth announced.
        Capabilities = status.Capabilities ?? view.Capabilities,
        Wan = status.Wan ?? view.Wan,
        LanPrefixes = status.LanPrefixes ?? view.LanPrefixes,
        Inventory = status.Inventory ?? view.Inventory,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} agents")]
    private static partial void LogLoaded(ILogger logger, int count);
}
