using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Tests.Health;
using CamaraQos.Shared;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Protocol;
using Xunit;

namespace CamaraQos.Controller.Tests.Agents;

/// <summary>
/// <c>Mqtt:Provisioning=MosquittoDynamicSecurity</c> against a private Mosquitto with the real plugin: what
/// the admin API provisions is what the broker enforces (docs/ARCHITECTURE.md §4).
/// </summary>
public sealed class DynamicSecurityTests : IAsyncLifetime
{
    public const string ControllerUser = "camaraqos-controller";
    public const string ControllerPassword = "controller-admin-password-1";
    private const string Password = "correct-horse-battery";
    private readonly TempDatabase _db = new();
    private PrivateMosquitto _broker = null!;
    private AgentsHost _host = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The controller settings of an operator's Mosquitto with dynamic security (README, "From one controller to many").</summary>
    public static Dictionary<string, string?> ExternalSettings(int port) => new()
    {
        ["Mqtt:Mode"] = "External",
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["Mqtt:Username"] = ControllerUser,
        ["Mqtt:Password"] = ControllerPassword,
        ["Mqtt:Provisioning"] = "MosquittoDynamicSecurity",
    };

    public async ValueTask InitializeAsync()
    {
        _broker = await PrivateMosquitto.StartWithDynamicSecurityAsync(ControllerUser, ControllerPassword);
        _host = new AgentsHost(_db, settings: ExternalSettings(_broker.Port));
        await _host.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _broker.DisposeAsync();
        _db.Dispose();
    }

    [Fact]
    public async Task APutAgentLogsInWithItsCredentialsAndReceivesItsDesiredDocument()
    {
        using var admin = await _host.AdminAsync(Ct);
        using var put = await admin.PutAsJsonAsync("/admin/v1/agents/gw-a", new { password = Password }, Ct);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        await using var agent = new SimulatedAgent(AgentsHost.Birth("gw-a", 7), Password);
        await agent.StartAsync(_host.Endpoint.Host, _host.Endpoint.Port, Ct);
        await _host.Observer.WaitAsync(s => s.Kind == "status" && s.Agent.AgentId == "gw-a" && s.Agent.Online, Ct);
        // The controller's own role lets it publish the document; the agent's lets it subscribe and report.
        var sent = await _host.Publisher.PublishAsync("gw-a", Ct);
        await agent.WaitForObservedAsync(sent.Generation, Ct);
        var reported = await _host.Observer.WaitAsync(s => s.Kind == "reported" && s.Agent.AgentId == "gw-a", Ct);
        Assert.Equal(sent.Generation, reported.Agent.ObservedGeneration);
    }

    [Fact]
    public async Task AnAgentsClientIdIsBoundToItsUserName()
    {
        await _host.RegisterAsync("gw-a", Password, Ct);
        await _host.RegisterAsync("gw-b", Password + "-b", Ct);

        using var client = new MqttClientFactory().CreateMqttClient();
        var code = await ConnectCodeAsync(client, _host.MqttOptionsFor("gw-b", "gw-a", Password));

        Assert.NotEqual(MqttClientConnectResultCode.Success, code);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task AnAgentCannotSubscribeToAnotherAgentsTopicsOrWildcards()
    {
        await _host.RegisterAsync("gw-a", Password, Ct);
        await _host.RegisterAsync("gw-b", Password + "-b", Ct);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(_host.MqttOptionsFor("gw-a", "gw-a", Password), Ct);

        var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.Desired("gw-b"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.AllOf(Topics.DesiredKind), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.Status("gw-b"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.Desired("gw-a"), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), Ct);

        var codes = result.Items.Select(i => i.ResultCode).ToArray();
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes[0]);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes[1]);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes[2]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, codes[3]);
    }

    [Fact]
    public async Task AnAgentsPublishToAnotherAgentsTopicNeverReachesTheController()
    {
        await _host.RegisterAsync("gw-a", Password, Ct);
        await _host.RegisterAsync("gw-b", Password + "-b", Ct);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(_host.MqttOptionsFor("gw-a", "gw-a", Password), Ct);
        var forged = JsonSerializer.SerializeToUtf8Bytes(AgentsHost.Birth("gw-b", 5), ContractJson.Default.AgentStatus);

        await client.PublishAsync(Message(Topics.Status("gw-b"), forged), Ct);
        await client.PublishAsync(Message(Topics.Desired("gw-a"), forged), Ct);
        await client.PublishAsync(Message(Topics.Status("gw-a"),
            JsonSerializer.SerializeToUtf8Bytes(AgentsHost.Birth("gw-a", 5), ContractJson.Default.AgentStatus)), Ct);

        // The broker forwards one session's messages in order: once gw-a's own birth arrived, a forged gw-b
        // status would have arrived before it.
        var first = await _host.Observer.WaitAsync(s => s.Kind == "status", Ct);
        Assert.Equal("gw-a", first.Agent.AgentId);
        Assert.False(_host.Directory.Find("gw-b")!.Online);
    }

    [Fact]
    public async Task RotatingThePasswordMakesTheOldOneFail()
    {
        using var admin = await _host.AdminAsync(Ct);
        using var first = await admin.PutAsJsonAsync("/admin/v1/agents/gw-a", new { password = Password }, Ct);
        using var second = await admin.PutAsJsonAsync("/admin/v1/agents/gw-a", new { password = Password + "-new" }, Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);

        using var old = new MqttClientFactory().CreateMqttClient();
        Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectCodeAsync(old, _host.MqttOptionsFor("gw-a", "gw-a", Password)));
        using var rotated = new MqttClientFactory().CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectCodeAsync(rotated, _host.MqttOptionsFor("gw-a", "gw-a", Password + "-new")));
    }

    [Fact]
    public async Task DeletingAnAgentWithdrawsItsLoginAndEndsItsSession()
    {
        await _host.RegisterAsync("gw-a", Password, Ct);
        using var session = new MqttClientFactory().CreateMqttClient();
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        session.DisconnectedAsync += _ => { ended.TrySetResult(); return Task.CompletedTask; };
        await session.ConnectAsync(_host.MqttOptionsFor("gw-a", "gw-a", Password), Ct);

        using var admin = await _host.AdminAsync(Ct);
        using var deleted = await admin.DeleteAsync("/admin/v1/agents/gw-a", Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ended.Task.WaitAsync(Ct);
        using var again = new MqttClientFactory().CreateMqttClient();
        Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectCodeAsync(again, _host.MqttOptionsFor("gw-a", "gw-a", Password)));
    }

    [Fact]
    public async Task TheControllersOwnUserCannotBeProvisionedAsAnAgent()
    {
        using var admin = await _host.AdminAsync(Ct);
        using var put = await admin.PutAsJsonAsync($"/admin/v1/agents/{ControllerUser}", new { password = Password }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        var error = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("CONFLICT", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ABrokerClientThatIsNotAnAgentIsNeitherOverwrittenNorDeleted()
    {
        // Another application's client on the same broker, made by its operator as the docs show.
        using (var ctrl = System.Diagnostics.Process.Start("/usr/bin/mosquitto_ctrl",
            ["-h", "127.0.0.1", "-p", _broker.Port.ToString(CultureInfo.InvariantCulture), "-u", ControllerUser, "-P", ControllerPassword,
             "dynsec", "createClient", "meter-7", "-p", "meter-password-1"])!)
        {
            await ctrl.WaitForExitAsync(Ct);
            Assert.Equal(0, ctrl.ExitCode);
        }
        using var admin = await _host.AdminAsync(Ct);

        using var put = await admin.PutAsJsonAsync("/admin/v1/agents/meter-7", new { password = Password }, Ct);
        using var delete = await admin.DeleteAsync("/admin/v1/agents/meter-7", Ct);

        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        using var meter = new MqttClientFactory().CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectCodeAsync(meter, _host.MqttOptionsFor("meter-7", "meter-7", "meter-password-1")));
    }

    [Fact]
    public async Task WhileTheBrokerIsDownAPutIs503AndChangesNothing()
    {
        await _broker.StopAsync();
        using var admin = await _host.AdminAsync(Ct);
        using var put = await admin.PutAsJsonAsync("/admin/v1/agents/gw-a", new { password = Password }, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, put.StatusCode);
        var error = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.Contains("Mqtt:ProvisioningTimeoutSeconds", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(_host.Directory.Find("gw-a"));
    }

    [Fact]
    public async Task TwoControllersProvisioningOneAgentAtOnceBothSucceedAndTheAgentLogsInWithOneOfThePasswords()
    {
        using var otherDatabase = new TempDatabase();
        await using var other = new AgentsHost(otherDatabase, settings: ExternalSettings(_broker.Port));
        await other.StartAsync(Ct);
        using var adminA = await _host.AdminAsync(Ct);
        using var adminB = await other.AdminAsync(Ct);

        var puts = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? adminA : adminB).PutAsJsonAsync("/admin/v1/agents/gw-a", new { password = $"{Password}-{i}" }, Ct)));

        Assert.All(puts, p => Assert.True(p.IsSuccessStatusCode, $"{p.StatusCode}"));
        var codes = new List<MqttClientConnectResultCode>();
        for (var i = 0; i < 4; i++)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            codes.Add(await ConnectCodeAsync(client, _host.MqttOptionsFor("gw-a", "gw-a", $"{Password}-{i}")));
        }
        Assert.Single(codes, c => c == MqttClientConnectResultCode.Success);
        foreach (var put in puts)
        {
            put.Dispose();
        }
    }

    private static MqttApplicationMessage Message(string topic, byte[] payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    /// <summary>MQTTnet reports a refused CONNECT either as a result or as an exception carrying it.</summary>
    private static async Task<MqttClientConnectResultCode> ConnectCodeAsync(IMqttClient client, MqttClientOptions options)
    {
        try
        {
            return (await client.ConnectAsync(options, Ct)).ResultCode;
        }
        catch (MqttConnectingFailedException ex)
        {
            return Enum.GetValues<MqttClientConnectResultCode>().First(c => ex.Message.Contains(c.ToString(), StringComparison.Ordinal));
        }
    }
}
