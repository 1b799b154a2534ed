using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Tests.QualityOnDemand;
using CamaraQos.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.HomeDevicesQod;

/// <summary>
/// setQos against the real controller and its sandbox gateways (sandbox-gw-1: 192.168.1.10 on 5 GHz,
/// 192.168.1.11 on Ethernet), every response checked against home-devices-qod-v0.4.0.yaml.
/// </summary>
public sealed class HomeDevicesQodFlowTests : IAsyncLifetime
{
    private const string Qos = HomeDevicesQodErrorTests.Qos;
    private const string Tv = "192.168.1.10";
    private const string Desktop = "192.168.1.11";
    private const string TvPolicy = "wmm-020000000110";
    private readonly string _database = QodHost.NewDatabasePath();
    private QodHost _host = null!;
    private HttpClient _home = null!;

    public async ValueTask InitializeAsync() => await StartAsync(maxDevices: 1);

    private async Task StartAsync(int maxDevices)
    {
        _host = new QodHost(_database, new Dictionary<string, string?> { ["HomeDevicesQod:MaxDevicesPerHome"] = $"{maxDevices}" });
        await _host.FleetOnlineAsync(SimulatedFleet.Gateway1);
        _home = await _host.ThreeLeggedClientAsync("tel:+34600000001");
    }

    public async ValueTask DisposeAsync()
    {
        _home.Dispose();
        await _host.DisposeAsync();
        QodHost.DeleteDatabase(_database);
    }

    private Task<HttpResponseMessage> SetAsync(string serviceClass, string ip) =>
        _home.PutAsJsonAsync(Qos, new { serviceClass, ipAddress = ip });

    private static async Task NoContentAsync(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    private SimulatedAgent Gateway => _host.Services.GetRequiredService<SimulatedFleet>().Agents.Single(a => a.AgentId == SimulatedFleet.Gateway1);

    private Policy? TvPolicyOnGateway => Gateway.LastDesired?.Policies.SingleOrDefault(p => p.Id == TvPolicy);

    [Fact]
    public async Task AClassIsConfirmedByTheGatewayBeforeTheNoContentAndStandardRestoresTheDefault()
    {
        await NoContentAsync(await SetAsync("real_time_interactive", Tv));
        // 204 only after the gateway reported the generation that carries the class.
        Assert.True(Gateway.LastDesired!.Generation <= Gateway.ObservedGeneration); // the document first: a newer one may arrive meanwhile
        var policy = TvPolicyOnGateway;
        Assert.NotNull(policy);
        Assert.Equal(PolicyKind.HomeDevice, policy.Kind);
        Assert.Equal(new FlowMatch(Tv, "02:00:00:00:01:10", null, null, null, FlowProtocol.Any), policy.Match with { ServerIps = null });
        Assert.Equal(Directions.Downstream, policy.Directions);
        Assert.Equal((Dscp.CS4, 4), (policy.Dscp, policy.WifiUserPriority));
        Assert.Null(policy.NotAfter);

        await NoContentAsync(await SetAsync("low_latency_data", Tv));
        Assert.Equal((Dscp.AF21, 3), (TvPolicyOnGateway!.Dscp, TvPolicyOnGateway.WifiUserPriority));

        await NoContentAsync(await SetAsync("standard", Tv));
        Assert.True(Gateway.LastDesired!.Generation <= Gateway.ObservedGeneration); // the document first: a newer one may arrive meanwhile
        Assert.Null(TvPolicyOnGateway);
        await QodErrorTests.AssertErrorAsync(await SetAsync("standard", Tv), 409, "HOME_DEVICES_QOD.QOS_ALREADY_SET_TO_DEFAULT");
    }

    [Fact]
    public async Task TheLimitCountsDevicesWithANonDefaultClassNotChangesOfOne()
    {
        await NoContentAsync(await SetAsync("multimedia_streaming", Tv));
        await QodErrorTests.AssertErrorAsync(await SetAsync("high_throughput_data", Desktop), 409, "HOME_DEVICES_QOD.TOO_MANY_DEVICES");
        Assert.DoesNotContain(Gateway.LastDesired!.Policies, p => p.Id == "wmm-020000000111");
        await NoContentAsync(await SetAsync("broadcast_video", Tv));
        await NoContentAsync(await SetAsync("standard", Tv));
        await NoContentAsync(await SetAsync("high_throughput_data", Desktop));
        Assert.Contains(Gateway.LastDesired!.Policies, p => p.Id == "wmm-020000000111" && p.Dscp == Dscp.AF11);
    }

    [Fact]
    public async Task AGatewayThatWentOfflineIsRouterOfflineAndNothingIsStored()
    {
        await Gateway.DropAsync();
        var directory = _host.Services.GetRequiredService<IAgentDirectory>();
        await Eventually.TrueAsync(() => directory.Find(SimulatedFleet.Gateway1)?.Online == false, "the Last Will");
        await QodErrorTests.AssertErrorAsync(await SetAsync("real_time_interactive", Tv), 503, "HOME_DEVICES_QOD.ROUTER_OFFLINE");
        Assert.Empty(await _host.Services.GetRequiredService<CamaraQos.Controller.HomeDevicesQod.HomeDeviceStore>()
            .ForAgentAsync(SimulatedFleet.Gateway1, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AClassIsPersistedAndSentAgainToTheGatewayAfterAControllerRestart()
    {
        await NoContentAsync(await SetAsync("real_time_interactive", Tv));
        _home.Dispose();
        await _host.DisposeAsync();

        // A new controller on the same database: the embedded broker (and its retained document) is new too.
        await StartAsync(maxDevices: 1);
        await Eventually.TrueAsync(() => TvPolicyOnGateway is not null, "the class republished to the reconnected gateway");
        await QodErrorTests.AssertErrorAsync(await SetAsync("multimedia_streaming", Desktop), 409, "HOME_DEVICES_QOD.TOO_MANY_DEVICES");
    }

    [Fact]
    public async Task TheClassFollowsTheDeviceByMacWhenItsLanAddressChanges()
    {
        await NoContentAsync(await SetAsync("real_time_interactive", Tv));
        var birth = Gateway.Birth;
        // The gateway announces the TV at a new address (the agent's inventory after a DHCP change).
        var moved = birth with { Inventory = [birth.Inventory![0] with { Ip = "192.168.1.20" }, birth.Inventory[1]], At = DateTimeOffset.UtcNow };
        var message = new MQTTnet.MqttApplicationMessageBuilder().WithTopic(Topics.Status(birth.AgentId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(moved, ContractJson.Default.AgentStatus)).Build();
        await _host.Services.GetRequiredService<AgentMessageHandler>().HandleAsync(message, TestContext.Current.CancellationToken);

        await Eventually.TrueAsync(() => TvPolicyOnGateway?.Match.DeviceIp == "192.168.1.20", "the class at the new address");
        await QodErrorTests.AssertErrorAsync(await SetAsync("standard", Tv), 404, "DEVICE_NOT_FOUND");
        await NoContentAsync(await SetAsync("standard", "192.168.1.20"));
        Assert.Null(TvPolicyOnGateway);
    }
}
