using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.QualityOnDemand;

public sealed class RestartTests : IDisposable
{
    private readonly string _database = QodHost.NewDatabasePath();

    public void Dispose() => QodHost.DeleteDatabase(_database);

    [Fact]
    public async Task SessionsAndTheirExpirySurviveAControllerRestart()
    {
        JsonElement before;
        await using (var first = new QodHost(_database))
        {
            await first.FleetOnlineAsync("sandbox-gw-1");
            var client = await first.ClientAsync();
            var response = await client.PostAsJsonAsync("/quality-on-demand/v1/sessions", SessionLifecycleTests.Body(duration: 4));
            before = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("AVAILABLE", before.GetProperty("qosStatus").GetString());
        }

        await using var second = new QodHost(_database);
        await second.FleetOnlineAsync("sandbox-gw-1");
        var restarted = await second.ClientAsync();
        var id = before.GetProperty("sessionId").GetString();
        var after = await restarted.GetFromJsonAsync<JsonElement>($"/quality-on-demand/v1/sessions/{id}");
        Assert.Equal(before.GetProperty("expiresAt").GetDateTimeOffset(), after.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(before.GetProperty("startedAt").GetDateTimeOffset(), after.GetProperty("startedAt").GetDateTimeOffset());

        // The expiry timer was armed by the first process; the second one must fire it.
        await Eventually.TrueAsync(async () =>
            (await restarted.GetFromJsonAsync<JsonElement>($"/quality-on-demand/v1/sessions/{id}")).GetProperty("qosStatus").GetString() == "UNAVAILABLE",
            "expiry after restart", timeoutMs: 15_000);
        var ended = await restarted.GetFromJsonAsync<JsonElement>($"/quality-on-demand/v1/sessions/{id}");
        Assert.Equal("DURATION_EXPIRED", ended.GetProperty("statusInfo").GetString());
        Assert.Equal(before.GetProperty("expiresAt").GetDateTimeOffset(), ended.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AnActiveSessionIsStillInTheGatewaysDesiredStateAfterARestart()
    {
        string id;
        await using (var first = new QodHost(_database))
        {
            await first.FleetOnlineAsync("sandbox-gw-2");
            var client = await first.ClientAsync();
            var created = await (await client.PostAsJsonAsync("/quality-on-demand/v1/sessions", SessionLifecycleTests.Body(phone: "+34600000002", duration: 600))).Content.ReadFromJsonAsync<JsonElement>();
            id = created.GetProperty("sessionId").GetGuid().ToString("N");
        }

        await using var second = new QodHost(_database);
        await second.FleetOnlineAsync("sandbox-gw-2");
        var fleet = second.Services.GetRequiredService<CamaraQos.Controller.Sandbox.SimulatedFleet>();
        await fleet.Started.WaitAsync(TimeSpan.FromSeconds(10));
        var gateway = fleet.Agents.Single(a => a.AgentId == "sandbox-gw-2");
        await Eventually.TrueAsync(() => gateway.LastDesired?.Policies.Any(p => p.Id == $"qod-{id}") == true, "the retained desired document after restart");
    }
}
