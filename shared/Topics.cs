namespace CamaraQos.Shared;

/// <summary>MQTT topics of the controller-agent contract (docs/ARCHITECTURE.md §4).</summary>
public static class Topics
{
    public const string Root = "camaraqos/v1/agents";

    public const string DesiredKind = "desired";
    public const string ReportedKind = "reported";
    public const string StatusKind = "status";
    public const string TelemetryKind = "telemetry";

    public static string Desired(string agentId) => $"{Root}/{agentId}/{DesiredKind}";
    public static string Reported(string agentId) => $"{Root}/{agentId}/{ReportedKind}";
    public static string Status(string agentId) => $"{Root}/{agentId}/{StatusKind}";
    public static string Telemetry(string agentId) => $"{Root}/{agentId}/{TelemetryKind}";

    /// <summary>Every agent's topics of one kind, for the controller's subscriptions.</summary>
    public static string AllOf(string kind) => $"{Root}/+/{kind}";

    /// <summary>Splits <c>camaraqos/v1/agents/{agentId}/{kind}</c>; false for anything else.</summary>
    public static bool TryParse(string topic, out string agentId, out string kind)
    {
        agentId = kind = "";
        if (!topic.StartsWith(Root + "/", StringComparison.Ordinal))
        {
            return false;
        }
        var rest = topic.AsSpan(Root.Length + 1);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].Contains('/') || slash == rest.Length - 1)
        {
            return false;
        }
        agentId = rest[..slash].ToString();
        kind = rest[(slash + 1)..].ToString();
        return true;
    }

    /// <summary>Agent ids become topic levels and MQTT user names: keep them to a safe alphabet.</summary>
    public static bool IsValidAgentId(string? agentId) =>
        !string.IsNullOrEmpty(agentId) && agentId.Length <= 64 &&
        agentId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
