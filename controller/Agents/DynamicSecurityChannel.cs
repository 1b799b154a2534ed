using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// Request and answer with Mosquitto's dynamic-security plugin on the controller's session: a batch of
/// commands as JSON on <see cref="CommandTopic"/>, its answers (one per command, in order) on
/// <see cref="ResponseTopic"/>. Mosquitto 2.0 sends every answer to every admin subscribed, so each batch
/// carries a correlation id and answers to other controllers are ignored. Every wait is bounded by
/// <c>Mqtt:ProvisioningTimeoutSeconds</c>.
/// </summary>
public sealed partial class DynamicSecurityChannel(TimeSpan timeout, ILogger logger)
{
    public const string CommandTopic = "$CONTROL/dynamic-security/v1";
    public const string ResponseTopic = CommandTopic + "/response";

    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonArray>> _pending = new(StringComparer.Ordinal);
    private volatile TaskCompletionSource<IMqttClient> _session = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TimeSpan Timeout => timeout;

    /// <summary>The session is set up: commands may go out on it.</summary>
    public void Ready(IMqttClient client)
    {
        var ready = new TaskCompletionSource<IMqttClient>(TaskCreationOptions.RunContinuationsAsynchronously);
        ready.SetResult(client);
        Interlocked.Exchange(ref _session, ready).TrySetResult(client);
    }

    /// <summary>True for an answer of the plugin (to this controller or another).</summary>
    public bool TryHandle(MqttApplicationMessage message)
    {
        if (message.Topic != ResponseTopic)
        {
            return false;
        }
        try
        {
            var responses = JsonNode.Parse(message.ConvertPayloadToString())?["responses"]?.AsArray();
            if (responses?.FirstOrDefault()?["correlationData"]?.GetValue<string>() is { } id &&
                _pending.TryRemove(id, out var waiter))
            {
                waiter.TrySetResult(responses);
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            LogUnreadableResponse(logger, ex.Message);
        }
        return true;
    }

    /// <summary>Sends on the controller's session once it is connected and ready, bounded by <c>Mqtt:ProvisioningTimeoutSeconds</c>.</summary>
    public async Task<JsonArray> SendAsync(IReadOnlyList<JsonObject> commands, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(Timeout);
        try
        {
            while (true)
            {
                var session = _session;
                var client = await session.Task.WaitAsync(bounded.Token);
                if (client.IsConnected)
                {
                    return await ExecuteAsync(client, commands, bounded.Token);
                }
                // Disconnected since it was ready: wait for the next OnConnectedAsync.
                Interlocked.CompareExchange(ref _session, new(TaskCreationOptions.RunContinuationsAsynchronously), session);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AgentProvisioningException(ProvisioningFailure.BrokerUnavailable,
                $"The broker's dynamic-security plugin did not answer within {Timeout.TotalSeconds:F0} s (Mqtt:ProvisioningTimeoutSeconds); " +
                "is the controller connected, and is the plugin loaded?");
        }
    }

    public async Task<JsonArray> ExecuteAsync(IMqttClient client, IReadOnlyList<JsonObject> commands, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("N");
        foreach (var command in commands)
        {
            command["correlationData"] = id;
        }
        var waiter = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiter;
        try
        {
            await PublishAsync(client, commands, ct);
            var responses = await waiter.Task.WaitAsync(Timeout, ct);
            if (responses.Count != commands.Count)
            {
                throw new AgentProvisioningException(ProvisioningFailure.BrokerRefused,
                    $"The dynamic-security plugin answered {responses.Count} of {commands.Count} commands.");
            }
            return responses;
        }
        catch (TimeoutException ex)
        {
            throw new AgentProvisioningException(ProvisioningFailure.BrokerUnavailable,
                $"The broker's dynamic-security plugin did not answer within {Timeout.TotalSeconds:F0} s (Mqtt:ProvisioningTimeoutSeconds).", ex);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException ex)
        {
            throw new AgentProvisioningException(ProvisioningFailure.BrokerUnavailable, $"The broker connection failed: {ex.Message}", ex);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public static async Task PublishAsync(IMqttClient client, IReadOnlyList<JsonObject> commands, CancellationToken ct)
    {
        var payload = new JsonObject { ["commands"] = new JsonArray([.. commands]) }.ToJsonString();
        var published = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(CommandTopic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), ct);
        if (!published.IsSuccess)
        {
            throw new AgentProvisioningException(ProvisioningFailure.BrokerRefused,
                $"The broker refused the dynamic-security command ({published.ReasonCode}): Mqtt:Username must be the plugin's admin.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unreadable dynamic-security response: {Detail}")]
    private static partial void LogUnreadableResponse(ILogger logger, string detail);
}
