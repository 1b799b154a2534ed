using System.Data.Common;
using Dapper;

namespace CamaraQos.Controller.Storage;

/// <summary>
/// A database created before versioned migrations: the controller made its tables at each start with
/// CREATE TABLE IF NOT EXISTS and then added nullable columns that were missing, and kept no version.
/// Such a database has tables but no <c>schema_version</c>; the baseline (written IF NOT EXISTS) fills
/// in missing tables and indexes and <see cref="AddMissingColumnsAsync"/> does that release's last step once.
/// </summary>
internal static class PreviousRelease
{
    /// <summary>That release's "added columns": nullable columns added to a table after it first shipped.</summary>
    private static readonly (string Table, string Column, string Type)[] AddedColumns =
    [
        ("insights_subscriptions", "device_mac", "TEXT"),
    ];

    /// <summary>Every table that release created; any one present means the database is not empty.</summary>
    private static readonly string[] Tables =
    [
        "subscribers", "subscriber_identifiers", "agents", "notification_outbox", "qod_sessions",
        "qos_assignments", "application_profiles", "insights_subscriptions", "home_device_qos",
    ];

    public static async Task<bool> IsPresentAsync(DbConnection connection, DbTransaction tx, bool postgres, CancellationToken ct)
    {
        foreach (var table in Tables)
        {
            if (await SchemaCatalog.TableExistsAsync(connection, tx, postgres, table, ct))
            {
                return true;
            }
        }
        return false;
    }

    public static async Task AddMissingColumnsAsync(DbConnection connection, DbTransaction tx, bool postgres, CancellationToken ct)
    {
        foreach (var (table, column, type) in AddedColumns)
        {
            if (!await SchemaCatalog.ColumnExistsAsync(connection, tx, postgres, table, column, ct))
            {
                await connection.ExecuteAsync(new CommandDefinition($"ALTER TABLE {table} ADD COLUMN {column} {type} NULL", transaction: tx, cancellationToken: ct));
            }
        }
    }
}

/// <summary>What the database itself says about its tables (the current schema on PostgreSQL).</summary>
internal static class SchemaCatalog
{
    public static async Task<bool> TableExistsAsync(DbConnection connection, DbTransaction? tx, bool postgres, string table, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            postgres
                ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table",
            new { table }, tx, cancellationToken: ct)) > 0;

    public static async Task<bool> ColumnExistsAsync(DbConnection connection, DbTransaction? tx, bool postgres, string table, string column, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            postgres
                ? "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND column_name = @column"
                : "SELECT COUNT(*) FROM pragma_table_info(@table) WHERE name = @column",
            new { table, column }, tx, cancellationToken: ct)) > 0;
}
