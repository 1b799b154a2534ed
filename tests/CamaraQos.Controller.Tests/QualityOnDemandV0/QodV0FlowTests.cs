using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.QualityOnDemandV0;

public sealed class QodV0FlowTests : IAsyncLifetime
{
    private const string V0EventType = "org.camaraproject.qod.v0.qos-status-changed";
    private const string Token = "v0-webhook-token-0123456789";
    private readonly QodHost _host = new();
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await _host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2");
        _client = await _host.ClientAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    internal static object Body(string phone = "+34600000001", string server = "203.0.113.10", int? duration = 60, string? webhook = null) => new
    {
        device = new { phoneNumber = phone },
        applicationServer = new { ipv4Address = server },
        applicationServerPorts = new { ports = new[] { 443 } },
        qosProfile = "QOS_E",
        duration,
        webhook = webhook is null ? null : new { notificationUrl = webhook, notificationAuthToken = Token },
    };

    private async Task<JsonElement> SendAsync(Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task AV0ClientCreatesWithAWebhookReceivesV0EventsExtendsAndDeletes()
    {
        await using var sink = await SinkRecorder.StartAsync();
        var created = await SendAsync(_client.PostAsJsonAsync("/qod/v0/sessions", Body(webhook: sink.Url)), HttpStatusCode.Created);
        Assert.Equal("AVAILABLE", created.GetProperty("qosStatus").GetString());
        Assert.Equal(JsonValueKind.Number, created.GetProperty("startedAt").ValueKind);
        Assert.Equal(created.GetProperty("startedAt").GetInt64() + 60, created.GetProperty("expiresAt").GetInt64());
        Assert.Equal(sink.Url, created.GetProperty("webhook").GetProperty("notificationUrl").GetString());
        Assert.False(created.GetProperty("webhook").TryGetProperty("notificationAuthToken", out _));
        var id = created.GetProperty("sessionId").GetGuid();
        await Eventually.TrueAsync(() => sink.EventsFor(id).Any(), "the AVAILABLE event");

        var extended = await SendAsync(_client.PostAsJsonAsync($"/qod/v0/sessions/{id}/extend", new { requestedAdditionalDuration = 30 }), HttpStatusCode.OK);
        Assert.Equal(90, extended.GetProperty("duration").GetInt64());
        Assert.Equal(created.GetProperty("startedAt").GetInt64() + 90, extended.GetProperty("expiresAt").GetInt64());
        Assert.Equal(90, (await SendAsync(_client.GetAsync($"/qod/v0/sessions/{id}"), HttpStatusCode.OK)).GetProperty("duration").GetInt64());

        await SendAsync(_client.DeleteAsync($"/qod/v0/sessions/{id}"), HttpStatusCode.NoContent);
        await SendAsync(_client.GetAsync($"/qod/v0/sessions/{id}"), HttpStatusCode.NotFound);
        await Eventually.TrueAsync(() => sink.EventsFor(id).Count() == 2, "AVAILABLE and DELETE_REQUESTED events");
        var events = sink.EventsFor(id).ToList();
        Assert.Equal(["AVAILABLE", "UNAVAILABLE"], events.Select(e => e.GetProperty("data").GetProperty("qosStatus").GetString()));
        Assert.Equal("DELETE_REQUESTED", events[1].GetProperty("data").GetProperty("statusInfo").GetString());
        Assert.All(events, e => Assert.Equal(V0EventType, e.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.Equal("1.0", e.GetProperty("specversion").GetString()));
        Assert.All(sink.Received, r => Assert.Equal($"Bearer {Token}", r.Authorization));
        Assert.All(sink.Received, r => Assert.StartsWith("application/cloudevents+json", r.ContentType));
    }

    [Fact]
    public async Task WithoutADurationTheSessionLastsADayAndAnExtensionKeepsTheRemainingTimeAtMostADay()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var created = await SendAsync(_client.PostAsJsonAsync("/qod/v0/sessions", Body(duration: null)), HttpStatusCode.Created);
        Assert.Equal(86400, created.GetProperty("duration").GetInt64());
        var id = created.GetProperty("sessionId").GetString();
        var extended = await SendAsync(_client.PostAsJsonAsync($"/qod/v0/sessions/{id}/extend", new { requestedAdditionalDuration = 86399 }), HttpStatusCode.OK);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var duration = extended.GetProperty("duration").GetInt64();
        // Spec: the new remaining duration is the 86400 s limit, so the overall duration is elapsed + 86400.
        Assert.InRange(duration, 86400, 86400 + (after - before));
        Assert.InRange(extended.GetProperty("expiresAt").GetInt64() - after, 86400 - (after - before) - 1, 86400);
        Assert.Equal(extended.GetProperty("startedAt").GetInt64() + duration, extended.GetProperty("expiresAt").GetInt64());
    }

    [Fact]
    public async Task ASessionCreatedInV1IsTheSameResourceInV0()
    {
        var v1 = await SendAsync(_client.PostAsJsonAsync("/quality-on-demand/v1/sessions", SessionLifecycleTests.Body(phone: "+34600000002", duration: 120)), HttpStatusCode.Created);
        var id = v1.GetProperty("sessionId").GetString();
        var v0 = await SendAsync(_client.GetAsync($"/qod/v0/sessions/{id}"), HttpStatusCode.OK);
        Assert.Equal(v1.GetProperty("startedAt").GetDateTimeOffset().ToUnixTimeSeconds(), v0.GetProperty("startedAt").GetInt64());
        Assert.Equal(v1.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds(), v0.GetProperty("expiresAt").GetInt64());
        Assert.Equal("+34600000002", v0.GetProperty("device").GetProperty("phoneNumber").GetString());

        await SendAsync(_client.PostAsJsonAsync($"/qod/v0/sessions/{id}/extend", new { requestedAdditionalDuration = 60 }), HttpStatusCode.OK);
        Assert.Equal(180, (await SendAsync(_client.GetAsync($"/quality-on-demand/v1/sessions/{id}"), HttpStatusCode.OK)).GetProperty("duration").GetInt64());
        var sameFlow = new
        {
            device = new { phoneNumber = "+34600000002" },
            applicationServer = new { ipv4Address = "203.0.113.10" },
            applicationServerPorts = new { ranges = new[] { new { from = 5000, to = 5010 } }, ports = new[] { 443 } },
            qosProfile = "QOS_E",
        };
        var conflict = await SendAsync(_client.PostAsJsonAsync("/qod/v0/sessions", sameFlow), HttpStatusCode.Conflict);
        Assert.Equal("CONFLICT", conflict.GetProperty("code").GetString());
        await SendAsync(_client.DeleteAsync($"/qod/v0/sessions/{id}"), HttpStatusCode.NoContent);
        await SendAsync(_client.GetAsync($"/quality-on-demand/v1/sessions/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ASessionCreatedInV0IsReadInV1AndItsEventsStayInTheV0Format()
    {
        await using var sink = await SinkRecorder.StartAsync();
        var v0 = await SendAsync(_client.PostAsJsonAsync("/qod/v0/sessions", Body(webhook: sink.Url)), HttpStatusCode.Created);
        var id = v0.GetProperty("sessionId").GetGuid();
        // The v1 view echoes the webhook as its sink; that is http on loopback here (lab flags), outside v1's ^https.
        using var plain = await _host.ClientAsync(checkContract: false);
        var v1 = await SendAsync(plain.GetAsync($"/quality-on-demand/v1/sessions/{id}"), HttpStatusCode.OK);
        Assert.Equal(sink.Url, v1.GetProperty("sink").GetString());
        Assert.Equal(v0.GetProperty("expiresAt").GetInt64(), v1.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());
        await SendAsync(plain.DeleteAsync($"/quality-on-demand/v1/sessions/{id}"), HttpStatusCode.NoContent);
        await Eventually.TrueAsync(() => sink.EventsFor(id).Count() == 2, "AVAILABLE and DELETE_REQUESTED events");
        Assert.All(sink.EventsFor(id), e => Assert.Equal(V0EventType, e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task AThreeLeggedV0ClientCreatesForTheTokensDeviceOnly()
    {
        using var threeLegged = await _host.ThreeLeggedClientAsync("tel:+34600000001");
        var created = await SendAsync(threeLegged.PostAsJsonAsync("/qod/v0/sessions", Body(server: "203.0.113.44")), HttpStatusCode.Created);
        var read = await SendAsync(threeLegged.GetAsync($"/qod/v0/sessions/{created.GetProperty("sessionId").GetString()}"), HttpStatusCode.OK);
        Assert.Equal("192.168.1.10", read.GetProperty("device").GetProperty("ipv4Address").GetProperty("privateAddress").GetString());
        Assert.Equal("198.51.100.1", read.GetProperty("device").GetProperty("ipv4Address").GetProperty("publicAddress").GetString());
        var other = await SendAsync(threeLegged.PostAsJsonAsync("/qod/v0/sessions", Body(phone: "+34600000002", server: "203.0.113.45")), HttpStatusCode.BadRequest);
        Assert.Equal("INVALID_ARGUMENT", other.GetProperty("code").GetString());
    }

    [Fact]
    public async Task QosProfilesAreListedWithinTheV0RateLimitsAndFilteredByNameAndStatus()
    {
        var all = await SendAsync(_client.GetAsync("/qod/v0/qos-profiles"), HttpStatusCode.OK);
        Assert.Contains(all.EnumerateArray(), p => p.GetProperty("name").GetString() == "QOS_L");
        Assert.All(all.EnumerateArray(), p => Assert.InRange(p.GetProperty("maxDownstreamRate").GetProperty("value").GetInt64(), 0, 1024));
        var one = await SendAsync(_client.GetAsync("/qod/v0/qos-profiles?name=QOS_E&status=ACTIVE"), HttpStatusCode.OK);
        Assert.Equal("QOS_E", Assert.Single(one.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("QOS_M", (await SendAsync(_client.GetAsync("/qod/v0/qos-profiles/QOS_M"), HttpStatusCode.OK)).GetProperty("name").GetString());
    }
}
