using Npgsql;
using Xunit;

namespace CamaraQos.Controller.Tests.Health;

/// <summary>
/// A database of the test's own on the private PostgreSQL named by <c>CAMARAQOS_TEST_POSTGRES</c> (tests/run.sh
/// starts one); dropped on dispose. Without the variable the test skips, saying why.
/// </summary>
internal sealed class TestPostgres : IAsyncDisposable
{
    public const string Variable = "CAMARAQOS_TEST_POSTGRES";

    private readonly string _admin;

    private TestPostgres(string admin, string name)
    {
        _admin = admin;
        Name = name;
    }

    public string Name { get; }

    /// <summary>The new database's connection string, through <paramref name="host"/>:<paramref name="port"/> when given (a relay).</summary>
    public string ConnectionString(string? host = null, int? port = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(_admin) { Database = Name };
        builder.Host = host ?? builder.Host;
        builder.Port = port ?? builder.Port;
        return builder.ConnectionString;
    }

    public NpgsqlConnectionStringBuilder Server => new(_admin);

    public static async Task<TestPostgres> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(admin))
        {
            Assert.Skip($"{Variable} is not set: no private PostgreSQL to test against (tests/run.sh starts one).");
        }
        var name = $"camaraqos_health_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new TestPostgres(admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
