using System.Text.Json;
using System.Threading.Channels;
using CamaraQos.Shared;
using MQTTnet;

namespace CamaraQos.Agent.Tests.Control;

/// <summary>A test-side MQTT 5 client that records what arrives on one topic filter.</summary>
public sealed class MqttProbe : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>();

    public static async Task<MqttProbe> SubscribeAsync(int port, string topic, string host = "127.0.0.1")
    {
        var probe = new MqttProbe();
        probe._client.ApplicationMessageReceivedAsync += e =>
        {
            probe._received.Writer.TryWrite(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await probe._client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId("probe-" + Guid.NewGuid().ToString("N")[..8])
            .Build());
        await probe._client.SubscribeAsync(topic, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
        return probe;
    }

    /// <summary>The next message matching <paramref name="match"/>, or a timeout failure.</summary>
    public async Task<MqttApplicationMessage> NextAsync(Func<MqttApplicationMessage, bool>? match = null, int seconds = 15)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            var message = await _received.Reader.ReadAsync(timeout.Token);
            if (match is null || match(message))
            {
                return message;
            }
        }
    }

    public static AgentStatus Status(MqttApplicationMessage m) =>
        JsonSerializer.Deserialize(m.ConvertPayloadToString(), ContractJson.Default.AgentStatus)!;

    public static ReportedState Reported(MqttApplicationMessage m) =>
        JsonSerializer.Deserialize(m.ConvertPayloadToString(), ContractJson.Default.ReportedState)!;

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
        _client.Dispose();
    }
}
