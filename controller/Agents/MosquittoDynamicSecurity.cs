using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// <c>Mqtt:Provisioning=MosquittoDynamicSecurity</c>: each agent becomes a client of Mosquitto's
/// dynamic-security plugin (user name = agent id, client id bound to it) with a role of its own made from
/// <see cref="TopicAcl"/>'s lists, so the broker enforces the same rules the embedded broker does. Commands
/// travel on the controller's own session (it logs in as the plugin's admin, <c>Mqtt:Username</c>) as JSON on
/// <c>$CONTROL/dynamic-security/v1</c>; answers come back on <c>.../response</c>, which Mosquitto 2.0 sends to
/// every admin subscribed, so each command carries a correlation id and other controllers' answers are ignored.
/// </summary>
public sealed partial class MosquittoDynamicSecurity(
    IOptions<MqttOptions> options,
    AgentDirectory directory,
    ILogger<MosquittoDynamicSecurity> logger) : IAgentProvisioning, IControllerSessionHook
{
    public const string CommandTopic = "$CONTROL/dynamic-security/v1";
    public const string ResponseTopic = CommandTopic + "/response";
    public const string ControllerRole = "camaraqos-controller";
    private const string AgentRolePrefix = "camaraqos-agent-";

    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonArray>> _pending = new(StringComparer.Ordinal);
    private volatile TaskCompletionSource<IMqttClient> _session = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TimeSpan Timeout => TimeSpan.FromSeconds(options.Value.ProvisioningTimeoutSeconds);

    public static string AgentRole(string agentId) => AgentRolePrefix + agentId;

    /// <summary>The agent's role: publish its status, reported and telemetry, subscribe to (and receive) its desired topic.</summary>
    public static JsonArray AgentAcls(string agentId) =>
    [
        .. TopicAcl.AgentPublishTopics(agentId).Select(t => Acl("publishClientSend", t)),
        .. TopicAcl.AgentSubscribeFilters(agentId).Select(t => Acl("subscribeLiteral", t)),
        .. TopicAcl.AgentSubscribeFilters(agentId).Select(t => Acl("publishClientReceive", t)),
    ];

    /// <summary>The controllers' role: publish every desired document, subscribe (also shared) to and receive every agent topic.</summary>
    public static JsonArray ControllerAcls() =>
    [
        Acl("publishClientSend", TopicAcl.ControllerPublishFilter),
        .. TopicAcl.ControllerSubscribeFilters.Select(t => Acl("subscribePattern", t)),
        Acl("publishClientReceive", TopicAcl.ControllerSubscribeFilters[0]),
    ];

    private static JsonObject Acl(string type, string topic) => new() { ["acltype"] = type, ["topic"] = topic, ["allow"] = true };

    /// <summary>
    /// After each connection, before the agent subscriptions: listen for answers, then make sure the
    /// controller's user holds <see cref="ControllerRole"/> (the admin role of <c>dynsec init</c> may not publish).
    /// </summary>
    public async Task OnConnectedAsync(IMqttClient client, CancellationToken ct)
    {
        var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(ResponseTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        if (subscribed.Items.FirstOrDefault() is { } item && (int)item.ResultCode > 2)
        {
            throw new InvalidOperationException(
                $"Mqtt:Username '{options.Value.Username}' may not subscribe to {ResponseTopic} ({item.ResultCode}): " +
                "with Mqtt:Provisioning=MosquittoDynamicSecurity it must be the plugin's admin (mosquitto_ctrl dynsec init).");
        }
        await EnsureControllerRoleAsync(client, ct);
        var ready = new TaskCompletionSource<IMqttClient>(TaskCreationOptions.RunContinuationsAsynchronously);
        ready.SetResult(client);
        Interlocked.Exchange(ref _session, ready).TrySetResult(client);
    }

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

    public async Task<bool> ProvisionAsync(string agentId, string password, CancellationToken ct)
    {
        RefuseControllerName(agentId);
        var role = AgentRole(agentId);
        var acls = AgentAcls(agentId);
        var first = await SendAsync(
        [
            Command("createRole", ("rolename", role), ("acls", acls.DeepClone())),
            Command("getRole", ("rolename", role)),
            Command("createClient", ("username", agentId), ("password", password), ("clientid", agentId),
                ("roles", new JsonArray(new JsonObject { ["rolename"] = role }))),
            Command("getClient", ("username", agentId)),
        ], ct);
        Check(first[0], agentId, "Role already exists");
        var followUp = new List<JsonObject>();
        if (!SameAcls(Data(first[1], agentId, "role")?["acls"]?.AsArray(), acls))
        {
            followUp.Add(Command("modifyRole", ("rolename", role), ("acls", acls.DeepClone())));
        }
        if (Check(first[2], agentId, "Client already exists"))
        {
            // Only a client made for this agent is rotated: the name might be another client of the broker's.
            if (!HasRole(Data(first[3], agentId, "client"), role))
            {
                throw new AgentProvisioningException(ProvisioningFailure.Conflict,
                    $"The broker already has a client named {agentId} that is not a CamaraQos agent (it lacks the role {role}).");
            }
            // Kicks the agent's current session (Mosquitto does on every modifyClient): it logs in again with the new password.
            followUp.Add(Command("modifyClient", ("username", agentId), ("password", password), ("clientid", agentId),
                ("roles", new JsonArray(new JsonObject { ["rolename"] = role }))));
        }
        if (followUp.Count > 0)
        {
            foreach (var response in await SendAsync(followUp, ct))
            {
                Check(response, agentId);
            }
        }
        LogProvisioned(logger, agentId);
        return await directory.RegisterAsync(agentId, password, ct);
    }

    public async Task<bool> WithdrawAsync(string agentId, CancellationToken ct)
    {
        RefuseControllerName(agentId);
        var role = AgentRole(agentId);
        var client = await SendAsync([Command("getClient", ("username", agentId))], ct);
        if (Check(client[0], agentId, "Client not found") || HasRole(Data(client[0], agentId, "client"), role))
        {
            // deleteClient also disconnects the agent's sessions.
            var deleted = await SendAsync([Command("deleteClient", ("username", agentId)), Command("deleteRole", ("rolename", role))], ct);
            Check(deleted[0], agentId, "Client not found");
            Check(deleted[1], agentId, "Role not found");
        }
        return await directory.DeleteAsync(agentId, ct);
    }

    private async Task EnsureControllerRoleAsync(IMqttClient client, CancellationToken ct)
    {
        var user = options.Value.Username!;
        var acls = ControllerAcls();
        var state = await ExecuteAsync(client,
        [
            Command("createRole", ("rolename", ControllerRole), ("acls", acls.DeepClone())),
            Command("getRole", ("rolename", ControllerRole)),
            Command("getClient", ("username", user)),
        ], ct);
        Check(state[0], user, "Role already exists");
        var followUp = new List<JsonObject>();
        if (!SameAcls(Data(state[1], user, "role")?["acls"]?.AsArray(), acls))
        {
            followUp.Add(Command("modifyRole", ("rolename", ControllerRole), ("acls", acls)));
        }
        if (!HasRole(Data(state[2], user, "client"), ControllerRole))
        {
            followUp.Add(Command("addClientRole", ("username", user), ("rolename", ControllerRole)));
        }
        if (followUp.Count > 0)
        {
            // Mosquitto ends every session of a client whose roles change, this one included, before it
            // answers: send without waiting for the answer and start over; the next connection checks again.
            await PublishAsync(client, followUp, ct);
            LogGrantedControllerRole(logger, user, ControllerRole);
            throw new InvalidOperationException(
                $"granted {user} the role {ControllerRole} on the broker, which ends the session once; reconnecting");
        }
    }

    /// <summary>Sends on the controller's session once it is connected and ready, bounded by <c>Mqtt:ProvisioningTimeoutSeconds</c>.</summary>
    private async Task<JsonArray> SendAsync(IReadOnlyList<JsonObject> commands, CancellationToken ct)
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

    private async Task<JsonArray> ExecuteAsync(IMqttClient client, IReadOnlyList<JsonObject> commands, CancellationToken ct)
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

    private static async Task PublishAsync(IMqttClient client, IReadOnlyList<JsonObject> commands, CancellationToken ct)
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

    private static JsonObject Command(string name, params (string Key, JsonNode? Value)[] fields)
    {
        var command = new JsonObject { ["command"] = name };
        foreach (var (key, value) in fields)
        {
            command[key] = value;
        }
        return command;
    }

    /// <summary>Throws on an error other than <paramref name="tolerated"/>; true when the tolerated error was the answer.</summary>
    private static bool Check(JsonNode? response, string name, string? tolerated = null)
    {
        var error = response?["error"]?.GetValue<string>();
        if (error is null)
        {
            return false;
        }
        if (error == tolerated)
        {
            return true;
        }
        throw new AgentProvisioningException(ProvisioningFailure.BrokerRefused,
            $"The broker's dynamic-security plugin refused {response?["command"]?.GetValue<string>()} for {name}: {error}");
    }

    private static JsonObject? Data(JsonNode? response, string name, string key)
    {
        Check(response, name);
        return response?["data"]?[key]?.AsObject();
    }

    private static bool HasRole(JsonObject? client, string role) =>
        client?["roles"]?.AsArray().Any(r => r?["rolename"]?.GetValue<string>() == role) ?? false;

    private static bool SameAcls(JsonArray? actual, JsonArray expected)
    {
        static HashSet<(string?, string?, bool)> Set(JsonArray acls) =>
            [.. acls.Select(a => (a?["acltype"]?.GetValue<string>(), a?["topic"]?.GetValue<string>(), a?["allow"]?.GetValue<bool>() ?? false))];
        return actual is not null && Set(actual).SetEquals(Set(expected));
    }

    /// <summary>Agent ids and the controller's user share the broker's name space: an agent must never overwrite the controller.</summary>
    private void RefuseControllerName(string agentId)
    {
        if (agentId == options.Value.Username)
        {
            throw new AgentProvisioningException(ProvisioningFailure.Conflict,
                $"{agentId} is the controller's own MQTT user (Mqtt:Username) and cannot be an agent.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} provisioned on the broker (dynamic security)")]
    private static partial void LogProvisioned(ILogger logger, string agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Granted {User} the role {Role} on the broker; Mosquitto ends the controller's sessions once, they reconnect")]
    private static partial void LogGrantedControllerRole(ILogger logger, string user, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unreadable dynamic-security response: {Detail}")]
    private static partial void LogUnreadableResponse(ILogger logger, string detail);
}

/// <summary>Something that shares the controller's MQTT session: set up after each connect, and offered every message first.</summary>
public interface IControllerSessionHook
{
    /// <summary>Runs after each connection, before the agent subscriptions; an exception fails the attempt (retried with backoff).</summary>
    Task OnConnectedAsync(IMqttClient client, CancellationToken ct);

    /// <summary>True when the message was the hook's (it does not reach the agent message handler).</summary>
    bool TryHandle(MqttApplicationMessage message);
}
