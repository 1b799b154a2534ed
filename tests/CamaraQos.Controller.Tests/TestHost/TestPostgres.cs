using CamaraQos.TestSupport;
using Npgsql;
using Xunit;

namespace CamaraQos.Controller.Tests.TestHost;

/// <summary>
/// A fresh PostgreSQL database of its own for one test, on the private server tests/run.sh starts and names
/// in <see cref="Variable"/> (a superuser connection string); dropped when disposed. Without a server the
/// test skips with the reason; in CI (CI=true) that is a failure, as for privileged tests.
/// </summary>
public sealed class TestPostgres : IDisposable
{
    public const string Variable = "CAMARAQOS_TEST_POSTGRES";

    private readonly string _server;

    private TestPostgres(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server ? server : null;

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The server's port, for a relay in front of it.</summary>
    public int Port => new NpgsqlConnectionStringBuilder(_server).Port;

    /// <summary>This database reached through another address, e.g. a relay the test can cut.</summary>
    public string ConnectionStringVia(string host, int port) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Host = host, Port = port }.ConnectionString;

    /// <summary>Creates the database, or skips the calling test when no server is configured.</summary>
    public static TestPostgres Create()
    {
        var server = Server;
        if (server is null)
        {
            var reason = $"PostgreSQL tests need a server: set {Variable} to a superuser connection string (tests/run.sh starts a private one).";
            if (Privileged.InCi)
            {
                Assert.Fail(reason + " CI runs tests/run.sh; this must not be skipped.");
            }
            Assert.Skip(reason);
            throw new InvalidOperationException(reason); // not reached: Assert.Skip throws
        }
        var name = $"camaraqos_test_{Guid.NewGuid():N}";
        Admin(server, $"CREATE DATABASE \"{name}\"");
        return new TestPostgres(server, name);
    }

    public void Dispose()
    {
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        // FORCE: a host under test may still hold a connection it had not returned yet.
        Admin(_server, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static void Admin(string server, string sql)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
