using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Tests.ApplicationProfiles;
using CamaraQos.Controller.Tests.QualityOnDemand;
using CamaraQos.Controller.Tests.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.InsightsSubscriptions;

/// <summary>Subscriptions over a sandbox gateway's telemetry, events to a real HTTP sink through the outbox.</summary>
public sealed class InsightsSubscriptionsTests : IAsyncLifetime
{
    private const string U = "unable to meet the application requirements";
    private const string M = "meets the application requirements";
    private readonly QodHost _host = new();
    private SinkRecorder _sink = null!;
    private HttpClient _client = null!;
    private Guid _profile;

    public async ValueTask InitializeAsync()
    {
        await _host.FleetOnlineAsync("sandbox-gw-1");
        _sink = await SinkRecorder.StartAsync();
        // The sink is http on loopback (lab flags), which the Subscription schema's ^https pattern does not allow.
        _client = await _host.ClientAsync(checkContract: false);
        _profile = await ApplicationProfilesTests.CreateAsync(_client, ApplicationProfilesTests.Gaming);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task ASubscriptionIsCreatedListedReadWatchedByItsGatewayAndDeleted()
    {
        using var checkedClient = await _host.ClientAsync();
        var response = await checkedClient.PostAsJsonAsync(Subscribe.Base, Subscribe.Body(_profile, "https://sink.example.com/ci", maxEvents: 5));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("subscriptionId").GetString()!;
        Assert.Equal(id, created.GetProperty("id").GetString());
        Assert.Equal($"{Subscribe.Base}/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("ACTIVE", created.GetProperty("status").GetString());
        Assert.False(created.TryGetProperty("sinkCredential", out _));
        Assert.Equal("""{"phoneNumber":"+34600000001"}""", created.GetProperty("config").GetProperty("subscriptionDetail").GetProperty("device").GetRawText());

        Assert.Equal(created.GetRawText(), (await checkedClient.GetFromJsonAsync<JsonElement>($"{Subscribe.Base}/{id}")).GetRawText());
        Assert.Contains((await checkedClient.GetFromJsonAsync<JsonElement>(Subscribe.Base)).EnumerateArray(), s => s.GetProperty("subscriptionId").GetString() == id);

        var monitor = await Subscribe.MonitorAsync(_host, id, present: true);
        Assert.Equal(("192.168.1.10", "203.0.113.10", 443), (monitor!.DeviceIp, monitor.ServerIp, monitor.ServerPort));
        Assert.Equal(20, monitor.Thresholds.LatencyMs);
        Assert.Equal(10_000, monitor.Thresholds.MinDownKbps);

        Assert.Equal(HttpStatusCode.NoContent, (await checkedClient.DeleteAsync($"{Subscribe.Base}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await checkedClient.GetAsync($"{Subscribe.Base}/{id}")).StatusCode);
        await Subscribe.MonitorAsync(_host, id, present: false);
    }

    [Fact]
    public async Task AVerdictChangeSendsExactlyOneNetworkQualityEvent()
    {
        await Subscribe.GoodAsync(_host);
        var id = await Subscribe.CreateAsync(_client, Subscribe.Body(_profile, _sink.Url));
        await Subscribe.GoodAsync(_host);
        Assert.Empty(await Subscribe.QueuedAsync(_host, id));

        await Subscribe.BadAsync(_host);
        await Subscribe.BadAsync(_host);
        await Subscribe.GoodAsync(_host);

        // The window still holds the bad reports, so the verdict stays "unable": one change, one event.
        var queued = await Subscribe.QueuedAsync(_host, id);
        var only = Assert.Single(queued);
        Assert.Equal(Subscribe.NetworkQuality, only.GetProperty("type").GetString());
        var data = only.GetProperty("data");
        Assert.Equal(U, data.GetProperty("packetDelayBudget").GetString());
        Assert.Equal(M, data.GetProperty("targetMinUpstreamRate").GetString());
        Assert.Equal(_profile, data.GetProperty("applicationProfileId").GetGuid());
        Assert.Equal(_profile, data.GetProperty("papplicationProfileId").GetGuid());
        await Eventually.TrueAsync(() => Subscribe.Delivered(_sink, id).Count() == 1, "the event at the sink");
        var received = _sink.Received.Single();
        Assert.Equal("Bearer ci-sink-token", received.Authorization);
        Assert.StartsWith("application/cloudevents+json", received.ContentType);
        Assert.Equal("1.0", received.Body.GetProperty("specversion").GetString());
        EventContract.AssertMatches(received.Body);
    }

    [Fact]
    public async Task ASubscriptionFollowsItsDeviceToANewLanAddress()
    {
        await Subscribe.GoodAsync(_host);
        var id = await Subscribe.CreateAsync(_client, Subscribe.Body(_profile, _sink.Url));
        var gateway = _host.Services.GetRequiredService<SimulatedFleet>().Agents.Single(a => a.AgentId == SimulatedFleet.Gateway1);
        var device = gateway.Birth.Inventory!.Single(d => d.Ip == "192.168.1.10");

        // The gateway's status over the broker shows the subscriber's device (its MAC) at a new address.
        await gateway.AnnounceAsync([device with { Ip = "192.168.1.77" }], CancellationToken.None);
        var monitorId = $"cis-{Guid.Parse(id):N}";
        await Eventually.TrueAsync(() => gateway.LastDesired?.Monitors.SingleOrDefault(m => m.Id == monitorId)?.DeviceIp == "192.168.1.77",
            "the monitor moved to the new address");

        // A bad flow at the old address is another device's now; the same at the new one is news.
        await FleetTelemetry.PublishAsync(_host, SimulatedFleet.Gateway1, Reports.Flow("192.168.1.10", "203.0.113.10", wanP95: 200, downKbps: 12_000, upKbps: 3_000));
        Assert.Empty(await Subscribe.QueuedAsync(_host, id));
        await FleetTelemetry.PublishAsync(_host, SimulatedFleet.Gateway1, Reports.Flow("192.168.1.77", "203.0.113.10", wanP95: 200, downKbps: 12_000, upKbps: 3_000));
        var only = Assert.Single(await Subscribe.QueuedAsync(_host, id));
        Assert.Equal(U, only.GetProperty("data").GetProperty("packetDelayBudget").GetString());
    }

    [Fact]
    public async Task InitialEventSendsTheCurrentVerdictAtOnce()
    {
        await Subscribe.GoodAsync(_host);
        var id = await Subscribe.CreateAsync(_client, Subscribe.Body(_profile, _sink.Url, initialEvent: true));
        await Eventually.TrueAsync(() => Subscribe.Delivered(_sink, id).Any(), "the initial event");
        var initial = Assert.Single(Subscribe.Delivered(_sink, id));
        Assert.Equal(M, initial.GetProperty("data").GetProperty("packetDelayBudget").GetString());
        await Subscribe.GoodAsync(_host);
        Assert.Single(await Subscribe.QueuedAsync(_host, id));
    }

    [Fact]
    public async Task MaxEventsEndsTheSubscriptionWithMaxEventsReached()
    {
        await Subscribe.GoodAsync(_host);
        var id = await Subscribe.CreateAsync(_client, Subscribe.Body(_profile, _sink.Url, initialEvent: true, maxEvents: 2));
        await Subscribe.MonitorAsync(_host, id, present: true);
        await Subscribe.BadAsync(_host);

        await Eventually.TrueAsync(() => Subscribe.Delivered(_sink, id).Count() == 3, "two events and the end");
        var types = (await Subscribe.QueuedAsync(_host, id)).Select(e => e.GetProperty("type").GetString());
        Assert.Equal([Subscribe.NetworkQuality, Subscribe.NetworkQuality, Subscribe.Ended], types);
        var ended = (await Subscribe.QueuedAsync(_host, id))[2].GetProperty("data");
        Assert.Equal("MAX_EVENTS_REACHED", ended.GetProperty("terminationReason").GetString());
        Assert.All(Subscribe.Delivered(_sink, id), EventContract.AssertMatches);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"{Subscribe.Base}/{id}")).StatusCode);
        await Subscribe.MonitorAsync(_host, id, present: false);
        await Subscribe.GoodAsync(_host);
        Assert.Equal(3, (await Subscribe.QueuedAsync(_host, id)).Count);
    }

    [Fact]
    public async Task DeletingSendsSubscriptionEndedWithSubscriptionDeleted()
    {
        var id = await Subscribe.CreateAsync(_client, Subscribe.Body(_profile, _sink.Url));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"{Subscribe.Base}/{id}")).StatusCode);
        await Eventually.TrueAsync(() => Subscribe.Delivered(_sink, id).Any(), "subscription-ended");
        var ended = Assert.Single(Subscribe.Delivered(_sink, id));
        Assert.Equal(Subscribe.Ended, ended.GetProperty("type").GetString());
        Assert.Equal("SUBSCRIPTION_DELETED", ended.GetProperty("data").GetProperty("terminationReason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"{Subscribe.Base}/{id}")).StatusCode);
    }

    [Fact]
    public async Task DeletingTheProfileEndsItsSubscriptionsWithNetworkTerminated()
    {
        var id = await Subscribe.CreateAsync(_client, Subscribe.Body(_profile, _sink.Url));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"{ApplicationProfilesTests.Base}/{_profile}")).StatusCode);
        await Eventually.TrueAsync(() => Subscribe.Delivered(_sink, id).Any(), "subscription-ended");
        Assert.Equal("NETWORK_TERMINATED", Subscribe.Delivered(_sink, id).Single().GetProperty("data").GetProperty("terminationReason").GetString());
    }

    [Fact]
    public async Task ReplacingTheProfileRepublishesTheMonitorWithTheNewThresholds()
    {
        var id = await Subscribe.CreateAsync(_client, Subscribe.Body(_profile, _sink.Url));
        await Subscribe.MonitorAsync(_host, id, present: true);
        var patched = await _client.PatchAsJsonAsync($"{ApplicationProfilesTests.Base}/{_profile}", new
        {
            applicationProfileId = _profile,
            networkQualityThresholds = new { packetDelayBudget = new { value = 80, unit = "Milliseconds" } },
        });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var fleet = _host.Services.GetRequiredService<CamaraQos.Controller.Sandbox.SimulatedFleet>();
        await Eventually.TrueAsync(() => fleet.Agents.Single(a => a.AgentId == "sandbox-gw-1").LastDesired?.Monitors.Single().Thresholds.LatencyMs == 80, "the new budget on the gateway");
    }
}
