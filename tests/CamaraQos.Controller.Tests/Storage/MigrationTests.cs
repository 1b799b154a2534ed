using CamaraQos.Controller.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace CamaraQos.Controller.Tests.Storage;

public sealed class SqliteMigrationTests() : MigrationTests(StorageProvider.Sqlite);

/// <summary>Needs the private PostgreSQL tests/run.sh starts (CAMARAQOS_TEST_POSTGRES); skips without it, fails in CI.</summary>
public sealed class PostgresMigrationTests() : MigrationTests(StorageProvider.Postgres);

/// <summary>The migrator on a real database of each provider, each test on an empty database of its own.</summary>
public abstract class MigrationTests(StorageProvider provider) : IDisposable
{
    private StorageUnderTest? _storage;

    /// <summary>Created on first use, inside the test, so a missing PostgreSQL skips the test with its reason.</summary>
    protected StorageUnderTest Storage => _storage ??= StorageUnderTest.Create(provider);

    private IReadOnlyList<MigrationScript> Scripts => MigrationScript.Embedded(provider);

    public void Dispose()
    {
        _storage?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AFreshDatabaseMigratesToTheLatestVersionAndTheVersionTableListsEveryScript()
    {
        var database = Storage.NewDatabase();
        Assert.False(database.IsMigrated);

        await database.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.True(database.IsMigrated);
        Assert.Equal(Scripts.Select(s => ((long)s.Version, s.Name)), await Storage.VersionsAsync());
        var variant = provider == StorageProvider.Postgres ? "postgres" : "sqlite";
        Assert.Equal(
            ["0001_baseline.sql", "0002_subscriber_identifiers_by_subscriber.sql", "0003_outbox_trace_context.sql", $"0004_one_active_per_device.{variant}.sql", "0005_auth_key_ring_and_ciba.sql", "0006_leases.sql"],
            Scripts.Select(s => s.Name));
        foreach (var table in new[] { "agents", "qod_sessions", "qos_assignments", "notification_outbox", "insights_subscriptions", "home_device_qos" })
        {
            Assert.True(await Storage.TableExistsAsync(table), table);
        }
        Assert.Contains(await Storage.SchemaAsync(), line => line.Contains("subscriber_identifiers_subscriber", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunningTheMigratorAgainChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await Storage.NewDatabase().MigrateAsync(ct);
        var schema = await Storage.SchemaAsync();
        var versions = await Storage.VersionsAsync();
        var log = new RecordingLogger();

        var again = Storage.NewDatabase(log);
        await again.MigrateAsync(ct);

        Assert.True(again.IsMigrated);
        Assert.Equal(schema, await Storage.SchemaAsync());
        Assert.Equal(versions, await Storage.VersionsAsync());
        Assert.DoesNotContain(log.Messages, m => m.StartsWith("Applied migration", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SeveralControllersMigratingOneEmptyDatabaseTogetherAllSucceedAndApplyEachScriptOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = Enumerable.Range(0, 8).Select(_ => new RecordingLogger()).ToList();
        var databases = logs.Select(Storage.NewDatabase).ToList();

        await Task.WhenAll(databases.Select(d => Task.Run(() => d.MigrateAsync(ct), ct)));

        Assert.All(databases, d => Assert.True(d.IsMigrated));
        Assert.Equal(Scripts.Select(s => ((long)s.Version, s.Name)), await Storage.VersionsAsync());
        var applied = logs.SelectMany(l => l.Messages).Where(m => m.StartsWith("Applied migration", StringComparison.Ordinal)).ToList();
        Assert.Equal(Scripts.Count, applied.Count);
        foreach (var script in Scripts)
        {
            Assert.Single(applied, m => m.Contains(script.Name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AFailingScriptIsRolledBackLeavesItsVersionUnrecordedAndTheErrorNamesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await Storage.NewDatabase().MigrateAsync(ct);
        // Two rows for one gateway, so a later constraint that allows one per gateway cannot be added.
        await Storage.ExecuteAsync(
            """
            INSERT INTO home_device_qos VALUES ('gw-1', '02:00:00:00:00:01', '192.168.1.10', 'real_time_interactive', 'c', 's', 1);
            INSERT INTO home_device_qos VALUES ('gw-1', '02:00:00:00:00:02', '192.168.1.11', 'standard', 'c', 's', 1);
            """);
        var before = await Storage.SchemaAsync();
        var next = Scripts.Count + 1;
        var broken = new MigrationScript(next, $"{next:D4}_one_class_per_home.sql",
            """
            CREATE INDEX home_device_qos_by_class ON home_device_qos (service_class);
            CREATE UNIQUE INDEX home_device_qos_one_per_home ON home_device_qos (agent_id);
            """);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator([.. Scripts, broken]).RunAsync(ct));

        Assert.Contains(broken.Name, error.Message, StringComparison.Ordinal);
        Assert.Equal(next - 1, (await Storage.VersionsAsync()).Max(v => v.Version));
        Assert.Equal(before, await Storage.SchemaAsync()); // the first statement of the script went too

        // Fixed (the operator resolved the duplicates), the same version applies and is recorded.
        await Storage.ExecuteAsync("DELETE FROM home_device_qos WHERE device_mac = '02:00:00:00:00:02'");
        Assert.Equal(next, await Migrator([.. Scripts, broken]).RunAsync(ct));
        Assert.Equal(next, (await Storage.VersionsAsync()).Max(v => v.Version));
        Assert.Contains(await Storage.SchemaAsync(), line => line.Contains("home_device_qos_one_per_home", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADatabaseNewerThanTheControllerFailsStartNamingBothVersions()
    {
        var ct = TestContext.Current.CancellationToken;
        await Storage.NewDatabase().MigrateAsync(ct);
        await Storage.ExecuteAsync("INSERT INTO schema_version (version, script, applied_at) VALUES (9, '0009_from_a_newer_release.sql', 0)");

        var database = Storage.NewDatabase();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.MigrateAsync(ct));

        Assert.Contains("version 9", error.Message, StringComparison.Ordinal);
        Assert.Contains($"latest migration {Scripts.Count}", error.Message, StringComparison.Ordinal);
        Assert.False(database.IsMigrated);
    }

    private SchemaMigrator Migrator(IReadOnlyList<MigrationScript> scripts) =>
        new(Storage.NewDatabase(), scripts, TimeProvider.System, NullLogger.Instance);
}
