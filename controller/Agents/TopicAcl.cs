using CamaraQos.Shared;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// Who may use which topic on the embedded broker (docs/ARCHITECTURE.md §4: "each agent ... may only use
/// its own topics"). The controller's own session may use every agent topic.
/// </summary>
public static class TopicAcl
{
    /// <summary>The controller's MQTT user name; '$' is outside the agent id alphabet, so no agent can take it.</summary>
    public const string ControllerUser = "$camaraqos-controller";

    /// <summary>An agent publishes only its own status, reported and telemetry.</summary>
    public static bool AgentMayPublish(string agentId, string topic) =>
        Topics.TryParse(topic, out var owner, out var kind) && owner == agentId &&
        kind is Topics.StatusKind or Topics.ReportedKind or Topics.TelemetryKind;

    /// <summary>An agent subscribes only to its own desired topic, literally (no wildcards).</summary>
    public static bool AgentMaySubscribe(string agentId, string topicFilter) =>
        topicFilter == Topics.Desired(agentId);

    /// <summary>The controller publishes desired documents and reads everything agents send.</summary>
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
