using CamaraQos.Controller.Camara;
using CamaraQos.Controller.QualityOnDemand;

namespace CamaraQos.Controller.ConnectivityInsights;

/// <summary>Rules of check-network-quality the schema states or implies; each returns null when acceptable.</summary>
public static class InsightsRules
{
    /// <summary>How far ahead of our clock a monitoringTimeStamp may be and still mean "now" (client clock skew).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static CamaraError? Validate(NetworkQualityInsightRequest body, out DateTimeOffset? at)
    {
        at = null;
        if (body.ApplicationProfileId is null)
        {
            return CamaraError.InvalidArgument("applicationProfileId is required.");
        }
        if (!Uuid.IsValid(body.ApplicationProfileId))
        {
            return CamaraError.InvalidArgument("applicationProfileId must be a UUID.");
        }
        if (body.ApplicationServer is { } server && SessionRules.ValidateApplicationServer(server) is { } badServer)
        {
            return badServer;
        }
        if (body.ApplicationServerPorts is not null && body.ApplicationServer is null)
        {
            return CamaraError.InvalidArgument("applicationServerPorts requires applicationServer.");
        }
        if (SessionRules.ValidatePorts(body.ApplicationServerPorts, "applicationServerPorts") is { } badPorts)
        {
            return badPorts;
        }
        if (body.MonitoringTimeStamp is { } raw)
        {
            if (!Rfc3339.TryParse(raw, out var parsed))
            {
                return CamaraError.InvalidArgument("monitoringTimeStamp must be an RFC 3339 date-time with a time zone.");
            }
            at = parsed;
        }
        return body.Device is null ? null : DeviceSyntax.Validate(body.Device);
    }

    /// <summary>
    /// The spec offers a future time "for predictive data". We judge measurements only, so a time ahead
    /// of now is a service we do not provide (422) rather than a guess presented as a prediction.
    /// </summary>
    public static CamaraError? ValidateTime(DateTimeOffset? at, DateTimeOffset now) =>
        at is { } t && t > now + ClockSkew
            ? CamaraError.ServiceNotApplicable("Predictions are not offered: monitoringTimeStamp must not be in the future.")
            : null;
}
