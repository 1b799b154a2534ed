using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
/// Opens connections to the configured database; at start brings its schema up to date with the scripts
/// in <c>Storage/Migrations</c> (<see cref="SchemaMigrator"/>). Stores keep their own SQL, written in the
/// subset SQLite and PostgreSQL share (TEXT, BIGINT, text ids, <c>ON CONFLICT ... DO UPDATE</c>).
/// </summary>
public sealed class Database(IOptions<StorageOptions> options, TimeProvider time, ILogger<Database> logger)
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

    /// <summary>Applies every pending migration embedded in the controller.</summary>
    public async Task MigrateAsync(CancellationToken ct)
    {
        await new SchemaMigrator(this, MigrationScript.Embedded(_options.Provider), time, logger).RunAsync(ct);
        IsMigrated = true;
    }

    /// <summary>
    /// The migrator's connection. PostgreSQL: unpooled, so its session (and advisory lock) ends with it.
    /// SQLite: waits up to <paramref name="lockWait"/> for the write lock another migrator holds.
    /// </summary>
    internal async Task<DbConnection> OpenForMigrationAsync(TimeSpan lockWait, CancellationToken ct)
    {
        DbConnection connection = IsPostgres
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_options.ConnectionString) { Pooling = false }.ConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder(_options.ConnectionString) { DefaultTimeout = (int)lockWait.TotalSeconds }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}

public static class StorageSetup
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration("Storage")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "Storage:ConnectionString must not be empty.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Database>();
        builder.Services.AddSingleton<Leases>();
        // First hosted service registered, so tables exist before the broker or any loop starts.
        builder.Services.AddHostedService<Migrator>();
        return builder;
    }

    private sealed class Migrator(Database database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
