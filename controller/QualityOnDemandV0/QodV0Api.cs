using System.Security.Claims;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.Notifications;
using CamaraQos.Controller.QualityOnDemand;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CamaraQos.Controller.QualityOnDemandV0;

/// <summary>
/// Quality on Demand v0.10.1 at <c>/qod/v0</c> (specs/camara/NOTES.md row 11): the same sessions as v1 underneath, so a
/// session created in one version is read, extended and deleted in the other; notifications keep the
/// creator's format.
/// </summary>
public static class QodV0Api
{
    public const string BasePath = "/qod/v0";

    public static WebApplicationBuilder AddQualityOnDemandV0(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, QodV0Json.Default));
        return builder;
    }

    public static WebApplication MapQualityOnDemandV0Api(this WebApplication app)
    {
        var api = app.MapGroup(BasePath).RequireRateLimiting(CamaraCommon.RateLimitPolicy);
        var sessions = api.MapGroup("/sessions").WithTags("QoS Sessions");
        sessions.MapPost("", CreateAsync).RequireAuthorization(Scopes.QodV0SessionsWrite).WithName("v0createSession");
        sessions.MapGet("/{sessionId}", GetAsync).RequireAuthorization(Scopes.QodV0SessionsRead).WithName("v0getSession");
        sessions.MapDelete("/{sessionId}", DeleteAsync).RequireAuthorization(Scopes.QodV0SessionsDelete).WithName("v0deleteSession");
        sessions.MapPost("/{sessionId}/extend", ExtendAsync).RequireAuthorization(Scopes.QodV0SessionsWrite).WithName("v0extendQosSessionDuration");
        var profiles = api.MapGroup("/qos-profiles").WithTags("QoS Profiles").RequireAuthorization(Scopes.QodV0ProfilesRead);
        profiles.MapGet("", QodV0Profiles.List).WithName("v0getQosProfiles");
        profiles.MapGet("/{name}", QodV0Profiles.Get).WithName("v0getQosProfile");
        return app;
    }

    private static async Task<Results<Created<SessionInfoV0>, CamaraError>> CreateAsync(
        CreateSessionV0 body, ClaimsPrincipal user, SessionService sessions, SinkValidator sinks, DeviceResolver resolver,
        IAgentDirectory agents, CancellationToken ct)
    {
        if (QodV0Rules.ValidateCreate(body, sinks) is { } invalid)
        {
            return invalid;
        }
        var caller = Caller.From(user);
        var shared = new CreateSession(QodV0Mapping.Normalize(body.Device), body.ApplicationServer, body.DevicePorts, body.ApplicationServerPorts,
            body.QosProfile, body.Webhook?.NotificationUrl, null, body.Duration ?? QodV0Rules.MaxSeconds);
        if ((SessionRules.ValidateCreate(shared) ?? await ThreeLeggedDeviceErrorAsync(caller, shared.Device!, resolver, ct)) is { } rejected)
        {
            return QodV0Rules.ToV0(rejected);
        }
        // A 3-legged token names the device itself; the body's device was checked to be the same one.
        var (session, error) = await sessions.StartAsync(caller, caller.IsThreeLegged ? shared with { Device = null } : shared,
            body.Webhook?.NotificationAuthToken, SessionRequest.QodV0, ct);
        return error is not null
            ? QodV0Rules.ToV0(error)
            : TypedResults.Created($"{BasePath}/sessions/{session!.SessionId}", QodV0Mapping.ToInfo(session, agents));
    }

    private static async Task<Results<Ok<SessionInfoV0>, CamaraError>> GetAsync(
        string sessionId, ClaimsPrincipal user, SessionStore store, IAgentDirectory agents, CancellationToken ct)
    {
        var (session, error) = await LoadOwnedAsync(sessionId, user, store, ct);
        return error ?? (Results<Ok<SessionInfoV0>, CamaraError>)TypedResults.Ok(QodV0Mapping.ToInfo(session!, agents));
    }

    private static async Task<Results<NoContent, CamaraError>> DeleteAsync(
        string sessionId, ClaimsPrincipal user, SessionStore store, SessionService sessions, CancellationToken ct)
    {
        var (session, error) = await LoadOwnedAsync(sessionId, user, store, ct);
        if (error is not null)
        {
            return error;
        }
        await sessions.DeleteAsync(session!, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SessionInfoV0>, CamaraError>> ExtendAsync(
        string sessionId, ExtendSessionDurationV0 body, ClaimsPrincipal user, SessionStore store, SessionService sessions,
        IAgentDirectory agents, TimeProvider time, CancellationToken ct)
    {
        var (session, error) = await LoadOwnedAsync(sessionId, user, store, ct);
        if ((error ?? QodV0Rules.ValidateExtend(body)) is { } invalid)
        {
            return invalid;
        }
        if (session!.Status != QosStatus.AVAILABLE)
        {
            return CamaraError.InvalidArgument("The target session is inactive");
        }
        var duration = QodV0Rules.ExtendedDuration(session, body.RequestedAdditionalDuration!.Value, time.GetUtcNow());
        var (extended, conflict) = await sessions.SetDurationAsync(session, duration, ct);
        return conflict is not null ? QodV0Rules.ToV0(conflict) : TypedResults.Ok(QodV0Mapping.ToInfo(extended!, agents));
    }

    /// <summary>
    /// v0.10.1 requires a device even with a 3-legged token: it must be the token's device
    /// (the spec's InconsistentDeviceProperties example otherwise).
    /// </summary>
    private static async Task<CamaraError?> ThreeLeggedDeviceErrorAsync(Caller caller, Device device, DeviceResolver resolver, CancellationToken ct)
    {
        if (!caller.IsThreeLegged)
        {
            return null;
        }
        var (named, error) = await resolver.ResolveAsync(caller with { SubscriberId = null }, device, requireOnline: false, ct);
        var (owned, ownError) = await resolver.ResolveAsync(caller, null, requireOnline: false, ct);
        if ((error ?? ownError) is { } failed)
        {
            return failed;
        }
        return named!.AgentId == owned!.AgentId && named.LanIp == owned.LanIp
            ? null
            : CamaraError.InvalidArgument("Multiple inconsistent parameters specified: device");
    }

    private static Task<(Session?, CamaraError?)> LoadOwnedAsync(string rawId, ClaimsPrincipal user, SessionStore store, CancellationToken ct) =>
        SessionAccess.LoadOwnedAsync(rawId, user, store, "Session Id does not exist", ct);
}
