using System.Security.Claims;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.HomeDevicesQod;

/// <summary>Home Devices QoD v0.4.0 at <c>/home-devices-qod/v0.4</c>: one operation, setQos.</summary>
public static class HomeDevicesQodApi
{
    public const string BasePath = "/home-devices-qod/v0.4";

    public static WebApplicationBuilder AddHomeDevicesQod(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HomeDevicesQodJson.Default));
        builder.Services.AddOptions<HomeDevicesQodOptions>().BindConfiguration("HomeDevicesQod").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HomeDevicesQodOptions>, HomeDevicesQodOptionsValidator>();
        builder.Services.AddSingleton<HomeDeviceStore>();
        builder.Services.AddSingleton<HomeDeviceLifecycle>();
        builder.Services.AddSingleton<IAgentObserver>(sp => sp.GetRequiredService<HomeDeviceLifecycle>());
        builder.Services.AddSingleton<IPolicySource, HomeDevicePolicySource>();
        builder.Services.AddSingleton<HomeDeviceService>();
        return builder;
    }

    public static WebApplication MapHomeDevicesQodApi(this WebApplication app)
    {
        var api = app.MapGroup(BasePath).RequireRateLimiting(CamaraCommon.RateLimitPolicy).WithTags("Home Devices QoD");
        api.MapPut("/qos", SetQosAsync).RequireAuthorization(Scopes.HomeDevicesQodWrite).WithName("setQos");
        return app;
    }

    /// <summary>Spec: 204 "Requested QoS passed all validations and was applied".</summary>
    private static async Task<Results<NoContent, CamaraError>> SetQosAsync(
        QosOnDemandUpdate body, ClaimsPrincipal user, HomeDeviceService service, CancellationToken ct) =>
        await service.SetAsync(Caller.From(user), body, ct) is { } error ? error : TypedResults.NoContent();
}
