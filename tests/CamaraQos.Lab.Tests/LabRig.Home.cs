using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CamaraQos.Lab.Tests;

/// <summary>The lab's home: a subscriber bound to the lab gateway, Home Devices QoD and QoS provisioning through the public APIs.</summary>
public sealed partial class LabRig
{
    public const string HomeQos = "/home-devices-qod/v0.4/qos";
    public const string Assignments = "/qos-provisioning/v0.3/qos-assignments";

    /// <summary>Binds a subscriber (phone number) to the lab gateway through the admin API and returns a 3-legged client for them.</summary>
    public async Task<HttpClient> HomeClientAsync(string phoneNumber)
    {
        (await _admin!.PutAsJsonAsync($"/admin/v1/subscribers/lab-{AgentId}", new { phoneNumbers = new[] { phoneNumber }, agentId = AgentId }))
            .EnsureSuccessStatusCode();
        return await _controller!.ThreeLeggedClientAsync("tel:" + phoneNumber);
    }

    /// <summary>PUT /qos; returns the status and, for an error, the CAMARA code.</summary>
    public static async Task<(HttpStatusCode Status, string? Code)> SetHomeQosAsync(HttpClient home, string serviceClass, string ip)
    {
        var response = await home.PutAsJsonAsync(HomeQos, new { serviceClass, ipAddress = ip });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
    }

    /// <summary>A QOS_E assignment for LAN client 1 (public = the gateway's WAN address, private = the client), AVAILABLE once the agent applied it.</summary>
    public async Task<string> CreateAvailableAssignmentAsync()
    {
        var body = new { device = new { ipv4Address = new { publicAddress = Lab.GatewayWan, privateAddress = Lab.Lan1 } }, qosProfile = "QOS_E" };
        var response = await _api!.PostAsJsonAsync(Assignments, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Xunit.Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {json}");
        var id = json.GetProperty("assignmentId").GetString()!;
        await Until.TrueAsync(async () => (await AssignmentAsync(id)).GetProperty("status").GetString() == "AVAILABLE", "the assignment AVAILABLE", 15);
        return id;
    }

    public async Task<JsonElement> AssignmentAsync(string assignmentId) =>
        await _api!.GetFromJsonAsync<JsonElement>($"{Assignments}/{assignmentId}");
}
