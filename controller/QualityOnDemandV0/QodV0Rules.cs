using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Notifications;
using CamaraQos.Controller.QualityOnDemand;

namespace CamaraQos.Controller.QualityOnDemandV0;

/// <summary>
/// The limits of quality-on-demand v0.10.1 that differ from v1: duration 1..86400 (default 86400),
/// requestedAdditionalDuration 1..86399, webhook instead of sink, and the remaining time after an
/// extension capped at 86400 s. Each check returns null when the input is acceptable.
/// </summary>
public static class QodV0Rules
{
    /// <summary>CreateSession.duration maximum and default; also the cap on the remaining time (extend).</summary>
    public const int MaxSeconds = 86400;

    public const int MaxAdditionalSeconds = 86399;

    public static CamaraError? ValidateCreate(CreateSessionV0 body, SinkValidator sinks)
    {
        if (body.Device is null)
        {
            return CamaraError.InvalidArgument("Expected property is missing: device");
        }
        if (body.ApplicationServer is null)
        {
            return CamaraError.InvalidArgument("Expected property is missing: applicationServer");
        }
        if (body.QosProfile is null)
        {
            return CamaraError.InvalidArgument("Expected property is missing: qosProfile");
        }
        if (body.Duration is < 1 or > MaxSeconds)
        {
            return CamaraError.InvalidArgument($"duration must be between 1 and {MaxSeconds} seconds.");
        }
        return body.Webhook is null ? null : ValidateWebhook(body.Webhook, sinks);
    }

    public static CamaraError? ValidateWebhook(Webhook webhook, SinkValidator sinks)
    {
        if (webhook.NotificationUrl is null)
        {
            return CamaraError.InvalidArgument("Expected property is missing: webhook.notificationUrl");
        }
        if (sinks.ValidateSink(webhook.NotificationUrl) is { } invalid)
        {
            return CamaraError.InvalidArgument($"webhook.notificationUrl: {invalid.Value.Message}");
        }
        return webhook.NotificationAuthToken switch
        {
            null => null,
            { Length: < 20 or > 256 } => CamaraError.InvalidArgument("webhook.notificationAuthToken must be 20 to 256 characters."),
            // It becomes an HTTP header value (RFC 6750 §2.1); CR/LF would split the header.
            var t when t.Any(char.IsControl) => CamaraError.InvalidArgument("webhook.notificationAuthToken must not contain control characters."),
            _ => null,
        };
    }

    public static CamaraError? ValidateExtend(ExtendSessionDurationV0 body) => body.RequestedAdditionalDuration switch
    {
        null => CamaraError.InvalidArgument("Expected property is missing: requestedAdditionalDuration"),
        < 1 or > MaxAdditionalSeconds => CamaraError.InvalidArgument($"requestedAdditionalDuration must be between 1 and {MaxAdditionalSeconds} seconds."),
        _ => null,
    };

    /// <summary>
    /// extendQosSessionDuration: the new duration is the old plus the addition, unless the remaining time
    /// (expiresAt - now) would exceed 86400 s; then the remaining time is 86400 s. Never shortens.
    /// </summary>
    public static long ExtendedDuration(Session session, int additionalSeconds, DateTimeOffset now)
    {
        var elapsed = (long)Math.Floor((now - session.StartedAt!.Value).TotalSeconds);
        return Math.Max(session.Duration, Math.Min(session.Duration + additionalSeconds, elapsed + MaxSeconds));
    }

    /// <summary>
    /// The shared session service speaks v1's codes; v0.10.1 documents fewer. Device look-ups that fail
    /// are the spec's CannotIdentifyDevice example, a device we cannot serve its 501, and the profile's
    /// duration range its OUT_OF_RANGE example.
    /// </summary>
    public static CamaraError ToV0(CamaraError error) => (error.Value.Status, error.Value.Code) switch
    {
        (404, "IDENTIFIER_NOT_FOUND") => CamaraError.InvalidArgument("Unable to identify device from specified parameters: device"),
        (422, "MISSING_IDENTIFIER") => CamaraError.InvalidArgument("Expected property is missing: device"),
        (422, "UNNECESSARY_IDENTIFIER") => CamaraError.InvalidArgument("Multiple inconsistent parameters specified: device"),
        (422, "SERVICE_NOT_APPLICABLE" or "UNSUPPORTED_IDENTIFIER") => new CamaraError(501, "NOT_IMPLEMENTED", $"Service not implemented for the specified user device: {error.Value.Message}"),
        (400, "QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE") => CamaraError.OutOfRange(error.Value.Message),
        (409, "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED") => CamaraError.InvalidArgument("The target session is inactive"),
        (400 or 401 or 403 or 404 or 409 or 500 or 503, _) when !error.Value.Code.Contains('.', StringComparison.Ordinal) => Plain(error),
        _ when error.Value.Status >= 500 => CamaraError.Internal(),
        _ => CamaraError.InvalidArgument(error.Value.Message),
    };

    /// <summary>Codes v0.10.1 uses as is; INVALID_SINK and friends become INVALID_ARGUMENT.</summary>
    private static CamaraError Plain(CamaraError error) =>
        error.Value.Status == 400 && error.Value.Code is not ("INVALID_ARGUMENT" or "OUT_OF_RANGE")
            ? CamaraError.InvalidArgument(error.Value.Message)
            : error;
}
