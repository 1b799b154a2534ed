using System.Security.Claims;
using CamaraQos.Controller.ApplicationProfiles;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CamaraQos.Controller.ConnectivityInsights;

/// <summary>Connectivity Insights v0.6.0 at <c>/connectivity-insights/v0.6</c>: check-network-quality.</summary>
public static class ConnectivityInsightsApi
{
    public const string BasePath = "/connectivity-insights/v0.6";

    public static WebApplicationBuilder AddConnectivityInsights(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(InsightsJson.Default));
        return builder;
    }

    public static WebApplication MapConnectivityInsightsApi(this WebApplication app)
    {
        app.MapGroup(BasePath).RequireRateLimiting(CamaraCommon.RateLimitPolicy).WithTags("Network Quality")
            .MapPost("/check-network-quality", CheckAsync).RequireAuthorization(Scopes.ConnectivityInsightsCheck).WithName("checkNetworkQuality");
        return app;
    }

    /// <summary>
    /// The profile's thresholds judged by the shared <see cref="Shared.QualityJudge"/> over the device's recent
    /// telemetry (its flows to the application server, or the whole device without one), in the window
    /// ending at monitoringTimeStamp (default now). Thresholds without enough evidence are left out.
    /// </summary>
    private static async Task<Results<Ok<NetworkQualityInsightResponse>, CamaraError>> CheckAsync(
        NetworkQualityInsightRequest body, ClaimsPrincipal user, ApplicationProfileStore profiles, DeviceResolver resolver,
        TelemetryStore telemetry, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if ((InsightsRules.Validate(body, out var at) ?? InsightsRules.ValidateTime(at, now)) is { } invalid)
        {
            return invalid;
        }
        var caller = Caller.From(user);
        var (profile, profileError) = await ApplicationProfilesApi.LoadOwnedAsync(body.ApplicationProfileId!, caller, profiles, ct);
        if (profileError is not null)
        {
            return profileError;
        }
        if (profile!.NetworkQualityThresholds is not { } thresholds)
        {
            return CamaraError.ServiceNotApplicable("The application profile states no networkQualityThresholds to check.");
        }
        var (device, unresolved) = await resolver.ResolveAsync(caller, body.Device, requireOnline: false, ct);
        if (unresolved is not null)
        {
            return unresolved;
        }
        var reports = telemetry.Recent(device!.AgentId, at is { } t && t < now ? t : now);
        var measured = MeasuredWindow.Of(reports, device.LanIp, ServerMatch.From(body.ApplicationServer, body.ApplicationServerPorts));
        return TypedResults.Ok(NetworkQualityInsightResponse.From(NetworkQualityInsight.Judge(thresholds, measured), device.Identifier));
    }
}
