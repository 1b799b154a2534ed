using System.Collections.Concurrent;
using System.Data.Common;
using CamaraQos.Controller.Storage;
using CamaraQos.Controller.Tests.TestHost;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamaraQos.Controller.Tests.Storage;

/// <summary>One empty database of a test's own: a SQLite file in a temp directory, or a fresh PostgreSQL database.</summary>
public abstract class StorageUnderTest : IDisposable
{
    public abstract StorageOptions Options { get; }

    public bool IsPostgres => Options.Provider == StorageProvider.Postgres;

    public static StorageUnderTest Create(StorageProvider provider) =>
        provider == StorageProvider.Postgres ? new PostgresStorage() : new SqliteStorage();

    public Database NewDatabase(ILogger<Database>? logger = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, logger ?? NullLogger<Database>.Instance);

    /// <summary>Runs a script (several statements) the way the previous release's tables were made: outside any migrator.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await NewDatabase().OpenAsync();
        await connection.ExecuteAsync(sql);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await NewDatabase().OpenAsync();
        return [.. await connection.QueryAsync<T>(sql)];
    }

    public async Task<IReadOnlyList<(long Version, string Script)>> VersionsAsync()
    {
        await using var connection = await NewDatabase().OpenAsync();
        return [.. await connection.QueryAsync<(long, string)>("SELECT version, script FROM schema_version ORDER BY version")];
    }

    public async Task<bool> TableExistsAsync(string table)
    {
        await using var connection = await NewDatabase().OpenAsync();
        return await SchemaCatalog.TableExistsAsync(connection, null, IsPostgres, table, default);
    }

    /// <summary>Every column (position, type, nullability, default, key) and index as the database describes them.</summary>
    public async Task<IReadOnlyList<string>> SchemaAsync()
    {
        await using var connection = await NewDatabase().OpenAsync();
        return IsPostgres ? await PostgresSchemaAsync(connection) : await SqliteSchemaAsync(connection);
    }

    private static async Task<IReadOnlyList<string>> SqliteSchemaAsync(DbConnection c) =>
    [
        .. await c.QueryAsync<string>(
            """
            SELECT m.name || '.' || p.cid || ' ' || p.name || ' ' || p.type || ' notnull=' || p."notnull" || ' default=' || COALESCE(p.dflt_value, '') || ' pk=' || p.pk
            FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1
            """),
        .. await c.QueryAsync<string>(
            """
            SELECT 'index ' || m.name || ' on ' || m.tbl_name || ' unique=' || l."unique" || ' (' ||
                   (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno)) || ')'
            FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name WHERE m.type = 'index' ORDER BY 1
            """),
    ];

    private static async Task<IReadOnlyList<string>> PostgresSchemaAsync(DbConnection c) =>
    [
        .. await c.QueryAsync<string>(
            """
            SELECT table_name || '.' || ordinal_position || ' ' || column_name || ' ' || data_type || ' nullable=' || is_nullable || ' default=' || COALESCE(column_default, '')
            FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1
            """),
        .. await c.QueryAsync<string>("SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"),
        .. await c.QueryAsync<string>(
            """
            SELECT 'constraint ' || tc.table_name || ' ' || tc.constraint_type || ' ' || tc.constraint_name
            FROM information_schema.table_constraints tc WHERE tc.table_schema = current_schema() AND tc.constraint_type <> 'CHECK' ORDER BY 1
            """),
    ];

    public abstract void Dispose();

    private sealed class SqliteStorage : StorageUnderTest
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("camaraqos-migrations-").FullName;

        public override StorageOptions Options => new()
        {
            Provider = StorageProvider.Sqlite,
            ConnectionString = $"Data Source={Path.Combine(_directory, "controller.db")}",
        };

        public override void Dispose()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private sealed class PostgresStorage : StorageUnderTest
    {
        private readonly TestPostgres _database = TestPostgres.Create();

        public override StorageOptions Options => new() { Provider = StorageProvider.Postgres, ConnectionString = _database.ConnectionString };

        public override void Dispose() => _database.Dispose();
    }
}

/// <summary>Keeps what the migrator logged, to count how often each script was applied.</summary>
public sealed class RecordingLogger : ILogger<Database>
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Messages.Enqueue(formatter(state, exception));
}
