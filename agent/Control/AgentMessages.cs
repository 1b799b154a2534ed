using System.Text.Json;
using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Native;
using CamaraQos.Shared;
using MQTTnet;
using MQTTnet.Protocol;

namespace CamaraQos.Agent.Control;

/// <summary>The agent's outgoing MQTT messages (docs/ARCHITECTURE.md §4), JSON through the source-generated context.</summary>
public static class AgentMessages
{
    public static AgentStatus Birth(AgentSettings settings, AgentBoot boot, AgentCapabilities? capabilities,
        NetworkSnapshot network, DateTimeOffset now) => new(
        Contract.SchemaVersion, settings.AgentId, Online: true, boot.Epoch, boot.SoftwareVersion, capabilities,
        new WanAddresses(network.WanIpv4, network.WanIpv6Prefixes), network.LanPrefixes, network.Inventory, now);

    /// <summary>The Last Will: offline, with the same boot epoch as the birth it ends.</summary>
    public static AgentStatus Will(AgentSettings settings, AgentBoot boot, DateTimeOffset now) => new(
        Contract.SchemaVersion, settings.AgentId, Online: false, boot.Epoch, boot.SoftwareVersion,
        null, null, null, null, now);

    public static byte[] Json(AgentStatus status) => JsonSerializer.SerializeToUtf8Bytes(status, ContractJson.Default.AgentStatus);

    public static byte[] Json(ReportedState report) => JsonSerializer.SerializeToUtf8Bytes(report, ContractJson.Default.ReportedState);

    /// <summary>status and reported are QoS 1 and retained, so a controller that starts later still sees them.</summary>
    public static MqttApplicationMessage Retained(string topic, byte[] payload) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(payload)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .WithRetainFlag()
        .WithContentType("application/json")
        .Build();

    /// <summary>telemetry is QoS 0 and not retained (docs/ARCHITECTURE.md §4): aggregates of one interval, soon stale.</summary>
    public static MqttApplicationMessage Telemetry(string topic, byte[] payload) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(payload)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
        .WithContentType("application/json")
        .Build();

    public static byte[] Json(TelemetryReport report) => JsonSerializer.SerializeToUtf8Bytes(report, ContractJson.Default.TelemetryReport);

    public static MqttClientOptions ClientOptions(AgentSettings settings, AgentBoot boot, DateTimeOffset now)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.MqttHost, settings.MqttPort)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(settings.AgentId)
            // A clean session each time: the agent resubscribes itself and the retained desired comes again.
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(Topics.Status(settings.AgentId))
            .WithWillPayload(Json(Will(settings, boot, now)))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillContentType("application/json");
        if (settings.Password is { } password)
        {
            builder.WithCredentials(settings.AgentId, password);
        }
        if (settings.MqttUseTls)
        {
            builder.WithTlsOptions(tls => tls.UseTls());
        }
        return builder.Build();
    }
}
