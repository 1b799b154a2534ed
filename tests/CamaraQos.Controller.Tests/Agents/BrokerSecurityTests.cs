using System.Text.Json;
using CamaraQos.Shared;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Protocol;
using Xunit;

namespace CamaraQos.Controller.Tests.Agents;

public sealed class BrokerSecurityTests : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";
    private readonly TempDatabase _db = new();
    private AgentsHost _host = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = new AgentsHost(_db);
        await _host.StartAsync(Ct);
        await _host.RegisterAsync("gw-a", Password, Ct);
        await _host.RegisterAsync("gw-b", Password + "-b", Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _db.Dispose();
    }

    [Fact]
    public async Task AnAgentWithItsRegisteredPasswordConnects()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(_host.MqttOptionsFor("gw-a", "gw-a", Password), Ct);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
    }

    [Theory]
    [InlineData("gw-a", "gw-a", "wrong-password-123")]
    [InlineData("gw-unknown", "gw-unknown", "correct-horse-battery")]
    [InlineData("gw-a", "gw-a", "")]
    public async Task AWrongPasswordOrUnknownAgentIsRefused(string clientId, string user, string password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var code = await ConnectCodeAsync(client, _host.MqttOptionsFor(clientId, user, password));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task AnAgentCannotUseAnotherAgentsClientIdToTakeOverItsSession()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var code = await ConnectCodeAsync(client, _host.MqttOptionsFor("gw-b", "gw-a", Password));
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, code);
    }

    [Fact]
    public async Task PublishingToAnotherAgentsTopicIsRefusedAndNeverReachesTheController()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(_host.MqttOptionsFor("gw-a", "gw-a", Password), Ct);
        var forged = JsonSerializer.SerializeToUtf8Bytes(AgentsHost.Birth("gw-b", 5), ContractJson.Default.AgentStatus);

        var refused = await client.PublishAsync(Message(Topics.Status("gw-b"), forged), Ct);
        var desired = await client.PublishAsync(Message(Topics.Desired("gw-a"), forged), Ct);
        var own = await client.PublishAsync(Message(Topics.Status("gw-a"),
            JsonSerializer.SerializeToUtf8Bytes(AgentsHost.Birth("gw-a", 5), ContractJson.Default.AgentStatus)), Ct);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, desired.ReasonCode);
        Assert.True(own.IsSuccess);
        // The controller handles one session's messages in order: once gw-a's own birth arrived, a
        // forged gw-b status would have arrived before it.
        var first = await _host.Observer.WaitAsync(s => s.Kind == "status", Ct);
        Assert.Equal("gw-a", first.Agent.AgentId);
        Assert.False(_host.Directory.Find("gw-b")!.Online);
    }

    [Fact]
    public async Task SubscribingToAnotherAgentsDesiredTopicOrAWildcardIsRefused()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(_host.MqttOptionsFor("gw-a", "gw-a", Password), Ct);
        var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.Desired("gw-b"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.AllOf(Topics.DesiredKind), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.Status("gw-a"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.Desired("gw-a"), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), Ct);

        var codes = result.Items.Select(i => i.ResultCode).ToArray();
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes[0]);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes[1]);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes[2]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, codes[3]);
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
