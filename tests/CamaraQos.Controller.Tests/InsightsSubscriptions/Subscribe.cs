using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Tests.QualityOnDemand;
using CamaraQos.Controller.Tests.Telemetry;
using CamaraQos.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.InsightsSubscriptions;

/// <summary>Bodies, telemetry and look-ups the subscription tests share.</summary>
public static class Subscribe
{
    public const string Base = "/connectivity-insights-subscriptions/v0.6/subscriptions";
    public const string NetworkQuality = "org.camaraproject.connectivity-insights-subscriptions.v0.network-quality";
    public const string Ended = "org.camaraproject.connectivity-insights-subscriptions.v0.subscription-ended";

    public static object Body(Guid profile, string sink, bool? initialEvent = null, int? maxEvents = null, DateTimeOffset? expireAt = null, string phone = "+34600000001") => new
    {
        protocol = "HTTP",
        sink,
        sinkCredential = new { credentialType = "ACCESSTOKEN", accessToken = "ci-sink-token", accessTokenExpiresUtc = DateTimeOffset.UtcNow.AddDays(1), accessTokenType = "bearer" },
        types = new[] { NetworkQuality },
        config = new
        {
            subscriptionDetail = new
            {
                device = new { phoneNumber = phone },
                applicationServer = new { ipv4Address = "203.0.113.10" },
                applicationServerPorts = new { ports = new[] { 443 } },
                applicationProfileId = profile,
            },
            subscriptionExpireTime = expireAt?.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            subscriptionMaxEvents = maxEvents,
            initialEvent,
        },
    };

    public static async Task<string> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync(Base, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return json.GetProperty("subscriptionId").GetString()!;
    }

    public static Task GoodAsync(QodHost host, string agent = "sandbox-gw-1") =>
        FleetTelemetry.PublishAsync(host, agent, Reports.Flow("192.168.1.10", "203.0.113.10", wanP95: 20, downKbps: 12_000, upKbps: 3_000));

    public static Task BadAsync(QodHost host, string agent = "sandbox-gw-1") =>
        FleetTelemetry.PublishAsync(host, agent, Reports.Flow("192.168.1.10", "203.0.113.10", wanP95: 200, jitter: 40, retransmissions: 500, downKbps: 2_000, upKbps: 3_000));

    /// <summary>The events of one subscription the controller has queued (the outbox, whatever the delivery state).</summary>
    public static async Task<List<JsonElement>> QueuedAsync(QodHost host, string subscriptionId)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={host.DatabasePath}");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT body FROM notification_outbox ORDER BY created_at";
        var events = new List<JsonElement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var e = JsonDocument.Parse(reader.GetString(0)).RootElement;
            if (e.TryGetProperty("data", out var data) && data.TryGetProperty("subscriptionId", out var id) && id.GetString() == subscriptionId)
            {
                events.Add(e);
            }
        }
        return events;
    }

    public static IEnumerable<JsonElement> Delivered(SinkRecorder sink, string subscriptionId) =>
        sink.Received.Select(r => r.Body).Where(b => b.GetProperty("data").GetProperty("subscriptionId").GetString() == subscriptionId);

    public static async Task<FlowMonitor?> MonitorAsync(QodHost host, string subscriptionId, bool present)
    {
        var fleet = host.Services.GetRequiredService<SimulatedFleet>();
        var gateway = fleet.Agents.Single(a => a.AgentId == "sandbox-gw-1");
        var monitorId = $"cis-{Guid.Parse(subscriptionId):N}";
        await Eventually.TrueAsync(() => gateway.LastDesired?.Monitors.Any(m => m.Id == monitorId) == present, $"monitor {(present ? "in" : "out of")} the desired document");
        return gateway.LastDesired?.Monitors.SingleOrDefault(m => m.Id == monitorId);
    }
}

/// <summary>CloudEvents as the sink received them, validated against the subscriptions YAML's event schemas.</summary>
public static class EventContract
{
    public const string SpecFile = "connectivity-insights-subscriptions-v0.6.0.yaml";

    public static void AssertMatches(JsonElement cloudEvent)
    {
        var schemaName = cloudEvent.GetProperty("type").GetString() == Subscribe.Ended ? "EventSubscriptionEnded" : "EventNetworkQuality";
        var spec = CamaraQos.Controller.Tests.Contract.CamaraSpec.Load(SpecFile);
        var schema = spec.Schema($"event {schemaName}", new System.Text.Json.Nodes.JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" });
        var errors = schema.Validate(cloudEvent.GetRawText());
        Assert.True(errors.Count == 0, $"{schemaName}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))} in {cloudEvent}");
        if (schemaName == "EventSubscriptionEnded")
        {
            // The base CloudEvent types data as NetworkQualityInsight; the ended event's own data schema is SubscriptionEnded.
            var data = spec.Schema("data SubscriptionEnded", new System.Text.Json.Nodes.JsonObject { ["$ref"] = "#/components/schemas/SubscriptionEnded" });
            Assert.Empty(data.Validate(cloudEvent.GetProperty("data").GetRawText()));
        }
    }
}
