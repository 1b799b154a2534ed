using System.Text.Json.Serialization;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Notifications;
using CamaraQos.Controller.QualityOnDemand;

namespace CamaraQos.Controller.InsightsSubscriptions;

// Bodies of connectivity-insights-subscriptions v0.6.0, field names as the spec; nullable on the way in.

public sealed record SubscriptionDetailBody(Device? Device, ApplicationServer? ApplicationServer, PortsSpec? ApplicationServerPorts, string? ApplicationProfileId);

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record ConfigBody(SubscriptionDetailBody? SubscriptionDetail, string? SubscriptionExpireTime, int? SubscriptionMaxEvents, bool? InitialEvent);

/// <summary>SubscriptionRequest.</summary>
public sealed record SubscriptionRequest(string? Protocol, string? Sink, SinkCredential? SinkCredential, IReadOnlyList<string>? Types, ConfigBody? Config);

/// <summary>CreateSubscriptionDetail as stored and returned (the device as resolved: one identifier, none for 3-legged).</summary>
public sealed record SubscriptionDetail(Device? Device, ApplicationServer? ApplicationServer, PortsSpec? ApplicationServerPorts, Guid ApplicationProfileId);

public sealed record SubscriptionConfig(SubscriptionDetail SubscriptionDetail, DateTimeOffset? SubscriptionExpireTime, int? SubscriptionMaxEvents, bool? InitialEvent);

/// <summary>
/// Subscription as returned. The schema requires <c>id</c> while naming the property <c>subscriptionId</c>;
/// CAMARA's test plan reads <c>subscriptionId</c> (specs/camara/NOTES.md row 9), so both carry the same value.
/// <c>sinkCredential</c> is never returned (spec: data minimization).
/// </summary>
public sealed record SubscriptionInfo(
    string Protocol,
    string Sink,
    IReadOnlyList<string> Types,
    SubscriptionConfig Config,
    string Id,
    string SubscriptionId,
    DateTimeOffset StartsAt,
    DateTimeOffset? ExpiresAt,
    string Status);

#pragma warning disable CA1707 // spelled as the spec spells them on the wire
public enum TerminationReason
{
    MAX_EVENTS_REACHED,
    NETWORK_TERMINATED,
    SUBSCRIPTION_EXPIRED,
    SUBSCRIPTION_DELETED,
}
#pragma warning restore CA1707

/// <summary><c>data</c> of subscription-ended (SubscriptionEnded).</summary>
public sealed record SubscriptionEndedData(TerminationReason TerminationReason, string SubscriptionId, string? TerminationDescription);

/// <summary>
/// <c>data</c> of network-quality (NetworkQualityInsight). v0.6.0 spells the profile id
/// <c>papplicationProfileId</c>, a typo v0.7.0 corrects to <c>applicationProfileId</c>: both are sent so a
/// client of either reads it (the schema allows extra properties). <c>subscriptionId</c> names the
/// subscription, as the Commonalities event notification model asks.
/// </summary>
public sealed record NetworkQualityData(
    Guid ApplicationProfileId,
    [property: JsonPropertyName("papplicationProfileId")] Guid PapplicationProfileId,
    string SubscriptionId,
    string? PacketDelayBudget,
    string? TargetMinDownstreamRate,
    string? TargetMinUpstreamRate,
    string? PacketlossErrorRate,
    string? Jitter);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SubscriptionRequest))]
[JsonSerializable(typeof(SubscriptionInfo))]
[JsonSerializable(typeof(List<SubscriptionInfo>))]
[JsonSerializable(typeof(SubscriptionDetail))]
[JsonSerializable(typeof(SubscriptionEndedData))]
[JsonSerializable(typeof(NetworkQualityData))]
[JsonSerializable(typeof(ConnectivityInsights.NetworkQualityInsight))]
public sealed partial class SubscriptionsJson : JsonSerializerContext;
