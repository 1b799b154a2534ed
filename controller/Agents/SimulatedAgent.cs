using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CamaraQos.Shared;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// An agent without a kernel that speaks the real MQTT contract (§4): retained birth with a Last Will
/// (offline, same boot epoch), subscription to its own desired topic, and a retained <c>reported</c>
/// with every policy Applied for each newer generation — unless <c>confirms</c> is false, like
/// <c>sandbox-gw-offline</c>, which stays online but never reports. Used by the sandbox fleet, tests
/// and the benchmark (many of them against one broker). No reconnection: it lives as long as its session.
/// </summary>
public sealed class SimulatedAgent(AgentStatus birth, string password, bool confirms = true, TimeProvider? time = null)
    : IAsyncDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _life = new();
    private int _disposed;
    private readonly List<(long Generation, TaskCompletionSource Done)> _waiters = [];

    public string AgentId => birth.AgentId;
    public AgentStatus Birth => birth;
    public DesiredState? LastDesired { get; private set; }
    public long ObservedGeneration { get; private set; }
    public bool IsConnected => _client.IsConnected;

    public async Task StartAsync(string host, int port, CancellationToken ct)
    {
        _client.ApplicationMessageReceivedAsync += e => OnDesiredAsync(e.ApplicationMessage.Payload.ToArray(), _life.Token);
        var death = birth with { Online = false, At = _time.GetUtcNow() };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(birth.AgentId)
            .WithCredentials(birth.AgentId, password)
            .WithCleanStart(true)
            .WithWillTopic(Topics.Status(birth.AgentId))
            .WithWillPayload(JsonSerializer.SerializeToUtf8Bytes(death, ContractJson.Default.AgentStatus))
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain(true)
            .Build();
        var connected = await _client.ConnectAsync(options, ct);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            // Said here: MQTTnet may return the refusal, and the next call would only say "not connected".
            throw new InvalidOperationException($"The broker refused {birth.AgentId}'s login: {connected.ResultCode} {connected.ReasonString}");
        }
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.Desired(birth.AgentId), MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        await PublishAsync(Topics.Status(birth.AgentId),
            JsonSerializer.SerializeToUtf8Bytes(birth with { Online = true, At = _time.GetUtcNow() }, ContractJson.Default.AgentStatus), ct);
    }

    /// <summary>Completes once the agent has reported <paramref name="generation"/> or a later one.</summary>
    public Task WaitForObservedAsync(long generation, CancellationToken ct)
    {
        lock (_gate)
        {
            if (ObservedGeneration >= generation)
            {
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((generation, done));
            return done.Task.WaitAsync(ct);
        }
    }

    /// <summary>Publishes a telemetry report on its own topic as an agent does: QoS 0, not retained (§4).</summary>
    public Task PublishTelemetryAsync(TelemetryReport report, CancellationToken ct) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Telemetry(birth.AgentId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(report, ContractJson.Default.TelemetryReport))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build(), ct);

    /// <summary>A new status (retained, QoS 1) as the agent sends when its inventory changes, e.g. after a DHCP renewal.</summary>
    public Task AnnounceAsync(IReadOnlyList<LanDevice> inventory, CancellationToken ct) =>
        PublishAsync(Topics.Status(birth.AgentId), JsonSerializer.SerializeToUtf8Bytes(
            birth with { Online = true, At = _time.GetUtcNow(), Inventory = inventory }, ContractJson.Default.AgentStatus), ct);

    /// <summary>Reports its last document with every policy Failed, as an agent does when the kernel refuses an apply.</summary>
    public Task ReportFailedAsync(string reason, CancellationToken ct)
    {
        var desired = LastDesired ?? throw new InvalidOperationException($"{birth.AgentId} has no document to fail");
        var report = Report(desired) with { Policies = [.. desired.Policies.Select(p => new PolicyResult(p.Id, PolicyOutcome.Failed, reason))] };
        return PublishAsync(Topics.Reported(birth.AgentId), JsonSerializer.SerializeToUtf8Bytes(report, ContractJson.Default.ReportedState), ct);
    }

    /// <summary>
    /// Drops the connection the way a power cut looks to the broker: the socket closes without a
    /// DISCONNECT, so the broker publishes the Last Will (MQTT 5 §3.1.2.5).
    /// </summary>
    public Task DropAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Idempotent: the fleet stops its agents, then the container disposes them again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _life.CancelAsync();
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or ObjectDisposedException)
        {
            // Already gone (dropped, or the broker stopped first): nothing left to close cleanly.
        }
        _client.Dispose();
        _life.Dispose();
    }

    private async Task OnDesiredAsync(byte[] payload, CancellationToken ct)
    {
        DesiredState? desired;
        try
        {
            desired = JsonSerializer.Deserialize(payload, ContractJson.Default.DesiredState);
        }
        catch (JsonException)
        {
            return;
        }
        if (desired is null || desired.SchemaVersion != Contract.SchemaVersion || desired.Generation <= ObservedGeneration)
        {
            return;
        }
        if (!confirms)
        {
            LastDesired = desired;
            return;
        }
        // Applied at once: the document and its generation are recorded together, before the report goes
        // out, so whoever hears the report (the controller, then a test) never sees one without the other.
        lock (_gate)
        {
            LastDesired = desired;
            ObservedGeneration = desired.Generation;
        }
        await PublishAsync(Topics.Reported(birth.AgentId), JsonSerializer.SerializeToUtf8Bytes(Report(desired), ContractJson.Default.ReportedState), ct);
        Observed(desired.Generation);
    }

    private ReportedState Report(DesiredState desired) => new(
        Contract.SchemaVersion, birth.AgentId, birth.BootEpoch, desired.Generation, _time.GetUtcNow(),
        [.. desired.Policies.Select(p => new PolicyResult(p.Id, PolicyOutcome.Applied, null))],
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', desired.Policies.Select(p => p.Id))))),
        null);

    private void Observed(long generation)
    {
        lock (_gate)
        {
            ObservedGeneration = generation;
            foreach (var waiter in _waiters.Where(w => w.Generation <= generation).ToArray())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    private Task PublishAsync(string topic, byte[] payload, CancellationToken ct) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build(), ct);
}
