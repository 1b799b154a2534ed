using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using static CamaraQos.Controller.Agents.DynamicSecurityJson;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// <c>Mqtt:Provisioning=MosquittoDynamicSecurity</c>: each agent becomes a client of Mosquitto's
/// dynamic-security plugin (user name = agent id, client id bound to it) with a role of its own made from
/// <see cref="TopicAcl"/>'s lists, so the broker enforces the same rules the embedded broker does. Commands
/// travel on the controller's own session, which logs in as the plugin's admin (<c>Mqtt:Username</c>), through
/// a <see cref="DynamicSecurityChannel"/>.
/// </summary>
public sealed partial class MosquittoDynamicSecurity(
    IOptions<MqttOptions> options,
    AgentDirectory directory,
    ILogger<MosquittoDynamicSecurity> logger) : IAgentProvisioning, IControllerSessionHook
{
    public const string ControllerRole = "camaraqos-controller";
    private const string AgentRolePrefix = "camaraqos-agent-";

    private readonly DynamicSecurityChannel _channel = new(TimeSpan.FromSeconds(options.Value.ProvisioningTimeoutSeconds), logger);

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

    /// <summary>
    /// After each connection, before the agent subscriptions: listen for answers, then make sure the
    /// controller's user holds <see cref="ControllerRole"/> (the admin role of <c>dynsec init</c> may not publish).
    /// </summary>
    public async Task OnConnectedAsync(IMqttClient client, CancellationToken ct)
    {
        var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(DynamicSecurityChannel.ResponseTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        if (subscribed.Items.FirstOrDefault() is { } item && (int)item.ResultCode > 2)
        {
            throw new InvalidOperationException(
                $"Mqtt:Username '{options.Value.Username}' may not subscribe to {DynamicSecurityChannel.ResponseTopic} ({item.ResultCode}): " +
                "with Mqtt:Provisioning=MosquittoDynamicSecurity it must be the plugin's admin (mosquitto_ctrl dynsec init).");
        }
        await EnsureControllerRoleAsync(client, ct);
        _channel.Ready(client);
    }

    public bool TryHandle(MqttApplicationMessage message) => _channel.TryHandle(message);


    public async Task<bool> ProvisionAsync(string agentId, string password, CancellationToken ct)
    {
        RefuseControllerName(agentId);
        var role = AgentRole(agentId);
        var acls = AgentAcls(agentId);
        var first = await _channel.SendAsync(
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
            foreach (var response in await _channel.SendAsync(followUp, ct))
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
        var client = await _channel.SendAsync([Command("getClient", ("username", agentId))], ct);
        if (Check(client[0], agentId, "Client not found") || HasRole(Data(client[0], agentId, "client"), role))
        {
            // deleteClient also disconnects the agent's sessions.
            var deleted = await _channel.SendAsync([Command("deleteClient", ("username", agentId)), Command("deleteRole", ("rolename", role))], ct);
            Check(deleted[0], agentId, "Client not found");
            Check(deleted[1], agentId, "Role not found");
        }
        return await directory.DeleteAsync(agentId, ct);
    }

    private async Task EnsureControllerRoleAsync(IMqttClient client, CancellationToken ct)
    {
        var user = options.Value.Username!;
        var acls = ControllerAcls();
        var state = await _channel.ExecuteAsync(client,
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
            await DynamicSecurityChannel.PublishAsync(client, followUp, ct);
            LogGrantedControllerRole(logger, user, ControllerRole);
            throw new InvalidOperationException(
                $"granted {user} the role {ControllerRole} on the broker, which ends the session once; reconnecting");
        }
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

}
