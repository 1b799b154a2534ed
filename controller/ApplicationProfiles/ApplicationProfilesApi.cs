using System.Security.Claims;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CamaraQos.Controller.ApplicationProfiles;

/// <summary>Told when a profile's thresholds change or it is deleted (subscriptions judge against it).</summary>
public interface IApplicationProfileObserver
{
    Task OnProfileChangedAsync(Guid profileId, bool deleted, CancellationToken ct);
}

/// <summary>Application Profiles v0.5.0 at <c>/application-profiles/v0.5</c>.</summary>
public static class ApplicationProfilesApi
{
    public const string BasePath = "/application-profiles/v0.5";

    public static WebApplicationBuilder AddApplicationProfiles(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(ApplicationProfilesJson.Default));
        builder.Services.AddSingleton<ApplicationProfileStore>();
        return builder;
    }

    public static WebApplication MapApplicationProfilesApi(this WebApplication app)
    {
        var api = app.MapGroup(BasePath).RequireRateLimiting(CamaraCommon.RateLimitPolicy).WithTags("Application Profiles");
        api.MapPost("/application-profiles", CreateAsync).RequireAuthorization(Scopes.ApplicationProfilesCreate).WithName("createApplicationProfile");
        api.MapGet("/application-profiles/{applicationProfileId}", GetAsync).RequireAuthorization(Scopes.ApplicationProfilesRead).WithName("readApplicationProfile");
        api.MapPatch("/application-profiles/{applicationProfileId}", UpdateAsync).RequireAuthorization(Scopes.ApplicationProfilesUpdate).WithName("updateApplicationProfile");
        api.MapDelete("/application-profiles/{applicationProfileId}", DeleteAsync).RequireAuthorization(Scopes.ApplicationProfilesDelete).WithName("deleteApplicationProfile");
        return app;
    }

    private static async Task<Results<Created<ApplicationProfile>, CamaraError>> CreateAsync(
        ApplicationProfileRequest body, ClaimsPrincipal user, ApplicationProfileStore store, TimeProvider time, CancellationToken ct)
    {
        if (ProfileRules.Validate(body.NetworkQualityThresholds, body.ComputeResources) is { } invalid)
        {
            return invalid;
        }
        var profile = new ApplicationProfile(Guid.NewGuid(), body.NetworkQualityThresholds, body.ComputeResources);
        await store.InsertAsync(Caller.From(user).ClientId, profile, time.GetUtcNow(), ct);
        return TypedResults.Created($"{BasePath}/application-profiles/{profile.ApplicationProfileId}", profile);
    }

    private static async Task<Results<Ok<ApplicationProfile>, CamaraError>> GetAsync(
        string applicationProfileId, ClaimsPrincipal user, ApplicationProfileStore store, CancellationToken ct)
    {
        var (profile, error) = await LoadOwnedAsync(applicationProfileId, Caller.From(user), store, ct);
        return error ?? (Results<Ok<ApplicationProfile>, CamaraError>)TypedResults.Ok(profile!);
    }

    /// <summary>The spec's PATCH replaces the complete set of thresholds with the body's.</summary>
    private static async Task<Results<Ok<ApplicationProfile>, CamaraError>> UpdateAsync(
        string applicationProfileId, ApplicationProfileBody body, ClaimsPrincipal user, ApplicationProfileStore store,
        IEnumerable<IApplicationProfileObserver> observers, TimeProvider time, CancellationToken ct)
    {
        var (existing, error) = await LoadOwnedAsync(applicationProfileId, Caller.From(user), store, ct);
        if ((error ?? ValidateBodyId(body, existing)
            ?? ProfileRules.Validate(body.NetworkQualityThresholds, body.ComputeResources)) is { } invalid)
        {
            return invalid;
        }
        var profile = new ApplicationProfile(existing!.ApplicationProfileId, body.NetworkQualityThresholds, body.ComputeResources);
        if (!await store.ReplaceAsync(profile, time.GetUtcNow(), ct))
        {
            return CamaraError.NotFound("The specified application profile is not found.");
        }
        foreach (var observer in observers)
        {
            await observer.OnProfileChangedAsync(profile.ApplicationProfileId, deleted: false, ct);
        }
        return TypedResults.Ok(profile);
    }

    /// <summary>specs/camara/NOTES.md row 7: 204, as the spec says.</summary>
    private static async Task<Results<NoContent, CamaraError>> DeleteAsync(
        string applicationProfileId, ClaimsPrincipal user, ApplicationProfileStore store,
        IEnumerable<IApplicationProfileObserver> observers, CancellationToken ct)
    {
        var (profile, error) = await LoadOwnedAsync(applicationProfileId, Caller.From(user), store, ct);
        if (error is not null)
        {
            return error;
        }
        if (await store.DeleteAsync(profile!.ApplicationProfileId, ct))
        {
            foreach (var observer in observers)
            {
                await observer.OnProfileChangedAsync(profile.ApplicationProfileId, deleted: true, ct);
            }
        }
        return TypedResults.NoContent();
    }

    /// <summary>The body is an ApplicationProfile, whose applicationProfileId is required: it must name this profile.</summary>
    private static CamaraError? ValidateBodyId(ApplicationProfileBody body, ApplicationProfile? existing) =>
        body.ApplicationProfileId is not { } raw ? CamaraError.InvalidArgument("applicationProfileId is required in the body.")
        : !Uuid.TryParse(raw, out var id) ? CamaraError.InvalidArgument("applicationProfileId must be a UUID.")
        : id != existing?.ApplicationProfileId ? CamaraError.InvalidArgument("applicationProfileId in the body must match the path.")
        : null;

    /// <summary>
    /// A profile is visible only to the API client that created it (docs/ARCHITECTURE.md §2). Malformed id 400
    /// (specs/camara/NOTES.md row 4), unknown 404, another client's 403. Also used by check-network-quality and subscriptions.
    /// </summary>
    public static async Task<(ApplicationProfile?, CamaraError?)> LoadOwnedAsync(string rawId, Caller caller, ApplicationProfileStore store, CancellationToken ct)
    {
        if (ProfileRules.ParseId(rawId, out var id) is { } invalid)
        {
            return (null, invalid);
        }
        var stored = await store.FindAsync(id, ct);
        return stored is null ? (null, CamaraError.NotFound("The specified application profile is not found."))
            : stored.ClientId != caller.ClientId ? (null, CamaraError.PermissionDenied("The application profile was created by another API client."))
            : (stored.Profile, null);
    }
}
