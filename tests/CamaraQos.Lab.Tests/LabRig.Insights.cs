using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Telemetry;
using CamaraQos.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace CamaraQos.Lab.Tests;

/// <summary>Application profiles, check-network-quality and insights subscriptions through the controller's public API.</summary>
public sealed partial class LabRig
{
    public const string Profiles = "/application-profiles/v0.5/application-profiles";
    public const string CheckNetworkQuality = "/connectivity-insights/v0.6/check-network-quality";
    public const string InsightsSubscriptions = "/connectivity-insights-subscriptions/v0.6/subscriptions";
    public const string NetworkQualityEvent = "org.camaraproject.connectivity-insights-subscriptions.v0.network-quality";
    public const string SubscriptionEndedEvent = "org.camaraproject.connectivity-insights-subscriptions.v0.subscription-ended";
    public const string Meets = "meets the application requirements";
    public const string UnableToMeet = "unable to meet the application requirements";

    /// <summary>LAN client 1 as the insights APIs name it: the gateway's WAN address and the client's own.</summary>
    private object Lan1Device => new { ipv4Address = new { publicAddress = Lab.GatewayWan, privateAddress = Lab.Lan1 } };

    /// <summary>A profile whose only threshold is a one-way packet delay budget; returns its id.</summary>
    public async Task<string> CreateLatencyProfileAsync(int budgetMs)
    {
        var response = await _api!.PostAsJsonAsync(Profiles, new
        {
            networkQualityThresholds = new { packetDelayBudget = new { value = budgetMs, unit = "Milliseconds" } },
        });
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Xunit.Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {json}");
        return json.GetProperty("applicationProfileId").GetString()!;
    }

    /// <summary>check-network-quality for LAN client 1's flow to the WAN server on <paramref name="port"/>.</summary>
    public async Task<JsonElement> CheckAsync(string profileId, int port)
    {
        var response = await _api!.PostAsJsonAsync(CheckNetworkQuality, new
        {
            applicationProfileId = profileId,
            device = Lan1Device,
            applicationServer = new { ipv4Address = Lab.WanServer },
            applicationServerPorts = new { ports = new[] { port } },
        });
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Xunit.Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {json}");
        return json;
    }

    /// <summary>The packetDelayBudget verdict of a check, or null when the controller had too little data to say.</summary>
    public async Task<string?> DelayVerdictAsync(string profileId, int port) =>
        (await CheckAsync(profileId, port)).TryGetProperty("packetDelayBudget", out var verdict) ? verdict.GetString() : null;

    /// <summary>A network-quality subscription for LAN client 1's flow to the WAN server on <paramref name="port"/>; returns its id.</summary>
    public async Task<string> SubscribeAsync(string profileId, int port, string sink, int? maxEvents = null, DateTimeOffset? expireAt = null)
    {
        var response = await _api!.PostAsJsonAsync(InsightsSubscriptions, new
        {
            protocol = "HTTP",
            sink,
            types = new[] { NetworkQualityEvent },
            config = new
            {
                subscriptionDetail = new
                {
                    device = Lan1Device,
                    applicationServer = new { ipv4Address = Lab.WanServer },
                    applicationServerPorts = new { ports = new[] { port } },
                    applicationProfileId = profileId,
                },
                subscriptionMaxEvents = maxEvents,
                subscriptionExpireTime = expireAt?.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                initialEvent = false,
            },
        }, OmitNulls);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Xunit.Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {json}");
        return json.GetProperty("subscriptionId").GetString()!;
    }

    public async Task<HttpStatusCode> SubscriptionStatusAsync(string subscriptionId) =>
        (await _api!.GetAsync($"{InsightsSubscriptions}/{subscriptionId}")).StatusCode;

    /// <summary>The reports the controller holds from this rig's agent, oldest first (what the insights judge).</summary>
    public IReadOnlyList<ReceivedReport> Reports() => _controller!.Services.GetRequiredService<TelemetryStore>().Recent(AgentId);

    /// <summary>The agent's own verdict for a monitor in its newest report that has one, or null.</summary>
    public MonitorVerdict? AgentVerdict(string monitorId) => Reports()
        .Select(r => r.Report.Verdicts.FirstOrDefault(v => v.MonitorId == monitorId)).LastOrDefault(v => v is not null);
}
