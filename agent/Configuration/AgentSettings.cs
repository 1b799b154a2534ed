using CamaraQos.Shared;
using Microsoft.Extensions.Configuration;

namespace CamaraQos.Agent.Configuration;

/// <summary>
/// Every agent key (docs/ARCHITECTURE.md §8), read and validated once at start by the composition root and
/// handed to Control, Enforcement and Measurement. One rule per key (<see cref="AgentSettings"/>.Rules.cs);
/// a value that cannot work throws <see cref="AgentConfigurationException"/> naming the key. Bound by hand,
/// not by the reflection binder, so the agent stays NativeAOT-clean.
/// </summary>
public sealed partial record AgentSettings
{
    public const string DefaultStateDirectory = "/var/lib/camaraqos";

    public string AgentId { get; init; } = "";
    public string? Password { get; init; }
    public string MqttHost { get; init; } = "";
    public int MqttPort { get; init; } = 1883;
    public bool MqttUseTls { get; init; }
    public BackoffPolicy Reconnect { get; init; } = BackoffPolicy.Default;

    public string WanInterface { get; init; } = "";
    public IReadOnlyList<string> LanInterfaces { get; init; } = [];
    public int UplinkKbps { get; init; }
    public int DownlinkKbps { get; init; }
    public string StateDirectory { get; init; } = DefaultStateDirectory;
    public int MaxDocumentBytes { get; init; } = 1_048_576;
    public int MaxPolicies { get; init; } = 4096;

    public TimeSpan InventoryPollInterval { get; init; } = TimeSpan.FromSeconds(5);
    public int TelemetryIntervalSeconds { get; init; } = 10;
    public bool Measurement { get; init; } = true;
    public int FlowCapacity { get; init; } = 4096;
    public TimeSpan FlowIdle { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Every key, for a running agent.</summary>
    public static AgentSettings Load(IConfiguration config)
    {
        var agentId = Required(config, "Agent:Id");
        if (!Topics.IsValidAgentId(agentId))
        {
            throw new AgentConfigurationException("Agent:Id", "use 1-64 letters, digits, '-', '_' or '.'");
        }
        var useTls = Bool(config, "Mqtt:UseTls", false);
        return LoadEnforcement(config) with
        {
            AgentId = agentId,
            Password = config["Agent:Password"] is { Length: > 0 } password ? password : null,
            MqttHost = Required(config, "Mqtt:Host"),
            MqttPort = Int(config, "Mqtt:Port", useTls ? 8883 : 1883, 1, 65535),
            MqttUseTls = useTls,
            Reconnect = new BackoffPolicy(
                TimeSpan.FromSeconds(Double(config, "Mqtt:ReconnectMinimumSeconds", 5, 0.01, 3600)),
                TimeSpan.FromSeconds(Double(config, "Mqtt:ReconnectMaximumSeconds", 300, 0.01, 86400)),
                Double(config, "Mqtt:ReconnectMultiplier", 2, 1, 10)),
            TelemetryIntervalSeconds = Int(config, "Agent:TelemetryIntervalSeconds", 10, 1, 3600),
            Measurement = Bool(config, "Agent:Measurement", true),
            // Every flow slot holds a few KB of fixed state, made when first needed; the table never grows past it.
            FlowCapacity = Int(config, "Agent:FlowCapacity", 4096, 16, 1_000_000),
            FlowIdle = TimeSpan.FromSeconds(Double(config, "Agent:FlowIdleSeconds", 60, 1, 86_400)),
        };
    }

    /// <summary>
    /// What the kernel side needs and no more (<c>--render</c>): the network keys, the line rates and the document
    /// limits. No broker key is read, so a document can be rendered on a machine that has none configured.
    /// </summary>
    public static AgentSettings LoadEnforcement(IConfiguration config) => LoadNetwork(config) with
    {
        UplinkKbps = Int(config, "Agent:UplinkKbps", null, 8, 100_000_000),
        DownlinkKbps = Int(config, "Agent:DownlinkKbps", null, 8, 100_000_000),
        MaxDocumentBytes = Int(config, "Agent:MaxDocumentBytes", 1_048_576, 1, int.MaxValue),
        MaxPolicies = Int(config, "Agent:MaxPolicies", 4096, 1, int.MaxValue),
    };

    /// <summary>
    /// Only what the one-shot commands need (<c>--print-inventory</c>, <c>--cleanup</c>): the interfaces, the
    /// state directory and the id when given. Removing our kernel state must work even when a broker or
    /// capacity key is broken: the package's prerm runs <c>--cleanup</c>.
    /// </summary>
    public static AgentSettings LoadNetwork(IConfiguration config)
    {
        var wan = Interface("Agent:WanInterface", Required(config, "Agent:WanInterface"));
        return new AgentSettings
        {
            AgentId = config["Agent:Id"] is { Length: > 0 } id ? id.Trim() : Environment.MachineName,
            WanInterface = wan,
            LanInterfaces = LanInterfaceList(config, wan),
            StateDirectory = Directory(config, "Agent:StateDirectory"),
            InventoryPollInterval = TimeSpan.FromSeconds(Double(config, "Agent:InventoryPollSeconds", 5, 0.1, 3600)),
        };
    }
}
