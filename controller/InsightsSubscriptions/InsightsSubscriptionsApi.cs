using CamaraQos.Controller.Health;
using System.Security.Claims;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.ApplicationProfiles;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Storage;
using CamaraQos.Controller.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CamaraQos.Controller.InsightsSubscriptions;

/// <summary>Connectivity Insights Subscriptions v0.6.0 at <c>/connectivity-insights-subscriptions/v0.6</c>.</summary>
public static class InsightsSubscriptionsApi
{
    public static WebApplicationBuilder AddInsightsSubscriptions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(SubscriptionsJson.Default));
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<SubscriptionWatch>();
        services.AddSingleton<ITelemetryListener>(sp => sp.GetRequiredService<SubscriptionWatch>());
        services.AddSingleton<IApplicationProfileObserver>(sp => sp.GetRequiredService<SubscriptionWatch>());
        services.AddSingleton<IAgentObserver>(sp => sp.GetRequiredService<SubscriptionWatch>());
        services.AddSingleton<IPolicySource>(sp => sp.GetRequiredService<SubscriptionWatch>());
        services.AddLoopHeartbeats();
        services.AddHostedService<SubscriptionExpiry>();
        return builder;
    }

    public static WebApplication MapInsightsSubscriptionsApi(this WebApplication app)
    {
        var api = app.MapGroup(SubscriptionService.BasePath).RequireRateLimiting(CamaraCommon.RateLimitPolicy).WithTags("Connectivity Insights Subscriptions");
        api.MapPost("/subscriptions", CreateAsync).RequireAuthorization(Scopes.InsightsSubscriptionsCreate).WithName("createSubscription");
        api.MapGet("/subscriptions", ListAsync).RequireAuthorization(Scopes.InsightsSubscriptionsRead).WithName("getSubscriptionList");
        api.MapGet("/subscriptions/{subscriptionId}", GetAsync).RequireAuthorization(Scopes.InsightsSubscriptionsRead).WithName("getSubscription");
        api.MapDelete("/subscriptions/{subscriptionId}", DeleteAsync).RequireAuthorization(Scopes.InsightsSubscriptionsDelete).WithName("deleteSubscription");
        return app;
    }

    private static async Task<Results<Created<SubscriptionInfo>, CamaraError>> CreateAsync(
        SubscriptionRequest body, ClaimsPrincipal user, SubscriptionService service, CancellationToken ct)
    {
        var (subscription, error) = await service.CreateAsync(Caller.From(user), body, ct);
        return error ?? (Results<Created<SubscriptionInfo>, CamaraError>)TypedResults.Created(
            $"{SubscriptionService.BasePath}/subscriptions/{subscription!.Id}", subscription.ToInfo());
    }

    /// <summary>The caller's subscriptions; with a 3-legged token only its subscriber's (spec: implicit filtering).</summary>
    private static async Task<Ok<List<SubscriptionInfo>>> ListAsync(ClaimsPrincipal user, SubscriptionStore store, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var mine = await store.ForClientAsync(caller.ClientId, ct);
        return TypedResults.Ok(mine.Where(s => !caller.IsThreeLegged || s.SubscriberId == caller.SubscriberId).Select(s => s.ToInfo()).ToList());
    }

    private static async Task<Results<Ok<SubscriptionInfo>, CamaraError>> GetAsync(
        string subscriptionId, ClaimsPrincipal user, SubscriptionStore store, CancellationToken ct)
    {
        var (subscription, error) = await LoadOwnedAsync(subscriptionId, Caller.From(user), store, ct);
        return error ?? (Results<Ok<SubscriptionInfo>, CamaraError>)TypedResults.Ok(subscription!.ToInfo());
    }

    /// <summary>204; the sink hears subscription-ended SUBSCRIPTION_DELETED (specs/camara/NOTES.md row 8).</summary>
    private static async Task<Results<NoContent, CamaraError>> DeleteAsync(
        string subscriptionId, ClaimsPrincipal user, SubscriptionStore store, SubscriptionService service, CancellationToken ct)
    {
        var (subscription, error) = await LoadOwnedAsync(subscriptionId, Caller.From(user), store, ct);
        if (error is not null)
        {
            return error;
        }
        await service.EndAsync(subscription!, TerminationReason.SUBSCRIPTION_DELETED, "Deleted by the API consumer.", ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The spec's SubscriptionId is a plain string, so an id that is not one of ours is simply not found
    /// (404); another client's (or, 3-legged, another subscriber's) is 403.
    /// </summary>
    private static async Task<(InsightsSubscription?, CamaraError?)> LoadOwnedAsync(string rawId, Caller caller, SubscriptionStore store, CancellationToken ct)
    {
        var subscription = Uuid.TryParse(rawId, out var id) ? await store.FindAsync(id, ct) : null;
        return subscription is null ? (null, CamaraError.NotFound("The specified subscription is not found."))
            : subscription.ClientId != caller.ClientId || (caller.IsThreeLegged && subscription.SubscriberId != caller.SubscriberId)
                ? (null, CamaraError.PermissionDenied("The subscription was created by another API client or for another subscriber."))
            : (subscription, null);
    }
}
