using System.Data.Common;
using CamaraQos.Controller.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace CamaraQos.Controller.Tests.Storage;

public sealed class SqliteUniqueIndexTests() : UniqueIndexTests(StorageProvider.Sqlite);

/// <summary>Needs the private PostgreSQL tests/run.sh starts (CAMARAQOS_TEST_POSTGRES); skips without it, fails in CI.</summary>
public sealed class PostgresUniqueIndexTests() : UniqueIndexTests(StorageProvider.Postgres);

/// <summary>Migration 0004 (one active session per device and flow, one active assignment per device) on each provider.</summary>
public abstract class UniqueIndexTests(StorageProvider provider) : IDisposable
{
    private const string SessionColumns =
        "session_id, client_id, agent_id, device_ip, flow_key, request, duration, status, generation, created_at";

    private const string AssignmentColumns =
        "assignment_id, client_id, agent_id, device_ip, device_key, request, status, generation, revoke_generation, created_at";

    private StorageUnderTest? _storage;

    private StorageUnderTest Storage => _storage ??= StorageUnderTest.Create(provider);

    public void Dispose()
    {
        _storage?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Session(string id, string flow, string status, long createdAt) =>
        $"INSERT INTO qod_sessions ({SessionColumns}) VALUES ('{id}', 'c', 'gw-1', '192.168.1.10', '{flow}', '{{}}', 60, '{status}', 1, {createdAt});";

    private static string Assignment(string id, string deviceKey, string status, long createdAt) =>
        $"INSERT INTO qos_assignments ({AssignmentColumns}) VALUES ('{id}', 'c', 'gw-1', '192.168.1.10', '{deviceKey}', '{{}}', '{status}', 1, 0, {createdAt});";

    [Fact]
    public async Task UpgradingADatabaseWithDuplicateActiveRowsKeepsTheAvailableOrEarliestAndEndsTheOthersForTheRetentionTime()
    {
        var ct = TestContext.Current.CancellationToken;
        var scripts = MigrationScript.Embedded(provider);
        await new SchemaMigrator(Storage.NewDatabase(), [.. scripts.Where(s => s.Version < 4)], TimeProvider.System, NullLogger.Instance).RunAsync(ct);
        // What concurrent POSTs left on PostgreSQL before 0004: three active sessions for one flow, two assignments for one device.
        await Storage.ExecuteAsync(string.Concat(
            Session("s-early-requested", "flow-a", "REQUESTED", 100),
            Session("s-available", "flow-a", "AVAILABLE", 200),
            Session("s-late-requested", "flow-a", "REQUESTED", 300),
            Session("s-old-ended", "flow-a", "UNAVAILABLE", 50),
            Session("s-other-flow", "flow-b", "AVAILABLE", 400),
            Assignment("a-first", "mac:02:00:00:00:00:01", "REQUESTED", 100),
            Assignment("a-second", "mac:02:00:00:00:00:01", "REQUESTED", 200),
            Assignment("a-other-device", "mac:02:00:00:00:00:02", "AVAILABLE", 300)));
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await Storage.NewDatabase().MigrateAsync(ct);

        var sessions = (await Storage.QueryAsync<(string, string, string?, long?)>(
            "SELECT session_id, status, status_info, delete_at FROM qod_sessions ORDER BY session_id")).ToDictionary(r => r.Item1);
        Assert.Equal(("AVAILABLE", (string?)null), (sessions["s-available"].Item2, sessions["s-available"].Item3));
        Assert.Equal(("AVAILABLE", (string?)null), (sessions["s-other-flow"].Item2, sessions["s-other-flow"].Item3));
        Assert.Equal("UNAVAILABLE", sessions["s-old-ended"].Item2);
        foreach (var ended in new[] { "s-early-requested", "s-late-requested" })
        {
            Assert.Equal(("UNAVAILABLE", "NETWORK_TERMINATED"), (sessions[ended].Item2, sessions[ended].Item3));
            Assert.InRange(sessions[ended].Item4!.Value, before + 360_000 - 5_000, before + 360_000 + 60_000);
        }
        var assignments = (await Storage.QueryAsync<(string, string, string?)>(
            "SELECT assignment_id, status, status_info FROM qos_assignments")).ToDictionary(r => r.Item1);
        Assert.Equal(("REQUESTED", (string?)null), (assignments["a-first"].Item2, assignments["a-first"].Item3));
        Assert.Equal(("UNAVAILABLE", "NETWORK_TERMINATED"), (assignments["a-second"].Item2, assignments["a-second"].Item3));
        Assert.Equal("AVAILABLE", assignments["a-other-device"].Item2);
    }

    [Fact]
    public async Task ASecondActiveSessionForOneFlowIsAUniqueViolationWhileEndedOnesAndOtherFlowsAreNot()
    {
        await Storage.NewDatabase().MigrateAsync(TestContext.Current.CancellationToken);
        await Storage.ExecuteAsync(Session("s-1", "flow-a", "AVAILABLE", 1));
        await Storage.ExecuteAsync(Session("s-ended-1", "flow-a", "UNAVAILABLE", 2) + Session("s-ended-2", "flow-a", "UNAVAILABLE", 3));
        await Storage.ExecuteAsync(Session("s-2", "flow-b", "REQUESTED", 4));

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => Storage.ExecuteAsync(Session("s-3", "flow-a", "REQUESTED", 5)));

        Assert.True(UniqueViolation.Is(refused), refused.Message);
    }

    [Fact]
    public async Task ASecondActiveAssignmentForOneDeviceIsAUniqueViolation()
    {
        await Storage.NewDatabase().MigrateAsync(TestContext.Current.CancellationToken);
        await Storage.ExecuteAsync(Assignment("a-1", "mac:02:00:00:00:00:01", "AVAILABLE", 1));

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => Storage.ExecuteAsync(Assignment("a-2", "mac:02:00:00:00:00:01", "REQUESTED", 2)));

        Assert.True(UniqueViolation.Is(refused), refused.Message);
    }

    [Fact]
    public async Task AHomeDeviceHasOneClassRowTheSecondInsertIsAUniqueViolationOfItsPrimaryKey()
    {
        await Storage.NewDatabase().MigrateAsync(TestContext.Current.CancellationToken);
        const string Row = "INSERT INTO home_device_qos VALUES ('gw-1', '02:00:00:00:00:01', '192.168.1.10', 'real_time_interactive', 'c', 's', 1)";
        await Storage.ExecuteAsync(Row);

        await Assert.ThrowsAnyAsync<DbException>(() => Storage.ExecuteAsync(Row));
    }
}
