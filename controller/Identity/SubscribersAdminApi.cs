using System.Text.RegularExpressions;
using CamaraQos.Controller.Camara;
using CamaraQos.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CamaraQos.Controller.Identity;

/// <summary>Body of <c>PUT /admin/v1/subscribers/{subscriberId}</c> (docs/ARCHITECTURE.md §8).</summary>
public sealed record SubscriberBody(
    IReadOnlyList<string>? PhoneNumbers,
    IReadOnlyList<string>? NetworkAccessIdentifiers,
    string? AgentId,
    string? DeviceMac);

/// <summary>The operator binds subscribers to home gateways (scope camaraqos:admin).</summary>
public static partial class SubscribersAdminApi
{
    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex Mac();

    /// <summary>An operator's own key for the subscriber: no '/', '%', '.'-only segments or spaces, so it is one path segment as written.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}$")]
    public static partial Regex SubscriberId();

    public static WebApplication MapSubscribersAdminApi(this WebApplication app)
    {
        var group = app.MapGroup("/admin/v1/subscribers").RequireAuthorization(Scopes.Admin).RequireRateLimiting(CamaraCommon.RateLimitPolicy);
        group.MapPut("/{subscriberId}", PutAsync);
        group.MapGet("/{subscriberId}", GetAsync);
        group.MapDelete("/{subscriberId}", DeleteAsync);
        return app;
    }

    private static async Task<Results<Ok<Subscriber>, CamaraError>> PutAsync(
        string subscriberId, SubscriberBody body, SubscriberStore store, CancellationToken ct)
    {
        if (Validate(subscriberId, body) is { } error)
        {
            return error;
        }
        var subscriber = new Subscriber(subscriberId, body.PhoneNumbers ?? [], body.NetworkAccessIdentifiers ?? [],
            body.AgentId!, body.DeviceMac?.ToLowerInvariant());
        await store.UpsertAsync(subscriber, ct);
        return TypedResults.Ok(subscriber);
    }

    private static async Task<Results<Ok<Subscriber>, CamaraError>> GetAsync(string subscriberId, SubscriberStore store, CancellationToken ct) =>
        ValidateId(subscriberId) is { } badId ? badId
        : await store.FindAsync(subscriberId, ct) is { } s ? TypedResults.Ok(s) : CamaraError.NotFound("No such subscriber.");

    private static async Task<Results<NoContent, CamaraError>> DeleteAsync(string subscriberId, SubscriberStore store, CancellationToken ct) =>
        ValidateId(subscriberId) is { } badId ? badId
        : await store.DeleteAsync(subscriberId, ct) ? TypedResults.NoContent() : CamaraError.NotFound("No such subscriber.");

    internal static CamaraError? ValidateId(string subscriberId) =>
        SubscriberId().IsMatch(subscriberId)
            ? null
            : CamaraError.InvalidArgument("subscriberId must match ^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}$.");

    internal static CamaraError? Validate(string subscriberId, SubscriberBody body)
    {
        if (ValidateId(subscriberId) is { } badId)
        {
            return badId;
        }
        if (!Topics.IsValidAgentId(body.AgentId))
        {
            return CamaraError.InvalidArgument("agentId is required: letters, digits, '-', '_' or '.', at most 64.");
        }
        // A JSON null inside a list reaches us as a null element (the serializer does not check elements).
        if ((body.PhoneNumbers ?? []).Contains(null!) || (body.NetworkAccessIdentifiers ?? []).Contains(null!))
        {
            return CamaraError.InvalidArgument("phoneNumbers and networkAccessIdentifiers must not contain null.");
        }
        if ((body.PhoneNumbers?.Count ?? 0) + (body.NetworkAccessIdentifiers?.Count ?? 0) > ListLimits.MaxIdentifiers)
        {
            return CamaraError.InvalidArgument($"phoneNumbers and networkAccessIdentifiers: at most {ListLimits.MaxIdentifiers} together.");
        }
        if ((body.PhoneNumbers ?? []).FirstOrDefault(p => !DeviceSyntax.PhoneNumber().IsMatch(p)) is { } badPhone)
        {
            return CamaraError.InvalidArgument($"phoneNumbers: '{ClientValue.Echo(badPhone)}' must match ^\\+[1-9][0-9]{{4,14}}$.");
        }
        if ((body.NetworkAccessIdentifiers ?? []).FirstOrDefault(n => !n.Contains('@') || n.Length > 253) is { } badNai)
        {
            return CamaraError.InvalidArgument($"networkAccessIdentifiers: '{ClientValue.Echo(badNai)}' must look like user@realm.");
        }
        if (body.DeviceMac is { } mac && !Mac().IsMatch(mac))
        {
            return CamaraError.InvalidArgument("deviceMac must be a MAC address like 02:00:00:00:01:10.");
        }
        return null;
    }
}
