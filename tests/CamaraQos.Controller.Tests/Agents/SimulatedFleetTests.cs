using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.Agents;

public sealed class SimulatedFleetTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();
    private AgentsHost _host = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = new AgentsHost(_db, s => s.AddSimulatedFleet());
        await _host.StartAsync(Ct);
        await _host.Services.GetRequiredService<SimulatedFleet>().Started.WaitAsync(Ct);
        var births = new HashSet<string>();
        while (births.Count < 3)
        {
            var seen = await _host.Observer.WaitAsync(s => s.Kind == "status" && s.Agent.Online, Ct);
            births.Add(seen.Agent.AgentId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _db.Dispose();
    }

    [Fact]
    public async Task TheSandboxGatewaysAnnounceTheAddressesAndDevicesOfTheOperationalContract()
    {
        using var admin = await _host.AdminAsync(Ct);
        var agents = (await admin.GetFromJsonAsync<JsonElement>("/admin/v1/agents", Ct)).EnumerateArray()
            .ToDictionary(a => a.GetProperty("agentId").GetString()!);

        Assert.Equal(["sandbox-gw-1", "sandbox-gw-2", "sandbox-gw-offline"], agents.Keys.Order());
        Assert.All(agents.Values, a => Assert.True(a.GetProperty("online").GetBoolean()));
        Assert.Equal("""{"ipv4":["198.51.100.1"],"ipv6Prefixes":["2001:db8:1::/56"]}""", agents["sandbox-gw-1"].GetProperty("wanAddresses").GetRawText());
        Assert.Equal("""{"ipv4":["198.51.100.2"],"ipv6Prefixes":["2001:db8:2::/56"]}""", agents["sandbox-gw-2"].GetProperty("wanAddresses").GetRawText());
        Assert.Equal("""{"ipv4":["198.51.100.3"],"ipv6Prefixes":[]}""", agents["sandbox-gw-offline"].GetProperty("wanAddresses").GetRawText());
        Assert.Equal(
            """[{"ip":"192.168.1.10","mac":"02:00:00:00:01:10","interface":"wlan0","band":"5GHz"},{"ip":"192.168.1.11","mac":"02:00:00:00:01:11","interface":"eth1","band":null}]""",
            agents["sandbox-gw-1"].GetProperty("inventory").GetRawText());
        Assert.Equal("02:00:00:00:02:10", agents["sandbox-gw-2"].GetProperty("inventory")[0].GetProperty("mac").GetString());
        Assert.Equal("02:00:00:00:03:10", agents["sandbox-gw-offline"].GetProperty("inventory")[0].GetProperty("mac").GetString());
    }

    [Fact]
    public async Task SandboxGatewaysConfirmDesiredDocumentsExceptTheOfflineOne()
    {
        var fleet = _host.Services.GetRequiredService<SimulatedFleet>();
        var offline = fleet.Agents.Single(a => a.AgentId == SimulatedFleet.GatewayOffline);

        var toOffline = await _host.Publisher.PublishAsync(SimulatedFleet.GatewayOffline, Ct);
        var toGw1 = await _host.Publisher.PublishAsync(SimulatedFleet.Gateway1, Ct);

        var confirmed = await _host.Observer.WaitAsync(s => s.Kind == "reported", Ct);
        Assert.Equal(SimulatedFleet.Gateway1, confirmed.Agent.AgentId);
        Assert.Equal(toGw1.Generation, confirmed.Agent.ObservedGeneration);
        // The offline gateway received its document (it is online) but never reports it.
        Assert.Equal(toOffline.Generation, offline.LastDesired?.Generation);
        Assert.Equal(0, _host.Directory.Find(SimulatedFleet.GatewayOffline)!.ObservedGeneration);
    }
}
