using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Tests.QualityOnDemand;
using CamaraQos.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.QosProvisioning;

/// <summary>The whole client flow against the real controller and its sandbox gateways, every response checked against the YAML.</summary>
public sealed class ProvisioningFlowTests : IAsyncLifetime
{
    internal const string Base = "/qos-provisioning/v0.3";
    private readonly QodHost _host = new(settings: new Dictionary<string, string?> { ["QosProvisioning:SynchronousConfirmMilliseconds"] = "10000" });
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await _host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2", "sandbox-gw-offline");
        _client = await _host.ClientAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    internal static object Body(string phone, string profile = "QOS_E", string? sink = null) => new
    {
        device = new { phoneNumber = phone },
        qosProfile = profile,
        sink,
        sinkCredential = sink is null ? null : new { credentialType = "ACCESSTOKEN", accessToken = "sink-token-p", accessTokenExpiresUtc = DateTimeOffset.UtcNow.AddHours(1), accessTokenType = "bearer" },
    };

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    private Policy? PolicyOn(string agentId, string policyId) =>
        _host.Services.GetRequiredService<SimulatedFleet>().Agents.Single(a => a.AgentId == agentId)
            .LastDesired?.Policies.SingleOrDefault(p => p.Id == policyId);

    [Fact]
    public async Task AnAssignmentIsAvailableOnceTheGatewayAppliesAWholeDevicePolicyWithoutEnd()
    {
        var created = await ReadAsync(await _client.PostAsJsonAsync($"{Base}/qos-assignments", Body("+34600000001")), HttpStatusCode.Created);
        Assert.Equal("AVAILABLE", created.GetProperty("status").GetString());
        Assert.True(created.TryGetProperty("startedAt", out _));
        Assert.Equal("""{"phoneNumber":"+34600000001"}""", created.GetProperty("device").GetRawText());
        var id = created.GetProperty("assignmentId").GetGuid();
        var policy = PolicyOn("sandbox-gw-1", $"qos-{id:N}");
        Assert.NotNull(policy);
        Assert.Equal(PolicyKind.Device, policy.Kind);
        Assert.Equal(new FlowMatch("192.168.1.10", "02:00:00:00:01:10", null, null, null, FlowProtocol.Any), policy.Match with { ServerIps = null });
        Assert.Null(policy.Match.ServerIps);
        Assert.Equal(Directions.Both, policy.Directions);
        Assert.Null(policy.NotAfter);
        var read = await ReadAsync(await _client.GetAsync($"{Base}/qos-assignments/{id}"), HttpStatusCode.OK);
        Assert.Equal("AVAILABLE", read.GetProperty("status").GetString());
        Assert.Equal("QOS_E", read.GetProperty("qosProfile").GetString());
    }

    [Fact]
    public async Task RetrieveByDeviceFindsTheAssignmentAndASecondOneForTheSameDeviceConflicts()
    {
        var created = await ReadAsync(await _client.PostAsJsonAsync($"{Base}/qos-assignments", Body("+34600000002")), HttpStatusCode.Created);
        var byPhone = await ReadAsync(await _client.PostAsJsonAsync($"{Base}/retrieve-qos-assignment", new { device = new { phoneNumber = "+34600000002" } }), HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("assignmentId").GetGuid(), byPhone.GetProperty("assignmentId").GetGuid());
        // The same device by its address behind gateway 2's public address.
        var byIp = await ReadAsync(await _client.PostAsJsonAsync($"{Base}/retrieve-qos-assignment",
            new { device = new { ipv4Address = new { publicAddress = "198.51.100.2", privateAddress = "192.168.1.10" } } }), HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("assignmentId").GetGuid(), byIp.GetProperty("assignmentId").GetGuid());
        var conflict = await _client.PostAsJsonAsync($"{Base}/qos-assignments", new { device = new { ipv4Address = new { publicAddress = "198.51.100.2", privateAddress = "192.168.1.10" } }, qosProfile = "QOS_L" });
        await QodErrorTests.AssertErrorAsync(conflict, 409, "CONFLICT");
    }

    [Fact]
    public async Task RevokingAnAvailableAssignmentIsAcceptedUntilTheGatewayDropsItAndTheSinkHearsEveryChange()
    {
        await using var sink = await SinkRecorder.StartAsync();
        // An http sink on loopback is outside the spec's https pattern, so this client is not contract-checked.
        var client = await _host.ClientAsync(checkContract: false);
        var created = await ReadAsync(await client.PostAsJsonAsync($"{Base}/qos-assignments", Body("+34600000001", sink: sink.Url)), HttpStatusCode.Created);
        var id = created.GetProperty("assignmentId").GetGuid();
        var accepted = await ReadAsync(await client.DeleteAsync($"{Base}/qos-assignments/{id}"), HttpStatusCode.Accepted);
        Assert.Equal("AVAILABLE", accepted.GetProperty("status").GetString());
        Assert.Equal("DELETE_REQUESTED", accepted.GetProperty("statusInfo").GetString());
        await Eventually.TrueAsync(async () => (await client.GetAsync($"{Base}/qos-assignments/{id}")).StatusCode == HttpStatusCode.NotFound, "revoke completed");
        Assert.Null(PolicyOn("sandbox-gw-1", $"qos-{id:N}"));
        await Eventually.TrueAsync(() => Events(sink, id).Count == 2, "two status-changed events");
        var events = Events(sink, id);
        Assert.All(events, e => Assert.Equal("org.camaraproject.qos-provisioning.v0.status-changed", e.GetProperty("type").GetString()));
        Assert.Equal("AVAILABLE", events[0].GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("UNAVAILABLE", events[1].GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("DELETE_REQUESTED", events[1].GetProperty("data").GetProperty("statusInfo").GetString());
        Assert.All(sink.Received, r => Assert.Equal("Bearer sink-token-p", r.Authorization));
        // The device is free again.
        await ReadAsync(await _client.PostAsJsonAsync($"{Base}/qos-assignments", Body("+34600000001")), HttpStatusCode.Created);
    }

    private static List<JsonElement> Events(SinkRecorder sink, Guid id) =>
        [.. sink.Received.Select(r => r.Body).Where(b => b.GetProperty("data").GetProperty("assignmentId").GetGuid() == id)];

    [Fact]
    public async Task RevokingAnAssignmentTheGatewayNeverAppliedIsImmediate()
    {
        var created = await ReadAsync(await _client.PostAsJsonAsync($"{Base}/qos-assignments", Body("+34600000003")), HttpStatusCode.Created);
        Assert.Equal("REQUESTED", created.GetProperty("status").GetString());
        Assert.False(created.TryGetProperty("startedAt", out _));
        var id = created.GetProperty("assignmentId").GetGuid();
        await Eventually.TrueAsync(() => PolicyOn("sandbox-gw-offline", $"qos-{id:N}") is not null, "policy sent to the gateway");
        await ReadAsync(await _client.DeleteAsync($"{Base}/qos-assignments/{id}"), HttpStatusCode.NoContent);
        await QodErrorTests.AssertErrorAsync(await _client.GetAsync($"{Base}/qos-assignments/{id}"), 404, "NOT_FOUND");
        await Eventually.TrueAsync(() => PolicyOn("sandbox-gw-offline", $"qos-{id:N}") is null, "policy withdrawn from the gateway");
    }

    [Fact]
    public async Task TheAssignmentFollowsItsDeviceWhenItsLanAddressChanges()
    {
        var created = await ReadAsync(await _client.PostAsJsonAsync($"{Base}/qos-assignments", Body("+34600000002")), HttpStatusCode.Created);
        var policyId = $"qos-{created.GetProperty("assignmentId").GetGuid():N}";
        var fleet = _host.Services.GetRequiredService<SimulatedFleet>().Agents.Single(a => a.AgentId == "sandbox-gw-2");
        // The gateway announces the same MAC at a new address, as the agent's status does after a DHCP change.
        var moved = fleet.Birth with { Inventory = [new LanDevice("192.168.1.77", "02:00:00:00:02:10", "eth1", null)] };
        await AnnounceAsync(moved);
        await Eventually.TrueAsync(() => PolicyOn("sandbox-gw-2", policyId)?.Match.DeviceIp == "192.168.1.77", "policy re-targeted at the new address");
        var read = await ReadAsync(await _client.GetAsync($"{Base}/qos-assignments/{created.GetProperty("assignmentId").GetGuid()}"), HttpStatusCode.OK);
        Assert.Equal("AVAILABLE", read.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AFailedApplyOnTheGatewayDoesNotEndAnAvailableAssignment()
    {
        var created = await ReadAsync(await _client.PostAsJsonAsync($"{Base}/qos-assignments", Body("+34600000002")), HttpStatusCode.Created);
        var id = created.GetProperty("assignmentId").GetGuid();
        await Eventually.TrueAsync(async () => (await ReadAsync(await _client.GetAsync($"{Base}/qos-assignments/{id}"), HttpStatusCode.OK))
            .GetProperty("status").GetString() == "AVAILABLE", "the assignment AVAILABLE");
        var gateway = _host.Services.GetRequiredService<SimulatedFleet>().Agents.Single(a => a.AgentId == "sandbox-gw-2");

        // The kernel refused a document (every policy Failed, as the agent reports it), then a QoD session on the
        // same gateway is confirmed: its report comes after the failed one, so the controller has handled both.
        await gateway.ReportFailedAsync("tc exited 2: RTNETLINK answers: No buffer space available", CancellationToken.None);
        var session = await _client.PostAsJsonAsync("/quality-on-demand/v1/sessions", new
        {
            device = new { phoneNumber = "+34600000002" },
            applicationServer = new { ipv4Address = "203.0.113.10" },
            qosProfile = "QOS_E",
            duration = 60,
        });
        Assert.Equal("AVAILABLE", (await ReadAsync(session, HttpStatusCode.Created)).GetProperty("qosStatus").GetString());

        var read = await ReadAsync(await _client.GetAsync($"{Base}/qos-assignments/{id}"), HttpStatusCode.OK);
        Assert.Equal("AVAILABLE", read.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AGatewayBackFromARebootIsSentItsAssignmentsAgain()
    {
        var created = await ReadAsync(await _client.PostAsJsonAsync($"{Base}/qos-assignments", Body("+34600000002")), HttpStatusCode.Created);
        var policyId = $"qos-{created.GetProperty("assignmentId").GetGuid():N}";
        var agent = _host.Services.GetRequiredService<SimulatedFleet>().Agents.Single(a => a.AgentId == "sandbox-gw-2");
        var before = agent.LastDesired!.Generation;
        // Last Will (offline), then a birth with a new boot epoch, as a rebooted gateway announces itself.
        await AnnounceAsync(agent.Birth with { Online = false });
        await AnnounceAsync(agent.Birth with { BootEpoch = agent.Birth.BootEpoch + 1 });
        await Eventually.TrueAsync(() => agent.LastDesired!.Generation > before && PolicyOn("sandbox-gw-2", policyId) is not null, "assignments republished after the reboot");
    }

    private async Task AnnounceAsync(AgentStatus status)
    {
        var view = await _host.Services.GetRequiredService<AgentDirectory>().ApplyStatusAsync(status, false, CancellationToken.None);
        foreach (var observer in _host.Services.GetServices<IAgentObserver>())
        {
            await observer.OnStatusAsync(view!, CancellationToken.None);
        }
    }

    [Fact]
    public async Task AnotherClientOrSubscriberCannotSeeTheAssignment()
    {
        var created = await ReadAsync(await _client.PostAsJsonAsync($"{Base}/qos-assignments", Body("+34600000002")), HttpStatusCode.Created);
        var id = created.GetProperty("assignmentId").GetGuid();
        using var readOnly = await _host.ClientAsync("sandbox-readonly", "sandbox-readonly-secret");
        await QodErrorTests.AssertErrorAsync(await readOnly.GetAsync($"{Base}/qos-assignments/{id}"), 403, "PERMISSION_DENIED");
        await QodErrorTests.AssertErrorAsync(await readOnly.PostAsJsonAsync($"{Base}/retrieve-qos-assignment", new { device = new { phoneNumber = "+34600000002" } }), 403, "PERMISSION_DENIED");
        using var otherSubscriber = await _host.ThreeLeggedClientAsync("tel:+34600000001");
        await QodErrorTests.AssertErrorAsync(await otherSubscriber.GetAsync($"{Base}/qos-assignments/{id}"), 403, "PERMISSION_DENIED");
        await QodErrorTests.AssertErrorAsync(await otherSubscriber.DeleteAsync($"{Base}/qos-assignments/{id}"), 403, "PERMISSION_DENIED");
        await ReadAsync(await _client.GetAsync($"{Base}/qos-assignments/{id}"), HttpStatusCode.OK);
    }
}
