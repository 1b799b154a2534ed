using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CamaraQos.Lab.Tests;

/// <summary>QoD sessions through the controller's public API (CAMARA quality-on-demand v1).</summary>
public sealed partial class LabRig
{
    public const string Sessions = "/quality-on-demand/v1/sessions";

    // An absent applicationServerPorts means "every port"; never send it as an explicit null.
    private static readonly JsonSerializerOptions OmitNulls = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// A QoS_E session for LAN client 1 (ipv4 public = the gateway's WAN address as the agent reports it,
    /// private = the client's address) to the WAN server, on <paramref name="port"/> or, when null, every
    /// packet of the pair (ICMP included).
    /// </summary>
    public object SessionBody(int? port, int durationSeconds) => new
    {
        device = new { ipv4Address = new { publicAddress = Lab.GatewayWan, privateAddress = Lab.Lan1 } },
        applicationServer = new { ipv4Address = Lab.WanServer },
        applicationServerPorts = port is { } p ? new { ports = new[] { p } } : null,
        qosProfile = "QOS_E",
        duration = durationSeconds,
    };

    /// <summary>POST /sessions; the agent must confirm within the synchronous window, so the 201 says AVAILABLE.</summary>
    public async Task<JsonElement> CreateAvailableSessionAsync(int? port, int durationSeconds)
    {
        var response = await _api!.PostAsJsonAsync(Sessions, SessionBody(port, durationSeconds), OmitNulls);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Xunit.Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {json}");
        Xunit.Assert.True(json.GetProperty("qosStatus").GetString() == "AVAILABLE", $"not applied by the agent: {json}");
        return json;
    }

    public async Task DeleteSessionAsync(string sessionId)
    {
        var response = await _api!.DeleteAsync($"{Sessions}/{sessionId}");
        Xunit.Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task<JsonElement> SessionAsync(string sessionId) =>
        await _api!.GetFromJsonAsync<JsonElement>($"{Sessions}/{sessionId}");
}
