using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.ApplicationProfiles;
using CamaraQos.Controller.HomeDevicesQod;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.InsightsSubscriptions;
using CamaraQos.Controller.Storage;
using Dapper;
using Xunit;

namespace CamaraQos.Controller.Tests.Storage;

public sealed class SqliteUpgradeTests() : UpgradeTests(StorageProvider.Sqlite);

/// <summary>Needs the private PostgreSQL tests/run.sh starts (CAMARAQOS_TEST_POSTGRES); skips without it, fails in CI.</summary>
public sealed class PostgresUpgradeTests() : UpgradeTests(StorageProvider.Postgres);

/// <summary>
/// A database the release before versioned migrations created (previous-release.sql, that release's exact
/// DDL) is upgraded in place: every row stays, readable through today's stores.
/// </summary>
public abstract class UpgradeTests(StorageProvider provider) : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_000);
    private StorageUnderTest? _storage;

    private StorageUnderTest Storage => _storage ??= StorageUnderTest.Create(provider);

    private static string PreviousReleaseSchema
    {
        get
        {
            using var stream = typeof(UpgradeTests).Assembly.GetManifestResourceStream("previous-release.sql")!;
            return new StreamReader(stream).ReadToEnd();
        }
    }

    public void Dispose()
    {
        _storage?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <param name="hadDeviceMac">
    /// Whether that release had already added insights_subscriptions.device_mac at a start (it did so for
    /// every database it opened) or the database is older than the column.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ADatabaseFromThePreviousReleaseKeepsEveryRowThroughTheUpgrade(bool hadDeviceMac)
    {
        var ct = TestContext.Current.CancellationToken;
        await Storage.ExecuteAsync(PreviousReleaseSchema);
        if (hadDeviceMac)
        {
            await Storage.ExecuteAsync("ALTER TABLE insights_subscriptions ADD COLUMN device_mac TEXT NULL");
        }
        // Rows as that release wrote them: these stores' SQL is unchanged since.
        var old = Storage.NewDatabase();
        await new AgentStore(old).SetPasswordAsync("gw-1", "hash-1", ct);
        var profile = new ApplicationProfile(Guid.NewGuid(), new NetworkQualityThresholds(new Duration(20, "Milliseconds"), null, null, 1, null), null);
        await new ApplicationProfileStore(old).InsertAsync("client-a", profile, Now, ct);
        await new SubscriberStore(old, new NoAgents()).UpsertAsync(new Subscriber("sub-1", ["+34600000001"], ["alice@example.com"], "gw-1", null), ct);
        var device = new HomeDeviceQos("gw-1", "02:00:00:00:00:01", "192.168.1.10", "real_time_interactive", "client-a", "sub-1", Now);
        await new HomeDeviceStore(old).SaveAsync("gw-1", device.DeviceMac, device, ct);
        var subscriptionId = Guid.NewGuid();
        await InsertSubscriptionAsPreviousReleaseAsync(old, subscriptionId, profile.ApplicationProfileId, hadDeviceMac ? "02:00:00:00:00:01" : null);

        var log = new RecordingLogger();
        var database = Storage.NewDatabase(log);
        await database.MigrateAsync(ct);

        Assert.True(database.IsMigrated);
        Assert.Contains(log.Messages, m => m.Contains("created by the release before versioned migrations", StringComparison.Ordinal));
        Assert.Equal(MigrationScript.Embedded(provider).Select(s => ((long)s.Version, s.Name)), await Storage.VersionsAsync());
        var agent = Assert.Single(await new AgentStore(database).AllAsync(ct));
        Assert.Equal(("gw-1", "hash-1"), (agent.AgentId, agent.PasswordHash));
        Assert.Equal(profile, (await new ApplicationProfileStore(database).FindAsync(profile.ApplicationProfileId, ct))?.Profile);
        var subscriber = await new SubscriberStore(database, new NoAgents()).FindByPhoneNumberAsync("+34600000001", ct);
        Assert.Equal(("sub-1", "gw-1"), (subscriber?.SubscriberId, subscriber?.AgentId));
        Assert.Equal(device, Assert.Single(await new HomeDeviceStore(database).ForAgentAsync("gw-1", ct)));
        var subscriptions = new SubscriptionStore(database);
        var subscription = await subscriptions.FindAsync(subscriptionId, ct);
        Assert.Equal(profile.ApplicationProfileId, subscription?.Detail.ApplicationProfileId);
        Assert.Equal(hadDeviceMac ? "02:00:00:00:00:01" : null, subscription?.DeviceMac);

        // The added column takes new values.
        await subscriptions.InsertAsync(subscription! with { SubscriptionId = Guid.NewGuid(), DeviceMac = "02:00:00:00:00:09" }, ct);
        Assert.Contains(await subscriptions.ForAgentAsync("gw-1", ct), s => s.DeviceMac == "02:00:00:00:00:09");
    }

    [Fact]
    public async Task AnUpgradedDatabaseHasExactlyTheSchemaOfAFreshOne()
    {
        var ct = TestContext.Current.CancellationToken;
        await Storage.ExecuteAsync(PreviousReleaseSchema);
        await Storage.NewDatabase().MigrateAsync(ct);
        using var fresh = StorageUnderTest.Create(provider);

        await fresh.NewDatabase().MigrateAsync(ct);

        Assert.Equal(await fresh.SchemaAsync(), await Storage.SchemaAsync());
    }

    /// <summary>The release before device_mac inserted without that column; the one after filled it.</summary>
    private static async Task InsertSubscriptionAsPreviousReleaseAsync(Database database, Guid id, Guid profileId, string? deviceMac)
    {
        var detail = JsonSerializer.Serialize(new SubscriptionDetail(null, null, null, profileId), SubscriptionsJson.Default.SubscriptionDetail);
        var (macColumn, macValue) = deviceMac is null ? ("", "") : (", device_mac", ", @deviceMac");
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            $"""
            INSERT INTO insights_subscriptions (subscription_id, client_id, subscriber_id, agent_id, device_ip, profile_id, detail, sink,
              sink_token, starts_at, expires_at, max_events, initial_event, events_sent, last_sent{macColumn})
            VALUES (@id, 'client-a', 'sub-1', 'gw-1', '192.168.1.10', @profileId, @detail, 'https://sink.example.com/ci',
              NULL, @startsAt, NULL, NULL, NULL, 0, NULL{macValue})
            """,
            new { id = id.ToString(), profileId = profileId.ToString(), detail, startsAt = Now.ToUnixTimeMilliseconds(), deviceMac });
    }

    /// <summary>The subscriber lookups used here never ask for an agent.</summary>
    private sealed class NoAgents : IAgentDirectory
    {
        public AgentView? Find(string agentId) => null;

        public IReadOnlyList<AgentView> All() => [];
    }
}
