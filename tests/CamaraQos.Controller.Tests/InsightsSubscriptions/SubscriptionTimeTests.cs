using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Tests.ApplicationProfiles;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CamaraQos.Controller.Tests.InsightsSubscriptions;

/// <summary>Expiry on a FakeTimeProvider, and a subscription carried over a controller restart.</summary>
public sealed class SubscriptionTimeTests : IAsyncLifetime
{
    private SinkRecorder _sink = null!;

    public async ValueTask InitializeAsync() => _sink = await SinkRecorder.StartAsync();

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task ASubscriptionEndsWithSubscriptionExpiredAtItsExpireTime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = new QodHost(services: s => s.AddSingleton<TimeProvider>(clock));
        await host.FleetOnlineAsync("sandbox-gw-1");
        var client = await host.ClientAsync(checkContract: false);
        var profile = await ApplicationProfilesTests.CreateAsync(client, ApplicationProfilesTests.Gaming);
        var expireAt = clock.GetUtcNow().AddMinutes(10);
        var id = await Subscribe.CreateAsync(client, Subscribe.Body(profile, _sink.Url, expireAt: expireAt));
        var read = await client.GetFromJsonAsync<JsonElement>($"{Subscribe.Base}/{id}");
        Assert.Equal(expireAt.ToUnixTimeMilliseconds(), read.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeMilliseconds());

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Subscribe.Base}/{id}")).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(() => Subscribe.Delivered(_sink, id).Any(), "subscription-ended");
        var ended = Assert.Single(Subscribe.Delivered(_sink, id));
        Assert.Equal(Subscribe.Ended, ended.GetProperty("type").GetString());
        Assert.Equal("SUBSCRIPTION_EXPIRED", ended.GetProperty("data").GetProperty("terminationReason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Subscribe.Base}/{id}")).StatusCode);
        await Subscribe.MonitorAsync(host, id, present: false);
    }

    [Fact]
    public async Task ASubscriptionItsMonitorAndItsBaselineSurviveAControllerRestart()
    {
        var path = QodHost.NewDatabasePath();
        try
        {
            string id;
            await using (var first = new QodHost(path))
            {
                await first.FleetOnlineAsync("sandbox-gw-1");
                var client = await first.ClientAsync(checkContract: false);
                var profile = await ApplicationProfilesTests.CreateAsync(client, ApplicationProfilesTests.Gaming);
                await Subscribe.GoodAsync(first);
                id = await Subscribe.CreateAsync(client, Subscribe.Body(profile, _sink.Url));
            }

            await using var second = new QodHost(path);
            await second.FleetOnlineAsync("sandbox-gw-1");
            var restarted = await second.ClientAsync(checkContract: false);
            Assert.Equal(HttpStatusCode.OK, (await restarted.GetAsync($"{Subscribe.Base}/{id}")).StatusCode);
            await Subscribe.MonitorAsync(second, id, present: true);

            // The baseline ("meets") came from the first process: the same verdict again is no news, a worse one is.
            await Subscribe.GoodAsync(second);
            Assert.Empty(await Subscribe.QueuedAsync(second, id));
            await Subscribe.BadAsync(second);
            await Eventually.TrueAsync(() => Subscribe.Delivered(_sink, id).Any(), "the event after the restart");
            Assert.Equal("unable to meet the application requirements",
                Assert.Single(Subscribe.Delivered(_sink, id)).GetProperty("data").GetProperty("packetDelayBudget").GetString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            QodHost.DeleteDatabase(path);
        }
    }
}
