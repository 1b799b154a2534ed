using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.QosProfiles;

/// <summary>QoS Profiles v1 (qos-profiles-v1.1.0.yaml): retrieveQoSProfiles and getQosProfile.</summary>
public static class QosProfilesApi
{
    public const string BasePath = "/qos-profiles/v1";

    public static WebApplicationBuilder AddQosProfiles(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<QosProfileCatalogOptions>()
            .Configure<IConfiguration>((o, config) => config.GetSection(QosProfileCatalogOptions.Section).Bind(o.Profiles))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<QosProfileCatalogOptions>, QosProfileCatalogOptionsValidator>();
        builder.Services.AddSingleton<IQosProfileCatalog, ConfiguredQosProfileCatalog>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, QosProfilesJson.Default));
        return builder;
    }

    public static WebApplication MapQosProfilesApi(this WebApplication app)
    {
        var api = app.MapGroup(BasePath)
            .RequireAuthorization(Scopes.QosProfilesRead)
            .RequireRateLimiting(CamaraCommon.RateLimitPolicy);
        api.MapPost("/retrieve-qos-profiles", Retrieve).WithName("retrieveQoSProfiles");
        api.MapGet("/qos-profiles/{name}", Get).WithName("getQosProfile");
        return app;
    }

    internal static async Task<Results<Ok<List<QosProfile>>, CamaraError>> Retrieve(
        QosProfileDeviceRequest request, IQosProfileCatalog catalog, DeviceResolver resolver, HttpContext http)
    {
        if (request.Name is not null && !QosProfileValidation.IsValidName(request.Name))
        {
            return CamaraError.InvalidArgument("name must match ^[a-zA-Z0-9_.-]+$ with 3 to 256 characters.");
        }
        if (request.Status is not null && !QosProfileValidation.Statuses.Contains(request.Status))
        {
            return CamaraError.InvalidArgument($"status must be one of {string.Join(", ", QosProfileValidation.Statuses)}.");
        }
        // Profiles are the same for every device here, so a known device filters nothing out; an
        // unknown name is an empty list, not 404 (CAMARA test plan retrieveQoSProfiles_02/06). A device
        // that no gateway serves is 404 IDENTIFIER_NOT_FOUND (test plan C01.03), so it is resolved,
        // without requiring its gateway to be online: the answer is a catalogue, not a session.
        if (request.Device is { } device)
        {
            var caller = Caller.From(http.User);
            if (DeviceFilter.Check(device, caller) is { } error)
            {
                return error;
            }
            var (_, unresolved) = await resolver.ResolveAsync(caller, device, requireOnline: false, http.RequestAborted);
            if (unresolved is not null)
            {
                return unresolved;
            }
        }
        return TypedResults.Ok(catalog.All
            .Where(p => request.Name is null || p.Name == request.Name)
            .Where(p => request.Status is null || p.Status == request.Status)
            .ToList());
    }

    internal static Results<Ok<QosProfile>, CamaraError> Get(string name, IQosProfileCatalog catalog)
    {
        if (!QosProfileValidation.IsValidName(name))
        {
            return CamaraError.InvalidArgument("name must match ^[a-zA-Z0-9_.-]+$ with 3 to 256 characters.");
        }
        return catalog.Find(name) is { } profile
            ? TypedResults.Ok(profile)
            : CamaraError.NotFound($"QoS profile '{ClientValue.Echo(name)}' does not exist.");
    }
}
