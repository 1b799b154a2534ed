using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.QualityOnDemand;

public sealed class SessionLifecycleTests : IAsyncLifetime
{
    private readonly QodHost _host = new();
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await _host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2", "sandbox-gw-offline");
        _client = await _host.ClientAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    internal static object Body(string phone = "+34600000001", string server = "203.0.113.10", string profile = "QOS_E", int duration = 60, string? sink = null) => new
    {
        device = new { phoneNumber = phone },
        applicationServer = new { ipv4Address = server },
        applicationServerPorts = new { ranges = new[] { new { from = 5000, to = 5010 } }, ports = new[] { 443 } },
        qosProfile = profile,
        duration,
        sink,
        sinkCredential = sink is null ? null : new { credentialType = "ACCESSTOKEN", accessToken = "sink-token-1", accessTokenExpiresUtc = DateTimeOffset.UtcNow.AddHours(1), accessTokenType = "bearer" },
    };

    private async Task<JsonElement> CreateAsync(object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await _client.PostAsJsonAsync("/quality-on-demand/v1/sessions", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {json}");
        return json;
    }

    private async Task<JsonElement> GetAsync(string id) =>
        await _client.GetFromJsonAsync<JsonElement>($"/quality-on-demand/v1/sessions/{id}");

    [Fact]
    public async Task SessionForSandboxPhoneNumberIsAvailableOnceTheGatewayConfirmsIt()
    {
        var created = await CreateAsync(Body());
        Assert.Equal("AVAILABLE", created.GetProperty("qosStatus").GetString());
        var startedAt = created.GetProperty("startedAt").GetDateTimeOffset();
        Assert.Equal(startedAt.AddSeconds(60), created.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("""{"phoneNumber":"+34600000001"}""", created.GetProperty("device").GetRawText());
        var read = await GetAsync(created.GetProperty("sessionId").GetString()!);
        Assert.Equal(created.GetProperty("expiresAt").GetDateTimeOffset(), read.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.False(read.TryGetProperty("sinkCredential", out _));
    }

    [Fact]
    public async Task AnAvailableSessionsExactExpiryIsAlreadyPublishedToTheGatewayWhenThe201Arrives()
    {
        // A gateway cut off (or restarted) right after the 201 must end QoS at expiresAt, not at the REQUESTED
        // bound (confirmation deadline + duration): the document carrying expiresAt is published before the 201,
        // however slow the publish (a loaded database or broker, modelled by a publisher that takes its time).
        await using var host = new QodHost(services: s => s.AddSingleton<CamaraQos.Controller.Agents.IDesiredStatePublisher>(
            sp => new SlowPublisher(sp.GetRequiredService<CamaraQos.Controller.Agents.DesiredStatePublisher>())));
        await host.FleetOnlineAsync("sandbox-gw-1");
        _client = await host.ClientAsync();
        var created = await CreateAsync(Body());
        Assert.Equal("AVAILABLE", created.GetProperty("qosStatus").GetString());
        var policyId = $"qod-{created.GetProperty("sessionId").GetGuid():N}";
        var agents = await host.Services.GetRequiredService<CamaraQos.Controller.Agents.AgentStore>().AllAsync(CancellationToken.None);
        var desired = agents.Select(a => a.DesiredJson).OfType<string>().Single(j => j.Contains(policyId, StringComparison.Ordinal));
        var policy = JsonDocument.Parse(desired).RootElement.GetProperty("policies").EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == policyId);
        Assert.Equal(created.GetProperty("expiresAt").GetDateTimeOffset(), policy.GetProperty("notAfter").GetDateTimeOffset());
    }

    [Fact]
    public async Task SessionOnAGatewayThatNeverConfirmsEndsNetworkTerminated()
    {
        await using var host = new QodHost(settings: new Dictionary<string, string?> { ["QualityOnDemand:SynchronousConfirmMilliseconds"] = "0" });
        await host.FleetOnlineAsync("sandbox-gw-offline");
        _client = await host.ClientAsync();
        var created = await CreateAsync(Body(phone: "+34600000003"));
        Assert.Equal("REQUESTED", created.GetProperty("qosStatus").GetString());
        Assert.False(created.TryGetProperty("startedAt", out _));
        var id = created.GetProperty("sessionId").GetString()!;
        await Eventually.TrueAsync(async () => (await GetAsync(id)).GetProperty("qosStatus").GetString() == "UNAVAILABLE", "confirmation timeout");
        Assert.Equal("NETWORK_TERMINATED", (await GetAsync(id)).GetProperty("statusInfo").GetString());
    }

    [Fact]
    public async Task SessionEndsWithDurationExpiredAndStaysReadable()
    {
        var created = await CreateAsync(Body(duration: 1));
        var id = created.GetProperty("sessionId").GetString()!;
        await Eventually.TrueAsync(async () => (await GetAsync(id)).GetProperty("qosStatus").GetString() == "UNAVAILABLE", "expiry");
        var ended = await GetAsync(id);
        Assert.Equal("DURATION_EXPIRED", ended.GetProperty("statusInfo").GetString());
        Assert.Equal(1, ended.GetProperty("duration").GetInt64());
    }

    [Fact]
    public async Task ExtendingAnAvailableSessionAddsTimeCappedAtTheProfileMaximum()
    {
        var created = await CreateAsync(Body(duration: 60));
        var id = created.GetProperty("sessionId").GetString()!;
        var extended = await _client.PostAsJsonAsync($"/quality-on-demand/v1/sessions/{id}/extend", new { requestedAdditionalDuration = 30 });
        var body = await extended.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(HttpStatusCode.OK == extended.StatusCode, body.ToString());
        Assert.Equal(90, body.GetProperty("duration").GetInt64());
        Assert.Equal(created.GetProperty("startedAt").GetDateTimeOffset().AddSeconds(90), body.GetProperty("expiresAt").GetDateTimeOffset());

        var capped = await _client.PostAsJsonAsync($"/quality-on-demand/v1/sessions/{id}/extend", new { requestedAdditionalDuration = 10_000_000 });
        var max = await _client.GetFromJsonAsync<JsonElement>("/qos-profiles/v1/qos-profiles/QOS_E");
        Assert.Equal(max.GetProperty("maxDuration").GetProperty("value").GetInt64(), (await capped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duration").GetInt64());
    }

    [Fact]
    public async Task ExtendingASessionThatIsNotAvailableIsAConflict()
    {
        await using var host = new QodHost(settings: new Dictionary<string, string?> { ["QualityOnDemand:SynchronousConfirmMilliseconds"] = "0" });
        await host.FleetOnlineAsync("sandbox-gw-offline");
        _client = await host.ClientAsync();
        var created = await CreateAsync(Body(phone: "+34600000003"));
        var response = await _client.PostAsJsonAsync($"/quality-on-demand/v1/sessions/{created.GetProperty("sessionId").GetString()}/extend", new { requestedAdditionalDuration = 30 });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ASecondActiveSessionForTheSameDeviceAndFlowIsAConflict()
    {
        await CreateAsync(Body(phone: "+34600000002"));
        var conflict = await CreateAsync(Body(phone: "+34600000002"), HttpStatusCode.Conflict);
        Assert.Equal("CONFLICT", conflict.GetProperty("code").GetString());
        await CreateAsync(Body(phone: "+34600000002", server: "203.0.113.99"));
    }

    [Fact]
    public async Task DeletingASessionRemovesItAndNotifiesDeleteRequested()
    {
        await using var sink = await SinkRecorder.StartAsync();
        // The sink is http on loopback (lab flags), which the spec's ^https pattern does not allow.
        _client = await _host.ClientAsync(checkContract: false);
        var created = await CreateAsync(Body(sink: sink.Url));
        var id = created.GetProperty("sessionId").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/quality-on-demand/v1/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/quality-on-demand/v1/sessions/{id}")).StatusCode);

        await Eventually.TrueAsync(() => sink.EventsFor(id).Count() == 2, "AVAILABLE and DELETE_REQUESTED events");
        var events = sink.EventsFor(id).ToList();
        Assert.Equal(["AVAILABLE", "UNAVAILABLE"], events.Select(e => e.GetProperty("data").GetProperty("qosStatus").GetString()));
        Assert.Equal("DELETE_REQUESTED", events[1].GetProperty("data").GetProperty("statusInfo").GetString());
        Assert.All(events, e => Assert.Equal("org.camaraproject.quality-on-demand.v1.qos-status-changed", e.GetProperty("type").GetString()));
        Assert.All(sink.Received, r => Assert.Equal("Bearer sink-token-1", r.Authorization));
        Assert.All(sink.Received, r => Assert.StartsWith("application/cloudevents+json", r.ContentType));
    }

    [Fact]
    public async Task SessionsAreVisibleOnlyToTheClientThatCreatedThem()
    {
        var created = await CreateAsync(Body());
        var id = created.GetProperty("sessionId").GetString();
        using var other = await _host.ClientAsync("sandbox-client-2", "sandbox-secret-2");
        foreach (var response in new[]
        {
            await other.GetAsync($"/quality-on-demand/v1/sessions/{id}"),
            await other.DeleteAsync($"/quality-on-demand/v1/sessions/{id}"),
            await other.PostAsJsonAsync($"/quality-on-demand/v1/sessions/{id}/extend", new { requestedAdditionalDuration = 5 }),
        })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("PERMISSION_DENIED", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
        var mine = await _client.PostAsJsonAsync("/quality-on-demand/v1/retrieve-sessions", new { device = new { phoneNumber = "+34600000001" } });
        var theirs = await other.PostAsJsonAsync("/quality-on-demand/v1/retrieve-sessions", new { device = new { phoneNumber = "+34600000001" } });
        Assert.Contains((await mine.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray(), s => s.GetProperty("sessionId").GetString() == id);
        Assert.Empty((await theirs.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
    }

    [Fact]
    public async Task SessionByPublicAndPrivateAddressResolvesTheLanDevice()
    {
        var created = await CreateAsync(new
        {
            device = new { ipv4Address = new { publicAddress = "198.51.100.1", privateAddress = "192.168.1.11" } },
            applicationServer = new { ipv4Address = "203.0.113.0/24" },
            qosProfile = "QOS_E",
            duration = 60,
        });
        Assert.Equal("AVAILABLE", created.GetProperty("qosStatus").GetString());
        Assert.Equal("192.168.1.11", created.GetProperty("device").GetProperty("ipv4Address").GetProperty("privateAddress").GetString());
    }
}

/// <summary>Publishes like the controller's own publisher, half a second late.</summary>
internal sealed class SlowPublisher(CamaraQos.Controller.Agents.DesiredStatePublisher inner) : CamaraQos.Controller.Agents.IDesiredStatePublisher
{
    public async Task<CamaraQos.Shared.DesiredState> PublishAsync(string agentId, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        return await inner.PublishAsync(agentId, ct);
    }
}
