using CamaraQos.Controller.Health;
using CamaraQos.Shared;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// The controller's MQTT session, in both modes: keeps itself connected (randomized exponential
/// backoff, every transition logged), subscribes to what all agents send and hands each message to
/// <see cref="AgentMessageHandler"/>. External brokers get shared subscriptions so several
/// controllers split the load (§7); the embedded broker refuses <c>$share</c>, so plain topics there.
/// </summary>
public sealed partial class ControllerMqttClient(
    IOptions<MqttOptions> options,
    MqttEndpoint endpoint,
    ControllerCredential credential,
    AgentMessageHandler handler,
    IAgentProvisioning provisioning,
    LoopHeartbeats heartbeats,
    ILogger<ControllerMqttClient> logger) : BackgroundService
{
    private static readonly string[] Kinds = [Topics.StatusKind, Topics.ReportedKind, Topics.TelemetryKind];
    // Provisioning through the broker (dynamic security) speaks on this session.
    private readonly IControllerSessionHook[] _hooks = provisioning is IControllerSessionHook hook ? [hook] : [];

    /// <summary>
    /// The longest healthy gap between beats: the longest backoff plus a connect, subscribe and the
    /// republishing of pending documents (each bounded by its own timeout).
    /// </summary>
    private static readonly TimeSpan LongestIteration = TimeSpan.FromMinutes(1);

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
    private volatile TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _disconnected = new(0);
    private LoopHeartbeats.Heartbeat? _heartbeat;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Raised after every (re)connection and subscription, e.g. to republish pending documents.</summary>
    public event Func<CancellationToken, Task>? Connected;

    /// <summary>Publishes retained, QoS 1; waits (bounded by <paramref name="ct"/>) for the session first.</summary>
    public async Task PublishRetainedAsync(string topic, byte[] payload, CancellationToken ct)
    {
        await _connected.Task.WaitAsync(ct);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();
        var result = await _client.PublishAsync(message, ct);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The broker refused the publish to {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    /// <summary>Completes once the session is up and subscribed (tests and the sandbox wait on it).</summary>
    public Task WaitConnectedAsync(CancellationToken ct) => _connected.Task.WaitAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _heartbeat = heartbeats.Register("mqtt-client", LongestIteration, this);
        _client.ApplicationMessageReceivedAsync += e => _hooks.Any(h => h.TryHandle(e.ApplicationMessage))
            ? Task.CompletedTask
            : handler.HandleAsync(e.ApplicationMessage, stoppingToken);
        _client.DisconnectedAsync += e =>
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
                LogDisconnected(logger, e.Reason.ToString(), e.Exception?.Message ?? e.ReasonString);
            }
            _disconnected.Release();
            return Task.CompletedTask;
        };
        await endpoint.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            _heartbeat.Beat();
            await ConnectOnceAsync(stoppingToken);
            await WaitWhileConnectedAsync(stoppingToken);
        }
    }

    private async Task ConnectOnceAsync(CancellationToken ct)
    {
        try
        {
            LogConnecting(logger, endpoint.Host, endpoint.Port);
            await _client.ConnectAsync(BuildOptions(), ct);
            foreach (var hook in _hooks)
            {
                await hook.OnConnectedAsync(_client, ct);
            }
            await SubscribeAsync(ct);
            _backoff.Reset();
            LogConnected(logger, endpoint.Host, endpoint.Port);
            _connected.TrySetResult();
            if (Connected is { } connected)
            {
                await connected(ct);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Connected but not set up (a hook or a subscription failed): drop it, or the loop would wait on it forever.
            await DisconnectQuietlyAsync();
            var delay = _backoff.Next();
            LogConnectFailed(logger, endpoint.Host, endpoint.Port, delay.TotalMilliseconds, ex.Message);
            await Task.Delay(delay, ct);
        }
    }

    private async Task DisconnectQuietlyAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
            }
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Already gone.
        }
    }

    private async Task WaitWhileConnectedAsync(CancellationToken ct)
    {
        while (_client.IsConnected && !ct.IsCancellationRequested)
        {
            _heartbeat?.Beat();
            // Woken by DisconnectedAsync; the periodic check covers a disconnect that raced the wait.
            await _disconnected.WaitAsync(TimeSpan.FromSeconds(1), ct);
        }
    }

    private async Task SubscribeAsync(CancellationToken ct)
    {
        var shared = options.Value.Mode == MqttMode.External;
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var kind in Kinds)
        {
            var filter = Topics.AllOf(kind);
            subscribe.WithTopicFilter(shared ? $"$share/{TopicAcl.SharedGroup}/{filter}" : filter,
                kind == Topics.TelemetryKind ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce);
        }
        var result = await _client.SubscribeAsync(subscribe.Build(), ct);
        foreach (var item in result.Items.Where(i => (int)i.ResultCode > 2))
        {
            throw new InvalidOperationException($"Subscription to {item.TopicFilter.Topic} refused: {item.ResultCode}");
        }
    }

    private MqttClientOptions BuildOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(endpoint.Host, endpoint.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"{TopicAcl.ControllerUser}-{Guid.NewGuid():N}")
            .WithCleanStart(true)
            .WithCredentials(credential.Username, credential.Password);
        if (endpoint.UseTls)
        {
            builder.WithTlsOptions(t => t.UseTls());
        }
        return builder.Build();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // A clean DISCONNECT, so the broker does not count the controller's departure as a failure.
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            LogDisconnected(logger, "stopping", ex.Message);
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        _disconnected.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT connecting to {Host}:{Port}")]
    private static partial void LogConnecting(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT connected to {Host}:{Port} and subscribed to agent topics")]
    private static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection to {Host}:{Port} failed; retrying in {DelayMs:F0} ms: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT disconnected ({Reason}): {Detail}")]
    private static partial void LogDisconnected(ILogger logger, string reason, string? detail);
}
