using System.Globalization;
using CamaraQos.Shared;
using Microsoft.Extensions.Configuration;

namespace CamaraQos.Agent.Control;

/// <summary>A configuration value that cannot work; the message names the key (docs/ARCHITECTURE.md §8).</summary>
public sealed class AgentConfigurationException(string key, string problem)
    : Exception($"{key}: {problem}")
{
    public string Key { get; } = key;
}

/// <summary>The agent's keys (docs/ARCHITECTURE.md §8), read and validated once at start.</summary>
public sealed record AgentSettings(
    string AgentId,
    string? Password,
    string MqttHost,
    int MqttPort,
    bool MqttUseTls,
    string WanInterface,
    IReadOnlyList<string> LanInterfaces,
    int UplinkKbps,
    int DownlinkKbps,
    string StateDirectory,
    int TelemetryIntervalSeconds,
    TimeSpan InventoryPollInterval,
    BackoffPolicy Reconnect)
{
    public static AgentSettings Load(IConfiguration config)
    {
        var agentId = Required(config, "Agent:Id");
        if (!Topics.IsValidAgentId(agentId))
        {
            throw new AgentConfigurationException("Agent:Id", "use 1-64 letters, digits, '-', '_' or '.'");
        }
        var network = LoadNetwork(config);
        var useTls = Bool(config, "Mqtt:UseTls", false);
        return network with
        {
            AgentId = agentId,
            Password = config["Agent:Password"] is { Length: > 0 } password ? password : null,
            MqttHost = Required(config, "Mqtt:Host"),
            MqttPort = Int(config, "Mqtt:Port", useTls ? 8883 : 1883, 1, 65535),
            MqttUseTls = useTls,
            UplinkKbps = Int(config, "Agent:UplinkKbps", null, 8, 100_000_000),
            DownlinkKbps = Int(config, "Agent:DownlinkKbps", null, 8, 100_000_000),
            StateDirectory = config["Agent:StateDirectory"] is { Length: > 0 } dir ? dir : "/var/lib/camaraqos",
            TelemetryIntervalSeconds = Int(config, "Agent:TelemetryIntervalSeconds", 10, 1, 3600),
            Reconnect = new BackoffPolicy(
                TimeSpan.FromSeconds(Double(config, "Mqtt:ReconnectMinimumSeconds", 5, 0.01, 3600)),
                TimeSpan.FromSeconds(Double(config, "Mqtt:ReconnectMaximumSeconds", 300, 0.01, 86400)),
                Double(config, "Mqtt:ReconnectMultiplier", 2, 1, 10)),
        };
    }

    /// <summary>Only the interface keys: enough for <c>--print-inventory</c>.</summary>
    public static AgentSettings LoadNetwork(IConfiguration config)
    {
        var wan = Interface("Agent:WanInterface", Required(config, "Agent:WanInterface"));
        var lans = Required(config, "Agent:LanInterfaces")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => Interface("Agent:LanInterfaces", name)).Distinct().ToArray();
        if (lans.Length == 0 || lans.Contains(wan))
        {
            throw new AgentConfigurationException("Agent:LanInterfaces", "name one or more LAN interfaces, comma-separated, not the WAN interface");
        }
        var poll = Double(config, "Agent:InventoryPollSeconds", 5, 0.1, 3600);
        return new AgentSettings("", null, "", 0, false, wan, lans, 0, 0, "", 10,
            TimeSpan.FromSeconds(poll), BackoffPolicy.Default);
    }

    private static string Required(IConfiguration config, string key) =>
        config[key] is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value)
            ? value.Trim()
            : throw new AgentConfigurationException(key, "is required");

    // An interface name is at most IFNAMSIZ-1 = 15 bytes, no '/', ':' or white space (netdevice(7)).
    private static string Interface(string key, string name) =>
        name.Length is > 0 and <= 15 && name.All(c => char.IsAscii(c) && !char.IsWhiteSpace(c) && c is not '/' and not ':')
            ? name
            : throw new AgentConfigurationException(key, $"'{name}' is not a valid interface name");

    internal static int Int(IConfiguration config, string key, int? fallback, int min, int max)
    {
        var raw = config[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback ?? throw new AgentConfigurationException(key, "is required");
        }
        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new AgentConfigurationException(key, $"'{raw}' is not a whole number from {min} to {max}");
    }

    internal static double Double(IConfiguration config, string key, double fallback, double min, double max)
    {
        var raw = config[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new AgentConfigurationException(key, $"'{raw}' is not a number from {min} to {max}");
    }

    internal static bool Bool(IConfiguration config, string key, bool fallback) => config[key] switch
    {
        null or "" => fallback,
        var raw when bool.TryParse(raw, out var value) => value,
        var raw => throw new AgentConfigurationException(key, $"'{raw}' is not true or false"),
    };
}
