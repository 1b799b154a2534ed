using CamaraQos.Shared;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// Who may use which topic (docs/ARCHITECTURE.md §4: "each agent ... may only use its own topics"): the
/// embedded broker checks these predicates, and the same lists become each agent's role on Mosquitto
/// (<see cref="MosquittoDynamicSecurity"/>). The controller's own session may use every agent topic.
/// </summary>
public static class TopicAcl
{
    /// <summary>The controller's MQTT user name; '$' is outside the agent id alphabet, so no agent can take it.</summary>
    public const string ControllerUser = "$camaraqos-controller";

    /// <summary>The group name of the controllers' shared subscriptions on an external broker (§7).</summary>
    public const string SharedGroup = "controllers";

    /// <summary>Every topic an agent may publish to: its own status, reported and telemetry.</summary>
    public static string[] AgentPublishTopics(string agentId) =>
        [Topics.Status(agentId), Topics.Reported(agentId), Topics.Telemetry(agentId)];

    /// <summary>Every filter an agent may subscribe to, literally (no wildcards): its own desired topic.</summary>
    public static string[] AgentSubscribeFilters(string agentId) => [Topics.Desired(agentId)];

    /// <summary>What the controller publishes (every agent's desired topic), as an MQTT filter.</summary>
    public static string ControllerPublishFilter => Topics.AllOf(Topics.DesiredKind);

    /// <summary>What the controller may subscribe to, as filters: every agent topic, plain or shared.</summary>
    public static string[] ControllerSubscribeFilters => [Topics.Root + "/#", $"$share/{SharedGroup}/{Topics.Root}/#"];

    public static bool AgentMayPublish(string agentId, string topic) => AgentPublishTopics(agentId).Contains(topic);

    public static bool AgentMaySubscribe(string agentId, string topicFilter) => AgentSubscribeFilters(agentId).Contains(topicFilter);

    public static bool ControllerMayPublish(string topic) =>
        Topics.TryParse(topic, out _, out var kind) && kind == Topics.DesiredKind;

    public static bool ControllerMaySubscribe(string topicFilter) =>
        topicFilter.StartsWith(Topics.Root + "/", StringComparison.Ordinal);

    /// <summary>
    /// An agent's MQTT client id is its agent id, optionally followed by <c>:suffix</c>. Binding the
    /// id to the user name stops one agent from taking over (and disconnecting) another's session.
    /// </summary>
    public static bool IsAgentClientId(string agentId, string? clientId) =>
        clientId == agentId || (clientId?.StartsWith(agentId + ":", StringComparison.Ordinal) ?? false);
}
