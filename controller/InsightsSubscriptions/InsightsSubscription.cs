using CamaraQos.Controller.ConnectivityInsights;
using CamaraQos.Shared;

namespace CamaraQos.Controller.InsightsSubscriptions;

/// <summary>
/// One active subscription as stored. <c>DeviceMac</c> (when the gateway knew it at creation) is how it
/// follows the device across LAN address changes, as QoS assignments do. <c>LastSent</c> is the
/// confidence per threshold the sink last heard (or the baseline taken at creation): an event goes out
/// only when a judged threshold differs from it.
/// </summary>
public sealed record InsightsSubscription(
    Guid SubscriptionId,
    string ClientId,
    string? SubscriberId,
    string AgentId,
    string DeviceIp,
    string? DeviceMac,
    SubscriptionDetail Detail,
    string Sink,
    string? SinkToken,
    DateTimeOffset StartsAt,
    DateTimeOffset? ExpiresAt,
    int? MaxEvents,
    bool? InitialEvent,
    int EventsSent,
    NetworkQualityInsight? LastSent)
{
    public const string EventType = "org.camaraproject.connectivity-insights-subscriptions.v0.network-quality";
    public const string EndedEventType = "org.camaraproject.connectivity-insights-subscriptions.v0.subscription-ended";

    public string Id => SubscriptionId.ToString();

    public string MonitorId => $"cis-{SubscriptionId:N}";

    public ServerMatch? Server => ServerMatch.From(Detail.ApplicationServer, Detail.ApplicationServerPorts);

    public SubscriptionInfo ToInfo() => new(
        "HTTP", Sink, [EventType], new SubscriptionConfig(Detail, ExpiresAt, MaxEvents, InitialEvent),
        Id, Id, StartsAt, ExpiresAt, "ACTIVE");

    /// <summary>
    /// What the agent is asked to watch. The contract carries one server address and one port: a single
    /// port is passed on, a port list or range is left to the controller's matching of the reported flows.
    /// </summary>
    public FlowMonitor ToMonitor(QualityThresholds thresholds)
    {
        var server = Detail.ApplicationServer;
        var ports = Detail.ApplicationServerPorts;
        int? port = ports is { Ranges: null, Ports: [var only] } ? only : null;
        return new FlowMonitor(MonitorId, DeviceIp, server?.Ipv4Address ?? server?.Ipv6Address, port, thresholds);
    }
}
