using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CamaraQos.Controller.Storage;

/// <summary>
/// Brings the schema to the latest <see cref="MigrationScript"/>: each pending script runs in its own
/// transaction together with the row that records it in <see cref="VersionTable"/>, so a script is applied
/// entirely and once, or not at all. Several controllers may start together on one database:
/// on PostgreSQL the whole run holds a session-level advisory lock on its one connection; on SQLite each
/// script's transaction is BEGIN IMMEDIATE (the single write lock) and re-reads the version inside it.
/// </summary>
/// <remarks>
/// Hand-written rather than DbUp: DbUp reads its journal before running scripts and takes no lock, and on
/// SQLite a lock cannot be held beside it (one writer: its own per-script transactions would wait on ours).
/// </remarks>
internal sealed partial class SchemaMigrator(Database database, IReadOnlyList<MigrationScript> scripts, TimeProvider time, ILogger logger)
{
    public const string VersionTable = "schema_version";

    private const string VersionTableDdl =
        $"CREATE TABLE IF NOT EXISTS {VersionTable} (version BIGINT PRIMARY KEY, script TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    /// <summary>Advisory lock keys are scoped to the database, so one constant serves every deployment ("CamaraQS").</summary>
    private const long LockKey = 0x43616D6172615153;

    /// <summary>How long a controller waits while another one migrates the same database.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);

    /// <summary>Applies what is pending; returns the schema version now recorded.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var postgres = database.IsPostgres;
        // PostgreSQL: unpooled, so closing the connection ends the session and releases the lock even on failure.
        await using var connection = await database.OpenForMigrationAsync(LockWait, ct);
        if (postgres)
        {
            await LockAsync(connection, ct);
        }
        else
        {
            // WAL: readers do not block the writer; the expiry and outbox loops read while APIs write.
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL", cancellationToken: ct));
        }

        var current = await CurrentVersionAsync(connection, ct);
        var latest = scripts.Count == 0 ? 0 : scripts[^1].Version;
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current} ({VersionTable}), newer than this controller's latest migration {latest}: " +
                "run the newer release, or restore the backup taken before the upgrade.");
        }
        foreach (var script in scripts.Where(s => s.Version > current))
        {
            await ApplyAsync(connection, script, ct);
        }
        if (postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = LockKey }, cancellationToken: ct));
        }
        LogUpToDate(logger, latest);
        return latest;
    }

    private async Task ApplyAsync(DbConnection connection, MigrationScript script, CancellationToken ct)
    {
        await using var tx = await BeginAsync(connection, ct);
        var postgres = database.IsPostgres;
        var started = time.GetTimestamp();
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(VersionTableDdl, transaction: tx, cancellationToken: ct));
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    $"SELECT COUNT(*) FROM {VersionTable} WHERE version = @version", new { version = script.Version }, tx, cancellationToken: ct)) > 0)
            {
                return; // another controller applied it while this one waited for the write lock (SQLite)
            }
            var previousRelease = script.Version == 1 && await PreviousRelease.IsPresentAsync(connection, tx, postgres, ct);
            if (previousRelease)
            {
                LogUpgradingPreviousRelease(logger);
            }
            // No timeout: a script over a large table takes as long as it takes.
            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: tx, commandTimeout: 0, cancellationToken: ct));
            if (previousRelease)
            {
                await PreviousRelease.AddMissingColumnsAsync(connection, tx, postgres, ct);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO {VersionTable} (version, script, applied_at) VALUES (@version, @script, @appliedAt)",
                new { version = script.Version, script = script.Name, appliedAt = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        catch (DbException e)
        {
            throw new InvalidOperationException(
                $"Migration {script.Name} failed and was rolled back; the schema stays at version {script.Version - 1}: {e.Message}", e);
        }
        LogApplied(logger, script.Name, time.GetElapsedTime(started).TotalMilliseconds);
    }

    private static async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken ct)
    {
        if (connection is not SqliteConnection sqlite)
        {
            return await connection.BeginTransactionAsync(ct);
        }
        try
        {
            // IMMEDIATE takes SQLite's one write lock now, before the version is read; another migrator
            // waits here (busy timeout = LockWait) instead of reading a version about to change.
            return sqlite.BeginTransaction(deferred: false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 5 /* SQLITE_BUSY */)
        {
            throw new TimeoutException($"Another process held the SQLite write lock for {LockWait} while this controller waited to migrate.", e);
        }
    }

    private static async Task LockAsync(DbConnection connection, CancellationToken ct)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_lock(@key)", new { key = LockKey }, commandTimeout: (int)LockWait.TotalSeconds, cancellationToken: ct));
        }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException)
        {
            throw new TimeoutException($"Another controller held the schema migration lock (pg_advisory_lock {LockKey}) for {LockWait}.", e);
        }
    }

    private static async Task<int> CurrentVersionAsync(DbConnection connection, CancellationToken ct) =>
        await SchemaCatalog.TableExistsAsync(connection, null, connection is NpgsqlConnection, VersionTable, ct)
            ? (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COALESCE(MAX(version), 0) FROM {VersionTable}", cancellationToken: ct))
            : 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Script} in {ElapsedMs:F0} ms")]
    private static partial void LogApplied(ILogger logger, string script, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "The database has tables but no schema_version: created by the release before versioned migrations; bringing it to the baseline, keeping its rows")]
    private static partial void LogUpgradingPreviousRelease(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is at version {Version}")]
    private static partial void LogUpToDate(ILogger logger, int version);
}
