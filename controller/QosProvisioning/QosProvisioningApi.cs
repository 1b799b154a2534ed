using CamaraQos.Controller.Health;
using System.Security.Claims;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CamaraQos.Controller.QosProvisioning;

/// <summary>QoS Provisioning v0.3.0 at <c>/qos-provisioning/v0.3</c>.</summary>
public static class QosProvisioningApi
{
    public const string BasePath = "/qos-provisioning/v0.3";

    public static WebApplicationBuilder AddQosProvisioning(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProvisioningOptions>().BindConfiguration("QosProvisioning")
            .Validate(o => o.SynchronousConfirmMilliseconds >= 0, "QosProvisioning:SynchronousConfirmMilliseconds must not be negative.")
            .Validate(o => o.UnavailableRetentionSeconds >= 360, "QosProvisioning:UnavailableRetentionSeconds must be at least 360 (spec).")
            .ValidateOnStart();
        builder.Services.AddSingleton<AssignmentStore>();
        builder.Services.AddSingleton<ProvisioningService>();
        builder.Services.AddSingleton<AssignmentLifecycle>();
        builder.Services.AddSingleton<IAgentObserver>(sp => sp.GetRequiredService<AssignmentLifecycle>());
        builder.Services.AddSingleton<IPolicySource, ProvisioningPolicySource>();
        builder.Services.AddLoopHeartbeats();
        builder.Services.AddHostedService<AssignmentPurge>();
        return builder;
    }

    public static WebApplication MapQosProvisioningApi(this WebApplication app)
    {
        var api = app.MapGroup(BasePath).RequireRateLimiting(CamaraCommon.RateLimitPolicy).WithTags("QoS Assignment");
        api.MapPost("/qos-assignments", CreateAsync).RequireAuthorization(Scopes.QosProvisioningCreate).WithName("createQosAssignment");
        api.MapGet("/qos-assignments/{assignmentId}", GetAsync).RequireAuthorization(Scopes.QosProvisioningRead).WithName("getQosAssignmentById");
        api.MapDelete("/qos-assignments/{assignmentId}", RevokeAsync).RequireAuthorization(Scopes.QosProvisioningDelete).WithName("revokeQosAssignment");
        api.MapPost("/retrieve-qos-assignment", RetrieveAsync).RequireAuthorization(Scopes.QosProvisioningReadByDevice).WithName("getQosAssignmentByDevice");
        return app;
    }

    private static async Task<Results<Created<AssignmentInfo>, CamaraError>> CreateAsync(
        CreateAssignment body, ClaimsPrincipal user, ProvisioningService service, CancellationToken ct)
    {
        var (assignment, error) = await service.CreateAsync(Caller.From(user), body, ct);
        return error ?? (Results<Created<AssignmentInfo>, CamaraError>)TypedResults.Created($"{BasePath}/qos-assignments/{assignment!.AssignmentId}", assignment.ToInfo());
    }

    private static async Task<Results<Ok<AssignmentInfo>, CamaraError>> GetAsync(
        string assignmentId, ClaimsPrincipal user, AssignmentStore store, CancellationToken ct)
    {
        var (assignment, error) = await LoadOwnedAsync(assignmentId, user, store, ct);
        return error ?? (Results<Ok<AssignmentInfo>, CamaraError>)TypedResults.Ok(assignment!.ToInfo());
    }

    /// <summary>Spec: 202 with the record (AVAILABLE, DELETE_REQUESTED) while the gateway removes it; else 204.</summary>
    private static async Task<Results<NoContent, Accepted<AssignmentInfo>, CamaraError>> RevokeAsync(
        string assignmentId, ClaimsPrincipal user, AssignmentStore store, ProvisioningService service, CancellationToken ct)
    {
        var (assignment, error) = await LoadOwnedAsync(assignmentId, user, store, ct);
        if (error is not null)
        {
            return error;
        }
        if (assignment!.Revoking)
        {
            return TypedResults.Accepted((string?)null, assignment.ToInfo());
        }
        return await service.RevokeAsync(assignment, ct)
            ? TypedResults.Accepted((string?)null, (await store.FindAsync(assignment.AssignmentId, ct) ?? assignment with { RevokeGeneration = long.MaxValue }).ToInfo())
            : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<AssignmentInfo>, CamaraError>> RetrieveAsync(
        RetrieveAssignmentByDevice body, ClaimsPrincipal user, DeviceResolver resolver, AssignmentStore store, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var (device, error) = await resolver.ResolveAsync(caller, body.Device, requireOnline: false, ct);
        if (error is not null)
        {
            return error;
        }
        var found = await store.ForDeviceAsync(device!.AgentId, device.Mac, device.LanIp, ct);
        // Spec: "must have been created by the same API consumer"; another consumer's assignment is
        // 403 PERMISSION_DENIED, as for the by-id operations (test plan getQosAssignmentByDevice 403.2).
        if (found is null)
        {
            return CamaraError.NotFound("No QoS profile assignment found for the device.");
        }
        return Owns(caller, found)
            ? TypedResults.Ok(found.ToInfo())
            : CamaraError.PermissionDenied("The device's assignment was created by another API client or for another subscriber.");
    }

    private static bool Owns(Caller caller, Assignment a) =>
        a.ClientId == caller.ClientId && (!caller.IsThreeLegged || a.SubscriberId == caller.SubscriberId);

    /// <summary>Records are visible only to the API client (and, 3-legged, the subscriber) that created them.</summary>
    private static async Task<(Assignment?, CamaraError?)> LoadOwnedAsync(string rawId, ClaimsPrincipal user, AssignmentStore store, CancellationToken ct)
    {
        if (ProvisioningRules.ParseAssignmentId(rawId, out var id) is { } invalid)
        {
            return (null, invalid);
        }
        var assignment = await store.FindAsync(id, ct);
        if (assignment is null)
        {
            return (null, CamaraError.NotFound("The specified QoS assignment is not found."));
        }
        return Owns(Caller.From(user), assignment)
            ? (assignment, null)
            : (null, CamaraError.PermissionDenied("The assignment was created by another API client or for another subscriber."));
    }
}
