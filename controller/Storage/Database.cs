using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CamaraQos.Controller.Storage;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;
    public string ConnectionString { get; set; } = "Data Source=camaraqos.db";
}

/// <summary>
/// A feature's tables. DDL is written in the subset SQLite and PostgreSQL share (TEXT, BIGINT,
/// DOUBLE PRECISION, text ids, <c>ON CONFLICT ... DO UPDATE</c>), so one statement serves both.
/// </summary>
public interface IStoreSchema
{
    IEnumerable<string> Statements { get; }

    /// <summary>
    /// Nullable columns added to a table after it first shipped: added at start where missing, so a database
    /// created by an earlier version keeps its rows (CREATE TABLE IF NOT EXISTS would leave it as it was).
    /// </summary>
    IEnumerable<AddedColumn> AddedColumns => [];
}

/// <param name="Type">A type both databases know (TEXT, BIGINT); the column is nullable.</param>
public sealed record AddedColumn(string Table, string Column, string Type);

/// <summary>Opens connections to the configured database; creates every feature's tables at start.</summary>
public sealed class Database(IOptions<StorageOptions> options)
{
    private readonly StorageOptions _options = options.Value;

    // Columns are snake_case, row classes PascalCase.
    static Database() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

    public bool IsPostgres => _options.Provider == StorageProvider.Postgres;

    /// <summary>True once <see cref="MigrateAsync"/> has brought the schema up to date in this process.</summary>
    public bool IsMigrated { get; private set; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection connection = IsPostgres
            ? new NpgsqlConnection(_options.ConnectionString)
            : new SqliteConnection(_options.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public async Task MigrateAsync(IEnumerable<IStoreSchema> schemas, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        if (!IsPostgres)
        {
            // WAL: readers do not block the writer; the expiry and outbox loops read while APIs write.
            await Execute(connection, "PRAGMA journal_mode=WAL;", ct);
        }
        foreach (var statement in schemas.SelectMany(s => s.Statements))
        {
            await Execute(connection, statement, ct);
        }
        foreach (var added in schemas.SelectMany(s => s.AddedColumns))
        {
            await AddColumnAsync(connection, added, ct);
        }
        IsMigrated = true;
    }

    private async Task AddColumnAsync(DbConnection connection, AddedColumn added, CancellationToken ct)
    {
        if (IsPostgres)
        {
            await Execute(connection, $"ALTER TABLE {added.Table} ADD COLUMN IF NOT EXISTS {added.Column} {added.Type} NULL", ct);
            return;
        }
        // SQLite has no ADD COLUMN IF NOT EXISTS: ask the table first.
        await using var exists = connection.CreateCommand();
        exists.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{added.Table}') WHERE name = '{added.Column}'";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            await Execute(connection, $"ALTER TABLE {added.Table} ADD COLUMN {added.Column} {added.Type} NULL", ct);
        }
    }

    private static async Task Execute(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}

public static class StorageSetup
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration("Storage")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "Storage:ConnectionString must not be empty.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Database>();
        // First hosted service registered, so tables exist before the broker or any loop starts.
        builder.Services.AddHostedService<Migrator>();
        return builder;
    }

    // Schemas are taken here, not by Database, so stores may depend on Database without a cycle.
    private sealed class Migrator(Database database, IEnumerable<IStoreSchema> schemas) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(schemas, cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
