using System.Data.Common;
using CamaraQos.Controller.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Observability;

/// <summary>
/// Resources by state and the outbox's backlog, read from the database (the truth when several
/// controllers share it): one GROUP BY per table, refreshed at most every
/// <see cref="ObservabilityOptions.StateRefreshSeconds"/>, however many gauges and labels read it.
/// </summary>
public sealed partial class StateCounts(Database database, TimeProvider time, IOptions<ObservabilityOptions> options, ILogger<StateCounts> logger)
{
    /// <summary>Counts keyed by table, then by the state column's value.</summary>
    public sealed record Snapshot(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByState,
        long OutboxPending,
        long OutboxFailed,
        DateTimeOffset? OldestPendingAt)
    {
        public static readonly Snapshot Empty = new(new Dictionary<string, IReadOnlyDictionary<string, long>>(), 0, 0, null);

        public long Count(string table, string state) =>
            ByState.TryGetValue(table, out var states) && states.TryGetValue(state, out var n) ? n : 0;
    }

    /// <summary>The query of each resource counted: state and count, grouped by its state column.</summary>
    private static readonly (string Table, string Sql)[] Queries =
    [
        ("qod_sessions", "SELECT status AS State, COUNT(*) AS Count FROM qod_sessions GROUP BY status"),
        ("qos_assignments", "SELECT status AS State, COUNT(*) AS Count FROM qos_assignments GROUP BY status"),
        ("home_device_qos", "SELECT service_class AS State, COUNT(*) AS Count FROM home_device_qos GROUP BY service_class"),
        // Stored subscriptions are the active ones: an ended subscription's row is deleted.
        ("insights_subscriptions", "SELECT 'ACTIVE' AS State, COUNT(*) AS Count FROM insights_subscriptions"),
    ];

    private readonly Lock _gate = new();
    private Snapshot _snapshot = Snapshot.Empty;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <summary>
    /// The latest counts, refreshed first when older than allowed. Synchronous because metric callbacks
    /// are; the lock makes concurrent scrapes share one refresh.
    /// </summary>
    public Snapshot Current()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (database.IsMigrated && now - _readAt >= TimeSpan.FromSeconds(options.Value.StateRefreshSeconds))
            {
                try
                {
                    _snapshot = ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
                    _readAt = now;
                }
                catch (DbException e)
                {
                    // A database hiccup must not fail the scrape: the last counts stay, the log says why.
                    LogReadFailed(logger, e);
                }
            }
            return _snapshot;
        }
    }

    private async Task<Snapshot> ReadAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var byState = new Dictionary<string, IReadOnlyDictionary<string, long>>();
        foreach (var (table, sql) in Queries)
        {
            var rows = await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(sql, cancellationToken: ct));
            byState[table] = rows.ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal);
        }
        var outbox = (await connection.QueryAsync<(string State, long Count, long? Oldest)>(new CommandDefinition(
            "SELECT state AS State, COUNT(*) AS Count, MIN(created_at) AS Oldest FROM notification_outbox WHERE state IN ('pending', 'failed') GROUP BY state",
            cancellationToken: ct))).ToDictionary(r => r.State, StringComparer.Ordinal);
        var pending = outbox.GetValueOrDefault("pending");
        return new Snapshot(byState, pending.Count, outbox.GetValueOrDefault("failed").Count,
            pending.Oldest is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading resource counts for /metrics failed; serving the previous counts")]
    private static partial void LogReadFailed(ILogger logger, Exception error);
}
