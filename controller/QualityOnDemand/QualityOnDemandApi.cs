using CamaraQos.Controller.Health;
using System.Security.Claims;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CamaraQos.Controller.QualityOnDemand;

/// <summary>Quality on Demand v1.1.0 at <c>/quality-on-demand/v1</c>.</summary>
public static class QualityOnDemandApi
{
    public const string BasePath = "/quality-on-demand/v1";

    public static WebApplicationBuilder AddQualityOnDemand(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<QodOptions>().BindConfiguration("QualityOnDemand")
            .Validate(o => o.ConfirmTimeoutSeconds > 0, "QualityOnDemand:ConfirmTimeoutSeconds must be positive.")
            .Validate(o => o.SynchronousConfirmMilliseconds >= 0, "QualityOnDemand:SynchronousConfirmMilliseconds must not be negative.")
            .Validate(o => o.UnavailableRetentionSeconds >= 360, "QualityOnDemand:UnavailableRetentionSeconds must be at least 360 (spec).")
            .Validate(o => o.OfflineGraceSeconds >= 0, "QualityOnDemand:OfflineGraceSeconds must not be negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<SessionService>();
        builder.Services.AddSingleton<SessionLifecycle>();
        builder.Services.AddSingleton<IAgentObserver>(sp => sp.GetRequiredService<SessionLifecycle>());
        builder.Services.AddLoopHeartbeats();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionLifecycle>());
        builder.Services.AddSingleton<IPolicySource, QodPolicySource>();
        return builder;
    }

    public static WebApplication MapQualityOnDemandApi(this WebApplication app)
    {
        var api = app.MapGroup(BasePath).RequireRateLimiting(CamaraCommon.RateLimitPolicy).WithTags("QoS Sessions");
        api.MapPost("/sessions", CreateAsync).RequireAuthorization(Scopes.QodCreate).WithName("createSession");
        api.MapGet("/sessions/{sessionId}", GetAsync).RequireAuthorization(Scopes.QodRead).WithName("getSession");
        api.MapDelete("/sessions/{sessionId}", DeleteAsync).RequireAuthorization(Scopes.QodDelete).WithName("deleteSession");
        api.MapPost("/sessions/{sessionId}/extend", ExtendAsync).RequireAuthorization(Scopes.QodUpdate).WithName("extendQosSessionDuration");
        api.MapPost("/retrieve-sessions", RetrieveAsync).RequireAuthorization(Scopes.QodRetrieveByDevice).WithName("retrieveSessionsByDevice");
        return app;
    }

    private static async Task<Results<Created<SessionInfo>, CamaraError>> CreateAsync(
        CreateSession body, ClaimsPrincipal user, SessionService sessions, CancellationToken ct)
    {
        var (session, error) = await sessions.CreateAsync(Caller.From(user), body, ct);
        return error ?? (Results<Created<SessionInfo>, CamaraError>)TypedResults.Created($"{BasePath}/sessions/{session!.SessionId}", session.ToInfo());
    }

    private static async Task<Results<Ok<SessionInfo>, CamaraError>> GetAsync(
        string sessionId, ClaimsPrincipal user, SessionStore store, CancellationToken ct)
    {
        var (session, error) = await LoadOwnedAsync(sessionId, user, store, ct);
        return error ?? (Results<Ok<SessionInfo>, CamaraError>)TypedResults.Ok(session!.ToInfo());
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

    private static async Task<Results<Ok<SessionInfo>, CamaraError>> ExtendAsync(
        string sessionId, ExtendSessionDuration body, ClaimsPrincipal user, SessionStore store, SessionService sessions, CancellationToken ct)
    {
        var (session, error) = await LoadOwnedAsync(sessionId, user, store, ct);
        if ((error ?? SessionRules.ValidateExtend(body)) is { } invalid)
        {
            return invalid;
        }
        var (extended, conflict) = await sessions.ExtendAsync(session!, body.RequestedAdditionalDuration!.Value, ct);
        return conflict ?? (Results<Ok<SessionInfo>, CamaraError>)TypedResults.Ok(extended!.ToInfo());
    }

    private static async Task<Results<Ok<List<SessionInfo>>, CamaraError>> RetrieveAsync(
        RetrieveSessionsInput body, ClaimsPrincipal user, DeviceResolver resolver, SessionStore store, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var (device, error) = await resolver.ResolveAsync(caller, body.Device, requireOnline: false, ct);
        if (error is not null)
        {
            return error;
        }
        var found = await store.ForDeviceAsync(caller.ClientId, device!.AgentId, device.LanIp, ct);
        return TypedResults.Ok(found.Where(s => !caller.IsThreeLegged || s.SubscriberId == caller.SubscriberId).Select(s => s.ToInfo()).ToList());
    }

    private static Task<(Session?, CamaraError?)> LoadOwnedAsync(string rawId, ClaimsPrincipal user, SessionStore store, CancellationToken ct) =>
        SessionAccess.LoadOwnedAsync(rawId, user, store, "The specified session is not found.", ct);
}
