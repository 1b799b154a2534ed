using System.Net;

namespace CamaraQos.Controller.Agents;

public enum MqttMode
{
    /// <summary>The controller hosts an MQTTnet broker (one process: lab or small ISP, docs/ARCHITECTURE.md §7).</summary>
    Embedded,
    /// <summary>The controller connects to an external MQTT 5 broker shared by several controllers.</summary>
    External,
}

/// <summary>Where the agent credentials of <c>PUT /admin/v1/agents/{id}</c> take effect (<c>Mqtt:Provisioning</c>).</summary>
public enum AgentProvisioningKind
{
    /// <summary>The embedded broker checks them itself (the only choice with <c>Mqtt:Mode=Embedded</c>).</summary>
    Embedded,
    /// <summary>The external broker's operator configures agents by hand; the admin API refuses to pretend it did.</summary>
    Manual,
    /// <summary>The controller creates each agent's client and role through Mosquitto's dynamic-security plugin.</summary>
    MosquittoDynamicSecurity,
}

/// <summary>The <c>Mqtt</c> section (docs/ARCHITECTURE.md §8).</summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    public MqttMode Mode { get; set; } = MqttMode.Embedded;

    /// <summary>Embedded broker's listener address.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Embedded: the listener port (0 picks a free one). External: the broker's port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>External broker host.</summary>
    public string? Host { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }
    public bool UseTls { get; set; }

    /// <summary>Unset: <c>Embedded</c> with the embedded broker, <c>Manual</c> with an external one.</summary>
    public AgentProvisioningKind? Provisioning { get; set; }

    /// <summary>How long the controller waits for the dynamic-security plugin to answer a command.</summary>
    public int ProvisioningTimeoutSeconds { get; set; } = 10;

    public AgentProvisioningKind EffectiveProvisioning =>
        Provisioning ?? (Mode == MqttMode.Embedded ? AgentProvisioningKind.Embedded : AgentProvisioningKind.Manual);

    internal static IEnumerable<string> Validate(MqttOptions o)
    {
        if (o.Port is < 0 or > 65535)
        {
            yield return "Mqtt:Port must be between 0 and 65535.";
        }
        if (o.Mode == MqttMode.Embedded && !IPAddress.TryParse(o.BindAddress, out _))
        {
            yield return "Mqtt:BindAddress must be an IP address.";
        }
        if (o.Mode == MqttMode.External && string.IsNullOrWhiteSpace(o.Host))
        {
            yield return "Mqtt:Host is required when Mqtt:Mode is External.";
        }
        if (o.Mode == MqttMode.External && o.Port == 0)
        {
            yield return "Mqtt:Port must name the external broker's port when Mqtt:Mode is External.";
        }
        if (o.Mode == MqttMode.Embedded && o.Provisioning is { } p && p != AgentProvisioningKind.Embedded)
        {
            yield return $"Mqtt:Provisioning={p} needs Mqtt:Mode=External; the embedded broker checks agent credentials itself.";
        }
        if (o.Mode == MqttMode.External && o.Provisioning == AgentProvisioningKind.Embedded)
        {
            yield return "Mqtt:Provisioning=Embedded needs Mqtt:Mode=Embedded; with an external broker use Manual or MosquittoDynamicSecurity.";
        }
        if (o.EffectiveProvisioning == AgentProvisioningKind.MosquittoDynamicSecurity &&
            (string.IsNullOrEmpty(o.Username) || string.IsNullOrEmpty(o.Password)))
        {
            yield return "Mqtt:Username and Mqtt:Password are required with Mqtt:Provisioning=MosquittoDynamicSecurity: the controller logs in as the plugin's admin client.";
        }
        if (o.ProvisioningTimeoutSeconds is < 1 or > 300)
        {
            yield return "Mqtt:ProvisioningTimeoutSeconds must be between 1 and 300.";
        }
    }
}

/// <summary>
/// Where the controller's broker actually listens (or the external broker is), known once the broker
/// has started: with <c>Mqtt:Port=0</c> the port is chosen at start, and tests and the sandbox fleet
/// connect here. Also holds the controller's own credential for the embedded broker.
/// </summary>
public sealed class MqttEndpoint
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Host { get; private set; } = "127.0.0.1";
    public int Port { get; private set; }
    public bool UseTls { get; private set; }

    /// <summary>Completes once <see cref="Host"/> and <see cref="Port"/> are final.</summary>
    public Task Ready => _ready.Task;

    internal void Set(string host, int port, bool useTls)
    {
        (Host, Port, UseTls) = (host, port, useTls);
        _ready.TrySetResult();
    }
}
