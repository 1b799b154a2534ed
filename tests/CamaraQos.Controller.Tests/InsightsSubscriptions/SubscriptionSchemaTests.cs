using System.Net;
using CamaraQos.Controller.Tests.ApplicationProfiles;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CamaraQos.Controller.Tests.InsightsSubscriptions;

/// <summary>
/// A database an earlier version created (before versioned migrations and before device_mac): its
/// subscriptions survive, through the whole controller, and it gains the column.
/// </summary>
public sealed class SubscriptionSchemaTests
{
    [Fact]
    public async Task ADatabaseFromBeforeDeviceMacKeepsItsSubscriptionsAndGainsTheColumn()
    {
        var path = QodHost.NewDatabasePath();
        try
        {
            string id;
            await using (var first = new QodHost(path))
            {
                await first.FleetOnlineAsync("sandbox-gw-1");
                var client = await first.ClientAsync();
                var profile = await ApplicationProfilesTests.CreateAsync(client, ApplicationProfilesTests.Gaming);
                id = await Subscribe.CreateAsync(client, Subscribe.Body(profile, "https://sink.example.com/ci"));
            }
            // The database as the release before device_mac left it: no such column, no schema_version, nothing
            // of a later migration.
            await ExecuteAsync(path, "ALTER TABLE insights_subscriptions DROP COLUMN device_mac");
            await ExecuteAsync(path, "DROP TABLE schema_version");
            await ExecuteAsync(path, "DROP INDEX subscriber_identifiers_subscriber");
            await ExecuteAsync(path, "ALTER TABLE notification_outbox DROP COLUMN traceparent");
            await ExecuteAsync(path, "ALTER TABLE notification_outbox DROP COLUMN correlator");
            Assert.Equal(0L, await ExecuteAsync(path, "SELECT COUNT(*) FROM pragma_table_info('insights_subscriptions') WHERE name = 'device_mac'"));

            await using var second = new QodHost(path);
            await second.FleetOnlineAsync("sandbox-gw-1");
            var read = await (await second.ClientAsync()).GetAsync($"{Subscribe.Base}/{id}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(1L, await ExecuteAsync(path, "SELECT COUNT(*) FROM pragma_table_info('insights_subscriptions') WHERE name = 'device_mac'"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            QodHost.DeleteDatabase(path);
        }
    }

    private static async Task<object?> ExecuteAsync(string path, string sql)
    {
        await using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
