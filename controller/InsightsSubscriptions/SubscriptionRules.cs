using CamaraQos.Controller.Camara;
using CamaraQos.Controller.QualityOnDemand;

namespace CamaraQos.Controller.InsightsSubscriptions;

/// <summary>Rules of createSubscription (v0.6.0) checked before anything is resolved or stored; null when acceptable.</summary>
public static class SubscriptionRules
{

    public static CamaraError? Validate(SubscriptionRequest body, DateTimeOffset now, out DateTimeOffset? expiresAt)
    {
        expiresAt = null;
        return ValidateEnvelope(body)
            ?? ValidateDetail(body.Config!.SubscriptionDetail)
            ?? ValidateConfig(body.Config, now, out expiresAt);
    }

    /// <summary>protocol, types (exactly one, the network-quality type), config.</summary>
    private static CamaraError? ValidateEnvelope(SubscriptionRequest body) => body switch
    {
        { Protocol: null } => CamaraError.InvalidArgument("protocol is required."),
        // Spec Protocol: "Only HTTP is allowed for now"; CreateSubscriptionBadRequest400 INVALID_PROTOCOL, also for a
        // protocol outside the enum (CAMARA's test definition subscriptions_15; specs/camara/NOTES.md row 19).
        { Protocol: not "HTTP" } => new CamaraError(400, "INVALID_PROTOCOL", "Only HTTP is supported"),
        { Sink: null } => CamaraError.InvalidArgument("sink is required."),
        { Types: null or { Count: 0 } } => CamaraError.InvalidArgument("types must list one event type."),
        { Types.Count: > 1 } => CamaraError.InvalidArgument("types must list exactly one event type (maxItems 1)."),
        _ when body.Types[0] != InsightsSubscription.EventType => CamaraError.InvalidArgument($"types must be [{InsightsSubscription.EventType}]."),
        { Config: null } => CamaraError.InvalidArgument("config is required."),
        { Config.SubscriptionDetail: null } => CamaraError.InvalidArgument("config.subscriptionDetail is required."),
        _ => null,
    };

    private static CamaraError? ValidateDetail(SubscriptionDetailBody? d)
    {
        if (d!.ApplicationProfileId is null)
        {
            return CamaraError.InvalidArgument("config.subscriptionDetail.applicationProfileId is required.");
        }
        if (!Uuid.IsValid(d.ApplicationProfileId))
        {
            return CamaraError.InvalidArgument("config.subscriptionDetail.applicationProfileId must be a UUID.");
        }
        if (d.ApplicationServer is { } server && SessionRules.ValidateApplicationServer(server) is { } badServer)
        {
            return badServer;
        }
        if (d.ApplicationServerPorts is not null && d.ApplicationServer is null)
        {
            return CamaraError.InvalidArgument("applicationServerPorts requires applicationServer.");
        }
        return SessionRules.ValidatePorts(d.ApplicationServerPorts, "applicationServerPorts")
            ?? (d.Device is null ? null : DeviceSyntax.Validate(d.Device));
    }

    private static CamaraError? ValidateConfig(ConfigBody config, DateTimeOffset now, out DateTimeOffset? expiresAt)
    {
        expiresAt = null;
        // INVALID_ARGUMENT, not OUT_OF_RANGE: the test plan (subscriptions 13 and 14) asks for it.
        if (config.SubscriptionMaxEvents is < 1)
        {
            return CamaraError.InvalidArgument("config.subscriptionMaxEvents must be at least 1.");
        }
        if (config.SubscriptionExpireTime is not { } raw)
        {
            return null;
        }
        if (!Rfc3339.TryParse(raw, out var at))
        {
            return CamaraError.InvalidArgument("config.subscriptionExpireTime must be an RFC 3339 date-time with a time zone.");
        }
        if (at <= now)
        {
            return CamaraError.InvalidArgument("config.subscriptionExpireTime must be in the future.");
        }
        expiresAt = at.ToUniversalTime();
        return null;
    }
}
