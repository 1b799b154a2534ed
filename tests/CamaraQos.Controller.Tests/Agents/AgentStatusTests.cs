using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Shared;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit;

namespace CamaraQos.Controller.Tests.Agents;

public sealed class AgentStatusTests : IAsyncLifetime
{
    private const string Password = "status-test-password";
    private readonly TempDatabase _db = new();
    private AgentsHost _host = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = new AgentsHost(_db);
        await _host.StartAsync(Ct);
        await _host.RegisterAsync("gw-s", Password, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _db.Dispose();
    }

    [Fact]
    public async Task BirthStatusAppearsInTheAdminListWithItsInventory()
    {
        await using var agent = new SimulatedAgent(AgentsHost.Birth("gw-s", 42), Password);
        await agent.StartAsync(_host.Endpoint.Host, _host.Endpoint.Port, Ct);
        await _host.Observer.WaitAsync(s => s.Kind == "status" && s.Agent.Online, Ct);

        using var admin = await _host.AdminAsync(Ct);
        var list = await admin.GetFromJsonAsync<JsonElement>("/admin/v1/agents", Ct);
        var gw = Assert.Single(list.EnumerateArray());
        Assert.Equal(
            ["agentId", "online", "bootEpoch", "capabilities", "wanAddresses", "lanPrefixes", "inventory", "desiredGeneration", "observedGeneration"],
            gw.EnumerateObject().Select(p => p.Name));
        Assert.True(gw.GetProperty("online").GetBoolean());
        Assert.Equal(42, gw.GetProperty("bootEpoch").GetInt64());
        Assert.Equal("203.0.113.7", gw.GetProperty("wanAddresses").GetProperty("ipv4")[0].GetString());
        Assert.Equal("2001:db8:99::/56", gw.GetProperty("wanAddresses").GetProperty("ipv6Prefixes")[0].GetString());
        var inventory = gw.GetProperty("inventory");
        Assert.Equal("""{"ip":"192.168.7.20","mac":"02:00:00:00:07:20","interface":"wlan0","band":"5GHz"}""", inventory[0].GetRawText());
        Assert.Equal(JsonValueKind.Null, inventory[1].GetProperty("band").ValueKind);
    }

    [Fact]
    public async Task ALastWillFromTheSameBootMarksTheAgentOffline()
    {
        var agent = new SimulatedAgent(AgentsHost.Birth("gw-s", 10), Password);
        await agent.StartAsync(_host.Endpoint.Host, _host.Endpoint.Port, Ct);
        await _host.Observer.WaitAsync(s => s.Kind == "status" && s.Agent.Online, Ct);

        await agent.DropAsync();

        var death = await _host.Observer.WaitAsync(s => s.Kind == "status" && !s.Agent.Online, Ct);
        Assert.Equal(10, death.Agent.BootEpoch);
        Assert.Single(death.Agent.Inventory, d => d.Ip == "192.168.7.20");
        await agent.DisposeAsync();
    }

    [Fact]
    public async Task ALateLastWillWithAnOlderBootEpochDoesNotMarkANewerBirthOffline()
    {
        using var client = await ConnectAsync("gw-s");
        await PublishStatusAsync(client, AgentsHost.Birth("gw-s", 200));
        await PublishStatusAsync(client, AgentsHost.Birth("gw-s", 199, online: false));
        // Marker: messages of one session arrive in order, so the stale death was handled before it.
        await PublishAsync(client, Topics.Reported("gw-s"), Reported("gw-s", 0));
        await _host.Observer.WaitAsync(s => s.Kind == "reported", Ct);

        var view = _host.Directory.Find("gw-s")!;
        Assert.True(view.Online);
        Assert.Equal(200, view.BootEpoch);
    }

    [Theory]
    [InlineData("status", "not json")]
    [InlineData("status", """{"schemaVersion":2,"agentId":"gw-s","online":false,"bootEpoch":999,"at":"2025-01-01T00:00:00Z"}""")]
    [InlineData("status", """{"schemaVersion":1,"agentId":"gw-other","online":false,"bootEpoch":999,"at":"2025-01-01T00:00:00Z"}""")]
    [InlineData("status", """{"schemaVersion":1,"agentId":"gw-s","online":"yes","bootEpoch":999}""")]
    [InlineData("status", "")]
    [InlineData("reported", """{"schemaVersion":1,"agentId":"gw-s","observedGeneration":"many"}""")]
    [InlineData("reported", "[1,2,3]")]
    [InlineData("telemetry", "{")]
    public async Task MalformedOrForeignMessagesAreIgnoredAndTheControllerKeepsListening(string kind, string payload)
    {
        using var client = await ConnectAsync("gw-s");
        await PublishStatusAsync(client, AgentsHost.Birth("gw-s", 300));
        await _host.Observer.WaitAsync(s => s.Kind == "status", Ct);

        await PublishAsync(client, $"{Topics.Root}/gw-s/{kind}", Encoding.UTF8.GetBytes(payload));
        await PublishAsync(client, Topics.Reported("gw-s"), Reported("gw-s", 5));

        var next = await _host.Observer.NextAsync("gw-s", Ct);
        Assert.Equal("reported", next.Kind);
        Assert.Equal(5, next.Agent.ObservedGeneration);
        var view = _host.Directory.Find("gw-s")!;
        Assert.True(view.Online);
        Assert.Equal(300, view.BootEpoch);
        Assert.True(_host.Services.GetService(typeof(ControllerMqttClient)) is ControllerMqttClient { IsConnected: true });
    }

    private async Task<IMqttClient> ConnectAsync(string agentId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(_host.MqttOptionsFor(agentId, agentId, Password), Ct);
        return client;
    }

    private static byte[] Reported(string agentId, long generation) => JsonSerializer.SerializeToUtf8Bytes(
        new ReportedState(global::CamaraQos.Shared.Contract.SchemaVersion, agentId, 1, generation, DateTimeOffset.UtcNow, [], "", null),
        ContractJson.Default.ReportedState);

    private static Task PublishStatusAsync(IMqttClient client, AgentStatus status) =>
        PublishAsync(client, Topics.Status(status.AgentId), JsonSerializer.SerializeToUtf8Bytes(status, ContractJson.Default.AgentStatus));

    private static async Task PublishAsync(IMqttClient client, string topic, byte[] payload)
    {
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        Assert.True(result.IsSuccess, result.ReasonCode.ToString());
    }
}
