using System.Globalization;
using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace CamaraQos.Agent.Control;

/// <summary>
/// The MQTT side of the agent: keeps one session to the broker through an explicit state machine, announces
/// the agent (retained birth, Last Will with the same boot epoch), takes desired documents to the
/// <see cref="DesiredInbox"/> and publishes every report and status change retained.
/// </summary>
public sealed partial class ControlChannel(
    AgentSettings settings, AgentBoot boot, IEnforcer enforcer, ICapabilityProbe probe, NetworkState network,
    DesiredInbox inbox, TelemetryOutbox telemetry, TimeProvider time, ILogger<ControlChannel> log) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly string _desiredTopic = Topics.Desired(settings.AgentId);
    private ConnectionState _state = ConnectionState.Disconnected;
    private ReportedState? _report;
    private int _statusPending;
    private int _reportPending;
    private AgentCapabilities? _capabilities;

    public ConnectionState State => _state;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Password is null)
        {
            ControlLog.NoCredentials(log);
        }
        enforcer.Reported += OnReported;
        network.Changed += OnNetworkChanged;
        telemetry.Posted += Wake;
        _capabilities = await ProbeAsync(stoppingToken);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        var backoff = new Backoff(settings.Reconnect);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var reason = await RunSessionAsync(client, backoff, stoppingToken);
                var delay = backoff.Next();
                Transition(ConnectionState.Backoff, string.Create(CultureInfo.InvariantCulture,
                    $"{reason}; retry {backoff.Attempt} in {delay.TotalSeconds:0.###} s"));
                await Task.Delay(delay, time, stoppingToken);
            }
        }
        finally
        {
            enforcer.Reported -= OnReported;
            network.Changed -= OnNetworkChanged;
            telemetry.Posted -= Wake;
            await LeaveAsync(client);
        }
    }

    /// <summary>One session: connect, announce, subscribe, publish until the connection is lost.</summary>
    private async Task<string> RunSessionAsync(IMqttClient client, Backoff backoff, CancellationToken stoppingToken)
    {
        Transition(ConnectionState.Connecting, $"attempt {backoff.Attempt + 1} to {settings.MqttHost}:{settings.MqttPort}");
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task OnDisconnected(MqttClientDisconnectedEventArgs e)
        {
            lost.TrySetResult($"connection lost ({e.Reason}{(e.Exception is null ? "" : ": " + e.Exception.Message)})");
            return Task.CompletedTask;
        }
        client.DisconnectedAsync += OnDisconnected;
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        string reason;
        try
        {
            var result = await client.ConnectAsync(AgentMessages.ClientOptions(settings, boot, time.GetUtcNow()), session.Token);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                // A refusing CONNACK (MQTT 5.0 §3.2.2.2) is a result, not an exception: back off, don't reset.
                reason = $"connect failed: refused by the broker ({result.ResultCode}{(result.ReasonString is { } r ? ": " + r : "")})";
                Transition(ConnectionState.Disconnected, reason);
                return reason;
            }
            backoff.Reset();
            Transition(ConnectionState.Connected, "session established");
            reason = await ServeAsync(client, lost.Task, session.Token);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            reason = await ReasonAsync(lost.Task, connected: _state == ConnectionState.Connected, e);
        }
        finally
        {
            await session.CancelAsync();
            client.DisconnectedAsync -= OnDisconnected;
        }
        Transition(ConnectionState.Disconnected, reason);
        return reason;
    }

    /// <summary>A publish can fail a moment before the client reports the lost connection: prefer that reason.</summary>
    private static async Task<string> ReasonAsync(Task<string> lost, bool connected, Exception error)
    {
        if (!connected)
        {
            return $"connect failed: {error.Message}";
        }
        try
        {
            return await lost.WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            return $"session failed: {error.Message}";
        }
    }

    private async Task<string> ServeAsync(IMqttClient client, Task<string> lost, CancellationToken ct)
    {
        Interlocked.Exchange(ref _reportPending, 1);
        await PublishStatusAsync(client, ct);
        // Resubscribed on every connect (clean start): the broker then sends the retained desired document.
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_desiredTopic, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await client.SubscribeAsync(subscribe, ct);
        var outbox = PublishPendingAsync(client, ct);
        var ended = await Task.WhenAny(lost, outbox);
        await ended;
        return lost.IsCompleted ? await lost : "publisher stopped";
    }

    /// <summary>Publishes whatever changed (coalesced flags) until the session ends.</summary>
    private async Task PublishPendingAsync(IMqttClient client, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _statusPending, 0) == 1)
            {
                await PublishStatusAsync(client, ct);
            }
            if (Interlocked.Exchange(ref _reportPending, 0) == 1 && (_report ?? enforcer.CurrentReport) is { } report)
            {
                await PublishAsync(client, Topics.Reported(settings.AgentId), AgentMessages.Json(report), () => _reportPending = 1, ct);
            }
            if (telemetry.Take() is { } payload)
            {
                await PublishTelemetryAsync(client, payload, ct);
            }
            await _wake.WaitAsync(ct);
        }
    }

    private Task PublishStatusAsync(IMqttClient client, CancellationToken ct)
    {
        var birth = AgentMessages.Birth(settings, boot, _capabilities, network.Current, time.GetUtcNow());
        return PublishAsync(client, Topics.Status(settings.AgentId), AgentMessages.Json(birth), () => _statusPending = 1, ct);
    }

    /// <summary>QoS 0, not retained: a report lost with the connection is not sent again (the next one follows).</summary>
    private async Task PublishTelemetryAsync(IMqttClient client, byte[] payload, CancellationToken ct)
    {
        var topic = Topics.Telemetry(settings.AgentId);
        try
        {
            await client.PublishAsync(AgentMessages.Telemetry(topic, payload), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            ControlLog.PublishFailed(log, topic, e.Message);
            throw;
        }
    }

    private async Task PublishAsync(IMqttClient client, string topic, byte[] payload, Action retry, CancellationToken ct)
    {
        try
        {
            var result = await client.PublishAsync(AgentMessages.Retained(topic, payload), ct);
            if (!result.IsSuccess)
            {
                ControlLog.PublishFailed(log, topic, result.ReasonString ?? result.ReasonCode.ToString());
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Kept pending: the next session publishes it again.
            retry();
            ControlLog.PublishFailed(log, topic, e.Message);
            throw;
        }
    }
}
